/* The log of the commands drydock customize runs in the guest, kept as
 * virt-customize keeps it: what --run, --run-command and the other
 * operations that run guest commands print is appended to
 * /tmp/builder.log in the guest (/Temp/builder.log on Windows,
 * /builder.log when that directory is missing); -v copies each
 * command's part to stderr, and --no-logfile scrubs the file at the
 * end.  Separate from system.c so that every operation running guest
 * commands goes through this one wrapper. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"

/* The proxy settings of the host, passed to the guest's commands. */
static const char *const proxy_vars[] = {
  "http_proxy", "https_proxy", "ftp_proxy", "no_proxy", NULL
};

int
customize_log_start (struct customize_ctx *c)
{
  int windows = strcmp (c->type, "windows") == 0 ||
    strcmp (c->type, "dos") == 0;
  const char *dir = windows ? "/Temp" : "/tmp";
  int r = drydock_is_dir_opts (c->h, dir,
                               DRYDOCK_IS_DIR_OPTS_FOLLOWSYMLINKS, 1, -1);

  if (r == -1)
    return tool_lib_error (c->h);
  free (c->logfile);
  c->logfile = strdup (r == 0 ? "/builder.log" :
                       windows ? "/Temp/builder.log" : "/tmp/builder.log");
  if (c->logfile == NULL)
    return tool_error ("%s", strerror (errno));
  return 0;
}

/* Appends s to the script, single-quoted for the shell. */
static void
add_quoted (FILE *fp, const char *s)
{
  fputc ('\'', fp);
  for (; *s; ++s)
    if (*s == '\'')
      fputs ("'\\''", fp);
    else
      fputc (*s, fp);
  fputc ('\'', fp);
}

char *
customize_shell_quote (const char *s)
{
  char *out = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&out, &len);

  if (fp == NULL)
    return NULL;
  add_quoted (fp, s);
  if (fclose (fp) == EOF) {
    free (out);
    return NULL;
  }
  return out;
}

/* The script run for cmd: output to the log, the host's proxies, then
 * cmd (caller frees). */
static char *
make_script (const struct customize_ctx *c, const char *cmd)
{
  char *script = NULL;
  size_t len = 0;
  FILE *fp = open_memstream (&script, &len);

  if (fp == NULL)
    return NULL;
  fputs ("exec >>", fp);
  add_quoted (fp, c->logfile);
  fputs (" 2>&1\n", fp);
  for (size_t i = 0; proxy_vars[i]; ++i) {
    const char *v = getenv (proxy_vars[i]);

    if (v) {
      fprintf (fp, "export %s=", proxy_vars[i]);
      add_quoted (fp, v);
      fputc ('\n', fp);
    }
  }
  fprintf (fp, "%s\n", cmd);
  if (fclose (fp) == EOF) {
    free (script);
    return NULL;
  }
  return script;
}

/* The log's size now, 0 if there is none; -1 on error. */
static int64_t
log_size (struct customize_ctx *c)
{
  int r = drydock_is_file (c->h, c->logfile);

  if (r <= 0)
    return r;
  return drydock_filesize (c->h, c->logfile);
}

/* The last non-empty line of text[0..len) into buf. */
static void
last_line (const char *text, size_t len, char *buf, size_t size)
{
  size_t end = len, start;

  while (end > 0 && strchr ("\r\n \t", text[end - 1]))
    end--;
  start = end;
  while (start > 0 && text[start - 1] != '\n')
    start--;
  snprintf (buf, size, "%.*s", (int) (end - start), text + start);
}

int
customize_run_in_guest (struct customize_ctx *c, const char *cmd)
{
  return customize_run_in_guest_as (c, cmd, _("the command"), "");
}

int
customize_run_in_guest_as (struct customize_ctx *c, const char *cmd,
                           const char *what, const char *hint)
{
  CLEANUP_FREE char *script = make_script (c, cmd), *out = NULL,
    *log = NULL, *why = NULL;
  int verbose = c->o->tool.verbose;
  int64_t before = 0;
  size_t size = 0;
  char line[512];

  if (script == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  /* Known before, so that a failure names this command's output. */
  if ((before = log_size (c)) == -1)
    return customize_op_lib_error (c);
  out = drydock_sh (c->h, script);
  if (out == NULL) {
    const char *msg = drydock_last_error (c->h);

    why = strdup (msg ? msg : _("unknown error"));
  }
  else if (!verbose)
    return 0;
  /* Its part of the log: printed with -v, its last line named on
   * failure (the log itself is lost with the other changes). */
  if (drydock_is_file (c->h, c->logfile) == 1)
    log = drydock_read_file (c->h, c->logfile, &size);
  if (log && (size_t) before < size) {
    if (verbose) {
      fwrite (log + before, 1, size - before, stderr);
      fflush (stderr);
    }
    last_line (log + before, size - before, line, sizeof line);
  }
  else
    line[0] = '\0';
  if (out)
    return 0;
  if (*line)
    return customize_op_error (c, _("%s failed: %s%s"), what, line, hint);
  return customize_op_error (c, _("%s failed (%s)%s"), what,
                             why ? why : strerror (errno), hint);
}

int
customize_log_finish (struct customize_ctx *c)
{
  int r = drydock_exists (c->h, c->logfile);

  if (r == -1)
    return customize_op_lib_error (c);
  if (r == 0)
    return 0;
  tool_progress_phase (_("scrubbing the log file"));
  if (drydock_scrub_file (c->h, c->logfile) == 0)
    return 0;
  return drydock_rm_f (c->h, c->logfile) == -1 ?
    customize_op_lib_error (c) : 0;
}
