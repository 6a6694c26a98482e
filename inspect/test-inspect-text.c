/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit test of what guest strings become in the documents: invalid
 * UTF-8 replaced (text.c), XML's forbidden characters replaced, JSON's
 * escapes, and the empty documents.  No appliance.  Every call is made
 * outside assert () and its result checked after, and assert () stays
 * on in every build, so that no check can silently vanish. */

#include <config.h>

#undef NDEBUG
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"

static const char *program_name = "test-inspect-text";

int
tool_error (const char *fs, ...)
{
  return -1;
}

int
tool_lib_error (drydock_h *h)
{
  return -1;
}

static void
expect (const char *what, char *got, const char *want)
{
  if (got == NULL || strcmp (got, want) != 0) {
    fprintf (stderr, "%s: %s: got '%s', want '%s'\n", program_name, what,
             got ? got : "(null)", want);
    exit (EXIT_FAILURE);
  }
  free (got);
}

static void
contains (const char *what, const char *doc, const char *want)
{
  if (strstr (doc, want) == NULL) {
    fprintf (stderr, "%s: %s: no '%s' in:\n%s\n", program_name, what, want,
             doc);
    exit (EXIT_FAILURE);
  }
}

int
main (void)
{
  struct drydock_application app = {
    .name = (char *) "caf\xc3\xa9", .display_name = (char *) "",
    .epoch = 2, .version = (char *) "1.0", .release = (char *) "",
    .arch = (char *) "", .install_path = (char *) "",
    .publisher = (char *) "", .url = (char *) "",
    .source_package = (char *) "",
    .summary = (char *) "tab\there \"q\" back\\slash \x01 del\x7f",
    .description = (char *) "",
  };
  struct drydock_application_list apps = { 1, &app };
  char *mps[] = { (char *) "/", (char *) "/dev/sda1", NULL };
  char *drives[] = { NULL };
  char *win_drives[] = {
    (char *) "C", (char *) "/dev/sda2", (char *) "d", (char *) "/dev/sdb1",
    NULL
  };
  struct inspect_fs fs = {
    (char *) "/dev/sda1", (char *) "ext4", (char *) "", (char *) "u-u"
  };
  struct inspect_os os = {
    .root = (char *) "/dev/sda1", .type = (char *) "linux",
    .arch = (char *) "unknown", .distro = (char *) "debian",
    .product_name = (char *) "a<b>&c", .product_variant = (char *) "unknown",
    .major_version = 12, .minor_version = 0,
    .package_format = (char *) "deb", .package_management = (char *) "apt",
    .hostname = (char *) "h\x02st", .build_id = (char *) "unknown",
    .osinfo = (char *) "debian12", .format = (char *) "installed",
    .mountpoints = mps, .fs = &fs, .n_fs = 1, .drive_mappings = drives,
    .apps = &apps,
  };
  struct inspect_result r = { &os, 1 }, none = { NULL, 0 };
  char *doc, *s;
  size_t len;
  int ret;

  /* UTF-8 kept; bad bytes, overlong forms, surrogates, truncation: U+FFFD. */
  expect ("utf8 ok",
          inspect_text_utf8 ("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
          "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  expect ("latin1", inspect_text_utf8 ("caf\xe9!"), "caf\xef\xbf\xbd!");
  expect ("overlong", inspect_text_utf8 ("\xc0\xaf"),
          "\xef\xbf\xbd\xef\xbf\xbd");
  expect ("surrogate", inspect_text_utf8 ("\xed\xa0\x80"),
          "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  expect ("truncated", inspect_text_utf8 ("ab\xe2\x82"),
          "ab\xef\xbf\xbd\xef\xbf\xbd");
  expect ("past 10ffff", inspect_text_utf8 ("\xf4\x90\x80\x80x"),
          "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx");
  expect ("null", inspect_text_utf8 (NULL), "");
  /* XML 1.0 keeps tab, newline and carriage return only. */
  expect ("xml controls", inspect_text_xml ("a\tb\nc\rd\x01" "e\x1f"),
          "a\tb\nc\rd\xef\xbf\xbd" "e\xef\xbf\xbd");
  expect ("xml fffe", inspect_text_xml ("\xef\xbf\xbe"), "\xef\xbf\xbd");

  s = strdup ("ok \xc3\xa9");
  ret = inspect_text_fix (&s);
  assert (ret == 0);
  expect ("fix valid", s, "ok \xc3\xa9");
  s = strdup ("bad \xff");
  ret = inspect_text_fix (&s);
  assert (ret == 0);
  expect ("fix invalid", s, "bad \xef\xbf\xbd");

  doc = inspect_xml_document (&none, &len);
  expect ("xml empty", doc, "<?xml version=\"1.0\"?>\n<operatingsystems/>\n");
  doc = inspect_json_document (&none, &len);
  expect ("json empty", doc, "{\n  \"operatingsystems\": []\n}\n");

  doc = inspect_xml_document (&r, &len);
  assert (doc && strlen (doc) == len);
  contains ("xml", doc, "<product_name>a&lt;b&gt;&amp;c</product_name>");
  contains ("xml", doc, "<hostname>h\xef\xbf\xbdst</hostname>");
  contains ("xml", doc, "<mountpoint dev=\"/dev/sda1\">/</mountpoint>");
  contains ("xml", doc, "<filesystem dev=\"/dev/sda1\">\n"
            "        <type>ext4</type>\n"
            "        <uuid>u-u</uuid>\n"
            "      </filesystem>");
  contains ("xml", doc, "<name>caf\xc3\xa9</name>\n"
            "        <epoch>2</epoch>\n"
            "        <version>1.0</version>\n"
            "        <summary>");
  assert (strstr (doc, "<arch>") == NULL);          /* unknown */
  assert (strstr (doc, "product_variant") == NULL);
  assert (strstr (doc, "build_id") == NULL);        /* not in the schema */
  assert (strstr (doc, "drive_mappings") == NULL);  /* none */
  assert (strstr (doc, "<label>") == NULL);         /* empty */
  free (doc);

  doc = inspect_json_document (&r, &len);
  assert (doc && strlen (doc) == len);
  contains ("json", doc, "\"product_name\": \"a<b>&c\"");
  contains ("json", doc, "\"hostname\": \"h\\u0002st\"");
  contains ("json", doc, "\"major_version\": 12,\n");
  contains ("json", doc, "\"name\": \"caf\xc3\xa9\",\n");
  contains ("json", doc, "\"epoch\": 2,\n");
  contains ("json", doc, "\"summary\": \"tab\\u0009here \\\"q\\\" "
            "back\\\\slash \\u0001 del\\u007f\"");
  contains ("json", doc, "\"mountpoints\": [\n        {\n"
            "          \"dev\": \"/dev/sda1\",\n"
            "          \"mountpoint\": \"/\"\n        }\n      ],");
  contains ("json", doc, "\"drive_mappings\": [],");
  contains ("json", doc, "\"format\": \"installed\",");
  assert (strstr (doc, "\"arch\": \"unknown\"") == NULL);
  assert (strstr (doc, "build_id") == NULL);
  assert (strstr (doc, "\"label\"") == NULL);
  free (doc);

  /* A Windows root: its elements where virt-inspector puts them. */
  os.type = (char *) "windows";
  os.product_variant = (char *) "Server";
  os.package_format = os.package_management = (char *) "unknown";
  os.build_id = (char *) "17763";
  os.windows_systemroot = (char *) "/Windows";
  os.windows_current_control_set = (char *) "ControlSet001";
  os.drive_mappings = win_drives;
  os.apps = NULL;
  doc = inspect_xml_document (&r, &len);
  contains ("xml windows", doc,
            "    <name>windows</name>\n"
            "    <distro>debian</distro>\n"
            "    <product_name>a&lt;b&gt;&amp;c</product_name>\n"
            "    <product_variant>Server</product_variant>\n"
            "    <major_version>12</major_version>\n"
            "    <minor_version>0</minor_version>\n"
            "    <windows_systemroot>/Windows</windows_systemroot>\n"
            "    <windows_current_control_set>ControlSet001"
            "</windows_current_control_set>\n"
            "    <hostname>");
  contains ("xml windows", doc,
            "    </filesystems>\n"
            "    <drive_mappings>\n"
            "      <drive_mapping name=\"C\">/dev/sda2</drive_mapping>\n"
            "      <drive_mapping name=\"d\">/dev/sdb1</drive_mapping>\n"
            "    </drive_mappings>\n"
            "  </operatingsystem>");
  assert (strstr (doc, "<applications") == NULL);   /* --no-applications */
  free (doc);
  doc = inspect_json_document (&r, &len);
  contains ("json windows", doc, "\"build_id\": \"17763\",");
  contains ("json windows", doc,
            "\"windows_current_control_set\": \"ControlSet001\",");
  contains ("json windows", doc, "\"drive_mappings\": [\n        {\n"
            "          \"name\": \"C\",\n"
            "          \"dev\": \"/dev/sda2\"\n        },");
  assert (strstr (doc, "applications") == NULL);
  free (doc);
  return EXIT_SUCCESS;
}
