/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz target for the reader of a libvirt domain's XML
 * (library/domain-xml.c), which turns untrusted elements into paths
 * and URIs add_drive opens.  Every disk it returns must have a target
 * and a source: an absolute path (file, block), a pool and a volume
 * name, or a URI of a scheme add_drive reads remotely (nbd://,
 * nbd+unix://, http://, https://) without a space, a quote or a '#' in
 * it.  A failure sets the handle's error exactly once; a success sets
 * none.  A broken promise aborts, so the fuzzer reports it like a
 * crash.
 *
 * The library's error and event functions are stubbed here: the reader
 * is compiled straight in, with libxml2 linked (the library loads it
 * at run time).
 *
 * Built two ways: with clang -fsanitize=fuzzer (`make fuzz`), and as a
 * plain program for make check that runs a domain with every kind of
 * disk, with a fixed number of mutations from a fixed seed.
 * `fuzz-domain-xml --write-seeds DIR` writes that domain out as the
 * libFuzzer starting corpus. */

#include <config.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "fuzz-rng.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int errors;

void
drydock_int_error_errno (drydock_h *h, int errnum, const char *fs, ...)
{
  errors++;
}

void
drydock_int_error (drydock_h *h, const char *fs, ...)
{
  errors++;
}

void
drydock_int_perror (drydock_h *h, const char *fs, ...)
{
  errors++;
}

void
drydock_int_debug (drydock_h *h, const char *fs, ...)
{
}

void
drydock_int_warning (drydock_h *h, const char *fs, ...)
{
}

static const struct domain_xml_api xml_api = {
  .read_memory = xmlReadMemory,
  .free_doc = xmlFreeDoc,
  .root_element = xmlDocGetRootElement,
  .get_prop = xmlGetProp,
  .free = &xmlFree,
};

static int
starts (const char *s, const char *prefix)
{
  return strncmp (s, prefix, strlen (prefix)) == 0;
}

static void
check_disk (const struct domain_disk *d)
{
  if (d->target == NULL || d->source == NULL)
    abort ();
  if ((d->offset < 0) != (d->size < 0) || d->offset < -1 || d->size == 0 ||
      (d->offset >= 0 && d->source[0] != '/'))
    abort ();
  if (d->pool) {
    if (*d->pool == '\0' || *d->source == '\0')
      abort ();
    return;
  }
  if (d->source[0] == '/')
    return;
  {
    /* The protocols domain-xml.c turns into URIs. */
    static const char *const schemes[] = {
      "nbd://", "nbd+unix:///", "http://", "https://", "ftp://", "ftps://",
      "ssh://", "iscsi://", "gluster://", NULL
    };
    int known = 0;

    for (size_t i = 0; schemes[i]; ++i)
      known |= starts (d->source, schemes[i]);
    if (!known)
      abort ();
  }
  if (strpbrk (d->source, " \t\n\"'#<>\\") != NULL)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *xml = malloc (size + 1);
  struct domain_disk *disks;
  size_t n;
  int r;

  if (xml == NULL)
    abort ();
  memcpy (xml, data, size);
  xml[size] = '\0';
  errors = 0;
  r = drydock_int_domain_disks (NULL, &xml_api, "fuzz", xml, &disks, &n);
  if ((r == -1) != (errors == 1) || errors > 1)
    abort ();
  if (r == 0)
    for (size_t i = 0; i < n; ++i)
      check_disk (&disks[i]);
  domain_disks_free (disks, n);
  free (xml);
  return 0;
}

#ifndef FUZZING_ENGINE
static void
mutate (uint64_t *seed, const char *good, size_t len, uint8_t *buf)
{
  size_t n = len - fuzz_next (seed) % 64 * (fuzz_next (seed) & 1);
  int flips = 1 + (int) (fuzz_next (seed) % 6);

  memcpy (buf, good, n);
  for (int j = 0; j < flips; ++j) {
    uint64_t v = fuzz_next (seed);

    buf[v % n] = (v >> 32) % 3 ?
      (uint8_t) "<>/='\" #?&:%xab\0"[(v >> 40) % 16] : (uint8_t) (v >> 48);
  }
  LLVMFuzzerTestOneInput (buf, n);
}

int
main (int argc, char *argv[])
{
  static const char good[] =
    "<domain type='kvm'><name>g</name><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/var/lib/libvirt/images/g.qcow2'/>"
    "<target dev='vda'/><readonly/></disk>"
    "<disk type='block'><source dev='/dev/vg/lv'><slices>"
    "<slice type='storage' offset='1048576' size='4096'/></slices>"
    "</source><target dev='vdb'/></disk>"
    "<disk type='volume'><source pool='default' volume='v.img'/></disk>"
    "<disk type='network'><source protocol='nbd' name='exp'>"
    "<host name='::1' port='10809'/></source><target dev='vdc'/></disk>"
    "<disk type='network'><source protocol='nbd' name='e'>"
    "<host transport='unix' socket='/run/n b.sock'/></source></disk>"
    "<disk type='network'><source protocol='https' name='/a b/c.img' "
    "query='x=1&amp;y=2'><host name='h.example' port='443'/></source></disk>"
    "<disk type='file' device='cdrom'><source file='/x.iso'/></disk>"
    "<disk type='dir'><source dir='/srv'/></disk>"
    "<disk type='file'/>"
    "</devices></domain>";
  uint64_t seed = 0x9e3779b97f4a7c15ULL;
  long iterations = argc == 2 ? atol (argv[1]) : 20000;
  static uint8_t buf[sizeof good];
  struct domain_disk *disks;
  size_t n;

  if (argc == 3 && strcmp (argv[1], "--write-seeds") == 0) {
    char path[4096];
    FILE *fp;

    snprintf (path, sizeof path, "%s/domain.xml", argv[2]);
    fp = fopen (path, "w");
    if (fp == NULL || fputs (good, fp) == EOF || fclose (fp) == EOF) {
      perror (path);
      return 1;
    }
    return 0;
  }

  /* The valid domain gives its six disks. */
  if (drydock_int_domain_disks (NULL, &xml_api, "g", good, &disks, &n) != 0 ||
      n != 6 || strcmp (disks[3].source, "nbd://[::1]:10809/exp") != 0 ||
      strcmp (disks[4].source, "nbd+unix:///e?socket=/run/n%20b.sock") != 0 ||
      strcmp (disks[5].source, "https://h.example:443/a%20b/c.img?x=1&y=2") != 0 ||
      !disks[0].readonly || strcmp (disks[0].format, "qcow2") != 0 ||
      disks[0].offset != -1 || disks[1].offset != 1048576 ||
      disks[1].size != 4096)
    abort ();
  domain_disks_free (disks, n);
  for (long i = 0; i < iterations; ++i)
    mutate (&seed, good, sizeof good - 1, buf);
  printf ("fuzz-domain-xml: %ld inputs\n", iterations);
  return 0;
}
#endif
