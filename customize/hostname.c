/* --hostname of drydock customize: where a guest keeps its name, by
 * distribution and release, as virt-customize decides it:
 *
 *   Fedora 18 and later, RHEL-family 7 and later: /etc/hostname and
 *     PRETTY_HOSTNAME= in /etc/machine-info;
 *   Debian, Ubuntu, Kali: /etc/hostname, and the old name replaced in
 *     /etc/hosts (the short name where the old short name was);
 *   older Fedora and RHEL-family releases: HOSTNAME= in
 *     /etc/sysconfig/network;
 *   openSUSE and SLES: /etc/HOSTNAME;
 *   any other guest: nothing, and a warning at the end.
 *
 * The name is written as given (a dotted name whole) everywhere.  The
 * files are small text edits made on the host side rather than an
 * Augeas session, which costs seconds to start.  Separate from system.c
 * because the table and the /etc/hosts rules are a subject of their
 * own. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"
#include "strlist.h"

/* The files a guest keeps its name in. */
enum where {
  NOWHERE,
  ETC_HOSTNAME_MACHINE_INFO,    /* /etc/hostname, /etc/machine-info */
  ETC_HOSTNAME_HOSTS,           /* /etc/hostname, /etc/hosts */
  SYSCONFIG_NETWORK,            /* /etc/sysconfig/network */
  SUSE_HOSTNAME,                /* /etc/HOSTNAME */
};

int
customize_check_hostname (struct customize_op *op)
{
  const char *p = op->arg;

  if (*p == '\0' || strlen (p) > 253)
    return customize_arg_error (op, _("a hostname has 1 to 253 "
                                      "characters"));
  for (; *p; ++p)
    if (!isalnum ((unsigned char) *p) && *p != '-' && *p != '.')
      return customize_arg_error (op, _("a hostname has only letters, "
                                        "digits, '-' and '.'"));
  return 0;
}

static int
is_one_of (const char *s, const char *const *list)
{
  for (; *list; ++list)
    if (strcmp (s, *list) == 0)
      return 1;
  return 0;
}

/* virt-customize's table, in its order: the first row that matches. */
static enum where
where_for (const char *type, const char *distro, int major)
{
  static const char *const rhel7[] = {
    "rhel", "centos", "scientificlinux", "oraclelinux", "rocky",
    "redhat-based", NULL
  };
  static const char *const debian[] = { "debian", "ubuntu", "kalilinux",
                                        NULL };
  static const char *const rhel_old[] = {
    "fedora", "rhel", "centos", "scientificlinux", "oraclelinux",
    "redhat-based", NULL
  };
  static const char *const suse[] = { "opensuse", "sles", "suse-based",
                                      NULL };

  if (strcmp (type, "linux") != 0)
    return NOWHERE;
  if ((strcmp (distro, "fedora") == 0 && major >= 18) ||
      (is_one_of (distro, rhel7) && major >= 7))
    return ETC_HOSTNAME_MACHINE_INFO;
  if (is_one_of (distro, debian))
    return ETC_HOSTNAME_HOSTS;
  if (is_one_of (distro, rhel_old))
    return SYSCONFIG_NETWORK;
  if (is_one_of (distro, suse))
    return SUSE_HOSTNAME;
  return NOWHERE;
}

/* ---- text helpers ---- */

/* The strings of parts joined (caller frees), NULL out of memory. */
static char *
join (const struct strlist *parts)
{
  size_t total = 0, at = 0;
  char *out;

  for (size_t k = 0; k < parts->len; ++k)
    total += strlen (parts->v[k]);
  out = malloc (total + 1);
  if (out == NULL)
    return NULL;
  for (size_t k = 0; k < parts->len; ++k) {
    size_t n = strlen (parts->v[k]);

    memcpy (out + at, parts->v[k], n);
    at += n;
  }
  out[at] = '\0';
  return out;
}

/* The guest's file path (caller frees, *size set), or NULL with *size
 * 0 when it is not a regular file; -1 in *err on error (printed). */
static char *
read_if_file (struct customize_ctx *c, const char *path, size_t *size,
              int *err)
{
  char *content;
  int r = drydock_is_file (c->h, path);

  *size = 0;
  *err = 0;
  if (r == 1 && (content = drydock_read_file (c->h, path, size)) != NULL)
    return content;
  if (r != 0) {
    *err = -1;
    customize_op_lib_error (c);
  }
  return NULL;
}

static int
write_text (struct customize_ctx *c, const char *path, const char *text)
{
  return drydock_write (c->h, path, text, strlen (text)) == -1 ?
    customize_op_lib_error (c) : 0;
}

/* ---- KEY=VALUE files ---- */

/* As virt-customize: the lines of path (if it is a file) that do not
 * start with "KEY=", then KEY=VALUE; every line ends with a newline
 * (a CR before it dropped). */
static int
replace_key (struct customize_ctx *c, const char *path, const char *key,
             const char *value)
{
  struct strlist parts = STRLIST_INIT;
  size_t size, i = 0, klen = strlen (key);
  int err;
  CLEANUP_FREE char *old = read_if_file (c, path, &size, &err), *out = NULL;

  if (err)
    return -1;
  while (old && i < size) {
    const char *line = old + i, *nl = memchr (line, '\n', size - i);
    size_t len = nl ? (size_t) (nl - line) : size - i;

    i += len + (nl != NULL);
    if (len && line[len - 1] == '\r')
      len--;
    if (len > klen && memcmp (line, key, klen) == 0 && line[klen] == '=')
      continue;
    strlist_addf (&parts, "%.*s\n", (int) len, line);
  }
  strlist_addf (&parts, "%s=%s\n", key, value);
  out = join (&parts);
  strlist_free (&parts);
  if (out == NULL)
    return customize_op_error (c, "%s", strerror (ENOMEM));
  return write_text (c, path, out);
}

/* ---- /etc/hosts ---- */

/* The names looked for and what replaces them. */
struct rename {
  const char *old, *old_short;  /* NULL: the old name is not known */
  size_t old_short_len;
  const char *new;
  size_t new_short_len;         /* the new name up to its first '.' */
  int new_has_domain;
};

/* How much of the new name replaces the host name field f[0..len):
 * all of it, its short name, or 0 to keep the field. */
static size_t
renamed_length (const struct rename *rn, const char *f, size_t len)
{
  static const char unassigned[] = "unassigned-hostname";
  static const char unassigned_fqdn[] =
    "unassigned-hostname.unassigned-domain";

  if (rn->old && len == strlen (rn->old) && memcmp (f, rn->old, len) == 0)
    return strlen (rn->new);
  if (rn->old && len == rn->old_short_len &&
      memcmp (f, rn->old_short, len) == 0)
    return rn->new_short_len;
  if (len == sizeof unassigned - 1 && memcmp (f, unassigned, len) == 0)
    return rn->new_short_len;
  if (rn->new_has_domain && len == sizeof unassigned_fqdn - 1 &&
      memcmp (f, unassigned_fqdn, len) == 0)
    return strlen (rn->new);
  return 0;
}

static int
is_blank (char ch)
{
  return ch == ' ' || ch == '\t';
}

/* Adds one line of /etc/hosts (without its newline) to parts, its host
 * names (the fields after the address, up to a comment) renamed;
 * spacing and comments are kept.  Returns 1 if a name was replaced. */
static int
edit_line (const struct rename *rn, const char *line, size_t len,
           struct strlist *parts)
{
  size_t i = 0;
  int replaced = 0;

  while (i < len && is_blank (line[i]))
    i++;
  if (i == len || line[i] == '#') {
    strlist_addf (parts, "%.*s", (int) len, line);
    return 0;
  }
  while (i < len && !is_blank (line[i]))
    i++;
  strlist_addf (parts, "%.*s", (int) i, line);
  while (i < len) {
    size_t s = i, n;

    while (i < len && is_blank (line[i]))
      i++;
    strlist_addf (parts, "%.*s", (int) (i - s), line + s);
    if (i < len && line[i] == '#') {
      strlist_addf (parts, "%.*s", (int) (len - i), line + i);
      break;
    }
    s = i;
    while (i < len && !is_blank (line[i]) && line[i] != '#')
      i++;
    n = renamed_length (rn, line + s, i - s);
    if (n)
      replaced = 1;
    strlist_addf (parts, "%.*s", n ? (int) n : (int) (i - s),
                  n ? rn->new : line + s);
  }
  return replaced;
}

/* The new content of /etc/hosts (caller frees), NULL out of memory:
 * every host name renamed; when none was, a 127.0.1.1 line for the new
 * name is added. */
static char *
edit_hosts (const struct rename *rn, const char *content, size_t size)
{
  struct strlist parts = STRLIST_INIT;
  size_t i = 0;
  int replaced = 0;
  char *out;

  while (i < size) {
    const char *nl = memchr (content + i, '\n', size - i);
    size_t len = nl ? (size_t) (nl - content - i) : size - i;

    replaced |= edit_line (rn, content + i, len, &parts);
    strlist_add (&parts, nl ? "\n" : "");
    i += len + (nl != NULL);
  }
  if (!replaced)
    strlist_addf (&parts, "%s127.0.1.1\t%s\n",
                  size && content[size - 1] != '\n' ? "\n" : "", rn->new);
  out = join (&parts);
  strlist_free (&parts);
  return out;
}

/* /etc/hosts with old (NULL if unknown) renamed to the new name. */
static int
rename_in_hosts (struct customize_ctx *c, const char *old)
{
  const char *new = c->op->arg;
  struct rename rn = {
    .new = new, .new_short_len = strcspn (new, "."),
    .new_has_domain = strchr (new, '.') != NULL,
  };
  size_t size;
  int err;
  CLEANUP_FREE char *hosts = read_if_file (c, "/etc/hosts", &size, &err),
    *edited = NULL;

  if (err)
    return -1;
  if (hosts == NULL)
    return 0;
  /* A guest named "localhost" keeps its localhost entries: the new name
   * gets a line of its own. */
  if (old && *old && strcmp (old, "localhost") != 0 &&
      strcmp (old, "localhost.localdomain") != 0) {
    rn.old = old;
    rn.old_short = old;
    rn.old_short_len = strcspn (old, ".");
  }
  edited = edit_hosts (&rn, hosts, size);
  if (edited == NULL)
    return customize_op_error (c, "%s", strerror (ENOMEM));
  if (size == strlen (edited) && memcmp (hosts, edited, size) == 0)
    return 0;
  return write_text (c, "/etc/hosts", edited);
}

/* ---- the operation ---- */

/* /etc/hostname := the name and a newline. */
static int
write_etc_hostname (struct customize_ctx *c)
{
  CLEANUP_FREE char *line = NULL;

  if (asprintf (&line, "%s\n", c->op->arg) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  return write_text (c, "/etc/hostname", line);
}

static int
debian_hostname (struct customize_ctx *c)
{
  size_t size;
  int err;
  CLEANUP_FREE char *old = read_if_file (c, "/etc/hostname", &size, &err);

  if (err)
    return -1;
  /* Its first line, without blanks around. */
  if (old)
    old[strcspn (old, " \t\r\n")] = '\0';
  if (write_etc_hostname (c) == -1)
    return -1;
  return rename_in_hosts (c, old);
}

int
customize_hostname (struct customize_ctx *c)
{
  int major = c->root ? drydock_inspect_get_major_version (c->h, c->root) : 0;

  if (major == -1)
    return customize_op_lib_error (c);
  switch (where_for (c->type, c->distro ? c->distro : "unknown", major)) {
  case ETC_HOSTNAME_MACHINE_INFO:
    if (write_etc_hostname (c) == -1)
      return -1;
    return replace_key (c, "/etc/machine-info", "PRETTY_HOSTNAME",
                        c->op->arg);
  case ETC_HOSTNAME_HOSTS:
    return debian_hostname (c);
  case SYSCONFIG_NETWORK:
    return replace_key (c, "/etc/sysconfig/network", "HOSTNAME", c->op->arg);
  case SUSE_HOSTNAME:
    /* Without a newline, as virt-customize writes it. */
    return write_text (c, "/etc/HOSTNAME", c->op->arg);
  case NOWHERE:
    break;
  }
  c->hostname_unset = 1;
  return 0;
}
