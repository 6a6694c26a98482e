/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit test of the tool layer without an appliance: --format applying
 * to the -a options after it, a tool's own options and arguments
 * beside the shared ones, -m and --key syntax, the order keys are tried
 * in, and the one-line messages of the image checks.  Every call is
 * made outside assert () and its result checked after, and assert ()
 * stays on in every build, so that no check can silently vanish. */

#include <config.h>

#undef NDEBUG
#include <assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"

static char dir[] = "/tmp/test-options.XXXXXX";
static FILE *errfp;             /* stderr goes here while checked */

static char *
path (const char *name)
{
  static char buf[4][256];
  static int next;
  char *p = buf[next++ % 4];

  snprintf (p, 256, "%s/%s", dir, name);
  return p;
}

static void
write_file (const char *name, const char *data, size_t len)
{
  FILE *fp = fopen (path (name), "w");
  size_t written;
  int r;

  assert (fp != NULL);
  written = fwrite (data, 1, len, fp);
  assert (written == len);
  r = fclose (fp);
  assert (r == 0);
}

/* Runs call with stderr captured; checks it printed exactly want (one
 * line, with its newline).  call is a statement: where the result of
 * the function called matters, it stores it, and the caller checks it
 * after. */
#define EXPECT_STDERR(want, call)                                     \
  do {                                                                \
    char got[512] = "";                                               \
    int truncated;                                                    \
    ssize_t nread;                                                    \
    fflush (stderr);                                                  \
    int saved = dup (2);                                              \
    rewind (errfp);                                                   \
    truncated = ftruncate (fileno (errfp), 0);                        \
    assert (truncated == 0);                                          \
    dup2 (fileno (errfp), 2);                                         \
    call;                                                             \
    fflush (stderr);                                                  \
    dup2 (saved, 2);                                                  \
    close (saved);                                                    \
    nread = pread (fileno (errfp), got, sizeof got - 1, 0);           \
    assert (nread >= 0);                                              \
    if (strcmp (got, want) != 0) {                                    \
      fprintf (stderr, "line %d: expected: %s got: %s", __LINE__,     \
               want, got);                                            \
      exit (EXIT_FAILURE);                                            \
    }                                                                 \
  } while (0)

struct own {
  int echo;
  const char *file;
};

static int
own_option (int c, const char *arg, void *opaque)
{
  struct own *own = opaque;

  switch (c) {
  case 'e': own->echo = 1; return 0;
  case 'f': own->file = arg; return 0;
  case 'd': own->echo = 'd'; return 0;
  default: return -1;
  }
}

static void
usage (int status)
{
  exit (status);
}

static void
test_drives (void)
{
  static const struct option longopts[] = {
    { "file", required_argument, NULL, 'f' },
    { NULL, 0, NULL, 0 },
  };
  struct own own = { 0, NULL };
  const struct tool_spec spec = {
    .takes = TOOL_OPT_ADD | TOOL_OPT_RO | TOOL_OPT_MOUNT | TOOL_OPT_KEYS,
    .short_options = "ef:", .long_options = longopts, .in_order = 1,
    .usage = usage, .option = own_option, .opaque = &own,
  };
  char *argv[] = {
    "tool", "-a", path ("a.img"), "--format", "raw", "-a", path ("b.img"),
    "--format=qcow2", "-a", path ("q.qcow2"), "--format", "-a",
    path ("c.img"), "--format", "qcow2", "--add", path ("q.qcow2"),
    "--format=auto", "-a", path ("d.img"), "--ro", "-e", "--file", "script",
    "-m", "/dev/sda1", "-m", "/dev/sda2:/boot:noatime", "-v", "-x",
    "--key", "all:key:secret", "cmd", "-a", "arg", NULL,
  };
  struct tool_options o = { 0 };
  int i = tool_parse (&spec, sizeof argv / sizeof argv[0] - 1, argv, &o);
  const char *qcow2;

  assert (i > 0 && strcmp (argv[i], "cmd") == 0);
  assert (strcmp (argv[i + 1], "-a") == 0);       /* the command's */
  assert (o.n_drives == 6);
  assert (o.drives[0].format == NULL);
  assert (strcmp (o.drives[1].format, "raw") == 0);
  assert (strcmp (o.drives[2].format, "qcow2") == 0);
  assert (o.drives[3].format == NULL);            /* --format alone */
  assert (strcmp (o.drives[4].format, "qcow2") == 0);
  assert (o.drives[5].format == NULL);            /* --format=auto */
  qcow2 = path ("q.qcow2");
  assert (strcmp (o.drives[4].file, qcow2) == 0);
  assert (o.ro && o.verbose && o.trace && !o.quiet && !o.inspector);
  assert (own.echo && strcmp (own.file, "script") == 0);
  assert (o.n_mounts == 2);
  assert (strcmp (o.mounts[0].mountpoint, "/") == 0);
  assert (strcmp (o.mounts[1].device, "/dev/sda2") == 0);
  assert (strcmp (o.mounts[1].mountpoint, "/boot") == 0);
  assert (strcmp (o.mounts[1].options, "noatime") == 0);
  assert (o.mounts[1].fstype == NULL);
  assert (o.n_keys == 1 && strcmp (o.keys[0].id, "all") == 0);
  tool_options_free (&o);
}

/* -d/--domain and -c/--connect: a domain among the drives, without the
 * --format in force; a tool that owns -d keeps it and takes --domain. */
static void
test_domains (void)
{
  struct own own = { 0, NULL };
  struct tool_spec spec = {
    .takes = TOOL_OPT_ADD, .usage = usage, .option = own_option,
    .opaque = &own,
  };
  char *argv[] = {
    "tool", "--format", "raw", "-a", path ("a.img"), "-d", "guest",
    "-c", "test:///default", "--domain", "0f1e2d3c-aaaa-bbbb-cccc-000000000001",
    NULL,
  };
  char *argv_own[] = { "tool", "-d", "--domain", "guest", NULL };
  struct tool_options o = { 0 };
  int i = tool_parse (&spec, sizeof argv / sizeof argv[0] - 1, argv, &o);

  assert (i == (int) (sizeof argv / sizeof argv[0] - 1));
  assert (o.n_drives == 3);
  assert (!o.drives[0].domain && strcmp (o.drives[0].format, "raw") == 0);
  assert (o.drives[1].domain && o.drives[1].format == NULL);
  assert (strcmp (o.drives[1].file, "guest") == 0);
  assert (o.drives[2].domain && o.drives[2].file[0] == '0');
  assert (strcmp (o.libvirt_uri, "test:///default") == 0);
  tool_options_free (&o);

  /* win-reg's way: -d is the tool's own option. */
  spec.takes = TOOL_OPT_ADD | TOOL_OPT_OWN_D;
  spec.short_options = "d";
  own.echo = 0;
  i = tool_parse (&spec, 4, argv_own, &o);
  assert (i == 4 && o.n_drives == 1 && o.drives[0].domain);
  assert (strcmp (o.drives[0].file, "guest") == 0 && own.echo == 'd');
  tool_options_free (&o);
}

static void
test_mount (void)
{
  struct tool_mount m;
  int r;

  r = tool_parse_mount ("/dev/sda1:/:ro,noatime:ext4", &m);
  assert (r == 0);
  assert (strcmp (m.device, "/dev/sda1") == 0);
  assert (strcmp (m.mountpoint, "/") == 0);
  assert (strcmp (m.options, "ro,noatime") == 0);
  assert (strcmp (m.fstype, "ext4") == 0);
  tool_mount_free (&m);
  r = tool_parse_mount ("/dev/sda1::", &m);
  assert (r == 0);
  assert (strcmp (m.mountpoint, "/") == 0 && m.options == NULL);
  tool_mount_free (&m);
  r = tool_parse_mount ("btrfsvol:/dev/sda2/root", &m);
  assert (r == 0);
  assert (strcmp (m.device, "btrfsvol:/dev/sda2/root") == 0);
  assert (strcmp (m.mountpoint, "/") == 0);
  tool_mount_free (&m);
  r = tool_parse_mount ("btrfsvol:/dev/sda2/home:/home:compress=zstd", &m);
  assert (r == 0);
  assert (strcmp (m.device, "btrfsvol:/dev/sda2/home") == 0);
  assert (strcmp (m.mountpoint, "/home") == 0);
  assert (strcmp (m.options, "compress=zstd") == 0);
  tool_mount_free (&m);
  EXPECT_STDERR ("test: -m ':/boot': no device (expected "
                 "DEV[:MOUNTPOINT[:OPTIONS[:FSTYPE]]])\n",
                 r = tool_parse_mount (":/boot", &m));
  assert (r == -1);
  EXPECT_STDERR ("test: -m '/dev/sda1:boot': the mountpoint 'boot' is not "
                 "an absolute path\n",
                 r = tool_parse_mount ("/dev/sda1:boot", &m));
  assert (r == -1);
}

static void
test_keys (void)
{
  struct tool_options o = { 0 };
  const char *keys[4];
  int r;

  write_file ("key", "from-file\nsecond line\n", 23);
  write_file ("empty.key", "", 0);
  write_file ("blank.key", "\n", 1);
  r = tool_add_key (&o, "all:key:first-all");
  assert (r == 0);
  r = tool_add_key (&o, "/dev/sda2:key:pass:with:colons");
  assert (r == 0);
  {
    char sel[300];
    snprintf (sel, sizeof sel, "abcd-uuid:file:%s", path ("key"));
    r = tool_add_key (&o, sel);
    assert (r == 0);
  }
  r = tool_keys_for (&o, "/dev/sda2", "ABCD-UUID", keys, 4);
  assert (r == 3);
  assert (strcmp (keys[0], "pass:with:colons") == 0);
  assert (strcmp (keys[1], "from-file") == 0);
  assert (strcmp (keys[2], "first-all") == 0);
  r = tool_keys_for (&o, "/dev/sda3", NULL, keys, 4);
  assert (r == 1);
  EXPECT_STDERR ("test: --key: expected DEVICE:key:PASSPHRASE or "
                 "DEVICE:file:FILENAME (DEVICE: /dev/sdXN, /dev/VG/LV, the "
                 "LUKS UUID or all)\n",
                 r = tool_add_key (&o, "/dev/sda2:secret"));
  assert (r == -1);
  EXPECT_STDERR ("test: --key: expected DEVICE:key:PASSPHRASE or "
                 "DEVICE:file:FILENAME (DEVICE: /dev/sdXN, /dev/VG/LV, the "
                 "LUKS UUID or all)\n",
                 r = tool_add_key (&o, "/dev/sda2:key:"));
  assert (r == -1);
  {
    char sel[300];
    snprintf (sel, sizeof sel, "all:file:%s", path ("blank.key"));
    EXPECT_STDERR ("test: --key for all: the passphrase is empty\n",
                   r = tool_add_key (&o, sel));
    assert (r == -1);
  }
  {
    char sel[300], want[400];
    snprintf (sel, sizeof sel, "all:file:%s", path ("empty.key"));
    snprintf (want, sizeof want, "test: --key: '%s': the file is empty\n",
              path ("empty.key"));
    EXPECT_STDERR (want, r = tool_add_key (&o, sel));
    assert (r == -1);
  }
  tool_options_free (&o);
}

static void
test_images (void)
{
  const char *f = NULL;
  char want[512];
  int r;

  r = tool_check_format ("auto", &f);
  assert (r == 0 && f == NULL);
  r = tool_check_format ("qcow2", &f);
  assert (r == 0 && strcmp (f, "qcow2") == 0);
  r = tool_check_format ("vmdk", &f);
  assert (r == 0 && strcmp (f, "vmdk") == 0);
  EXPECT_STDERR ("test: --format 'vmdk2': unsupported format (use raw, "
                 "qcow2, qcow, vmdk, vdi, vhdx, vpc, qed, dmg, parallels, "
                 "luks or ova)\n",
                 r = tool_check_format ("vmdk2", &f));
  assert (r == -1);
  r = tool_check_image (path ("a.img"), NULL, &f);
  assert (r == 0 && strcmp (f, "raw") == 0);
  r = tool_check_image (path ("q.qcow2"), NULL, &f);
  assert (r == 0 && strcmp (f, "qcow2") == 0);
  r = tool_check_image (path ("a.img"), "raw", NULL);
  assert (r == 0);
  snprintf (want, sizeof want, "test: '%s': No such file or directory\n",
            path ("missing.img"));
  EXPECT_STDERR (want, r = tool_check_image (path ("missing.img"), NULL,
                                             NULL));
  assert (r == -1);
  snprintf (want, sizeof want, "test: '%s': not a regular file or block "
            "device\n", dir);
  EXPECT_STDERR (want, r = tool_check_image (dir, "raw", NULL));
  assert (r == -1);
  snprintf (want, sizeof want, "test: '%s': format qcow2 was given but "
            "the image is raw\n", path ("a.img"));
  EXPECT_STDERR (want, r = tool_check_image (path ("a.img"), "qcow2", &f));
  assert (r == -1);
  snprintf (want, sizeof want, "test: '%s': unsupported format vmdk "
            "(convert it to raw or qcow2 first, or give --format raw if it "
            "really is a raw disk)\n", path ("v.vmdk"));
  EXPECT_STDERR (want, r = tool_check_image (path ("v.vmdk"), NULL, &f));
  assert (r == -1);
  r = tool_check_image (path ("v.vmdk"), "raw", NULL);
  assert (r == 0);
  /* -a images: the library checks the format, a probed one is named. */
  snprintf (want, sizeof want, "test: '%s': format probed: vmdk\n",
            path ("v.vmdk"));
  EXPECT_STDERR (want, r = tool_check_image (path ("v.vmdk"), NULL, NULL));
  assert (r == 0);
  r = tool_check_image ("nbd://127.0.0.1/x", NULL, NULL);
  assert (r == 0);
  if (geteuid () != 0) {
    chmod (path ("a.img"), 0);
    snprintf (want, sizeof want, "test: '%s': Permission denied\n",
              path ("a.img"));
    EXPECT_STDERR (want, r = tool_check_image (path ("a.img"), "raw",
                                               NULL));
    assert (r == -1);
    chmod (path ("a.img"), 0644);
  }
}

static void
test_messages (void)
{
  EXPECT_STDERR ("test: two lines made one\n",
                 tool_error ("two lines\nmade one\n"));
  EXPECT_STDERR ("test: warning: careful\n", tool_warning ("careful"));
}

int
main (void)
{
  char errname[64] = "/tmp/test-options-err.XXXXXX";
  char *made;
  int fd;

  made = mkdtemp (dir);
  assert (made != NULL);
  fd = mkstemp (errname);
  assert (fd >= 0);
  unlink (errname);
  errfp = fdopen (fd, "w+");
  tool_set_program_name ("test");
  write_file ("a.img", "", 0);
  write_file ("b.img", "", 0);
  write_file ("c.img", "", 0);
  write_file ("d.img", "", 0);
  write_file ("q.qcow2", "QFI\xfb\0\0\0\3", 8);
  write_file ("v.vmdk", "KDMV", 4);

  test_images ();
  test_drives ();
  test_domains ();
  test_mount ();
  test_keys ();
  test_messages ();

  for (const char *const *n = (const char *const[]) {
         "a.img", "b.img", "c.img", "d.img", "q.qcow2", "v.vmdk", "key",
         "empty.key", "blank.key", NULL }; *n; ++n)
    unlink (path (*n));
  rmdir (dir);
  return EXIT_SUCCESS;
}
