/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The driver of the table tests: one launch per disk layout, and the
 * layout made again before each test of it (the scratch layout once per
 * launch), then the test's calls (tests-gen.c, generated from the
 * action table).
 *
 *   test-table [-l LAYOUT,...] [ACTION...]
 *
 * runs the tests of these actions (all), of these layouts (all): make
 * check runs several of these at once, each a share of the layouts.
 *
 * Prints a line per test (PASS or FAIL with what differed), exits 0 if
 * all passed, 1 otherwise, 77 when the appliance cannot launch. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "table.h"

#define MiB (1024 * 1024)

/* The size of /dev/sda in each layout: xfs wants 300 MB at least. */
static off_t
disk_size (enum table_layout layout)
{
  return layout == LAYOUT_XFS || layout == LAYOUT_BTRFS ? 512 * MiB
    : 128 * MiB;
}

/* Does the layout have a second disk /dev/sdb? */
static int
has_sdb (enum table_layout layout)
{
  return layout == LAYOUT_TWODISK || layout == LAYOUT_ISO;
}

static char tmpdir[] = "/tmp/drydock-table.XXXXXX";

static const char *const layout_names[] = {
  [LAYOUT_EMPTY] = "empty", [LAYOUT_PART] = "part", [LAYOUT_FS] = "fs",
  [LAYOUT_LVM] = "lvm", [LAYOUT_SCRATCH] = "scratch",
  [LAYOUT_BTRFS] = "btrfs", [LAYOUT_XFS] = "xfs",
  [LAYOUT_TWODISK] = "twodisk", [LAYOUT_ISO] = "iso",
};

const char *
table_tmp (const char *rel)
{
  static char buf[8][4096];
  static int next;
  char *p = buf[next++ % 8];

  snprintf (p, sizeof buf[0], "%s%s", tmpdir, rel);
  return p;
}

int
table_call_failed (drydock_h *h, const char *line)
{
  printf ("    %s: failed: %s\n", line, drydock_last_error (h));
  return -1;
}

int
table_unexpected_success (const char *name, const char *line)
{
  printf ("    %s: %s: succeeded, an error was expected\n", name, line);
  return -1;
}

int
table_check_errno (const char *name, drydock_h *h, int want)
{
  int got = drydock_last_errno (h);

  if (want == 0 || got == want)
    return 0;
  printf ("    %s: errno %d (%s), expected %d (%s); error: %s\n", name, got,
          strerror (got), want, strerror (want), drydock_last_error (h));
  return -1;
}

int
table_check_int (const char *name, int64_t got, int64_t want)
{
  if (got == want)
    return 1;
  printf ("    %s: got %" PRId64 ", expected %" PRId64 "\n", name, got, want);
  return 0;
}

int
table_check_string (const char *name, const char *got, const char *want)
{
  if (strcmp (got, want) == 0)
    return 1;
  printf ("    %s: got \"%s\", expected \"%s\"\n", name, got, want);
  return 0;
}

int
table_check_buffer (const char *name, const char *got, size_t got_size,
                    const char *want, size_t want_size)
{
  if (got_size == want_size && memcmp (got, want, got_size) == 0)
    return 1;
  printf ("    %s: got %zu bytes \"%.*s\", expected %zu bytes \"%s\"\n", name,
          got_size, (int) (got_size > 200 ? 200 : got_size), got, want_size,
          want);
  return 0;
}

size_t
table_count (char *const *l)
{
  size_t n = 0;

  while (l[n])
    n++;
  return n;
}

int
table_check_list (const char *name, char *const *got, char *const *want)
{
  size_t i;

  for (i = 0; got[i] && want[i] && strcmp (got[i], want[i]) == 0; ++i)
    ;
  if (got[i] == NULL && want[i] == NULL)
    return 1;
  printf ("    %s: lists differ at item %zu:", name, i);
  printf (" got");
  for (size_t j = 0; got[j]; ++j)
    printf (" \"%s\"", got[j]);
  printf (", expected");
  for (size_t j = 0; want[j]; ++j)
    printf (" \"%s\"", want[j]);
  printf ("\n");
  return 0;
}

int
table_check_hash (const char *name, char *const *got, const char *key,
                  const char *want)
{
  for (size_t i = 0; got[i] && got[i + 1]; i += 2)
    if (strcmp (got[i], key) == 0)
      return table_check_string (name, got[i + 1], want);
  printf ("    %s: no key %s\n", name, key);
  return 0;
}

int
table_check_checksum (drydock_h *h, const char *name, const char *csumtype,
                      const char *path, const char *want)
{
  char *got = drydock_checksum (h, csumtype, path);
  int ok;

  if (got == NULL)
    return table_call_failed (h, "checksum");
  ok = table_check_string (name, got, want);
  free (got);
  return ok ? 0 : -1;
}

/* Closes the encrypted volumes a test opened (/dev/mapper/NAME in
 * list_filesystems).  0, or -1. */
static int
close_mappings (drydock_h *h)
{
  char **fs = drydock_list_filesystems (h);
  int r = 0;

  if (fs == NULL)
    return -1;
  for (size_t i = 0; fs[i] && fs[i + 1]; i += 2)
    if (strncmp (fs[i], "/dev/mapper/", 12) == 0 &&
        drydock_cryptsetup_close (h, fs[i]) == -1)
      r = -1;
  drydock_free_string_list (fs);
  return r;
}

/* Stops the RAID devices a test made.  0, or -1. */
static int
stop_md (drydock_h *h)
{
  char **md = drydock_list_md_devices (h);
  int r = 0;

  if (md == NULL)
    return -1;
  for (size_t i = 0; md[i]; ++i)
    if (drydock_md_stop (h, md[i]) == -1)
      r = -1;
  drydock_free_string_list (md);
  return r;
}

/* Undoes what the last test left: nothing mounted, no LVM filter, no
 * volume group active, no encrypted volume open, no RAID device, a
 * disk of zeros with no partition. */
static int
clean (drydock_h *h, enum table_layout layout)
{
  if (drydock_umount_all (h) == -1 || drydock_lvm_clear_filter (h) == -1 ||
      drydock_vg_activate_all (h, 0) == -1 ||
      close_mappings (h) == -1 || stop_md (h) == -1 ||
      drydock_blkdiscard (h, "/dev/sda") == -1 ||
      drydock_blockdev_rereadpt (h, "/dev/sda") == -1)
    return -1;
  if (layout == LAYOUT_TWODISK &&
      (drydock_blkdiscard (h, "/dev/sdb") == -1 ||
       drydock_blockdev_rereadpt (h, "/dev/sdb") == -1))
    return -1;
  return 0;
}

static int
make_layout (drydock_h *h, enum table_layout layout)
{
  char *const pvs[] = { (char *) "/dev/sda1", NULL };
  const char *fsdev = layout == LAYOUT_LVM ? "/dev/VG/LV" : "/dev/sda1";
  const char *fstype = layout == LAYOUT_BTRFS ? "btrfs"
    : layout == LAYOUT_XFS ? "xfs" : "ext4";

  if (layout == LAYOUT_EMPTY)
    return 0;
  if (drydock_part_disk (h, "/dev/sda", "mbr") == -1)
    return -1;
  if (layout == LAYOUT_PART)
    return 0;
  if (layout == LAYOUT_LVM &&
      (drydock_pvcreate (h, "/dev/sda1") == -1 ||
       drydock_vgcreate (h, "VG", pvs) == -1 ||
       drydock_lvcreate (h, "LV", "VG", 64) == -1))
    return -1;
  if (drydock_mkfs (h, fstype, fsdev) == -1 ||
      drydock_mount (h, fsdev, "/") == -1)
    return -1;
  return 0;
}

/* The ISO 9660 image of the "iso" layout, made with xorriso: volume id
 * DRYDOCKTEST, /hello.txt and /dir/file.txt.  0 or -1 (printed). */
static int
make_iso (const char *iso)
{
  const char *src = table_tmp ("/iso-src");
  char cmd[8192];
  FILE *fp;

  snprintf (cmd, sizeof cmd, "mkdir -p '%s/dir'", src);
  if (system (cmd) != 0)
    return -1;
  snprintf (cmd, sizeof cmd, "%s/hello.txt", src);
  if ((fp = fopen (cmd, "w")) == NULL || fputs ("hello\n", fp) < 0 ||
      fclose (fp) != 0)
    return -1;
  snprintf (cmd, sizeof cmd, "%s/dir/file.txt", src);
  if ((fp = fopen (cmd, "w")) == NULL || fputs ("file\n", fp) < 0 ||
      fclose (fp) != 0)
    return -1;
  snprintf (cmd, sizeof cmd,
            "xorriso -no_rc -outdev '%s' -volid DRYDOCKTEST -map '%s' / "
            "-commit >/dev/null 2>&1", iso, src);
  if (system (cmd) != 0) {
    printf ("iso: xorriso could not make %s\n", iso);
    return -1;
  }
  return 0;
}

/* Makes the local file PATH of SIZE bytes (sparse). */
static void
make_disk (const char *path, off_t size)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd == -1 || ftruncate (fd, size) == -1 || close (fd) == -1) {
    perror (path);
    exit (EXIT_FAILURE);
  }
}

static int
selected (const char *action, int argc, char **argv)
{
  if (argc < 2)
    return 1;
  for (int i = 1; i < argc; ++i)
    if (strcmp (argv[i], action) == 0)
      return 1;
  return 0;
}

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Runs the selected tests of one layout in one launch.  The number of
 * failures, or -1 if the appliance would not launch. */
static int
run_layout (enum table_layout layout, int argc, char **argv, int *ran)
{
  const char *disk = table_tmp ("/disk.img");
  char sdb[4096];
  drydock_h *h;
  int failures = 0, made = 0, kept = 0;

  snprintf (sdb, sizeof sdb, "%s", table_tmp (layout == LAYOUT_ISO
                                              ? "/test.iso" : "/sdb.img"));
  make_disk (disk, disk_size (layout));
  if (layout == LAYOUT_TWODISK)
    make_disk (sdb, 256 * MiB);
  if (layout == LAYOUT_ISO && make_iso (sdb) == -1)
    return -1;
  h = drydock_create ();
  if (h == NULL) {
    perror ("drydock_create");
    exit (EXIT_FAILURE);
  }
  if (drydock_add_drive_opts (h, disk, DRYDOCK_ADD_DRIVE_OPTS_FORMAT, "raw",
                              -1) == -1 ||
      (has_sdb (layout) &&
       drydock_add_drive_opts (h, sdb, DRYDOCK_ADD_DRIVE_OPTS_FORMAT, "raw",
                               DRYDOCK_ADD_DRIVE_OPTS_READONLY,
                               layout == LAYOUT_ISO, -1) == -1) ||
      drydock_launch (h) == -1) {
    printf ("%s: cannot launch: %s\n", layout_names[layout],
            drydock_last_error (h));
    drydock_close (h);
    return -1;
  }
  for (size_t i = 0; i < table_n_tests; ++i) {
    const struct table_test *t = &table_tests[i];
    double t0 = now ();
    int r;

    if (t->layout != layout || !selected (t->action, argc, argv))
      continue;
    if (!made || !(layout == LAYOUT_SCRATCH || kept)) {
      if ((made && clean (h, layout) == -1) || make_layout (h, layout) == -1) {
        printf ("FAIL: %s %d (%s): making the layout: %s\n", t->action,
                t->index, layout_names[layout], drydock_last_error (h));
        failures++;
        continue;
      }
      made = 1;
    }
    r = t->run (h);
    /* A read-only test that passed left the layout as it was. */
    kept = t->readonly && r == 0;
    printf ("%s: %s %d (%s) %.2fs\n", r == 0 ? "PASS" : "FAIL", t->action,
            t->index, layout_names[layout], now () - t0);
    fflush (stdout);
    failures += r != 0;
    (*ran)++;
    /* Whatever the test did, the handle must still work. */
    if (!drydock_is_ready (h)) {
      printf ("FAIL: the handle is not ready after %s %d\n", t->action,
              t->index);
      failures++;
      break;
    }
  }
  drydock_close (h);
  unlink (disk);
  if (has_sdb (layout))
    unlink (sdb);
  return failures;
}

/* The host files tests upload (@TMP@/journal.tgz ...): prepare.sh
 * makes them in the shared directory.  A failure is only said: the
 * tests needing a missing file fail on their own. */
static void
prepare_host_files (void)
{
  const char *src = getenv ("DRYDOCK_TESTS_SRCDIR");
  char cmd[8400];

  if (src == NULL) {
    fprintf (stderr, "test-table: DRYDOCK_TESTS_SRCDIR is not set "
             "(use ./run): no host files for the tests\n");
    return;
  }
  snprintf (cmd, sizeof cmd, "sh '%s/table/prepare.sh' '%s'", src, tmpdir);
  if (system (cmd) != 0)
    fprintf (stderr, "test-table: %s failed\n", cmd);
}

/* Parses "-l LAYOUT,..." into want (all when absent); the number of
 * arguments used, or exits on a bad layout. */
static int
parse_layouts (int argc, char **argv, int *want)
{
  char *list, *p, *save = NULL;

  for (int l = 0; l < LAYOUT_COUNT; ++l)
    want[l] = 1;
  if (argc < 3 || strcmp (argv[1], "-l") != 0)
    return 0;
  for (int l = 0; l < LAYOUT_COUNT; ++l)
    want[l] = 0;
  list = strdup (argv[2]);
  if (list == NULL) {
    perror ("strdup");
    exit (EXIT_FAILURE);
  }
  for (p = strtok_r (list, ",", &save); p; p = strtok_r (NULL, ",", &save)) {
    int l = 0;

    while (l < LAYOUT_COUNT && strcmp (layout_names[l], p) != 0)
      l++;
    if (l == LAYOUT_COUNT) {
      fprintf (stderr, "test-table: -l: %s: no such layout\n", p);
      exit (EXIT_FAILURE);
    }
    want[l] = 1;
  }
  free (list);
  return 2;
}

int
main (int argc, char **argv)
{
  int failures = 0, ran = 0, want[LAYOUT_COUNT], used;

  used = parse_layouts (argc, argv, want);
  argc -= used;
  argv += used;
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (mkdtemp (tmpdir) == NULL) {
    perror ("mkdtemp");
    exit (EXIT_FAILURE);
  }
  prepare_host_files ();
  for (int l = 0; l < LAYOUT_COUNT; ++l) {
    int any = 0, r;

    if (!want[l])
      continue;
    for (size_t i = 0; i < table_n_tests; ++i)
      any |= table_tests[i].layout == (enum table_layout) l &&
        selected (table_tests[i].action, argc, argv);
    if (!any)
      continue;
    r = run_layout (l, argc, argv, &ran);
    if (r == -1) {
      printf ("test-table: SKIP: the appliance does not launch\n");
      exit (77);
    }
    failures += r;
  }
  {
    char cmd[4200];

    snprintf (cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      fprintf (stderr, "test-table: could not remove %s\n", tmpdir);
  }
  printf ("test-table: %d tests, %d failed\n", ran, failures);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
