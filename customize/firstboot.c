/* The firstboot operations of drydock customize: --firstboot,
 * --firstboot-command and --firstboot-install add a script that a
 * service of the guest runs once at its next boot.  The service, added
 * with the first of them, is a runner script, a systemd unit enabled
 * for multi-user.target, and where the guest has a SysV init layout we
 * know, an init script with its rc links, as virt-customize installs
 * both (a runner that moves each script away before running it cannot
 * run one twice, and systemd prefers the unit of the same name).
 * Windows guests have their own runner (firstboot-win.c).
 *
 * In the guest:
 *   /usr/lib/drydock-firstboot/firstboot.sh     the runner
 *   /usr/lib/drydock-firstboot/scripts/NNNN-NAME   waiting, run in order
 *   /usr/lib/drydock-firstboot/scripts-done/    moved here, then run
 *   /root/drydock-firstboot.log                  their output
 *   /usr/lib/systemd/system/drydock-firstboot.service */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "customize.h"

#define FB_DIR "/usr/lib/drydock-firstboot"
#define RUNNER FB_DIR "/firstboot.sh"
#define SCRIPTS FB_DIR "/scripts"
#define SERVICE "drydock-firstboot"
#define UNIT_DIR "/usr/lib/systemd/system"
#define UNIT UNIT_DIR "/" SERVICE ".service"
#define WANTS_DIR "/etc/systemd/system/multi-user.target.wants"
#define NAME_MAX_LEN 60
#define SCRIPTS_MAX 9999

static const char runner[] =
  "#!/bin/sh -\n"
  "### BEGIN INIT INFO\n"
  "# Provides:          " SERVICE "\n"
  "# Required-Start:    $null\n"
  "# Should-Start:      $all\n"
  "# Required-Stop:     $null\n"
  "# Should-Stop:       $all\n"
  "# Default-Start:     2 3 5\n"
  "# Default-Stop:      0 1 6\n"
  "# Short-Description: run the drydock firstboot scripts once\n"
  "### END INIT INFO\n"
  "# Written by drydock customize.  Each script of $dir/scripts runs once,\n"
  "# in the order of the names: it is moved to $dir/scripts-done first, so\n"
  "# one that reboots the guest does not run again.  Output goes to $log.\n"
  "\n"
  "dir=" FB_DIR "\n"
  "log=/root/drydock-firstboot.log\n"
  "\n"
  "case \"${1-start}\" in\n"
  "  start) ;;\n"
  "  *) exit 0 ;;\n"
  "esac\n"
  "mkdir -p \"$dir/scripts-done\"\n"
  "for f in \"$dir\"/scripts/*; do\n"
  "  [ -f \"$f\" ] || continue\n"
  "  name=${f##*/}\n"
  "  ran=\"$dir/scripts-done/$name\"\n"
  "  mv -f \"$f\" \"$ran\" || continue\n"
  "  echo \"" SERVICE ": running $name\"\n"
  "  echo \"=== running $name ===\" >>\"$log\"\n"
  "  (cd / && \"$ran\") </dev/null >>\"$log\" 2>&1\n"
  "  echo \"=== $name: exit status $? ===\" >>\"$log\"\n"
  "done\n"
  "exit 0\n";

static const char unit[] =
  "[Unit]\n"
  "Description=drydock firstboot scripts\n"
  "After=network.target\n"
  "Before=prefdm.service\n"
  "\n"
  "[Service]\n"
  "Type=oneshot\n"
  "ExecStart=" RUNNER " start\n"
  "RemainAfterExit=yes\n"
  "TimeoutStartSec=0\n"
  "StandardOutput=journal+console\n"
  "StandardError=inherit\n"
  "\n"
  "[Install]\n"
  "WantedBy=multi-user.target\n";

/* The SysV init layouts we know, by distribution family: the init
 * script (a link to the runner; NULL: none), and the S99 links in the
 * directories of runlevels 2, 3 and 5 (rc_dir with the runlevel for
 * %c) pointing at rc_target. */
static const struct sysv_layout {
  const char *const *distros;
  const char *init_script;
  const char *rc_dir;
  const char *rc_target;
} layouts[] = {
  { (const char *const[]) { "debian", "ubuntu", "kalilinux", "linuxmint",
                            NULL },
    "/etc/init.d/" SERVICE, "/etc/rc%c.d", "../init.d/" SERVICE },
  { (const char *const[]) { "fedora", "rhel", "centos", "scientificlinux",
                            "oraclelinux", "rocky", "redhat-based", NULL },
    NULL, "/etc/rc.d/rc%c.d", RUNNER },
  { (const char *const[]) { "opensuse", "sles", "suse-based", NULL },
    "/etc/init.d/" SERVICE, "/etc/init.d/rc%c.d", "../" SERVICE },
};

#define LIB(call) ((call) == -1 ? customize_op_lib_error (c) : 0)

/* ---- checks ---- */

int
customize_check_firstboot (struct customize_op *op)
{
  struct stat st;

  if (stat (op->arg, &st) == -1 || access (op->arg, R_OK) == -1)
    return customize_arg_error (op, _("'%s': %s"), op->arg,
                                strerror (errno));
  if (!S_ISREG (st.st_mode))
    return customize_arg_error (op, _("'%s' is not a regular file"),
                                op->arg);
  return 0;
}

/* The SysV layout of the guest, or NULL when it has none we know. */
static const struct sysv_layout *
sysv_layout (struct customize_ctx *c, int *err)
{
  int init_d, rc_d;

  *err = 0;
  init_d = drydock_is_dir (c->h, "/etc/init.d");
  rc_d = drydock_is_dir (c->h, "/etc/rc.d");
  if (init_d == -1 || rc_d == -1) {
    *err = customize_op_lib_error (c);
    return NULL;
  }
  if (!init_d && !rc_d)
    return NULL;
  for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; ++i)
    for (const char *const *d = layouts[i].distros; *d; ++d)
      if (strcmp (*d, c->distro) == 0)
        return &layouts[i];
  return NULL;
}

int
customize_check_firstboot_guest (struct customize_ctx *c)
{
  if (strcmp (c->type, "windows") == 0)
    return customize_win_check_firstboot (c);
  if (strcmp (c->type, "linux") != 0)
    return customize_op_error (c, _("firstboot scripts are supported in "
                                    "Linux and Windows guests only, this "
                                    "one is %s; nothing was changed"),
                               c->type);
  return 0;
}

/* ---- the service ---- */

static int
install_sysv (struct customize_ctx *c, const struct sysv_layout *l)
{
  if (l->init_script &&
      LIB (drydock_ln_sf (c->h, RUNNER, l->init_script)) == -1)
    return -1;
  for (const char *lv = "235"; *lv; ++lv) {
    char dir[64], link[96];

    snprintf (dir, sizeof dir, l->rc_dir, *lv);
    snprintf (link, sizeof link, "%s/S99" SERVICE, dir);
    if (LIB (drydock_mkdir_p (c->h, dir)) == -1 ||
        LIB (drydock_ln_sf (c->h, l->rc_target, link)) == -1)
      return -1;
  }
  return 0;
}

/* The highest NNNN- of the names in dir (0 if none, or no dir). */
static int
highest_number (struct customize_ctx *c, const char *dir, int *max)
{
  CLEANUP_FREE_STRING_LIST char **names = NULL;
  int r = drydock_is_dir (c->h, dir);

  if (r == -1 || (r == 1 && (names = drydock_ls (c->h, dir)) == NULL))
    return customize_op_lib_error (c);
  for (size_t i = 0; names && names[i]; ++i) {
    char *end;
    long n = strtol (names[i], &end, 10);

    if (end == names[i] + 4 && *end == '-' && n > *max)
      *max = (int) n;
  }
  return 0;
}

/* The numbers of new scripts go on from those of earlier runs, waiting
 * or done, so they run after them and the log reads in order. */
int
customize_firstboot_number (struct customize_ctx *c, const char *dir)
{
  CLEANUP_FREE char *waiting = NULL, *done = NULL;
  int max = 0;

  if (asprintf (&waiting, "%s/scripts", dir) == -1 ||
      asprintf (&done, "%s/scripts-done", dir) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if (highest_number (c, waiting, &max) == -1 ||
      highest_number (c, done, &max) == -1)
    return -1;
  c->firstboot_next = max + 1;
  return 0;
}

/* The runner, the unit and the SysV links, once a run. */
static int
install_service (struct customize_ctx *c)
{
  const struct sysv_layout *l;
  int systemd, err;

  if (c->firstboot_ready)
    return 0;
  /* Looked at now, not before the first operation: an earlier one may
   * have made the directories. */
  systemd = drydock_is_dir (c->h, "/etc/systemd/system");
  if (systemd == -1)
    return customize_op_lib_error (c);
  l = sysv_layout (c, &err);
  if (err)
    return -1;
  if (!systemd && l == NULL)
    return customize_op_error (c, _("the guest has neither systemd "
                                    "(/etc/systemd/system) nor a SysV init "
                                    "layout known for %s: no firstboot "
                                    "service can be added"), c->distro);
  if (LIB (drydock_mkdir_p (c->h, SCRIPTS)) == -1 ||
      LIB (drydock_write (c->h, RUNNER, runner, sizeof runner - 1)) == -1 ||
      LIB (drydock_chmod (c->h, 0755, RUNNER)) == -1)
    return -1;
  if (systemd &&
      (LIB (drydock_mkdir_p (c->h, UNIT_DIR)) == -1 ||
       LIB (drydock_write (c->h, UNIT, unit, sizeof unit - 1)) == -1 ||
       LIB (drydock_mkdir_p (c->h, WANTS_DIR)) == -1 ||
       LIB (drydock_ln_sf (c->h, UNIT,
                           WANTS_DIR "/" SERVICE ".service")) == -1))
    return -1;
  if ((l && install_sysv (c, l) == -1) ||
      customize_firstboot_number (c, FB_DIR) == -1)
    return -1;
  c->firstboot_ready = 1;
  return 0;
}

/* ---- the scripts ---- */

/* SCRIPTS/NNNN-NAME for a new script (caller frees): name with every
 * character but letters, digits and '_' made a '-', cut at 60.  NULL
 * (printed). */
static char *
script_path (struct customize_ctx *c, const char *name)
{
  char clean[NAME_MAX_LEN + 1];
  char *path;
  size_t i;

  if (install_service (c) == -1)
    return NULL;
  if (c->firstboot_next > SCRIPTS_MAX) {
    customize_op_error (c, _("the guest already has %d firstboot scripts "
                             "waiting"), SCRIPTS_MAX);
    return NULL;
  }
  for (i = 0; name[i] && i < NAME_MAX_LEN; ++i) {
    char ch = name[i];

    clean[i] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
      (ch >= '0' && ch <= '9') || ch == '_' ? ch : '-';
  }
  clean[i] = '\0';
  if (asprintf (&path, SCRIPTS "/%04d-%s", c->firstboot_next, clean) == -1) {
    customize_op_error (c, "%s", strerror (errno));
    return NULL;
  }
  c->firstboot_next++;
  return path;
}

/* A script of the given content. */
static int
add_script (struct customize_ctx *c, const char *name, const char *body)
{
  CLEANUP_FREE char *path = script_path (c, name), *content = NULL;

  if (path == NULL)
    return -1;
  if (asprintf (&content, "#!/bin/sh\n%s\n", body) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if (LIB (drydock_write (c->h, path, content, strlen (content))) == -1)
    return -1;
  return LIB (drydock_chmod (c->h, 0755, path));
}

int
customize_firstboot (struct customize_ctx *c)
{
  const char *base = strrchr (c->op->arg, '/');
  CLEANUP_FREE char *path = NULL;

  if (strcmp (c->type, "windows") == 0)
    return customize_win_firstboot (c);
  path = script_path (c, base ? base + 1 : c->op->arg);
  if (path == NULL)
    return -1;
  if (LIB (drydock_upload (c->h, c->op->arg, path)) == -1)
    return -1;
  return LIB (drydock_chmod (c->h, 0755, path));
}

int
customize_firstboot_command (struct customize_ctx *c)
{
  if (strcmp (c->type, "windows") == 0)
    return customize_win_firstboot_command (c);
  return add_script (c, c->op->arg, c->op->arg);
}

int
customize_firstboot_install (struct customize_ctx *c)
{
  CLEANUP_FREE char *cmd = customize_install_command (c), *name = NULL;

  if (cmd == NULL)
    return -1;
  if (asprintf (&name, "install-%s", c->op->arg) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  return add_script (c, name, cmd);
}
