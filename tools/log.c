/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drydock log: print the log of the guest in disk images, as virt-log:
 * /var/log/syslog, else /var/log/messages.  A guest that logs to the
 * systemd journal (/var/log/journal) alone is told so in one line: no
 * journal reader runs in the appliance, and the journal's binary files
 * are not parsed on the host, where guest content is not trusted.
 * Windows event logs (.evtx) are binary too.  One read-only launch. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "tools.h"

#define LOG_TAKES (TOOL_OPT_ADD | TOOL_OPT_KEYS)

#define JOURNAL_DIR "/var/log/journal"

static void
usage (int status)
{
  FILE *fp = status ? stderr : stdout;

  fprintf (fp, _("Usage: %s -a IMAGE [-a IMAGE ...] [OPTIONS]\n"
                 "Print the log of the guest in disk images, as virt-log: its\n"
                 "/var/log/syslog, or /var/log/messages.  The systemd journal and\n"
                 "Windows event logs are binary files drydock does not read: copy\n"
                 "them out with 'drydock copy-out'.  The images are only read.\n\n"),
           tool_program_name ());
  tool_print_options_help (fp, LOG_TAKES);
  exit (status);
}

static int
no_option (int c, const char *arg, void *opaque)
{
  return -1;
}

/* 1 if the guest has a systemd journal. */
static int
has_journal (drydock_h *h)
{
  CLEANUP_FREE_STRING_LIST char **names = NULL;

  if (drydock_is_dir (h, JOURNAL_DIR) != 1)
    return 0;
  names = drydock_ls (h, JOURNAL_DIR);
  return names && names[0];
}

static int
print_log (struct tools_session *s)
{
  static const char *const text_logs[] = {
    "/var/log/syslog", "/var/log/messages", NULL
  };
  const char *text = NULL;
  int journal;

  if (strcmp (s->type, "windows") == 0)
    return tool_error (_("the event logs of Windows (%s) are binary files "
                         "drydock does not read: copy them out with "
                         "'drydock copy-out'"),
                       "/Windows/System32/winevt/Logs");
  for (size_t i = 0; text_logs[i] && text == NULL; ++i)
    if (drydock_is_file_opts (s->h, text_logs[i],
                              DRYDOCK_IS_FILE_OPTS_FOLLOWSYMLINKS, 1, -1) == 1)
      text = text_logs[i];
  journal = has_journal (s->h);
  if (text == NULL && journal)
    return tool_error (_("the guest logs to the systemd journal (%s) only, "
                         "which drydock cannot read: copy it out with "
                         "'drydock copy-out -a IMAGE %s DIR' and read it "
                         "with 'journalctl --directory DIR/journal'"),
                       JOURNAL_DIR, JOURNAL_DIR);
  if (text == NULL) {
    tool_warning (_("the guest has no log (/var/log/syslog, "
                    "/var/log/messages or %s)"), JOURNAL_DIR);
    return 0;
  }
  if (journal)
    tool_warning (_("%s is printed; the systemd journal (%s) is not, "
                    "drydock cannot read it"), text, JOURNAL_DIR);
  fflush (stdout);
  if (drydock_download (s->h, text, "-") == -1)
    return tool_lib_error (s->h);
  return 0;
}

int
log_main (int argc, char *argv[])
{
  static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
  const struct tool_spec spec = {
    .takes = LOG_TAKES, .long_options = longopts, .usage = usage,
    .option = no_option,
  };
  struct tool_options o = { 0 };
  struct tools_session s;
  int first = tool_parse (&spec, argc, argv, &o), r;

  if (first < argc)
    tools_usage_error (_("unexpected argument '%s' (images are given "
                         "with -a)"), argv[first]);
  tools_need_images (&o);
  if (tools_start (&s, &o, TOOLS_MOUNT) == -1) {
    tool_options_free (&o);
    return EXIT_FAILURE;
  }
  r = print_log (&s);
  tools_finish (&s, 0);
  tool_options_free (&o);
  return r == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
