/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: kernel modules.  Reads modules.txt (which
 * modules, and which load at boot), resolves their dependencies from
 * the host's /lib/modules/<release>/modules.dep (plus "pre:" soft
 * dependencies from modules.softdep, e.g. ext4 wants crc32c), and adds
 * the .ko files, without their signatures (modsig.c), flat under
 * /lib/modules/drydock together with two generated lists for the daemon:
 *
 *   boot   one module name per line, in load order (dependencies first)
 *   deps   "name: dep1 dep2 ..." for every included module, giving all
 *          of its transitive dependencies in load order
 *
 * The initrd gets the boot modules and "boot"; the root image gets all
 * the modules and both lists, since it hides the initrd's directory
 * once the daemon has mounted it.  Names are normalised with '_' for '-'.
 */

#include "make-appliance.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>


struct kmod;
DEFINE_VECTOR_TYPE (kmod_list, struct kmod *);

struct kmod {
  char *name;                   /* normalised */
  const char *path;             /* as in modules.dep (points into text) */
  const char *deps;             /* rest of the modules.dep line */
  struct kmod_list pre;         /* resolved hard + soft deps, see below */
  bool resolved;
  unsigned mark;
};
DEFINE_VECTOR_TYPE (kmod_table, struct kmod);

struct kmods {
  const char *release;
  char *moddir;
  char *dep_text, *softdep_text, *alias_text, *builtin_text, *modinfo_text;
  size_t modinfo_len;
  struct kmod_table mods;       /* sorted by name */
  unsigned generation;
};

/* "kernel/fs/nls/nls_iso8859-1.ko.xz" -> "nls_iso8859_1" */
static char *
module_name (const char *path, size_t len)
{
  const char *base = memrchr (path, '/', len);
  char *name, *dot;

  base = base ? base + 1 : path;
  name = xstrndup (base, len - (base - path));
  if ((dot = strstr (name, ".ko")) != NULL)
    *dot = '\0';
  for (char *p = name; *p; ++p)
    if (*p == '-')
      *p = '_';
  return name;
}

static int
compare_kmods (const struct kmod *a, const struct kmod *b)
{
  return strcmp (a->name, b->name);
}

static int
compare_name (const void *name, const struct kmod *m)
{
  return strcmp (name, m->name);
}

static struct kmod *
kmod_find (const struct kmods *k, const char *name)
{
  return kmod_table_search (&k->mods, name, compare_name);
}

static char *
read_meta (struct kmods *k, struct input_vector *inputs, const char *file,
           size_t *len, bool required)
{
  CLEANUP_FREE char *path = xasprintf ("%s/%s", k->moddir, file);
  char *text;

  if (!required && access (path, F_OK) == -1)
    return xstrdup ("");
  text = read_text_file (path, len);
  if (text && input_add (inputs, path) == -1) {
    free (text);
    return NULL;
  }
  return text;
}

/* Parse modules.dep in place: "path: dep dep ...". */
static int
parse_modules_dep (struct kmods *k)
{
  char *save = NULL;

  for (char *line = strtok_r (k->dep_text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    char *colon = strchr (line, ':');
    if (colon == NULL)
      continue;
    *colon = '\0';
    if (kmod_table_append (&k->mods, (struct kmod) {
          .name = module_name (line, colon - line), .path = line,
          .deps = colon + 1 + strspn (colon + 1, " "),
        }) == -1)
      out_of_memory ();
  }
  kmod_table_sort (&k->mods, compare_kmods);
  return 0;
}

static int
kmods_load (struct kmods *k, struct input_vector *inputs)
{
  k->moddir = xasprintf ("/lib/modules/%s", k->release);
  k->dep_text = read_meta (k, inputs, "modules.dep", NULL, true);
  if (k->dep_text)
    k->softdep_text = read_meta (k, inputs, "modules.softdep", NULL, false);
  if (k->softdep_text)
    k->alias_text = read_meta (k, inputs, "modules.alias", NULL, false);
  if (k->alias_text)
    k->builtin_text = read_meta (k, inputs, "modules.builtin", NULL, false);
  if (k->builtin_text)
    k->modinfo_text = read_meta (k, inputs, "modules.builtin.modinfo",
                                 &k->modinfo_len, false);
  if (k->modinfo_text == NULL)
    return -1;
  return parse_modules_dep (k);
}

/* Is NAME a module built into the kernel? */
static bool
is_builtin (const struct kmods *k, const char *name)
{
  const char *p = k->builtin_text;

  while ((p = strstr (p, ".ko")) != NULL) {
    const char *start = p;
    while (start > k->builtin_text && start[-1] != '\n')
      start--;
    CLEANUP_FREE char *n = module_name (start, p - start);
    if (strcmp (n, name) == 0)
      return true;
    p += 3;
  }
  return false;
}

/* Does a built-in module provide ALIAS? */
static bool
is_builtin_alias (const struct kmods *k, const char *alias)
{
  CLEANUP_FREE char *needle = xasprintf (".alias=%s", alias);

  /* Records in modules.builtin.modinfo are NUL-terminated. */
  return memmem (k->modinfo_text, k->modinfo_len, needle,
                 strlen (needle) + 1) != NULL;
}

/* The "_generic" module among the providers of ALIAS in modules.alias:
 * CPU-specific implementations may not load on the appliance's
 * (emulated) CPU.
 */
static struct kmod *
generic_provider (const struct kmods *k, const char *alias)
{
  CLEANUP_FREE char *needle = xasprintf ("alias %s ", alias);
  struct kmod *m;

  for (const char *p = k->alias_text; (p = strstr (p, needle)) != NULL; ++p) {
    const char *mod = p + strlen (needle);
    size_t len = strcspn (mod, "\n");
    CLEANUP_FREE char *cand = module_name (mod, len);
    if ((p == k->alias_text || p[-1] == '\n') && len > 8 &&
        strcmp (cand + strlen (cand) - 8, "_generic") == 0 &&
        (m = kmod_find (k, cand)) != NULL)
      return m;
  }
  return NULL;
}

/* A soft dependency names an alias ("crypto-crc32c") or a module. */
static struct kmod *
resolve_alias (const struct kmods *k, const char *alias)
{
  CLEANUP_FREE char *norm = module_name (alias, strlen (alias));
  struct kmod *m;

  if (is_builtin_alias (k, alias))
    return NULL;
  if ((m = generic_provider (k, alias)) != NULL)
    return m;
  return kmod_find (k, norm);
}

static void
add_pre (struct kmod *m, struct kmod *dep)
{
  if (dep == NULL || dep == m)
    return;
  if (kmod_list_append (&m->pre, dep) == -1)
    out_of_memory ();
}

/* "softdep NAME pre: a b post: c" lines for M. */
static void
resolve_softdeps (const struct kmods *k, struct kmod *m)
{
  CLEANUP_FREE char *copy = xstrdup (k->softdep_text);
  char *save = NULL, *save2 = NULL;

  for (char *line = strtok_r (copy, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    char *word = strtok_r (line, " \t", &save2);
    char *mod = strtok_r (NULL, " \t", &save2);
    bool pre = false;
    if (!word || !mod || strcmp (word, "softdep") != 0)
      continue;
    CLEANUP_FREE char *norm = module_name (mod, strlen (mod));
    if (strcmp (norm, m->name) != 0)
      continue;
    while ((word = strtok_r (NULL, " \t", &save2)) != NULL) {
      if (strcmp (word, "pre:") == 0 || strcmp (word, "post:") == 0)
        pre = word[1] == 'r';
      else if (pre)
        add_pre (m, resolve_alias (k, word));
    }
  }
}

/* Soft deps first, then hard deps, which modules.dep lists so that
 * loading them from last to first works (modprobe's order).
 */
static void
resolve (const struct kmods *k, struct kmod *m)
{
  const char *end;

  if (m->resolved)
    return;
  m->resolved = true;
  resolve_softdeps (k, m);
  end = m->deps + strlen (m->deps);
  while (end > m->deps) {
    const char *start = end;
    while (start > m->deps && start[-1] != ' ')
      start--;
    if (end > start) {
      CLEANUP_FREE char *name = module_name (start, end - start);
      add_pre (m, kmod_find (k, name));
    }
    end = start > m->deps ? start - 1 : start;
  }
}

static void
visit (struct kmods *k, struct kmod *m, struct kmod_list *out)
{
  if (m->mark == k->generation)
    return;
  m->mark = k->generation;
  resolve (k, m);
  for (size_t i = 0; i < m->pre.len; ++i)
    visit (k, m->pre.ptr[i], out);
  if (kmod_list_append (out, m) == -1)
    out_of_memory ();
}

struct wanted {
  struct string_vector boot, lazy;
};

static int
read_modules_txt (const char *modules_file, struct wanted *w)
{
  CLEANUP_FREE char *text = read_text_file (modules_file, NULL);
  char *save = NULL, *save2 = NULL;

  if (text == NULL)
    return -1;
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    struct string_vector *list = &w->lazy;
    char *hash = strchr (line, '#');
    if (hash)
      *hash = '\0';
    line += strspn (line, " \t");
    if (strncmp (line, "boot:", 5) == 0) {
      list = &w->boot;
      line += 5;
    }
    for (char *name = strtok_r (line, " \t\r", &save2); name;
         name = strtok_r (NULL, " \t\r", &save2))
      if (string_vector_append (list,
                                module_name (name, strlen (name))) == -1)
        out_of_memory ();
  }
  return 0;
}

/* Look up a wanted module: NULL and no error if it can be skipped. */
static struct kmod *
find_wanted (const struct kmods *k, const char *name, bool boot)
{
  struct kmod *m = kmod_find (k, name);

  if (m)
    return m;
  if (is_builtin (k, name))
    verbose_msg ("module %s is built into the kernel", name);
  else if (boot)
    error_set (name, _("boot module not found in %s/modules.dep"), k->moddir);
  else
    verbose_msg ("warning: module %s not found in %s, skipped",
                 name, k->moddir);
  return NULL;
}

static int
visit_list (struct kmods *k, const struct string_vector *names, bool boot,
            struct kmod_list *out)
{
  for (size_t i = 0; i < names->len; ++i) {
    struct kmod *m = find_wanted (k, names->ptr[i], boot);
    if (m)
      visit (k, m, out);
    else if (error_is_set ())
      return -1;
  }
  return 0;
}

static char *
format_boot (const struct kmod_list *boot, size_t *len)
{
  char *text = NULL;
  FILE *fp = open_memstream (&text, len);

  if (fp == NULL)
    abort ();
  for (size_t i = 0; i < boot->len; ++i)
    fprintf (fp, "%s\n", boot->ptr[i]->name);
  fclose (fp);
  return text;
}

static char *
format_deps (struct kmods *k, const struct kmod_list *all, size_t *len)
{
  char *text = NULL;
  FILE *fp = open_memstream (&text, len);

  if (fp == NULL)
    abort ();
  for (size_t i = 0; i < all->len; ++i) {
    kmod_list closure = EMPTY_VECTOR;
    k->generation++;
    visit (k, all->ptr[i], &closure);
    fprintf (fp, "%s:", all->ptr[i]->name);
    for (size_t j = 0; j + 1 < closure.len; ++j)
      fprintf (fp, " %s", closure.ptr[j]->name);
    fputc ('\n', fp);
    kmod_list_reset (&closure);
  }
  fclose (fp);
  return text;
}

static const char *
decompressor (const char *path)
{
  const char *ext = strrchr (path, '.');

  if (ext && strcmp (ext, ".xz") == 0)
    return "xz";
  if (ext && strcmp (ext, ".zst") == 0)
    return "zstd";
  if (ext && strcmp (ext, ".gz") == 0)
    return "gzip";
  return NULL;
}

static int
add_module_files (struct entry_vector *entries, const struct kmods *k,
                  const struct kmod_list *all)
{
  for (size_t i = 0; i < all->len; ++i) {
    const struct kmod *m = all->ptr[i];
    CLEANUP_FREE char *src = m->path[0] == '/' ? xstrdup (m->path) :
      xasprintf ("%s/%s", k->moddir, m->path);
    CLEANUP_FREE char *dst = xasprintf (APPLIANCE_MODDIR "/%s.ko", m->name);
    CLEANUP_FREE char *apath = archive_path (dst);
    int r = entry_add_file (entries, src, apath, 0644);
    if (r == -1)
      return -1;
    if (r == 0) {
      entries->ptr[entries->len - 1].decompress = decompressor (src);
      entries->ptr[entries->len - 1].strip_signature = true;
    }
  }
  return 0;
}

static void
add_list_file (struct entry_vector *entries, const char *name, char *text,
               size_t len)
{
  CLEANUP_FREE char *dst = xasprintf (APPLIANCE_MODDIR "/%s", name);
  CLEANUP_FREE char *apath = archive_path (dst);

  entry_add_data (entries, apath, 0644, text, len);
}

/* The root image is ext4 on virtio-blk: the daemon must be able to
 * mount it with the boot modules alone.
 */
static int
check_boot_mounts_root (const struct kmods *k, const struct kmod_list *boot)
{
  static const char *const needed[] = { "virtio_blk", "ext4" };

  for (size_t i = 0; i < sizeof needed / sizeof needed[0]; ++i) {
    struct kmod *m = kmod_find (k, needed[i]);
    bool found = m == NULL;     /* built in */
    for (size_t j = 0; !found && j < boot->len; ++j)
      found = boot->ptr[j] == m;
    if (!found) {
      error_set (needed[i], _("must be a boot module (\"boot: %s\" in "
                              "modules.txt): the root image is ext4 on "
                              "virtio-blk"), needed[i]);
      return -1;
    }
  }
  return 0;
}

static int
add_everything (struct entry_vector *initrd, struct entry_vector *root,
                struct kmods *k, const struct wanted *w)
{
  kmod_list boot = EMPTY_VECTOR, all = EMPTY_VECTOR;
  char *text;
  size_t len;
  int r;

  k->generation++;
  r = visit_list (k, &w->boot, true, &boot);
  k->generation++;
  if (r == 0)
    r = visit_list (k, &w->boot, true, &all);
  if (r == 0)
    r = visit_list (k, &w->lazy, false, &all);
  if (r == 0)
    r = check_boot_mounts_root (k, &boot);
  if (r == 0)
    r = add_module_files (initrd, k, &boot);
  if (r == 0)
    r = add_module_files (root, k, &all);
  if (r == 0) {
    text = format_boot (&boot, &len);
    add_list_file (initrd, "boot", xstrndup (text, len), len);
    add_list_file (root, "boot", text, len);
    text = format_deps (k, &all, &len);
    add_list_file (root, "deps", text, len);
    verbose_msg ("%zu kernel modules, %zu loaded at boot", all.len, boot.len);
  }
  kmod_list_reset (&boot);
  kmod_list_reset (&all);
  return r;
}

static void
kmods_free (struct kmods *k)
{
  for (size_t i = 0; i < k->mods.len; ++i) {
    free (k->mods.ptr[i].name);
    kmod_list_reset (&k->mods.ptr[i].pre);
  }
  kmod_table_reset (&k->mods);
  free (k->moddir);
  free (k->dep_text);
  free (k->softdep_text);
  free (k->alias_text);
  free (k->builtin_text);
  free (k->modinfo_text);
}

int
kmods_add (struct entry_vector *initrd, struct entry_vector *root,
           struct input_vector *inputs, const char *modules_file,
           const char *release)
{
  struct kmods k = { .release = release };
  struct wanted w = { 0 };
  int r;

  r = read_modules_txt (modules_file, &w);
  if (r == 0)
    r = kmods_load (&k, inputs);
  if (r == 0)
    r = add_everything (initrd, root, &k, &w);
  string_vector_free (&w.boot);
  string_vector_free (&w.lazy);
  kmods_free (&k);
  return r;
}
