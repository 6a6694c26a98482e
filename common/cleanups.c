/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The functions behind the CLEANUP_* attributes of cleanups.h. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cleanups.h"
#include "strlist.h"

void
cleanup_free (void *ptr)
{
  free (*(void **) ptr);
}

void
cleanup_free_string_list (void *ptr)
{
  free_string_list (*(char ***) ptr);
}

void
cleanup_close (void *ptr)
{
  int fd = *(int *) ptr;
  int saved = errno;

  if (fd >= 0)
    close (fd);
  errno = saved;
}

void
cleanup_fclose (void *ptr)
{
  FILE *fp = *(FILE **) ptr;

  if (fp)
    fclose (fp);
}

void
cleanup_closedir (void *ptr)
{
  DIR *d = *(DIR **) ptr;

  if (d)
    closedir (d);
}
