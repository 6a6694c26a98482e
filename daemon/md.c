/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linux software RAID through mdadm: md_create, md_detail, md_stop,
 * list_md_devices.  Without udev, mdadm makes the /dev/mdN nodes and
 * /dev/md/NAME links itself. */

#include <config.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "actions-gen.h"

int
optgroup_mdadm_available (void)
{
  struct stat st;

  load_module ("md_mod");
  return program_available ("mdadm") && stat ("/sys/module/md_mod", &st) == 0;
}

static int
check_md_name (const char *name)
{
  size_t n = strlen (name);

  if (n == 0 || n > 32 || name[0] == '-' ||
      strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
              "0123456789_-") != n)
    return reply_with_error_errno (EINVAL, "\"%s\": invalid RAID device name "
                                   "(letters, digits, _ and -)", name);
  return 0;
}

int
do_md_create (const char *name, char *const *devices, uint64_t optmask,
              int64_t missingbitmap, int nrdevices, int spare, int64_t chunk,
              const char *level)
{
  struct strlist argv = STRLIST_INIT;
  size_t ndev = devices ? count_strings ((char **) devices) : 0, next = 0;
  int64_t bits = (optmask & OPT_MD_CREATE_MISSINGBITMAP) ? missingbitmap : 0;
  int slots = (int) ndev + __builtin_popcountll ((unsigned long long) bits);
  int r = -1;

  if (check_md_name (name) == -1)
    return -1;
  if (ndev == 0)
    return reply_with_error_errno (EINVAL, "%s: no devices given", name);
  if ((optmask & OPT_MD_CREATE_NRDEVICES) && nrdevices <= 0)
    return reply_with_error_errno (EINVAL, "%s: nrdevices must be positive",
                                   name);
  if (((optmask & OPT_MD_CREATE_SPARE) && spare < 0) ||
      ((optmask & OPT_MD_CREATE_CHUNK) && chunk < 1024) || bits < 0)
    return reply_with_error_errno (EINVAL, "%s: a negative spare count or "
                                   "bitmap, or a chunk under 1024 bytes",
                                   name);
  load_module ("raid1");
  if (strlist_add (&argv, "mdadm") == -1 ||
      strlist_add (&argv, "--create") == -1 ||
      strlist_add (&argv, "--run") == -1 ||
      strlist_addf (&argv, "/dev/md/%s", name) == -1 ||
      strlist_addf (&argv, "--level=%s", (optmask & OPT_MD_CREATE_LEVEL) ?
                    level : "raid1") == -1 ||
      strlist_addf (&argv, "--raid-devices=%d",
                    (optmask & OPT_MD_CREATE_NRDEVICES) ? nrdevices : slots)
      == -1)
    goto nomem;
  if ((optmask & OPT_MD_CREATE_SPARE) &&
      strlist_addf (&argv, "--spare-devices=%d", spare) == -1)
    goto nomem;
  if ((optmask & OPT_MD_CREATE_CHUNK) &&
      strlist_addf (&argv, "--chunk=%" PRIi64 "K", chunk / 1024) == -1)
    goto nomem;
  for (int i = 0; i < slots; ++i) {
    if (i < 64 && (bits & (INT64_C (1) << i))) {
      if (strlist_add (&argv, "missing") == -1)
        goto nomem;
      continue;
    }
    char *dev = resolve_device ("md_create", devices[next++]);

    if (dev == NULL)
      goto out;
    if (strlist_add_take (&argv, dev) == -1)
      goto nomem;
  }
  r = command_or_reply (name, NULL, argv.v);
  goto out;
 nomem:
  reply_with_perror ("%s", name);
 out:
  strlist_free (&argv);
  return r;
}

char **
do_list_md_devices (void)
{
  CLEANUP_CLOSEDIR DIR *d = opendir ("/sys/block");
  struct strlist l = STRLIST_INIT;
  struct dirent *e;

  while (d && (e = readdir (d)) != NULL) {
    char path[300];
    struct stat st;

    if (strncmp (e->d_name, "md", 2) != 0 || !isdigit (e->d_name[2]))
      continue;
    /* An md node left without an array has no md/level. */
    snprintf (path, sizeof path, "/sys/block/%s/md/array_state", e->d_name);
    {
      char state[64];

      if (stat (path, &st) == -1 ||
          read_sysfs_line (path, state, sizeof state) == -1 ||
          strcmp (state, "clear") == 0 || strcmp (state, "inactive") == 0)
        continue;
    }
    if (strlist_addf (&l, "/dev/%s", e->d_name) == -1) {
      strlist_free (&l);
      reply_with_perror ("/sys/block");
      return NULL;
    }
  }
  if (l.v == NULL && (l.v = calloc (1, sizeof *l.v)) == NULL) {
    reply_with_perror ("/sys/block");
    return NULL;
  }
  sort_strings (l.v);
  return strlist_take (&l);
}

char **
do_md_detail (const char *md)
{
  char *const argv[] = { "mdadm", "-D", "--export", (char *) md, NULL };
  CLEANUP_FREE char *out = NULL;
  CLEANUP_FREE_STRING_LIST char **lines = NULL;
  struct strlist h = STRLIST_INIT;

  if (command_or_reply (md, &out, argv) == -1)
    return NULL;
  if ((lines = split_lines (out)) == NULL)
    goto nomem;
  for (size_t i = 0; lines[i]; ++i) {
    char *eq = strchr (lines[i], '='), *k = lines[i];

    if (eq == NULL)
      continue;
    *eq = '\0';
    if (strncmp (k, "MD_", 3) == 0)
      k += 3;
    for (char *p = k; *p; ++p)
      *p = tolower ((unsigned char) *p);
    if (strlist_add (&h, k) == -1 || strlist_add (&h, eq + 1) == -1)
      goto nomem;
  }
  if (h.v == NULL && (h.v = calloc (1, sizeof *h.v)) == NULL)
    goto nomem;
  return strlist_take (&h);
 nomem:
  reply_with_perror ("%s", md);
  strlist_free (&h);
  return NULL;
}

int
do_md_stop (const char *md)
{
  char *const argv[] = { "mdadm", "--stop", (char *) md, NULL };

  return command_or_reply (md, NULL, argv);
}

/* One member of a /proc/mdstat line, "sda1[0]" or "sdb[1](F)", into
 * *m.  0, or -1 with errno. */
static int
parse_member (const char *word, struct drydock_mdstat *m)
{
  const char *open = strchr (word, '[');
  char *end;
  long idx;

  if (open == NULL || open == word) {
    errno = EINVAL;
    return -1;
  }
  errno = 0;
  idx = strtol (open + 1, &end, 10);
  if (errno || end == open + 1 || *end != ']' || idx < 0 || idx > INT32_MAX) {
    errno = EINVAL;
    return -1;
  }
  m->mdstat_index = (int32_t) idx;
  if (asprintf (&m->mdstat_device, "/dev/%.*s", (int) (open - word), word)
      == -1)
    return -1;
  m->mdstat_device = map_device_to_api (m->mdstat_device);
  /* The flags, each in parentheses: "(W)(F)" gives "WF". */
  m->mdstat_flags = calloc (1, strlen (end) + 1);
  if (m->mdstat_flags == NULL)
    return -1;
  for (const char *p = end + 1, *o; (o = strchr (p, '(')) != NULL; p = o + 1)
    if (o[1] && o[1] != ')')
      strncat (m->mdstat_flags, o + 1, 1);
  return 0;
}

struct drydock_mdstat_list *
do_md_stat (const char *md)
{
  CLEANUP_FREE char *real = realpath (md, NULL);
  CLEANUP_FREE char *text = NULL;
  struct drydock_mdstat_list *r = NULL;
  const char *base = real ? strrchr (real, '/') + 1 : "";
  size_t len = 0;
  char *line = NULL;

  if (strncmp (base, "md", 2) != 0) {
    reply_with_error_errno (EINVAL, "%s: not a RAID device", md);
    return NULL;
  }
  if ((text = read_file_max ("/proc/mdstat", 1024 * 1024, &len)) == NULL) {
    reply_with_perror ("/proc/mdstat");
    return NULL;
  }
  /* "md127 : active raid1 sda2[1] sda1[0]" */
  for (char *p = text; p && *p; p = strchr (p, '\n') ? strchr (p, '\n') + 1
         : NULL)
    if (strncmp (p, base, strlen (base)) == 0 && p[strlen (base)] == ' ') {
      line = p;
      break;
    }
  if (line == NULL) {
    reply_with_error_errno (ENOENT, "%s: not an active RAID device", md);
    return NULL;
  }
  line[strcspn (line, "\n")] = '\0';
  if ((r = calloc (1, sizeof *r)) == NULL ||
      (r->val = calloc (strlen (line) / 2 + 1, sizeof *r->val)) == NULL)
    goto nomem;
  for (char *save = NULL, *w = strtok_r (line, " ", &save); w;
       w = strtok_r (NULL, " ", &save)) {
    if (strchr (w, '[') == NULL)
      continue;                 /* "md127", ":", "active", "raid1" */
    if (parse_member (w, &r->val[r->len]) == -1)
      goto nomem;
    r->len++;
  }
  return r;
 nomem:
  reply_with_perror ("%s", md);
  if (r) {
    for (uint32_t i = 0; r->val && i <= r->len; ++i) {
      free (r->val[i].mdstat_device);
      free (r->val[i].mdstat_flags);
    }
    free (r->val);
    free (r);
  }
  return NULL;
}
