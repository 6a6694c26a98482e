/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit test of ldm-json.c on the host: ldmtool's answers as json-glib
 * prints them (scan's array, show's objects), then broken and hostile
 * text (truncation in a string or an escape, bad escapes, nested values
 * holding brackets in strings, not an object). */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldm-json.h"

static int failures;

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf (stderr, "%s:%d: check failed: %s\n",                     \
               __FILE__, __LINE__, #cond);                              \
      failures++;                                                       \
    }                                                                   \
  } while (0)

/* The string member key of json, or NULL; caller frees. */
static char *
member (const char *json, const char *key)
{
  const char *p = ldm_json_find_key (json, key);
  char *s = NULL;

  if (p == NULL || ldm_json_string (p, &s) == NULL)
    return NULL;
  return s;
}

/* The array member key of json (the whole text with key NULL) joined
 * with "|", or NULL; caller frees. */
static char *
array (const char *json, const char *key)
{
  const char *p = key ? ldm_json_find_key (json, key) : json;
  struct strlist l = STRLIST_INIT;
  char *r = NULL;
  size_t n = 1;

  if (p == NULL || ldm_json_string_array (p, &l) == NULL) {
    strlist_free (&l);
    return NULL;
  }
  for (size_t i = 0; i < l.len; ++i)
    n += strlen (l.v[i]) + 1;
  r = calloc (1, n);
  for (size_t i = 0; r && i < l.len; ++i) {
    if (i)
      strcat (r, "|");
    strcat (r, l.v[i]);
  }
  strlist_free (&l);
  return r;
}

static void
check_str (int line, char *got, const char *want)
{
  if ((got == NULL) != (want == NULL) ||
      (got && strcmp (got, want) != 0)) {
    fprintf (stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, line,
             got ? got : "(null)", want ? want : "(null)");
    failures++;
  }
  free (got);
}
#define CHECK_STR(got, want) check_str (__LINE__, (got), (want))

static const char show_diskgroup[] =
  "{\n"
  "  \"name\" : \"WIN-S7R3GQ6ARHC-Dg0\",\n"
  "  \"guid\" : \"cf4b9a80-4d2a-11e2-87b7-52540012c7c2\",\n"
  "  \"id\" : 2050,\n"
  "  \"nested\" : { \"a\" : [ 1, { \"b\" : \"]}\\\",{\" } ], \"c\" : null },\n"
  "  \"volumes\" : [\n"
  "    \"Volume1\",\n"
  "    \"V\\u0041\\\"\\\\2\\u00e9\"\n"
  "  ],\n"
  "  \"disks\" : [ ]\n"
  "}\n";

static const char show_volume[] =
  "{\n  \"name\" : \"Volume1\",\n  \"type\" : \"mirrored\",\n"
  "  \"size\" : 65536,\n  \"hint\" : null,\n"
  "  \"partitions\" : [\n    \"Disk1-01\",\n    \"Disk2-01\"\n  ]\n}";

int
main (void)
{
  /* ldmtool's answers. */
  CHECK_STR (array ("[]", NULL), "");
  CHECK_STR (array ("[\n]\n", NULL), "");
  CHECK_STR (array ("[\n  \"g1\",\n  \"g2\"\n]\n", NULL), "g1|g2");
  CHECK_STR (member (show_diskgroup, "name"), "WIN-S7R3GQ6ARHC-Dg0");
  CHECK_STR (array (show_diskgroup, "volumes"), "Volume1|VA\"\\2?");
  CHECK_STR (array (show_diskgroup, "disks"), "");
  CHECK_STR (member (show_volume, "type"), "mirrored");
  CHECK_STR (array (show_volume, "partitions"), "Disk1-01|Disk2-01");
  CHECK (strncmp (ldm_json_find_key (show_volume, "hint"), "null", 4) == 0);

  /* Missing keys, wrong shapes. */
  errno = 0;
  CHECK (ldm_json_find_key (show_volume, "nosuch") == NULL && errno == ENOENT);
  errno = 0;
  CHECK (ldm_json_find_key ("{}", "a") == NULL && errno == ENOENT);
  errno = 0;
  CHECK (ldm_json_find_key ("[\"x\"]", "a") == NULL && errno == EINVAL);
  CHECK_STR (member (show_diskgroup, "id"), NULL);
  CHECK_STR (array (show_diskgroup, "name"), NULL);
  CHECK_STR (array ("[\"a\" \"b\"]", NULL), NULL);
  CHECK_STR (array ("[\"a\", 1]", NULL), NULL);

  /* Truncated and broken text never reads past its end. */
  CHECK_STR (array ("[\"a", NULL), NULL);
  CHECK_STR (array ("[\"a\\", NULL), NULL);
  CHECK_STR (array ("[\"\\u12", NULL), NULL);
  CHECK_STR (array ("[\"\\u12\"]", NULL), NULL);
  CHECK_STR (array ("[\"\\x\"]", NULL), NULL);
  CHECK_STR (array ("[\"a\",", NULL), NULL);
  CHECK_STR (member ("{\"a\" : [1, {\"b\"", "z"), NULL);
  CHECK_STR (member ("{\"a\" : \"x\\\"", "a"), NULL);
  CHECK_STR (member ("{\"a\" \"x\"}", "a"), NULL);
  CHECK_STR (member ("{\"a\" : \"\\u0000\"}", "a"), "?");
  for (size_t n = 0; n < sizeof show_diskgroup - 1; ++n) {
    char *cut = strndup (show_diskgroup, n);

    free (array (cut, "disks"));
    free (member (cut, "name"));
    free (cut);
  }

  if (failures)
    fprintf (stderr, "test-ldm-json: %d failed\n", failures);
  return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
