/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsers of the guest files inspection reads: os-release and the
 * legacy release files, fstab, host name files, ELF and PE headers, and
 * the package databases kept as text (dpkg, apk, pacman).
 *
 * Everything here is pure: a buffer and its length in (not necessarily
 * NUL-terminated, possibly binary junk, possibly huge), values out.  It
 * builds on the host too, for the unit test and the fuzz target.
 *
 * Every string handed out is malloc'd, at most INSPECT_VALUE_MAX bytes,
 * stripped of control characters (a package description keeps its line
 * breaks, '\n'), and valid UTF-8 (a sequence cut by the bound or broken
 * in the input is dropped whole).  Values read from files are also
 * trimmed of surrounding blanks.  Each parser makes one pass over its
 * input and looks at a bounded number of bytes per value.  Convention: functions
 * returning int give 0 on success and -1 with errno (ENOMEM) on failure;
 * a value that is absent is NULL, not an error. */

#ifndef DRYDOCK_INSPECT_PARSE_H
#define DRYDOCK_INSPECT_PARSE_H

#include <stddef.h>

/* The longest string value kept from a guest file. */
#define INSPECT_VALUE_MAX 1024

/* A copy of s[0..n) made safe as above (C0 and C1 controls and DEL
 * dropped; not trimmed).  NULL only when out of memory. */
extern char *inspect_clean_string (const char *s, size_t n);

/* Sets *field to a copy of value, freeing the old one (a NULL value
 * leaves it).  -1 with errno ENOMEM. */
extern int inspect_set (char **field, const char *value);

/* os-release(5) and every file of its shell-variable shape
 * (/etc/lsb-release, /etc/sysconfig/network, /etc/conf.d/hostname):
 * the value of the last assignment KEY=VALUE, with "..." (backslash
 * escapes) and '...' quoting undone, an "export " prefix allowed, and
 * SuSE-release's "KEY = VALUE" understood.  A
 * value is one line: it ends at the first unquoted blank, and an
 * unterminated quote ends at the end of the line.
 * NULL when KEY is absent or its value is empty (errno 0), or out of
 * memory (errno ENOMEM).  Caller frees. */
extern char *inspect_shell_var (const char *buf, size_t len, const char *key);

/* Leading "MAJOR[.MINOR]" of a version string ("12", "9.3", "15.5",
 * "3.18.4", "7.9.2009", "rolling" -> fails).  0 when at least MAJOR was
 * read (*minor is 0 if absent), -1 otherwise (nothing set). */
extern int inspect_parse_version (const char *s, int *major, int *minor);

/* A legacy release file ("Fedora release 38 (Thirty Eight)", "CentOS
 * Linux release 7.9.2009 (Core)", "Red Hat Enterprise Linux Server
 * release 7.9 (Maipo)", "openSUSE 13.2 (x86_64)", "Debian's "12.4"):
 * *product is its first line (the first that is not blank), and the
 * version is the first
 * "MAJOR[.MINOR]" after the word "release" (or, without that word,
 * the first number in the line).  *major and *minor are 0 when there is
 * no version.  -1 only when out of memory; *product NULL when the file
 * holds no text. */
extern int inspect_parse_release (const char *buf, size_t len, char **product,
                                  int *major, int *minor);

/* The first line of a file that is not blank, cleaned
 * (/etc/debian_version, /etc/alpine-release, /etc/hostname ...).  NULL
 * if there is none (errno 0) or out of memory (errno ENOMEM).  Caller
 * frees. */
extern char *inspect_first_line (const char *buf, size_t len);

/* A host name from /etc/hostname-like content: the first word of the
 * first line that is not a comment, cut at the first '.', kept only if
 * it is made of letters, digits, '-' and '_' (a crafted file yields
 * NULL, not junk).  Caller frees. */
extern char *inspect_parse_hostname (const char *buf, size_t len);

/* fstab(5): for each entry with at least a spec and a mount point that
 * starts with '/' (or of type swap, whose mount point is "none" or
 * "swap"), calls cb with the four first fields, \040-style
 * octal escapes decoded ("" for a missing vfstype or options; never
 * NULL).  Comments, blank lines and junk lines are
 * skipped; at most 1024 entries are reported.  Returns 0, or what a
 * non-zero cb returned (then it stops), or -1 with errno ENOMEM. */
typedef int (*inspect_fstab_cb) (void *opaque, const char *spec,
                                 const char *file, const char *vfstype,
                                 const char *options);
extern int inspect_parse_fstab (const char *buf, size_t len,
                                inspect_fstab_cb cb, void *opaque);

/* Architecture of an ELF file from its header (the first 64 bytes are
 * enough, 20 are needed): "x86_64", "i386", "aarch64", "arm", "ppc64",
 * "ppc64le", "ppc", "s390x", "s390", "riscv64", "riscv32", "mips",
 * "mips64", "sparc64", "sparc", "ia64", "loongarch64", or NULL if it is
 * not ELF or the machine is unknown.  Static string. */
extern const char *inspect_elf_arch (const unsigned char *buf, size_t len);

/* Architecture of a PE executable (MZ header, e_lfanew, "PE\0\0",
 * Machine): "x86_64", "i386", "aarch64", "arm", "ia64", or NULL.
 * Every offset is checked against len.  Static string. */
extern const char *inspect_pe_arch (const unsigned char *buf, size_t len);

/* One package as a database describes it.  Strings may be NULL, except
 * name; they belong to the parser and last until the callback returns. */
struct inspect_pkg {
  const char *name;
  const char *display_name;
  int epoch;
  const char *version;
  const char *release;
  const char *arch;
  const char *install_path;
  const char *publisher;
  const char *url;
  const char *source_package;
  const char *summary;
  const char *description;
};
typedef int (*inspect_pkg_cb) (void *opaque, const struct inspect_pkg *pkg);

/* Splits a Debian/pacman style version "[EPOCH:]UPSTREAM[-RELEASE]"
 * (RELEASE after the last '-').  *version and *release are malloc'd
 * (*release NULL when absent); -1 with errno ENOMEM. */
extern int inspect_split_version (const char *s, int *epoch, char **version,
                                  char **release);

/* dpkg's /var/lib/dpkg/status: calls cb for each stanza whose Status is
 * "install ok installed" (name, epoch/version/release from Version,
 * arch, source package from Source, url from Homepage, summary the first
 * line of Description, description the rest, maintainer as publisher).
 * A last stanza without a final empty line counts; field names ignore
 * case.  Returns as
 * inspect_parse_fstab. */
extern int inspect_parse_dpkg_status (const char *buf, size_t len,
                                      inspect_pkg_cb cb, void *opaque);

/* apk's /lib/apk/db/installed: one stanza per package, "P:" name,
 * "V:" version ("1.2.3-r4": version 1.2.3, release 4), "A:" arch, "T:"
 * summary, "U:" url, "o:" origin (source package), "m:" maintainer
 * (publisher).  Stanzas without a name are skipped. */
extern int inspect_parse_apk_installed (const char *buf, size_t len,
                                        inspect_pkg_cb cb, void *opaque);

/* One pacman /var/lib/pacman/local/NAME-VERSION/desc file: %NAME%,
 * %VERSION% ("[EPOCH:]VER-REL"), %DESC% (summary), %URL%, %ARCH%,
 * %BASE% (source package), %PACKAGER% (publisher), each
 * followed by its value on the next line.  Calls cb once if %NAME% and
 * %VERSION% are there, else not at all. */
extern int inspect_parse_pacman_desc (const char *buf, size_t len,
                                      inspect_pkg_cb cb, void *opaque);

#endif /* DRYDOCK_INSPECT_PARSE_H */
