/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The handle's launch properties under the other API's names: the
 * kernel command line, the backend and its settings, the qemu binary
 * and its extra parameters, the directories, the process group and the
 * recovery process, the identifier and the program name, and the
 * environment variables that set them.  Kept apart from settings.c
 * (memory, vCPUs, accelerator) because these are read in several places
 * of the launch (qemu.c, launch.c, appliance.c) through the
 * drydock_int_* getters at the end.  The bodies of the plain flags
 * (autosync, pgroup, recovery_proc) are generated: props-gen.c.
 *
 * A property whose environment variable the library always read where
 * it used it (DRYDOCK_CACHEDIR, TMPDIR, DRYDOCK_QEMU) stays NULL in the
 * handle until it is set, and the getter falls back on the variable,
 * so a program that sets the variable after drydock_create still sees
 * it used. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drydock-internal.h"
#include "impl-gen.h"

/* The only backend: the library runs qemu itself. */
#define BACKEND_DIRECT "direct"

/* The qemu parameters the appliance's command line depends on
 * (qemu.c): config refuses them. */
static const char *const reserved_params[] = {
  "-kernel", "-initrd", "-append", "-machine", "-M", "-accel", "-enable-kvm",
  "-cpu", "-m", "-smp", "-nodefaults", "-no-user-config", "-display",
  "-nographic", "-serial", "-chardev", "-mon", "-monitor", "-qmp",
  "-incoming", "-S", "-no-reboot", "-daemonize", NULL
};

/* Replaces *field by a copy of value (NULL: none).  0 or -1 (error set
 * naming name). */
static int
set_string (drydock_h *h, const char *name, char **field, const char *value)
{
  char *copy = NULL;

  if (value && (copy = strdup (value)) == NULL) {
    drydock_int_perror (h, "%s", name);
    return -1;
  }
  free (*field);
  *field = copy;
  return 0;
}

/* A copy of s, or an error naming name. */
static char *
dup_or_error (drydock_h *h, const char *name, const char *s)
{
  char *r = strdup (s);

  if (r == NULL)
    drydock_int_perror (h, "%s", name);
  return r;
}

static int
check_backend (drydock_h *h, const char *name, const char *backend)
{
  if (*backend == '\0' || strcmp (backend, BACKEND_DIRECT) == 0)
    return 0;
  drydock_int_error_errno (h, EINVAL, "%s: backend '%s' is not supported "
                           "(drydock has only the \"%s\" backend)", name,
                           backend, BACKEND_DIRECT);
  return -1;
}

/* The length of the name of setting s ("NAME" or "NAME=VALUE"). */
static size_t
setting_name_len (const char *s)
{
  return strcspn (s, "=");
}

static int
setting_is (const char *s, const char *name)
{
  size_t n = setting_name_len (s);

  return n == strlen (name) && strncmp (s, name, n) == 0;
}

/* A NULL-terminated copy of l, or NULL out of memory. */
static char **
copy_list (char *const *l)
{
  struct strlist c = STRLIST_INIT;

  for (size_t i = 0; l && l[i]; ++i)
    if (strlist_add (&c, l[i]) == -1) {
      strlist_free (&c);
      return NULL;
    }
  return strlist_take (&c);
}

/* Splits s at colons (DRYDOCK_BACKEND_SETTINGS), dropping empty items. */
static char **
split_colons (const char *s)
{
  struct strlist c = STRLIST_INIT;

  while (*s) {
    size_t n = strcspn (s, ":");

    if (n > 0 && strlist_addf (&c, "%.*s", (int) n, s) == -1) {
      strlist_free (&c);
      return NULL;
    }
    s += n + (s[n] == ':');
  }
  return strlist_take (&c);
}

static int
replace_settings (drydock_h *h, const char *name, char **l)
{
  if (l == NULL) {
    drydock_int_perror (h, "%s", name);
    return -1;
  }
  free_string_list (h->backend_settings);
  h->backend_settings = l;
  return 0;
}

/* What a variable of the environment says, looked up by the caller's
 * way: the process's environment or a list. */
typedef const char *(*lookup_fn) (void *env, const char *name);

static const char *
lookup_process (void *env, const char *name)
{
  (void) env;
  return getenv (name);
}

static const char *
lookup_list (void *env, const char *name)
{
  char *const *l = env;
  size_t n = strlen (name);
  const char *found = NULL;

  /* The last one wins, as with putenv. */
  for (size_t i = 0; l[i]; ++i)
    if (strncmp (l[i], name, n) == 0 && l[i][n] == '=')
      found = l[i] + n + 1;
  return found;
}

static int
flag_value (const char *v)
{
  return *v && strcmp (v, "0") != 0;
}

/* Sets the properties of every variable that is set.  all: also those
 * the getters otherwise read from the environment themselves (only the
 * parse_environment calls ask for them). */
static int
parse_env (drydock_h *h, const char *name, lookup_fn lookup, void *env,
           int all)
{
  const char *v;

  if ((v = lookup (env, "DRYDOCK_DEBUG")) != NULL)
    h->verbose = flag_value (v);
  if ((v = lookup (env, "DRYDOCK_TRACE")) != NULL)
    h->trace = flag_value (v);
  if ((v = lookup (env, "DRYDOCK_UNTRUSTED")) != NULL)
    h->untrusted = flag_value (v);
  if ((v = lookup (env, "DRYDOCK_MEMSIZE")) != NULL && atoi (v) >= 128 &&
      atoi (v) <= 65536)
    h->memsize = atoi (v);
  if ((v = lookup (env, "DRYDOCK_APPEND")) != NULL &&
      set_string (h, name, &h->append, *v ? v : NULL) == -1)
    return -1;
  if ((v = lookup (env, "DRYDOCK_BACKEND_SETTINGS")) != NULL &&
      replace_settings (h, name, split_colons (v)) == -1)
    return -1;
  if ((v = lookup (env, "DRYDOCK_BACKEND")) != NULL &&
      check_backend (h, name, v) == -1)
    return -1;
  if (!all)
    return 0;
  if ((v = lookup (env, "DRYDOCK_CACHEDIR")) != NULL && *v &&
      set_string (h, name, &h->cachedir, v) == -1)
    return -1;
  if ((v = lookup (env, "DRYDOCK_TMPDIR")) == NULL || *v == '\0')
    v = lookup (env, "TMPDIR");
  if (v && *v && set_string (h, name, &h->tmpdir_parent, v) == -1)
    return -1;
  if ((v = lookup (env, "DRYDOCK_QEMU")) != NULL && *v &&
      set_string (h, name, &h->hv, v) == -1)
    return -1;
  if ((v = lookup (env, "DRYDOCK_PATH")) != NULL && *v &&
      set_string (h, name, &h->path, v) == -1)
    return -1;
  return 0;
}

int
drydock_int_props_init (drydock_h *h)
{
  h->recovery_proc = 1;
  h->identifier = strdup ("");
  h->program = strdup (program_invocation_short_name);
  h->backend_settings = copy_list (NULL);
  h->hv_params = copy_list (NULL);
  if (h->identifier == NULL || h->program == NULL ||
      h->backend_settings == NULL || h->hv_params == NULL)
    return -1;
  /* An unknown DRYDOCK_BACKEND is refused by launch (there is no handle
   * yet to carry the error), so its error here is dropped; it is the
   * last variable parse_env reads, so it stops nothing. */
  parse_env (h, "create", lookup_process, NULL, 0);
  return 0;
}

void
drydock_int_props_free (drydock_h *h)
{
  free (h->append);
  free (h->hv);
  free_string_list (h->hv_params);
  free_string_list (h->backend_settings);
  free (h->tmpdir_parent);
  free (h->path);
  free (h->identifier);
  free (h->program);
  free (h->libvirt_creds);
}

const char *
drydock_int_hv (drydock_h *h)
{
  const char *env = getenv ("DRYDOCK_QEMU");

  if (h->hv)
    return h->hv;
  return env && *env ? env : QEMU;
}

const char *
drydock_int_tmpdir_parent (drydock_h *h)
{
  const char *env = getenv ("DRYDOCK_TMPDIR");

  if (h->tmpdir_parent)
    return h->tmpdir_parent;
  if (env == NULL || *env == '\0')
    env = getenv ("TMPDIR");
  return env && *env ? env : "/tmp";
}

int
drydock_int_backend_setting (drydock_h *h, const char *name)
{
  for (size_t i = 0; h->backend_settings[i]; ++i)
    if (setting_is (h->backend_settings[i], name))
      return 1;
  return 0;
}

int
drydock_int_take_cancel (drydock_h *h)
{
  return atomic_exchange (&h->cancel, 0) != 0;
}

/* launch: DRYDOCK_BACKEND, if set, must name the backend there is. */
int
drydock_int_check_backend_env (drydock_h *h)
{
  const char *v = getenv ("DRYDOCK_BACKEND");

  return v ? check_backend (h, "launch: DRYDOCK_BACKEND", v) : 0;
}

/* ---- the actions ---- */

int
drydock_impl_set_append (drydock_h *h, const char *append)
{
  return set_string (h, "set_append", &h->append,
                     append && *append ? append : NULL);
}

char *
drydock_impl_get_append (drydock_h *h)
{
  return dup_or_error (h, "get_append", h->append ? h->append : "");
}

int
drydock_impl_set_backend (drydock_h *h, const char *backend)
{
  return check_backend (h, "set_backend", backend);
}

char *
drydock_impl_get_backend (drydock_h *h)
{
  return dup_or_error (h, "get_backend", BACKEND_DIRECT);
}

/* Removes the settings named name after the first one it keeps: used by
 * set_backend_setting, whose replacement is the first; the action
 * clear_backend_setting keeps none. */
static int
clear_settings (drydock_h *h, const char *name, int keep_first)
{
  size_t j = 0;
  int removed = 0, kept = 0;

  for (size_t i = 0; h->backend_settings[i]; ++i) {
    char *s = h->backend_settings[i];

    if (setting_is (s, name) && !(keep_first && !kept)) {
      free (s);
      removed++;
      continue;
    }
    if (setting_is (s, name))
      kept = 1;
    h->backend_settings[j++] = s;
  }
  h->backend_settings[j] = NULL;
  return removed;
}

int
drydock_impl_set_backend_setting (drydock_h *h, const char *name,
                                  const char *val)
{
  CLEANUP_FREE char *s = NULL;

  if (*name == '\0' || strchr (name, '=')) {
    drydock_int_error_errno (h, EINVAL, "set_backend_setting: '%s': a name "
                             "may not be empty or hold '='", name);
    return -1;
  }
  if (asprintf (&s, "%s=%s", name, val) == -1) {
    drydock_int_perror (h, "set_backend_setting");
    return -1;
  }
  for (size_t i = 0; h->backend_settings[i]; ++i)
    if (setting_is (h->backend_settings[i], name)) {
      free (h->backend_settings[i]);
      h->backend_settings[i] = TAKE_PTR (s);
      /* Any later setting of the same name goes. */
      clear_settings (h, name, 1);
      return 0;
    }
  {
    size_t n = count_strings (h->backend_settings);
    char **l = realloc (h->backend_settings, (n + 2) * sizeof *l);

    if (l == NULL) {
      drydock_int_perror (h, "set_backend_setting");
      return -1;
    }
    l[n] = TAKE_PTR (s);
    l[n + 1] = NULL;
    h->backend_settings = l;
  }
  return 0;
}

char *
drydock_impl_get_backend_setting (drydock_h *h, const char *name)
{
  for (size_t i = 0; h->backend_settings[i]; ++i) {
    const char *s = h->backend_settings[i];

    if (setting_is (s, name))
      return dup_or_error (h, "get_backend_setting",
                           s[strlen (name)] == '=' ? s + strlen (name) + 1 :
                           "1");
  }
  drydock_int_error_errno (h, ESRCH, "get_backend_setting: '%s': no such "
                           "backend setting", name);
  return NULL;
}

int
drydock_impl_clear_backend_setting (drydock_h *h, const char *name)
{
  return clear_settings (h, name, 0);
}

int
drydock_impl_set_backend_settings (drydock_h *h, char *const *settings)
{
  return replace_settings (h, "set_backend_settings", copy_list (settings));
}

char **
drydock_impl_get_backend_settings (drydock_h *h)
{
  char **l = copy_list (h->backend_settings);

  if (l == NULL)
    drydock_int_perror (h, "get_backend_settings");
  return l;
}

int
drydock_impl_set_cachedir (drydock_h *h, const char *cachedir)
{
  return set_string (h, "set_cachedir", &h->cachedir,
                     cachedir && *cachedir ? cachedir : NULL);
}

char *
drydock_impl_get_cachedir (drydock_h *h)
{
  const char *dir = drydock_int_cachedir (h);

  if (dir == NULL) {
    drydock_int_perror (h, "get_cachedir");
    return NULL;
  }
  return dup_or_error (h, "get_cachedir", dir);
}

int
drydock_impl_set_tmpdir (drydock_h *h, const char *tmpdir)
{
  return set_string (h, "set_tmpdir", &h->tmpdir_parent,
                     tmpdir && *tmpdir ? tmpdir : NULL);
}

char *
drydock_impl_get_tmpdir (drydock_h *h)
{
  return dup_or_error (h, "get_tmpdir", drydock_int_tmpdir_parent (h));
}

char *
drydock_impl_get_sockdir (drydock_h *h)
{
  return dup_or_error (h, "get_sockdir", drydock_int_tmpdir_parent (h));
}

int
drydock_impl_set_hv (drydock_h *h, const char *hv)
{
  if (*hv == '\0') {
    drydock_int_error_errno (h, EINVAL, "set_hv: the qemu binary may not be "
                             "empty");
    return -1;
  }
  return set_string (h, "set_hv", &h->hv, hv);
}

char *
drydock_impl_get_hv (drydock_h *h)
{
  return dup_or_error (h, "get_hv", drydock_int_hv (h));
}

int
drydock_impl_config (drydock_h *h, const char *hvparam, const char *hvvalue)
{
  struct strlist l = STRLIST_INIT;
  int ok;

  if (hvparam[0] != '-' || hvparam[1] == '\0') {
    drydock_int_error_errno (h, EINVAL, "config: '%s': a qemu parameter "
                             "begins with '-'", hvparam);
    return -1;
  }
  for (size_t i = 0; reserved_params[i]; ++i)
    if (strcmp (hvparam, reserved_params[i]) == 0 ||
        (hvparam[1] == '-' && strcmp (hvparam + 1, reserved_params[i]) == 0)) {
      drydock_int_error_errno (h, EINVAL, "config: %s: drydock sets this "
                               "qemu parameter itself", hvparam);
      return -1;
    }
  ok = 1;
  for (size_t i = 0; ok && h->hv_params[i]; ++i)
    ok = strlist_add (&l, h->hv_params[i]) == 0;
  ok = ok && strlist_add (&l, hvparam) == 0 &&
    (hvvalue == NULL || strlist_add (&l, hvvalue) == 0);
  if (!ok) {
    strlist_free (&l);
    drydock_int_perror (h, "config");
    return -1;
  }
  free_string_list (h->hv_params);
  h->hv_params = strlist_take (&l);
  return 0;
}

int
drydock_impl_max_disks (drydock_h *h)
{
  const char *snapshot = getenv ("DRYDOCK_SNAPSHOT");

  /* The snapshot machine's virtio-scsi targets (snapshot.c); a cold
   * boot's microvm has 24 virtio-mmio slots, two taken by the channel
   * and the root image, one by the network. */
  if (snapshot == NULL || strcmp (snapshot, "0") != 0)
    return 255;
  return 22 - (h->network ? 1 : 0);
}

int
drydock_impl_set_identifier (drydock_h *h, const char *identifier)
{
  for (const char *p = identifier; *p; ++p)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) {
      drydock_int_error_errno (h, EINVAL, "set_identifier: '%s': only "
                               "letters, digits, '_' and '-' are allowed",
                               identifier);
      return -1;
    }
  return set_string (h, "set_identifier", &h->identifier, identifier);
}

char *
drydock_impl_get_identifier (drydock_h *h)
{
  return dup_or_error (h, "get_identifier", h->identifier);
}

int
drydock_impl_set_program (drydock_h *h, const char *program)
{
  return set_string (h, "set_program", &h->program, program);
}

char *
drydock_impl_get_program (drydock_h *h)
{
  return dup_or_error (h, "get_program", h->program);
}

int
drydock_impl_set_path (drydock_h *h, const char *searchpath)
{
  return set_string (h, "set_path", &h->path,
                     searchpath && *searchpath ? searchpath : NULL);
}

char *
drydock_impl_get_path (drydock_h *h)
{
  const char *env = getenv ("DRYDOCK_PATH");

  if (h->path)
    return dup_or_error (h, "get_path", h->path);
  return dup_or_error (h, "get_path", env && *env ? env : LIBEXECDIR);
}

int64_t
drydock_impl_c_pointer (drydock_h *h)
{
  return (int64_t) (intptr_t) h;
}

int
drydock_impl_parse_environment (drydock_h *h)
{
  return parse_env (h, "parse_environment", lookup_process, NULL, 1);
}

int
drydock_impl_parse_environment_list (drydock_h *h, char *const *environment)
{
  return parse_env (h, "parse_environment_list", lookup_list,
                    (void *) environment, 1);
}

int
drydock_impl_user_cancel (drydock_h *h)
{
  /* Lock-free, so safe in a signal handler too. */
  atomic_store (&h->cancel, 1);
  return 0;
}

struct drydock_version *
drydock_impl_version (drydock_h *h)
{
  struct drydock_version *v = calloc (1, sizeof *v);
  const char *p = PACKAGE_VERSION;
  char *end;

  if (v == NULL) {
    drydock_int_perror (h, "version");
    return NULL;
  }
  v->major = strtoll (p, &end, 10);
  if (*end == '.')
    v->minor = strtoll (end + 1, &end, 10);
  if (*end == '.')
    v->release = strtoll (end + 1, &end, 10);
  v->extra = strdup (end);
  if (v->extra == NULL) {
    free (v);
    drydock_int_perror (h, "version");
    return NULL;
  }
  return v;
}
