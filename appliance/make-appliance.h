/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: declarations shared by the source files of
 * the appliance builder in appliance/.  See make-appliance.c for the
 * overview and the compile command.
 *
 * Error convention for every helper declared here that can fail: it
 * returns -1 (or NULL) after calling error_set () exactly once; main ()
 * prints that one message and exits.  Out of memory is fatal at once
 * (the x* allocators), as befits a short-lived tool.
 */

#ifndef DRYDOCK_MAKE_APPLIANCE_H
#define DRYDOCK_MAKE_APPLIANCE_H

/* Every .c file of the builder includes this header first. */
#include <config.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>
#include <libintl.h>

#include "cleanups.h"
#include "full-rw.h"
#include "vector.h"

#define PROGRAM_NAME "drydock-make-appliance"
#define _(str) dgettext ("drydock", (str))

/* Bump whenever what goes into the appliance changes in a way that is
 * not captured by the content of the input files (layout, generated
 * files, cpio details).  It is hashed, so bumping it forces a rebuild.
 */
#define APPLIANCE_FORMAT "drydock-appliance-format 3"

/* Inside the appliance. */
#define APPLIANCE_MODDIR "/lib/modules/drydock"

/* ---- errors, messages, memory (util.c) ---- */

void error_set (const char *thing, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
void error_set_errno (const char *thing, int errnum);
void error_print (void);
/* Forget an error that turned out not to be fatal. */
void error_clear (void);
bool error_is_set (void);

extern bool verbose;
void verbose_msg (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Says so on stderr and exits. */
void out_of_memory (void) __attribute__ ((noreturn));
void *xmalloc (size_t n);
void *xcalloc (size_t n, size_t size);
void *xrealloc (void *ptr, size_t n);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* Vectors are common/vector.h's; their _append fails only when out of
 * memory, which the callers here treat as fatal (out_of_memory). */
DEFINE_VECTOR_TYPE (string_vector, char *);
bool string_vector_contains (const struct string_vector *v, const char *s);
void string_vector_free (struct string_vector *v);

/* ---- files and processes (util.c) ---- */

/* Read a whole host file (at most TEXT_FILE_MAX bytes: lists and module
 * metadata), NUL-terminated.  Caller frees. */
#define TEXT_FILE_MAX (256 * 1024 * 1024)
char *read_text_file (const char *path, size_t *size_ret);
/* Write a file via a temporary and rename (), so readers never see a
 * partial file.
 */
int write_file_atomic (const char *path, const char *data, size_t len);
int mkdir_p (const char *path, mode_t mode);
int rm_rf (const char *path);
/* Copy one open file to another fd, exactly SIZE bytes. */
int copy_fd (int in_fd, int out_fd, uint64_t size, const char *name);

/* Start PROG (searched in $PATH) with stdin IN_FD and stdout OUT_FD.
 * PACKAGE names the Debian package to suggest when PROG is missing.
 * The child's stderr goes to /dev/null unless --verbose.
 */
pid_t spawn (const char *const argv[], int in_fd, int out_fd,
             const char *package);
/* Wait for a child started by spawn (); returns its exit status, or -1
 * if it was killed or waitpid failed.
 */
int wait_child (pid_t pid, const char *name);

/* ---- SHA-256 (sha256.c) ---- */

struct sha256 {
  uint32_t h[8];
  uint64_t len;
  uint8_t buf[64];
  size_t buflen;
};

void sha256_init (struct sha256 *ctx);
void sha256_update (struct sha256 *ctx, const void *data, size_t len);
void sha256_final (struct sha256 *ctx, uint8_t out[32]);
/* Feed a file's content; returns -1 on I/O error. */
int sha256_update_file (struct sha256 *ctx, const char *path);
void hex_encode (const uint8_t *in, size_t len, char *out);

/* ---- inputs recorded in the stamp ---- */

struct input {
  char *path;
  uint64_t dev, ino, size;
  int64_t mtime_ns, ctime_ns;
  char hash[65];                /* SHA-256 of the content, hex, or "" */
};
DEFINE_VECTOR_TYPE (input_vector, struct input);

struct input *input_find (const struct input_vector *v, const char *path);
/* stat () PATH (following symlinks) into RET; sets the error. */
int input_stat (const char *path, struct input *ret);
bool input_equal (const struct input *a, const struct input *b);
/* Record PATH once in V (no-op if already there). */
int input_add (struct input_vector *v, const char *path);
void input_vector_free (struct input_vector *v);

/* ---- archive entries (entries.c) ---- */

enum entry_kind {
  ENTRY_DIR,
  ENTRY_FILE,                   /* content from a host file */
  ENTRY_DATA,                   /* content generated in memory */
  ENTRY_SYMLINK,                /* data = link target */
  ENTRY_CHARDEV,
};

struct entry {
  char *path;                   /* in the archive, no leading '/' */
  enum entry_kind kind;
  mode_t mode;                  /* permission bits only */
  char *source;                 /* ENTRY_FILE: host path */
  const char *decompress;       /* ENTRY_FILE: filter program, or NULL */
  bool strip_signature;         /* ENTRY_FILE: a kernel module, see modsig.c */
  char *data;                   /* ENTRY_DATA, ENTRY_SYMLINK */
  size_t data_len;
  unsigned rdev_major, rdev_minor;
  uint64_t host_dev, host_ino, size; /* ENTRY_FILE, filled by stat */
};
DEFINE_VECTOR_TYPE (entry_vector, struct entry);

/* Map a host path to its archive path, through the mirrored top-level
 * symlinks (e.g. /lib/x -> usr/lib/x on merged-/usr hosts).  Caller frees.
 */
char *archive_path (const char *host_path);
void entries_init_symlinks (void);
struct entry *entry_find (struct entry_vector *v, const char *path);
/* Add host file HOST_PATH as archive path APATH (or at its own path if
 * APATH is NULL).  Returns 0 if added, 1 if the path was already there.
 */
int entry_add_file (struct entry_vector *v, const char *host_path,
                    const char *apath, mode_t mode);
/* Is E a host file stored as is (no decompression, no stripping), so
 * that entries of the same host inode can share one inode?
 */
bool entry_is_plain_file (const struct entry *e);
/* Open the content of file entry E: the host file itself, or a scratch
 * copy in TMPDIR when it must be decompressed.  *SIZE is how many bytes
 * from the start belong to the entry (less than the file for a module
 * whose signature is stripped).  Returns the fd (caller closes).
 */
int entry_open (const struct entry *e, const char *tmpdir, uint64_t *size);
/* Append to DST a copy of every host file entry of SRC except /init:
 * the root image hides the initrd's /usr, so it repeats its libraries
 * and boot modules.
 */
void entries_copy_files (struct entry_vector *dst,
                         const struct entry_vector *src);
void entry_add_data (struct entry_vector *v, const char *apath, mode_t mode,
                     char *data, size_t len);
void entry_add_dir (struct entry_vector *v, const char *apath, mode_t mode);
void entry_add_symlink (struct entry_vector *v, const char *apath,
                        const char *target);
void entry_add_chardev (struct entry_vector *v, const char *apath,
                        mode_t mode, unsigned major, unsigned minor);
/* Add the fixed skeleton of the initrd: directories (including the
 * mount points of the root image), /etc files, top-level symlinks.
 */
void entries_add_skeleton (struct entry_vector *v);
/* Add missing parent directories and sort; call before hashing/writing. */
void entries_finish (struct entry_vector *v);
/* Hash every entry in archive order: metadata, and for host files the
 * content hash recorded in INPUTS.
 */
int entries_hash (const struct entry_vector *v,
                  const struct input_vector *inputs, struct sha256 *ctx);
void entry_vector_free (struct entry_vector *v);

/* ---- cpio newc + lz4 (cpio.c) ---- */

/* Write ENTRIES as an lz4 (legacy format) compressed newc cpio archive
 * to PATH.  TMPDIR holds scratch files.
 */
int cpio_write_initrd (const struct entry_vector *entries, const char *path,
                       const char *tmpdir);

/* ---- ext4 root image (rootfs.c) ---- */

/* Write ENTRIES into a staging directory under TMPDIR and turn it into
 * the ext4 image PATH with mke2fs -d.  No character devices.
 */
int rootfs_write_image (const struct entry_vector *entries, const char *path,
                        const char *tmpdir);

/* ---- module signatures (modsig.c) ---- */

/* How many of the SIZE bytes of the module open as FD are left once a
 * signature appended by the kernel's sign-file is cut off: SIZE itself
 * if the module is not signed.  -1 on a read error or a malformed
 * trailer.
 */
int64_t modsig_unsigned_size (int fd, uint64_t size, const char *name);

/* ---- shared libraries (elf-deps.c) ---- */

/* Add the daemon as /init, and the transitive closure of its
 * interpreter and shared libraries.
 */
int elf_add_daemon (struct entry_vector *entries, const char *daemon);
/* Add everything listed in CONTENTS_FILE, with the same closure. */
int elf_add_contents (struct entry_vector *entries, const char *contents_file);

/* ---- kernel modules (kmods.c) ---- */

/* Add the modules listed in MODULES_FILE and their dependencies, plus
 * the generated boot and deps lists: the boot modules and the boot list
 * to INITRD, every module and both lists to ROOT.  Record the module
 * metadata files read in INPUTS.
 */
int kmods_add (struct entry_vector *initrd, struct entry_vector *root,
               struct input_vector *inputs, const char *modules_file,
               const char *release);

/* ---- kernel (kernel.c) ---- */

/* Newest /boot/vmlinuz-* with a /lib/modules dir.  Caller frees. */
char *kernel_find_default (void);
/* Kernel release of a bzImage ("6.1.0-56-amd64").  Caller frees. */
char *kernel_release (const char *kernel);
/* Start decompressing the bzImage into OUT_FD; returns the child pid. */
pid_t kernel_extract_start (const char *kernel, int out_fd);
/* Check that PATH is a complete ELF executable. */
int kernel_check_elf (const char *path);
/* Shrink the file size of each loadable segment of the checked ELF file
 * PATH to exclude its trailing zeroes (the kernel's .bss and scratch
 * areas, 21 MB on Debian 12), which the loader then fills in.  qemu
 * keeps the file's segment data mapped, so those are 21 MB less RSS.
 */
int kernel_trim_segments (const char *path);

/* ---- cache directory and stamp (cache.c) ---- */

struct config {
  char *daemon;                 /* absolute */
  char *kernel;                 /* absolute bzImage */
  char *contents, *modules, *lvmconf;
  char *cachedir;               /* absolute, exists, ours */
  bool force;
};

struct result {
  char hash[65];                /* appliance hash, hex */
  char kernel_hash[65];         /* hash of the bzImage, hex */
  char root_hash[65];           /* hash of the root image's content, hex */
  struct input_vector inputs;
};

int cache_prepare_dir (const char *cachedir);
/* 1 = the stamp matches and its appliance exists (RES filled), 0 = no. */
int cache_stamp_check (const struct config *cfg, struct result *res);
int cache_stamp_write (const struct config *cfg, const struct result *res);
/* The inputs recorded in the stamp, with their content hashes, whatever
 * configuration they were for (none if there is no usable stamp).
 */
void cache_stamp_load_inputs (const struct config *cfg,
                              struct input_vector *prev);
int cache_lock (const char *cachedir);
/* Remove appliance-*, vmlinux-*, root-*.img and tmp-* other than the
 * current ones.
 */
void cache_cleanup (const struct config *cfg, const struct result *res);
char *cache_appliance_dir (const struct config *cfg, const struct result *res);
/* CACHEDIR/root-RHASH.img, shared by appliances of different daemons. */
char *cache_shared_root (const struct config *cfg, const struct result *res);
/* Are all the files of the appliance in DIR there? */
bool cache_appliance_complete (const char *dir);

#endif /* DRYDOCK_MAKE_APPLIANCE_H */
