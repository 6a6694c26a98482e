/* The operations of drydock sysprep that remove files: each is a list
 * of wildcard patterns (virt-sysprep 1.48's) and how their matches go,
 * for the guests it applies to.  A pattern costs one round trip, each
 * file removed another. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "sysprep.h"

/* ---- the guest kinds ---- */

static int
is (const char *value, const char *const *names)
{
  for (; *names; ++names)
    if (strcmp (value, *names) == 0)
      return 1;
  return 0;
}

int
sysprep_is_windows (const struct sysprep_ctx *c)
{
  return strcmp (c->type, "windows") == 0;
}

int
sysprep_is_linux (const struct sysprep_ctx *c)
{
  return strcmp (c->type, "linux") == 0;
}

int
sysprep_is_redhat (const struct sysprep_ctx *c)
{
  static const char *const family[] = {
    "fedora", "rhel", "centos", "scientificlinux", "oraclelinux", "rocky",
    "redhat-based", NULL,
  };

  return sysprep_is_linux (c) && is (c->distro, family);
}

int
sysprep_is_debian (const struct sysprep_ctx *c)
{
  static const char *const family[] = { "debian", "ubuntu", "kalilinux",
                                        NULL };

  return sysprep_is_linux (c) && is (c->distro, family);
}

static int
is_rhel (const struct sysprep_ctx *c)
{
  return sysprep_is_linux (c) && strcmp (c->distro, "rhel") == 0;
}

/* ---- removing ---- */

/* A file that stays (immutable, say) is worth a word, not the whole run:
 * the other operations still do their part.  A directory stays
 * silently: the operations remove files. */
static void
removal_failed (struct sysprep_ctx *c)
{
  if (drydock_last_errno (c->h) != EISDIR)
    sysprep_warning (c, "%s", drydock_last_error (c->h));
}

int
sysprep_remove_file (struct sysprep_ctx *c, const char *path)
{
  if (drydock_rm_f (c->h, path) == -1)
    removal_failed (c);
  return 0;
}

int
sysprep_remove_globs (struct sysprep_ctx *c, const char *const *globs,
                      enum sysprep_removal how)
{
  for (; *globs; ++globs) {
    CLEANUP_FREE_STRING_LIST char **paths =
      drydock_glob_expand (c->h, *globs);

    if (paths == NULL)
      return sysprep_lib_error (c);
    for (char **p = paths; *p; ++p) {
      size_t len = strlen (*p);

      if (how == SYSPREP_RM_TREE) {
        if (drydock_rm_rf (c->h, *p) == -1)
          return sysprep_lib_error (c);
      }
      /* Directories (and symlinks to them) end in "/". */
      else if (len > 0 && (*p)[len - 1] != '/' &&
               drydock_rm_f (c->h, *p) == -1)
        removal_failed (c);
    }
  }
  return 0;
}

/* The patterns of an operation, for the guests it takes. */
#define REMOVE(how, ...) \
  sysprep_remove_globs (c, (const char *const []) { __VA_ARGS__, NULL }, \
                        SYSPREP_RM_##how)

int
sysprep_abrt_data (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 : REMOVE (TREE, "/var/spool/abrt/*");
}

int
sysprep_bash_history (struct sysprep_ctx *c)
{
  if (sysprep_is_windows (c))
    return 0;
  return REMOVE (FILES, "/home/*/.bash_history", "/root/.bash_history");
}

int
sysprep_blkid_tab (struct sysprep_ctx *c)
{
  static const char *const files[] = {
    "/var/run/blkid.tab", "/var/run/blkid.tab.old",
    "/etc/blkid/blkid.tab", "/etc/blkid/blkid.tab.old",
    "/etc/blkid.tab", "/etc/blkid.tab.old",
    "/dev/.blkid.tab", "/dev/.blkid.tab.old",
  };

  if (sysprep_is_windows (c))
    return 0;
  for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i) {
    int link = drydock_is_symlink (c->h, files[i]);

    /* A symlink (to /dev/null, say) is how a guest turns the cache
     * off: it stays. */
    if (link == -1)
      return sysprep_lib_error (c);
    if (!link && sysprep_remove_file (c, files[i]) == -1)
      return -1;
  }
  return 0;
}

/* The files the patterns match but those in keep. */
static int
remove_except (struct sysprep_ctx *c, const char *const *globs,
               const char *const *keep)
{
  for (; *globs; ++globs) {
    CLEANUP_FREE_STRING_LIST char **paths =
      drydock_glob_expand (c->h, *globs);

    if (paths == NULL)
      return sysprep_lib_error (c);
    for (char **p = paths; *p; ++p) {
      size_t len = strlen (*p);

      if (is (*p, keep) || (len > 0 && (*p)[len - 1] == '/'))
        continue;
      if (drydock_rm_f (c->h, *p) == -1)
        removal_failed (c);
    }
  }
  return 0;
}

int
sysprep_ca_certificates (struct sysprep_ctx *c)
{
  static const char *const globs[] = {
    "/etc/pki/CA/certs/*.crt", "/etc/pki/CA/crl/*.crt",
    "/etc/pki/CA/newcerts/*.crt", "/etc/pki/CA/private/*.key",
    "/etc/pki/tls/private/*.key", "/etc/pki/tls/certs/*.crt", NULL,
  };
  static const char *const keep[] = {
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/tls/certs/ca-bundle.trust.crt", NULL,
  };

  return sysprep_is_windows (c) ? 0 : remove_except (c, globs, keep);
}

int
sysprep_crash_data (struct sysprep_ctx *c)
{
  if (!sysprep_is_linux (c))
    return 0;
  return REMOVE (TREE, "/var/crash/*", "/var/log/dump/*");
}

int
sysprep_dhcp_client_state (struct sysprep_ctx *c)
{
  if (!sysprep_is_linux (c))
    return 0;
  return REMOVE (TREE, "/var/lib/dhclient/*", "/var/lib/dhcp/*");
}

int
sysprep_dhcp_server_state (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 : REMOVE (TREE, "/var/lib/dhcpd/*");
}

int
sysprep_dovecot_data (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 : REMOVE (FILES, "/var/lib/dovecot/*");
}

int
sysprep_firewall_rules (struct sysprep_ctx *c)
{
  if (sysprep_is_windows (c))
    return 0;
  return REMOVE (FILES, "/etc/sysconfig/iptables", "/etc/firewalld/services/*",
                 "/etc/firewalld/zones/*");
}

int
sysprep_ipa_client (struct sysprep_ctx *c)
{
  if (!sysprep_is_linux (c))
    return 0;
  return REMOVE (FILES, "/etc/ipa/ca.crt", "/etc/ipa/default.conf",
                 "/var/lib/ipa-client/sysrestore/*",
                 "/var/lib/ipa-client/pki/*",
                 /* The IPA CA in the system's store. */
                 "/etc/pki/ca-trust/source/anchors/ipa-ca.crt",
                 "/usr/local/share/ca-certificates/ipa-ca.crt",
                 "/etc/pki/ca-trust/source/ipa.p11-kit");
}

int
sysprep_kerberos_data (struct sysprep_ctx *c)
{
  static const char *const globs[] = { "/var/kerberos/krb5kdc/*", NULL };
  static const char *const keep[] = {
    "/var/kerberos/krb5kdc/kadm5.acl", "/var/kerberos/krb5kdc/kdc.conf",
    NULL,
  };

  return sysprep_is_windows (c) ? 0 : remove_except (c, globs, keep);
}

int
sysprep_kerberos_hostkeytab (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 :
    sysprep_remove_file (c, "/etc/krb5.keytab");
}

int
sysprep_logfiles (struct sysprep_ctx *c)
{
  static const char *const globs[] = {
    "/etc/Pegasus/*.cnf", "/etc/Pegasus/*.crt", "/etc/Pegasus/*.csr",
    "/etc/Pegasus/*.pem", "/etc/Pegasus/*.srl",
    "/root/anaconda-ks.cfg", "/root/anaconda-post.log",
    "/root/initial-setup-ks.cfg", "/root/install.log",
    "/root/install.log.syslog", "/root/original-ks.cfg",
    "/var/cache/fontconfig/*", "/var/cache/gdm/*", "/var/cache/man/*",
    "/var/lib/AccountService/users/*", "/var/lib/fprint/*",
    "/var/lib/logrotate.status",
    "/var/log/*.log*", "/var/log/BackupPC/LOG", "/var/log/ConsoleKit/*",
    "/var/log/anaconda.syslog", "/var/log/anaconda/*",
    "/var/log/apache2/*_log", "/var/log/apache2/*_log-*", "/var/log/apt/*",
    "/var/log/aptitude*", "/var/log/audit/*", "/var/log/btmp*",
    "/var/log/ceph/*.log", "/var/log/chrony/*.log", "/var/log/cron*",
    "/var/log/cups/*_log*", "/var/log/debug*", "/var/log/dmesg*",
    "/var/log/exim4/*", "/var/log/faillog*", "/var/log/firewalld*",
    "/var/log/gdm/*", "/var/log/glusterfs/*glusterd.vol.log",
    "/var/log/glusterfs/glusterfs.log", "/var/log/grubby*",
    "/var/log/httpd/*log", "/var/log/installer/*",
    "/var/log/jetty/jetty-console.log", "/var/log/journal/*",
    "/var/log/lastlog*", "/var/log/libvirt/libvirtd.log",
    "/var/log/libvirt/libxl/*.log", "/var/log/libvirt/lxc/*.log",
    "/var/log/libvirt/qemu/*.log", "/var/log/libvirt/uml/*.log",
    "/var/log/lightdm/*", "/var/log/mail/*", "/var/log/maillog*",
    "/var/log/messages*", "/var/log/ntp", "/var/log/ntpstats/*",
    "/var/log/ppp/connect-errors", "/var/log/rhsm/*", "/var/log/sa/*",
    "/var/log/secure*", "/var/log/setroubleshoot/*.log",
    "/var/log/spooler*", "/var/log/squid/*.log", "/var/log/syslog*",
    "/var/log/tallylog*", "/var/log/tuned/tuned.log", "/var/log/wtmp*",
    "/var/log/xferlog*", "/var/named/data/named.run", NULL,
  };

  return sysprep_is_linux (c) ?
    sysprep_remove_globs (c, globs, SYSPREP_RM_TREE) : 0;
}

int
sysprep_mail_spool (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 :
    REMOVE (TREE, "/var/spool/mail/*", "/var/mail/*");
}

int
sysprep_net_nmconn (struct sysprep_ctx *c)
{
  return sysprep_is_redhat (c) ?
    REMOVE (FILES, "/etc/NetworkManager/system-connections/*.nmconnection") :
    0;
}

int
sysprep_pam_data (struct sysprep_ctx *c)
{
  if (sysprep_is_windows (c))
    return 0;
  return REMOVE (FILES, "/var/run/console/*", "/var/run/faillock/*",
                 "/var/run/sepermit/*");
}

int
sysprep_passwd_backups (struct sysprep_ctx *c)
{
  static const char *const files[] = {
    "/etc/group-", "/etc/gshadow-", "/etc/passwd-", "/etc/shadow-",
    "/etc/subgid-", "/etc/subuid-",
  };

  if (!sysprep_is_linux (c))
    return 0;
  for (size_t i = 0; i < sizeof files / sizeof files[0]; ++i)
    if (sysprep_remove_file (c, files[i]) == -1)
      return -1;
  return 0;
}

int
sysprep_puppet_data_log (struct sysprep_ctx *c)
{
  if (sysprep_is_windows (c))
    return 0;
  return REMOVE (FILES, "/var/log/puppet/*", "/var/lib/puppet/*/*",
                 "/var/lib/puppet/*/*/*");
}

int
sysprep_rh_subscription_manager (struct sysprep_ctx *c)
{
  return is_rhel (c) ?
    REMOVE (TREE, "/etc/pki/consumer/*", "/etc/pki/entitlement/*") : 0;
}

int
sysprep_rhn_systemid (struct sysprep_ctx *c)
{
  return is_rhel (c) ?
    REMOVE (FILES, "/etc/sysconfig/rhn/systemid",
            "/etc/sysconfig/rhn/osad-auth.conf") : 0;
}

int
sysprep_rpm_db (struct sysprep_ctx *c)
{
  return strcmp (c->pkg_format, "rpm") == 0 ?
    REMOVE (FILES, "/var/lib/rpm/__db.*") : 0;
}

int
sysprep_samba_db_log (struct sysprep_ctx *c)
{
  if (sysprep_is_windows (c))
    return 0;
  return REMOVE (FILES, "/var/log/samba/old/*", "/var/log/samba/*",
                 "/var/lib/samba/*/*", "/var/lib/samba/*");
}

int
sysprep_smolt_uuid (struct sysprep_ctx *c)
{
  if (!sysprep_is_linux (c))
    return 0;
  return REMOVE (FILES, "/etc/sysconfig/hw-uuid", "/etc/smolt/uuid",
                 "/etc/smolt/hw-uuid");
}

int
sysprep_ssh_hostkeys (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 : REMOVE (FILES, "/etc/ssh/*_host_*");
}

int
sysprep_ssh_userdir (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 :
    REMOVE (TREE, "/home/*/.ssh", "/root/.ssh");
}

int
sysprep_sssd_db_log (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 :
    REMOVE (FILES, "/var/log/sssd/*", "/var/lib/sss/db/*");
}

int
sysprep_udev_persistent_net (struct sysprep_ctx *c)
{
  return sysprep_is_linux (c) ?
    sysprep_remove_file (c, "/etc/udev/rules.d/70-persistent-net.rules") : 0;
}

int
sysprep_utmp (struct sysprep_ctx *c)
{
  return sysprep_is_windows (c) ? 0 :
    sysprep_remove_file (c, "/var/run/utmp");
}

int
sysprep_yum_uuid (struct sysprep_ctx *c)
{
  return strcmp (c->pkg_mgmt, "yum") == 0 ?
    sysprep_remove_file (c, "/var/lib/yum/uuid") : 0;
}
