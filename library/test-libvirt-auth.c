/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* add_domain's libvirt authentication through the LIBVIRT_AUTH event:
 * libvirt's test driver, given a node with <auth> users, asks for a
 * name and a password; the event's callback answers them with the
 * set_libvirt_requested_credential calls.  A right password adds the
 * domain's disk, a wrong one fails, and outside the event the calls are
 * refused.  Exit 77 when libvirt cannot be loaded. */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drydock.h"

static char dir[] = "/tmp/drydock-auth.XXXXXX";
static int failed;

struct answers {
  const char *password;
  int calls;
  char *requested;            /* the types asked, blank-separated */
  int errors;                 /* calls of the callback that failed */
};

#define CHECK(what, cond) \
  do { if (!(cond)) { printf ("FAIL: %s\n", what); failed = 1; } } while (0)

static void
on_auth (drydock_h *h, void *opaque, uint64_t event, int eh, const char *buf,
         size_t len, const uint64_t *array, size_t n)
{
  struct answers *a = opaque;
  char **types = drydock_get_libvirt_requested_credentials (h);

  a->calls++;
  if (types == NULL) {
    a->errors++;
    return;
  }
  for (size_t i = 0; types[i]; ++i) {
    const char *answer = strcmp (types[i], "authname") == 0 ? "alice" :
      strcmp (types[i], "passphrase") == 0 ? a->password : NULL;
    char *prompt = drydock_get_libvirt_requested_credential_prompt (h, (int) i);
    char *r;

    if (prompt == NULL)
      a->errors++;
    free (prompt);
    if (asprintf (&r, "%s%s%s", a->requested ? a->requested : "",
                  a->requested ? " " : "", types[i]) != -1) {
      free (a->requested);
      a->requested = r;
    }
    if (answer && drydock_set_libvirt_requested_credential
        (h, (int) i, answer, strlen (answer)) == -1)
      a->errors++;
  }
  /* One past the end is refused. */
  if (drydock_get_libvirt_requested_credential_challenge (h, 99) != NULL ||
      drydock_last_errno (h) != EINVAL)
    a->errors++;
  drydock_free_string_list (types);
}

static int
write_node (const char *disk)
{
  char path[4096];
  FILE *fp;

  snprintf (path, sizeof path, "%s/node.xml", dir);
  fp = fopen (path, "w");
  if (fp == NULL)
    return -1;
  fprintf (fp,
           "<node>\n"
           "  <auth><user password='s3cret'>alice</user></auth>\n"
           "  <domain type='test'>\n"
           "    <name>guest1</name><memory>65536</memory>\n"
           "    <os><type>hvm</type></os>\n"
           "    <devices><disk type='file' device='disk'>"
           "<driver name='qemu' type='raw'/><source file='%s'/>"
           "<target dev='vda'/></disk></devices>\n"
           "  </domain>\n"
           "</node>\n", disk);
  return fclose (fp);
}

/* add_domain of guest1 answering with password: its result. */
static int
add_with (const char *uri, struct answers *a)
{
  drydock_h *h = drydock_create ();
  int r;
  char *const creds[] = { (char *) "authname", (char *) "passphrase", NULL };

  if (h == NULL)
    exit (1);
  if (drydock_set_libvirt_supported_credentials (h, creds) == -1 ||
      drydock_set_event_callback (h, on_auth, DRYDOCK_EVENT_LIBVIRT_AUTH, 0,
                                  a) == -1)
    exit (1);
  r = drydock_add_domain_opts (h, "guest1",
                               DRYDOCK_ADD_DOMAIN_OPTS_LIBVIRTURI, uri,
                               DRYDOCK_ADD_DOMAIN_OPTS_READONLY, 1, -1);
  if (r == -1 && strstr (drydock_last_error (h), "cannot use libvirt")) {
    printf ("SKIP: %s\n", drydock_last_error (h));
    exit (77);
  }
  if (r == -1)
    printf ("add_domain: %s\n", drydock_last_error (h));
  drydock_close (h);
  return r;
}

int
main (void)
{
  char disk[4096], uri[4200];
  struct answers good = { "s3cret", 0, NULL, 0 };
  struct answers bad = { "wrong", 0, NULL, 0 };
  drydock_h *h;
  FILE *fp;

  if (mkdtemp (dir) == NULL)
    return 1;
  snprintf (disk, sizeof disk, "%s/disk.img", dir);
  fp = fopen (disk, "w");
  if (fp == NULL || ftruncate (fileno (fp), 1 << 20) == -1 || fclose (fp) != 0 ||
      write_node (disk) == -1)
    return 1;
  snprintf (uri, sizeof uri, "test://%s/node.xml", dir);

  CHECK ("the right password adds the disk", add_with (uri, &good) == 1);
  CHECK ("the event was fired", good.calls >= 1);
  CHECK ("libvirt asked for the name and the password",
         good.requested && strstr (good.requested, "authname") &&
         strstr (good.requested, "passphrase"));
  CHECK ("the callback's calls worked", good.errors == 0);
  CHECK ("a wrong password fails", add_with (uri, &bad) == -1);

  h = drydock_create ();
  CHECK ("outside the event: refused",
         drydock_get_libvirt_requested_credentials (h) == NULL &&
         drydock_last_errno (h) == EINVAL);
  drydock_close (h);

  free (good.requested);
  free (bad.requested);
  unlink (disk);
  snprintf (disk, sizeof disk, "%s/node.xml", dir);
  unlink (disk);
  rmdir (dir);
  if (!failed)
    printf ("PASS: test-libvirt-auth\n");
  return failed;
}
