/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kvm-probe - print whether KVM can run guest code on this host.
 *
 * A thin command line wrapper around drydock_int_kvm_probe
 * (library/accel.c), used by tests/accel/test-accel-probe.sh and for
 * debugging slow launches.  Prints "kvm: yes" or "kvm: no (REASON)" and
 * exits 0 either way; exits 1 only on a usage error.
 *
 * Build (from the top of the source tree), until it has a Makefile.am:
 *
 *   gcc -std=gnu11 -Wall -Wextra -Werror -O2 -Ilibrary \
 *     -o tests/accel/kvm-probe tests/accel/kvm-probe.c library/accel.c
 *
 * Check it with:
 *
 *   valgrind --error-exitcode=1 --leak-check=full tests/accel/kvm-probe
 */

#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "accel.h"

static void
usage (FILE *fp)
{
  fprintf (fp,
           "usage: kvm-probe [--cachedir DIR] [--deadline MS]\n"
           "Print \"kvm: yes\" or \"kvm: no (REASON)\".\n"
           "  --cachedir DIR  read and write the verdict cache in DIR\n"
           "  --deadline MS   give the test vCPU MS ms at most (default %d)\n",
           DRYDOCK_INT_KVM_PROBE_DEFAULT_DEADLINE_MS);
}

static int
parse_deadline (const char *arg, int *ms)
{
  char *end;
  long v;

  errno = 0;
  v = strtol (arg, &end, 10);
  if (errno != 0 || end == arg || *end != '\0' || v <= 0 || v > INT_MAX)
    return -1;
  *ms = v;
  return 0;
}

int
main (int argc, char *argv[])
{
  static const struct option long_options[] = {
    { "cachedir", required_argument, NULL, 'c' },
    { "deadline", required_argument, NULL, 'd' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
  };
  int deadline_ms = DRYDOCK_INT_KVM_PROBE_DEFAULT_DEADLINE_MS;
  const char *cachedir = NULL;
  const char *reason;
  int c;

  while ((c = getopt_long (argc, argv, "c:d:h", long_options, NULL)) != -1) {
    switch (c) {
    case 'c':
      cachedir = optarg;
      break;
    case 'd':
      if (parse_deadline (optarg, &deadline_ms) == -1) {
        fprintf (stderr, "kvm-probe: --deadline: '%s' is not a positive "
                 "number of milliseconds\n", optarg);
        exit (EXIT_FAILURE);
      }
      break;
    case 'h':
      usage (stdout);
      exit (EXIT_SUCCESS);
    default:
      usage (stderr);
      exit (EXIT_FAILURE);
    }
  }
  if (optind != argc) {
    fprintf (stderr, "kvm-probe: unexpected argument '%s'\n", argv[optind]);
    usage (stderr);
    exit (EXIT_FAILURE);
  }

  if (drydock_int_kvm_probe (cachedir, deadline_ms, &reason))
    printf ("kvm: yes\n");
  else
    printf ("kvm: no (%s)\n", reason ? reason : "unknown reason");
  if (fflush (stdout) == EOF) {
    perror ("kvm-probe: stdout");
    exit (EXIT_FAILURE);
  }
  exit (EXIT_SUCCESS);
}
