/* SPDX-License-Identifier: GPL-2.0-or-later */
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

/* Runs the package manager's commands in the guest, their output in
 * the log of guest commands; a 32-bit x86 guest is told so (its
 * package manager picks packages by uname). */
static int
run_manager (struct customize_ctx *c, const char *words)
{
  CLEANUP_FREE char *cmd = package_command (c, words), *wrapped = NULL;
  const char *hint = drydock_get_network (c->h) == 0 ?
    _(" (the appliance has no network: --no-network was given)") : "";

  if (cmd == NULL)
    return -1;
  if (c->arch[0] == 'i' &&
      asprintf (&wrapped, "setarch i686 /bin/sh <<'DRYDOCK_EOF'\n%s\n"
                "DRYDOCK_EOF", cmd) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  return customize_run_in_guest_as (c, wrapped ? wrapped : cmd,
                                    _("the package manager"), hint);
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
