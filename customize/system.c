/* The system operations of drydock customize: --hostname (with the
 * edit of /etc/hosts, a small text edit made on the host side rather
 * than an Augeas session, which costs seconds to start), --timezone,
 * --run-command and --run. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"
#include "strlist.h"

int
customize_check_hostname (struct customize_op *op)
{
  const char *p = op->arg;

  if (*p == '\0' || strlen (p) > 253)
    return customize_arg_error (op, _("a hostname has 1 to 253 "
                                      "characters"));
  for (; *p; ++p)
    if (!isalnum ((unsigned char) *p) && *p != '-' && *p != '.')
      return customize_arg_error (op, _("a hostname has only letters, "
                                        "digits, '-' and '.'"));
  return 0;
}

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

/* ---- /etc/hosts ---- */

static int
is_space (char ch)
{
  return ch == ' ' || ch == '\t';
}

/* Adds to parts one line of /etc/hosts (without its newline), where on
 * a 127.0.0.1 or 127.0.1.1 line every name equal to old is replaced by
 * new; spacing and comments are kept.  Returns 1 if a name was
 * replaced. */
static int
edit_line (const char *line, size_t len, const char *old, const char *new,
           struct strlist *parts)
{
  size_t i = 0, start;
  int loopback, replaced = 0;

  while (i < len && is_space (line[i]))
    i++;
  start = i;
  while (i < len && !is_space (line[i]))
    i++;
  loopback = (i - start == 9 && memcmp (line + start, "127.0.1.1", 9) == 0) ||
    (i - start == 9 && memcmp (line + start, "127.0.0.1", 9) == 0);
  if (!loopback || *old == '\0') {
    strlist_addf (parts, "%.*s", (int) len, line);
    return 0;
  }
  strlist_addf (parts, "%.*s", (int) i, line);
  while (i < len) {
    size_t s = i;

    while (i < len && is_space (line[i]))
      i++;
    strlist_addf (parts, "%.*s", (int) (i - s), line + s);
    if (i < len && line[i] == '#') {
      strlist_addf (parts, "%.*s", (int) (len - i), line + i);
      break;
    }
    s = i;
    while (i < len && !is_space (line[i]))
      i++;
    if (i - s == strlen (old) && memcmp (line + s, old, i - s) == 0) {
      strlist_add (parts, new);
      replaced = 1;
    }
    else
      strlist_addf (parts, "%.*s", (int) (i - s), line + s);
  }
  return replaced;
}

/* The new content of /etc/hosts (caller frees): old replaced by new on
 * the 127.0.0.1 and 127.0.1.1 lines, or a 127.0.1.1 line added. */
static char *
edit_hosts (const char *content, size_t size, const char *old,
            const char *new)
{
  struct strlist parts = STRLIST_INIT;
  size_t i = 0, total = 0;
  int replaced = 0;
  char *out;

  while (i < size) {
    const char *nl = memchr (content + i, '\n', size - i);
    size_t len = nl ? (size_t) (nl - content - i) : size - i;

    replaced |= edit_line (content + i, len, old, new, &parts);
    strlist_add (&parts, nl ? "\n" : "");
    i += len + (nl != NULL);
  }
  if (!replaced)
    strlist_addf (&parts, "%s127.0.1.1\t%s\n",
                  size && content[size - 1] != '\n' ? "\n" : "", new);
  for (size_t k = 0; k < parts.len; ++k)
    total += strlen (parts.v[k]);
  out = malloc (total + 1);
  if (out) {
    *out = '\0';
    for (size_t k = 0, at = 0; k < parts.len; ++k) {
      size_t n = strlen (parts.v[k]);
      memcpy (out + at, parts.v[k], n + 1);
      at += n;
    }
  }
  strlist_free (&parts);
  return out;
}

int
customize_hostname (struct customize_ctx *c)
{
  const char *name = c->op->arg;
  CLEANUP_FREE char *old = NULL, *hosts = NULL, *edited = NULL,
    *line = NULL;
  size_t size = 0;
  int r;

  /* The old name, for /etc/hosts. */
  r = drydock_is_file (c->h, "/etc/hostname");
  if (r == -1)
    return customize_op_lib_error (c);
  if (r) {
    old = drydock_read_file (c->h, "/etc/hostname", &size);
    if (old == NULL)
      return customize_op_lib_error (c);
    old[strcspn (old, " \t\r\n")] = '\0';
  }
  if (asprintf (&line, "%s\n", name) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if (drydock_write (c->h, "/etc/hostname", line, strlen (line)) == -1)
    return customize_op_lib_error (c);

  r = drydock_is_file (c->h, "/etc/hosts");
  if (r == -1)
    return customize_op_lib_error (c);
  if (r == 0)
    return 0;
  hosts = drydock_read_file (c->h, "/etc/hosts", &size);
  if (hosts == NULL)
    return customize_op_lib_error (c);
  /* A guest whose name was "localhost" keeps its localhost line: the
   * new name gets a line of its own. */
  if (old && (strcmp (old, "localhost") == 0 ||
              strcmp (old, "localhost.localdomain") == 0))
    *old = '\0';
  edited = edit_hosts (hosts, size, old ? old : "", name);
  if (edited == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  if (size == strlen (edited) && memcmp (hosts, edited, size) == 0)
    return 0;
  return drydock_write (c->h, "/etc/hosts", edited, strlen (edited)) == -1 ?
    customize_op_lib_error (c) : 0;
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
