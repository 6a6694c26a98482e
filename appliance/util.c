/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock-make-appliance: small helpers used by every other file of the
 * builder (errors, verbose timing, memory, files, child processes).
 * Kept separate so the files that do the real work stay short.
 */

#include "make-appliance.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>


bool verbose;

static char error_buf[PATH_MAX + 512];
static bool error_saved;

/* The first error set wins: it is the root cause. */
void
error_set (const char *thing, const char *fmt, ...)
{
  va_list args;
  int n;

  if (error_saved)
    return;
  error_saved = true;
  n = snprintf (error_buf, sizeof error_buf, "%s: %s: ", PROGRAM_NAME, thing);
  if (n < 0 || (size_t) n >= sizeof error_buf)
    return;
  va_start (args, fmt);
  vsnprintf (error_buf + n, sizeof error_buf - n, fmt, args);
  va_end (args);
}

void
error_set_errno (const char *thing, int errnum)
{
  error_set (thing, "%s", strerror (errnum));
}

void
error_clear (void)
{
  error_saved = false;
}

bool
error_is_set (void)
{
  return error_saved;
}

void
error_print (void)
{
  char *nl;

  if (!error_saved)
    snprintf (error_buf, sizeof error_buf, "%s: %s", PROGRAM_NAME,
              _("internal error: failed without a message"));
  /* The contract is one line on stderr. */
  while ((nl = strchr (error_buf, '\n')) != NULL)
    *nl = ' ';
  fprintf (stderr, "%s\n", error_buf);
}

static double
elapsed_ms (void)
{
  static struct timespec start;
  struct timespec now;

  clock_gettime (CLOCK_MONOTONIC, &now);
  if (start.tv_sec == 0 && start.tv_nsec == 0)
    start = now;
  return (now.tv_sec - start.tv_sec) * 1e3 +
    (now.tv_nsec - start.tv_nsec) / 1e6;
}

/* Called once early from main () (with verbose still false) to start
 * the clock, then for each phase.
 */
void
verbose_msg (const char *fmt, ...)
{
  va_list args;
  double ms = elapsed_ms ();

  if (!verbose)
    return;
  fprintf (stderr, "%s: %8.1f ms: ", PROGRAM_NAME, ms);
  va_start (args, fmt);
  vfprintf (stderr, fmt, args);
  va_end (args);
  fputc ('\n', stderr);
}

void
out_of_memory (void)
{
  fprintf (stderr, "%s: %s\n", PROGRAM_NAME, _("out of memory"));
  exit (EXIT_FAILURE);
}

void *
xmalloc (size_t n)
{
  void *p = malloc (n ? n : 1);

  if (p == NULL)
    out_of_memory ();
  return p;
}

void *
xcalloc (size_t n, size_t size)
{
  void *p = calloc (n ? n : 1, size ? size : 1);

  if (p == NULL)
    out_of_memory ();
  return p;
}

void *
xrealloc (void *ptr, size_t n)
{
  void *p = realloc (ptr, n ? n : 1);

  if (p == NULL)
    out_of_memory ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *p = strdup (s);

  if (p == NULL)
    out_of_memory ();
  return p;
}

char *
xstrndup (const char *s, size_t n)
{
  char *p = strndup (s, n);

  if (p == NULL)
    out_of_memory ();
  return p;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list args;
  char *s;
  int r;

  va_start (args, fmt);
  r = vasprintf (&s, fmt, args);
  va_end (args);
  if (r == -1)
    out_of_memory ();
  return s;
}

bool
string_vector_contains (const struct string_vector *v, const char *s)
{
  for (size_t i = 0; i < v->len; ++i)
    if (strcmp (v->ptr[i], s) == 0)
      return true;
  return false;
}

void
string_vector_free (struct string_vector *v)
{
  for (size_t i = 0; i < v->len; ++i)
    free (v->ptr[i]);
  string_vector_reset (v);
}

char *
read_text_file (const char *path, size_t *size_ret)
{
  size_t len;
  char *text = read_file_max (path, TEXT_FILE_MAX + 1, &len);

  if (text == NULL) {
    if (errno == ENOMEM)
      out_of_memory ();
    error_set_errno (path, errno);
    return NULL;
  }
  if (len > TEXT_FILE_MAX) {
    free (text);
    error_set (path, _("larger than %d MiB"), TEXT_FILE_MAX / (1024 * 1024));
    return NULL;
  }
  if (size_ret)
    *size_ret = len;
  return text;
}

int
write_file_atomic (const char *path, const char *data, size_t len)
{
  CLEANUP_FREE char *tmp = xasprintf ("%s.tmp.%d", path, (int) getpid ());
  CLEANUP_CLOSE int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                               0644);

  if (fd == -1) {
    error_set_errno (tmp, errno);
    return -1;
  }
  if (write_all (fd, data, len) == -1 || fsync (fd) == -1 ||
      close (TAKE_FD (fd)) == -1) {
    error_set_errno (tmp, errno);
    unlink (tmp);
    return -1;
  }
  if (rename (tmp, path) == -1) {
    error_set_errno (path, errno);
    unlink (tmp);
    return -1;
  }
  return 0;
}

int
mkdir_p (const char *path, mode_t mode)
{
  CLEANUP_FREE char *copy = xstrdup (path);
  char *slash;

  for (slash = strchr (copy + 1, '/'); ; slash = strchr (slash + 1, '/')) {
    if (slash)
      *slash = '\0';
    if (mkdir (copy, mode) == -1 && errno != EEXIST) {
      error_set_errno (copy, errno);
      return -1;
    }
    if (!slash)
      return 0;
    *slash = '/';
    while (slash[1] == '/')
      slash++;
    if (slash[1] == '\0')
      return 0;
  }
}

static int
rm_rf_one (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st;
  (void) ftw;
  if (flag == FTW_DP)
    return rmdir (path) == -1 && errno != ENOENT ? -1 : 0;
  return unlink (path) == -1 && errno != ENOENT ? -1 : 0;
}

int
rm_rf (const char *path)
{
  if (nftw (path, rm_rf_one, 16, FTW_DEPTH | FTW_PHYS) == -1 &&
      errno != ENOENT) {
    error_set_errno (path, errno);
    return -1;
  }
  return 0;
}

int
copy_fd (int in_fd, int out_fd, uint64_t size, const char *name)
{
  static char buf[256 * 1024];

  while (size > 0) {
    size_t want = size < sizeof buf ? size : sizeof buf;
    ssize_t r = read (in_fd, buf, want);
    if (r == -1 && errno == EINTR)
      continue;
    if (r == -1) {
      error_set_errno (name, errno);
      return -1;
    }
    if (r == 0) {
      error_set (name, _("file shrank while the appliance was being built"));
      return -1;
    }
    if (write_all (out_fd, buf, r) == -1) {
      error_set_errno (name, errno);
      return -1;
    }
    size -= r;
  }
  return 0;
}

static int
spawn_actions (posix_spawn_file_actions_t *fa, int in_fd, int out_fd)
{
  int r = 0;

  if (in_fd != 0)
    r = r ? r : posix_spawn_file_actions_adddup2 (fa, in_fd, 0);
  if (out_fd != 1)
    r = r ? r : posix_spawn_file_actions_adddup2 (fa, out_fd, 1);
  if (!verbose)
    r = r ? r : posix_spawn_file_actions_addopen (fa, 2, "/dev/null",
                                                  O_WRONLY, 0);
  return r;
}

pid_t
spawn (const char *const argv[], int in_fd, int out_fd, const char *package)
{
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t sigs;
  extern char **environ;
  pid_t pid;
  int r;

  /* main () ignores SIGPIPE; children get the default back. */
  sigemptyset (&sigs);
  sigaddset (&sigs, SIGPIPE);
  posix_spawnattr_init (&attr);
  posix_spawnattr_setsigdefault (&attr, &sigs);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSIGDEF);
  posix_spawn_file_actions_init (&fa);
  r = spawn_actions (&fa, in_fd, out_fd);
  if (r == 0)
    r = posix_spawnp (&pid, argv[0], &fa, &attr, (char *const *) argv,
                      environ);
  posix_spawn_file_actions_destroy (&fa);
  posix_spawnattr_destroy (&attr);
  if (r == ENOENT && package)
    error_set (argv[0], _("command not found (install the Debian package %s)"),
               package);
  else if (r != 0)
    error_set_errno (argv[0], r);
  return r == 0 ? pid : -1;
}

int
wait_child (pid_t pid, const char *name)
{
  int status;

  while (waitpid (pid, &status, 0) == -1) {
    if (errno != EINTR) {
      error_set_errno (name, errno);
      return -1;
    }
  }
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  error_set (name, _("killed by signal %d"), WTERMSIG (status));
  return -1;
}

int
input_stat (const char *path, struct input *ret)
{
  struct stat st;

  if (stat (path, &st) == -1) {
    error_set_errno (path, errno);
    return -1;
  }
  ret->path = NULL;
  ret->hash[0] = '\0';
  ret->dev = st.st_dev;
  ret->ino = st.st_ino;
  ret->size = st.st_size;
  ret->mtime_ns = st.st_mtim.tv_sec * INT64_C (1000000000) + st.st_mtim.tv_nsec;
  ret->ctime_ns = st.st_ctim.tv_sec * INT64_C (1000000000) + st.st_ctim.tv_nsec;
  return 0;
}

bool
input_equal (const struct input *a, const struct input *b)
{
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
    a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

struct input *
input_find (const struct input_vector *v, const char *path)
{
  for (size_t i = 0; i < v->len; ++i)
    if (strcmp (v->ptr[i].path, path) == 0)
      return &v->ptr[i];
  return NULL;
}

int
input_add (struct input_vector *v, const char *path)
{
  struct input in;

  if (input_find (v, path))
    return 0;
  if (input_stat (path, &in) == -1)
    return -1;
  in.path = xstrdup (path);
  if (input_vector_append (v, in) == -1)
    out_of_memory ();
  return 0;
}

void
input_vector_free (struct input_vector *v)
{
  for (size_t i = 0; i < v->len; ++i)
    free (v->ptr[i].path);
  input_vector_reset (v);
}
