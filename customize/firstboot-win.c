/* The firstboot operations of drydock customize in Windows guests:
 * --firstboot (a batch file, or a PowerShell script named *.ps1) and
 * --firstboot-command, and the scripts the driver operations add
 * (virtio-win.c).  Each is a script that a runner, itself a batch file,
 * runs once at the guest's next boot.  Windows runs the runner as one
 * of the startup scripts of its local Group Policy (gpo.c): as SYSTEM,
 * at every boot, before anyone can log on, with no program but the
 * guest's own, which a service could not do (cmd.exe is no service
 * program), nor the RunOnce key (it waits for an administrator to log
 * on), nor SetupComplete.cmd (only after Windows Setup).  A runner
 * that moves each script away before running it cannot run one twice;
 * after the first boot it finds nothing to do.
 *
 * In the guest, on the system drive (the Windows root filesystem):
 *   \drydock-firstboot\firstboot.cmd          the runner
 *   \drydock-firstboot\scripts\NNNN-NAME.cmd  waiting, run in order
 *   \drydock-firstboot\scripts-done\          moved here, then run
 *   \drydock-firstboot\log.txt                their output
 *   \drydock-firstboot\files\                 what scripts install */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanups.h"
#include "customize.h"

#define FB_DIR "/drydock-firstboot"
#define FB_WIN "drydock-firstboot"
#define NAME_MAX_LEN 60
#define SCRIPTS_MAX 9999

static const char runner[] =
  "@echo off\n"
  "rem Written by drydock customize.  The local Group Policy runs this at\n"
  "rem every boot, as SYSTEM, before anyone logs on.  Each script of\n"
  "rem scripts\\ runs once, in the order of the names: it is moved to\n"
  "rem scripts-done\\ first, so one that restarts Windows does not run\n"
  "rem again.  *.ps1 run with PowerShell, the others with cmd.  Their\n"
  "rem output goes to log.txt.\n"
  "setlocal EnableExtensions DisableDelayedExpansion\n"
  "set \"dir=%~dp0\"\n"
  "set \"dir=%dir:~0,-1%\"\n"
  "set \"log=%dir%\\log.txt\"\n"
  "if not exist \"%dir%\\scripts-done\\\" mkdir \"%dir%\\scripts-done\"\n"
  "for /f \"delims=\" %%f in ('dir /b /a-d /on \"%dir%\\scripts\" 2^>nul') "
  "do call :run \"%%f\"\n"
  "exit /b 0\n"
  "\n"
  ":run\n"
  "move /y \"%dir%\\scripts\\%~1\" \"%dir%\\scripts-done\\%~1\" >nul 2>&1 "
  "|| exit /b 0\n"
  ">>\"%log%\" echo === %date% %time% running %~1 ===\n"
  "if /i \"%~x1\"==\".ps1\" (\n"
  "  powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass "
  "-File \"%dir%\\scripts-done\\%~1\" <nul >>\"%log%\" 2>&1\n"
  ") else (\n"
  "  cmd.exe /d /c call \"%dir%\\scripts-done\\%~1\" <nul >>\"%log%\" 2>&1\n"
  ")\n"
  ">>\"%log%\" echo === %~1: exit status %errorlevel% ===\n"
  "exit /b 0\n";

#define LIB(call) ((call) == -1 ? customize_op_lib_error (c) : 0)

char *
customize_win_mkdir (struct customize_ctx *c, const char *path)
{
  char *real = strdup ("");
  const char *p = path;

  while (real && *p) {
    size_t n = strcspn (p, "/");
    CLEANUP_FREE char *next = NULL;
    int r;

    if (n == 0) {
      p++;
      continue;
    }
    if (asprintf (&next, "%s/%.*s", real, (int) n, p) == -1) {
      free (real);
      real = NULL;
      break;
    }
    p += n;
    free (real);
    /* The name as the guest writes it, if it is there. */
    real = drydock_case_sensitive_path (c->h, next);
    if (real == NULL || (r = drydock_is_dir (c->h, real)) == -1 ||
        (r == 0 && drydock_mkdir (c->h, real) == -1)) {
      customize_op_lib_error (c);
      free (real);
      return NULL;
    }
  }
  if (real == NULL)
    customize_op_error (c, "%s", strerror (errno));
  return real;
}

int
customize_win_check_firstboot (struct customize_ctx *c)
{
  if (strcmp (c->op->def->name, "firstboot-install") == 0)
    return customize_op_error (c, _("Windows has no package manager "
                                    "drydock knows: run an installer with "
                                    "--firstboot-command (msiexec /i "
                                    "FILE.msi /qn) instead; nothing was "
                                    "changed"));
  return 0;
}

/* The letter of the guest's system drive, from inspection; C when it
 * does not know. */
static int
system_drive (struct customize_ctx *c, char *letter)
{
  CLEANUP_FREE_STRING_LIST char **map =
    drydock_inspect_get_drive_mappings (c->h, c->root);

  *letter = 'C';
  if (map == NULL)
    return customize_op_lib_error (c);
  for (size_t i = 0; map[i] && map[i + 1]; i += 2)
    if (strcmp (map[i + 1], c->root) == 0 && isalpha ((unsigned char) *map[i]))
      *letter = (char) toupper ((unsigned char) *map[i]);
  return 0;
}

/* text with its line ends made CRLF (caller frees); NULL (printed). */
static char *
crlf (struct customize_ctx *c, const char *text, size_t *len)
{
  char *out = malloc (strlen (text) * 2 + 1), *o = out;

  if (out == NULL) {
    customize_op_error (c, "%s", strerror (errno));
    return NULL;
  }
  for (const char *p = text; *p; ++p) {
    if (*p == '\n' && (p == text || p[-1] != '\r'))
      *o++ = '\r';
    *o++ = *p;
  }
  *o = '\0';
  *len = (size_t) (o - out);
  return out;
}

/* The runner, registered as a startup script, once a run. */
static int
install_runner (struct customize_ctx *c)
{
  CLEANUP_FREE char *dir = NULL, *scripts = NULL, *path = NULL;
  CLEANUP_FREE char *text = NULL, *systemroot = NULL, *cmdline = NULL;
  size_t len;
  char drive;

  if (c->firstboot_ready)
    return 0;
  if ((dir = customize_win_mkdir (c, FB_DIR)) == NULL ||
      (scripts = customize_win_mkdir (c, FB_DIR "/scripts")) == NULL ||
      (text = crlf (c, runner, &len)) == NULL)
    return -1;
  if (asprintf (&path, "%s/firstboot.cmd", dir) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if (LIB (drydock_write (c->h, path, text, len)) == -1 ||
      system_drive (c, &drive) == -1)
    return -1;
  systemroot = drydock_inspect_get_windows_systemroot (c->h, c->root);
  if (systemroot == NULL)
    return customize_op_lib_error (c);
  if (asprintf (&cmdline, "%c:\\" FB_WIN "\\firstboot.cmd", drive) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if (customize_gpo_add_startup (c, systemroot, cmdline) == -1 ||
      customize_firstboot_number (c, dir) == -1)
    return -1;
  c->firstboot_ready = 1;
  return 0;
}

/* SCRIPTS\NNNN-NAME.EXT for a new script (caller frees): name with
 * every character but letters, digits and '_' made a '-', cut at 60.
 * NULL (printed). */
static char *
script_path (struct customize_ctx *c, const char *name, const char *ext)
{
  CLEANUP_FREE char *scripts = NULL;
  char clean[NAME_MAX_LEN + 1];
  char *path;
  size_t i;

  if (install_runner (c) == -1 ||
      (scripts = customize_win_mkdir (c, FB_DIR "/scripts")) == NULL)
    return NULL;
  if (c->firstboot_next > SCRIPTS_MAX) {
    customize_op_error (c, _("the guest already has %d firstboot scripts "
                             "waiting"), SCRIPTS_MAX);
    return NULL;
  }
  for (i = 0; name[i] && i < NAME_MAX_LEN; ++i)
    clean[i] = (isascii (name[i]) && isalnum ((unsigned char) name[i])) ||
      name[i] == '_' ? name[i] : '-';
  clean[i] = '\0';
  if (asprintf (&path, "%s/%04d-%s%s", scripts, c->firstboot_next, clean,
                ext) == -1) {
    customize_op_error (c, "%s", strerror (errno));
    return NULL;
  }
  c->firstboot_next++;
  return path;
}

int
customize_win_firstboot_script (struct customize_ctx *c, const char *name,
                                const char *body)
{
  CLEANUP_FREE char *path = script_path (c, name, ".cmd"), *text = NULL;
  size_t len;

  if (path == NULL || (text = crlf (c, body, &len)) == NULL)
    return -1;
  return LIB (drydock_write (c->h, path, text, len));
}

char *
customize_win_files_dir (struct customize_ctx *c)
{
  return customize_win_mkdir (c, FB_DIR "/files");
}

int
customize_win_firstboot (struct customize_ctx *c)
{
  const char *base = strrchr (c->op->arg, '/');
  size_t n;
  int ps1;
  CLEANUP_FREE char *path = NULL;

  base = base ? base + 1 : c->op->arg;
  n = strlen (base);
  ps1 = n > 4 && strcasecmp (base + n - 4, ".ps1") == 0;
  path = script_path (c, base, ps1 ? ".ps1" : ".cmd");
  if (path == NULL)
    return -1;
  return LIB (drydock_upload (c->h, c->op->arg, path));
}

int
customize_win_firstboot_command (struct customize_ctx *c)
{
  CLEANUP_FREE char *body = NULL;

  if (asprintf (&body, "%s\n", c->op->arg) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  return customize_win_firstboot_script (c, c->op->arg, body);
}
