/* Passwords for drydock customize: --root-password and --password
 * USER:SELECTOR with virt-customize's selectors (password:PASSWORD,
 * file:FILENAME, random, disabled, and locked: before any of them),
 * hashed on the host with libcrypt (--password-crypto, SHA-512 by
 * default), and one edit of /etc/shadow that keeps every other line
 * and the file's mode, owner and extended attributes. */

#include <config.h>

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "customize.h"

#define RANDOM_LENGTH 16

/* A parsed selector: *kind is the selector's, *value what follows its
 * "password:" or "file:" (NULL for random and disabled). */
struct selector {
  int locked;
  const char *kind;           /* "password", "file", "random", "disabled" */
  const char *value;
};

int
customize_crypto_known (const char *value)
{
  return strcmp (value, "md5") == 0 || strcmp (value, "sha256") == 0 ||
    strcmp (value, "sha512") == 0;
}

int
customize_check_crypto (const char *value)
{
  if (!customize_crypto_known (value))
    return tool_error (_("--password-crypto '%s': unknown (use md5, sha256 "
                         "or sha512)"), value);
  return 0;
}

static int
parse_selector (const char *s, struct selector *sel)
{
  sel->locked = 0;
  sel->value = NULL;
  if (strcmp (s, "locked") == 0) {
    sel->locked = 1;
    s = "disabled";
  }
  else if (strncmp (s, "locked:", 7) == 0) {
    sel->locked = 1;
    s += 7;
  }
  if (strncmp (s, "password:", 9) == 0) {
    sel->kind = "password";
    sel->value = s + 9;
  }
  else if (strncmp (s, "file:", 5) == 0 && s[5]) {
    sel->kind = "file";
    sel->value = s + 5;
  }
  else if (strcmp (s, "random") == 0 || strcmp (s, "disabled") == 0)
    sel->kind = s;
  else
    return -1;
  return 0;
}

int
customize_read_first_line (struct customize_op *op, const char *file)
{
  CLEANUP_FCLOSE FILE *fp = fopen (file, "re");
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;

  if (fp == NULL)
    return customize_arg_error (op, _("'%s': %s"), file, strerror (errno));
  n = getline (&line, &cap, fp);
  if (n <= 0) {
    free (line);
    return customize_arg_error (op, _("'%s': the file is empty"), file);
  }
  line[strcspn (line, "\r\n")] = '\0';
  op->secret = line;
  return 0;
}

static int
check_selector (struct customize_op *op, const char *s)
{
  struct selector sel;

  if (parse_selector (s, &sel) == -1)
    return customize_arg_error (op, _("unknown selector (use "
                                      "password:PASSWORD, file:FILENAME, "
                                      "random, disabled or locked:...)"));
  if (strcmp (sel.kind, "file") == 0)
    return customize_read_first_line (op, sel.value);
  return 0;
}

int
customize_check_root_password (struct customize_op *op)
{
  return check_selector (op, op->arg);
}

int
customize_check_password (struct customize_op *op)
{
  const char *colon = strchr (op->arg, ':');

  if (colon == NULL || colon == op->arg)
    return customize_arg_error (op, _("expected USER:SELECTOR"));
  return check_selector (op, colon + 1);
}

/* ---- hashing ---- */

/* A random password of letters and digits (caller frees).  Bytes of
 * 248 and above are dropped so that every character is equally
 * likely (248 = 4 * 62). */
static char *
random_password (void)
{
  static const char chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  CLEANUP_CLOSE int fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  unsigned char bytes[64];
  char *pw;
  size_t n = 0;

  if (fd == -1)
    return NULL;
  pw = malloc (RANDOM_LENGTH + 1);
  while (pw && n < RANDOM_LENGTH) {
    if (read (fd, bytes, sizeof bytes) != sizeof bytes) {
      free (pw);
      return NULL;
    }
    for (size_t i = 0; i < sizeof bytes && n < RANDOM_LENGTH; ++i)
      if (bytes[i] < 248)
        pw[n++] = chars[bytes[i] % 62];
  }
  if (pw)
    pw[RANDOM_LENGTH] = '\0';
  return pw;
}

/* The shadow field for user's selector (caller frees). */
static char *
shadow_field (struct customize_ctx *c, const struct customize_op *op,
              const char *user, const struct selector *sel)
{
  const char *crypto = c->o->crypto ? c->o->crypto : "sha512";
  const char *prefix = strcmp (crypto, "md5") == 0 ? "$1$" :
    strcmp (crypto, "sha256") == 0 ? "$5$" : "$6$";
  CLEANUP_FREE char *random = NULL;
  const char *pw, *salt, *hash;
  char *field;

  if (strcmp (sel->kind, "disabled") == 0)
    return strdup (sel->locked ? "!*" : "*");
  if (strcmp (sel->kind, "random") == 0) {
    random = random_password ();
    if (random == NULL)
      return NULL;
    printf (_("Setting random password of %s to %s\n"), user, random);
    pw = random;
  }
  else
    pw = strcmp (sel->kind, "file") == 0 ? op->secret : sel->value;
  salt = crypt_gensalt (prefix, 0, NULL, 0);
  hash = salt ? crypt (pw, salt) : NULL;
  if (hash == NULL || hash[0] == '*')
    return NULL;
  if (asprintf (&field, "%s%s", sel->locked ? "!" : "", hash) == -1)
    return NULL;
  return field;
}

/* ---- /etc/shadow ---- */

/* Replaces the password field of user's line in *shadow (reallocated).
 * 0, or -1 (printed) when user has no line. */
static int
set_field (struct customize_ctx *c, char **shadow, const char *user,
           const char *field)
{
  size_t ulen = strlen (user);
  char *line = *shadow, *end, *out;

  while (*line) {
    end = strchrnul (line, '\n');
    if ((size_t) (end - line) > ulen && strncmp (line, user, ulen) == 0 &&
        line[ulen] == ':') {
      char *pw = line + ulen + 1, *pw_end = strchrnul (pw, ':');

      if (pw_end > end)
        pw_end = end;
      if (asprintf (&out, "%.*s%s%s", (int) (pw - *shadow), *shadow, field,
                    pw_end) == -1)
        return customize_op_error (c, "%s", strerror (errno));
      free (*shadow);
      *shadow = out;
      return 0;
    }
    line = *end ? end + 1 : end;
  }
  return customize_op_error (c, _("user '%s' is not in /etc/shadow"), user);
}

/* The edited file goes to a new file next to /etc/shadow, gets its
 * attributes and is renamed over it. */
static int
write_shadow (struct customize_ctx *c, const char *content)
{
  CLEANUP_FREE char *tmp = drydock_mktemp (c->h, "/etc/shadow.XXXXXX");

  if (tmp == NULL)
    return customize_op_lib_error (c);
  if (drydock_write (c->h, tmp, content, strlen (content)) == -1 ||
      drydock_copy_attributes_opts (c->h, "/etc/shadow", tmp,
                                    DRYDOCK_COPY_ATTRIBUTES_OPTS_ALL, 1,
                                    -1) == -1 ||
      drydock_mv (c->h, tmp, "/etc/shadow") == -1) {
    customize_op_lib_error (c);
    drydock_rm_f (c->h, tmp);
    return -1;
  }
  return 0;
}

int
customize_passwords (struct customize_ctx *c)
{
  CLEANUP_FREE char *shadow = NULL;
  size_t size;

  for (size_t i = 0; i < c->o->n_ops; ++i) {
    const struct customize_op *op = &c->o->ops[i];
    int root = strcmp (op->def->name, "root-password") == 0;
    const char *colon = root ? NULL : strchr (op->arg, ':');
    CLEANUP_FREE char *user = NULL, *field = NULL;
    struct selector sel;

    if (!op->def->last)
      continue;
    c->op = op;
    if (shadow == NULL) {
      shadow = drydock_read_file (c->h, "/etc/shadow", &size);
      if (shadow == NULL)
        return customize_op_lib_error (c);
      if (strlen (shadow) != size)
        return customize_op_error (c, _("/etc/shadow holds a NUL byte"));
    }
    user = root ? strdup ("root") : strndup (op->arg, colon - op->arg);
    if (user == NULL || parse_selector (root ? op->arg : colon + 1,
                                        &sel) == -1)
      return customize_op_error (c, "%s", strerror (ENOMEM));
    field = shadow_field (c, op, user, &sel);
    if (field == NULL)
      return customize_op_error (c, _("cannot hash the password: %s"),
                                 strerror (errno));
    if (set_field (c, &shadow, user, field) == -1)
      return -1;
  }
  return shadow ? write_shadow (c, shadow) : 0;
}
