/* The system operations of drydock customize: --timezone,
 * --run-command and --run (--hostname is in hostname.c). */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"

int
customize_check_timezone (struct customize_op *op)
{
  const char *tz = op->arg;

  if (*tz == '\0' || *tz == '/' || strstr (tz, "..") ||
      strchr (tz, '\n'))
    return customize_arg_error (op, _("not a timezone name (e.g. "
                                      "Europe/London)"));
  return 0;
}

int
customize_check_nonempty (struct customize_op *op)
{
  if (*op->arg == '\0')
    return customize_arg_error (op, _("empty command"));
  return 0;
}

/* ---- timezone ---- */

int
customize_timezone (struct customize_ctx *c)
{
  const char *tz = c->op->arg;
  CLEANUP_FREE char *zone = NULL, *line = NULL;
  int r, etc_tz;

  if (asprintf (&zone, "/usr/share/zoneinfo/%s", tz) == -1 ||
      asprintf (&line, "%s\n", tz) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  r = drydock_is_file (c->h, zone);
  if (r == -1)
    return customize_op_lib_error (c);
  if (r == 0)
    return customize_op_error (c, _("the guest has no %s (unknown "
                                    "timezone?)"), zone);
  if (drydock_ln_sf (c->h, zone, "/etc/localtime") == -1)
    return customize_op_lib_error (c);
  /* Debian and Ubuntu keep the name in /etc/timezone too. */
  etc_tz = drydock_exists (c->h, "/etc/timezone");
  if (etc_tz == -1)
    return customize_op_lib_error (c);
  if (etc_tz || strcmp (c->distro, "debian") == 0 ||
      strcmp (c->distro, "ubuntu") == 0)
    return drydock_write (c->h, "/etc/timezone", line, strlen (line)) == -1 ?
      customize_op_lib_error (c) : 0;
  return 0;
}

/* ---- commands ---- */

/* The command's output goes to the guest's log (log.c). */
static int
run_shell (struct customize_ctx *c, const char *cmd)
{
  return customize_run_in_guest (c, cmd);
}

int
customize_run_command (struct customize_ctx *c)
{
  return run_shell (c, c->op->arg);
}

/* The script is uploaded to a new file in the guest's /tmp, made
 * executable, run and removed, whatever its result. */
int
customize_run_script (struct customize_ctx *c)
{
  CLEANUP_FREE char *tmp = drydock_mktemp (c->h, "/tmp/drydock-runXXXXXX");
  int r;

  if (tmp == NULL)
    return customize_op_lib_error (c);
  r = drydock_upload (c->h, c->op->arg, tmp) == -1 ||
    drydock_chmod (c->h, 0755, tmp) == -1 ? customize_op_lib_error (c) :
    run_shell (c, tmp);
  if (drydock_rm_f (c->h, tmp) == -1 && r == 0)
    return customize_op_lib_error (c);
  return r;
}
