/* The user-account operation of drydock sysprep: the accounts whose
 * uid is between login.defs' UID_MIN and UID_MAX (the ordinary users)
 * go, as --remove-user-accounts and --keep-user-accounts choose, with
 * their lines in /etc/passwd, /etc/shadow, their group of the same name
 * in /etc/group, their mail and their home.  The three files are
 * edited as text on the host side (an Augeas session costs seconds to
 * start), every other line left as it was, and written back with their
 * mode and owner. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "sysprep.h"

/* shadow-utils' defaults, for a guest whose login.defs does not say. */
#define DEFAULT_UID_MIN 1000
#define DEFAULT_UID_MAX 60000

/* The accounts a run removes. */
struct victim {
  char *name;
  char *home;
};

/* The content of a guest file, or NULL (and *missing set) when it is
 * not there; NULL with *missing clear is an error (printed). */
static char *
read_guest (struct sysprep_ctx *c, const char *path, int *missing)
{
  size_t size;
  char *content;
  int r = drydock_is_file_opts (c->h, path, DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS,
                                1, -1);

  *missing = r == 0;
  if (r != 1) {
    if (r == -1)
      sysprep_lib_error (c);
    return NULL;
  }
  content = drydock_read_file (c->h, path, &size);
  if (content == NULL)
    sysprep_lib_error (c);
  else if (strlen (content) != size) {
    free (content);
    sysprep_error (c, _("%s holds a NUL byte"), path);
    return NULL;
  }
  return content;
}

/* The number after key on a line of login.defs ("UID_MIN  1000"), or
 * def. */
static long
login_defs_value (const char *defs, const char *key, long def)
{
  size_t klen = strlen (key);

  while (defs && *defs) {
    const char *l = defs + strspn (defs, " \t");
    char *end;
    long v;

    defs = strchr (defs, '\n');
    defs = defs ? defs + 1 : NULL;
    if (strncmp (l, key, klen) != 0 || (l[klen] != ' ' && l[klen] != '\t'))
      continue;
    v = strtol (l + klen, &end, 10);
    if (end != l + klen && (*end == '\0' || isspace ((unsigned char) *end)))
      return v;
  }
  return def;
}

static int
in_list (const struct strlist *l, const char *name)
{
  for (size_t i = 0; i < l->len; ++i)
    if (strcmp (l->v[i], name) == 0)
      return 1;
  return 0;
}

/* As virt-sysprep: a user kept by name stays; else, without
 * --remove-user-accounts every user goes, with it the ones it names. */
static int
goes (const struct sysprep_opts *o, const char *name)
{
  if (in_list (&o->keep_users, name))
    return 0;
  return o->remove_users.len == 0 || in_list (&o->remove_users, name);
}

/* Field n (0 first) of a colon-separated line, into buf. */
static const char *
field (const char *line, size_t len, int n, char *buf, size_t bufsize)
{
  const char *p = line, *end = line + len, *colon;

  for (; n > 0; --n) {
    colon = memchr (p, ':', end - p);
    if (colon == NULL)
      return NULL;
    p = colon + 1;
  }
  colon = memchr (p, ':', end - p);
  len = (colon ? colon : end) - p;
  if (len >= bufsize)
    return NULL;
  memcpy (buf, p, len);
  buf[len] = '\0';
  return buf;
}

/* The victims among the lines of /etc/passwd, added to v (n of them). */
static int
find_victims (struct sysprep_ctx *c, const char *passwd, long uid_min,
              long uid_max, struct victim **v, size_t *n)
{
  for (const char *l = passwd; *l; ) {
    size_t len = strcspn (l, "\n");
    char name[256], uid_s[32], home[4096];
    char *end;
    long uid;

    if (field (l, len, 0, name, sizeof name) &&
        field (l, len, 2, uid_s, sizeof uid_s) &&
        (uid = strtol (uid_s, &end, 10), end != uid_s && *end == '\0') &&
        uid >= uid_min && uid <= uid_max && goes (c->o, name)) {
      struct victim *nv = realloc (*v, (*n + 1) * sizeof *nv);

      if (nv == NULL)
        return sysprep_error (c, "%s", strerror (errno));
      *v = nv;
      nv[*n].name = strdup (name);
      nv[*n].home = field (l, len, 5, home, sizeof home) ? strdup (home) :
        NULL;
      if (nv[(*n)++].name == NULL)
        return sysprep_error (c, "%s", strerror (errno));
    }
    l += len + (l[len] == '\n');
  }
  return 0;
}

/* Writes path back without the lines whose first field is a victim's
 * name; unchanged files are not written. */
static int
drop_lines (struct sysprep_ctx *c, const char *path,
            const struct victim *v, size_t n)
{
  int missing;
  CLEANUP_FREE char *content = read_guest (c, path, &missing), *out = NULL;
  size_t len = 0;

  if (content == NULL)
    return missing ? 0 : -1;
  out = malloc (strlen (content) + 1);
  if (out == NULL)
    return sysprep_error (c, "%s", strerror (errno));
  for (const char *l = content; *l; ) {
    size_t eol = strcspn (l, "\n"), llen = eol + (l[eol] == '\n');
    size_t nlen = strcspn (l, ":\n");
    int drop = 0;

    for (size_t i = 0; i < n && l[nlen] == ':'; ++i)
      drop |= strlen (v[i].name) == nlen &&
        strncmp (l, v[i].name, nlen) == 0;
    if (!drop) {
      memcpy (out + len, l, llen);
      len += llen;
    }
    l += llen;
  }
  if (len == strlen (content))
    return 0;
  return drydock_write (c->h, path, out, len) == -1 ?
    sysprep_lib_error (c) : 0;
}

/* A home that names a directory other than / without "." or ".."
 * components: rm_rf of "/home/.." would take the whole guest. */
static int
safe_home (const char *home)
{
  if (home == NULL || home[0] != '/')
    return 0;
  for (const char *p = home; *p; ) {
    size_t len;

    while (*p == '/')
      p++;
    len = strcspn (p, "/");
    if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
      return 0;
    if (len > 0)
      return 1;
    p += len;
  }
  return 0;
}

static int
remove_accounts (struct sysprep_ctx *c, const struct victim *v, size_t n)
{
  if (drop_lines (c, "/etc/passwd", v, n) == -1 ||
      drop_lines (c, "/etc/shadow", v, n) == -1 ||
      drop_lines (c, "/etc/group", v, n) == -1)
    return -1;
  for (size_t i = 0; i < n; ++i) {
    CLEANUP_FREE char *mail = NULL;

    if (asprintf (&mail, "/var/spool/mail/%s", v[i].name) == -1)
      return sysprep_error (c, "%s", strerror (errno));
    /* A name from the guest may hold a "/": the path stays in the guest
     * whatever it says, but only a plain name is a mailbox. */
    if (strchr (v[i].name, '/') == NULL && drydock_rm_rf (c->h, mail) == -1)
      return sysprep_lib_error (c);
    if (!safe_home (v[i].home))
      sysprep_warning (c, _("%s: the home directory '%s' is left as it is"),
                       v[i].name, v[i].home ? v[i].home : "");
    else if (drydock_rm_rf (c->h, v[i].home) == -1)
      return sysprep_lib_error (c);
  }
  return 0;
}

int
sysprep_user_account (struct sysprep_ctx *c)
{
  int missing, r;
  CLEANUP_FREE char *defs = NULL, *passwd = NULL;
  struct victim *v = NULL;
  size_t n = 0;
  long uid_min, uid_max;

  if (sysprep_is_windows (c))
    return 0;
  defs = read_guest (c, "/etc/login.defs", &missing);
  if (defs == NULL && !missing)
    return -1;
  uid_min = login_defs_value (defs, "UID_MIN", DEFAULT_UID_MIN);
  uid_max = login_defs_value (defs, "UID_MAX", DEFAULT_UID_MAX);
  passwd = read_guest (c, "/etc/passwd", &missing);
  if (passwd == NULL)
    return missing ? 0 : -1;
  r = find_victims (c, passwd, uid_min, uid_max, &v, &n);
  if (r == 0 && n > 0)
    r = remove_accounts (c, v, n);
  for (size_t i = 0; i < n; ++i) {
    free (v[i].name);
    free (v[i].home);
  }
  free (v);
  return r;
}
