/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* I/O that does not stop half way: short reads and writes are resumed
 * and EINTR is retried, once, here, instead of a loop in every file.
 *
 * Convention: -1 (or NULL) with errno on failure.  These are for
 * blocking fds: on a non-blocking one EAGAIN is an error like any
 * other (poll, then write the rest yourself). */

#ifndef DRYDOCK_FULL_RW_H
#define DRYDOCK_FULL_RW_H

#include <stddef.h>
#include <sys/types.h>

/* Writes all n bytes of buf.  0, or -1 with errno (how much was
 * written before the error is not said). */
extern int write_all (int fd, const void *buf, size_t n);

/* Reads n bytes into buf, or fewer if the end of the file comes first.
 * Returns how many were read (less than n only at the end), or -1 with
 * errno. */
extern ssize_t read_all (int fd, void *buf, size_t n);

/* Reads fd from its offset to its end, but never more than max bytes:
 * a longer file is cut at max, without an error.  To refuse a file
 * bigger than some limit, ask for limit + 1 bytes and check *len.
 * Returns the bytes followed by a NUL (embedded NULs are possible:
 * *len says where the content ends), which the caller frees; or NULL
 * with errno (ENOMEM, or read's). */
extern char *read_fd_max (int fd, size_t max, size_t *len);

/* The same for a host file named by path. */
extern char *read_file_max (const char *path, size_t max, size_t *len);

/* Flushes the file at path to its disk (for a file another program
 * wrote without flushing).  0, or -1 with errno. */
extern int fsync_path (const char *path);

/* Flushes the directory holding path (its names: a rename or an unlink
 * there then survives a crash).  0, or -1 with errno. */
extern int fsync_dir_of (const char *path);

#endif /* DRYDOCK_FULL_RW_H */
