/* --inject-virtio-win and --inject-qemu-ga: the drivers of a virtio-win
 * tree or ISO, and the QEMU guest agent, put into a Windows guest so
 * that it boots on KVM's virtio devices, as virt-v2v does.
 *
 * The drivers are the files whose path in the tree names the guest's
 * Windows and architecture as directories, in virtio-win's layouts
 * (viostor/w10/amd64/viostor.sys, amd64/w10/viostor.sys): w7 or win7,
 * 2k8r2 or win2008r2, w10, w11, 2k16, 2k19 ... and amd64, x86 or i386,
 * arm64, told apart by inspection's version, product variant (Client or
 * not) and osinfo.  They are copied, flattened and in lower case, into
 * %SystemRoot%\Drivers\VirtIO, a directory added to DevicePath where
 * Windows looks for drivers.  A storage driver is needed to boot, before
 * Plug and Play could install it: viostor (virtio-blk) and vioscsi
 * (virtio-scsi), where the tree has them, are copied into
 * system32\drivers, given their boot-start service in the SYSTEM hive,
 * and their PCI devices (legacy and modern virtio IDs) are mapped to
 * the service: in the CriticalDeviceDatabase of the control set before
 * Windows 8, in the DriverDatabase since (the hive has one).  A script
 * at the guest's first boot then adds every driver to the driver store
 * with pnputil.  The agent's MSI is installed by msiexec at first boot. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cleanups.h"
#include "customize.h"
#include "winreg.h"

#define REG_SZ 1
#define REG_EXPAND_SZ 2
#define REG_BINARY 3

#define DRIVER_DIR "Drivers/VirtIO"
#define DRIVER_DIR_WIN "%SystemRoot%\\Drivers\\VirtIO"
#define SCSI_CLASS_GUID "{4D36E97B-E325-11CE-BFC1-08002BE10318}"

/* The guest's Windows in virtio-win's directory names.  client: 1 a
 * client, 0 a server, -1 either; osinfo: NULL for any. */
static const struct {
  int major, minor, client;
  const char *osinfo;
  const char *names[3];
} os_dirs[] = {
  { 5, 1, -1, NULL, { "xp", "winxp" } },
  { 5, 2, -1, NULL, { "2k3", "win2003" } },
  { 6, 0, 1, NULL, { "vista" } },
  { 6, 0, 0, NULL, { "2k8", "win2008" } },
  { 6, 1, 1, NULL, { "w7", "win7" } },
  { 6, 1, 0, NULL, { "2k8r2", "win2008r2" } },
  { 6, 2, 1, NULL, { "w8", "win8" } },
  { 6, 2, 0, NULL, { "2k12", "win2012" } },
  { 6, 3, 1, NULL, { "w8.1", "win8.1" } },
  { 6, 3, 0, NULL, { "2k12r2", "win2012r2" } },
  { 10, 0, 1, "win10", { "w10", "win10" } },
  { 10, 0, 1, "win11", { "w11", "win11" } },
  { 10, 0, 0, "win2k16", { "2k16", "win2016" } },
  { 10, 0, 0, "win2k19", { "2k19", "win2019" } },
  { 10, 0, 0, "win2k22", { "2k22", "win2022" } },
  { 10, 0, 0, "win2k25", { "2k25", "win2025" } },
};

/* Inspection's architectures in virtio-win's directory names. */
static const struct {
  const char *arch;
  const char *names[3];
} arch_dirs[] = {
  { "x86_64", { "amd64" } },
  { "i386", { "x86", "i386" } },
  { "aarch64", { "arm64" } },
};

/* The boot storage drivers, and the PCI IDs of their devices: the
 * legacy (transitional) one, then the modern one. */
static const struct {
  const char *name;
  const char *ids[2];
} storage[] = {
  { "viostor", { "VEN_1AF4&DEV_1001&SUBSYS_00021AF4&REV_00",
                 "VEN_1AF4&DEV_1042&SUBSYS_11001AF4&REV_01" } },
  { "vioscsi", { "VEN_1AF4&DEV_1004&SUBSYS_00081AF4&REV_00",
                 "VEN_1AF4&DEV_1048&SUBSYS_11001AF4&REV_01" } },
};

/* The installer of the agent, by the guest's architecture. */
static const struct {
  const char *arch;
  const char *names[4];
} agents[] = {
  { "x86_64", { "qemu-ga-x86_64.msi", "qemu-ga-x64.msi", "rhev-qga64.msi" } },
  { "i386", { "qemu-ga-i386.msi", "qemu-ga-x86.msi", "rhev-qga.msi" } },
};

#define N(a) (sizeof (a) / sizeof (a)[0])
#define LIB(call) ((call) == -1 ? customize_op_lib_error (c) : 0)

/* ---- checks ---- */

static int
check_media (struct customize_op *op, int msi)
{
  struct stat st;

  if (stat (op->arg, &st) == -1)
    return customize_arg_error (op, "%s", strerror (errno));
  if (S_ISDIR (st.st_mode))
    return 0;
  if (S_ISREG (st.st_mode) && customize_is_iso (op->arg))
    return 0;
  if (msi && S_ISREG (st.st_mode) && customize_is_msi (op->arg))
    return 0;
  return customize_arg_error (op, msi ?
                              _("neither a directory, an ISO 9660 image nor "
                                "a Windows Installer package") :
                              _("neither a directory nor an ISO 9660 image"));
}

int
customize_check_virtio_win (struct customize_op *op)
{
  return check_media (op, 0);
}

int
customize_check_qemu_ga (struct customize_op *op)
{
  return check_media (op, 1);
}

/* ---- which files ---- */

/* What inspection says of the guest, for the messages and the choice. */
struct guest {
  int major, minor, client;
  char *variant, *osinfo;
  const char *const *os;        /* its directory names */
  const char *const *arch;
};

static void
guest_free (struct guest *g)
{
  free (g->variant);
  free (g->osinfo);
}

static int
guest_of (struct customize_ctx *c, struct guest *g)
{
  memset (g, 0, sizeof *g);
  g->major = drydock_inspect_get_major_version (c->h, c->root);
  g->minor = drydock_inspect_get_minor_version (c->h, c->root);
  g->variant = drydock_inspect_get_product_variant (c->h, c->root);
  g->osinfo = drydock_inspect_get_osinfo (c->h, c->root);
  if (g->major == -1 || g->minor == -1 || !g->variant || !g->osinfo)
    return customize_op_lib_error (c);
  g->client = strcmp (g->variant, "Client") == 0;
  for (size_t i = 0; i < N (arch_dirs); ++i)
    if (strcmp (arch_dirs[i].arch, c->arch) == 0)
      g->arch = arch_dirs[i].names;
  for (size_t i = 0; i < N (os_dirs); ++i)
    if (os_dirs[i].major == g->major && os_dirs[i].minor == g->minor &&
        (os_dirs[i].client == -1 || os_dirs[i].client == g->client) &&
        (os_dirs[i].osinfo == NULL ||
         strcmp (os_dirs[i].osinfo, g->osinfo) == 0))
      g->os = os_dirs[i].names;
  if (g->arch == NULL || g->os == NULL)
    return customize_op_error (c, _("virtio-win has no drivers drydock "
                                    "knows for Windows %d.%d %s (%s) on "
                                    "%s"), g->major, g->minor, g->variant,
                               g->osinfo, c->arch);
  return 0;
}

/* 1 when the lower-case path "/lc" has one of names as a directory. */
static int
has_dir (const char *lc, const char *const *names)
{
  for (size_t i = 0; i < 3 && names[i]; ++i) {
    char elem[32];

    snprintf (elem, sizeof elem, "/%s/", names[i]);
    if (strstr (lc, elem))
      return 1;
  }
  return 0;
}

static int
for_guest (const struct guest *g, const char *rel)
{
  size_t n = strlen (rel);
  CLEANUP_FREE char *lc = malloc (n + 2);

  if (lc == NULL)
    return 0;
  lc[0] = '/';
  for (size_t i = 0; i <= n; ++i)
    lc[i + 1] = (char) tolower ((unsigned char) rel[i]);
  return has_dir (lc, g->os) && has_dir (lc, g->arch);
}

/* The last component of rel in lower case, characters a batch file or
 * the registry could misread made '-' (caller frees). */
static char *
target_name (const char *rel)
{
  const char *base = strrchr (rel, '/');
  char *name = strdup (base ? base + 1 : rel);

  for (char *p = name; p && *p; ++p) {
    *p = (char) tolower ((unsigned char) *p);
    if (!isascii (*p) || !(isalnum ((unsigned char) *p) || strchr ("._-", *p)))
      *p = '-';
  }
  return name;
}

/* ---- the drivers ---- */

static int
has_name (const char *const *list, const char *name)
{
  for (size_t i = 0; list && list[i]; ++i)
    if (strcmp (list[i], name) == 0)
      return 1;
  return 0;
}

/* Adds name (taken) to the NULL-terminated list of n names. */
static int
push_name (char ***list, size_t *n, char *name)
{
  char **more = realloc (*list, (*n + 2) * sizeof *more);

  if (more == NULL) {
    free (name);
    return -1;
  }
  more[(*n)++] = name;
  more[*n] = NULL;
  *list = more;
  return 0;
}

/* Copies the guest's drivers of the media into dir; *copied lists the
 * names they have there (caller frees). */
static int
copy_drivers (struct customize_ctx *c, const struct guest *g,
              const char *dir, char ***copied)
{
  struct customize_media m;
  size_t n = 0;
  int r = customize_media_open (c, &m);

  *copied = NULL;
  for (size_t i = 0; r == 0 && i < m.n; ++i) {
    CLEANUP_FREE char *dest = NULL;
    char *name;

    if (!for_guest (g, m.files[i]) ||
        (r = customize_media_is_file (c, &m, m.files[i])) != 1) {
      r = r == 1 ? 0 : r;
      continue;
    }
    name = target_name (m.files[i]);
    if (name == NULL || asprintf (&dest, "%s/%s", dir, name) == -1) {
      free (name);
      r = customize_op_error (c, "%s", strerror (errno));
      break;
    }
    r = customize_media_copy (c, &m, m.files[i], dest);
    /* The same name twice (virtio-win has two layouts): the last. */
    if (r == 0 && has_name ((const char *const *) *copied, name))
      free (name);
    else if (r == 0 && push_name (copied, &n, name) == -1)
      r = customize_op_error (c, "%s", strerror (errno));
    else if (r == -1)
      free (name);
  }
  customize_media_close (c, &m);
  if (r == 0 && n == 0)
    r = customize_op_error (c, _("no drivers for the guest, Windows %d.%d "
                                 "%s (%s) on %s: no file under directories "
                                 "named %s and %s"), g->major, g->minor,
                            g->variant, g->osinfo, c->arch, g->os[0],
                            g->arch[0]);
  return r;
}

/* The service of the boot storage driver drv. */
static int
add_service (struct winreg_ctx *r, const char *drv)
{
  CLEANUP_FREE char *key = NULL, *image = NULL;
  int64_t node;

  if (asprintf (&key, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\%s",
                drv) == -1 ||
      asprintf (&image, "system32\\drivers\\%s.sys", drv) == -1)
    return winreg_error ("%s", strerror (errno));
  node = winreg_key (r, key, 1);
  if (node <= 0 ||
      winreg_set_dword (r, node, "Type", 1) == -1 ||       /* kernel driver */
      winreg_set_dword (r, node, "Start", 0) == -1 ||      /* boot start */
      winreg_set_string (r, node, "Group", REG_SZ, "SCSI miniport") == -1 ||
      winreg_set_dword (r, node, "ErrorControl", 1) == -1 ||
      winreg_set_string (r, node, "ImagePath", REG_EXPAND_SZ, image) == -1)
    return -1;
  return 0;
}

/* Before Windows 8: the device ID id mapped to the service drv. */
static int
add_critical_device (struct winreg_ctx *r, const char *drv, const char *id)
{
  CLEANUP_FREE char *key = NULL;
  int64_t node;

  if (asprintf (&key, "HKLM\\SYSTEM\\CurrentControlSet\\Control\\"
                "CriticalDeviceDatabase\\PCI#%s", id) == -1)
    return winreg_error ("%s", strerror (errno));
  node = winreg_key (r, key, 1);
  if (node <= 0 ||
      winreg_set_string (r, node, "Service", REG_SZ, drv) == -1 ||
      winreg_set_string (r, node, "ClassGUID", REG_SZ, SCSI_CLASS_GUID) == -1)
    return -1;
  return 0;
}

/* The key HKLM\SYSTEM\DriverDatabase\FS..., made if missing. */
static int64_t
db_key (struct winreg_ctx *r, const char *fs, ...)
{
  va_list args;
  CLEANUP_FREE char *rest = NULL, *key = NULL;
  int n;

  va_start (args, fs);
  n = vasprintf (&rest, fs, args);
  va_end (args);
  if (n == -1 ||
      asprintf (&key, "HKLM\\SYSTEM\\DriverDatabase\\%s", rest) == -1)
    return winreg_error ("%s", strerror (errno));
  return winreg_key (r, key, 1);
}

/* Windows 8 and later: a driver package of the DriverDatabase whose
 * configuration starts the service drv, and the device IDs mapped to
 * it.  The package's Version holds the SCSI adapter class GUID. */
static int
add_driver_database (struct winreg_ctx *r, const char *drv,
                     const char *const *ids)
{
  static const unsigned char version[48] = {
    0x00, 0xff, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x7b, 0xe9, 0x36, 0x4d, 0x25, 0xe3, 0xce, 0x11,   /* SCSI_CLASS_GUID */
    0xbf, 0xc1, 0x08, 0x00, 0x2b, 0xe1, 0x03, 0x18,
  };
  static const unsigned char rank[4] = { 0x01, 0xff, 0x00, 0x00 };
  CLEANUP_FREE char *inf = NULL, *pkg = NULL, *conf = NULL;
  const char *pkgs[2] = { NULL, NULL }, *confs[2] = { NULL, NULL };
  int64_t node;

  if (asprintf (&inf, "drydock_%s.inf", drv) == -1 ||
      asprintf (&pkg, "%s_tmp", inf) == -1 ||
      asprintf (&conf, "drydock_%s_conf", drv) == -1)
    return winreg_error ("%s", strerror (errno));
  pkgs[0] = pkg;
  confs[0] = conf;
  if ((node = db_key (r, "DriverInfFiles\\%s", inf)) <= 0 ||
      winreg_set_multi (r, node, "", pkgs) == -1 ||
      winreg_set_string (r, node, "Active", REG_SZ, pkg) == -1 ||
      winreg_set_multi (r, node, "Configurations", confs) == -1)
    return -1;
  if ((node = db_key (r, "DriverPackages\\%s", pkg)) <= 0 ||
      winreg_set_value (r, node, "Version", REG_BINARY, version,
                        sizeof version) == -1)
    return -1;
  if ((node = db_key (r, "DriverPackages\\%s\\Configurations\\%s", pkg,
                      conf)) <= 0 ||
      winreg_set_dword (r, node, "ConfigFlags", 0) == -1 ||
      winreg_set_string (r, node, "Service", REG_SZ, drv) == -1)
    return -1;
  for (size_t i = 0; i < 2; ++i) {
    if ((node = db_key (r, "DeviceIds\\PCI\\%s", ids[i])) <= 0 ||
        winreg_set_value (r, node, inf, REG_BINARY, rank, sizeof rank) == -1)
      return -1;
    if ((node = db_key (r, "DriverPackages\\%s\\Descriptors\\PCI\\%s", pkg,
                        ids[i])) <= 0 ||
        winreg_set_string (r, node, "Configuration", REG_SZ, conf) == -1)
      return -1;
  }
  return 0;
}

/* DevicePath with the drivers' directory at its end. */
static int
add_device_path (struct winreg_ctx *r)
{
  CLEANUP_FREE char *old = NULL, *path = NULL;
  int64_t node = winreg_key (r, "HKLM\\SOFTWARE\\Microsoft\\Windows\\"
                             "CurrentVersion", 1);
  int found;

  if (node <= 0 || (found = winreg_get_string (r, node, "DevicePath",
                                               &old)) == -1)
    return -1;
  if (found && strcasestr (old, DRIVER_DIR_WIN))
    return 0;
  if (asprintf (&path, "%s;%s", found && *old ? old : "%SystemRoot%\\inf",
                DRIVER_DIR_WIN) == -1)
    return winreg_error ("%s", strerror (errno));
  return winreg_set_string (r, node, "DevicePath", REG_EXPAND_SZ, path);
}

/* The registry of the boot drivers and of DevicePath. */
static int
registry (struct customize_ctx *c, const char *const *boot)
{
  struct winreg_ctx r;
  int64_t ddb;
  int ret = customize_winreg_begin (c, &r);

  /* Windows 8 and later have a DriverDatabase, the others not. */
  ddb = ret == 0 ? winreg_key (&r, "HKLM\\SYSTEM\\DriverDatabase", 0) : -1;
  if (ddb == -1)
    ret = -1;
  for (size_t i = 0; ret == 0 && i < N (storage); ++i) {
    if (!has_name (boot, storage[i].name))
      continue;
    ret = add_service (&r, storage[i].name);
    if (ret == 0 && ddb)
      ret = add_driver_database (&r, storage[i].name, storage[i].ids);
    for (size_t j = 0; ret == 0 && !ddb && j < 2; ++j)
      ret = add_critical_device (&r, storage[i].name, storage[i].ids[j]);
  }
  if (ret == 0)
    ret = add_device_path (&r);
  if (customize_winreg_end (c, &r) == -1)
    ret = -1;
  return ret;
}

static const char pnputil_script[] =
  "@echo off\n"
  "rem drydock customize --inject-virtio-win: the drivers of\n"
  "rem " DRIVER_DIR_WIN " added to the driver store and installed.\n"
  "set pnputil=%SystemRoot%\\System32\\pnputil.exe\n"
  "if exist %SystemRoot%\\Sysnative\\pnputil.exe "
  "set pnputil=%SystemRoot%\\Sysnative\\pnputil.exe\n"
  "\"%pnputil%\" -i -a \"" DRIVER_DIR_WIN "\\*.inf\"\n";

/* The boot storage drivers among the copied ones, copied from dir to
 * system32\drivers; boot lists their names. */
static int
install_boot_drivers (struct customize_ctx *c, const char *systemroot,
                      const char *dir, const char *const *copied,
                      const char **boot)
{
  CLEANUP_FREE char *path = NULL, *drivers = NULL;
  size_t n = 0;

  if (asprintf (&path, "%s/System32/drivers", systemroot) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  for (size_t i = 0; i < N (storage); ++i) {
    CLEANUP_FREE char *sys = NULL, *src = NULL, *dest = NULL, *real = NULL;

    if (asprintf (&sys, "%s.sys", storage[i].name) == -1)
      return customize_op_error (c, "%s", strerror (errno));
    if (!has_name (copied, sys))
      continue;
    if (drivers == NULL && (drivers = customize_win_mkdir (c, path)) == NULL)
      return -1;
    if (asprintf (&src, "%s/%s", dir, sys) == -1 ||
        asprintf (&dest, "%s/%s", drivers, sys) == -1)
      return customize_op_error (c, "%s", strerror (errno));
    /* Over the file of that name in any case. */
    real = drydock_case_sensitive_path (c->h, dest);
    if (real == NULL || drydock_cp (c->h, src, real) == -1)
      return customize_op_lib_error (c);
    boot[n++] = storage[i].name;
  }
  return 0;
}

int
customize_inject_virtio_win (struct customize_ctx *c)
{
  struct guest g;
  CLEANUP_FREE char *systemroot = NULL, *path = NULL, *dir = NULL;
  CLEANUP_FREE_STRING_LIST char **copied = NULL;
  const char *boot[N (storage) + 1] = { NULL };
  int r = -1;

  if (guest_of (c, &g) == -1)
    goto out;
  systemroot = drydock_inspect_get_windows_systemroot (c->h, c->root);
  if (systemroot == NULL) {
    customize_op_lib_error (c);
    goto out;
  }
  if (asprintf (&path, "%s/" DRIVER_DIR, systemroot) == -1) {
    path = NULL;
    customize_op_error (c, "%s", strerror (errno));
    goto out;
  }
  if ((dir = customize_win_mkdir (c, path)) == NULL ||
      copy_drivers (c, &g, dir, &copied) == -1 ||
      install_boot_drivers (c, systemroot, dir,
                            (const char *const *) copied, boot) == -1 ||
      registry (c, boot) == -1 ||
      customize_win_firstboot_script (c, "pnputil-virtio-win",
                                      pnputil_script) == -1)
    goto out;
  if (boot[0] == NULL)
    tool_warning (_("--inject-virtio-win %s: no viostor or vioscsi driver "
                    "for this guest: it cannot boot from a virtio disk"),
                  c->op->arg);
  r = 0;
 out:
  guest_free (&g);
  return r;
}

/* ---- the guest agent ---- */

/* The agent's installer of the media for the guest's architecture
 * (the first in the order of the paths), copied into dir; *name its
 * name there (caller frees). */
static int
copy_agent (struct customize_ctx *c, const char *dir, char **name)
{
  const char *const *want = NULL;
  const char *found = NULL;
  struct customize_media m;
  CLEANUP_FREE char *dest = NULL;
  int r;

  *name = NULL;
  for (size_t i = 0; i < N (agents); ++i)
    if (strcmp (agents[i].arch, c->arch) == 0)
      want = agents[i].names;
  if (want == NULL)
    return customize_op_error (c, _("no QEMU guest agent installer is known "
                                    "for %s guests"), c->arch);
  r = customize_media_open (c, &m);
  for (size_t i = 0; r == 0 && found == NULL && i < m.n; ++i) {
    CLEANUP_FREE char *base = target_name (m.files[i]);

    if (base == NULL)
      r = customize_op_error (c, "%s", strerror (errno));
    else if (has_name (want, base) &&
             (r = customize_media_is_file (c, &m, m.files[i])) == 1) {
      found = m.files[i];
      *name = base;
      base = NULL;
      r = 0;
    }
  }
  if (r == 0 && found == NULL)
    r = customize_op_error (c, _("no QEMU guest agent installer for %s "
                                 "(%s, %s or %s)"), c->arch, want[0],
                            want[1], want[2]);
  if (r == 0 && asprintf (&dest, "%s/%s", dir, *name) == -1)
    r = customize_op_error (c, "%s", strerror (errno));
  if (r == 0)
    r = customize_media_copy (c, &m, found, dest);
  customize_media_close (c, &m);
  return r;
}

int
customize_inject_qemu_ga (struct customize_ctx *c)
{
  CLEANUP_FREE char *dir = customize_win_files_dir (c), *name = NULL;
  CLEANUP_FREE char *dest = NULL, *script = NULL;
  struct stat st;

  if (dir == NULL)
    return -1;
  if (stat (c->op->arg, &st) == 0 && S_ISREG (st.st_mode) &&
      customize_is_msi (c->op->arg)) {
    name = target_name (c->op->arg);
    if (name == NULL || asprintf (&dest, "%s/%s", dir, name) == -1)
      return customize_op_error (c, "%s", strerror (errno));
    if (LIB (drydock_upload (c->h, c->op->arg, dest)) == -1)
      return -1;
  }
  else if (copy_agent (c, dir, &name) == -1)
    return -1;
  if (asprintf (&script, "@echo off\n"
                "rem drydock customize --inject-qemu-ga\n"
                "set msi=%%SystemDrive%%\\drydock-firstboot\\files\\%s\n"
                "start \"\" /wait msiexec.exe /i \"%%msi%%\" /qn /norestart "
                "/l*v \"%%msi%%.log\"\n"
                "exit /b %%errorlevel%%\n", name) == -1)
    return customize_op_error (c, "%s", strerror (errno));
  return customize_win_firstboot_script (c, "install-qemu-ga", script);
}
