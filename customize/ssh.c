/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --ssh-inject USER[:SELECTOR] of drydock customize, with
 * virt-customize's selectors: none (the host user's default public
 * key: the newest ~/.ssh/id*.pub that is not a -cert.pub, as
 * ssh-copy-id picks it), file:FILENAME, string:KEY.  The key is read
 * when the command line is read; in the guest it is appended to
 * ~USER/.ssh/authorized_keys unless a line already holds it, the
 * directory (0700) and the file (0600) created when missing and given
 * to the user's UID and GID of the guest's /etc/passwd. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanups.h"
#include "customize.h"

/* A key file larger than this is not one. */
#define MAX_KEY (1024 * 1024)

/* ---- the key, on the host ---- */

/* The content of a key file into op->secret. */
static int
read_key (struct customize_op *op, const char *file)
{
  CLEANUP_FCLOSE FILE *fp = fopen (file, "re");
  char *key;
  size_t n;

  if (fp == NULL)
    return customize_arg_error (op, "'%s': %s", file, strerror (errno));
  key = malloc (MAX_KEY + 1);
  if (key == NULL)
    return customize_arg_error (op, "%s", strerror (errno));
  n = fread (key, 1, MAX_KEY + 1, fp);
  if (ferror (fp) || n > MAX_KEY || n == 0 || memchr (key, '\0', n)) {
    int err = errno;

    free (key);
    if (n == 0 && !ferror (fp))
      return customize_arg_error (op, _("'%s': the key file is empty"), file);
    return customize_arg_error (op, "'%s': %s", file,
                                ferror (fp) ? strerror (err) :
                                _("not a public key file"));
  }
  key[n] = '\0';
  op->secret = key;
  return 0;
}

/* 1 if name is a default public key file name: id*.pub, not
 * id*-cert.pub. */
static int
default_key_name (const char *name)
{
  size_t n = strlen (name);

  return strncmp (name, "id", 2) == 0 && n >= 6 &&
    strcmp (name + n - 4, ".pub") == 0 &&
    !(n >= 9 && strcmp (name + n - 9, "-cert.pub") == 0);
}

/* The newest default key of the host user. */
static int
read_default_key (struct customize_op *op)
{
  const char *home = getenv ("HOME");
  CLEANUP_FREE char *dir = NULL, *best = NULL;
  struct timespec newest = { 0, 0 };
  DIR *d;
  struct dirent *e;

  if (home == NULL || *home == '\0')
    return customize_arg_error (op, _("$HOME is not set"));
  if (asprintf (&dir, "%s/.ssh", home) == -1)
    return customize_arg_error (op, "%s", strerror (errno));
  d = opendir (dir);
  if (d == NULL)
    return customize_arg_error (op, "'%s': %s", dir, strerror (errno));
  while ((e = readdir (d)) != NULL) {
    CLEANUP_FREE char *path = NULL;
    struct stat st;

    if (!default_key_name (e->d_name) ||
        asprintf (&path, "%s/%s", dir, e->d_name) == -1 ||
        stat (path, &st) == -1 || !S_ISREG (st.st_mode))
      continue;
    if (best == NULL || st.st_mtim.tv_sec > newest.tv_sec ||
        (st.st_mtim.tv_sec == newest.tv_sec &&
         st.st_mtim.tv_nsec > newest.tv_nsec)) {
      free (best);
      best = path;
      path = NULL;
      newest = st.st_mtim;
    }
  }
  closedir (d);
  if (best == NULL)
    return customize_arg_error (op, _("no public key file (id*.pub) in "
                                      "'%s'"), dir);
  return read_key (op, best);
}

int
customize_check_ssh_inject (struct customize_op *op)
{
  const char *colon = strchr (op->arg, ':'), *sel;

  if (colon == op->arg || *op->arg == '\0')
    return customize_arg_error (op, _("expected USER[:SELECTOR]"));
  sel = colon ? colon + 1 : "";
  if (*sel == '\0')
    return read_default_key (op);
  if (strncmp (sel, "file:", 5) == 0 && sel[5])
    return read_key (op, sel + 5);
  if (strncmp (sel, "string:", 7) == 0 && sel[7]) {
    op->secret = strdup (sel + 7);
    return op->secret ? 0 : customize_arg_error (op, "%s", strerror (errno));
  }
  return customize_arg_error (op, _("unknown selector (use file:FILENAME, "
                                    "string:KEY or none)"));
}

/* ---- the guest ---- */

/* The user's entry of the guest's /etc/passwd. */
struct pw {
  int uid, gid;
  char *home;
};

/* A decimal ID of a passwd field, -1 if it is not one. */
static int
field_id (const char *s, size_t len)
{
  long v = 0;

  if (len == 0 || len > 10)
    return -1;
  for (size_t i = 0; i < len; ++i) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v > INT_MAX ? -1 : (int) v;
}

/* Finds user in passwd (the guest's, untrusted): 1 found, 0 not, -1
 * malformed or out of memory. */
static int
find_user (const char *passwd, size_t size, const char *user, struct pw *pw)
{
  size_t ulen = strlen (user);

  for (size_t i = 0; i < size;) {
    const char *line = passwd + i, *nl = memchr (line, '\n', size - i);
    size_t len = nl ? (size_t) (nl - line) : size - i;
    const char *f[7];
    size_t flen[7], k = 0;

    i += len + (nl != NULL);
    if (len <= ulen || memcmp (line, user, ulen) != 0 || line[ulen] != ':')
      continue;
    /* name:password:uid:gid:gecos:home:shell */
    for (const char *p = line, *end = line + len; k < 7; ++k) {
      const char *c = memchr (p, ':', (size_t) (end - p));

      f[k] = p;
      flen[k] = c ? (size_t) (c - p) : (size_t) (end - p);
      if (c == NULL) {
        k++;
        break;
      }
      p = c + 1;
    }
    if (k < 6)
      return -1;
    pw->uid = field_id (f[2], flen[2]);
    pw->gid = field_id (f[3], flen[3]);
    if (pw->uid == -1 || pw->gid == -1 || flen[5] == 0 || f[5][0] != '/' ||
        memchr (f[5], '\0', flen[5]))
      return -1;
    pw->home = strndup (f[5], flen[5]);
    return pw->home ? 1 : -1;
  }
  return 0;
}

/* 1 if text holds line (without its newline) as a line of its own,
 * trailing blanks and CRs aside. */
static int
has_line (const char *text, size_t size, const char *line, size_t len)
{
  for (size_t i = 0; i < size;) {
    const char *l = text + i, *nl = memchr (l, '\n', size - i);
    size_t n = nl ? (size_t) (nl - l) : size - i;

    i += n + (nl != NULL);
    while (n > 0 && strchr (" \t\r", l[n - 1]))
      n--;
    if (n == len && memcmp (l, line, len) == 0)
      return 1;
  }
  return 0;
}

/* The lines of key not in old (caller frees), each with its newline,
 * after a newline if old does not end with one. */
static char *
keys_to_add (const char *old, size_t size, const char *key)
{
  char *add = NULL;
  size_t addlen = 0;
  FILE *fp = open_memstream (&add, &addlen);
  int first = 1;

  if (fp == NULL)
    return NULL;
  fflush (fp);
  for (const char *p = key; *p;) {
    size_t n = strcspn (p, "\n");
    const char *next = p + n + (p[n] == '\n');

    while (n > 0 && strchr (" \t\r", p[n - 1]))
      n--;
    if (n > 0 && !has_line (old, size, p, n) &&
        !has_line (add ? add : "", addlen, p, n)) {
      if (first && size > 0 && old[size - 1] != '\n')
        fputc ('\n', fp);
      first = 0;
      fprintf (fp, "%.*s\n", (int) n, p);
      fflush (fp);
    }
    p = next;
  }
  if (fclose (fp) == EOF) {
    free (add);
    return NULL;
  }
  return add;
}

/* Creates path (a directory with dir set) for the user when missing. */
static int
make_owned (struct customize_ctx *c, const char *path, int dir, int mode,
            const struct pw *pw)
{
  int r = drydock_exists (c->h, path);

  if (r == -1)
    return customize_op_lib_error (c);
  if (r == 1)
    return 0;
  if ((dir ? drydock_mkdir (c->h, path) : drydock_touch (c->h, path)) == -1 ||
      drydock_chmod (c->h, mode, path) == -1 ||
      drydock_chown (c->h, pw->uid, pw->gid, path) == -1)
    return customize_op_lib_error (c);
  return 0;
}

static int
unix_like (const char *type)
{
  static const char *const types[] = {
    "linux", "freebsd", "netbsd", "openbsd", "hurd", "minix", NULL
  };

  for (size_t i = 0; types[i]; ++i)
    if (strcmp (type, types[i]) == 0)
      return 1;
  return 0;
}

int
customize_ssh_inject (struct customize_ctx *c)
{
  const char *colon = strchr (c->op->arg, ':');
  CLEANUP_FREE char *user = NULL, *passwd = NULL, *dir = NULL,
    *keys = NULL, *old = NULL, *add = NULL;
  struct pw pw = { .home = NULL };
  size_t size = 0, oldsize = 0;
  int r;

  if (!unix_like (c->type)) {
    tool_warning (_("--ssh-inject %s: SSH keys cannot be injected into this "
                    "type of guest (%s)"), c->op->arg, c->type);
    return 0;
  }
  user = colon ? strndup (c->op->arg, colon - c->op->arg) :
    strdup (c->op->arg);
  if (user == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  passwd = drydock_read_file (c->h, "/etc/passwd", &size);
  if (passwd == NULL)
    return customize_op_lib_error (c);
  r = find_user (passwd, size, user, &pw);
  if (r == 0)
    return customize_op_error (c, _("the user '%s' does not exist in the "
                                    "guest"), user);
  if (r == -1)
    return customize_op_error (c, _("the /etc/passwd entry of '%s' is "
                                    "malformed"), user);
  r = asprintf (&dir, "%s%s.ssh", pw.home,
                pw.home[strlen (pw.home) - 1] == '/' ? "" : "/");
  free (pw.home);
  if (r == -1 || asprintf (&keys, "%s/authorized_keys", dir) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if (make_owned (c, dir, 1, 0700, &pw) == -1 ||
      make_owned (c, keys, 0, 0600, &pw) == -1)
    return -1;
  old = drydock_read_file (c->h, keys, &oldsize);
  if (old == NULL)
    return customize_op_lib_error (c);
  add = keys_to_add (old, oldsize, c->op->secret);
  if (add == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  if (*add && drydock_write_append (c->h, keys, add, strlen (add)) == -1)
    return customize_op_lib_error (c);
  return 0;
}
