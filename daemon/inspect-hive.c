/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The registry queries of Windows inspection (inspect-hive.h), kept
 * apart from inspect-windows.c so that they build on the host and a
 * unit test can run them over crafted hives.
 *
 * hivex walks the hive's cells and checks their offsets; everything it
 * hands back is still guest data, so this file checks each value's type
 * and size (value_data) before hivex allocates it, decodes strings
 * itself, and bounds how many keys and values it looks at. */

#include <config.h>

#include <errno.h>
#include <hivex.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cleanups.h"
#include "inspect-hive.h"

/* The largest REG_SZ read: far more than INSPECT_VALUE_MAX characters. */
#define HIVE_STRING_MAX (64 * 1024)
/* The largest MountedDevices value read (the GPT form is 24 bytes). */
#define HIVE_BLOB_MAX 1024
/* How many MountedDevices values are looked at. */
#define HIVE_VALUES_MAX 4096
/* A key on a path looked up with more subkeys than this, or a key read
 * with more values than that, is taken for junk: real ones have a few
 * dozen, and each lookup costs hivex a pass over all of them. */
#define HIVE_CHILDREN_MAX 65536
#define HIVE_NODE_VALUES_MAX 512

static void
cleanup_hive (hive_h **h)
{
  int saved = errno;

  if (*h)
    hivex_close (*h);
  errno = saved;
}
#define CLEANUP_HIVE __attribute__((cleanup (cleanup_hive)))

/* Opens the hive file at fd: a regular file of at most HIVE_FILE_MAX
 * bytes that hivex accepts in its checked mode.  NULL with errno. */
static hive_h *
hive_open_fd (int fd)
{
  struct stat st;
  char path[32];
  hive_h *h;

  if (fstat (fd, &st) == -1)
    return NULL;
  if (!S_ISREG (st.st_mode)) {
    errno = EINVAL;
    return NULL;
  }
  if (st.st_size > HIVE_FILE_MAX) {
    errno = EFBIG;
    return NULL;
  }
  snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
  errno = 0;
  h = hivex_open (path, 0);
  if (h == NULL && errno == 0)
    errno = EINVAL;
  return h;
}

/* The node at path ("A\\B\\C", names compared ignoring case) below
 * node, or 0.  A hive error counts as absent: the hive is guest data
 * and either way there is nothing to read there. */
static hive_node_h
node_at (hive_h *h, hive_node_h node, const char *path)
{
  char name[256];

  while (node != 0 && *path) {
    size_t n = strcspn (path, "\\");

    if (n >= sizeof name || hivex_node_nr_children (h, node) > HIVE_CHILDREN_MAX)
      return 0;
    memcpy (name, path, n);
    name[n] = '\0';
    node = hivex_node_get_child (h, node, name);
    path += n;
    if (*path)
      path++;
  }
  return node;
}

/* The data of value v if its type is t1 or t2 and it declares at most
 * max bytes (checked before hivex allocates it): malloc'd, *len set.
 * NULL with errno 0 when it is not so or unreadable, ENOMEM when out of
 * memory. */
static char *
value_data (hive_h *h, hive_value_h v, hive_type t1, hive_type t2,
            size_t max, size_t *len)
{
  hive_type t;
  size_t n;
  char *data;

  if (v == 0 || hivex_value_type (h, v, &t, &n) == -1)
    goto absent;
  if ((t != t1 && t != t2) || n > max)
    goto absent;
  errno = 0;
  data = hivex_value_value (h, v, &t, len);
  if (data == NULL) {
    if (errno == ENOMEM)
      return NULL;
    goto absent;
  }
  if (*len > max) {
    free (data);
    goto absent;
  }
  return data;

 absent:
  errno = 0;
  return NULL;
}

static hive_value_h
get_value (hive_h *h, hive_node_h node, const char *key)
{
  if (node == 0 || hivex_node_nr_values (h, node) > HIVE_NODE_VALUES_MAX)
    return 0;
  return hivex_node_get_value (h, node, key);
}

/* Sets *out to the decoded REG_SZ / REG_EXPAND_SZ value v, or leaves it
 * NULL when v is of another type, too big, unreadable or empty.  -1
 * only when out of memory. */
static int
decode_string (hive_h *h, hive_value_h v, char **out)
{
  size_t len;
  CLEANUP_FREE char *data =
    value_data (h, v, hive_t_REG_SZ, hive_t_REG_EXPAND_SZ, HIVE_STRING_MAX,
                &len);
  char *s;

  *out = NULL;
  if (data == NULL)
    return errno == ENOMEM ? -1 : 0;
  s = hive_utf16le_to_utf8 ((const unsigned char *) data, len);
  if (s == NULL)
    return -1;
  if (*s == '\0')
    free (s);
  else
    *out = s;
  return 0;
}

/* The string values named keys[0..n) (ignoring case) of node, decoded
 * into out[0..n) in one pass over its values (the first of a name
 * wins); absent ones are NULL.  -1 only when out of memory (the caller
 * frees what out holds). */
static int
read_strings (hive_h *h, hive_node_h node, const char *const *keys,
              char **out, size_t n)
{
  CLEANUP_FREE hive_value_h *values = NULL;

  memset (out, 0, n * sizeof *out);
  if (node == 0 || hivex_node_nr_values (h, node) > HIVE_NODE_VALUES_MAX)
    return 0;
  errno = 0;
  values = hivex_node_values (h, node);
  if (values == NULL)
    return errno == ENOMEM ? -1 : 0;
  for (size_t j = 0; values[j] != 0; ++j) {
    CLEANUP_FREE char *key = hivex_value_key (h, values[j]);

    for (size_t i = 0; key && i < n; ++i)
      if (out[i] == NULL && strcasecmp (key, keys[i]) == 0) {
        if (decode_string (h, values[j], &out[i]) == -1)
          return -1;
        break;
      }
  }
  return 0;
}

/* The REG_DWORD (or REG_DWORD_BIG_ENDIAN) value key of node in *out:
 * 0, or -1 when it is absent or not exactly four bytes. */
static int
dword_value (hive_h *h, hive_node_h node, const char *key, uint32_t *out)
{
  hive_value_h v = get_value (h, node, key);
  hive_type t;
  size_t len;
  CLEANUP_FREE unsigned char *d = NULL;

  if (v == 0 || hivex_value_type (h, v, &t, &len) == -1)
    return -1;
  d = (unsigned char *) value_data (h, v, hive_t_REG_DWORD,
                                    hive_t_REG_DWORD_BIG_ENDIAN, 4, &len);
  if (d == NULL || len != 4)
    return -1;
  if (t == hive_t_REG_DWORD)
    *out = d[0] | d[1] << 8 | d[2] << 16 | (uint32_t) d[3] << 24;
  else
    *out = d[3] | d[2] << 8 | d[1] << 16 | (uint32_t) d[0] << 24;
  return 0;
}

/* Appends the UTF-8 form of code point c to out if it fits in max. */
static int
put_utf8 (char *out, size_t *olen, size_t max, uint32_t c)
{
  unsigned char b[4];
  size_t n;

  if (c < 0x80) {
    b[0] = c;
    n = 1;
  }
  else if (c < 0x800) {
    b[0] = 0xC0 | c >> 6;
    b[1] = 0x80 | (c & 0x3F);
    n = 2;
  }
  else if (c < 0x10000) {
    b[0] = 0xE0 | c >> 12;
    b[1] = 0x80 | (c >> 6 & 0x3F);
    b[2] = 0x80 | (c & 0x3F);
    n = 3;
  }
  else {
    b[0] = 0xF0 | c >> 18;
    b[1] = 0x80 | (c >> 12 & 0x3F);
    b[2] = 0x80 | (c >> 6 & 0x3F);
    b[3] = 0x80 | (c & 0x3F);
    n = 4;
  }
  if (*olen + n > max)
    return -1;
  memcpy (out + *olen, b, n);
  *olen += n;
  return 0;
}

char *
hive_utf16le_to_utf8 (const unsigned char *in, size_t n)
{
  char out[INSPECT_VALUE_MAX];
  size_t units = n / 2, olen = 0;

  for (size_t i = 0; i < units; ++i) {
    uint32_t c = in[2 * i] | in[2 * i + 1] << 8;

    if (c == 0)
      break;
    if (c >= 0xDC00 && c <= 0xDFFF)
      continue;                 /* a low surrogate on its own */
    if (c >= 0xD800 && c <= 0xDBFF) {
      uint32_t lo;

      if (i + 1 == units)
        break;
      lo = in[2 * i + 2] | in[2 * i + 3] << 8;
      if (lo < 0xDC00 || lo > 0xDFFF)
        continue;               /* unpaired: the next unit stands alone */
      c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
      i++;
    }
    if (put_utf8 (out, &olen, sizeof out, c) == -1)
      break;
  }
  return inspect_clean_string (out, olen);
}

void
hive_os_version_free (struct hive_os_version *v)
{
  free (v->product_name);
  free (v->current_version);
  free (v->build);
  free (v->installation_type);
  free (v->edition_id);
  memset (v, 0, sizeof *v);
}

static int
version_dword (hive_h *h, hive_node_h node, const char *key)
{
  uint32_t d;

  return dword_value (h, node, key, &d) == 0 && d <= INT_MAX ? (int) d : -1;
}

int
hive_read_os_version (int fd, struct hive_os_version *v)
{
  static const char *const keys[] = {
    "ProductName", "CurrentVersion", "CurrentBuildNumber", "CurrentBuild",
    "InstallationType", "EditionID",
  };
  enum { NKEYS = sizeof keys / sizeof keys[0] };
  CLEANUP_HIVE hive_h *h = NULL;
  hive_node_h node;
  char *out[NKEYS];

  memset (v, 0, sizeof *v);
  v->major = v->minor = -1;
  h = hive_open_fd (fd);
  if (h == NULL)
    return -1;
  node = node_at (h, hivex_root (h), "Microsoft\\Windows NT\\CurrentVersion");
  if (node == 0)
    return 0;
  v->major = version_dword (h, node, "CurrentMajorVersionNumber");
  v->minor = version_dword (h, node, "CurrentMinorVersionNumber");
  if (read_strings (h, node, keys, out, NKEYS) == -1) {
    for (size_t i = 0; i < NKEYS; ++i)
      free (out[i]);
    return -1;
  }
  v->product_name = out[0];
  v->current_version = out[1];
  v->build = out[2] ? out[2] : out[3];
  if (out[2])
    free (out[3]);
  v->installation_type = out[4];
  v->edition_id = out[5];
  return 0;
}

void
hive_system_free (struct hive_system *sys)
{
  free (sys->control_set);
  free (sys->hostname);
  free (sys->drives);
  memset (sys, 0, sizeof *sys);
}

static int
is_ascii_letter (char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Reads one MountedDevices value into *d if it is a "\DosDevices\X:"
 * entry in one of the two forms; -1 if it is not (or out of memory:
 * then the letter is just missing). */
static int
parse_drive (hive_h *h, hive_value_h v, struct hive_drive *d)
{
  static const char prefix[] = "\\DosDevices\\";
  const size_t plen = sizeof prefix - 1;
  CLEANUP_FREE char *key = NULL;
  CLEANUP_FREE unsigned char *b = NULL;
  size_t len;

  if (hivex_value_key_len (h, v) != plen + 2)
    return -1;
  key = hivex_value_key (h, v);
  if (key == NULL || strlen (key) != plen + 2 ||
      strncasecmp (key, prefix, plen) != 0 ||
      !is_ascii_letter (key[plen]) || key[plen + 1] != ':')
    return -1;
  b = (unsigned char *) value_data (h, v, hive_t_REG_BINARY,
                                    hive_t_REG_BINARY, HIVE_BLOB_MAX, &len);
  if (b == NULL)
    return -1;

  memset (d, 0, sizeof *d);
  d->letter = key[plen] & ~0x20;
  if (len >= 24 && memcmp (b, "DMIO:ID:", 8) == 0) {
    /* A GUID: three little-endian fields, then eight bytes in order. */
    d->gpt = 1;
    snprintf (d->guid, sizeof d->guid,
              "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
              "%02x%02x%02x%02x%02x%02x",
              b[11], b[10], b[9], b[8], b[13], b[12], b[15], b[14],
              b[16], b[17], b[18], b[19], b[20], b[21], b[22], b[23]);
    return 0;
  }
  if (len == 12) {
    memcpy (d->disk_signature, b, 4);
    d->offset = 0;
    for (int i = 7; i >= 0; --i)
      d->offset = d->offset << 8 | b[4 + i];
    return 0;
  }
  return -1;
}

static int
compare_drives (const void *a, const void *b)
{
  return ((const struct hive_drive *) a)->letter -
    ((const struct hive_drive *) b)->letter;
}

static int
read_drives (hive_h *h, hive_node_h root, struct hive_system *sys)
{
  hive_node_h node = node_at (h, root, "MountedDevices");
  CLEANUP_FREE hive_value_h *values = NULL;
  unsigned seen = 0;            /* bit n: letter 'A' + n */

  if (node == 0)
    return 0;
  errno = 0;
  values = hivex_node_values (h, node);
  if (values == NULL)
    return errno == ENOMEM ? -1 : 0;
  sys->drives = calloc (26, sizeof *sys->drives);
  if (sys->drives == NULL)
    return -1;
  for (size_t i = 0; values[i] != 0 && i < HIVE_VALUES_MAX; ++i) {
    struct hive_drive d;

    if (parse_drive (h, values[i], &d) == -1 ||
        seen & 1u << (d.letter - 'A'))
      continue;
    seen |= 1u << (d.letter - 'A');
    sys->drives[sys->nr_drives++] = d;
  }
  qsort (sys->drives, sys->nr_drives, sizeof *sys->drives, compare_drives);
  return 0;
}

int
hive_read_system (int fd, struct hive_system *sys)
{
  static const char *const hostname[] = { "Hostname" };
  static const char *const computer_name[] = { "ComputerName" };
  CLEANUP_HIVE hive_h *h = NULL;
  hive_node_h root;
  uint32_t current;
  char path[64];

  memset (sys, 0, sizeof *sys);
  h = hive_open_fd (fd);
  if (h == NULL)
    return -1;
  root = hivex_root (h);
  if (read_drives (h, root, sys) == -1)
    return -1;

  if (dword_value (h, node_at (h, root, "Select"), "Current", &current) == -1 ||
      current == 0 || current > 999)
    return 0;
  if (asprintf (&sys->control_set, "ControlSet%03u", (unsigned) current) == -1) {
    sys->control_set = NULL;
    return -1;
  }

  snprintf (path, sizeof path, "%s\\Services\\Tcpip\\Parameters",
            sys->control_set);
  if (read_strings (h, node_at (h, root, path), hostname, &sys->hostname,
                    1) == -1)
    return -1;
  if (sys->hostname == NULL) {
    snprintf (path, sizeof path, "%s\\Control\\ComputerName\\ComputerName",
              sys->control_set);
    if (read_strings (h, node_at (h, root, path), computer_name,
                      &sys->hostname, 1) == -1)
      return -1;
  }
  return 0;
}

/* Reports the Uninstall subkey node to cb. */
static int
report_app (hive_h *h, hive_node_h node, inspect_pkg_cb cb, void *opaque)
{
  static const char *const keys[] = {
    "DisplayName", "DisplayVersion", "Publisher", "InstallLocation",
    "URLInfoAbout", "Comments",
  };
  enum { NKEYS = sizeof keys / sizeof keys[0] };
  CLEANUP_FREE char *raw = NULL, *name = NULL;
  char *v[NKEYS];
  struct inspect_pkg pkg = { 0 };
  int r;

  errno = 0;
  raw = hivex_node_name (h, node);
  if (raw == NULL)
    return errno == ENOMEM ? -1 : 0;
  name = inspect_clean_string (raw, strlen (raw));
  if (name == NULL)
    return -1;
  if (*name == '\0')
    return 0;
  r = read_strings (h, node, keys, v, NKEYS);
  if (r == 0) {
    pkg.name = name;
    pkg.display_name = v[0];
    pkg.version = v[1];
    pkg.publisher = v[2];
    pkg.install_path = v[3];
    pkg.url = v[4];
    pkg.description = v[5];
    r = cb (opaque, &pkg);
  }
  for (size_t i = 0; i < NKEYS; ++i)
    free (v[i]);
  return r;
}

static int
list_uninstall (hive_h *h, hive_node_h node, size_t *budget,
                inspect_pkg_cb cb, void *opaque)
{
  CLEANUP_FREE hive_node_h *children = NULL;

  if (node == 0)
    return 0;
  errno = 0;
  children = hivex_node_children (h, node);
  if (children == NULL)
    return errno == ENOMEM ? -1 : 0;
  for (size_t i = 0; children[i] != 0 && *budget > 0; ++i, --*budget) {
    int r = report_app (h, children[i], cb, opaque);

    if (r != 0)
      return r;
  }
  return 0;
}

int
hive_list_apps (int fd, inspect_pkg_cb cb, void *opaque)
{
  static const char *const paths[] = {
    "Microsoft\\Windows\\CurrentVersion\\Uninstall",
    "WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
  };
  CLEANUP_HIVE hive_h *h = hive_open_fd (fd);
  size_t budget = HIVE_APPS_MAX;

  if (h == NULL)
    return -1;
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; ++i) {
    int r = list_uninstall (h, node_at (h, hivex_root (h), paths[i]),
                            &budget, cb, opaque);

    if (r != 0)
      return r;
  }
  return 0;
}
