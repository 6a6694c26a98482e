/* drydock win-reg: which hive file a registry path is in, the one hive
 * the appliance has open at a time, and the library's messages.  The
 * hive files are found by their names in any case
 * (case_sensitive_path), under the %SystemRoot% inspection found; a
 * user's from the SOFTWARE hive's ProfileList. */

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

/* Who prints the messages, when not tool_error. */
static void (*printer) (const char *msg, void *opaque);
static void *printer_opaque;

void
winreg_set_printer (void (*p) (const char *msg, void *opaque), void *opaque)
{
  printer = p;
  printer_opaque = opaque;
}

int
winreg_error (const char *fs, ...)
{
  va_list args;
  char *msg = NULL;
  int r;

  va_start (args, fs);
  r = vasprintf (&msg, fs, args);
  va_end (args);
  if (printer)
    printer (r == -1 ? _("out of memory") : msg, printer_opaque);
  else
    tool_error ("%s", r == -1 ? _("out of memory") : msg);
  if (r != -1)
    free (msg);
  return -1;
}

int
winreg_lib_error (drydock_h *h)
{
  const char *e = drydock_last_error (h);

  return winreg_error ("%s", e ? e : _("unknown error"));
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
    return winreg_lib_error (c->h);
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
    return winreg_lib_error (c->h);
  c->hive_root = drydock_hivex_root (c->h);
  if (c->hive_root == -1)
    return winreg_lib_error (c->h);
  c->hive = strdup (file);
  if (c->hive == NULL)
    return winreg_error ("%s", _("out of memory"));
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
    return winreg_error ("%s", _("out of memory"));
  while (*p) {
    size_t n = strcspn (p, "\\");
    CLEANUP_FREE char *name = strndup (p, n);
    CLEANUP_FREE char *real = NULL;
    char *next;

    p += n + (p[n] == '\\');
    if (name == NULL)
      return winreg_error ("%s", _("out of memory"));
    if (n == 0)                 /* "\A", "A\\B", "A\": no empty names */
      continue;
    node = drydock_hivex_node_get_child (c->h, node, name);
    if (node <= 0)
      return node == 0 ? 0 : winreg_lib_error (c->h);
    if (canonical == NULL)
      continue;
    real = drydock_hivex_node_name (c->h, node);
    if (real == NULL)
      return winreg_lib_error (c->h);
    if (asprintf (&next, "%s\\%s", canon, real) == -1)
      return winreg_error ("%s", _("out of memory"));
    free (canon);
    canon = next;
  }
  if (canonical)
    *canonical = strdup (*canon ? canon : "\\");
  if (canonical && *canonical == NULL)
    return winreg_error ("%s", _("out of memory"));
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
    *err = winreg_lib_error (c->h);
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
    return winreg_error ("%s", _("out of memory"));
  *file = find_file (c, path, 0, &err);
  if (*file == NULL && err == 0)
    return winreg_error (_("'%s': the guest has no hive file %s"), regpath,
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
    return winreg_error ("%s", _("out of memory"));
  node = winreg_lookup (c, key, NULL);
  if (node == -1)
    return -1;
  value = node ? drydock_hivex_node_get_value (c->h, node,
                                               "ProfileImagePath") : 0;
  if (value == -1)
    return winreg_lib_error (c->h);
  if (value == 0)
    return winreg_error (_("'%s': the SOFTWARE hive has no profile of the "
                         "user %s (ProfileList)"), regpath, sid);
  pip = drydock_hivex_value_string (c->h, value);
  if (pip == NULL)
    return winreg_lib_error (c->h);
  dir = guest_path_of (c, pip);
  if (dir == NULL || asprintf (&path, "%s/ntuser.dat", dir) == -1)
    return winreg_error ("%s", _("out of memory"));
  *file = find_file (c, path, 0, &err);
  if (*file == NULL && err == 0)
    return winreg_error (_("'%s': the guest has no hive file %s (the "
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
      return winreg_error ("%s", _("out of memory"));
    found = find_file (c, dir, 1, &err);
    if (err)
      return -1;
    if (found == NULL)
      continue;
    if (asprintf (&path, "%s/ntuser.dat", found) == -1)
      return winreg_error ("%s", _("out of memory"));
    *file = find_file (c, path, 0, &err);
    if (*file)
      return 0;
    if (err == 0)
      winreg_error (_("'%s': the guest has no hive file %s"), regpath, path);
    return -1;
  }
  return winreg_error (_("'%s': no such user (no /Users/%s)"), regpath, name);
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
  return winreg_error (_("'%s': the guest has no BCD hive (%s or %s)"), regpath,
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
      : winreg_error ("%s", _("out of memory"));
  }
  if (sid == NULL && is_sid (name))
    sid = name;
  if (asprintf (prefix, "HKEY_USERS\\%s", sid ? sid : name) == -1) {
    *prefix = NULL;
    return winreg_error ("%s", _("out of memory"));
  }
  if (sid)
    return user_hive (c, regpath, sid, file);
  return named_user_hive (c, regpath, name, file);
}

/* The name of a hive under HKEY_LOCAL_MACHINE as the prefixes write
 * it, or NULL when name is none. */
static const char *
machine_hive_name (const char *name)
{
  static const char *const hives[] = { "SAM", "SECURITY", "SOFTWARE",
                                       "SYSTEM", "BCD" };

  if (strcasecmp (name, "BCD00000000") == 0)
    return "BCD";
  for (size_t i = 0; i < sizeof hives / sizeof hives[0]; ++i)
    if (strcasecmp (name, hives[i]) == 0)
      return hives[i];
  return NULL;
}

/* The hive under HKEY_LOCAL_MACHINE; *prefix is set. */
static int
machine_hive (struct winreg_ctx *c, const char *regpath, const char *name,
              char **file, char **prefix)
{
  const char *hive = machine_hive_name (name);
  CLEANUP_FREE char *lower = NULL;

  if (hive == NULL)             /* winreg_check_root said it is one */
    return winreg_error (_("'%s': no such hive"), regpath);
  if (asprintf (prefix, "HKEY_LOCAL_MACHINE\\%s", hive) == -1) {
    *prefix = NULL;
    return winreg_error ("%s", _("out of memory"));
  }
  if (strcmp (hive, "BCD") == 0)
    return bcd_hive (c, regpath, file);
  lower = strdup (hive);
  if (lower == NULL)
    return winreg_error ("%s", _("out of memory"));
  for (char *p = lower; *p; ++p)
    *p = (char) (*p | 0x20);
  return config_hive (c, regpath, lower, file);
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
    return winreg_lib_error (c->h);
  if (asprintf (&path, "\\%s%s", set, p + n) == -1)
    return winreg_error ("%s", _("out of memory"));
  free (*rest);
  *rest = path;
  return 0;
}

/* The root key of regpath, "HKLM" or "HKU", and the name under it:
 * pointers into regpath and their lengths (0 when missing). */
static int
root_of (const char *regpath, size_t *ntop, const char **name, size_t *nname)
{
  const char *p = regpath + (regpath[0] == '\\');
  int machine, users;

  *ntop = strcspn (p, "\\");
  machine = (*ntop == 4 && strncasecmp (p, "HKLM", 4) == 0) ||
    (*ntop == 18 && strncasecmp (p, "HKEY_LOCAL_MACHINE", 18) == 0);
  users = (*ntop == 3 && strncasecmp (p, "HKU", 3) == 0) ||
    (*ntop == 10 && strncasecmp (p, "HKEY_USERS", 10) == 0);
  *name = p + *ntop + (p[*ntop] == '\\');
  *nname = p[*ntop] == '\\' ? strcspn (*name, "\\") : 0;
  return machine ? 'M' : users ? 'U' : 0;
}

int
winreg_known_root (const char *regpath)
{
  const char *name;
  size_t ntop, nname;
  char hive[16];
  int root = root_of (regpath, &ntop, &name, &nname);

  if (root == 'U')
    return nname > 0;
  if (root != 'M' || nname == 0 || nname >= sizeof hive)
    return 0;
  memcpy (hive, name, nname);
  hive[nname] = '\0';
  return machine_hive_name (hive) != NULL;
}

int
winreg_unknown_root (const char *regpath)
{
  return winreg_error (_("'%s': not a registry path drydock knows "
                       "(HKLM\\SAM, HKLM\\SECURITY, HKLM\\SOFTWARE, "
                       "HKLM\\SYSTEM, HKLM\\BCD, HKU\\.DEFAULT, HKU\\SID, "
                       "HKU\\USER)"), regpath);
}

int
winreg_map_path (struct winreg_ctx *c, const char *regpath,
                 struct winreg_target *t)
{
  const char *p;
  size_t ntop, nname;
  int root = root_of (regpath, &ntop, &p, &nname), r;
  CLEANUP_FREE char *name = NULL;

  memset (t, 0, sizeof *t);
  if (!winreg_known_root (regpath))
    return winreg_unknown_root (regpath);
  name = strndup (p, nname);
  t->path = strdup (p[nname] ? p + nname : "\\");
  if (name == NULL || t->path == NULL)
    return winreg_error ("%s", _("out of memory"));
  if (root == 'U')
    return users_hive (c, regpath, name, &t->file, &t->prefix);
  r = machine_hive (c, regpath, name, &t->file, &t->prefix);
  if (r == 0 && strcasecmp (name, "SYSTEM") == 0)
    r = current_control_set (c, &t->path);
  return r;
}
