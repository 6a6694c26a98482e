/* The package operations of drydock customize: --install, --uninstall
 * and --update run the commands virt-customize runs for the guest's
 * package manager (found by inspection), and --firstboot-install takes
 * its command from here.  A command's output goes to a log file in the
 * guest's /tmp, so a long upgrade never meets the protocol's size
 * limit; the log is shown with -v, its last line names a failure, and
 * it is removed afterwards. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"

#define APT_PROLOGUE \
  "export DEBIAN_FRONTEND=noninteractive\n" \
  "apt_opts='-q -y -o Dpkg::Options::=--force-confnew'\n"

/* The commands of each package manager, as virt-customize 1.48 runs
 * them; the quoted package names follow install and uninstall. */
static const struct manager {
  const char *name;
  const char *install, *uninstall, *update;
} managers[] = {
  { "apk", "apk update\napk add", "apk del", "apk update\napk upgrade" },
  { "apt",
    APT_PROLOGUE "apt-get $apt_opts update\napt-get $apt_opts install",
    APT_PROLOGUE "apt-get $apt_opts remove",
    APT_PROLOGUE "apt-get $apt_opts update\napt-get $apt_opts upgrade" },
  { "dnf", "dnf -y install", "dnf -y remove", "dnf -y --best upgrade" },
  { "pacman", "pacman -S --noconfirm", "pacman -R", "pacman -Su" },
  { "pisi", "pisi it", "pisi rm", "pisi upgrade" },
  { "urpmi", "urpmi", "urpme", "urpmi --auto-select" },
  { "xbps", "xbps-install -Sy", "xbps-remove -Sy", "xbps-install -Suy" },
  { "yum", "yum -y install", "yum -y remove", "yum -y update" },
  { "zypper", "zypper -n in -l", "zypper -n rm", "zypper -n update -l" },
};

/* Where the commands' output goes, and the longest part of it a
 * failure message quotes. */
#define LOG_TEMPLATE "/tmp/drydock-customize-XXXXXX"
#define TAIL_MAX 4096
#define REASON_MAX 300

/* ---- checks ---- */

/* A package name as the managers take it, with a version or a release
 * (apt's pkg=1.0 and pkg/bookworm), a group (@core) or a file (/usr/bin/x),
 * and nothing a shell or an option parser would read. */
static int
is_package_name (const char *p, size_t len)
{
  if (len == 0 || len > 255 || *p == '-')
    return 0;
  for (size_t i = 0; i < len; ++i)
    if (!(p[i] >= 'a' && p[i] <= 'z') && !(p[i] >= 'A' && p[i] <= 'Z') &&
        !(p[i] >= '0' && p[i] <= '9') && !strchr ("+-._:~@=/", p[i]))
      return 0;
  return 1;
}

int
customize_check_packages (struct customize_op *op)
{
  const char *p = op->arg;

  for (;;) {
    size_t len = strcspn (p, ",");

    if (len == 0)
      return customize_arg_error (op, _("an empty package name"));
    if (!is_package_name (p, len))
      return customize_arg_error (op, _("'%.*s' is not a package name "
                                        "(letters, digits and + - . _ : ~ "
                                        "@ = /, not first a '-')"),
                                  (int) len, p);
    if (p[len] == '\0')
      return 0;
    p += len + 1;
  }
}

static const struct manager *
find_manager (const char *name)
{
  for (size_t i = 0; i < sizeof managers / sizeof managers[0]; ++i)
    if (strcmp (managers[i].name, name) == 0)
      return &managers[i];
  return NULL;
}

static const struct manager *
guest_manager (struct customize_ctx *c)
{
  /* customize_check_guest made sure there is one. */
  return find_manager (c->package_management);
}

int
customize_check_package_manager (struct customize_ctx *c)
{
  const char *pm = c->package_management;

  if (find_manager (pm))
    return 0;
  if (strcmp (pm, "unknown") == 0)
    return customize_op_error (c, _("no package manager was found in this "
                                    "%s guest (use --run-command or "
                                    "--firstboot-command instead); nothing "
                                    "was changed"), c->type);
  return customize_op_error (c, _("the guest's package manager, %s, is not "
                                  "supported (use --run-command or "
                                  "--firstboot-command instead); nothing "
                                  "was changed"), pm);
}

/* ---- commands ---- */

/* The len bytes of s in single quotes for the shell. */
static void
put_quoted (FILE *f, const char *s, size_t len)
{
  fputc ('\'', f);
  for (size_t i = 0; i < len; ++i) {
    if (s[i] == '\'')
      fputs ("'\\''", f);
    else
      fputc (s[i], f);
  }
  fputc ('\'', f);
}

/* Closes f, opened by open_memstream on *text, and returns the text
 * (caller frees), or NULL (printed) if any write failed. */
static char *
close_text (struct customize_ctx *c, FILE *f, char **text)
{
  int bad = ferror (f);

  if (fclose (f) == EOF || bad) {
    free (*text);
    customize_op_error (c, "%s", strerror (errno ? errno : ENOMEM));
    return NULL;
  }
  return *text;
}

/* words followed by the running operation's packages, each quoted
 * (caller frees); with -v dnf is asked to say more, as virt-customize
 * does.  NULL (printed). */
static char *
package_command (struct customize_ctx *c, const char *words)
{
  const char *p = c->op->arg;
  char *text = NULL;
  size_t size;
  FILE *f = open_memstream (&text, &size);

  if (f == NULL)
    return customize_op_error (c, "%s", strerror (errno)), NULL;
  if (c->o->tool.verbose && strncmp (words, "dnf ", 4) == 0) {
    fputs ("dnf --verbose", f);
    words += 3;
  }
  fputs (words, f);
  while (p && *p) {
    size_t len = strcspn (p, ",");

    fputc (' ', f);
    put_quoted (f, p, len);
    p += len + (p[len] == ',');
  }
  return close_text (c, f, &text);
}

char *
customize_install_command (struct customize_ctx *c)
{
  return package_command (c, guest_manager (c)->install);
}

/* The script run in the guest (caller frees): its output to log, the
 * host's proxy settings passed on, and a 32-bit x86 guest told so (its
 * package manager picks packages by uname).  NULL (printed). */
static char *
guest_script (struct customize_ctx *c, const char *log, const char *cmd)
{
  static const char *const proxies[] = {
    "http_proxy", "https_proxy", "ftp_proxy", "no_proxy",
  };
  int i386 = c->arch[0] == 'i';
  char *text = NULL;
  size_t size;
  FILE *f = open_memstream (&text, &size);

  if (f == NULL)
    return customize_op_error (c, "%s", strerror (errno)), NULL;
  fprintf (f, "exec >>%s 2>&1\n", log);
  for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; ++i) {
    const char *v = getenv (proxies[i]);

    if (v) {
      fprintf (f, "export %s=", proxies[i]);
      put_quoted (f, v, strlen (v));
      fputc ('\n', f);
    }
  }
  if (i386)
    fprintf (f, "setarch i686 /bin/sh <<'DRYDOCK_EOF'\n%s\nDRYDOCK_EOF\n",
             cmd);
  else
    fprintf (f, "%s\n", cmd);
  return close_text (c, f, &text);
}

/* The last line of the log that says something, made printable, into
 * buf. */
static void
log_tail (struct customize_ctx *c, const char *log, char *buf, size_t len)
{
  int64_t size = drydock_filesize (c->h, log);
  int64_t off = size > TAIL_MAX ? size - TAIL_MAX : 0;
  size_t n = 0, start, end;
  CLEANUP_FREE char *tail = size > 0 ?
    drydock_pread (c->h, log, TAIL_MAX, off, &n) : NULL;

  *buf = '\0';
  if (tail == NULL)
    return;
  end = n;
  while (end > 0 && strchr (" \t\r\n", tail[end - 1]))
    end--;
  start = end;
  while (start > 0 && tail[start - 1] != '\n')
    start--;
  if (end - start >= len)
    start = end - (len - 1);
  for (size_t i = start; i < end; ++i)
    buf[i - start] = tail[i] >= ' ' && tail[i] < 0x7f ? tail[i] : '?';
  buf[end - start] = '\0';
}

/* The whole log on stderr, for -v. */
static void
show_log (struct customize_ctx *c, const char *log)
{
  int64_t size = drydock_filesize (c->h, log);

  for (int64_t off = 0; off < size;) {
    size_t n = 0;
    CLEANUP_FREE char *chunk = drydock_pread (c->h, log, 1 << 20, off, &n);

    if (chunk == NULL || n == 0)
      break;
    fwrite (chunk, 1, n, stderr);
    off += (int64_t) n;
  }
}

/* Runs cmd in the guest; a failure is reported with the last line of
 * its output. */
static int
run_logged (struct customize_ctx *c, const char *cmd)
{
  CLEANUP_FREE char *log = drydock_mktemp (c->h, LOG_TEMPLATE);
  CLEANUP_FREE char *script = NULL, *out = NULL;
  char reason[REASON_MAX];
  int r = 0;

  if (log == NULL)
    return customize_op_lib_error (c);
  script = guest_script (c, log, cmd);
  if (script == NULL)
    return -1;
  if (c->o->tool.verbose)
    fprintf (stderr, "%s: running in the guest:\n%s\n",
             tool_program_name (), script);
  out = drydock_sh (c->h, script);
  if (c->o->tool.verbose)
    show_log (c, log);
  if (out == NULL) {
    const char *e = drydock_last_error (c->h);
    CLEANUP_FREE char *lib = strdup (e ? e : "");
    int net = drydock_get_network (c->h);

    /* The program's own last words say more than the shell's status. */
    log_tail (c, log, reason, sizeof reason);
    r = customize_op_error (c, _("the package manager failed: %s%s"),
                            *reason || lib == NULL ? reason : lib,
                            net == 0 ? _(" (the appliance has no network: "
                                         "--no-network was given)") : "");
  }
  if (drydock_rm_f (c->h, log) == -1 && r == 0)
    return customize_op_lib_error (c);
  return r;
}

static int
run_manager (struct customize_ctx *c, const char *words)
{
  CLEANUP_FREE char *cmd = package_command (c, words);

  return cmd ? run_logged (c, cmd) : -1;
}

int
customize_install (struct customize_ctx *c)
{
  return run_manager (c, guest_manager (c)->install);
}

int
customize_uninstall (struct customize_ctx *c)
{
  return run_manager (c, guest_manager (c)->uninstall);
}

int
customize_update (struct customize_ctx *c)
{
  return run_manager (c, guest_manager (c)->update);
}
