/* The initramfs operations of drydock customize: --rebuild-initramfs,
 * --add-modules, and the rebuild --virtio-linux asks for.  The guest's
 * kernels are the /boot/vmlinuz-VERSION with a /lib/modules/VERSION
 * (or, as on Arch, /boot/vmlinuz-PKGBASE named by
 * /lib/modules/VERSION/pkgbase); the tool is the one the guest has
 * (update-initramfs, mkinitcpio, dracut, mkinitrd), run in the guest
 * for each kernel after the modules were added to its configuration,
 * so that later rebuilds keep them.  Each new image is then read on
 * the host (cpio.c): it must be a valid initramfs holding every module
 * asked for that the kernel has as a file (built-in ones are in the
 * kernel already). */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "cpio.h"
#include "customize.h"
#include "strlist.h"

#define MODULE_NAME_MAX 56      /* the kernel's limit, its NUL included */
#define MODULES_DIR "/lib/modules"
#define MAX_KERNELS 64

/* How each tool is run and configured. */
enum style { UPDATE_INITRAMFS, MKINITCPIO, DRACUT, MKINITRD };

/* In the order they are looked for: a guest that has both dracut and
 * mkinitrd (SUSE, RHEL 6) has mkinitrd as a front end to dracut. */
static const struct tool {
  const char *name;
  enum style style;
} tools[] = {
  { "update-initramfs", UPDATE_INITRAMFS },
  { "mkinitcpio", MKINITCPIO },
  { "dracut", DRACUT },
  { "mkinitrd", MKINITRD },
};

static const char *const bin_dirs[] = { "/usr/sbin", "/sbin", "/usr/bin",
                                        "/bin" };

/* Where each keeps the modules it adds to every image it makes. */
#define DEBIAN_MODULES "/etc/initramfs-tools/modules"
#define MKINITCPIO_CONF "/etc/mkinitcpio.conf"
#define DRACUT_CONF "/etc/dracut.conf.d/50-drydock-modules.conf"
#define SUSE_KERNEL_CONF "/etc/sysconfig/kernel"

struct kernel {
  char *version;              /* its directory in /lib/modules */
  char *name;                 /* /boot/vmlinuz-NAME: version or pkgbase */
  char *image;                /* the initramfs the tool writes */
  char **files;               /* the modules it has as files */
  char **builtin;             /* the modules built into it */
};

/* The guest's tool and kernels. */
struct setup {
  const struct tool *tool;
  char *path;                 /* the tool in the guest */
  int suse;                   /* SUSE's mkinitrd and names */
  struct kernel k[MAX_KERNELS];
  size_t n;
};

static void
setup_free (struct setup *s)
{
  free (s->path);
  for (size_t i = 0; i < s->n; ++i) {
    free (s->k[i].version);
    free (s->k[i].name);
    free (s->k[i].image);
    free_string_list (s->k[i].files);
    free_string_list (s->k[i].builtin);
  }
}

char *
customize_quote (const char *s)
{
  size_t n = 3;
  char *q, *p;

  for (const char *t = s; *t; ++t)
    n += *t == '\'' ? 4 : 1;
  if ((q = p = malloc (n)) == NULL)
    return NULL;
  *p++ = '\'';
  for (; *s; ++s) {
    if (*s == '\'') {
      memcpy (p, "'\\''", 4);
      p += 4;
    }
    else
      *p++ = *s;
  }
  *p++ = '\'';
  *p = '\0';
  return q;
}

/* ---- module names ---- */

static int
is_module_char (char ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

/* The first len bytes of name as the kernel knows a module ('-' is
 * '_'), into buf; -1 if it cannot be a module name. */
static int
normalise (const char *name, size_t len, char *buf)
{
  if (len == 0 || len >= MODULE_NAME_MAX)
    return -1;
  for (size_t i = 0; i < len; ++i) {
    if (!is_module_char (name[i]))
      return -1;
    buf[i] = name[i] == '-' ? '_' : name[i];
  }
  buf[len] = '\0';
  return 0;
}

/* The module a file name (its last component) holds, into buf:
 * "virtio_blk" for "virtio-blk.ko.xz"; -1 if it is not a module. */
static int
module_of_file (const char *path, char *buf)
{
  static const char *const exts[] = { ".ko", ".ko.xz", ".ko.zst", ".ko.gz",
                                      ".ko.bz2" };
  const char *base = strrchr (path, '/');
  size_t n;

  base = base ? base + 1 : path;
  n = strlen (base);
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; ++i) {
    size_t e = strlen (exts[i]);

    if (n > e && strcmp (base + n - e, exts[i]) == 0)
      return normalise (base, n - e, buf);
  }
  return -1;
}

static int
has (char *const *list, const char *name)
{
  for (size_t i = 0; list && list[i]; ++i)
    if (strcmp (list[i], name) == 0)
      return 1;
  return 0;
}

int
customize_check_modules (struct customize_op *op)
{
  const char *p = op->arg;
  char buf[MODULE_NAME_MAX];

  for (int n = 1; ; ++n) {
    size_t len = strcspn (p, ",");

    if (n > CUSTOMIZE_MODULES_MAX)
      return customize_arg_error (op, _("more than %d modules"),
                                  CUSTOMIZE_MODULES_MAX);
    if (len == 0)
      return customize_arg_error (op, _("an empty module name"));
    if (normalise (p, len, buf) == -1)
      return customize_arg_error (op, _("'%.*s' is not a module name "
                                        "(letters, digits, '_' and '-', "
                                        "at most %d)"),
                                  (int) len, p, MODULE_NAME_MAX - 1);
    if (p[len] == '\0')
      return 0;
    p += len + 1;
  }
}

/* ---- the guest ---- */

static int
is_file (struct customize_ctx *c, const char *path)
{
  return drydock_is_file_opts (c->h, path,
                               DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS, 1, -1);
}

static int
is_dir (struct customize_ctx *c, const char *path)
{
  return drydock_is_dir_opts (c->h, path,
                              DRYDOCK_IS_DIR_OPTS_FOLLOWSYMLINKS, 1, -1);
}

/* A kernel version, or an Arch pkgbase, that goes into paths and
 * commands: no '/', nothing a shell or an option parser would read. */
static int
good_version (const char *v)
{
  if (*v == '\0' || *v == '-' || *v == '.' || strlen (v) > 200)
    return 0;
  for (; *v; ++v)
    if (!is_module_char (*v) && !strchr (".+~", *v))
      return 0;
  return 1;
}

static int
distro_is (struct customize_ctx *c, const char *const *names)
{
  for (size_t i = 0; names[i]; ++i)
    if (strcmp (c->distro ? c->distro : "", names[i]) == 0)
      return 1;
  return 0;
}

static const char *const suse_distros[] = { "sles", "opensuse", "suse-based",
                                            NULL };
static const char *const debian_distros[] = { "debian", "ubuntu",
                                              "linuxmint", "kalilinux",
                                              NULL };

/* The tool of the guest: s->tool and s->path; 0 when there is none. */
static int
find_tool (struct customize_ctx *c, struct setup *s)
{
  for (size_t i = 0; i < sizeof tools / sizeof tools[0]; ++i)
    for (size_t j = 0; j < sizeof bin_dirs / sizeof bin_dirs[0]; ++j) {
      CLEANUP_FREE char *path = NULL;
      int r;

      if (asprintf (&path, "%s/%s", bin_dirs[j], tools[i].name) == -1)
        return customize_op_error (c, "%s", strerror (errno));
      if ((r = is_file (c, path)) == -1)
        return customize_op_lib_error (c);
      if (r == 1) {
        s->tool = &tools[i];
        s->path = TAKE_PTR (path);
        s->suse = distro_is (c, suse_distros);
        return 0;
      }
    }
  return 0;
}

/* The name of the kernel whose modules are in dir, version: the
 * version itself, or the pkgbase dir names (Arch's vmlinuz-linux);
 * NULL (not an error) when /boot has neither. */
static char *
kernel_name (struct customize_ctx *c, const char *dir, const char *version,
             int *err)
{
  CLEANUP_FREE char *vmlinuz = NULL, *pkgbase = NULL, *base = NULL;
  size_t size;
  int r;

  if (asprintf (&vmlinuz, "/boot/vmlinuz-%s", version) == -1 ||
      asprintf (&pkgbase, "%s/pkgbase", dir) == -1)
    goto oom;
  if ((r = is_file (c, vmlinuz)) == 1)
    return strdup (version);
  if (r == -1 || (r = is_file (c, pkgbase)) == -1)
    goto lib_error;
  if (r == 0 || (base = drydock_read_file (c->h, pkgbase, &size)) == NULL)
    return NULL;
  base[strcspn (base, "\n")] = '\0';
  free (vmlinuz);
  vmlinuz = NULL;
  if (!good_version (base) ||
      asprintf (&vmlinuz, "/boot/vmlinuz-%s", base) == -1)
    return NULL;
  if ((r = is_file (c, vmlinuz)) == -1)
    goto lib_error;
  return r == 1 ? TAKE_PTR (base) : NULL;
 oom:
  *err = customize_op_error (c, "%s", strerror (errno));
  return NULL;
 lib_error:
  *err = customize_op_lib_error (c);
  return NULL;
}

/* The kernels of the guest into s. */
static int
find_kernels (struct customize_ctx *c, struct setup *s)
{
  CLEANUP_FREE_STRING_LIST char **versions = NULL;
  int r = is_dir (c, MODULES_DIR);

  if (r <= 0)
    return r == -1 ? customize_op_lib_error (c) : 0;
  if ((versions = drydock_ls (c->h, MODULES_DIR)) == NULL)
    return customize_op_lib_error (c);
  for (size_t i = 0; versions[i] && s->n < MAX_KERNELS; ++i) {
    CLEANUP_FREE char *dir = NULL;
    int err = 0;
    char *name;

    if (!good_version (versions[i]))
      continue;
    if (asprintf (&dir, MODULES_DIR "/%s", versions[i]) == -1)
      return customize_op_error (c, "%s", strerror (errno));
    if ((r = is_dir (c, dir)) == -1)
      return customize_op_lib_error (c);
    if (r == 0)
      continue;
    name = kernel_name (c, dir, versions[i], &err);
    if (err)
      return -1;
    if (name == NULL)
      continue;
    s->k[s->n].name = name;
    if ((s->k[s->n++].version = strdup (versions[i])) == NULL)
      return customize_op_error (c, "%s", strerror (errno));
  }
  return 0;
}

/* The guest's tool and kernels; -1 (printed) when it has no tool we
 * know or no kernel. */
static int
setup (struct customize_ctx *c, struct setup *s)
{
  if (find_tool (c, s) == -1 || find_kernels (c, s) == -1)
    return -1;
  if (s->tool == NULL)
    return customize_op_error (c, _("no initramfs tool was found in the "
                                    "guest (update-initramfs, mkinitcpio, "
                                    "dracut or mkinitrd); nothing was "
                                    "changed"));
  if (s->n == 0)
    return customize_op_error (c, _("no kernel was found in the guest "
                                    "(/boot/vmlinuz-VERSION with "
                                    MODULES_DIR "/VERSION); nothing was "
                                    "changed"));
  return 0;
}

int
customize_check_initramfs_guest (struct customize_ctx *c)
{
  struct setup s = { 0 };
  int r = setup (c, &s);

  setup_free (&s);
  return r;
}

/* The modules kernel k has: the files under its directory, and the
 * ones modules.builtin lists. */
static int
load_modules (struct customize_ctx *c, struct kernel *k)
{
  CLEANUP_FREE_STRING_LIST char **paths = NULL, **lines = NULL;
  CLEANUP_FREE char *dir = NULL, *list = NULL, *builtin = NULL;
  struct strlist files = STRLIST_INIT, built = STRLIST_INIT;
  char name[MODULE_NAME_MAX];
  size_t size;
  int r;

  if (asprintf (&dir, MODULES_DIR "/%s", k->version) == -1 ||
      asprintf (&list, "%s/modules.builtin", dir) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if ((paths = drydock_find (c->h, dir)) == NULL ||
      (r = is_file (c, list)) == -1 ||
      (r == 1 && (builtin = drydock_read_file (c->h, list, &size)) == NULL))
    return customize_op_lib_error (c);
  lines = builtin ? split_lines (builtin) : NULL;
  for (size_t i = 0; paths[i]; ++i)
    if (module_of_file (paths[i], name) == 0 &&
        strlist_add (&files, name) == -1)
      goto oom;
  for (size_t i = 0; lines && lines[i]; ++i)
    if (module_of_file (lines[i], name) == 0 &&
        strlist_add (&built, name) == -1)
      goto oom;
  if ((k->files = strlist_take (&files)) == NULL ||
      (k->builtin = strlist_take (&built)) == NULL)
    goto oom;
  return 0;
 oom:
  strlist_free (&files);
  strlist_free (&built);
  return customize_op_error (c, "%s", strerror (ENOMEM));
}

/* ---- the configuration ---- */

/* Writes a configuration file: replaced keeping its attributes when it
 * exists, created (with its directory) when not. */
static int
write_conf (struct customize_ctx *c, const char *path, const char *content,
            size_t len)
{
  CLEANUP_FREE char *dir = strdup (path);
  int r = drydock_exists (c->h, path);

  if (dir == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  if (r == -1)
    return customize_op_lib_error (c);
  if (r == 1)
    return customize_replace_file (c, path, content, len);
  *strrchr (dir, '/') = '\0';
  if (drydock_mkdir_p (c->h, dir) == -1 ||
      drydock_write (c->h, path, content, len) == -1)
    return customize_op_lib_error (c);
  return 0;
}

/* The content of a configuration file; "" when it does not exist. */
static char *
read_conf (struct customize_ctx *c, const char *path, size_t *size)
{
  char *content;
  int r = is_file (c, path);

  if (r == -1) {
    customize_op_lib_error (c);
    return NULL;
  }
  if (r == 0) {
    *size = 0;
    return strdup ("");
  }
  if ((content = drydock_read_file (c->h, path, size)) == NULL)
    customize_op_lib_error (c);
  return content;
}

/* A word of a list names a module (mkinitcpio's "mod?" too). */
static int
word_is (const char *w, size_t len, const char *module)
{
  char buf[MODULE_NAME_MAX];

  if (len > 0 && w[len - 1] == '?')
    len--;
  return normalise (w, len, buf) == 0 && strcmp (buf, module) == 0;
}

/* 1 if the blank-separated words of [p, end) name module. */
static int
words_have (const char *p, const char *end, const char *module)
{
  while (p < end) {
    size_t n;

    p += strspn (p, " \t\n");
    if (p >= end)
      break;
    n = strcspn (p, " \t\n");
    if (p + n > end)
      n = end - p;
    if (word_is (p, n, module))
      return 1;
    p += n;
  }
  return 0;
}

/* Where the value of the last uncommented "KEY=" line of text starts
 * (just after the '='); NULL if there is none. */
static const char *
find_assignment (const char *text, const char *key)
{
  const char *found = NULL, *p = text;
  size_t klen = strlen (key);

  while (*p) {
    const char *q = p + strspn (p, " \t");

    if (strncmp (q, key, klen) == 0 && q[klen] == '=')
      found = q + klen + 1;
    p += strcspn (p, "\n");
    p += *p == '\n';
  }
  return found;
}

/* Writes the blank-separated words of [p, end) with single spaces. */
static void
put_words (FILE *f, const char *p, const char *end, int *first)
{
  while (p < end) {
    size_t n;

    p += strspn (p, " \t\n");
    if (p >= end)
      break;
    n = strcspn (p, " \t\n");
    if (p + n > end)
      n = end - p;
    fprintf (f, "%s%.*s", *first ? "" : " ", (int) n, p);
    *first = 0;
    p += n;
  }
}

/* text with the modules added to the list of the shell variable key
 * (KEY=(a b), KEY="a b", KEY='a b' or KEY=a), written back as
 * KEY=<open>a b c<close>; a new line KEY=<open>mods<close> at the end
 * when there is none.  Sets *changed; NULL when nothing is missing, or
 * out of memory (errno). */
static char *
add_to_list (const char *text, const char *key, const char *open,
             const char *close, char *const *mods, int *changed)
{
  const char *v = find_assignment (text, key), *start, *end, *rest;
  const size_t tlen = strlen (text);
  char *out = NULL;
  size_t len;
  int first = 1;
  FILE *f;

  *changed = 0;
  if (v && *v && strchr ("(\"'", *v)) {
    const char *e = strchr (v + 1, *v == '(' ? ')' : *v);

    start = v + 1;
    end = e ? e : v + strlen (v);
    rest = e ? e + 1 : end;
  }
  else if (v) {
    start = v;
    end = rest = v + strcspn (v, " \t\n#");
  }
  else
    start = end = rest = text + tlen;
  for (size_t i = 0; mods[i]; ++i)
    if (!words_have (start, end, mods[i]))
      *changed = 1;
  if (!*changed || (f = open_memstream (&out, &len)) == NULL)
    return NULL;
  if (v)
    fprintf (f, "%.*s%s", (int) (v - text), text, open);
  else
    fprintf (f, "%s%s%s=%s", text,
             tlen && text[tlen - 1] != '\n' ? "\n" : "", key, open);
  put_words (f, start, end, &first);
  for (size_t i = 0; mods[i]; ++i)
    if (!words_have (start, end, mods[i]))
      put_words (f, mods[i], mods[i] + strlen (mods[i]), &first);
  fprintf (f, "%s%s%s", close, rest, v ? "" : "\n");
  if (fclose (f) == EOF) {
    free (out);
    return NULL;
  }
  return out;
}

/* Adds mods to the list variable key of the file path. */
static int
conf_list (struct customize_ctx *c, const char *path, const char *key,
           const char *open, const char *close, char *const *mods)
{
  CLEANUP_FREE char *text = NULL, *out = NULL;
  size_t size;
  int changed;

  if ((text = read_conf (c, path, &size)) == NULL)
    return -1;
  if (strlen (text) != size)
    return customize_op_error (c, _("%s is not a text file"), path);
  out = add_to_list (text, key, open, close, mods, &changed);
  if (!changed)
    return 0;
  if (out == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  return write_conf (c, path, out, strlen (out));
}

/* Debian's list: a module a line, options after it. */
static int
conf_lines (struct customize_ctx *c, char *const *mods)
{
  CLEANUP_FREE char *text = NULL, *out = NULL;
  size_t size, len;
  FILE *f;
  int changed = 0;

  if ((text = read_conf (c, DEBIAN_MODULES, &size)) == NULL)
    return -1;
  if ((f = open_memstream (&out, &len)) == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  fwrite (text, 1, size, f);
  if (size > 0 && text[size - 1] != '\n')
    fputc ('\n', f);
  for (size_t i = 0; mods[i]; ++i) {
    int found = 0;

    for (const char *p = text; *p && !found; ) {
      const char *q = p + strspn (p, " \t");
      size_t n = strcspn (q, " \t\n");

      found = *q != '#' && word_is (q, n, mods[i]);
      p += strcspn (p, "\n");
      p += *p == '\n';
    }
    if (!found) {
      fprintf (f, "%s\n", mods[i]);
      changed = 1;
    }
  }
  if (fclose (f) == EOF)
    return customize_op_error (c, "%s", strerror (errno));
  return changed ? write_conf (c, DEBIAN_MODULES, out, len) : 0;
}

/* The modules go where the tool finds them in later rebuilds too. */
static int
configure (struct customize_ctx *c, const struct setup *s, char *const *mods)
{
  int r;

  if (mods[0] == NULL)
    return 0;
  switch (s->tool->style) {
  case UPDATE_INITRAMFS:
    return conf_lines (c, mods);
  case MKINITCPIO:
    return conf_list (c, MKINITCPIO_CONF, "MODULES", "(", ")", mods);
  case DRACUT:
    return conf_list (c, DRACUT_CONF, "add_drivers+", "\" ", " \"", mods);
  case MKINITRD:
    if (!s->suse)
      return 0;
    if ((r = is_file (c, SUSE_KERNEL_CONF)) == -1)
      return customize_op_lib_error (c);
    return r == 0 ? 0 :
      conf_list (c, SUSE_KERNEL_CONF, "INITRD_MODULES", "\"", "\"", mods);
  }
  return 0;
}

/* ---- running the tool ---- */

/* The image the tool writes for k: its fixed name, or for dracut the
 * one the guest already has, else its distribution's. */
static int
image_of (struct customize_ctx *c, const struct setup *s, struct kernel *k)
{
  const char *fmt;
  int r;

  switch (s->tool->style) {
  case UPDATE_INITRAMFS:
    fmt = "/boot/initrd.img-%s";
    break;
  case MKINITCPIO:
    return asprintf (&k->image, "/boot/initramfs-%s.img", k->name) == -1 ?
      customize_op_error (c, "%s", strerror (errno)) : 0;
  case MKINITRD:
    fmt = s->suse ? "/boot/initrd-%s" : "/boot/initrd-%s.img";
    break;
  case DRACUT: default: {
    static const char *const names[] = { "/boot/initramfs-%s.img",
                                         "/boot/initrd-%s",
                                         "/boot/initrd.img-%s" };

    for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
      CLEANUP_FREE char *path = NULL;

      if (asprintf (&path, names[i], k->version) == -1)
        return customize_op_error (c, "%s", strerror (errno));
      if ((r = drydock_exists (c->h, path)) == -1)
        return customize_op_lib_error (c);
      if (r == 1) {
        k->image = TAKE_PTR (path);
        return 0;
      }
    }
    fmt = s->suse ? names[1] :
      distro_is (c, debian_distros) ? names[2] : names[0];
  }
  }
  if (asprintf (&k->image, fmt, k->version) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  return 0;
}

/* The words joined with spaces, then quoted (caller frees). */
static char *
quoted_words (char *const *words)
{
  CLEANUP_FREE char *joined = NULL;
  size_t len;
  FILE *f = open_memstream (&joined, &len);

  if (f == NULL)
    return NULL;
  for (size_t i = 0; words[i]; ++i)
    fprintf (f, "%s%s", i ? " " : "", words[i]);
  if (fclose (f) == EOF)
    return NULL;
  return customize_quote (joined);
}

/* The command making k's image with the modules mods (caller frees);
 * NULL (printed). */
static char *
command_of (struct customize_ctx *c, const struct setup *s,
            const struct kernel *k, char *const *mods)
{
  CLEANUP_FREE char *tool = customize_quote (s->path),
    *ver = customize_quote (k->version), *img = customize_quote (k->image),
    *words = quoted_words (mods), *vmlinuz = NULL, *qvmlinuz = NULL;
  char *cmd = NULL;
  size_t len;
  FILE *f;
  int exists = 0;

  if (tool == NULL || ver == NULL || img == NULL || words == NULL ||
      (f = open_memstream (&cmd, &len)) == NULL)
    goto oom;
  switch (s->tool->style) {
  case UPDATE_INITRAMFS:
    /* -u refuses to make an image that is not there. */
    if ((exists = drydock_exists (c->h, k->image)) == -1) {
      fclose (f);
      free (cmd);
      customize_op_lib_error (c);
      return NULL;
    }
    fprintf (f, "%s -%c -k %s", tool, exists ? 'u' : 'c', ver);
    break;
  case MKINITCPIO:
    fprintf (f, "%s -k %s -g %s", tool, ver, img);
    break;
  case DRACUT:
    fprintf (f, "%s -f", tool);
    if (mods[0])
      fprintf (f, " --add-drivers %s", words);
    fprintf (f, " %s %s", img, ver);
    break;
  case MKINITRD:
    if (s->suse) {
      if (asprintf (&vmlinuz, "/boot/vmlinuz-%s", k->name) == -1 ||
          (qvmlinuz = customize_quote (vmlinuz)) == NULL) {
        fclose (f);
        goto oom;
      }
      fprintf (f, "%s -k %s -i %s", tool, qvmlinuz, img);
      if (mods[0])
        fprintf (f, " -m %s", words);
    }
    else {
      fprintf (f, "%s -f", tool);
      for (size_t i = 0; mods[i]; ++i)
        fprintf (f, " --with=%s", mods[i]);
      fprintf (f, " %s %s", img, ver);
    }
    break;
  }
  if (fclose (f) == EOF)
    goto oom;
  return cmd;
 oom:
  free (cmd);
  customize_op_error (c, "%s", strerror (ENOMEM));
  return NULL;
}

/* ---- checking the image ---- */

struct seen {
  const char *version;
  char *const *want;
  int found[CUSTOMIZE_MODULES_MAX];
};

static int
on_entry (const struct cpio_entry *e, void *opaque)
{
  struct seen *s = opaque;
  const char *n = e->name;
  size_t vlen = strlen (s->version);
  char name[MODULE_NAME_MAX];

  while (n[0] == '.' && n[1] == '/')
    n += 2;
  n += strspn (n, "/");
  if (strncmp (n, "usr/", 4) == 0)
    n += 4;
  if (!S_ISREG (e->mode) || strncmp (n, "lib/modules/", 12) != 0 ||
      strncmp (n + 12, s->version, vlen) != 0 || n[12 + vlen] != '/' ||
      module_of_file (n, name) == -1)
    return 0;
  for (size_t i = 0; s->want[i]; ++i)
    if (strcmp (s->want[i], name) == 0)
      s->found[i] = 1;
  return 0;
}

/* Reads k's new image on the host: a valid initramfs with want. */
static int
check_image (struct customize_ctx *c, const struct setup *s,
             const struct kernel *k, char *const *want)
{
  const char *tmp = getenv ("TMPDIR");
  char dir[4096], file[4200], err[512];
  struct seen seen = { .version = k->version, .want = want };
  int r;

  if ((r = drydock_is_file (c->h, k->image)) == -1)
    return customize_op_lib_error (c);
  if (r == 0)
    return customize_op_error (c, _("%s made no %s for kernel %s"),
                               s->tool->name, k->image, k->version);
  snprintf (dir, sizeof dir, "%s/drydock-initramfs.XXXXXX",
            tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp (dir) == NULL)
    return customize_op_error (c, "%s: %s", dir, strerror (errno));
  snprintf (file, sizeof file, "%s/image", dir);
  r = drydock_download (c->h, k->image, file);
  if (r == 0)
    r = cpio_list_file (file, on_entry, &seen, err, sizeof err);
  else
    snprintf (err, sizeof err, "%s", drydock_last_error (c->h));
  unlink (file);
  rmdir (dir);
  if (r != 0)
    return customize_op_error (c, _("the initramfs %s that %s made for "
                                    "kernel %s cannot be read: %s"),
                               k->image, s->tool->name, k->version, err);
  for (size_t i = 0; want[i]; ++i)
    if (!seen.found[i])
      return customize_op_error (c, _("the initramfs %s that %s made for "
                                      "kernel %s lacks the module %s"),
                                 k->image, s->tool->name, k->version,
                                 want[i]);
  return 0;
}

/* ---- the rebuild ---- */

/* The modules of mods that k has as files, into want (the ones it has
 * built in are there already); -1 (printed) when required and k has a
 * module neither way. */
static int
wanted_for (struct customize_ctx *c, const struct kernel *k,
            char *const *mods, int required, char **want)
{
  size_t n = 0;

  for (size_t i = 0; mods[i]; ++i) {
    if (has (k->files, mods[i]) && !has (k->builtin, mods[i]))
      want[n++] = mods[i];
    else if (required && !has (k->builtin, mods[i]))
      return customize_op_error (c, _("kernel %s has no module %s (no file "
                                      "for it under " MODULES_DIR "/%s, and "
                                      "it is not built in)"),
                                 k->version, mods[i], k->version);
  }
  want[n] = NULL;
  return 0;
}

/* mods normalised, at most CUSTOMIZE_MODULES_MAX, into norm (its
 * strings in store). */
static int
normalise_all (struct customize_ctx *c, const char *const *mods,
               char store[][MODULE_NAME_MAX], char **norm)
{
  size_t n = 0;

  for (size_t i = 0; mods[i]; ++i) {
    if (n == CUSTOMIZE_MODULES_MAX)
      return customize_op_error (c, _("more than %d modules"),
                                 CUSTOMIZE_MODULES_MAX);
    if (normalise (mods[i], strlen (mods[i]), store[n]) == -1)
      return customize_op_error (c, _("'%s' is not a module name"), mods[i]);
    if (!has (norm, store[n])) {
      norm[n] = store[n];
      norm[++n] = NULL;
    }
  }
  norm[n] = NULL;
  return 0;
}

/* Rebuilds kernel k's image with want in it, and checks it. */
static int
rebuild_one (struct customize_ctx *c, const struct setup *s,
             const struct kernel *k, char *const *want)
{
  CLEANUP_FREE char *cmd = command_of (c, s, k, want), *what = NULL;

  if (cmd == NULL)
    return -1;
  tool_progress_phase (_("rebuilding %s for kernel %s (%s)"), k->image,
                       k->version, s->tool->name);
  if (asprintf (&what, _("%s for kernel %s"), s->tool->name,
                k->version) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  if (customize_run_in_guest_as (c, cmd, what, "") == -1)
    return -1;
  return check_image (c, s, k, want);
}

/* The kernels of s that lack the module essential (neither a file nor
 * built in). */
static size_t
count_lacking (const struct setup *s, const char *essential, int warn,
               const char *op)
{
  size_t n = 0;

  for (size_t i = 0; essential && i < s->n; ++i)
    if (!has (s->k[i].files, essential) && !has (s->k[i].builtin, essential)) {
      n++;
      if (warn)
        tool_warning (_("--%s: kernel %s has no %s module: it will not boot "
                        "from such a device"), op, s->k[i].version,
                      essential);
    }
  return n;
}

int
customize_initramfs_rebuild (struct customize_ctx *c,
                             const char *const *mods, int required,
                             const char *essential)
{
  char store[CUSTOMIZE_MODULES_MAX][MODULE_NAME_MAX];
  char *norm[CUSTOMIZE_MODULES_MAX + 1] = { NULL };
  char *conf[CUSTOMIZE_MODULES_MAX + 1] = { NULL };
  char *want[CUSTOMIZE_MODULES_MAX + 1];
  struct setup s = { 0 };
  size_t nconf = 0;
  int r = -1;

  if (normalise_all (c, mods, store, norm) == -1 || setup (c, &s) == -1)
    goto out;
  /* Every kernel's modules known before anything changes; the
   * configuration gets those that any kernel has as a file. */
  for (size_t i = 0; i < s.n; ++i) {
    if (image_of (c, &s, &s.k[i]) == -1 || load_modules (c, &s.k[i]) == -1 ||
        wanted_for (c, &s.k[i], norm, required, want) == -1)
      goto out;
    for (size_t j = 0; want[j]; ++j)
      if (!has (conf, want[j])) {
        conf[nconf++] = want[j];
        conf[nconf] = NULL;
      }
  }
  if (essential && count_lacking (&s, essential, 0, NULL) == s.n) {
    customize_op_error (c, _("no kernel of the guest has the %s module; "
                             "nothing was changed"), essential);
    goto out;
  }
  count_lacking (&s, essential, 1, c->op->def->name);
  if (configure (c, &s, conf) == -1)
    goto out;
  for (size_t i = 0; i < s.n; ++i)
    if (wanted_for (c, &s.k[i], norm, required, want) == -1 ||
        rebuild_one (c, &s, &s.k[i], want) == -1)
      goto out;
  r = 0;
 out:
  setup_free (&s);
  return r;
}

/* ---- the operations ---- */

int
customize_rebuild_initramfs (struct customize_ctx *c)
{
  const char *none[] = { NULL };

  return customize_initramfs_rebuild (c, none, 1, NULL);
}

int
customize_add_modules (struct customize_ctx *c)
{
  CLEANUP_FREE char *copy = strdup (c->op->arg);
  const char *mods[CUSTOMIZE_MODULES_MAX + 1];
  size_t n = 0;

  if (copy == NULL)
    return customize_op_error (c, "%s", strerror (errno));
  for (char *p = copy, *save = NULL, *m; (m = strtok_r (p, ",", &save));
       p = NULL) {
    if (n == CUSTOMIZE_MODULES_MAX)
      return customize_op_error (c, _("more than %d modules"),
                                 CUSTOMIZE_MODULES_MAX);
    mods[n++] = m;
  }
  mods[n] = NULL;
  return customize_initramfs_rebuild (c, mods, 1, NULL);
}
