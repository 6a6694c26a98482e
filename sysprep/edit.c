/* The operations of drydock sysprep that do more than remove what a
 * pattern matches: the ones that walk a tree for regular files
 * (backup-files, cron-spool, package-manager-cache), edit or empty
 * files (net-hwaddr, net-hostname, machine-id, pacct-log) or create one
 * (flag-reconfiguration), and tmp-files.  A tree is listed in one
 * streamed call and its files' types read a directory at a time. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanups.h"
#include "sysprep.h"

/* ---- walking a tree ---- */

/* The names under dir (relative to it), listed by find0 into a host
 * file.  NULL (printed).  Caller frees. */
static char **
list_tree (struct sysprep_ctx *c, const char *dir)
{
  const char *tmpdir = getenv ("TMPDIR");
  CLEANUP_FREE char *file = NULL, *names = NULL;
  struct strlist l = STRLIST_INIT;
  size_t size = 0;
  CLEANUP_FCLOSE FILE *fp = NULL;
  int fd;

  if (asprintf (&file, "%s/drydock-sysprep.XXXXXX",
                tmpdir && *tmpdir ? tmpdir : "/tmp") == -1 ||
      (fd = mkostemp (file, O_CLOEXEC)) == -1) {
    sysprep_error (c, _("a temporary file: %s"), strerror (errno));
    return NULL;
  }
  close (fd);
  if (drydock_find0 (c->h, dir, file) == -1) {
    sysprep_lib_error (c);
    unlink (file);
    return NULL;
  }
  fp = fopen (file, "re");
  unlink (file);
  if (fp == NULL) {
    sysprep_error (c, _("%s: the list of files: %s"), dir, strerror (errno));
    return NULL;
  }
  while (getdelim (&names, &size, '\0', fp) != -1)
    if (strlist_add (&l, names) == -1) {
      strlist_free (&l);
      sysprep_error (c, "%s", strerror (errno));
      return NULL;
    }
  if (ferror (fp)) {
    strlist_free (&l);
    sysprep_error (c, _("%s: the list of files: %s"), dir, strerror (errno));
    return NULL;
  }
  return strlist_take (&l);
}

/* The number of names one lstatnslist takes. */
#define STAT_BATCH 512

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Removes the regular files among names (relative to top; symlinks are
 * not followed), but the paths in keep.  Names sorted, so that those of
 * one directory come together and their types take one call. */
static int
remove_regular (struct sysprep_ctx *c, const char *top, char **names,
                const char *const *keep)
{
  size_t n = count_strings (names), i = 0;

  qsort (names, n, sizeof *names, compare_strings);
  while (i < n) {
    const char *slash = strrchr (names[i], '/');
    size_t dlen = slash ? (size_t) (slash - names[i]) : 0, j = i;
    CLEANUP_FREE char *dir = NULL;
    const char *batch[STAT_BATCH + 1];
    struct drydock_statns_list *st;

    /* names[i..j): one directory's names, at most a batch. */
    while (j < n && j - i < STAT_BATCH) {
      const char *s = strrchr (names[j], '/');
      size_t l = s ? (size_t) (s - names[j]) : 0;

      if (l != dlen || strncmp (names[j], names[i], dlen) != 0)
        break;
      batch[j - i] = names[j] + (s ? l + 1 : 0);
      j++;
    }
    batch[j - i] = NULL;
    if (asprintf (&dir, "%s%s%.*s", top, dlen ? "/" : "", (int) dlen,
                  names[i]) == -1)
      return sysprep_error (c, "%s", strerror (errno));
    st = drydock_lstatnslist (c->h, dir, (char *const *) batch);
    if (st == NULL)
      return sysprep_lib_error (c);
    for (size_t k = 0; k < st->len; ++k) {
      CLEANUP_FREE char *path = NULL;
      int kept = 0;

      if (st->val[k].st_ino == -1 || !S_ISREG (st->val[k].st_mode))
        continue;
      if (asprintf (&path, "%s/%s", dir, batch[k]) == -1) {
        drydock_free_statns_list (st);
        return sysprep_error (c, "%s", strerror (errno));
      }
      for (const char *const *p = keep; p && *p; ++p)
        kept |= strcmp (*p, path) == 0;
      if (!kept)
        sysprep_remove_file (c, path);
    }
    drydock_free_statns_list (st);
    i = j;
  }
  return 0;
}

/* Every regular file under dir (a directory, not a symlink to one), but
 * those in keep; the directories stay. */
static int
remove_files_under (struct sysprep_ctx *c, const char *dir,
                    const char *const *keep)
{
  CLEANUP_FREE_STRING_LIST char **names = NULL;
  int r = drydock_is_dir (c->h, dir);

  if (r == -1)
    return sysprep_lib_error (c);
  if (r == 0)
    return 0;
  names = list_tree (c, dir);
  return names ? remove_regular (c, dir, names, keep) : -1;
}

/* ---- the operations ---- */

static int
is_unix_like (const struct sysprep_ctx *c)
{
  static const char *const unix_types[] = {
    "linux", "hurd", "minix", "freebsd", "netbsd", "openbsd", "dragonfly",
  };

  for (size_t i = 0; i < sizeof unix_types / sizeof unix_types[0]; ++i)
    if (strcmp (c->type, unix_types[i]) == 0)
      return 1;
  return 0;
}

/* Whether the last component of name matches one of the patterns. */
static int
is_backup (const char *name)
{
  const char *base = strrchr (name, '/');

  base = base ? base + 1 : name;
  return fnmatch ("*.bak", base, FNM_NOESCAPE) == 0 ||
    fnmatch ("*~", base, FNM_NOESCAPE) == 0;
}

int
sysprep_backup_files (struct sysprep_ctx *c)
{
  static const char *const unix_tops[] = {
    "/etc", "/root", "/srv", "/tmp", "/var", NULL,
  };
  static const char *const all[] = { "/", NULL };
  const char *const *tops = is_unix_like (c) ? unix_tops : all;

  for (; *tops; ++tops) {
    CLEANUP_FREE_STRING_LIST char **names = NULL;
    size_t n = 0;
    int r = drydock_is_dir (c->h, *tops);

    if (r == -1)
      return sysprep_lib_error (c);
    if (r == 0)
      continue;
    names = list_tree (c, *tops);
    if (names == NULL)
      return -1;
    /* Only the backups' types are asked for. */
    for (size_t i = 0; names[i]; ++i) {
      if (is_backup (names[i]))
        names[n++] = names[i];
      else
        free (names[i]);
    }
    names[n] = NULL;
    if (remove_regular (c, strcmp (*tops, "/") == 0 ? "" : *tops, names,
                        NULL) == -1)
      return -1;
  }
  return 0;
}

/* at's job counters, which stay, set back to zero. */
static const char *const at_seq[] = {
  "/var/spool/cron/atjobs/.SEQ", "/var/spool/atjobs/.SEQ",
  "/var/spool/at/.SEQ", NULL,
};

int
sysprep_cron_spool (struct sysprep_ctx *c)
{
  static const char *const globs[] = {
    "/var/spool/atjobs/*", "/var/spool/atspool/*", NULL,
  };

  if (sysprep_is_windows (c))
    return 0;
  if (remove_files_under (c, "/var/spool/cron", at_seq) == -1 ||
      sysprep_remove_globs (c, globs, SYSPREP_RM_FILES) == -1 ||
      remove_files_under (c, "/var/spool/at", at_seq) == -1)
    return -1;
  for (const char *const *seq = at_seq; *seq; ++seq) {
    int r = drydock_is_file (c->h, *seq);

    if (r == -1 || (r == 1 && drydock_write (c->h, *seq, "00000\n", 6) == -1))
      return sysprep_lib_error (c);
  }
  return 0;
}

int
sysprep_flag_reconfiguration (struct sysprep_ctx *c)
{
  if (sysprep_is_windows (c))
    return 0;
  return drydock_touch (c->h, "/.unconfigured") == -1 ?
    sysprep_lib_error (c) : 0;
}

int
sysprep_machine_id (struct sysprep_ctx *c)
{
  static const char *const files[] = {
    "/etc/machine-id", "/var/lib/dbus/machine-id", NULL,
  };

  if (sysprep_is_windows (c))
    return 0;
  /* Emptied, not removed: systemd makes a new ID at boot when the file
   * is empty.  A symlink (dbus's to /etc/machine-id) is left alone. */
  for (const char *const *f = files; *f; ++f) {
    int r = drydock_is_file (c->h, *f);

    if (r == -1 || (r == 1 && drydock_truncate (c->h, *f) == -1))
      return sysprep_lib_error (c);
  }
  return 0;
}

/* Rewrites every ifcfg file of a Red Hat guest without the lines that
 * start with one of the prefixes. */
static int
drop_ifcfg_lines (struct sysprep_ctx *c, const char *const *prefixes)
{
  CLEANUP_FREE_STRING_LIST char **files = NULL;

  if (!sysprep_is_redhat (c))
    return 0;
  files = drydock_glob_expand (c->h, "/etc/sysconfig/network-scripts/ifcfg-*");
  if (files == NULL)
    return sysprep_lib_error (c);
  for (char **f = files; *f; ++f) {
    CLEANUP_FREE char *content = NULL, *out = NULL;
    CLEANUP_FREE_STRING_LIST char **lines = NULL;
    size_t size, len = 0;

    if ((*f)[strlen (*f) - 1] == '/')
      continue;
    content = drydock_read_file (c->h, *f, &size);
    if (content == NULL)
      return sysprep_lib_error (c);
    if (strlen (content) != size) {
      sysprep_warning (c, _("%s holds a NUL byte: left as it is"), *f);
      continue;
    }
    lines = split_lines (content);
    out = malloc (size + 2);
    if (lines == NULL || out == NULL)
      return sysprep_error (c, "%s", strerror (errno));
    /* Each line kept ends in a newline, the last one too. */
    for (char **l = lines; *l; ++l) {
      int drop = 0;

      for (const char *const *p = prefixes; *p; ++p)
        drop |= strncmp (*l, *p, strlen (*p)) == 0;
      if (!drop)
        len += (size_t) sprintf (out + len, "%s\n", *l);
    }
    if (lines[0] == NULL)
      len += (size_t) sprintf (out, "\n");
    if (drydock_write (c->h, *f, out, len) == -1)
      return sysprep_lib_error (c);
  }
  return 0;
}

int
sysprep_net_hostname (struct sysprep_ctx *c)
{
  static const char *const prefixes[] = { "HOSTNAME=", "DHCP_HOSTNAME=",
                                          NULL };

  return drop_ifcfg_lines (c, prefixes);
}

int
sysprep_net_hwaddr (struct sysprep_ctx *c)
{
  static const char *const prefixes[] = { "HWADDR=", NULL };

  return drop_ifcfg_lines (c, prefixes);
}

int
sysprep_pacct_log (struct sysprep_ctx *c)
{
  const char *dir;
  CLEANUP_FREE char *glob = NULL, *file = NULL;
  const char *globs[2];

  if (sysprep_is_redhat (c))
    dir = "/var/account";
  else if (sysprep_is_debian (c))
    dir = "/var/log/account";
  else
    return 0;
  if (asprintf (&glob, "%s/pacct*", dir) == -1 ||
      asprintf (&file, "%s/pacct", dir) == -1)
    return sysprep_error (c, "%s", strerror (errno));
  globs[0] = glob;
  globs[1] = NULL;
  if (sysprep_remove_globs (c, globs, SYSPREP_RM_FILES) == -1)
    return -1;
  /* An empty log for the accounting to go on with, where there is a
   * directory for it. */
  if (drydock_touch (c->h, file) == -1 && drydock_last_errno (c->h) != ENOENT)
    sysprep_warning (c, "%s", drydock_last_error (c->h));
  return 0;
}

int
sysprep_package_manager_cache (struct sysprep_ctx *c)
{
  static const struct { const char *mgmt, *dirs; } caches[] = {
    { "yum", "/var/cache/yum" }, { "dnf", "/var/cache/dnf" },
    { "apt", "/var/cache/apt/archives" }, { "zypper", "/var/cache/zypp*" },
  };
  CLEANUP_FREE_STRING_LIST char **dirs = NULL;
  const char *pattern = NULL;

  for (size_t i = 0; i < sizeof caches / sizeof caches[0]; ++i)
    if (strcmp (c->pkg_mgmt, caches[i].mgmt) == 0)
      pattern = caches[i].dirs;
  if (pattern == NULL)
    return 0;
  dirs = drydock_glob_expand (c->h, pattern);
  if (dirs == NULL)
    return sysprep_lib_error (c);
  /* The files go, the directories (apt's partial/, say) stay. */
  for (char **d = dirs; *d; ++d) {
    size_t len = strlen (*d);

    if (len > 1 && (*d)[len - 1] == '/')
      (*d)[len - 1] = '\0';
    if (remove_files_under (c, *d, NULL) == -1)
      return -1;
  }
  return 0;
}

int
sysprep_tmp_files (struct sysprep_ctx *c)
{
  static const char *const tmps[] = { "/tmp", "/var/tmp", NULL };

  if (sysprep_is_windows (c))
    return 0;
  /* Every name, dot files too; the directories themselves stay. */
  for (const char *const *t = tmps; *t; ++t) {
    CLEANUP_FREE_STRING_LIST char **names = NULL;
    int r = drydock_is_dir_opts (c->h, *t, DRYDOCK_IS_DIR_OPTS_FOLLOWSYMLINKS,
                                 1, -1);

    if (r == -1)
      return sysprep_lib_error (c);
    if (r == 0)
      continue;
    names = drydock_ls (c->h, *t);
    if (names == NULL)
      return sysprep_lib_error (c);
    for (char **n = names; *n; ++n) {
      CLEANUP_FREE char *path = NULL;

      if (asprintf (&path, "%s/%s", *t, *n) == -1)
        return sysprep_error (c, "%s", strerror (errno));
      if (drydock_rm_rf (c->h, path) == -1)
        return sysprep_lib_error (c);
    }
  }
  return 0;
}
