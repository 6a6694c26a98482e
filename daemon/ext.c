/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ext2/3/4 tools: tune2fs_l (the superblock as pairs) and e2fsck,
 * run from the appliance on a device, never on a guest path. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"

/* tune2fs's words for an empty value. */
static int
empty_value (const char *v)
{
  return strcmp (v, "<none>") == 0 || strcmp (v, "<not available>") == 0 ||
    strcmp (v, "(none)") == 0;
}

char **
do_tune2fs_l (const char *device)
{
  char *const argv[] = { "tune2fs", "-l", (char *) device, NULL };
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE_STRING_LIST char **lines = NULL;
  struct strlist l = STRLIST_INIT;
  char **r;

  if (command_or_reply (device, &out, argv) == -1)
    return NULL;
  lines = split_lines (out);
  if (lines == NULL)
    goto nomem;
  /* "Key name:   value"; the first line, tune2fs's version, has no
   * colon. */
  for (size_t i = 0; lines[i]; ++i) {
    char *colon = strchr (lines[i], ':'), *v;

    if (colon == NULL)
      continue;
    *colon = '\0';
    v = colon + 1 + strspn (colon + 1, " \t");
    for (char *e = v + strlen (v); e > v && (e[-1] == ' ' || e[-1] == '\t'); )
      *--e = '\0';
    if (strlist_add (&l, lines[i]) == -1 ||
        strlist_add (&l, empty_value (v) ? "" : v) == -1)
      goto nomem;
  }
  r = strlist_take (&l);
  if (r == NULL && (r = calloc (1, sizeof *r)) == NULL)
    goto nomem;
  return r;
 nomem:
  strlist_free (&l);
  reply_with_perror ("%s", device);
  return NULL;
}

int
do_e2fsck (const char *device, uint64_t optmask, int correct, int forceall)
{
  int c = (optmask & OPT_E2FSCK_CORRECT) && correct;
  int y = (optmask & OPT_E2FSCK_FORCEALL) && forceall;
  /* Without either, -n: nothing is changed, and nothing waits for a
   * terminal to answer. */
  char *const argv[] = {
    "e2fsck", "-f", c ? "-p" : y ? "-y" : "-n", (char *) device, NULL
  };
  CLEANUP_FREE char *err = NULL;
  int r;

  if (c && y)
    return reply_with_error_errno (EINVAL, "%s: correct and forceall "
                                   "exclude each other", device);
  r = run_command (NULL, &err, argv);
  /* 1: errors were corrected; 2: and the system should reboot. */
  if (r == 0 || r == 1 || r == 2)
    return 0;
  return reply_command_error (device, argv, r, err);
}
