/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: adds the daemon (as /init, to the initrd) or
 * the host binaries listed in contents.txt (to the root image), and
 * everything they need to run: the ELF interpreter (PT_INTERP) and,
 * transitively, the shared libraries named by DT_NEEDED, searched the
 * way ld.so does without a cache (DT_RPATH, DT_RUNPATH with $ORIGIN,
 * then the system dirs).
 * The ELF files are host files, but every offset is still checked.
 */

#include "make-appliance.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>


#define LOADER "/lib64/ld-linux-x86-64.so.2"

static const char *const system_dirs[] = {
  "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
  "/lib64", "/usr/lib64", "/lib", "/usr/lib",
};

struct elf_map {
  const uint8_t *data;
  size_t size;
  const Elf64_Phdr *ph;
  size_t phnum;
};

/* What one object needs. */
struct deps {
  char *interp;
  struct string_vector needed;
  char *rpath, *runpath;
};

static void
deps_free (struct deps *d)
{
  free (d->interp);
  free (d->rpath);
  free (d->runpath);
  string_vector_free (&d->needed);
}

/* The one bounds check: LEN bytes at OFF lie inside the file. */
static const void *
elf_at (const struct elf_map *m, uint64_t off, uint64_t len)
{
  if (off > m->size || len > m->size - off)
    return NULL;
  return m->data + off;
}

static bool
elf_header_ok (const Elf64_Ehdr *eh)
{
  return memcmp (eh->e_ident, ELFMAG, SELFMAG) == 0 &&
    eh->e_ident[EI_CLASS] == ELFCLASS64 &&
    eh->e_ident[EI_DATA] == ELFDATA2LSB && eh->e_machine == EM_X86_64 &&
    eh->e_phentsize == sizeof (Elf64_Phdr);
}

/* Is PATH a shared object this appliance can load? */
static bool
elf_compatible (const char *path)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY | O_CLOEXEC);
  Elf64_Ehdr eh;

  return fd >= 0 && pread (fd, &eh, sizeof eh, 0) == sizeof eh &&
    elf_header_ok (&eh);
}

static bool
vaddr_to_offset (const struct elf_map *m, uint64_t vaddr, uint64_t *off)
{
  for (size_t i = 0; i < m->phnum; ++i) {
    const Elf64_Phdr *p = &m->ph[i];
    if (p->p_type == PT_LOAD && vaddr >= p->p_vaddr &&
        vaddr - p->p_vaddr < p->p_filesz) {
      *off = p->p_offset + (vaddr - p->p_vaddr);
      return true;
    }
  }
  return false;
}

/* A NUL-terminated string inside [TAB, TAB+TABSZ), or NULL. */
static const char *
elf_string (const struct elf_map *m, uint64_t tab, uint64_t tabsz,
            uint64_t idx)
{
  const char *s;

  if (idx >= tabsz || (s = elf_at (m, tab + idx, tabsz - idx)) == NULL)
    return NULL;
  return memchr (s, '\0', tabsz - idx) ? s : NULL;
}

static int
read_dynamic (const struct elf_map *m, const Elf64_Phdr *dyn, struct deps *d,
              const char *path)
{
  const Elf64_Dyn *ent = elf_at (m, dyn->p_offset, dyn->p_filesz);
  size_t n = dyn->p_filesz / sizeof (Elf64_Dyn);
  uint64_t strtab = 0, strsz = 0, off;
  bool have_strtab = false;

  if (ent == NULL)
    goto bad;
  for (size_t i = 0; i < n && ent[i].d_tag != DT_NULL; ++i) {
    if (ent[i].d_tag == DT_STRTAB)
      have_strtab = vaddr_to_offset (m, ent[i].d_un.d_ptr, &strtab);
    else if (ent[i].d_tag == DT_STRSZ)
      strsz = ent[i].d_un.d_val;
  }
  if (!have_strtab || elf_at (m, strtab, strsz) == NULL)
    goto bad;
  for (size_t i = 0; i < n && ent[i].d_tag != DT_NULL; ++i) {
    const char *s;
    int64_t tag = ent[i].d_tag;
    if (tag != DT_NEEDED && tag != DT_RPATH && tag != DT_RUNPATH)
      continue;
    off = ent[i].d_un.d_val;
    if ((s = elf_string (m, strtab, strsz, off)) == NULL)
      goto bad;
    if (tag == DT_NEEDED) {
      if (string_vector_append (&d->needed, xstrdup (s)) == -1)
        out_of_memory ();
    }
    else if (tag == DT_RPATH && !d->rpath)
      d->rpath = xstrdup (s);
    else if (tag == DT_RUNPATH && !d->runpath)
      d->runpath = xstrdup (s);
  }
  return 0;
 bad:
  error_set (path, _("corrupt ELF dynamic section"));
  return -1;
}

static int
read_elf (struct elf_map *m, struct deps *d, const char *path)
{
  const Elf64_Ehdr *eh = elf_at (m, 0, sizeof *eh);
  const char *interp;

  if (eh == NULL || !elf_header_ok (eh)) {
    error_set (path, _("not an x86-64 ELF file"));
    return -1;
  }
  if ((m->ph = elf_at (m, eh->e_phoff,
                       (uint64_t) eh->e_phnum * sizeof (Elf64_Phdr))) == NULL) {
    error_set (path, _("corrupt ELF program headers"));
    return -1;
  }
  m->phnum = eh->e_phnum;
  for (size_t i = 0; i < m->phnum; ++i) {
    const Elf64_Phdr *p = &m->ph[i];
    if (p->p_type == PT_INTERP && !d->interp) {
      interp = elf_at (m, p->p_offset, p->p_filesz);
      if (interp == NULL || p->p_filesz == 0 ||
          memchr (interp, '\0', p->p_filesz) == NULL) {
        error_set (path, _("corrupt ELF interpreter"));
        return -1;
      }
      d->interp = xstrdup (interp);
    }
    else if (p->p_type == PT_DYNAMIC && read_dynamic (m, p, d, path) == -1)
      return -1;
  }
  return 0;
}

/* "#!/bin/sh -e" needs /bin/sh. */
static void
read_shebang (const struct elf_map *m, struct deps *d)
{
  size_t n = m->size < 256 ? m->size : 256;
  size_t len;
  const char *p;

  if (n < 3 || memcmp (m->data, "#!", 2) != 0)
    return;
  p = (const char *) m->data + 2;
  n -= 2;
  while (n > 0 && (*p == ' ' || *p == '\t'))
    p++, n--;
  for (len = 0; len < n && p[len] > ' '; ++len)
    ;
  if (len > 0 && p[0] == '/')
    d->interp = xstrndup (p, len);
}

static int
read_deps (const char *path, struct deps *d)
{
  CLEANUP_CLOSE int fd = open (path, O_RDONLY | O_CLOEXEC);
  struct elf_map m = { 0 };
  struct stat st;
  void *data;
  int r = 0;

  if (fd == -1 || fstat (fd, &st) == -1) {
    error_set_errno (path, errno);
    return -1;
  }
  if (st.st_size < 4)
    return 0;
  data = mmap (NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED) {
    error_set_errno (path, errno);
    return -1;
  }
  m.data = data;
  m.size = st.st_size;
  if (memcmp (m.data, ELFMAG, SELFMAG) == 0)
    r = read_elf (&m, d, path);
  else
    read_shebang (&m, d);
  munmap (data, st.st_size);
  return r;
}

/* Expand $ORIGIN / ${ORIGIN}; NULL for other, unsupported tokens. */
static char *
expand_origin (const char *dir, const char *object)
{
  const char *slash = strrchr (object, '/');
  CLEANUP_FREE char *origin = xstrndup (object, slash ? slash - object : 0);
  const char *tok = strstr (dir, "$ORIGIN") ? "$ORIGIN" : "${ORIGIN}";
  const char *at = strstr (dir, tok);

  if (at == NULL)
    return strchr (dir, '$') ? NULL : xstrdup (dir);
  if (strchr (at + strlen (tok), '$'))
    return NULL;
  return xasprintf ("%.*s%s%s", (int) (at - dir), dir, origin,
                    at + strlen (tok));
}

static char *
search_path_list (const char *list, const char *name, const char *object)
{
  CLEANUP_FREE char *copy = xstrdup (list);
  char *save = NULL;

  for (char *dir = strtok_r (copy, ":", &save); dir;
       dir = strtok_r (NULL, ":", &save)) {
    CLEANUP_FREE char *expanded = expand_origin (dir, object);
    char *cand;
    if (expanded == NULL)
      continue;
    cand = xasprintf ("%s/%s", expanded, name);
    if (elf_compatible (cand))
      return cand;
    free (cand);
  }
  return NULL;
}

static char *
find_library (const char *name, const char *object, const struct deps *d)
{
  char *found = NULL;

  if (strchr (name, '/'))
    return xstrdup (name);
  if (d->rpath && !d->runpath)
    found = search_path_list (d->rpath, name, object);
  if (!found && d->runpath)
    found = search_path_list (d->runpath, name, object);
  for (size_t i = 0; !found && i < sizeof system_dirs / sizeof system_dirs[0];
       ++i) {
    char *cand = xasprintf ("%s/%s", system_dirs[i], name);
    if (elf_compatible (cand))
      found = cand;
    else
      free (cand);
  }
  return found;
}

/* Add one host file, and queue it for dependency scanning if new. */
static int
add_object (struct entry_vector *entries, struct string_vector *queue,
            const char *host_path, const char *apath, mode_t mode)
{
  int r = entry_add_file (entries, host_path, apath, mode);

  if (r == 0 && string_vector_append (queue, xstrdup (host_path)) == -1)
    out_of_memory ();
  return r == -1 ? -1 : 0;
}

static int
add_deps_of (struct entry_vector *entries, struct string_vector *queue,
             const char *object)
{
  struct deps d = { 0 };
  int r = read_deps (object, &d);

  if (r == 0 && d.interp)
    r = add_object (entries, queue, d.interp, NULL, 0);
  for (size_t i = 0; r == 0 && i < d.needed.len; ++i) {
    CLEANUP_FREE char *lib = find_library (d.needed.ptr[i], object, &d);
    if (lib == NULL) {
      error_set (d.needed.ptr[i], _("shared library not found (needed by %s)"),
                 object);
      r = -1;
    }
    else
      r = add_object (entries, queue, lib, NULL, 0);
  }
  deps_free (&d);
  return r;
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* A listed directory: every regular file under it, in name order (the
 * appliance is the same whatever order readdir gives); symlinks and
 * special files are skipped. */
static int
add_tree (struct entry_vector *entries, struct string_vector *queue,
          const char *dir)
{
  DIR *d = opendir (dir);
  struct string_vector names = { 0 };
  struct dirent *e;
  int r = 0;

  if (d == NULL) {
    error_set_errno (dir, errno);
    return -1;
  }
  while ((e = readdir (d)) != NULL)
    if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
      string_vector_append (&names, xstrdup (e->d_name));
  if (names.len > 1)
    qsort (names.ptr, names.len, sizeof names.ptr[0], compare_names);
  for (size_t i = 0; r == 0 && i < names.len; ++i) {
    CLEANUP_FREE char *path = xasprintf ("%s/%s", dir, names.ptr[i]);
    struct stat st;

    if (lstat (path, &st) == -1)
      continue;
    if (S_ISDIR (st.st_mode))
      r = add_tree (entries, queue, path);
    else if (S_ISREG (st.st_mode))
      r = add_object (entries, queue, path, NULL, 0);
  }
  string_vector_free (&names);
  closedir (d);
  return r;
}

static int
add_contents_line (struct entry_vector *entries, struct string_vector *queue,
                   char *line, const char *contents_file)
{
  struct stat st;
  char *save = NULL;
  char *path = strtok_r (line, " \t\r", &save);
  char *package = strtok_r (NULL, " \t\r", &save);
  bool optional = path[0] == '?';

  if (optional && *++path == '\0' && (path = package) != NULL)
    package = strtok_r (NULL, " \t\r", &save);
  if (path == NULL || path[0] != '/') {
    error_set (contents_file, _("expected an absolute path, got \"%s\""),
               path ? path : "?");
    return -1;
  }
  if (access (path, F_OK) == -1) {
    if (optional)
      return 0;
    if (package)
      error_set (path, _("not found (listed in %s; install the Debian package %s)"),
                 contents_file, package);
    else
      error_set (path, _("not found (listed in %s)"), contents_file);
    return -1;
  }
  if (stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    return add_tree (entries, queue, path);
  return add_object (entries, queue, path, NULL, 0);
}

static int
read_contents (struct entry_vector *entries, struct string_vector *queue,
               const char *contents_file)
{
  CLEANUP_FREE char *text = read_text_file (contents_file, NULL);
  char *save = NULL;

  if (text == NULL)
    return -1;
  for (char *line = strtok_r (text, "\n", &save); line;
       line = strtok_r (NULL, "\n", &save)) {
    char *hash = strchr (line, '#');
    if (hash)
      *hash = '\0';
    if (strspn (line, " \t\r") == strlen (line))
      continue;
    if (add_contents_line (entries, queue, line, contents_file) == -1)
      return -1;
  }
  return 0;
}

/* Scan every queued object, adding what it needs (which queues more). */
static int
add_closure (struct entry_vector *entries, struct string_vector *queue)
{
  int r = 0;

  for (size_t i = 0; r == 0 && i < queue->len; ++i)
    r = add_deps_of (entries, queue, queue->ptr[i]);
  string_vector_free (queue);
  return r;
}

int
elf_add_daemon (struct entry_vector *entries, const char *daemon)
{
  struct string_vector queue = { 0 };
  int r;

  r = add_object (entries, &queue, daemon, "init", 0755);
  if (r == 0 && access (LOADER, F_OK) == 0)
    r = add_object (entries, &queue, LOADER, NULL, 0);
  if (r == -1) {
    string_vector_free (&queue);
    return -1;
  }
  return add_closure (entries, &queue);
}

int
elf_add_contents (struct entry_vector *entries, const char *contents_file)
{
  struct string_vector queue = { 0 };
  int r;

  r = access (LOADER, F_OK) == 0 ?
    add_object (entries, &queue, LOADER, NULL, 0) : 0;
  if (r == 0)
    r = read_contents (entries, &queue, contents_file);
  if (r == -1) {
    string_vector_free (&queue);
    return -1;
  }
  return add_closure (entries, &queue);
}
