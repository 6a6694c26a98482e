/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Cleanup attributes: a variable declared with one of these is released
 * when it goes out of scope.  TAKE_PTR hands ownership on to the caller. */

#ifndef DRYDOCK_CLEANUPS_H
#define DRYDOCK_CLEANUPS_H

#include <stdlib.h>

extern void cleanup_free (void *ptr);
extern void cleanup_free_string_list (void *ptr);
extern void cleanup_close (void *ptr);
extern void cleanup_fclose (void *ptr);
extern void cleanup_closedir (void *ptr);

#define CLEANUP_FREE __attribute__((cleanup (cleanup_free)))
#define CLEANUP_FREE_STRING_LIST \
  __attribute__((cleanup (cleanup_free_string_list)))
#define CLEANUP_CLOSE __attribute__((cleanup (cleanup_close)))
#define CLEANUP_FCLOSE __attribute__((cleanup (cleanup_fclose)))
#define CLEANUP_CLOSEDIR __attribute__((cleanup (cleanup_closedir)))

#define TAKE_PTR(p) ({ __typeof__ (p) take_ptr_tmp = (p); (p) = NULL; take_ptr_tmp; })
#define TAKE_FD(fd) ({ int take_fd_tmp = (fd); (fd) = -1; take_fd_tmp; })

#endif /* DRYDOCK_CLEANUPS_H */
