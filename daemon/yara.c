/* SPDX-License-Identifier: GPL-2.0-or-later */
/* YARA scans of guest files (yara_load, yara_scan, yara_destroy) with
 * libyara, loaded with dlopen at the first yara_load, as libsystemd is
 * (journal.c): a launch that scans nothing never maps it.
 *
 * The rules come from the host as a file stream, kept in a memfd: a
 * compiled rules file (as yarac writes it, starting with "YARA") is
 * loaded, anything else is compiled as rule source, with includes
 * refused (they would read the appliance's files).  A guest file is
 * opened through the sysroot helpers (regular files only) and scanned
 * through its fd. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yara.h>

#include "daemon.h"
#include "dlib.h"
#include "actions-gen.h"
#include "vector.h"

static struct {
  __typeof__ (yr_initialize) *initialize;
  __typeof__ (yr_compiler_create) *compiler_create;
  __typeof__ (yr_compiler_destroy) *compiler_destroy;
  __typeof__ (yr_compiler_set_callback) *compiler_set_callback;
  __typeof__ (yr_compiler_set_include_callback) *compiler_set_include_callback;
  __typeof__ (yr_compiler_add_fd) *compiler_add_fd;
  __typeof__ (yr_compiler_get_rules) *compiler_get_rules;
  __typeof__ (yr_rules_load) *rules_load;
  __typeof__ (yr_rules_destroy) *rules_destroy;
  __typeof__ (yr_rules_scan_fd) *rules_scan_fd;
} yr;

/* The rules loaded, or NULL. */
static YR_RULES *rules;

/* How long a scan of one file may take, in seconds (0 is no limit). */
#define SCAN_TIMEOUT 0

/* Loads libyara and initializes it once.  0, or -1 with the reason in
 * *why. */
static int
yara_lib_load (const char **why)
{
  static const struct dlib_sym syms[] = {
#define SYM(f) { "yr_" #f, (void **) &yr.f }
    SYM (initialize), SYM (compiler_create), SYM (compiler_destroy),
    SYM (compiler_set_callback), SYM (compiler_set_include_callback),
    SYM (compiler_add_fd), SYM (compiler_get_rules), SYM (rules_load),
    SYM (rules_destroy), SYM (rules_scan_fd),
#undef SYM
  };
  static void *handle;
  static int initialized;

  if (dlib_load (&handle, "libyara.so.9", syms, sizeof syms / sizeof syms[0],
                 why) == -1)
    return -1;
  if (!initialized) {
    if (yr.initialize () != ERROR_SUCCESS) {
      *why = "yr_initialize failed";
      return -1;
    }
    initialized = 1;
  }
  return 0;
}

int
optgroup_libyara_available (void)
{
  const char *why;

  if (yara_lib_load (&why) == 0)
    return 1;
  debug ("optional groups: no libyara: %s", why);
  return 0;
}

static int
write_chunk (void *opaque, const void *buf, size_t n)
{
  return write_all (*(int *) opaque, buf, n);
}

/* The compiler's messages, "LINE: MESSAGE; ..." (the first few). */
struct compile_errors {
  char text[1024];
  size_t len;
};

static void
compile_message (int level, const char *file, int line, const YR_RULE *rule,
                 const char *message, void *opaque)
{
  struct compile_errors *e = opaque;
  int n;

  (void) file;
  (void) rule;
  if (level != YARA_ERROR_LEVEL_ERROR || e->len >= sizeof e->text - 1)
    return;
  n = snprintf (e->text + e->len, sizeof e->text - e->len, "%sline %d: %s",
                e->len ? "; " : "", line, message);
  if (n > 0)
    e->len += (size_t) n;
  if (e->len >= sizeof e->text)
    e->len = sizeof e->text - 1;
}

static const char *
refuse_include (const char *name, const char *from, const char *ns,
                void *opaque)
{
  (void) name;
  (void) from;
  (void) ns;
  (void) opaque;
  return NULL;
}

/* Compiles the rule source in fd into *out.  0, or -1 (replied). */
static int
compile_rules (int fd, YR_RULES **out)
{
  YR_COMPILER *c = NULL;
  struct compile_errors errs = { "", 0 };
  int r;

  if (yr.compiler_create (&c) != ERROR_SUCCESS)
    return reply_with_error_errno (ENOMEM, "cannot make a "
                                   "compiler");
  yr.compiler_set_callback (c, compile_message, &errs);
  yr.compiler_set_include_callback (c, refuse_include, NULL, NULL);
  if (yr.compiler_add_fd (c, fd, NULL, "rules") > 0) {
    yr.compiler_destroy (c);
    return reply_with_error_errno (EINVAL, "the rules do not compile: "
                                   "%s", errs.text);
  }
  r = yr.compiler_get_rules (c, out);
  yr.compiler_destroy (c);
  if (r != ERROR_SUCCESS)
    return reply_with_error_errno (EINVAL, "the rules do not compile "
                                   "(yara error %d)", r);
  return 0;
}

int
do_yara_load (void)
{
  const char *why;
  CLEANUP_CLOSE int fd = -1;
  char magic[4] = "";
  char buf[32];
  YR_RULES *loaded = NULL;
  int r;

  if (yara_lib_load (&why) == -1)
    return reply_with_error_errno (ENOTSUP, "not available in this "
                                   "appliance: %s", why);
  fd = memfd_create ("yara-rules", MFD_CLOEXEC);
  if (fd == -1)
    return reply_with_perror ("the rules");
  r = receive_file (write_chunk, &fd);
  if (r == -2)
    return reply_with_error_errno (ECANCELED, "the transfer was "
                                   "cancelled by the host");
  if (r == -3)
    return reply_with_error_errno (EPROTO, "file transfer protocol "
                                   "error");
  if (r != 0)
    return reply_with_perror ("the rules");
  if (pread (fd, magic, sizeof magic, 0) == -1 ||
      lseek (fd, 0, SEEK_SET) == -1)
    return reply_with_perror ("the rules");
  if (memcmp (magic, "YARA", 4) == 0) {
    r = yr.rules_load (fd_path (fd, buf), &loaded);
    if (r != ERROR_SUCCESS)
      return reply_with_error_errno (EINVAL, "not a compiled "
                                     "rules file this libyara reads "
                                     "(yara error %d)", r);
  }
  else if (compile_rules (fd, &loaded) == -1)
    return -1;
  if (rules)
    yr.rules_destroy (rules);
  rules = loaded;
  return 0;
}

int
do_yara_destroy (void)
{
  if (rules == NULL)
    return reply_with_error_errno (EINVAL, "no rules are loaded");
  yr.rules_destroy (rules);
  rules = NULL;
  return 0;
}

DEFINE_VECTOR_TYPE (detection_vector, struct drydock_yara_detection);

struct scan {
  const char *path;
  detection_vector v;
  int err;                      /* errno of a failure in the callback */
};

static int
scan_callback (YR_SCAN_CONTEXT *ctx, int message, void *data, void *opaque)
{
  struct scan *s = opaque;
  const YR_RULE *rule = data;
  struct drydock_yara_detection d;

  (void) ctx;
  if (message != CALLBACK_MSG_RULE_MATCHING)
    return CALLBACK_CONTINUE;
  d.yara_name = strdup (s->path);
  d.yara_rule = strdup (rule->identifier);
  if (d.yara_name == NULL || d.yara_rule == NULL ||
      detection_vector_append (&s->v, d) == -1) {
    free (d.yara_name);
    free (d.yara_rule);
    s->err = ENOMEM;
    return CALLBACK_ERROR;
  }
  return CALLBACK_CONTINUE;
}

static void
free_detection (struct drydock_yara_detection d)
{
  free (d.yara_name);
  free (d.yara_rule);
}

struct drydock_yara_detection_list *
do_yara_scan (const char *path)
{
  struct scan s = { path, EMPTY_VECTOR, 0 };
  struct drydock_yara_detection_list *ret;
  struct stat st;
  CLEANUP_CLOSE int fd = -1;
  int r;

  if (rules == NULL) {
    reply_with_error_errno (EINVAL, "no rules are loaded (yara_load "
                            "loads them)");
    return NULL;
  }
  fd = sysroot_open_regular_or_reply (path, 0, &st);
  if (fd == -1)
    return NULL;
  r = yr.rules_scan_fd (rules, fd, SCAN_FLAGS_REPORT_RULES_MATCHING,
                        scan_callback, &s, SCAN_TIMEOUT);
  if (r != ERROR_SUCCESS) {
    if (s.err)
      reply_with_error_errno (s.err, "%s: %s", path, strerror (s.err));
    else
      reply_with_error_errno (EIO, "%s: the scan failed (yara error %d)",
                              path, r);
    goto fail;
  }
  ret = malloc (sizeof *ret);
  if (ret == NULL ||
      (s.v.len == 0 && detection_vector_reserve (&s.v, 1) == -1)) {
    free (ret);
    reply_with_perror ("%s", path);
    goto fail;
  }
  ret->len = (uint32_t) s.v.len;
  ret->val = s.v.ptr;
  return ret;

 fail:
  detection_vector_iter (&s.v, free_detection);
  detection_vector_reset (&s.v);
  return NULL;
}
