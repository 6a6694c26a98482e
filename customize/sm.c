/* The subscription-manager operations of drydock customize, as
 * virt-customize runs them in a Red Hat guest: --sm-register (with the
 * credentials of --sm-credentials), --sm-attach, --sm-remove and
 * --sm-unregister each run one subscription-manager command in the
 * guest, its output in the log of guest commands.  The password is
 * read when the command line is read and never shown: not in messages,
 * not in the log, not in the -x trace.  Separate from system.c: the
 * selectors and the secret they carry are a subject of their own. */

#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cleanups.h"
#include "customize.h"

#define SM "subscription-manager"

/* The value of "KIND:VALUE" (exactly one ':') if s starts with
 * "KIND:", else NULL. */
static const char *
after_kind (const char *s, const char *kind)
{
  size_t n = strlen (kind);

  if (strncmp (s, kind, n) != 0 || s[n] != ':' || strchr (s + n + 1, ':'))
    return NULL;
  return s + n + 1;
}

/* USER:password:PASSWORD or USER:file:FILENAME, three fields split at
 * every ':' as virt-customize splits them (so neither side holds a
 * ':'); none may be empty, which subscription-manager would take as a
 * question to ask.  The password goes to op->secret. */
int
customize_check_sm_credentials (struct customize_op *op)
{
  const char *colon = strchr (op->arg, ':'), *value;

  if (colon && colon > op->arg &&
      (value = after_kind (colon + 1, "file")) != NULL && *value)
    return customize_read_first_line (op, value);
  if (colon && colon > op->arg &&
      (value = after_kind (colon + 1, "password")) != NULL && *value) {
    op->secret = strdup (value);
    return op->secret ? 0 : customize_arg_error (op, "%s", strerror (errno));
  }
  return customize_arg_error (op, _("expected USER:password:PASSWORD or "
                                    "USER:file:FILENAME (no ':' in the "
                                    "password, none empty)"));
}

void
customize_sm_shown_credentials (const char *arg, char *buf, size_t len)
{
  const char *colon = strchr (arg, ':');

  if (colon && after_kind (colon + 1, "file"))
    snprintf (buf, len, "%s", arg);
  else if (colon)
    snprintf (buf, len, "%.*s:...", (int) (colon - arg), arg);
  else
    snprintf (buf, len, "...");
}

/* auto, pool:ID or file:FILENAME (the pool ID its first line, read
 * now into op->secret). */
int
customize_check_sm_attach (struct customize_op *op)
{
  const char *value;

  if (strcmp (op->arg, "auto") == 0)
    return 0;
  if ((value = after_kind (op->arg, "pool")) != NULL && *value)
    return 0;
  if ((value = after_kind (op->arg, "file")) != NULL && *value)
    return customize_read_first_line (op, value);
  return customize_arg_error (op, _("expected auto, pool:POOL or "
                                    "file:FILENAME"));
}

/* The last operation named name given (a flag: the last one counts),
 * or NULL. */
static const struct customize_op *
last_given (const struct customize_opts *o, const char *name)
{
  for (size_t i = o->n_ops; i-- > 0; )
    if (strcmp (o->ops[i].def->name, name) == 0)
      return &o->ops[i];
  return NULL;
}

int
customize_check_ops (const struct customize_opts *o)
{
  if (last_given (o, "sm-register") && !last_given (o, "sm-credentials"))
    return tool_error (_("--sm-register needs the credentials of "
                         "--sm-credentials USER:password:PASSWORD or "
                         "USER:file:FILENAME"));
  return 0;
}

/* Runs cmd in the guest, with -x's trace off when it holds a secret. */
static int
run_sm (struct customize_ctx *c, const char *cmd, int secret)
{
  int trace = secret ? drydock_get_trace (c->h) : 0, r;

  if (trace)
    drydock_set_trace (c->h, 0);
  r = customize_run_in_guest_as (c, cmd, SM, "");
  if (trace)
    drydock_set_trace (c->h, 1);
  return r;
}

int
customize_sm_register (struct customize_ctx *c)
{
  const struct customize_op *cred = last_given (c->o, "sm-credentials");
  CLEANUP_FREE char *user = NULL, *quser = NULL, *qpass = NULL, *cmd = NULL;

  /* customize_check_ops made sure of it. */
  if (cred == NULL || cred->secret == NULL)
    return customize_op_error (c, _("no --sm-credentials"));
  user = strndup (cred->arg, strcspn (cred->arg, ":"));
  if (user == NULL || (quser = customize_shell_quote (user)) == NULL ||
      (qpass = customize_shell_quote (cred->secret)) == NULL ||
      asprintf (&cmd, SM " register --username=%s --password=%s", quser,
                qpass) == -1) {
    cmd = NULL;
    return customize_op_error (c, "%s", strerror (ENOMEM));
  }
  return run_sm (c, cmd, 1);
}

int
customize_sm_attach (struct customize_ctx *c)
{
  const char *arg = c->op->arg;
  const char *pool = c->op->secret ? c->op->secret : after_kind (arg, "pool");
  CLEANUP_FREE char *q = NULL, *cmd = NULL;

  if (strcmp (arg, "auto") == 0)
    return run_sm (c, SM " attach --auto", 0);
  if ((q = customize_shell_quote (pool)) == NULL ||
      asprintf (&cmd, SM " attach --pool=%s", q) == -1) {
    cmd = NULL;
    return customize_op_error (c, "%s", strerror (ENOMEM));
  }
  return run_sm (c, cmd, 0);
}

int
customize_sm_remove (struct customize_ctx *c)
{
  return run_sm (c, SM " remove --all", 0);
}

int
customize_sm_unregister (struct customize_ctx *c)
{
  return run_sm (c, SM " unregister", 0);
}
