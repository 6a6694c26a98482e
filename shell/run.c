/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running what is typed: a line is a comment, a host command ('!'), a
 * host command whose output is run as commands ('<!'), or a command with
 * its words, maybe piped to a host command ("CMD | HOSTCMD").  Before a
 * command runs, its words are made what its arguments' kinds say: a
 * passphrase not typed is asked for, "win:" paths become guest paths,
 * "-" is standard input or output, "-<<END" a here-document. */

#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell.h"
#include "cleanups.h"
#include "full-rw.h"
#include "strlist.h"

/* Where the lines of the running script come from (here-documents read
 * from it): a stream, or the interactive input when NULL. */
static FILE *current_input;

/* name with '_' as '-', in buf (names are short; a longer one is cut
 * and matches nothing). */
static const char *
normalize (const char *name, char *buf, size_t size)
{
  size_t i;

  for (i = 0; name[i] && i + 1 < size; ++i)
    buf[i] = name[i] == '_' ? '-' : name[i];
  buf[i] = '\0';
  return buf;
}

static int
cmp_command (const void *key, const void *elem)
{
  return strcmp (key, ((const struct shell_command *) elem)->name);
}

const struct shell_command *
shell_find_command (const char *name)
{
  char buf[128];

  normalize (name, buf, sizeof buf);
  for (const struct shell_command *c = shell_local_commands; c->name; ++c)
    if (strcmp (c->name, buf) == 0)
      return c;
  return bsearch (buf, shell_commands, shell_n_commands,
                  sizeof shell_commands[0], cmp_command);
}

/* The optional argument of c word names ("name:..."), or NULL. */
static const struct shell_arg *
find_optarg (const struct shell_command *c, const char *word)
{
  for (size_t j = 0; j < c->n_optargs; ++j)
    if (shell_optarg (word, c->optargs[j].name))
      return &c->optargs[j];
  return NULL;
}

int
shell_arg_kind_at (const struct shell_command *c, int argc, int i)
{
  size_t n = c->n_args;

  if (c->flags & SHELL_CMD_PREFIX)
    return i == 0 ? SHELL_ARG_COMMAND : -1;
  if (n == 0)
    return -1;
  if (c->flags & SHELL_CMD_REPEAT)
    return i > 0 && i == argc - 1 ? (int) c->args[n - 1].kind
                                  : (int) c->args[0].kind;
  if ((size_t) i < n)
    return c->args[i].kind;
  if (c->flags & SHELL_CMD_VARARGS)
    return c->args[n - 1].kind;
  return -1;
}

/* ---- preparing the words ---- */

static char *
temp_template (const char *cmd, const char *kind)
{
  const char *dir = getenv ("TMPDIR");
  char *t;

  if (dir == NULL || *dir != '/')
    dir = "/tmp";
  if (asprintf (&t, "%s/drydock-%sXXXXXX", dir, kind) == -1) {
    shell_error (cmd, "%s", strerror (errno));
    return NULL;
  }
  return t;
}

char *
shell_mkstemp (const char *cmd, const char *kind, int *fd)
{
  char *t = temp_template (cmd, kind);

  if (t == NULL)
    return NULL;
  *fd = mkostemp (t, O_CLOEXEC);
  if (*fd == -1) {
    shell_error (cmd, "%s: %s", t, strerror (errno));
    free (t);
    return NULL;
  }
  return t;
}

char *
shell_mkdtemp (const char *cmd, const char *kind)
{
  char *t = temp_template (cmd, kind);

  if (t && mkdtemp (t) == NULL) {
    shell_error (cmd, "%s: %s", t, strerror (errno));
    free (t);
    return NULL;
  }
  return t;
}

/* A here-document "-<<END": the lines up to END into a temporary file,
 * whose name is returned (caller unlinks and frees).  NULL (printed). */
static char *
read_heredoc (const char *cmd, const char *end)
{
  CLEANUP_CLOSE int fd = -1;
  char *tmpl = shell_mkstemp (cmd, "heredoc", &fd);

  if (tmpl == NULL)
    return NULL;
  for (;;) {
    CLEANUP_FREE char *line = NULL;
    size_t cap = 0, len;

    if (current_input) {
      if (getline (&line, &cap, current_input) == -1)
        line = NULL;
    }
    else
      line = shell_input_line ();
    if (line == NULL) {
      shell_error (cmd, _("end of input before the here-document's end "
                          "marker '%s'"), end);
      unlink (tmpl);
      free (tmpl);
      return NULL;
    }
    len = strlen (line);
    if (len && line[len - 1] == '\n')
      line[--len] = '\0';
    if (strcmp (line, end) == 0)
      break;
    line[len++] = '\n';
    if (write_all (fd, line, len) == -1) {
      shell_error (cmd, "%s: %s", tmpl, strerror (errno));
      unlink (tmpl);
      free (tmpl);
      return NULL;
    }
  }
  return tmpl;
}

/* "-" as a file to read: /dev/stdin, except when standard input is a
 * file read into already (opening /dev/stdin would start it over): what
 * is left of it, copied to a temporary file (caller unlinks and frees).
 * NULL (printed). */
static char *
stdin_file (const char *cmd)
{
  char buf[65536], *tmpl;
  struct stat st;
  int fd;

  /* Gives back what stdio read ahead (of the script, of a passphrase). */
  fflush (stdin);
  if (fstat (STDIN_FILENO, &st) == -1 || !S_ISREG (st.st_mode) ||
      lseek (STDIN_FILENO, 0, SEEK_CUR) <= 0)
    return strdup ("/dev/stdin");
  tmpl = shell_mkstemp (cmd, "stdin", &fd);
  if (tmpl == NULL)
    return NULL;
  for (;;) {
    ssize_t n = read (STDIN_FILENO, buf, sizeof buf);

    if (n == -1 && errno == EINTR)
      continue;
    if (n == 0)
      break;
    if (n == -1 || write_all (fd, buf, (size_t) n) == -1) {
      shell_error (cmd, _("standard input: %s"), strerror (errno));
      close (fd);
      unlink (tmpl);
      free (tmpl);
      return NULL;
    }
  }
  close (fd);
  return tmpl;
}

/* The words of one command as its run function takes them: every word
 * owned (words), with the temporary files to remove afterwards. */
struct prepared {
  struct strlist words;
  struct strlist tmpfiles;
  int keys;                     /* words holding passphrases: wiped */
};

static void
prepared_free (struct prepared *p)
{
  for (size_t i = 0; i < p->tmpfiles.len; ++i)
    unlink (p->tmpfiles.v[i]);
  if (p->keys)
    for (size_t i = 0; i < p->words.len; ++i)
      explicit_bzero (p->words.v[i], strlen (p->words.v[i]));
  strlist_free (&p->words);
  strlist_free (&p->tmpfiles);
}

/* How many words are positional (not "name:value" of an optional
 * argument). */
static size_t
count_positional (const struct shell_command *c, int argc, char **argv)
{
  size_t n = 0;

  for (int i = 0; i < argc; ++i)
    if (find_optarg (c, argv[i]) == NULL)
      n++;
  return n;
}

static size_t
count_keys (const struct shell_command *c)
{
  size_t n = 0;

  for (size_t j = 0; j < c->n_args; ++j)
    n += c->args[j].kind == SHELL_ARG_KEY;
  return n;
}

/* One word made what its kind says, added to p. */
static int
prepare_word (const char *cmd, int kind, const char *w, struct prepared *p)
{
  char *v = NULL;

  if ((kind == SHELL_ARG_PATHNAME || kind == SHELL_ARG_DEV_OR_PATH) &&
      strncasecmp (w, "win:", 4) == 0) {
    v = shell_win_path (shell.h, cmd, w + 4);
    if (v == NULL)
      return -1;
  }
  else if (kind == SHELL_ARG_FILEIN && strncmp (w, "-<<", 3) == 0 && w[3]) {
    v = read_heredoc (cmd, w + 3);
    if (v == NULL || strlist_add (&p->tmpfiles, v) == -1) {
      free (v);
      return -1;
    }
  }
  else if (kind == SHELL_ARG_FILEIN && strcmp (w, "-") == 0) {
    v = stdin_file (cmd);
    if (v == NULL)
      return -1;
    if (strcmp (v, "/dev/stdin") != 0 && strlist_add (&p->tmpfiles, v) == -1) {
      unlink (v);
      free (v);
      return -1;
    }
  }
  else if (kind == SHELL_ARG_FILEOUT && strcmp (w, "-") == 0)
    v = strdup ("/dev/stdout");
  else
    v = strdup (w);
  if (v && kind == SHELL_ARG_FILEIN) {
    struct stat st;

    if (stat (v, &st) == 0 && S_ISREG (st.st_mode))
      shell_progress_hint ((uint64_t) st.st_size);
  }
  if (v == NULL || strlist_add_take (&p->words, v) == -1) {
    shell_error (cmd, "%s", strerror (errno));
    return -1;
  }
  return 0;
}

/* A passphrase asked for, as the next word. */
static int
add_key (const char *cmd, const char *name, struct prepared *p)
{
  char *k = shell_read_key (cmd, name);

  p->keys = 1;
  if (k == NULL)
    return -1;
  if (strlist_add_take (&p->words, k) == -1) {
    explicit_bzero (k, strlen (k));
    free (k);
    shell_error (cmd, "%s", strerror (errno));
    return -1;
  }
  return 0;
}

static int
prepare (const struct shell_command *c, const char *cmd, int argc,
         char **argv, struct prepared *p)
{
  size_t keys = count_keys (c), npos = count_positional (c, argc, argv);
  /* guestfish asks for the passphrases when they are not typed. */
  int ask = keys && npos + keys == c->n_args;
  size_t total = npos + (ask ? keys : 0), pos = 0;

  for (int i = 0; i <= argc; ++i) {
    while (ask && pos < c->n_args && c->args[pos].kind == SHELL_ARG_KEY) {
      if (add_key (cmd, c->args[pos].name, p) == -1)
        return -1;
      pos++;
    }
    if (i == argc)
      break;
    if (find_optarg (c, argv[i])) {
      if (prepare_word (cmd, -1, argv[i], p) == -1)
        return -1;
      continue;
    }
    if (prepare_word (cmd, shell_arg_kind_at (c, (int) total, (int) pos),
                      argv[i], p) == -1)
      return -1;
    pos++;
  }
  return 0;
}

/* In the shell, add-drive (add) without readonly, commit, output_overlay
 * or direct commits, as the -a of a session without --ro does (and as
 * guestfish's add writes): appends "commit:true". */
static int
default_commit (const struct shell_command *c, struct prepared *p)
{
  static const char *const modes[] = {
    "readonly", "commit", "output_overlay", "direct",
  };

  if (strcmp (c->alias_of ? c->alias_of : c->name, "add-drive") != 0 ||
      p->words.len == 0)
    return 0;
  for (size_t i = 1; i < p->words.len; ++i)
    for (size_t j = 0; j < sizeof modes / sizeof modes[0]; ++j)
      if (shell_optarg (p->words.v[i], modes[j]))
        return 0;
  return strlist_add (&p->words, "commit:true");
}

/* ---- running ---- */

static void
echo_command (int argc, char **argv)
{
  for (int i = 0; i < argc; ++i)
    fprintf (stderr, "%s%s", i ? " " : "", argv[i]);
  fputc ('\n', stderr);
}

int
shell_run_command (int argc, char **argv)
{
  const char *name = argv[0];
  int ignore_errors = 0, r;
  const struct shell_command *c;
  struct prepared p = { STRLIST_INIT, STRLIST_INIT, 0 };

  if (name[0] == '-' && name[1]) {
    ignore_errors = 1;
    name++;
  }
  if (shell.echo_commands)
    echo_command (argc, argv);
  c = shell_find_command (name);
  if (c == NULL) {
    tool_error (_("unknown command '%s' (try 'help')"), name);
    return ignore_errors ? 0 : -1;
  }
  shell_error_reported = 0;
  if (c->flags & SHELL_CMD_MISSING)
    r = c->run (shell.h, name, argc - 1, argv + 1);
  else if (prepare (c, name, argc - 1, argv + 1, &p) == -1 ||
           default_commit (c, &p) == -1)
    r = -1;
  else {
    fflush (stdout);
    shell_progress_begin ();
    r = c->run (shell.h, name, (int) p.words.len, p.words.v);
    shell_progress_finish ();
  }
  prepared_free (&p);
  if (r == -1 && !shell_error_reported && drydock_last_error (shell.h))
    tool_lib_error (shell.h);
  fflush (stdout);
  if (c->flags & SHELL_CMD_WRITES)
    shell_complete_forget ();
  if (r == 1)
    return 1;
  return r == -1 && !ignore_errors ? -1 : 0;
}

/* "!CMD": the host's shell runs CMD.  A non-zero exit fails (CMD said
 * why). */
static int
run_host (const char *cmd)
{
  int status;

  fflush (stdout);
  status = system (cmd);
  if (status == -1)
    return tool_error ("!%s: %s", cmd, strerror (errno));
  if (WIFSIGNALED (status))
    return tool_error (_("!%s: killed by signal %d"), cmd, WTERMSIG (status));
  return WEXITSTATUS (status) == 0 ? 0 : -1;
}

/* "<! CMD": CMD's output, run as commands (the first failure stops
 * them); then CMD's own failure fails too. */
static int
run_inline (const char *cmd)
{
  FILE *fp;
  char *line = NULL;
  size_t cap = 0;
  struct strlist lines = STRLIST_INIT;
  int status, r = 0;

  fflush (stdout);
  fp = popen (cmd, "re");
  if (fp == NULL)
    return tool_error ("<!%s: %s", cmd, strerror (errno));
  while (getline (&line, &cap, fp) != -1)
    if (strlist_add (&lines, line) == -1) {
      r = tool_error ("<!%s: %s", cmd, strerror (errno));
      break;
    }
  free (line);
  status = pclose (fp);
  for (size_t i = 0; r == 0 && i < lines.len; ++i) {
    r = shell_run_line (lines.v[i]);
    if (r == 1)
      break;
  }
  strlist_free (&lines);
  if (r != 0)
    return r;
  if (status == -1 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return -1;
  return 0;
}

/* "CMD | HOSTCMD": CMD's standard output into HOSTCMD's input.  A write
 * error (HOSTCMD did not read it all) fails only with --pipe-error. */
static int
run_piped (int argc, char **argv, const char *hostcmd)
{
  struct sigaction ign = { .sa_handler = SIG_IGN }, saved_pipe;
  FILE *pp;
  int saved, r;

  fflush (stdout);
  saved = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (saved == -1)
    return tool_error ("dup: %s", strerror (errno));
  pp = popen (hostcmd, "we");
  if (pp == NULL) {
    close (saved);
    return tool_error ("|%s: %s", hostcmd, strerror (errno));
  }
  sigaction (SIGPIPE, &ign, &saved_pipe);
  dup2 (fileno (pp), STDOUT_FILENO);
  r = shell_run_command (argc, argv);
  if (fflush (stdout) == EOF || ferror (stdout)) {
    if (shell.pipe_error && r == 0)
      r = tool_error (_("|%s: write error: %s"), hostcmd, strerror (errno));
    clearerr (stdout);
  }
  dup2 (saved, STDOUT_FILENO);
  close (saved);
  pclose (pp);
  sigaction (SIGPIPE, &saved_pipe, NULL);
  return r;
}

int
shell_run_line (const char *line)
{
  const char *p = line;
  CLEANUP_FREE_STRING_LIST char **words = NULL;
  CLEANUP_FREE char *pipe = NULL;
  int ignore = 0, n, r;

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '\0' || *p == '\n' || *p == '#')
    return 0;
  if (p[0] == '-' && (p[1] == '!' || (p[1] == '<' && p[2] == '!'))) {
    ignore = 1;
    p++;
  }
  if (*p == '!') {
    if (shell.echo_commands)
      fprintf (stderr, "%s", line);
    r = run_host (p + 1);
  }
  else if (p[0] == '<' && p[1] == '!')
    r = run_inline (p + 2);
  else {
    n = shell_split_line (p, &words, &pipe);
    if (n == -1)
      return -1;
    if (n == 0)
      return 0;
    r = pipe ? run_piped (n, words, pipe) : shell_run_command (n, words);
  }
  return r == -1 && ignore ? 0 : r;
}

int
shell_run_stream (FILE *fp, int exit_on_error)
{
  CLEANUP_FREE char *line = NULL;
  FILE *outer = current_input;
  size_t cap = 0;
  int failed = 0;

  current_input = fp;
  while (getline (&line, &cap, fp) != -1) {
    int r = shell_run_line (line);

    if (r == 1)
      break;
    if (r == -1) {
      failed = 1;
      if (exit_on_error)
        break;
    }
  }
  current_input = outer;
  return failed ? -1 : 0;
}

int
shell_run_argv (int argc, char **argv)
{
  int start = 0;

  for (int i = 0; i <= argc; ++i)
    if (i == argc || strcmp (argv[i], ":") == 0) {
      if (i > start) {
        int r = shell_run_command (i - start, argv + start);
        if (r != 0)
          return r;
      }
      start = i + 1;
    }
  return 0;
}
