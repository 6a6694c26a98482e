/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: builds (or finds in the cache) the appliance
 * that libdrydock boots: an uncompressed vmlinux extracted from the host
 * kernel; a small lz4 newc initrd holding the daemon as /init, its shared
 * libraries and the boot modules; and root.img, a read-only ext4 image
 * with the host binaries of contents.txt and their shared libraries, all
 * the kernel modules of modules.txt, and /etc/lvm/lvm.conf, which the
 * daemon mounts over the initrd's /usr and /etc/lvm.  Prints the three
 * paths.
 *
 * This file: options, defaults, and the build flow (stamp check, lock,
 * collect, hash, build, install, stamp).  See appliance/README.md.
 *
 * Built by appliance/Makefile.am; besides libc it links only common/'s
 * cleanup macros, vectors and I/O helpers (libcommon).
 */

#include "make-appliance.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* stat () and open () follow it to the running builder. */
#define SELF_EXE "/proc/self/exe"

#ifndef APPLIANCE_DATADIR
#define APPLIANCE_DATADIR "/usr/share/drydock/appliance"
#endif

struct options {
  const char *daemon, *cachedir, *kernel, *contents, *modules, *lvmconf;
  bool force;
};

static void
usage (FILE *fp)
{
  fprintf (fp, _("Usage: %s --daemon PATH [--cachedir DIR] [--kernel VMLINUZ]\n"
                 "         [--contents FILE] [--modules FILE] [--lvmconf FILE]\n"
                 "         [--verbose] [--force]\n"
                 "Build or reuse the cached drydock appliance; print the paths of\n"
                 "its kernel, initrd and root image.\n"), PROGRAM_NAME);
}

static int
parse_args (int argc, char *argv[], struct options *o)
{
  enum { O_DAEMON = 256, O_CACHEDIR, O_KERNEL, O_CONTENTS, O_MODULES,
         O_LVMCONF, O_FORCE, O_HELP };
  static const struct option longopts[] = {
    { "daemon", required_argument, NULL, O_DAEMON },
    { "cachedir", required_argument, NULL, O_CACHEDIR },
    { "kernel", required_argument, NULL, O_KERNEL },
    { "contents", required_argument, NULL, O_CONTENTS },
    { "modules", required_argument, NULL, O_MODULES },
    { "lvmconf", required_argument, NULL, O_LVMCONF },
    { "verbose", no_argument, NULL, 'v' },
    { "force", no_argument, NULL, O_FORCE },
    { "help", no_argument, NULL, O_HELP },
    { NULL },
  };
  int c;

  opterr = 0;
  while ((c = getopt_long (argc, argv, "v", longopts, NULL)) != -1) {
    switch (c) {
    case O_DAEMON: o->daemon = optarg; break;
    case O_CACHEDIR: o->cachedir = optarg; break;
    case O_KERNEL: o->kernel = optarg; break;
    case O_CONTENTS: o->contents = optarg; break;
    case O_MODULES: o->modules = optarg; break;
    case O_LVMCONF: o->lvmconf = optarg; break;
    case O_FORCE: o->force = true; break;
    case 'v': verbose = true; break;
    case O_HELP: usage (stdout); exit (EXIT_SUCCESS);
    default:
      error_set (argv[optind - 1], _("unknown option or missing argument (see --help)"));
      return -1;
    }
  }
  if (optind < argc) {
    error_set (argv[optind], _("unexpected argument (see --help)"));
    return -1;
  }
  if (o->daemon == NULL) {
    error_set ("--daemon", _("this option is required: the daemon to run as /init"));
    return -1;
  }
  return 0;
}

static char *
default_cachedir (void)
{
  const char *s;

  if ((s = getenv ("DRYDOCK_CACHEDIR")) != NULL && *s)
    return xstrdup (s);
  if ((s = getenv ("XDG_CACHE_HOME")) != NULL && s[0] == '/')
    return xasprintf ("%s/drydock", s);
  if ((s = getenv ("HOME")) != NULL && s[0] == '/')
    return xasprintf ("%s/.cache/drydock", s);
  return xasprintf ("/var/tmp/drydock-%d", (int) getuid ());
}

/* Absolute, symlink-free path of an existing file. */
static char *
absolute (const char *path, const char *hint)
{
  char *r = realpath (path, NULL);

  if (r == NULL && hint)
    error_set (path, "%s (%s)", strerror (errno), hint);
  else if (r == NULL)
    error_set_errno (path, errno);
  return r;
}

static char *
data_file (const char *option, const char *name)
{
  const char *dir = getenv ("DRYDOCK_APPLIANCE_DATADIR");
  CLEANUP_FREE char *path = NULL;

  if (option)
    return absolute (option, NULL);
  path = xasprintf ("%s/%s", dir && *dir ? dir : APPLIANCE_DATADIR, name);
  return absolute (path, _("set DRYDOCK_APPLIANCE_DATADIR or use the options"));
}

static int
make_config (const struct options *o, struct config *cfg)
{
  CLEANUP_FREE char *cachedir = o->cachedir ? xstrdup (o->cachedir) :
    default_cachedir ();

  cfg->force = o->force;
  if ((cfg->daemon = absolute (o->daemon, NULL)) == NULL)
    return -1;
  if (access (cfg->daemon, X_OK) == -1) {
    error_set (cfg->daemon, _("the daemon is not executable"));
    return -1;
  }
  cfg->kernel = o->kernel ? absolute (o->kernel, NULL) : kernel_find_default ();
  if (cfg->kernel == NULL ||
      (cfg->contents = data_file (o->contents, "contents.txt")) == NULL ||
      (cfg->modules = data_file (o->modules, "modules.txt")) == NULL ||
      (cfg->lvmconf = data_file (o->lvmconf, "lvm.conf")) == NULL ||
      cache_prepare_dir (cachedir) == -1)
    return -1;
  cfg->cachedir = absolute (cachedir, NULL);
  return cfg->cachedir ? 0 : -1;
}

/* What goes into each image.  The initrd holds only what the daemon
 * needs until it has mounted the root image; the root image repeats the
 * initrd's files, since it hides the initrd's /usr.
 */
struct contents {
  struct entry_vector initrd, root;
};

static int
add_host_files (struct input_vector *inputs, const struct entry_vector *v)
{
  for (size_t i = 0; i < v->len; ++i)
    if (v->ptr[i].kind == ENTRY_FILE &&
        input_add (inputs, v->ptr[i].source) == -1)
      return -1;
  return 0;
}

/* Decide what goes into the images, and which files to watch. */
static int
collect (const struct config *cfg, struct contents *c, struct result *res)
{
  CLEANUP_FREE char *release = kernel_release (cfg->kernel);

  if (release == NULL)
    return -1;
  verbose_msg ("kernel %s, release %s", cfg->kernel, release);
  entries_init_symlinks ();
  entries_add_skeleton (&c->initrd);
  /* The builder itself is an input: a new builder may build differently. */
  if (input_add (&res->inputs, SELF_EXE) == -1 ||
      input_add (&res->inputs, cfg->kernel) == -1 ||
      input_add (&res->inputs, cfg->contents) == -1 ||
      input_add (&res->inputs, cfg->modules) == -1 ||
      elf_add_daemon (&c->initrd, cfg->daemon) == -1 ||
      elf_add_contents (&c->root, cfg->contents) == -1 ||
      entry_add_file (&c->root, cfg->lvmconf, "etc/lvm/lvm.conf", 0644) == -1 ||
      kmods_add (&c->initrd, &c->root, &res->inputs, cfg->modules,
                 release) == -1)
    return -1;
  entries_copy_files (&c->root, &c->initrd);
  entries_finish (&c->initrd);
  entries_finish (&c->root);
  if (add_host_files (&res->inputs, &c->initrd) == -1 ||
      add_host_files (&res->inputs, &c->root) == -1)
    return -1;
  verbose_msg ("%zu initrd entries, %zu root image entries, from %zu input "
               "files", c->initrd.len, c->root.len, res->inputs.len);
  return 0;
}

/* The hash of every input file, from its identity: path, device,
 * inode, size and times, the tuple the stamp trusts anyway.  Hashing
 * the content (60 MB: the kernel, the daemon, the tools and their
 * libraries) cost 0.4-1.2 s of every first launch, for nothing more
 * than sharing an appliance between identical copies of a file.  A
 * file changed in place changes its times, so it is seen.
 */
static int
hash_inputs (const struct config *cfg, struct result *res)
{
  (void) cfg;
  for (size_t i = 0; i < res->inputs.len; ++i) {
    struct input *in = &res->inputs.ptr[i];
    struct sha256 ctx;
    uint8_t digest[32];
    char id[128];
    int n = snprintf (id, sizeof id, "%" PRIu64 " %" PRIu64 " %" PRIu64
                      " %" PRId64 " %" PRId64, in->dev, in->ino, in->size,
                      in->mtime_ns, in->ctime_ns);

    sha256_init (&ctx);
    sha256_update (&ctx, in->path, strlen (in->path) + 1);
    sha256_update (&ctx, id, (size_t) n);
    sha256_final (&ctx, digest);
    hex_encode (digest, sizeof digest, in->hash);
  }
  verbose_msg ("identified %zu input files", res->inputs.len);
  return 0;
}

/* 128 bits of SHA-256, in hex, name the cached files.  The root image
 * has a hash of its own, so that a new daemon reuses it.
 */
static int
compute_hashes (const struct config *cfg, const struct contents *c,
                struct result *res)
{
  const struct input *kernel = input_find (&res->inputs, cfg->kernel);
  const struct input *self = input_find (&res->inputs, SELF_EXE);
  struct sha256 ctx;
  uint8_t digest[32];

  if (hash_inputs (cfg, res) == -1)
    return -1;
  memcpy (res->kernel_hash, kernel->hash, 32);
  res->kernel_hash[32] = '\0';
  sha256_init (&ctx);
  sha256_update (&ctx, APPLIANCE_FORMAT, sizeof APPLIANCE_FORMAT);
  sha256_update (&ctx, self->hash, strlen (self->hash) + 1);
  if (entries_hash (&c->root, &res->inputs, &ctx) == -1)
    return -1;
  sha256_final (&ctx, digest);
  hex_encode (digest, 16, res->root_hash);
  sha256_init (&ctx);
  sha256_update (&ctx, APPLIANCE_FORMAT, sizeof APPLIANCE_FORMAT);
  sha256_update (&ctx, self->hash, strlen (self->hash) + 1);
  sha256_update (&ctx, kernel->hash, strlen (kernel->hash) + 1);
  sha256_update (&ctx, res->root_hash, strlen (res->root_hash) + 1);
  if (entries_hash (&c->initrd, &res->inputs, &ctx) == -1)
    return -1;
  sha256_final (&ctx, digest);
  hex_encode (digest, 16, res->hash);
  verbose_msg ("appliance hash %s, root image hash %s", res->hash,
               res->root_hash);
  return 0;
}

/* A complete PVH ELF file, trimmed (a no-op on a vmlinux that this
 * builder extracted before).
 */
static int
check_vmlinux (const char *path)
{
  if (kernel_check_elf (path) == -1)
    return -1;
  return kernel_trim_segments (path);
}

/* Reuse (hard link) the file SHARED built before from the same inputs,
 * if any and if CHECK (may be NULL) accepts it.
 */
static bool
reuse_shared (const char *shared, const char *path,
              int (*check) (const char *path))
{
  if (access (shared, F_OK) == -1)
    return false;
  if ((check && check (shared) == -1) || link (shared, path) == -1) {
    error_clear ();
    return false;
  }
  verbose_msg ("reusing %s", shared);
  return true;
}

static void
share_file (const char *path, const char *shared)
{
  unlink (shared);
  if (link (path, shared) == -1)
    verbose_msg ("warning: cannot link %s: %s", shared, strerror (errno));
}

static int
build_root (const struct config *cfg, const struct contents *c,
            const struct result *res, const char *tmpdir)
{
  CLEANUP_FREE char *shared = cache_shared_root (cfg, res);
  CLEANUP_FREE char *root = xasprintf ("%s/root.img", tmpdir);

  if (!cfg->force && reuse_shared (shared, root, NULL))
    return 0;
  if (rootfs_write_image (&c->root, root, tmpdir) == -1)
    return -1;
  share_file (root, shared);
  return 0;
}

/* The vmlinux is extracted in a child process while this one writes
 * the initrd and the root image: the two cores each get one.
 */
static int
build_files (const struct config *cfg, const struct contents *c,
             const struct result *res, const char *tmpdir)
{
  CLEANUP_FREE char *shared = xasprintf ("%s/vmlinux-%s", cfg->cachedir,
                                         res->kernel_hash);
  CLEANUP_FREE char *vmlinux = xasprintf ("%s/vmlinux", tmpdir);
  CLEANUP_FREE char *initrd = xasprintf ("%s/initrd", tmpdir);
  CLEANUP_CLOSE int fd = -1;
  pid_t pid = 0;
  int r;

  if (cfg->force || !reuse_shared (shared, vmlinux, check_vmlinux)) {
    fd = open (vmlinux, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd == -1) {
      error_set_errno (vmlinux, errno);
      return -1;
    }
    if ((pid = kernel_extract_start (cfg->kernel, fd)) == -1)
      return -1;
  }
  r = cpio_write_initrd (&c->initrd, initrd, tmpdir);
  verbose_msg ("initrd written");
  if (r == 0)
    r = build_root (cfg, c, res, tmpdir);
  if (pid > 0) {
    int status = wait_child (pid, "kernel decompressor");
    /* Trailing data after the payload may make the decompressor
     * complain; the ELF check below is what decides.
     */
    verbose_msg ("kernel decompressor exited with status %d", status);
    if (r == 0)
      error_clear ();
    if (r == 0)
      r = check_vmlinux (vmlinux);
    if (r == 0 && fdatasync (fd) == -1) {
      error_set_errno (vmlinux, errno);
      r = -1;
    }
    if (r == 0)
      share_file (vmlinux, shared);
  }
  return r;
}

/* Called with the lock held, after already_built () said no: whatever
 * is at DIR is incomplete, or --force wants it replaced.
 */
static int
install (const char *tmpdir, const char *dir)
{
  if (rm_rf (dir) == -1)
    return -1;
  if (rename (tmpdir, dir) == 0)
    return 0;
  if (errno == EEXIST || errno == ENOTEMPTY) {
    /* Another builder got there first with the same content. */
    verbose_msg ("%s appeared meanwhile, using it", dir);
    return rm_rf (tmpdir);
  }
  error_set_errno (dir, errno);
  return -1;
}

static int
build (const struct config *cfg, const struct contents *c,
       const struct result *res)
{
  CLEANUP_FREE char *tmpdir = xasprintf ("%s/tmp-XXXXXX", cfg->cachedir);
  CLEANUP_FREE char *dir = cache_appliance_dir (cfg, res);

  if (mkdtemp (tmpdir) == NULL) {
    error_set_errno (cfg->cachedir, errno);
    return -1;
  }
  if (build_files (cfg, c, res, tmpdir) == -1 ||
      install (tmpdir, dir) == -1) {
    rm_rf (tmpdir);
    return -1;
  }
  verbose_msg ("built %s", dir);
  return 0;
}

static bool
already_built (const struct config *cfg, const struct result *res)
{
  CLEANUP_FREE char *dir = cache_appliance_dir (cfg, res);

  if (cfg->force || !cache_appliance_complete (dir))
    return false;
  verbose_msg ("%s exists already, only the stamp changes", dir);
  return true;
}

/* The slow path, under the lock. */
static int
rebuild (const struct config *cfg, struct result *res)
{
  struct contents c = { 0 };
  int lock = cache_lock (cfg->cachedir);
  int r = lock == -1 ? -1 : 0;

  /* Whoever held the lock before us may have just built it. */
  if (r == 0 && !cfg->force && cache_stamp_check (cfg, res) == 1) {
    close (lock);
    return 0;
  }
  if (r == 0)
    verbose_msg ("collecting inputs");
  if (r == 0)
    r = collect (cfg, &c, res);
  if (r == 0)
    r = compute_hashes (cfg, &c, res);
  if (r == 0 && !already_built (cfg, res))
    r = build (cfg, &c, res);
  if (r == 0)
    r = cache_stamp_write (cfg, res);
  if (r == 0)
    cache_cleanup (cfg, res);
  entry_vector_free (&c.initrd);
  entry_vector_free (&c.root);
  if (lock >= 0)
    close (lock);
  return r;
}

static void
config_free (struct config *cfg)
{
  free (cfg->daemon);
  free (cfg->kernel);
  free (cfg->contents);
  free (cfg->modules);
  free (cfg->lvmconf);
  free (cfg->cachedir);
}

static int
run (int argc, char *argv[])
{
  struct options opts = { 0 };
  struct config cfg = { 0 };
  struct result res = { 0 };
  CLEANUP_FREE char *dir = NULL;
  int r;

  r = parse_args (argc, argv, &opts);
  if (r == 0)
    r = make_config (&opts, &cfg);
  if (r == 0 && (cfg.force || cache_stamp_check (&cfg, &res) == 0))
    r = rebuild (&cfg, &res);
  if (r == 0) {
    dir = cache_appliance_dir (&cfg, &res);
    printf ("%s/vmlinux\n%s/initrd\n%s/root.img\n", dir, dir, dir);
    verbose_msg ("done");
  }
  input_vector_free (&res.inputs);
  config_free (&cfg);
  return r;
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  textdomain ("drydock");
  /* A dying lz4 must turn into a write error, not kill us. */
  signal (SIGPIPE, SIG_IGN);
  /* Starts the clock of the --verbose timestamps. */
  verbose_msg ("start");
  if (run (argc, argv) == -1) {
    error_print ();
    return EXIT_FAILURE;
  }
  if (fflush (stdout) == EOF) {
    perror (PROGRAM_NAME);
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}
