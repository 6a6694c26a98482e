/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The appliance's network (set_network): a virtio-net interface on
 * qemu's user networking, configured here with the fixed addresses qemu
 * hands out (common/appliance-abi.h), through ioctls: no DHCP client
 * and no tool on the boot path.  Separate from main.c because it is
 * needed only when the host asked for it (drydock.network=1).  With
 * the network up, a guest program also gets the appliance's resolver
 * (guest_resolver_set). */

#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "appliance-abi.h"
#include "full-rw.h"

#define IFACE "eth0"
#define IFACE_WAIT_MS 3000
/* The guest's own /etc/resolv.conf, put aside while ours stands in for
 * it, when it is a symlink (often to a resolver's runtime file that
 * does not exist in an image). */
#define RESOLV_ASIDE ".resolv.conf.drydock-aside"

/* The network came up: guest programs get our resolver. */
static int network_on;

static void
set_sockaddr (struct sockaddr *sa, const char *addr)
{
  struct sockaddr_in *in = (struct sockaddr_in *) sa;

  memset (in, 0, sizeof *in);
  in->sin_family = AF_INET;
  inet_pton (AF_INET, addr, &in->sin_addr);
}

static int
iface_up (int s, const char *name)
{
  struct ifreq ifr = { 0 };

  snprintf (ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
  if (ioctl (s, SIOCGIFFLAGS, &ifr) == -1)
    return -1;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  return ioctl (s, SIOCSIFFLAGS, &ifr);
}

static int
iface_address (int s)
{
  struct ifreq ifr = { 0 };

  snprintf (ifr.ifr_name, sizeof ifr.ifr_name, IFACE);
  set_sockaddr (&ifr.ifr_addr, APPLIANCE_NET_ADDRESS);
  if (ioctl (s, SIOCSIFADDR, &ifr) == -1)
    return -1;
  set_sockaddr (&ifr.ifr_netmask, APPLIANCE_NET_NETMASK);
  return ioctl (s, SIOCSIFNETMASK, &ifr);
}

static int
default_route (int s)
{
  struct rtentry rt = { 0 };

  set_sockaddr (&rt.rt_dst, "0.0.0.0");
  set_sockaddr (&rt.rt_genmask, "0.0.0.0");
  set_sockaddr (&rt.rt_gateway, APPLIANCE_NET_GATEWAY);
  rt.rt_flags = RTF_UP | RTF_GATEWAY;
  rt.rt_dev = (char *) IFACE;
  if (ioctl (s, SIOCADDRT, &rt) == -1 && errno != EEXIST)
    return -1;
  return 0;
}

static int
write_resolv_conf (void)
{
  static const char text[] = "nameserver " APPLIANCE_NET_DNS "\n";
  int fd = open ("/etc/resolv.conf", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                 0644);
  int r;

  if (fd == -1)
    return -1;
  r = write_all (fd, text, sizeof text - 1);
  close (fd);
  return r;
}

int
network_up (void)
{
  long deadline = now_ms () + IFACE_WAIT_MS;
  struct stat st;
  int s, r;

  if (load_module ("virtio_net") == -1)
    return -1;
  while (stat ("/sys/class/net/" IFACE, &st) == -1) {
    if (now_ms () > deadline) {
      errno = ENODEV;
      return -1;
    }
    usleep (2000);
  }
  s = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s == -1)
    return -1;
  r = iface_up (s, "lo") == 0 && iface_address (s) == 0 &&
    iface_up (s, IFACE) == 0 && default_route (s) == 0 &&
    write_resolv_conf () == 0 ? 0 : -1;
  close (s);
  if (r == 0) {
    network_on = 1;
    debug ("network: " IFACE " " APPLIANCE_NET_ADDRESS " via "
           APPLIANCE_NET_GATEWAY);
  }
  return r;
}

void
guest_resolver_set (struct guest_resolver *r)
{
  struct stat st;
  char buf[32];
  int fd;

  *r = (struct guest_resolver) { .etc = -1 };
  if (!network_on)
    return;
  r->etc = sysroot_open ("/etc", O_PATH | O_DIRECTORY, 0);
  if (r->etc == -1)
    return;
  if (fstatat (r->etc, "resolv.conf", &st, AT_SYMLINK_NOFOLLOW) == -1) {
    if (errno != ENOENT)
      goto undo;
    r->created = 1;
  }
  else if (S_ISLNK (st.st_mode)) {
    /* A bind mount cannot go over a symlink: it goes aside, never over
     * a file of the guest's that has our name. */
    if (renameat2 (r->etc, "resolv.conf", r->etc, RESOLV_ASIDE,
                   RENAME_NOREPLACE) == -1)
      goto undo;
    r->aside = r->created = 1;
  }
  else if (!S_ISREG (st.st_mode))
    goto undo;
  if (r->created) {
    fd = openat (r->etc, "resolv.conf",
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd == -1) {
      r->created = 0;
      goto undo;
    }
    close (fd);
  }
  fd = openat (r->etc, "resolv.conf", O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd == -1)
    goto undo;
  r->mounted = mount ("/etc/resolv.conf", fd_path (fd, buf), NULL, MS_BIND,
                      NULL) == 0;
  close (fd);
  if (r->mounted)
    return;
 undo:
  debug ("guest resolv.conf: %m");
  guest_resolver_undo (r);
}

void
guest_resolver_undo (struct guest_resolver *r)
{
  char buf[32];

  if (r->etc == -1)
    return;
  if (r->mounted) {
    int fd = openat (r->etc, "resolv.conf", O_PATH | O_NOFOLLOW | O_CLOEXEC);

    if (fd == -1 || umount2 (fd_path (fd, buf), MNT_DETACH) == -1)
      debug ("umount guest resolv.conf: %m");
    if (fd != -1)
      close (fd);
  }
  if (r->created && unlinkat (r->etc, "resolv.conf", 0) == -1)
    debug ("unlink guest resolv.conf: %m");
  if (r->aside &&
      renameat (r->etc, RESOLV_ASIDE, r->etc, "resolv.conf") == -1)
    debug ("restore guest resolv.conf: %m");
  close (r->etc);
  *r = (struct guest_resolver) { .etc = -1 };
}
