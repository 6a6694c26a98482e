/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit test of the inspection parsers (inspect-parse.c) on the host:
 * real release files, fstabs, binary headers and package databases of
 * the distributions inspection knows, then hostile variants of each
 * (NUL bytes, huge lines, truncation, broken UTF-8, crafted offsets). */

#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect-parse.h"

static int failures;

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf (stderr, "%s:%d: check failed: %s\n",                     \
               __FILE__, __LINE__, #cond);                              \
      failures++;                                                       \
    }                                                                   \
  } while (0)

/* Equal strings, or both NULL. */
static int
same (const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return strcmp (a, b) == 0;
}

#define CHECK_STR(got, want)                                            \
  do {                                                                  \
    const char *g_ = (got), *w_ = (want);                               \
    if (!same (g_, w_)) {                                               \
      fprintf (stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n",          \
               __FILE__, __LINE__, #got, g_ ? g_ : "(null)",            \
               w_ ? w_ : "(null)");                                     \
      failures++;                                                       \
    }                                                                   \
  } while (0)

/* A string safe as the header promises: bounded, no controls, UTF-8. */
static int
is_clean (const char *s, int newlines_ok)
{
  const unsigned char *u = (const unsigned char *) s;
  size_t n = strlen (s), i = 0, k;

  if (n > INSPECT_VALUE_MAX)
    return 0;
  while (i < n) {
    if (u[i] < 0x80) {
      if ((u[i] < 0x20 && !(newlines_ok && u[i] == '\n')) || u[i] == 0x7f)
        return 0;
      i++;
      continue;
    }
    k = u[i] >= 0xf0 ? 4 : u[i] >= 0xe0 ? 3 : u[i] >= 0xc2 ? 2 : 0;
    if (k == 0 || i + k > n)
      return 0;
    for (size_t j = 1; j < k; ++j)
      if ((u[i + j] & 0xc0) != 0x80)
        return 0;
    i += k;
  }
  return 1;
}

/* shell_var as a test wants it: on a NUL-terminated string. */
static char *
var (const char *file, const char *key)
{
  return inspect_shell_var (file, strlen (file), key);
}

static void
check_var (const char *file, const char *key, const char *want)
{
  char *got = var (file, key);

  if (got == NULL)
    CHECK (errno == 0);
  CHECK_STR (got, want);
  free (got);
}

struct os_release {
  const char *name, *text, *id, *version_id, *pretty;
  int major, minor;     /* -1: VERSION_ID does not parse */
};

static const struct os_release os_releases[] = {
  { "debian 12",
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
    "NAME=\"Debian GNU/Linux\"\n"
    "VERSION_ID=\"12\"\n"
    "VERSION=\"12 (bookworm)\"\n"
    "VERSION_CODENAME=bookworm\n"
    "ID=debian\n"
    "HOME_URL=\"https://www.debian.org/\"\n"
    "SUPPORT_URL=\"https://www.debian.org/support\"\n"
    "BUG_REPORT_URL=\"https://bugs.debian.org/\"\n",
    "debian", "12", "Debian GNU/Linux 12 (bookworm)", 12, 0 },
  { "ubuntu 22.04",
    "PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\n"
    "NAME=\"Ubuntu\"\n"
    "VERSION_ID=\"22.04\"\n"
    "VERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\n"
    "VERSION_CODENAME=jammy\n"
    "ID=ubuntu\n"
    "ID_LIKE=debian\n"
    "HOME_URL=\"https://www.ubuntu.com/\"\n"
    "SUPPORT_URL=\"https://help.ubuntu.com/\"\n"
    "BUG_REPORT_URL=\"https://bugs.launchpad.net/ubuntu/\"\n"
    "PRIVACY_POLICY_URL=\"https://www.ubuntu.com/legal/terms-and-policies/"
    "privacy-policy\"\n"
    "UBUNTU_CODENAME=jammy\n",
    "ubuntu", "22.04", "Ubuntu 22.04.3 LTS", 22, 4 },
  { "fedora 38",
    "NAME=\"Fedora Linux\"\n"
    "VERSION=\"38 (Thirty Eight)\"\n"
    "ID=fedora\n"
    "VERSION_ID=38\n"
    "VERSION_CODENAME=\"\"\n"
    "PLATFORM_ID=\"platform:f38\"\n"
    "PRETTY_NAME=\"Fedora Linux 38 (Thirty Eight)\"\n"
    "ANSI_COLOR=\"0;38;2;60;110;180\"\n"
    "LOGO=fedora-logo-icon\n"
    "CPE_NAME=\"cpe:/o:fedoraproject:fedora:38\"\n"
    "DEFAULT_HOSTNAME=\"fedora\"\n"
    "HOME_URL=\"https://fedoraproject.org/\"\n"
    "DOCUMENTATION_URL=\"https://docs.fedoraproject.org/en-US/fedora/f38/"
    "system-administrators-guide/\"\n"
    "SUPPORT_URL=\"https://ask.fedoraproject.org/\"\n"
    "BUG_REPORT_URL=\"https://bugzilla.redhat.com/\"\n"
    "REDHAT_BUGZILLA_PRODUCT=\"Fedora\"\n"
    "REDHAT_BUGZILLA_PRODUCT_VERSION=38\n"
    "REDHAT_SUPPORT_PRODUCT=\"Fedora\"\n"
    "REDHAT_SUPPORT_PRODUCT_VERSION=38\n"
    "SUPPORT_END=2024-05-14\n",
    "fedora", "38", "Fedora Linux 38 (Thirty Eight)", 38, 0 },
  { "rhel 9",
    "NAME=\"Red Hat Enterprise Linux\"\n"
    "VERSION=\"9.3 (Plow)\"\n"
    "ID=\"rhel\"\n"
    "ID_LIKE=\"fedora\"\n"
    "VERSION_ID=\"9.3\"\n"
    "PLATFORM_ID=\"platform:el9\"\n"
    "PRETTY_NAME=\"Red Hat Enterprise Linux 9.3 (Plow)\"\n"
    "ANSI_COLOR=\"0;31\"\n"
    "LOGO=\"fedora-logo-icon\"\n"
    "CPE_NAME=\"cpe:/o:redhat:enterprise_linux:9::baseos\"\n"
    "HOME_URL=\"https://www.redhat.com/\"\n"
    "DOCUMENTATION_URL=\"https://access.redhat.com/documentation/en-us/"
    "red_hat_enterprise_linux/9\"\n"
    "BUG_REPORT_URL=\"https://bugzilla.redhat.com/\"\n"
    "\n"
    "REDHAT_BUGZILLA_PRODUCT=\"Red Hat Enterprise Linux 9\"\n"
    "REDHAT_BUGZILLA_PRODUCT_VERSION=9.3\n"
    "REDHAT_SUPPORT_PRODUCT=\"Red Hat Enterprise Linux\"\n"
    "REDHAT_SUPPORT_PRODUCT_VERSION=\"9.3\"\n",
    "rhel", "9.3", "Red Hat Enterprise Linux 9.3 (Plow)", 9, 3 },
  { "rocky 9",
    "NAME=\"Rocky Linux\"\n"
    "VERSION=\"9.2 (Blue Onyx)\"\n"
    "ID=\"rocky\"\n"
    "ID_LIKE=\"rhel centos fedora\"\n"
    "VERSION_ID=\"9.2\"\n"
    "PLATFORM_ID=\"platform:el9\"\n"
    "PRETTY_NAME=\"Rocky Linux 9.2 (Blue Onyx)\"\n"
    "ANSI_COLOR=\"0;32\"\n"
    "LOGO=\"fedora-logo-icon\"\n"
    "CPE_NAME=\"cpe:/o:rocky:rocky:9::baseos\"\n"
    "HOME_URL=\"https://rockylinux.org/\"\n"
    "BUG_REPORT_URL=\"https://bugs.rockylinux.org/\"\n"
    "SUPPORT_END=\"2032-05-31\"\n"
    "ROCKY_SUPPORT_PRODUCT=\"Rocky-Linux-9\"\n"
    "ROCKY_SUPPORT_PRODUCT_VERSION=\"9.2\"\n"
    "REDHAT_SUPPORT_PRODUCT=\"Rocky Linux\"\n"
    "REDHAT_SUPPORT_PRODUCT_VERSION=\"9.2\"\n",
    "rocky", "9.2", "Rocky Linux 9.2 (Blue Onyx)", 9, 2 },
  { "almalinux 9",
    "NAME=\"AlmaLinux\"\n"
    "VERSION=\"9.3 (Shamrock Pampas Cat)\"\n"
    "ID=\"almalinux\"\n"
    "ID_LIKE=\"rhel centos fedora\"\n"
    "VERSION_ID=\"9.3\"\n"
    "PLATFORM_ID=\"platform:el9\"\n"
    "PRETTY_NAME=\"AlmaLinux 9.3 (Shamrock Pampas Cat)\"\n"
    "ANSI_COLOR=\"0;34\"\n"
    "LOGO=\"fedora-logo-icon\"\n"
    "CPE_NAME=\"cpe:/o:almalinux:almalinux:9::baseos\"\n"
    "HOME_URL=\"https://almalinux.org/\"\n"
    "DOCUMENTATION_URL=\"https://wiki.almalinux.org/\"\n"
    "BUG_REPORT_URL=\"https://bugs.almalinux.org/\"\n"
    "\n"
    "ALMALINUX_MANTISBT_PROJECT=\"AlmaLinux-9\"\n"
    "ALMALINUX_MANTISBT_PROJECT_VERSION=\"9.3\"\n"
    "REDHAT_SUPPORT_PRODUCT=\"AlmaLinux\"\n"
    "REDHAT_SUPPORT_PRODUCT_VERSION=\"9.3\"\n",
    "almalinux", "9.3", "AlmaLinux 9.3 (Shamrock Pampas Cat)", 9, 3 },
  { "opensuse leap 15.5",
    "NAME=\"openSUSE Leap\"\n"
    "VERSION=\"15.5\"\n"
    "ID=\"opensuse-leap\"\n"
    "ID_LIKE=\"suse opensuse\"\n"
    "VERSION_ID=\"15.5\"\n"
    "PRETTY_NAME=\"openSUSE Leap 15.5\"\n"
    "ANSI_COLOR=\"0;32\"\n"
    "CPE_NAME=\"cpe:/o:opensuse:leap:15.5\"\n"
    "BUG_REPORT_URL=\"https://bugs.opensuse.org\"\n"
    "HOME_URL=\"https://www.opensuse.org/\"\n"
    "DOCUMENTATION_URL=\"https://en.opensuse.org/Portal:Leap\"\n"
    "LOGO=\"distributor-logo-Leap\"\n",
    "opensuse-leap", "15.5", "openSUSE Leap 15.5", 15, 5 },
  { "sles 15 sp5",
    "NAME=\"SLES\"\n"
    "VERSION=\"15-SP5\"\n"
    "VERSION_ID=\"15.5\"\n"
    "PRETTY_NAME=\"SUSE Linux Enterprise Server 15 SP5\"\n"
    "ID=\"sles\"\n"
    "ID_LIKE=\"suse\"\n"
    "ANSI_COLOR=\"0;32\"\n"
    "CPE_NAME=\"cpe:/o:suse:sles:15:sp5\"\n"
    "DOCUMENTATION_URL=\"https://documentation.suse.com/\"\n",
    "sles", "15.5", "SUSE Linux Enterprise Server 15 SP5", 15, 5 },
  { "arch",
    "NAME=\"Arch Linux\"\n"
    "PRETTY_NAME=\"Arch Linux\"\n"
    "ID=arch\n"
    "BUILD_ID=rolling\n"
    "ANSI_COLOR=\"38;2;23;147;209\"\n"
    "HOME_URL=\"https://archlinux.org/\"\n"
    "DOCUMENTATION_URL=\"https://wiki.archlinux.org/\"\n"
    "SUPPORT_URL=\"https://bbs.archlinux.org/\"\n"
    "BUG_REPORT_URL=\"https://gitlab.archlinux.org/groups/archlinux/-/issues\"\n"
    "PRIVACY_POLICY_URL=\"https://terms.archlinux.org/docs/privacy-policy/\"\n"
    "LOGO=archlinux-logo\n",
    "arch", NULL, "Arch Linux", -1, -1 },
  { "alpine 3.18",
    "NAME=\"Alpine Linux\"\n"
    "ID=alpine\n"
    "VERSION_ID=3.18.4\n"
    "PRETTY_NAME=\"Alpine Linux v3.18\"\n"
    "HOME_URL=\"https://alpinelinux.org/\"\n"
    "BUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n",
    "alpine", "3.18.4", "Alpine Linux v3.18", 3, 18 },
  { "gentoo",
    "NAME=Gentoo\n"
    "ID=gentoo\n"
    "PRETTY_NAME=\"Gentoo Linux\"\n"
    "ANSI_COLOR=\"1;32\"\n"
    "HOME_URL=\"https://www.gentoo.org/\"\n"
    "SUPPORT_URL=\"https://www.gentoo.org/support/\"\n"
    "BUG_REPORT_URL=\"https://bugs.gentoo.org/\"\n"
    "VERSION_ID=\"2.14\"\n",
    "gentoo", "2.14", "Gentoo Linux", 2, 14 },
};

static void
test_os_release (void)
{
  for (size_t i = 0; i < sizeof os_releases / sizeof os_releases[0]; ++i) {
    const struct os_release *o = &os_releases[i];
    char *id = var (o->text, "ID");
    char *vid = var (o->text, "VERSION_ID");
    char *pretty = var (o->text, "PRETTY_NAME");
    char *absent = var (o->text, "NO_SUCH_KEY");
    int major = -1, minor = -1;

    fprintf (stderr, "os-release: %s\n", o->name);
    CHECK_STR (id, o->id);
    CHECK_STR (vid, o->version_id);
    CHECK_STR (pretty, o->pretty);
    CHECK (absent == NULL && errno == 0);
    if (o->major >= 0) {
      CHECK (inspect_parse_version (vid, &major, &minor) == 0);
      CHECK (major == o->major && minor == o->minor);
    }
    else
      CHECK (inspect_parse_version (vid, &major, &minor) == -1);
    free (id);
    free (vid);
    free (pretty);
    free (absent);
  }
  /* Fedora's VERSION_CODENAME="" is absent, not an error. */
  check_var (os_releases[2].text, "VERSION_CODENAME", NULL);
  check_var (os_releases[8].text, "BUILD_ID", "rolling");
  /* Prefixes of a key are other keys. */
  check_var (os_releases[0].text, "VERSION", "12 (bookworm)");
  check_var (os_releases[0].text, "NAME", "Debian GNU/Linux");
}

static void
test_shell_var (void)
{
  /* /etc/lsb-release, /etc/sysconfig/network, /etc/conf.d/hostname. */
  const char *lsb =
    "DISTRIB_ID=Ubuntu\n"
    "DISTRIB_RELEASE=22.04\n"
    "DISTRIB_CODENAME=jammy\n"
    "DISTRIB_DESCRIPTION=\"Ubuntu 22.04.3 LTS\"\n";
  char big[3000];

  check_var (lsb, "DISTRIB_ID", "Ubuntu");
  check_var (lsb, "DISTRIB_RELEASE", "22.04");
  check_var (lsb, "DISTRIB_DESCRIPTION", "Ubuntu 22.04.3 LTS");
  check_var ("NETWORKING=yes\nHOSTNAME=rhel6.example.com\n",
             "HOSTNAME", "rhel6.example.com");
  check_var ("# Set to the hostname of this machine\nhostname=\"gentoo-box\"\n",
             "hostname", "gentoo-box");

  /* Quoting. */
  check_var ("K=\"a \\\"b\\\" \\\\ \\$x \\`y\\`\"\n", "K", "a \"b\" \\ $x `y`");
  check_var ("K=\"a\\nb\"\n", "K", "a\\nb");
  check_var ("K='a \"b\" \\$x'\n", "K", "a \"b\" \\$x");
  check_var ("K=a\\ b\n", "K", "a b");
  check_var ("K=\"one\"'two'three\n", "K", "onetwothree");
  check_var ("K=foo bar\n", "K", "foo");
  check_var ("K=foo # comment\n", "K", "foo");
  check_var ("K=a#b\n", "K", "a#b");
  check_var ("K=\n", "K", NULL);
  check_var ("K=''\n", "K", NULL);
  check_var ("K=\"   \"\n", "K", NULL);
  /* Unterminated quotes run to the end of the line, not further. */
  check_var ("K=\"abc\nL=x\n", "K", "abc");
  check_var ("K=\"abc\nL=x\n", "L", "x");
  check_var ("K='abc", "K", "abc");
  check_var ("K=\"abc\\", "K", "abc\\");
  check_var ("K=\\", "K", "\\");

  /* Where assignments are found. */
  check_var ("K=1\nK=2\n", "K", "2");
  check_var ("K=1\nK=\n", "K", NULL);
  check_var ("export K=3\n", "K", "3");
  check_var ("  export\tK=4\n", "K", "4");
  check_var ("exportK=5\n", "K", NULL);
  check_var ("exportK=5\n", "exportK", "5");
  check_var ("#K=6\n", "K", NULL);
  check_var ("KX=7\nXK=8\n", "K", NULL);
  check_var ("K =9\n", "K", "9");
  check_var ("K= 9\n", "K", NULL);
  check_var ("K \t=  \"9 a\" \n", "K", "9 a");
  check_var ("K  \n", "K", NULL);
  check_var ("K", "K", NULL);
  check_var ("openSUSE 13.2 (x86_64)\nVERSION = 13.2\nCODENAME = Harlequin\n",
             "VERSION", "13.2");
  check_var ("SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\n"
             "PATCHLEVEL = 4\n", "PATCHLEVEL", "4");
  check_var ("K=10\r\n", "K", "10");
  check_var ("K=11", "K", "11");
  check_var ("\xef\xbb\xbfK=12\n", "K", "12");
  check_var ("K=\"\xef\xbb\xbf" "13\"\n", "K", "13");
  check_var ("", "K", NULL);
  CHECK (inspect_shell_var (NULL, 0, "K") == NULL && errno == 0);

  /* Hostile values: NULs, controls, broken UTF-8, a megabyte line. */
  {
    const char f[] = "K=\"a\0b\tc\x1b[31md\xc3\x28\xc3\xa9\"\nJ=\0\n";
    char *v = inspect_shell_var (f, sizeof f - 1, "K");
    CHECK_STR (v, "abc[31md(\xc3\xa9");
    free (v);
    v = inspect_shell_var (f, sizeof f - 1, "J");
    CHECK (v == NULL && errno == 0);
  }
  {
    size_t n = 1 << 20;
    char *f = malloc (n);
    char *v;
    CHECK (f != NULL);
    memcpy (f, "K=\"", 3);
    memset (f + 3, 'x', n - 3);
    v = inspect_shell_var (f, n, "K");
    CHECK (v && strlen (v) == INSPECT_VALUE_MAX && is_clean (v, 0));
    free (v);
    /* A megabyte of a line before the key. */
    memset (f, 'y', n);
    memcpy (f + n - 6, "\nK=ok", 5);
    v = inspect_shell_var (f, n - 1, "K");
    CHECK_STR (v, "ok");
    free (v);
    free (f);
  }
  memset (big, 'a', sizeof big);
  memcpy (big, "K=", 2);
  big[1500] = ' ';
  {
    char *v = inspect_shell_var (big, sizeof big, "K");
    CHECK (v && strlen (v) == INSPECT_VALUE_MAX);
    free (v);
  }
}

static void
test_clean_string (void)
{
  static const struct {
    const char *in;
    size_t len;
    const char *out;
  } cases[] = {
    { "plain", 5, "plain" },
    { "caf\xc3\xa9", 5, "caf\xc3\xa9" },
    { "\xf0\x9f\x98\x80!", 5, "\xf0\x9f\x98\x80!" },
    { "a\0b", 3, "ab" },
    { "a\tb\nc\rd\x7f" "e", 9, "abcde" },
    { "a\xc2\x85" "b\xc2\xa0" "c", 7, "ab\xc2\xa0" "c" },
    { "trunc\xc3", 6, "trunc" },
    { "\xc3\x28", 2, "(" },
    { "\xc0\xaf", 2, "" },
    { "\xe0\x80\xaf", 3, "" },
    { "\xed\xa0\x80", 3, "" },
    { "\xf4\x90\x80\x80", 4, "" },
    { "\xf8\x88\x80\x80\x80", 5, "" },
    { "\x80\xbfx", 3, "x" },
    { "\xe2\x82\xac\xe2\x82", 5, "\xe2\x82\xac" },
    { "\xef\xbb\xbf" "bom", 6, "bom" },
    { "", 0, "" },
  };
  char big[INSPECT_VALUE_MAX + 10];
  char *s;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    s = inspect_clean_string (cases[i].in, cases[i].len);
    CHECK_STR (s, cases[i].out);
    free (s);
  }
  s = inspect_clean_string (NULL, 5);
  CHECK_STR (s, "");
  free (s);

  memset (big, 'a', sizeof big);
  s = inspect_clean_string (big, sizeof big);
  CHECK (s && strlen (s) == INSPECT_VALUE_MAX);
  free (s);
  /* A sequence cut by the bound goes whole. */
  memcpy (big + INSPECT_VALUE_MAX - 1, "\xc3\xa9", 2);
  s = inspect_clean_string (big, sizeof big);
  CHECK (s && strlen (s) == INSPECT_VALUE_MAX - 1 && is_clean (s, 0));
  free (s);
}

static void
test_version (void)
{
  static const struct {
    const char *s;
    int r, major, minor;
  } cases[] = {
    { "12", 0, 12, 0 }, { "9.3", 0, 9, 3 }, { "15.5", 0, 15, 5 },
    { "3.18.4", 0, 3, 18 }, { "7.9.2009", 0, 7, 9 }, { "22.04", 0, 22, 4 },
    { "5.", 0, 5, 0 }, { "6.x", 0, 6, 0 }, { "8 (Core)", 0, 8, 0 },
    { "rolling", -1, 0, 0 }, { "", -1, 0, 0 }, { ".5", -1, 0, 0 },
    { "-1", -1, 0, 0 }, { " 12", -1, 0, 0 },
    { "12345678901", -1, 0, 0 }, { "1.12345678901", 0, 1, 0 },
    { "999999999.999999999", 0, 999999999, 999999999 },
  };
  int major, minor;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    major = minor = -7;
    CHECK (inspect_parse_version (cases[i].s, &major, &minor) == cases[i].r);
    if (cases[i].r == 0)
      CHECK (major == cases[i].major && minor == cases[i].minor);
    else
      CHECK (major == -7 && minor == -7);
  }
  CHECK (inspect_parse_version (NULL, &major, &minor) == -1);
}

static void
test_release (void)
{
  static const struct {
    const char *file, *product;
    int major, minor;
  } cases[] = {
    { "Fedora release 38 (Thirty Eight)\n",
      "Fedora release 38 (Thirty Eight)", 38, 0 },
    { "CentOS Linux release 7.9.2009 (Core)\n",
      "CentOS Linux release 7.9.2009 (Core)", 7, 9 },
    { "CentOS Stream release 9\n", "CentOS Stream release 9", 9, 0 },
    { "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n",
      "Red Hat Enterprise Linux Server release 7.9 (Maipo)", 7, 9 },
    { "Red Hat Enterprise Linux release 9.3 (Plow)\n",
      "Red Hat Enterprise Linux release 9.3 (Plow)", 9, 3 },
    { "Red Hat Enterprise Linux Server release 6.10 (Santiago)\n",
      "Red Hat Enterprise Linux Server release 6.10 (Santiago)", 6, 10 },
    { "Rocky Linux release 9.2 (Blue Onyx)\n",
      "Rocky Linux release 9.2 (Blue Onyx)", 9, 2 },
    { "AlmaLinux release 9.3 (Shamrock Pampas Cat)\n",
      "AlmaLinux release 9.3 (Shamrock Pampas Cat)", 9, 3 },
    { "Mageia release 8 (Official) for x86_64\n",
      "Mageia release 8 (Official) for x86_64", 8, 0 },
    { "openSUSE 13.2 (x86_64)\nVERSION = 13.2\nCODENAME = Harlequin\n",
      "openSUSE 13.2 (x86_64)", 13, 2 },
    { "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 4\n",
      "SUSE Linux Enterprise Server 11 (x86_64)", 11, 0 },
    { "12.4\n", "12.4", 12, 4 },
    { "Debian's \"12.4\"", "Debian's \"12.4\"", 12, 4 },
    { "Generic 2 release 5.1", "Generic 2 release 5.1", 5, 1 },
    { "Prereleases 4", "Prereleases 4", 4, 0 },
    { "no version at all\n", "no version at all", 0, 0 },
    { "something release later\n", "something release later", 0, 0 },
    { "\n\n  \t\nLate release 3\n", "Late release 3", 3, 0 },
    { "  padded release 2.1  \r\n", "padded release 2.1", 2, 1 },
    { "", NULL, 0, 0 },
    { "\n \n\t\n", NULL, 0, 0 },
    { "\x01\x02\x03\n", NULL, 0, 0 },
    { "big release 99999999999.1\n", "big release 99999999999.1", 0, 0 },
  };
  char *product;
  int major, minor;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    major = minor = -7;
    CHECK (inspect_parse_release (cases[i].file, strlen (cases[i].file),
                                  &product, &major, &minor) == 0);
    CHECK_STR (product, cases[i].product);
    CHECK (major == cases[i].major && minor == cases[i].minor);
    free (product);
  }
  {
    const char f[] = "\0Fedora\0 release\xff 38\n";
    CHECK (inspect_parse_release (f, sizeof f - 1, &product,
                                  &major, &minor) == 0);
    CHECK_STR (product, "Fedora release 38");
    CHECK (major == 38 && minor == 0);
    free (product);
  }
  CHECK (inspect_parse_release (NULL, 0, &product, &major, &minor) == 0);
  CHECK (product == NULL);
}

static void
test_first_line (void)
{
  static const struct {
    const char *file, *line;
  } cases[] = {
    { "12.4\n", "12.4" },
    { "bookworm/sid\n", "bookworm/sid" },
    { "3.18.4", "3.18.4" },
    { "  x y \r\nsecond\n", "x y" },
    { "\nsecond\n", "second" },
    { "\xef\xbb\xbf" "3.18.4\n", "3.18.4" },
    { "\r\n", NULL },
    { "", NULL },
  };
  char *s;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    s = inspect_first_line (cases[i].file, strlen (cases[i].file));
    CHECK_STR (s, cases[i].line);
    if (s == NULL)
      CHECK (errno == 0);
    free (s);
  }
  s = inspect_first_line ("a\0b\n", 4);
  CHECK_STR (s, "ab");
  free (s);
  s = inspect_first_line (NULL, 0);
  CHECK (s == NULL);
}

static void
test_hostname (void)
{
  static const struct {
    const char *file, *name;
  } cases[] = {
    { "web1\n", "web1" },
    { "web1.example.com\n", "web1" },
    { "# managed by cloud-init\n\n  host-2_a  \n", "host-2_a" },
    { "db01 # comment\n", "db01" },
    { "localhost", "localhost" },
    { "WIN-3ABC\r\n", "WIN-3ABC" },
    { "\xef\xbb\xbf" "bom-host\r\n", "bom-host" },
    { "evil;rm -rf /\n", NULL },
    { "<script>\n", NULL },
    { "h\xc3\xb4te\n", NULL },
    { ".example.com\n", NULL },
    { "a/b\n", NULL },
    { "", NULL },
    { "# only a comment\n", NULL },
  };
  char long_name[300];
  char *s;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    s = inspect_parse_hostname (cases[i].file, strlen (cases[i].file));
    CHECK_STR (s, cases[i].name);
    free (s);
  }
  s = inspect_parse_hostname ("ab\0cd\n", 6);
  CHECK_STR (s, "ab");
  free (s);
  s = inspect_parse_hostname (NULL, 0);
  CHECK (s == NULL);
  memset (long_name, 'a', sizeof long_name);
  s = inspect_parse_hostname (long_name, sizeof long_name);
  CHECK (s == NULL);
  s = inspect_parse_hostname (long_name, 255);
  CHECK (s && strlen (s) == 255);
  free (s);
}

/* fstab entries seen by the callback, as one string. */
struct fstab_seen {
  char text[4096];
  int calls, stop_at;
};

static int
fstab_collect (void *opaque, const char *spec, const char *file,
               const char *vfstype, const char *options)
{
  struct fstab_seen *seen = opaque;
  size_t n = strlen (seen->text);

  CHECK (spec && file && vfstype && options);
  CHECK (is_clean (spec, 0) && is_clean (file, 0) && is_clean (vfstype, 0) &&
         is_clean (options, 0));
  if (n < sizeof seen->text)
    snprintf (seen->text + n, sizeof seen->text - n, "%s|%s|%s|%s\n",
              spec, file, vfstype, options);
  seen->calls++;
  return seen->calls == seen->stop_at ? 7 : 0;
}

static void
test_fstab (void)
{
  static const char fstab[] =
    "\xef\xbb\xbf# /etc/fstab: static file system information.\n"
    "#\n"
    "# Use 'blkid' to print the universally unique identifier for a\n"
    "# device; this may be used with UUID= as a more robust way to name"
    " devices\n"
    "#\n"
    "# <file system> <mount point>   <type>  <options>       <dump>  <pass>\n"
    "UUID=0b3b7e38-8c5a-4e2c-9a3a-2f4f3f1d2e11 /               ext4"
    "    errors=remount-ro 0       1\n"
    "# /boot was on /dev/sda1 during installation\n"
    "UUID=9C6F-1A2B  /boot/efi       vfat    umask=0077      0       1\n"
    "LABEL=DATA /srv/my\\040data xfs defaults,noatime 0 0\n"
    "/dev/mapper/vg-swap none            swap    sw              0       0\n"
    "/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     0       0\n"
    "\ttmpfs\t/tmp\ttmpfs\tdefaults\t0\t0\n"
    "\n"
    "   \n"
    "\xff\xfe junk line\n"
    "/dev/vdb1 /x\n"
    "PARTUUID=1b2c3d4e-01 /home ext4 defaults\r\n"
    "/dev/vdc1 /odd\\1\\0000\\777\\\\ ext4\n"
    "\x01\x02 /ctl ext4 defaults\n"
    "//server/share /mnt/smb cifs credentials=/etc/cred 0 0";
  static const char want[] =
    "UUID=0b3b7e38-8c5a-4e2c-9a3a-2f4f3f1d2e11|/|ext4|errors=remount-ro\n"
    "UUID=9C6F-1A2B|/boot/efi|vfat|umask=0077\n"
    "LABEL=DATA|/srv/my data|xfs|defaults,noatime\n"
    "/dev/mapper/vg-swap|none|swap|sw\n"
    "/dev/sr0|/media/cdrom0|udf,iso9660|user,noauto\n"
    "tmpfs|/tmp|tmpfs|defaults\n"
    "/dev/vdb1|/x||\n"
    "PARTUUID=1b2c3d4e-01|/home|ext4|defaults\n"
    "/dev/vdc1|/odd\\10\\777\\\\|ext4|\n"
    "//server/share|/mnt/smb|cifs|credentials=/etc/cred\n";
  struct fstab_seen seen = { .text = "" };
  size_t n;
  char *big;

  CHECK (inspect_parse_fstab (fstab, sizeof fstab - 1,
                              fstab_collect, &seen) == 0);
  if (strcmp (seen.text, want) != 0) {
    fprintf (stderr, "fstab: got\n%swant\n%s", seen.text, want);
    failures++;
  }

  /* A non-zero callback stops it. */
  memset (&seen, 0, sizeof seen);
  seen.stop_at = 2;
  CHECK (inspect_parse_fstab (fstab, sizeof fstab - 1,
                              fstab_collect, &seen) == 7);
  CHECK (seen.calls == 2);

  /* At most 1024 entries. */
  n = 3000 * 10;
  big = malloc (n);
  CHECK (big != NULL);
  for (size_t i = 0; i < 3000; ++i)
    memcpy (big + i * 10, "/dev/x /y\n", 10);
  memset (&seen, 0, sizeof seen);
  CHECK (inspect_parse_fstab (big, n, fstab_collect, &seen) == 0);
  CHECK (seen.calls == 1024);

  /* A megabyte line of one field, then one of spaces. */
  free (big);
  n = 1 << 20;
  big = malloc (n);
  CHECK (big != NULL);
  memset (big, 'z', n);
  memcpy (big, "/dev/vda1 /", 11);
  memset (&seen, 0, sizeof seen);
  CHECK (inspect_parse_fstab (big, n, fstab_collect, &seen) == 0);
  CHECK (seen.calls == 1);
  memset (big, ' ', n);
  memcpy (big + n - 10, "/a /b x y\n", 10);
  memset (&seen, 0, sizeof seen);
  CHECK (inspect_parse_fstab (big, n, fstab_collect, &seen) == 0);
  CHECK (strcmp (seen.text, "/a|/b|x|y\n") == 0);
  free (big);

  memset (&seen, 0, sizeof seen);
  CHECK (inspect_parse_fstab (NULL, 0, fstab_collect, &seen) == 0);
  CHECK (inspect_parse_fstab ("\0\0\0", 3, fstab_collect, &seen) == 0);
  CHECK (seen.calls == 0);
}

/* A 64-byte ELF header. */
static void
make_elf (unsigned char *h, int class, int data, unsigned machine)
{
  memset (h, 0, 64);
  memcpy (h, "\177ELF", 4);
  h[4] = class;
  h[5] = data;
  h[6] = 1;                     /* EI_VERSION */
  if (data == 2) {
    h[17] = 2;                  /* ET_EXEC */
    h[18] = machine >> 8;
    h[19] = machine & 0xff;
  }
  else {
    h[16] = 2;
    h[18] = machine & 0xff;
    h[19] = machine >> 8;
  }
}

static void
test_elf (void)
{
  static const struct {
    int class, data;
    unsigned machine;
    const char *arch;
  } cases[] = {
    { 2, 1, 62, "x86_64" }, { 1, 1, 3, "i386" }, { 2, 1, 183, "aarch64" },
    { 2, 1, 21, "ppc64le" }, { 2, 2, 21, "ppc64" }, { 1, 2, 20, "ppc" },
    { 2, 2, 22, "s390x" }, { 2, 1, 243, "riscv64" }, { 1, 1, 40, "arm" },
    { 1, 2, 8, "mips" }, { 2, 2, 8, "mips64" }, { 2, 2, 43, "sparc64" },
    { 2, 1, 50, "ia64" }, { 2, 1, 258, "loongarch64" },
    { 2, 1, 0x9999, NULL }, { 2, 1, 0, NULL },
  };
  unsigned char h[64];

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    make_elf (h, cases[i].class, cases[i].data, cases[i].machine);
    CHECK_STR (inspect_elf_arch (h, sizeof h), cases[i].arch);
    /* The machine field is all that is needed... */
    CHECK_STR (inspect_elf_arch (h, 20), cases[i].arch);
    /* ...and it is checked to be there. */
    CHECK (inspect_elf_arch (h, 19) == NULL);
  }
  make_elf (h, 2, 1, 62);
  for (size_t n = 0; n < 20; ++n)
    CHECK (inspect_elf_arch (h, n) == NULL);
  CHECK (inspect_elf_arch (NULL, 64) == NULL);
  h[4] = 3;
  CHECK (inspect_elf_arch (h, sizeof h) == NULL);
  make_elf (h, 2, 0, 62);
  CHECK (inspect_elf_arch (h, sizeof h) == NULL);
  make_elf (h, 2, 1, 62);
  h[0] = 0;
  CHECK (inspect_elf_arch (h, sizeof h) == NULL);
  CHECK (inspect_elf_arch ((const unsigned char *) "#!/bin/sh\n", 10) == NULL);
}

/* A 256-byte PE file head: MZ, e_lfanew, "PE\0\0", Machine. */
static void
make_pe (unsigned char *f, size_t lfanew, unsigned machine)
{
  memset (f, 0, 256);
  f[0] = 'M';
  f[1] = 'Z';
  f[0x3c] = lfanew & 0xff;
  f[0x3d] = (lfanew >> 8) & 0xff;
  f[0x3e] = (lfanew >> 16) & 0xff;
  f[0x3f] = (lfanew >> 24) & 0xff;
  if (lfanew + 6 <= 256) {
    memcpy (f + lfanew, "PE\0\0", 4);
    f[lfanew + 4] = machine & 0xff;
    f[lfanew + 5] = machine >> 8;
  }
}

static void
test_pe (void)
{
  unsigned char f[256];

  make_pe (f, 0x80, 0x14c);
  CHECK_STR (inspect_pe_arch (f, sizeof f), "i386");
  make_pe (f, 0xe8, 0x8664);
  CHECK_STR (inspect_pe_arch (f, sizeof f), "x86_64");
  make_pe (f, 0x80, 0xaa64);
  CHECK_STR (inspect_pe_arch (f, sizeof f), "aarch64");
  make_pe (f, 0x80, 0x1c4);
  CHECK_STR (inspect_pe_arch (f, sizeof f), "arm");
  make_pe (f, 0x80, 0x200);
  CHECK_STR (inspect_pe_arch (f, sizeof f), "ia64");
  make_pe (f, 0x80, 0x1234);
  CHECK (inspect_pe_arch (f, sizeof f) == NULL);

  /* The signature exactly at the end, then one byte short. */
  make_pe (f, 250, 0x8664);
  CHECK_STR (inspect_pe_arch (f, sizeof f), "x86_64");
  CHECK (inspect_pe_arch (f, 255) == NULL);
  /* e_lfanew pointing outside, or overlapping the MZ header oddly. */
  make_pe (f, 0xffffffff, 0x8664);
  CHECK (inspect_pe_arch (f, sizeof f) == NULL);
  make_pe (f, 0xfffffffc, 0x8664);
  CHECK (inspect_pe_arch (f, sizeof f) == NULL);
  make_pe (f, 256, 0x8664);
  CHECK (inspect_pe_arch (f, sizeof f) == NULL);
  make_pe (f, 0, 0x8664);
  CHECK (inspect_pe_arch (f, sizeof f) == NULL);
  /* Truncated before e_lfanew. */
  make_pe (f, 0x40, 0x8664);
  CHECK_STR (inspect_pe_arch (f, 0x46), "x86_64");
  for (size_t n = 0; n < 0x46; ++n)
    CHECK (inspect_pe_arch (f, n) == NULL);
  /* No signature; an ELF. */
  make_pe (f, 0x80, 0x8664);
  f[0x81] = 'X';
  CHECK (inspect_pe_arch (f, sizeof f) == NULL);
  make_elf (f, 2, 1, 62);
  CHECK (inspect_pe_arch (f, sizeof f) == NULL);
  CHECK (inspect_pe_arch (NULL, 100) == NULL);
}

static void
test_split_version (void)
{
  static const struct {
    const char *s;
    int epoch;
    const char *version, *release;
  } cases[] = {
    { "1:2.3-4ubuntu1", 1, "2.3", "4ubuntu1" },
    { "2.36-9+deb12u3", 0, "2.36", "9+deb12u3" },
    { "1:9.2p1-2+deb12u1", 1, "9.2p1", "2+deb12u1" },
    { "1:1.2.3-1-2", 1, "1.2.3-1", "2" },
    { "6.0.2-7", 0, "6.0.2", "7" },
    { "1:1.3-1", 1, "1.3", "1" },
    { "5.2.15", 0, "5.2.15", NULL },
    { "12.4+deb12u4", 0, "12.4+deb12u4", NULL },
    { "abc:1.0-1", 0, "abc:1.0", "1" },
    { "20230101-", 0, "20230101", NULL },
    { "-1", 0, "", "1" },
    { "2:", 2, "", NULL },
    { ":1", 0, ":1", NULL },
    { "", 0, "", NULL },
    { "99999999999:1-1", 0, "99999999999:1", "1" },
    { "1:a\x01" "b-\xff" "c", 1, "ab", "c" },
  };
  char *version, *release;
  int epoch;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    epoch = -1;
    CHECK (inspect_split_version (cases[i].s, &epoch, &version,
                                  &release) == 0);
    CHECK (epoch == cases[i].epoch);
    CHECK_STR (version, cases[i].version);
    CHECK_STR (release, cases[i].release);
    free (version);
    free (release);
  }
}

/* Packages seen by a callback, copied. */
struct pkgs {
  struct inspect_pkg p[8];
  int n, stop_at;
};

static char *
dup (const char *s)
{
  char *d;

  if (s == NULL)
    return NULL;
  CHECK (is_clean (s, 1));
  d = strdup (s);
  CHECK (d != NULL);
  return d;
}

static int
pkg_collect (void *opaque, const struct inspect_pkg *pkg)
{
  struct pkgs *ps = opaque;
  struct inspect_pkg *c;

  CHECK (pkg->name != NULL);
  CHECK (pkg->summary == NULL || strchr (pkg->summary, '\n') == NULL);
  if (ps->n < 8) {
    c = &ps->p[ps->n];
    c->name = dup (pkg->name);
    c->display_name = dup (pkg->display_name);
    c->epoch = pkg->epoch;
    c->version = dup (pkg->version);
    c->release = dup (pkg->release);
    c->arch = dup (pkg->arch);
    c->install_path = dup (pkg->install_path);
    c->publisher = dup (pkg->publisher);
    c->url = dup (pkg->url);
    c->source_package = dup (pkg->source_package);
    c->summary = dup (pkg->summary);
    c->description = dup (pkg->description);
  }
  ps->n++;
  return ps->n == ps->stop_at ? 5 : 0;
}

static void
pkgs_free (struct pkgs *ps)
{
  for (int i = 0; i < ps->n && i < 8; ++i) {
    struct inspect_pkg *c = &ps->p[i];
    free ((char *) c->name);
    free ((char *) c->display_name);
    free ((char *) c->version);
    free ((char *) c->release);
    free ((char *) c->arch);
    free ((char *) c->install_path);
    free ((char *) c->publisher);
    free ((char *) c->url);
    free ((char *) c->source_package);
    free ((char *) c->summary);
    free ((char *) c->description);
  }
  memset (ps, 0, sizeof *ps);
}

static void
test_dpkg (void)
{
  static const char status[] =
    "Package: base-files\n"
    "Essential: yes\n"
    "Status: install ok installed\n"
    "Priority: required\n"
    "Section: admin\n"
    "Installed-Size: 341\n"
    "Maintainer: Santiago Vila <sanvila@debian.org>\n"
    "Architecture: amd64\n"
    "Multi-Arch: foreign\n"
    "Version: 12.4+deb12u4\n"
    "Replaces: base, dpkg (<= 1.15.0), miscutils\n"
    "Provides: base\n"
    "Conffiles:\n"
    " /etc/debian_version 6c0a4aa8b6b4a6c3cc4b4f8a7d2a1e1c\n"
    " /etc/host.conf 4eb63731c9f5e30903ac4fc07a7fe3d6\n"
    "Description: Debian base system miscellaneous files\n"
    " This package contains the basic filesystem hierarchy of a Debian"
    " system, and\n"
    " several important miscellaneous files.\n"
    "\n"
    "Package: libfoo1\n"
    "Status: deinstall ok config-files\n"
    "Priority: optional\n"
    "Section: libs\n"
    "Installed-Size: 100\n"
    "Maintainer: Nobody <nobody@example.org>\n"
    "Architecture: amd64\n"
    "Version: 1.0-1\n"
    "Conffiles:\n"
    " /etc/foo.conf 0123456789abcdef0123456789abcdef obsolete\n"
    "Description: an old library\n"
    "\n"
    "Package: openssh-client\n"
    "Status: install ok installed\n"
    "Priority: standard\n"
    "Section: net\n"
    "Installed-Size: 4213\n"
    "Maintainer: Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>\n"
    "Architecture: amd64\n"
    "Multi-Arch: foreign\n"
    "Source: openssh (1:9.2p1-2+deb12u1)\n"
    "Version: 1:9.2p1-2+deb12u1\n"
    "Depends: adduser, passwd, libc6 (>= 2.36)\n"
    "Description: secure shell (SSH) client, for secure access to remote"
    " machines\n"
    " This is the portable version of OpenSSH, a free implementation of\n"
    " the Secure Shell protocol.\n"
    "Homepage: https://www.openssh.com/\n"
    "\n"
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Priority: optional\n"
    "Section: libs\n"
    "Installed-Size: 12987\n"
    "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u3\n"
    "Description: GNU C Library: Shared libraries\n"
    " Contains the standard libraries that are used by nearly all programs"
    " on\n"
    " the system.\n"
    " .\n"
    " This package includes shared versions.\n"
    "Homepage: https://www.gnu.org/software/libc/libc.html";
  struct pkgs ps = { 0 };

  CHECK (inspect_parse_dpkg_status (status, sizeof status - 1,
                                    pkg_collect, &ps) == 0);
  CHECK (ps.n == 3);
  CHECK_STR (ps.p[0].name, "base-files");
  CHECK (ps.p[0].epoch == 0);
  CHECK_STR (ps.p[0].version, "12.4+deb12u4");
  CHECK_STR (ps.p[0].release, NULL);
  CHECK_STR (ps.p[0].arch, "amd64");
  CHECK_STR (ps.p[0].publisher, "Santiago Vila <sanvila@debian.org>");
  CHECK_STR (ps.p[0].source_package, NULL);
  CHECK_STR (ps.p[0].url, NULL);
  CHECK_STR (ps.p[0].summary, "Debian base system miscellaneous files");
  CHECK_STR (ps.p[0].description,
             "This package contains the basic filesystem hierarchy of a"
             " Debian system, and\nseveral important miscellaneous files.");
  CHECK_STR (ps.p[1].name, "openssh-client");
  CHECK (ps.p[1].epoch == 1);
  CHECK_STR (ps.p[1].version, "9.2p1");
  CHECK_STR (ps.p[1].release, "2+deb12u1");
  CHECK_STR (ps.p[1].source_package, "openssh");
  CHECK_STR (ps.p[1].url, "https://www.openssh.com/");
  CHECK_STR (ps.p[1].summary,
             "secure shell (SSH) client, for secure access to remote"
             " machines");
  CHECK_STR (ps.p[2].name, "libc6");
  CHECK (ps.p[2].epoch == 0);
  CHECK_STR (ps.p[2].version, "2.36");
  CHECK_STR (ps.p[2].release, "9+deb12u3");
  CHECK_STR (ps.p[2].source_package, "glibc");
  CHECK_STR (ps.p[2].url, "https://www.gnu.org/software/libc/libc.html");
  CHECK_STR (ps.p[2].summary, "GNU C Library: Shared libraries");
  CHECK_STR (ps.p[2].description,
             "Contains the standard libraries that are used by nearly all"
             " programs on\nthe system.\n\nThis package includes shared"
             " versions.");
  pkgs_free (&ps);

  /* The callback's non-zero return stops the walk. */
  ps.stop_at = 2;
  CHECK (inspect_parse_dpkg_status (status, sizeof status - 1,
                                    pkg_collect, &ps) == 5);
  CHECK (ps.n == 2);
  pkgs_free (&ps);

  /* CRLF, case of field names, whitespace-only separators, stanzas
   * without Package, NULs and junk. */
  {
    const char f[] =
      "\xef\xbb\xbfpackage: a\r\nstatus:install ok installed\r\nversion: 1\r\n  \r\n"
      "Status: install ok installed\nVersion: 2\n\n\n\n"
      "Package: b\0x\nStatus: install ok installed\nDescription:\n"
      " line\n\n"
      "Package: c\nStatus: install ok installed  \nStatus: hold ok installed\n"
      "\n\xff\xfe\x00\x01Package: d\nStatus: install ok installed\n"
      ": nothing\n:\n\n"
      "Package: \x01\x02\nStatus: install ok installed\n";
    CHECK (inspect_parse_dpkg_status (f, sizeof f - 1, pkg_collect, &ps) == 0);
    CHECK (ps.n == 2);
    CHECK_STR (ps.p[0].name, "a");
    CHECK_STR (ps.p[0].version, "1");
    CHECK_STR (ps.p[1].name, "bx");
    CHECK_STR (ps.p[1].summary, NULL);
    CHECK_STR (ps.p[1].description, "line");
    pkgs_free (&ps);
  }

  /* A megabyte description: bounded. */
  {
    size_t n = 1 << 20;
    char *f = malloc (n);
    const char head[] = "Package: big\nStatus: install ok installed\n"
      "Description: big\n";
    CHECK (f != NULL);
    memcpy (f, head, sizeof head - 1);
    for (size_t i = sizeof head - 1; i < n; ++i)
      f[i] = (i - sizeof head + 1) % 80 == 0 ? ' '
        : (i - sizeof head + 1) % 80 == 79 ? '\n' : 'd';
    CHECK (inspect_parse_dpkg_status (f, n, pkg_collect, &ps) == 0);
    CHECK (ps.n == 1);
    CHECK (ps.p[0].description && strlen (ps.p[0].description) <= 1024 &&
           strlen (ps.p[0].description) > 900);
    pkgs_free (&ps);
    free (f);
  }
  CHECK (inspect_parse_dpkg_status (NULL, 0, pkg_collect, &ps) == 0);
  CHECK (inspect_parse_dpkg_status ("", 0, pkg_collect, &ps) == 0);
  CHECK (ps.n == 0);
}

static void
test_apk (void)
{
  static const char installed[] =
    "C:Q1Dh6cCgBZ0g7aibGFy0HrcSGIPes=\n"
    "P:musl\n"
    "V:1.2.4-r2\n"
    "A:x86_64\n"
    "S:383279\n"
    "I:622592\n"
    "T:the musl c library (libc) implementation\n"
    "U:https://musl.libc.org/\n"
    "L:MIT\n"
    "o:musl\n"
    "m:Timo Ter\xc3\xa4s <timo.teras@iki.fi>\n"
    "t:1697128066\n"
    "c:9ec6d8fed1d8dc4a8b8dc4e5e5dd1f0d0d32d1c1\n"
    "p:so:libc.musl-x86_64.so.1=1\n"
    "F:lib\n"
    "R:ld-musl-x86_64.so.1\n"
    "a:0:0:755\n"
    "Z:Q1Gm6sNEhBbhvGsmrGJs6YDvGjnTI=\n"
    "\n"
    "C:Q1tBrpmEOaMYvVGnmJT4FJiE0WlKg=\n"
    "P:busybox-binsh\n"
    "V:1.36.1-r5\n"
    "A:x86_64\n"
    "T:busybox ash /bin/sh\n"
    "U:https://busybox.net/\n"
    "L:GPL-2.0-only\n"
    "o:busybox\n"
    "m:S\xc3\xb6ren Tempel <soeren+alpine@soeren-tempel.net>\n"
    "D:busybox=1.36.1-r5\n"
    "\n"
    "C:Q1ez5qfcjr0SdD1pRo6UKJHy5lNC4=\n"
    "P:alpine-baselayout-data\n"
    "V:3.4.3-r1\n"
    "A:x86_64\n"
    "T:Alpine base dir structure and init scripts\n"
    "U:https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout\n"
    "o:alpine-baselayout\n"
    "F:etc\n"
    "R:hosts";
  struct pkgs ps = { 0 };

  CHECK (inspect_parse_apk_installed (installed, sizeof installed - 1,
                                      pkg_collect, &ps) == 0);
  CHECK (ps.n == 3);
  CHECK_STR (ps.p[0].name, "musl");
  CHECK (ps.p[0].epoch == 0);
  CHECK_STR (ps.p[0].version, "1.2.4");
  CHECK_STR (ps.p[0].release, "2");
  CHECK_STR (ps.p[0].arch, "x86_64");
  CHECK_STR (ps.p[0].summary, "the musl c library (libc) implementation");
  CHECK_STR (ps.p[0].url, "https://musl.libc.org/");
  CHECK_STR (ps.p[0].source_package, "musl");
  CHECK_STR (ps.p[0].publisher, "Timo Ter\xc3\xa4s <timo.teras@iki.fi>");
  CHECK_STR (ps.p[1].name, "busybox-binsh");
  CHECK_STR (ps.p[1].version, "1.36.1");
  CHECK_STR (ps.p[1].release, "5");
  CHECK_STR (ps.p[1].source_package, "busybox");
  CHECK_STR (ps.p[2].name, "alpine-baselayout-data");
  CHECK_STR (ps.p[2].version, "3.4.3");
  CHECK_STR (ps.p[2].release, "1");
  CHECK_STR (ps.p[2].source_package, "alpine-baselayout");
  pkgs_free (&ps);

  ps.stop_at = 1;
  CHECK (inspect_parse_apk_installed (installed, sizeof installed - 1,
                                      pkg_collect, &ps) == 5);
  CHECK (ps.n == 1);
  pkgs_free (&ps);

  {
    const char f[] =
      "V:1.0-r0\nA:x86_64\n\n"                  /* no name */
      "P:a\nV:2.0\nV:3.0-r7\r\nP:a2\n\n"        /* last wins */
      "P:b\nV:-r\n\n"
      "P:c\0\nV:\xff\n\n"
      "P\nPx\n::\n\n"
      "P:\x01\n";
    CHECK (inspect_parse_apk_installed (f, sizeof f - 1,
                                        pkg_collect, &ps) == 0);
    CHECK (ps.n == 3);
    CHECK_STR (ps.p[0].name, "a2");
    CHECK_STR (ps.p[0].version, "3.0");
    CHECK_STR (ps.p[0].release, "7");
    CHECK_STR (ps.p[1].name, "b");
    CHECK_STR (ps.p[1].version, NULL);
    CHECK_STR (ps.p[1].release, NULL);
    CHECK_STR (ps.p[2].name, "c");
    CHECK_STR (ps.p[2].version, NULL);
    pkgs_free (&ps);
  }
  CHECK (inspect_parse_apk_installed (NULL, 0, pkg_collect, &ps) == 0);
  CHECK (ps.n == 0);
}

static int
pacman (const char *desc, struct pkgs *ps)
{
  return inspect_parse_pacman_desc (desc, strlen (desc), pkg_collect, ps);
}

static void
test_pacman (void)
{
  static const char desc[] =
    "%NAME%\npacman\n\n"
    "%VERSION%\n6.0.2-7\n\n"
    "%BASE%\npacman\n\n"
    "%DESC%\nA library-based package manager with dependency support\n\n"
    "%URL%\nhttps://www.archlinux.org/pacman/\n\n"
    "%ARCH%\nx86_64\n\n"
    "%BUILDDATE%\n1689026154\n\n"
    "%INSTALLDATE%\n1696502312\n\n"
    "%PACKAGER%\nMorten Linderud <foxboron@archlinux.org>\n\n"
    "%SIZE%\n4787045\n\n"
    "%LICENSE%\nGPL\n\n"
    "%VALIDATION%\npgp\n\n"
    "%DEPENDS%\nbash\nglibc\nlibarchive\ncurl\ngpgme\npacman-mirrorlist\n"
    "gettext\ngawk\ncoreutils\ngnupg\ngrep\n\n";
  static const char zlib[] =
    "%NAME%\nzlib\n\n%VERSION%\n1:1.3-1\n\n%BASE%\nzlib\n\n"
    "%DESC%\nCompression library implementing the deflate compression"
    " method found in gzip and PKZIP\n\n%ARCH%\nx86_64";
  struct pkgs ps = { 0 };

  CHECK (inspect_parse_pacman_desc (desc, sizeof desc - 1,
                                    pkg_collect, &ps) == 0);
  CHECK (ps.n == 1);
  CHECK_STR (ps.p[0].name, "pacman");
  CHECK (ps.p[0].epoch == 0);
  CHECK_STR (ps.p[0].version, "6.0.2");
  CHECK_STR (ps.p[0].release, "7");
  CHECK_STR (ps.p[0].source_package, "pacman");
  CHECK_STR (ps.p[0].summary,
             "A library-based package manager with dependency support");
  CHECK_STR (ps.p[0].url, "https://www.archlinux.org/pacman/");
  CHECK_STR (ps.p[0].arch, "x86_64");
  CHECK_STR (ps.p[0].publisher, "Morten Linderud <foxboron@archlinux.org>");
  pkgs_free (&ps);

  CHECK (inspect_parse_pacman_desc (zlib, sizeof zlib - 1,
                                    pkg_collect, &ps) == 0);
  CHECK (ps.n == 1);
  CHECK_STR (ps.p[0].name, "zlib");
  CHECK (ps.p[0].epoch == 1);
  CHECK_STR (ps.p[0].version, "1.3");
  CHECK_STR (ps.p[0].release, "1");
  CHECK_STR (ps.p[0].arch, "x86_64");
  pkgs_free (&ps);

  ps.stop_at = 1;
  CHECK (inspect_parse_pacman_desc (zlib, sizeof zlib - 1,
                                    pkg_collect, &ps) == 5);
  pkgs_free (&ps);

  /* No %VERSION%, %NAME% with no value line, junk, empty. */
  CHECK (pacman ("%NAME%\nx\n", &ps) == 0);
  CHECK (pacman ("%VERSION%\n1-1\n%NAME%", &ps) == 0);
  CHECK (pacman ("%NAME%\n\n%VERSION%\n1-1\n", &ps) == 0);
  CHECK (inspect_parse_pacman_desc ("\0\xff%NAME%", 8, pkg_collect, &ps) == 0);
  CHECK (inspect_parse_pacman_desc (NULL, 0, pkg_collect, &ps) == 0);
  CHECK (ps.n == 0);
  /* A version line of junk still names the package. */
  CHECK (pacman ("%NAME%\r\nn\r\n%VERSION%\r\n\x01\r\n", &ps) == 0);
  CHECK (ps.n == 1);
  CHECK_STR (ps.p[0].name, "n");
  CHECK_STR (ps.p[0].version, "");
  pkgs_free (&ps);
}

static int
pkg_ignore (void *opaque, const struct inspect_pkg *pkg)
{
  return 0;
}

static int
fstab_ignore (void *opaque, const char *spec, const char *file,
              const char *vfstype, const char *options)
{
  return 0;
}

/* Every parser over pseudo-random bytes and a long run of one byte:
 * no crash (valgrind or ASan tell), clean strings. */
static void
test_junk (void)
{
  size_t n = 1 << 20;
  unsigned char *f = malloc (n);
  unsigned x = 12345;
  char *s, *t;
  int a, b;

  CHECK (f != NULL);
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < n; ++i) {
      x = x * 1103515245 + 12345;
      if (round == 0)
        f[i] = x >> 16;
      else if (round == 1)
        f[i] = "K=\"\n \\:%"[(x >> 16) % 8];
      else
        f[i] = 'A';
    }
    s = inspect_shell_var ((char *) f, n, "K");
    CHECK (s == NULL || is_clean (s, 0));
    free (s);
    s = inspect_first_line ((char *) f, n);
    CHECK (s == NULL || is_clean (s, 0));
    free (s);
    s = inspect_parse_hostname ((char *) f, n);
    free (s);
    CHECK (inspect_parse_release ((char *) f, n, &t, &a, &b) == 0);
    CHECK (t == NULL || is_clean (t, 0));
    free (t);
    CHECK (inspect_parse_fstab ((char *) f, n, fstab_ignore, NULL) == 0);
    (void) inspect_elf_arch (f, n);
    (void) inspect_pe_arch (f, n);
    CHECK (inspect_parse_dpkg_status ((char *) f, n, pkg_ignore, NULL) == 0);
    CHECK (inspect_parse_apk_installed ((char *) f, n, pkg_ignore, NULL) == 0);
    CHECK (inspect_parse_pacman_desc ((char *) f, n, pkg_ignore, NULL) == 0);
  }
  free (f);
}

int
main (void)
{
  test_clean_string ();
  test_os_release ();
  test_shell_var ();
  test_version ();
  test_release ();
  test_first_line ();
  test_hostname ();
  test_fstab ();
  test_elf ();
  test_pe ();
  test_split_version ();
  test_dpkg ();
  test_apk ();
  test_pacman ();
  test_junk ();
  if (failures) {
    fprintf (stderr, "test-inspect-parse: %d failures\n", failures);
    return 1;
  }
  printf ("test-inspect-parse: ok\n");
  return 0;
}
