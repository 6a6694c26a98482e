/* The appliance's network (set_network): a virtio-net interface on
 * qemu's user networking, configured here with the fixed addresses qemu
 * hands out (common/appliance-abi.h), through ioctls: no DHCP client
 * and no tool on the boot path.  Separate from main.c because it is
 * needed only when the host asked for it (drydock.network=1). */

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
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "appliance-abi.h"
#include "full-rw.h"

#define IFACE "eth0"
#define IFACE_WAIT_MS 3000

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
  if (r == 0)
    debug ("network: " IFACE " " APPLIANCE_NET_ADDRESS " via "
           APPLIANCE_NET_GATEWAY);
  return r;
}
