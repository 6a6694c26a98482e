/* drydock win-reg: which hive file a registry path is in, and the one
 * hive the appliance has open at a time.  The hive files are found by
 * their names in any case (case_sensitive_path), under the %SystemRoot%
 * inspection found; a user's from the SOFTWARE hive's ProfileList. */

#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanups.h"
#include "winreg.h"

void
winreg_debug (const struct winreg_ctx *c, const char *fs, ...)
{
  va_list args;

  if (!c->debug)
    return;
  fprintf (stderr, "%s: ", tool_program_name ());
  va_start (args, fs);
  vfprintf (stderr, fs, args);
  va_end (args);
  fputc ('\n', stderr);
}

void
winreg_target_free (struct winreg_target *t)
{
  free (t->file);
  free (t->prefix);
  free (t->path);
  memset (t, 0, sizeof *t);
}

int
winreg_commit (struct winreg_ctx *c)
{
  if (c->hive == NULL || !c->dirty)
    return 0;
  winreg_debug (c, "committing %s", c->hive);
  if (drydock_hivex_commit (c->h, NULL) == -1)
    return tool_lib_error (c->h);
  c->dirty = 0;
  return 0;
}

int
winreg_use_hive (struct winreg_ctx *c, const char *file)
{
  if (c->hive && strcmp (c->hive, file) == 0)
    return 0;
  if (winreg_commit (c) == -1)
    return -1;
  free (c->hive);
  c->hive = NULL;
  winreg_debug (c, "opening %s", file);
  if (drydock_hivex_open_opts (c->h, file, DRYDOCK_HIVEX_OPEN_OPTS_WRITE,
                               c->write, -1) == -1)
    return tool_lib_error (c->h);
  c->hive_root = drydock_hivex_root (c->h);
  if (c->hive_root == -1)
    return tool_lib_error (c->h);
  c->hive = strdup (file);
  if (c->hive == NULL)
    return tool_error ("%s", _("out of memory"));
  return 0;
}

int64_t
winreg_lookup (struct winreg_ctx *c, const char *path, char **canonical)
{
  CLEANUP_FREE char *canon = strdup ("");
  int64_t node = c->hive_root;
  const char *p = path;

  if (canonical)
    *canonical = NULL;
  if (canon == NULL)
    return tool_error ("%s", _("out of memory"));
  while (*p) {
    size_t n = strcspn (p, "\\");
    CLEANUP_FREE char *name = strndup (p, n);
    CLEANUP_FREE char *real = NULL;
    char *next;

    p += n + (p[n] == '\\');
    if (name == NULL)
      return tool_error ("%s", _("out of memory"));
    if (n == 0)                 /* "\A", "A\\B", "A\": no empty names */
      continue;
    node = drydock_hivex_node_get_child (c->h, node, name);
    if (node <= 0)
      return node == 0 ? 0 : tool_lib_error (c->h);
    if (canonical == NULL)
      continue;
    real = drydock_hivex_node_name (c->h, node);
    if (real == NULL)
      return tool_lib_error (c->h);
    if (asprintf (&next, "%s\\%s", canon, real) == -1)
      return tool_error ("%s", _("out of memory"));
    free (canon);
    canon = next;
  }
  if (canonical)
    *canonical = strdup (*canon ? canon : "\\");
  if (canonical && *canonical == NULL)
    return tool_error ("%s", _("out of memory"));
  return node;
}

/* The guest path of path (from /, in any case) as written on the disk,
 * if it is there (a regular file, or a directory with dir set).  NULL
 * with nothing printed when it is not; *err set on an error (printed). */
static char *
find_file (struct winreg_ctx *c, const char *path, int dir, int *err)
{
  char *real = drydock_case_sensitive_path (c->h, path);
  int r;

  /* A component on the way that is missing is an error here; for us,
   * the file is not there. */
  if (real == NULL)
    return NULL;
  r = dir ? drydock_is_dir (c->h, real) : drydock_is_file (c->h, real);
  if (r == -1) {
    *err = tool_lib_error (c->h);
    free (real);
    return NULL;
  }
  if (r == 0) {
    free (real);
    return NULL;
  }
  return real;
}

/* The hive of %SystemRoot%\System32\config\NAME. */
static int
config_hive (struct winreg_ctx *c, const char *regpath, const char *name,
             char **file)
{
  CLEANUP_FREE char *path = NULL;
  int err = 0;

  if (asprintf (&path, "%s/System32/config/%s", c->systemroot, name) == -1)
    return tool_error ("%s", _("out of memory"));
  *file = find_file (c, path, 0, &err);
  if (*file == NULL && err == 0)
    return tool_error (_("'%s': the guest has no hive file %s"), regpath,
                       path);
  return *file ? 0 : -1;
}

/* %SystemRoot%, %SystemDrive% and "C:" of a Windows path made into a
 * guest path, as virt-win-reg does ("%SystemDrive%\Users\a" is
 * "/Users/a").  NULL when out of memory.  Caller frees. */
static char *
guest_path_of (const struct winreg_ctx *c, const char *win)
{
  size_t n = strlen (win) + strlen (c->systemroot) + 1;
  char *out = malloc (n), *o = out;

  if (out == NULL)
    return NULL;
  while (*win) {
    if (strncasecmp (win, "%systemroot%", 12) == 0) {
      strcpy (o, c->systemroot);
      o += strlen (o);
      win += 12;
    }
    else if (strncasecmp (win, "%systemdrive%", 13) == 0)
      win += 13;
    else if (o == out && strncasecmp (win, "c:", 2) == 0)
      win += 2;
    else {
      *o++ = *win == '\\' ? '/' : *win;
      win++;
    }
  }
  *o = '\0';
  return out;
}

/* A user's NTUSER.DAT, from ProfileImagePath of the SID's key of
 * ProfileList in the SOFTWARE hive. */
static int
user_hive (struct winreg_ctx *c, const char *regpath, const char *sid,
           char **file)
{
  CLEANUP_FREE char *software = NULL, *key = NULL, *pip = NULL;
  CLEANUP_FREE char *dir = NULL, *path = NULL;
  int64_t node, value;
  int err = 0;

  if (config_hive (c, regpath, "software", &software) == -1 ||
      winreg_use_hive (c, software) == -1)
    return -1;
  if (asprintf (&key, "\\Microsoft\\Windows NT\\CurrentVersion\\"
                "ProfileList\\%s", sid) == -1)
    return tool_error ("%s", _("out of memory"));
  node = winreg_lookup (c, key, NULL);
  if (node == -1)
    return -1;
  value = node ? drydock_hivex_node_get_value (c->h, node,
                                               "ProfileImagePath") : 0;
  if (value == -1)
    return tool_lib_error (c->h);
  if (value == 0)
    return tool_error (_("'%s': the SOFTWARE hive has no profile of the "
                         "user %s (ProfileList)"), regpath, sid);
  pip = drydock_hivex_value_string (c->h, value);
  if (pip == NULL)
    return tool_lib_error (c->h);
  dir = guest_path_of (c, pip);
  if (dir == NULL || asprintf (&path, "%s/ntuser.dat", dir) == -1)
    return tool_error ("%s", _("out of memory"));
  *file = find_file (c, path, 0, &err);
  if (*file == NULL && err == 0)
    return tool_error (_("'%s': the guest has no hive file %s (the "
                         "profile of %s)"), regpath, path, sid);
  return *file ? 0 : -1;
}

/* HKU\NAME of a local user: the profile directory of that name. */
static int
named_user_hive (struct winreg_ctx *c, const char *regpath, const char *name,
                 char **file)
{
  static const char *const homes[] = { "/Users", "/Documents and Settings" };
  int err = 0;

  for (size_t i = 0; i < 2; ++i) {
    CLEANUP_FREE char *dir = NULL, *found = NULL, *path = NULL;

    if (asprintf (&dir, "%s/%s", homes[i], name) == -1)
      return tool_error ("%s", _("out of memory"));
    found = find_file (c, dir, 1, &err);
    if (err)
      return -1;
    if (found == NULL)
      continue;
    if (asprintf (&path, "%s/ntuser.dat", found) == -1)
      return tool_error ("%s", _("out of memory"));
    *file = find_file (c, path, 0, &err);
    if (*file)
      return 0;
    if (err == 0)
      tool_error (_("'%s': the guest has no hive file %s"), regpath, path);
    return -1;
  }
  return tool_error (_("'%s': no such user (no /Users/%s)"), regpath, name);
}

/* The boot configuration: \Boot\BCD on BIOS systems, the EFI one. */
static int
bcd_hive (struct winreg_ctx *c, const char *regpath, char **file)
{
  static const char *const places[] = { "/Boot/BCD", "/EFI/Microsoft/Boot/BCD" };
  int err = 0;

  for (size_t i = 0; i < 2; ++i) {
    *file = find_file (c, places[i], 0, &err);
    if (*file || err)
      return *file ? 0 : -1;
  }
  return tool_error (_("'%s': the guest has no BCD hive (%s or %s)"), regpath,
                     places[0], places[1]);
}

/* The well-known SIDs virt-win-reg also takes by name. */
static const char *
sid_of_name (const char *name)
{
  if (strcasecmp (name, "LocalSystem") == 0)
    return "S-1-5-18";
  if (strcasecmp (name, "LocalService") == 0)
    return "S-1-5-19";
  if (strcasecmp (name, "NetworkService") == 0)
    return "S-1-5-20";
  return NULL;
}

static int
is_sid (const char *s)
{
  if (strncasecmp (s, "S-1-5-", 6) != 0 || s[6] == '\0')
    return 0;
  return strspn (s + 6, "0123456789-") == strlen (s + 6);
}

/* The hive under HKEY_USERS; *prefix is set. */
static int
users_hive (struct winreg_ctx *c, const char *regpath, const char *name,
            char **file, char **prefix)
{
  const char *sid = sid_of_name (name);

  if (strcasecmp (name, ".DEFAULT") == 0) {
    *prefix = strdup ("HKEY_USERS\\.DEFAULT");
    return *prefix ? config_hive (c, regpath, "default", file)
      : tool_error ("%s", _("out of memory"));
  }
  if (sid == NULL && is_sid (name))
    sid = name;
  if (asprintf (prefix, "HKEY_USERS\\%s", sid ? sid : name) == -1) {
    *prefix = NULL;
    return tool_error ("%s", _("out of memory"));
  }
  if (sid)
    return user_hive (c, regpath, sid, file);
  return named_user_hive (c, regpath, name, file);
}

/* The hive under HKEY_LOCAL_MACHINE; *prefix is set. */
static int
machine_hive (struct winreg_ctx *c, const char *regpath, const char *name,
              char **file, char **prefix)
{
  static const char *const hives[] = { "SAM", "SECURITY", "SOFTWARE",
                                       "SYSTEM" };

  if (strcasecmp (name, "BCD") == 0 || strcasecmp (name, "BCD00000000") == 0) {
    *prefix = strdup ("HKEY_LOCAL_MACHINE\\BCD");
    return *prefix ? bcd_hive (c, regpath, file)
      : tool_error ("%s", _("out of memory"));
  }
  for (size_t i = 0; i < 4; ++i)
    if (strcasecmp (name, hives[i]) == 0) {
      CLEANUP_FREE char *lower = strdup (hives[i]);

      if (lower == NULL ||
          asprintf (prefix, "HKEY_LOCAL_MACHINE\\%s", hives[i]) == -1) {
        *prefix = NULL;
        return tool_error ("%s", _("out of memory"));
      }
      for (char *p = lower; *p; ++p)
        *p = (char) (*p | 0x20);
      return config_hive (c, regpath, lower, file);
    }
  return -2;
}

/* In HKLM\SYSTEM, CurrentControlSet first is the control set Windows
 * boots with (Select\Current).  *rest is replaced. */
static int
current_control_set (struct winreg_ctx *c, char **rest)
{
  const char *p = *rest + (**rest == '\\');
  size_t n = strcspn (p, "\\");
  CLEANUP_FREE char *set = NULL;
  char *path;

  if (n != strlen ("CurrentControlSet") ||
      strncasecmp (p, "CurrentControlSet", n) != 0)
    return 0;
  set = drydock_inspect_get_windows_current_control_set (c->h, c->root);
  if (set == NULL)
    return tool_lib_error (c->h);
  if (asprintf (&path, "\\%s%s", set, p + n) == -1)
    return tool_error ("%s", _("out of memory"));
  free (*rest);
  *rest = path;
  return 0;
}

int
winreg_map_path (struct winreg_ctx *c, const char *regpath,
                 struct winreg_target *t)
{
  const char *p = regpath + (regpath[0] == '\\');
  size_t n1 = strcspn (p, "\\"), n2;
  CLEANUP_FREE char *top = strndup (p, n1), *name = NULL;
  int r = -2;

  memset (t, 0, sizeof *t);
  if (top == NULL)
    return tool_error ("%s", _("out of memory"));
  p += n1;
  if (*p == '\\') {
    p++;
    n2 = strcspn (p, "\\");
    name = strndup (p, n2);
    if (name == NULL)
      return tool_error ("%s", _("out of memory"));
    p += n2;
    t->path = strdup (*p ? p : "\\");
    if (t->path == NULL)
      return tool_error ("%s", _("out of memory"));
  }
  if (name && *name &&
      (strcasecmp (top, "HKEY_LOCAL_MACHINE") == 0 ||
       strcasecmp (top, "HKLM") == 0)) {
    r = machine_hive (c, regpath, name, &t->file, &t->prefix);
    if (r == 0 && strcasecmp (name, "SYSTEM") == 0)
      r = current_control_set (c, &t->path);
  }
  else if (name && *name &&
           (strcasecmp (top, "HKEY_USERS") == 0 || strcasecmp (top, "HKU") == 0))
    r = users_hive (c, regpath, name, &t->file, &t->prefix);
  if (r == -2)
    return tool_error (_("'%s': not a registry path drydock win-reg knows "
                         "(HKLM\\SAM, HKLM\\SECURITY, HKLM\\SOFTWARE, "
                         "HKLM\\SYSTEM, HKLM\\BCD, HKU\\.DEFAULT, HKU\\SID, "
                         "HKU\\USER)"), regpath);
  return r;
}
