/* test-inspect-hive: runs one inspect-hive.c query on a hive file and
 * prints what it found, one "field=value" line each, for
 * test-inspect-hive.sh to compare (the hives are built at test time).
 *
 *   test-inspect-hive os SOFTWARE
 *   test-inspect-hive system SYSTEM
 *   test-inspect-hive apps SOFTWARE
 *   test-inspect-hive utf16 HEXBYTES
 *
 * A query that fails prints "error: MESSAGE" and exits 1. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanups.h"
#include "inspect-hive.h"

static void
field (const char *name, const char *value)
{
  printf ("%s=%s\n", name, value ? value : "(none)");
}

static int
print_app (void *opaque, const struct inspect_pkg *p)
{
  printf ("app=%s|%s|%s|%s|%s|%s|%s\n", p->name,
          p->display_name ? p->display_name : "",
          p->version ? p->version : "", p->publisher ? p->publisher : "",
          p->install_path ? p->install_path : "", p->url ? p->url : "",
          p->description ? p->description : "");
  return 0;
}

static int
query_os (int fd)
{
  struct hive_os_version v;
  int r = hive_read_os_version (fd, &v);

  if (r == 0) {
    field ("product_name", v.product_name);
    printf ("major=%d\nminor=%d\n", v.major, v.minor);
    field ("current_version", v.current_version);
    field ("build", v.build);
    field ("installation_type", v.installation_type);
    field ("edition_id", v.edition_id);
  }
  hive_os_version_free (&v);
  return r;
}

static int
query_system (int fd)
{
  struct hive_system sys;
  int r = hive_read_system (fd, &sys);

  if (r == 0) {
    field ("control_set", sys.control_set);
    field ("hostname", sys.hostname);
    for (size_t i = 0; i < sys.nr_drives; ++i) {
      const struct hive_drive *d = &sys.drives[i];
      const unsigned char *s = d->disk_signature;

      if (d->gpt)
        printf ("drive=%c gpt %s\n", d->letter, d->guid);
      else
        printf ("drive=%c mbr %02x%02x%02x%02x %llu\n", d->letter,
                s[0], s[1], s[2], s[3], (unsigned long long) d->offset);
    }
  }
  hive_system_free (&sys);
  return r;
}

static int
query_utf16 (const char *hex)
{
  size_t n = strlen (hex) / 2;
  CLEANUP_FREE unsigned char *b = malloc (n + 1);
  CLEANUP_FREE char *s = NULL;

  if (b == NULL)
    return -1;
  for (size_t i = 0; i < n; ++i) {
    unsigned x;

    if (sscanf (hex + 2 * i, "%2x", &x) != 1) {
      errno = EINVAL;
      return -1;
    }
    b[i] = x;
  }
  s = hive_utf16le_to_utf8 (b, n);
  if (s == NULL)
    return -1;
  field ("string", s);
  return 0;
}

int
main (int argc, char *argv[])
{
  CLEANUP_CLOSE int fd = -1;
  int r;

  if (argc != 3) {
    fprintf (stderr, "usage: %s os|system|apps|utf16 FILE|HEX\n", argv[0]);
    return 2;
  }
  if (strcmp (argv[1], "utf16") == 0)
    r = query_utf16 (argv[2]);
  else if ((fd = open (argv[2], O_RDONLY | O_CLOEXEC)) == -1)
    r = -1;
  else if (strcmp (argv[1], "os") == 0)
    r = query_os (fd);
  else if (strcmp (argv[1], "system") == 0)
    r = query_system (fd);
  else if (strcmp (argv[1], "apps") == 0)
    r = hive_list_apps (fd, print_app, NULL);
  else {
    fprintf (stderr, "%s: unknown query %s\n", argv[0], argv[1]);
    return 2;
  }
  if (r != 0) {
    printf ("error: %s\n", strerror (errno));
    return 1;
  }
  return 0;
}
