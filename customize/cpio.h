/* Reading an initramfs on the host: the cpio "newc" archives (magic
 * 070701, or 070702 with checksums) it is made of, uncompressed (an
 * early microcode archive first, say) or compressed (gzip, xz, lzma,
 * zstd, lz4, bzip2, lzop) by the host's own decompressor, each archive
 * followed by zero padding, as the kernel unpacks it.  The image comes
 * from a guest: every length is checked, names are bounded, and so is
 * the unpacked size.
 *
 * Convention: 0, or -1 with a one-line reason in err (errlen bytes),
 * or the callback's non-zero value when it stopped the walk. */

#ifndef DRYDOCK_CUSTOMIZE_CPIO_H
#define DRYDOCK_CUSTOMIZE_CPIO_H

#include <stddef.h>
#include <stdint.h>

/* A name longer than this (PATH_MAX, its NUL included) is refused. */
#define CPIO_NAME_MAX 4096
/* More entries than this are refused. */
#define CPIO_ENTRIES_MAX 1000000
/* More unpacked bytes than this (in one compressed part) are refused. */
#define CPIO_UNPACKED_MAX (UINT64_C (4) << 30)

/* One member of an archive, the trailer left out.  name is as stored
 * (often "usr/lib/...", sometimes "./usr/lib/..."), valid during the
 * callback only. */
struct cpio_entry {
  const char *name;
  uint32_t mode;              /* type and permissions, as st_mode */
  uint64_t size;              /* the data's size */
};

/* Called for every entry, in order; a non-zero return stops the walk
 * and is returned by the lister. */
typedef int (*cpio_entry_fn) (const struct cpio_entry *e, void *opaque);

/* Lists the entries of the initramfs in the host file path.  Compressed
 * data runs from its start to the end of the file (several streams of
 * the same format are one); the host's program for the format (gzip,
 * xz, zstd, lz4, bzip2, lzop) unpacks it, and a missing one is named
 * in err. */
extern int cpio_list_file (const char *path, cpio_entry_fn fn, void *opaque,
                           char *err, size_t errlen);

/* The same for len bytes in memory, which must hold uncompressed
 * archives only: compressed data is refused (it is not unpacked). */
extern int cpio_list_memory (const void *data, size_t len, cpio_entry_fn fn,
                             void *opaque, char *err, size_t errlen);

#endif /* DRYDOCK_CUSTOMIZE_CPIO_H */
