/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Windows registry queries inspection makes, through libhivex.
 *
 * Each query takes an open fd of a hive file (checked: a regular file
 * of at most HIVE_FILE_MAX bytes, then opened by hivex without
 * HIVEX_OPEN_UNSAFE) and hands out plain values.  The hive is guest
 * data: every value's type and size is checked before it is read,
 * strings are decoded from UTF-16LE here (not by hivex) and cleaned by
 * inspect_clean_string, and the number of keys and values walked is
 * bounded.  A value that is absent, of the wrong type or malformed is
 * simply absent; a hive hivex refuses is an error.
 *
 * It builds on the host too, for test-inspect-hive.
 *
 * Convention: functions returning int give 0, or -1 with errno set
 * (ENOMEM, EFBIG or EINVAL for a file that is no hive, or what hivex
 * reported). */

#ifndef DRYDOCK_INSPECT_HIVE_H
#define DRYDOCK_INSPECT_HIVE_H

#include <stddef.h>
#include <stdint.h>

#include "inspect-parse.h"

/* The largest hive file opened. */
#define HIVE_FILE_MAX (512 * 1024 * 1024)

/* SOFTWARE: Microsoft\Windows NT\CurrentVersion.  Strings are NULL when
 * absent. */
struct hive_os_version {
  char *product_name;       /* ProductName */
  int major, minor;         /* Current{Major,Minor}VersionNumber, -1 absent */
  char *current_version;    /* CurrentVersion ("6.3"), older systems */
  char *build;              /* CurrentBuildNumber, else CurrentBuild */
  char *installation_type;  /* InstallationType ("Client", "Server" ...) */
  char *edition_id;         /* EditionID */
};

/* Reads the values above from the SOFTWARE hive open at fd (fd stays
 * open).  A hive without that key gives 0 and every field absent.
 * Release with hive_os_version_free, even after an error. */
extern int hive_read_os_version (int fd, struct hive_os_version *v);
extern void hive_os_version_free (struct hive_os_version *v);

/* One MountedDevices entry "\DosDevices\X:". */
struct hive_drive {
  char letter;                      /* 'A' to 'Z' */
  int gpt;                          /* which of the two forms below */
  unsigned char disk_signature[4];  /* MBR: as at offset 0x1B8 of the disk */
  uint64_t offset;                  /* MBR: partition start in bytes */
  char guid[37];                    /* GPT: partition GUID, lower case */
};

/* SYSTEM: the current control set, the host name, the drive letters. */
struct hive_system {
  char *control_set;         /* "ControlSet001" from Select\Current */
  char *hostname;            /* Tcpip\Parameters Hostname, else ComputerName */
  struct hive_drive *drives; /* sorted by letter, one per letter */
  size_t nr_drives;
};

/* Reads the SYSTEM hive open at fd.  Absent values stay NULL / empty.
 * Release with hive_system_free, even after an error. */
extern int hive_read_system (int fd, struct hive_system *sys);
extern void hive_system_free (struct hive_system *sys);

/* Calls cb for each subkey of Microsoft\Windows\CurrentVersion\Uninstall
 * and of WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall in the
 * SOFTWARE hive at fd, in hive order: name is the key name,
 * display_name DisplayName, version DisplayVersion, publisher
 * Publisher, install_path InstallLocation, url URLInfoAbout,
 * description Comments (absent ones NULL).  At most HIVE_APPS_MAX keys.
 * Returns 0, what a non-zero cb returned (it stops there), or -1. */
#define HIVE_APPS_MAX 10000
extern int hive_list_apps (int fd, inspect_pkg_cb cb, void *opaque);

/* Decodes UTF-16LE registry string data (n bytes, an odd last byte
 * ignored) up to its first NUL: unpaired surrogates are dropped, the
 * result is cleaned by inspect_clean_string (so at most
 * INSPECT_VALUE_MAX bytes).  NULL with errno ENOMEM.  Caller frees. */
extern char *hive_utf16le_to_utf8 (const unsigned char *in, size_t n);

#endif /* DRYDOCK_INSPECT_HIVE_H */
