/* Keys and values of the Windows registry changed by their paths, for
 * the tools that link this library besides win-reg (drydock customize:
 * its registry operations and the injection of drivers).  A session
 * opens each hive as a path leads to it, the one before committed, and
 * commits the last at its end; the caller settles the drives. */

#include <config.h>

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "winreg.h"

#define REG_SZ 1
#define REG_DWORD 4
#define REG_MULTI_SZ 7

int
winreg_begin (struct winreg_ctx *c, drydock_h *h, const char *root)
{
  memset (c, 0, sizeof *c);
  c->h = h;
  c->write = 1;
  c->root = strdup (root);
  if (c->root == NULL)
    return winreg_error ("%s", _("out of memory"));
  c->systemroot = drydock_inspect_get_windows_systemroot (h, root);
  return c->systemroot ? 0 : winreg_lib_error (h);
}

int
winreg_end (struct winreg_ctx *c)
{
  int r = winreg_commit (c);

  if (c->hive && drydock_hivex_close (c->h) == -1 && r == 0)
    r = winreg_lib_error (c->h);
  free (c->root);
  free (c->systemroot);
  free (c->hive);
  memset (c, 0, sizeof *c);
  return r;
}

/* The child name of node, added when missing. */
static int64_t
child (struct winreg_ctx *c, int64_t node, const char *name)
{
  int64_t r = drydock_hivex_node_get_child (c->h, node, name);

  if (r == 0) {
    winreg_debug (c, "adding the key %s", name);
    c->dirty = 1;
    r = drydock_hivex_node_add_child (c->h, node, name);
  }
  return r <= 0 ? winreg_lib_error (c->h) : r;
}

int64_t
winreg_key (struct winreg_ctx *c, const char *regpath, int create)
{
  struct winreg_target t;
  int64_t node = -1;
  const char *p;

  if (winreg_map_path (c, regpath, &t) == -1 ||
      winreg_use_hive (c, t.file) == -1)
    goto out;
  if (!create) {
    node = winreg_lookup (c, t.path, NULL);
    goto out;
  }
  node = c->hive_root;
  for (p = t.path; node > 0 && *p; ) {
    size_t n = strcspn (p, "\\");
    CLEANUP_FREE char *name = strndup (p, n);

    if (name == NULL) {
      node = winreg_error ("%s", _("out of memory"));
      break;
    }
    p += n + (p[n] == '\\');
    if (n > 0)                  /* "A\\B": no empty names */
      node = child (c, node, name);
  }
 out:
  winreg_target_free (&t);
  return node;
}

int
winreg_set_value (struct winreg_ctx *c, int64_t node, const char *name,
                  uint32_t type, const void *data, size_t len)
{
  winreg_debug (c, "setting the value '%s' (type %u, %zu bytes)", name,
                (unsigned) type, len);
  c->dirty = 1;
  if (drydock_hivex_node_set_value (c->h, node, name, type, data, len) == -1)
    return winreg_lib_error (c->h);
  return 0;
}

char *
winreg_utf16le (const char *s, size_t *len)
{
  iconv_t cd = iconv_open ("UTF-16LE", "UTF-8");
  size_t inleft = strlen (s) + 1, outleft = inleft * 4;
  char *in = (char *) s, *out, *data;

  if (cd == (iconv_t) -1) {
    winreg_error ("iconv UTF-16LE: %m");
    return NULL;
  }
  data = out = malloc (outleft);
  if (data == NULL)
    winreg_error ("%s", _("out of memory"));
  else if (iconv (cd, &in, &inleft, &out, &outleft) == (size_t) -1) {
    winreg_error (_("'%s': %s"), s, errno == EILSEQ || errno == EINVAL ?
                  _("not a UTF-8 string") : strerror (errno));
    free (data);
    data = NULL;
  }
  iconv_close (cd);
  if (data)
    *len = (size_t) (out - data);
  return data;
}

int
winreg_set_string (struct winreg_ctx *c, int64_t node, const char *name,
                   uint32_t type, const char *s)
{
  size_t len;
  CLEANUP_FREE char *data = winreg_utf16le (s, &len);

  if (data == NULL)
    return -1;
  return winreg_set_value (c, node, name, type, data, len);
}

int
winreg_set_dword (struct winreg_ctx *c, int64_t node, const char *name,
                  uint32_t d)
{
  unsigned char le[4] = { d & 0xff, (d >> 8) & 0xff, (d >> 16) & 0xff,
                          d >> 24 };

  return winreg_set_value (c, node, name, REG_DWORD, le, sizeof le);
}

int
winreg_set_multi (struct winreg_ctx *c, int64_t node, const char *name,
                  const char *const *list)
{
  CLEANUP_FREE char *data = NULL;
  size_t len = 0;

  for (size_t i = 0; list[i]; ++i) {
    size_t n;
    CLEANUP_FREE char *s = winreg_utf16le (list[i], &n);
    char *more;

    if (s == NULL)
      return -1;
    more = realloc (data, len + n + 2);
    if (more == NULL)
      return winreg_error ("%s", _("out of memory"));
    data = more;
    memcpy (data + len, s, n);
    len += n;
  }
  /* The empty string that ends the list. */
  if (data == NULL && (data = malloc (2)) == NULL)
    return winreg_error ("%s", _("out of memory"));
  data[len] = data[len + 1] = '\0';
  return winreg_set_value (c, node, name, REG_MULTI_SZ, data, len + 2);
}

int
winreg_get_string (struct winreg_ctx *c, int64_t node, const char *name,
                   char **s)
{
  int64_t value = drydock_hivex_node_get_value (c->h, node, name);

  *s = NULL;
  if (value == -1)
    return winreg_lib_error (c->h);
  if (value == 0)
    return 0;
  *s = drydock_hivex_value_string (c->h, value);
  return *s ? 1 : winreg_lib_error (c->h);
}

int
winreg_delete_key (struct winreg_ctx *c, const char *regpath)
{
  int64_t node = winreg_key (c, regpath, 0);

  if (node <= 0)
    return (int) node;
  if (node == c->hive_root)
    return winreg_error (_("'%s': the root of a hive cannot be deleted"),
                         regpath);
  winreg_debug (c, "deleting %s", regpath);
  c->dirty = 1;
  if (drydock_hivex_node_delete_child (c->h, node) == -1)
    return winreg_lib_error (c->h);
  return 0;
}

int
winreg_delete_value (struct winreg_ctx *c, const char *regpath,
                     const char *name)
{
  int64_t node = winreg_key (c, regpath, 0), value;

  if (node <= 0)
    return (int) node;
  value = drydock_hivex_node_get_value (c->h, node, name);
  if (value <= 0)
    return value == 0 ? 0 : winreg_lib_error (c->h);
  winreg_debug (c, "deleting the value '%s' of %s", name, regpath);
  c->dirty = 1;
  if (drydock_hivex_node_delete_value (c->h, node, name) == -1)
    return winreg_lib_error (c->h);
  return 0;
}
