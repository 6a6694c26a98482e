/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock diff: the differences between the files of two guests, as
 * virt-diff: names added (+) and deleted (-), metadata changed (-, +,
 * then "# changed:" and the fields), content changed (=, then the
 * unified diff of the two files).  Both guests are in one launch: the
 * -a images and the -A images are added read-only, each operating
 * system is found by inspection and mounted under its own directory
 * (inspect_mount_root's prefix), and both trees are walked there. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanups.h"
#include "full-rw.h"
#include "strlist.h"
#include "tools.h"

#define DIFF_TAKES (TOOL_OPT_ADD | TOOL_OPT_KEYS)

/* Where each guest is mounted in the appliance. */
#define PREFIX_A "a"
#define PREFIX_B "b"

/* Larger files are compared by their metadata and checksum only. */
#define DIFF_MAX ((int64_t) 64 * 1024 * 1024)

extern char **environ;

enum {
  OPT_ALL = TOOL_OWN_OPTION, OPT_ATIME, OPT_CHECKSUM, OPT_CSV,
  OPT_DIR_LINKS, OPT_DIR_TIMES, OPT_EXTRA, OPT_TIMES, OPT_TIME_T,
  OPT_TIME_RELATIVE, OPT_TIME_DAYS, OPT_UIDS,
};

struct diff_options {
  struct tool_options *o;       /* for the --format in force */
  struct tool_drive *b;         /* the -A images */
  size_t nb;
  const char *checksum;
  int atime, dir_links, dir_times;
  struct tools_stat_format f;
};

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s {-a IMAGE ... | -d DOMAIN} {-A IMAGE ... | -D DOMAIN} "
                 "[OPTIONS]\n"
                 "The differences between the files of two guests, as virt-diff:\n"
                 "the guest of the -a images and the guest of the -A images, both\n"
                 "read in one session.  Lines start with + (added), - (deleted),\n"
                 "= (content changed, then a unified diff) or # (the fields that\n"
                 "changed).  The images are only read.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, DIFF_TAKES);
  fprintf (fp, _("  -A IMAGE               an image of the second guest (--format\n"
                 "                         applies as to -a)\n"
                 "  -D DOMAIN              the libvirt guest to compare with (as -d)\n"
                 "  --all                  --extra-stats --times --uids\n"
                 "  --atime                compare and show access times\n"
                 "  --checksum[=TYPE], --checksums[=TYPE]\n"
                 "                         compare regular files by checksum: crc,\n"
                 "                         md5 (the default), sha1 ... sha512\n"
                 "  --csv                  comma-separated values, no file diffs\n"
                 "  --dir-links, --dir-link\n"
                 "                         compare the link counts of directories\n"
                 "  --dir-times, --dir-time\n"
                 "                         compare the times of directories\n"
                 "  --extra-stat, --extra-stats\n"
                 "                         show device, inode, links, rdev, blocks\n"
                 "  -h, --human-readable   sizes as 4.0K, 12M\n"
                 "  --time, --times        show the times\n"
                 "  --time-t               the times in seconds since the epoch\n"
                 "  --time-relative        the times in seconds before now\n"
                 "  --time-days            the times in days before now\n"
                 "  --uid, --uids          show the owner's uid and gid\n"));
  exit (status);
}

/* -A IMAGE, or -D DOMAIN (domain set). */
static int
add_b (struct diff_options *d, const char *file, int domain)
{
  struct tool_drive *v = realloc (d->b, (d->nb + 1) * sizeof *v);

  if (v == NULL)
    return tool_error ("%s", strerror (errno));
  d->b = v;
  d->b[d->nb++] = (struct tool_drive) {
    file, domain ? NULL : d->o->format, domain
  };
  return domain ? 0 : tool_check_image (file, d->o->format, NULL);
}

static int
own_option (int c, const char *arg, void *opaque)
{
  struct diff_options *d = opaque;

  switch (c) {
  case 'A': return add_b (d, arg, 0);
  case 'D': return add_b (d, arg, 1);
  case 'h': d->f.human = 1; return 0;
  case OPT_ALL: d->f.extra = d->f.times = d->f.uids = 1; return 0;
  case OPT_ATIME: d->atime = 1; return 0;
  case OPT_CHECKSUM:
    d->checksum = arg && *arg ? arg : "md5";
    return tools_check_csumtype ("--checksum", d->checksum);
  case OPT_CSV: d->f.csv = 1; return 0;
  case OPT_DIR_LINKS: d->dir_links = 1; return 0;
  case OPT_DIR_TIMES: d->dir_times = 1; return 0;
  case OPT_EXTRA: d->f.extra = 1; return 0;
  case OPT_TIMES: d->f.times = 1; return 0;
  case OPT_TIME_T: d->f.times = 1; d->f.time_mode = 1; return 0;
  case OPT_TIME_RELATIVE: d->f.times = 1; d->f.time_mode = 2; return 0;
  case OPT_TIME_DAYS: d->f.times = 1; d->f.time_mode = 3; return 0;
  case OPT_UIDS: d->f.uids = 1; return 0;
  default: return -1;
  }
}

static void
parse_options (int argc, char **argv, struct diff_options *d)
{
  static const struct option longopts[] = {
    { "all", no_argument, NULL, OPT_ALL },
    { "atime", no_argument, NULL, OPT_ATIME },
    { "checksum", optional_argument, NULL, OPT_CHECKSUM },
    { "checksums", optional_argument, NULL, OPT_CHECKSUM },
    { "csv", no_argument, NULL, OPT_CSV },
    { "dir-link", no_argument, NULL, OPT_DIR_LINKS },
    { "dir-links", no_argument, NULL, OPT_DIR_LINKS },
    { "dir-time", no_argument, NULL, OPT_DIR_TIMES },
    { "dir-times", no_argument, NULL, OPT_DIR_TIMES },
    { "extra-stat", no_argument, NULL, OPT_EXTRA },
    { "extra-stats", no_argument, NULL, OPT_EXTRA },
    { "human-readable", no_argument, NULL, 'h' },
    { "time", no_argument, NULL, OPT_TIMES },
    { "times", no_argument, NULL, OPT_TIMES },
    { "time-t", no_argument, NULL, OPT_TIME_T },
    { "time-relative", no_argument, NULL, OPT_TIME_RELATIVE },
    { "time-days", no_argument, NULL, OPT_TIME_DAYS },
    { "uid", no_argument, NULL, OPT_UIDS },
    { "uids", no_argument, NULL, OPT_UIDS },
    { NULL, 0, NULL, 0 },
  };
  const struct tool_spec spec = {
    .takes = DIFF_TAKES, .short_options = "A:D:h", .long_options = longopts,
    .usage = usage, .option = own_option, .opaque = d,
  };
  int first = tool_parse (&spec, argc, argv, d->o);

  if (first < argc)
    tools_usage_error (_("unexpected argument '%s' (images are given "
                         "with -a and -A)"), argv[first]);
  if (d->o->n_drives == 0 || d->nb == 0)
    tools_usage_error (_("two guests are compared: give the images of the "
                         "first with -a (or -d), of the second with -A "
                         "(or -D)"));
  if (d->f.human && d->f.csv)
    tools_usage_error (_("-h and --csv exclude each other (spreadsheets "
                         "would misread the sizes)"));
  d->f.atime = d->atime;
  d->f.now = (int64_t) time (NULL);
}

/* ---- finding and mounting the two guests ---- */

/* The index of the drive holding a device: /dev/sdb2 is 1, /dev/sdaa1
 * is 26, /dev/mapper/luks-sdb2 as /dev/sdb2, a logical volume as its
 * volume group's first physical volume.  -1 if unknown. */
static long
drive_index (drydock_h *h, const char *dev)
{
  const char *p = NULL;
  long n = 0;

  if (strncmp (dev, "/dev/sd", 7) == 0)
    p = dev + 7;
  else if (strncmp (dev, "/dev/mapper/luks-sd", 19) == 0)
    p = dev + 19;
  else if (strncmp (dev, "/dev/", 5) == 0 && strchr (dev + 5, '/')) {
    CLEANUP_FREE char *vg = strndup (dev + 5, strcspn (dev + 5, "/"));
    CLEANUP_FREE_STRING_LIST char **pvs = vg ? drydock_vg_pvs (h, vg) : NULL;

    return pvs && pvs[0] ? drive_index (h, pvs[0]) : -1;
  }
  if (p == NULL || *p < 'a' || *p > 'z')
    return -1;
  for (; *p >= 'a' && *p <= 'z'; ++p)
    n = n * 26 + (*p - 'a' + 1);
  return n - 1;
}

/* 1 if the images hold volume groups: two guests whose volume groups
 * share names or UUIDs (an image and its copy) clash in one session,
 * where LVM activates one of them only. */
static int
has_vgs (drydock_h *h)
{
  CLEANUP_FREE_STRING_LIST char **vgs = drydock_vgs (h);

  return vgs && vgs[0];
}

/* The one root on drives [lo, hi) (caller frees); which names the
 * option ("-a" or "-A").  NULL (printed). */
static char *
root_of (drydock_h *h, char **roots, long lo, long hi, const char *which)
{
  char *found = NULL;
  size_t n = 0;

  for (size_t i = 0; roots[i]; ++i) {
    long d = drive_index (h, roots[i]);

    if (d >= lo && d < hi && n++ == 0)
      found = roots[i];
  }
  if (n == 1)
    return strdup (found);
  if (n > 1)
    tool_error (_("%zu operating systems were found on the %s images: diff "
                  "compares one with one"), n, which);
  else if (has_vgs (h))
    tool_error (_("no operating system was found on the %s images (when "
                  "both guests use LVM, their volume groups must differ in "
                  "name and UUID)"), which);
  else
    tool_error (_("no operating system was found on the %s images"), which);
  return NULL;
}

/* Launches with both guests and mounts them under /a and /b. */
static int
start (struct tools_session *s, struct diff_options *d, char **root_a,
       char **root_b)
{
  struct tool_options ob = *d->o;
  CLEANUP_FREE_STRING_LIST char **opened = NULL, **roots = NULL;
  int na, nb;

  *s = (struct tools_session) { .o = d->o };
  d->o->ro = ob.ro = 1;
  ob.drives = d->b;
  ob.n_drives = d->nb;
  if ((s->h = tool_create_handle (d->o, 0)) == NULL)
    return -1;
  if ((na = tool_add_drives (s->h, d->o, NULL)) == -1 ||
      (nb = tool_add_drives (s->h, &ob, NULL)) == -1 || tool_launch (s->h) == -1 ||
      tool_open_encrypted (s->h, d->o, 0, &opened) == -1)
    return -1;
  if ((roots = drydock_inspect_os (s->h)) == NULL)
    return tool_lib_error (s->h);
  if ((*root_a = root_of (s->h, roots, 0, (long) na, "-a")) == NULL ||
      (*root_b = root_of (s->h, roots, (long) na, (long) (na + nb), "-A"))
      == NULL)
    return -1;
  if (drydock_inspect_mount_root_opts (s->h, *root_a,
                                       DRYDOCK_INSPECT_MOUNT_ROOT_OPTS_READONLY,
                                       1,
                                       DRYDOCK_INSPECT_MOUNT_ROOT_OPTS_PREFIX,
                                       PREFIX_A, -1) == -1 ||
      drydock_inspect_mount_root_opts (s->h, *root_b,
                                       DRYDOCK_INSPECT_MOUNT_ROOT_OPTS_READONLY,
                                       1,
                                       DRYDOCK_INSPECT_MOUNT_ROOT_OPTS_PREFIX,
                                       PREFIX_B, -1) == -1)
    return tool_lib_error (s->h);
  return 0;
}

/* ---- comparing ---- */

/* What is not compared, as virt-diff without --atime, --dir-links and
 * --dir-times; and the device, which differs between the two guests'
 * disks of one session whatever they hold. */
static void
flatten (const struct diff_options *d, struct tools_tree *t)
{
  for (size_t i = 0; i < t->n; ++i) {
    struct drydock_statns *st = &t->v[i].st;

    st->st_dev = 0;
    if (!d->atime)
      st->st_atime_sec = st->st_atime_nsec = 0;
    if (S_ISDIR (st->st_mode) && !d->dir_links)
      st->st_nlink = 0;
    if (S_ISDIR (st->st_mode) && !d->dir_times)
      st->st_atime_sec = st->st_atime_nsec = st->st_mtime_sec =
        st->st_mtime_nsec = st->st_ctime_sec = st->st_ctime_nsec = 0;
  }
}

static void
print_line (const struct diff_options *d, const char *mark,
            const struct tools_entry *e)
{
  tools_fields_start ();
  tools_field (&d->f, mark);
  tools_print_entry (&d->f, e, d->checksum != NULL);
}

/* Counts (and with print set, prints) one field that differs. */
static void
changed_field (const struct diff_options *d, int print, const char *name,
               int *n)
{
  (*n)++;
  if (print)
    tools_field (&d->f, name);
}

/* The number of fields that differ; with print set, printed as
 * "# changed: st_size st_mtime_sec ...". */
static int
print_changed (const struct diff_options *d, const struct tools_entry *x,
               const struct tools_entry *y, int print)
{
#define FIELD(f) { #f, offsetof (struct drydock_statns, f) }
  static const struct { const char *name; size_t off; } fields[] = {
    FIELD (st_ino), FIELD (st_mode), FIELD (st_nlink), FIELD (st_uid),
    FIELD (st_gid), FIELD (st_rdev), FIELD (st_size), FIELD (st_blksize),
    FIELD (st_blocks), FIELD (st_atime_sec), FIELD (st_mtime_sec),
    FIELD (st_ctime_sec), FIELD (st_atime_nsec), FIELD (st_mtime_nsec),
    FIELD (st_ctime_nsec),
  };
#undef FIELD
  int n = 0;

  if (print) {
    tools_fields_start ();
    tools_field (&d->f, "#");
    tools_field (&d->f, "changed:");
  }
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i) {
    int64_t a, b;

    memcpy (&a, (const char *) &x->st + fields[i].off, sizeof a);
    memcpy (&b, (const char *) &y->st + fields[i].off, sizeof b);
    if (a != b)
      changed_field (d, print, fields[i].name, &n);
  }
  /* A symbolic link's new target may have the old one's length. */
  if ((x->link || y->link) &&
      (!x->link || !y->link || strcmp (x->link, y->link) != 0))
    changed_field (d, print, "link", &n);
  if (print)
    putchar ('\n');
  return n;
}

/* Copies the guest file path to local. */
static int
download (drydock_h *h, const char *prefix, const char *path,
          const char *local)
{
  CLEANUP_FREE char *full = NULL;

  if (asprintf (&full, "/%s%s", prefix, path) == -1)
    return tool_error ("%s", strerror (errno));
  if (drydock_download (h, full, local) == -1)
    return tool_lib_error (h);
  return 0;
}

/* Runs "diff -u a b" in dir and prints its output without the two
 * header lines. */
static int
run_diff (const char *dir)
{
  char *const argv[] = { (char *) "diff", (char *) "-u", (char *) "a",
                         (char *) "b", NULL };
  posix_spawn_file_actions_t fa;
  CLEANUP_FREE char *out = NULL;
  int fds[2], status, r;
  size_t len, skip = 0;
  pid_t pid;

  if (pipe2 (fds, O_CLOEXEC) == -1)
    return tool_error ("pipe: %s", strerror (errno));
  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_adddup2 (&fa, fds[1], 1);
  posix_spawn_file_actions_addchdir_np (&fa, dir);
  r = posix_spawnp (&pid, "diff", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&fa);
  close (fds[1]);
  if (r != 0) {
    close (fds[0]);
    return tool_error (_("cannot run diff: %s"), strerror (r));
  }
  out = read_fd_max (fds[0], DIFF_MAX * 4, &len);
  close (fds[0]);
  while (waitpid (pid, &status, 0) == -1 && errno == EINTR)
    ;
  if (out == NULL || !WIFEXITED (status) || WEXITSTATUS (status) > 1)
    return tool_error (_("diff failed on the two versions of a file"));
  /* "--- a ..." and "+++ b ...": the paths are ours, not the guest's. */
  if (len > 4 && strncmp (out, "--- ", 4) == 0)
    for (int n = 0; skip < len && n < 2; ++skip)
      n += out[skip] == '\n';
  fwrite (out + skip, 1, len - skip, stdout);
  return 0;
}

/* The unified diff of a file changed between the guests. */
static int
show_content (drydock_h *h, const struct tools_entry *x,
              const struct tools_entry *y)
{
  const char *tmpdir = getenv ("TMPDIR");
  CLEANUP_FREE char *dir = NULL, *a = NULL, *b = NULL;
  int r = -1;

  if (x->st.st_size > DIFF_MAX || y->st.st_size > DIFF_MAX) {
    printf (_("(files larger than %" PRId64 " MiB are not shown)\n"),
            DIFF_MAX >> 20);
    return 0;
  }
  if (asprintf (&dir, "%s/drydock-diff.XXXXXX",
                tmpdir && *tmpdir ? tmpdir : "/tmp") == -1)
    return tool_error ("%s", strerror (errno));
  if (mkdtemp (dir) == NULL)
    return tool_error (_("%s: %s"), dir, strerror (errno));
  if (asprintf (&a, "%s/a", dir) == -1 || asprintf (&b, "%s/b", dir) == -1)
    tool_error ("%s", strerror (errno));
  else if (download (h, PREFIX_A, x->path, a) == 0 &&
           download (h, PREFIX_B, y->path, b) == 0) {
    fflush (stdout);
    r = run_diff (dir);
  }
  if (a)
    unlink (a);
  if (b)
    unlink (b);
  rmdir (dir);
  if (r == 0)
    printf ("@@ %s @@\n", _("End of diff"));
  return r;
}

/* One name in both guests. */
static int
compare (drydock_h *h, const struct diff_options *d,
         const struct tools_entry *x, const struct tools_entry *y)
{
  /* Without checksums, a new size or modification time tells new
   * content; a change time alone is a chmod as well, and shows among
   * the fields. */
  int content = S_ISREG (x->st.st_mode) && S_ISREG (y->st.st_mode) &&
    ((x->csum && y->csum && strcmp (x->csum, y->csum) != 0) ||
     x->st.st_size != y->st.st_size ||
     x->st.st_mtime_sec != y->st.st_mtime_sec ||
     x->st.st_mtime_nsec != y->st.st_mtime_nsec);

  if (content) {
    print_line (d, "=", x);
    return d->f.csv ? 0 : show_content (h, x, y);
  }
  if (print_changed (d, x, y, 0) == 0)
    return 0;
  print_line (d, "-", x);
  print_line (d, "+", y);
  print_changed (d, x, y, 1);
  return 0;
}

static int
diff_trees (drydock_h *h, const struct diff_options *d,
            const struct tools_tree *ta, const struct tools_tree *tb)
{
  size_t i = 0, j = 0;
  int errors = 0;

  while (i < ta->n || j < tb->n) {
    int c = i == ta->n ? 1 : j == tb->n ? -1 :
      tools_path_compare (ta->v[i].path, tb->v[j].path);

    if (c < 0)
      print_line (d, "-", &ta->v[i++]);
    else if (c > 0)
      print_line (d, "+", &tb->v[j++]);
    else if (compare (h, d, &ta->v[i++], &tb->v[j++]) == -1)
      errors++;
  }
  return errors ? -1 : 0;
}

static int
run (struct diff_options *d)
{
  struct tools_session s;
  struct tools_tree ta = { NULL, 0 }, tb = { NULL, 0 };
  CLEANUP_FREE char *root_a = NULL, *root_b = NULL;
  int r = -1;

  if (start (&s, d, &root_a, &root_b) == 0 &&
      tools_walk (s.h, "/" PREFIX_A, d->checksum, "/" PREFIX_A, &ta) == 0 &&
      tools_walk (s.h, "/" PREFIX_B, d->checksum, "/" PREFIX_B, &tb) == 0) {
    flatten (d, &ta);
    flatten (d, &tb);
    r = diff_trees (s.h, d, &ta, &tb);
  }
  if (fflush (stdout) == EOF)
    r = tool_error (_("standard output: %s"), strerror (errno));
  tools_tree_free (&ta);
  tools_tree_free (&tb);
  tools_finish (&s, 0);
  return r;
}

int
diff_main (int argc, char *argv[])
{
  struct tool_options o = { 0 };
  struct diff_options d = { .o = &o };
  int r;

  parse_options (argc, argv, &d);
  r = run (&d);
  free (d.b);
  tool_options_free (&o);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
