# SPDX-License-Identifier: GPL-2.0-or-later
# Emits the API reference from the action table, twice: as Markdown
# (docs/drydock-actions.md) and as the POD of the drydock(3) man page
# (docs/drydock-api.pod, which docs/ turns into drydock.3).  Both list
# every action with its C prototype, its shell form, its optional
# arguments and its description; the man page adds the handle's life,
# errors, optional arguments, memory and events, written here once.

import re
import sys

from emit_common import c_params, ret_ctype, fn_decl
from emit_shell import usage


def ret_doc(a):
    k = a.ret.kind
    return {
        "RErr": "0 on success, -1 on error.",
        "RInt": "the number, or -1 on error.",
        "RInt64": "the number, or -1 on error.",
        "RBool": "1 (true) or 0 (false), or -1 on error.",
        "RString": "a string the caller frees, or NULL on error.",
        "RStringList": "a NULL-terminated list the caller frees with "
                       "drydock_free_string_list, or NULL on error.",
        "RHashtable": "a NULL-terminated list of key, value, key, value ... "
                      "freed with drydock_free_string_list, or NULL on error.",
        "RBufferOut": "a buffer (its length in *size_r) the caller frees, or "
                      "NULL on error.",
        "RStruct": "a struct freed with drydock_free_%s, or NULL on error." % a.ret.struct,
        "RStructList": "a list freed with drydock_free_%s_list, or NULL on error."
                       % a.ret.struct,
    }[k]


def emit_markdown(A):
    out = ["# drydock API reference\n\n",
           "Generated from the action table (`generator/actions*.py`).  Every action is a C call\n"
           "`drydock_NAME` in `<drydock.h>` and a command `NAME` in `drydock shell`\n"
           "(`-` and `_` are interchangeable there).  Errors set the handle's last\n"
           "error (`drydock_last_error`, `drydock_last_errno`), prefixed with the\n"
           "action's name.  Actions with optional arguments also have\n"
           "`drydock_NAME_opts (h, ..., OPT, value, ..., -1)`, `_opts_va` and\n"
           "`_opts_argv`; in the shell they are written `name:value`.\n\n"]
    groups = sorted(getattr(A, "optgroups", []), key=lambda g: g.name)
    in_group = {n: g.name for g in groups for n in g.actions}
    if groups:
        out.append("## Optional groups\n\n"
                   "Parts of the API that work only when the appliance has what\n"
                   "they need; `available`, `feature_available` and\n"
                   "`available_all_groups` ask the appliance.  An action of a\n"
                   "group the appliance lacks fails with `ENOTSUP` and the message\n"
                   "\"ACTION: not available in this appliance (group GROUP: needs\n"
                   "...)\", whatever its arguments.\n\n")
        for g in groups:
            out.append("- `%s`: %s" % (g.name, g.doc))
            if g.actions:
                out.append("  Actions: %s." % ", ".join("`%s`" % n for n in g.actions))
            out.append("\n")
        out.append("\n")
    for s in A.structs:
        out.append("## struct drydock_%s\n\n%s\n\n" % (s.name, s.doc))
        for f, k in s.fields:
            out.append("- `%s` (%s)\n" % (f, k))
        out.append("\n")
    for a in sorted(A.actions, key=lambda a: a.name):
        if a.name.startswith("internal_"):
            continue
        out.append("## %s\n\n%s.\n\n" % (a.name, a.shortdesc[0].upper() + a.shortdesc[1:]))
        if a.deprecated_by:
            out.append("**Deprecated:** use [`%s`](#%s) instead.\n\n"
                       % (a.deprecated_by, a.deprecated_by))
        out.append("```c\n%s;\n```\n\n" % fn_decl(ret_ctype(a.ret), a.c_function(),
                                                   ["drydock_h *h"] + c_params(a)))
        out.append("Shell: `%s`\n\n" % usage(a))
        if a.aliases:
            out.append("Also: %s\n\n" % ", ".join("`%s`" % x for x in a.aliases))
        out.append("%s\n\n" % a.longdesc)
        if a.example:
            out.append("Example (shell):\n\n    %s\n\n" % a.example)
        if a.optargs:
            out.append("Optional arguments: %s.\n\n" %
                       ", ".join("`%s` (%s)" % (o.name, o.kind[1:]) for o in a.optargs))
        if a.name in in_group:
            out.append("Optional group: `%s` (see `available`).\n\n" % in_group[a.name])
        out.append("Returns %s\n\n" % ret_doc(a))
        out.append("%s\n\n" % states_doc(a))
        out.append("Added in %s.\n\n" % a.added)
        if a.protocol_limit:
            out.append("The result must fit in one protocol message (4 MiB).\n\n")
    return {"docs/drydock-actions.md": "".join(out)}


def states_doc(a):
    """When the action may be called (defs.STATES), one sentence."""
    states = a.allowed_states()
    if states == ["launched"]:
        return "It needs the appliance: call it after `launch`."
    if states == ["config"]:
        return "Call it before `launch` only (in the config state)."
    return "It does not need the appliance: call it at any time."


# ---- the drydock(3) man page, in POD ----

def pod_escape(s):
    return re.sub(r"[<>]", lambda m: "E<lt>" if m.group() == "<" else "E<gt>", s)


def pod_ordinary(lines, names):
    """One ordinary paragraph: escaped, the action's argument names
    (written in upper case in the table) in italics."""
    text = pod_escape(" ".join(x.strip() for x in lines))
    if names:
        text = re.sub(r"\b(%s)\b" % "|".join(sorted(names, key=len, reverse=True)),
                      r"I<\1>", text)
    if text.startswith("="):
        text = "Z<>" + text
    return text


def pod_paragraphs(text, names=()):
    """The table's plain text as POD paragraphs: blank lines separate
    paragraphs, lines starting with "- " are list items (indented lines
    after one continue it), a paragraph starting indented is verbatim."""
    out = []
    for para in text.strip().split("\n\n"):
        lines = para.rstrip("\n").split("\n")
        if lines[0][:1] in (" ", "\t"):
            out.append("\n".join(x if x[:1] in (" ", "\t") else " " + x for x in lines))
            continue
        first = next((i for i, x in enumerate(lines) if x.startswith("- ")), None)
        if first is None:
            out.append(pod_ordinary(lines, names))
            continue
        if first > 0:
            out.append(pod_ordinary(lines[:first], names))
        out.append("=over 2")
        item = []
        for x in lines[first:] + ["- "]:
            if x.startswith("- ") and item:
                out.append("=item *")
                out.append(pod_ordinary(item, names))
                item = []
            item.append(x[2:] if x.startswith("- ") else x)
        out.append("=back")
    return out


def wrap_decl(decl, width=72):
    """A C declaration cut after commas, continuation lines aligned
    after the opening parenthesis (a verbatim paragraph: one space in
    front of each line)."""
    if len(decl) + 1 <= width:
        return " " + decl
    head, _, rest = decl.partition("(")
    params = rest[:-2].split(", ")
    indent = " " * (len(head) + 2)
    lines, cur = [], " " + head + "("
    for i, p in enumerate(params):
        piece = p + (", " if i + 1 < len(params) else ");")
        if len(cur) + len(piece.rstrip()) > width and not cur.endswith("("):
            lines.append(cur.rstrip())
            cur = indent
        cur += piece
    lines.append(cur.rstrip())
    return "\n".join(lines)


def pod_prototypes(a):
    rt = ret_ctype(a.ret)
    params = ["drydock_h *h"] + c_params(a)
    decls = [fn_decl(rt, a.c_function(), params)]
    if a.optargs:
        decls += [fn_decl(rt, "drydock_%s_opts" % a.name, params + ["..."]),
                  fn_decl(rt, "drydock_%s_opts_va" % a.name, params + ["va_list args"]),
                  fn_decl(rt, "drydock_%s_opts_argv" % a.name, params +
                          ["const struct drydock_%s_opts_argv *optargs" % a.name])]
    return "\n".join(wrap_decl(d + ";") for d in decls)


def pod_action(a, group):
    names = [x.name.upper() for x in a.args] + [o.name.upper() for o in a.optargs]
    out = ["=head2 %s" % a.c_function(), pod_prototypes(a),
           pod_escape(a.shortdesc[0].upper() + a.shortdesc[1:]) + "."]
    out += pod_paragraphs(a.longdesc, names)
    if a.optargs:
        up = a.name.upper()
        out.append("Optional arguments, given to C<drydock_%s_opts> as index,\n"
                   "value pairs ended by -1, or set in the struct with their\n"
                   "bit in C<bitmask> (C<DRYDOCK_%s_OPTS_I<NAME>_BITMASK>):" % (a.name, up))
        consts = ["DRYDOCK_%s_OPTS_%s" % (up, o.name.upper()) for o in a.optargs]
        width = max(len(c) for c in consts)
        out.append("\n".join(" %-*s  %s%s" % (width, c, o.ctype(), o.name)
                             for c, o in zip(consts, a.optargs)))
    out.append("Returns %s" % pod_escape(ret_doc(a)))
    if a.protocol_limit:
        out.append("The result must fit in one protocol message (4 MiB).")
    out.append(states_doc(a).replace("`launch`", "L</drydock_launch>"))
    if a.deprecated_by:
        out.append("I<This function is deprecated.>  Use L</drydock_%s>\n"
                   "instead; the first call on a handle sends a warning event."
                   % a.deprecated_by)
    out.append("(Added in %s.)" % a.added)
    if group:
        out.append("It is in the optional group C<%s> (see L</OPTIONAL GROUPS>)." % group)
    shell = "In L<drydock-shell(1)>: C<%s>" % pod_escape(usage(a))
    if a.aliases:
        shell += " (also %s)" % ", ".join("C<%s>" % x for x in a.aliases)
    out.append(shell + ".")
    if a.example:
        out.append("For example:")
        out.append(" " + a.example)
    return out


POD_HEAD = r"""=encoding utf8

=head1 NAME

drydock - the C library that inspects and modifies virtual machine disk images

=head1 SYNOPSIS

 #include <drydock.h>

 drydock_h *h = drydock_create ();
 if (h == NULL)
   err (1, "drydock_create");
 if (drydock_add_drive_opts (h, "disk.img",
                             DRYDOCK_ADD_DRIVE_OPTS_FORMAT, "raw",
                             DRYDOCK_ADD_DRIVE_OPTS_READONLY, 1, -1) == -1 ||
     drydock_launch (h) == -1 ||
     drydock_mount (h, "/dev/sda1", "/") == -1)
   errx (1, "%s", drydock_last_error (h));
 char *name = drydock_cat (h, "/etc/hostname");
 ...
 free (name);
 drydock_shutdown (h);
 drydock_close (h);

 cc prog.c -o prog `pkg-config --cflags --libs drydock`

=head1 DESCRIPTION

libdrydock reads and changes the content of virtual machine disk
images (raw or qcow2) without booting them and without mounting any of
their filesystems on the host.  It starts a small appliance, a virtual
machine made from the host's own kernel with the daemon drydockd as its
first process, attaches the images to it and asks the daemon to do the
work: mounting guest filesystems, reading and writing files, partitions,
LVM, encrypted volumes, running guest commands, inspecting operating
systems.

Every action below is a C function C<drydock_I<NAME>> declared in
E<lt>drydock.hE<gt> and a command I<NAME> in L<drydock-shell(1)>.
The functions are generated from one table, as is this page.

=head1 THE HANDLE

A handle (C<drydock_h *>) is one session with one appliance.  It goes
through these states, which L</drydock_get_state> numbers:

=over 4

=item C<config> (0)

After L</drydock_create>.  Add the disk images (L</drydock_add_drive>)
and choose the settings (L</drydock_set_memsize>,
L</drydock_set_smp>, L</drydock_set_network>, L</drydock_set_accel>,
L</drydock_set_verbose>, L</drydock_set_trace>).  Drives, memory,
vCPUs, network and accelerator can only be set in this state.

=item C<launching> (1)

During L</drydock_launch>, which creates the overlays, starts qemu and
waits for the daemon to say hello.

=item C<ready> (2)

The appliance runs: every action that needs it may be called, in any
order, as often as wanted.

=item C<done> (4)

After L</drydock_shutdown>, or when the appliance died: only the
calls that do not need the appliance work; close the handle.

=back

L</drydock_close> ends every session, whatever its state: it kills the
appliance if it still runs, discards the overlay of every drive that a
successful shutdown did not settle, and removes the handle's temporary
files.

A handle is not thread-safe: use it from one thread at a time.  A
program may have many handles, each with its own appliance.

=head1 DRIVES AND THE OVERLAY RULE

An image is never written by the appliance.  Each drive is attached
through a qcow2 overlay whose backing file is the image, and the
appliance writes only to the overlay.  What happens to the overlay is
chosen when the drive is added, and done only by a successful
L</drydock_shutdown>:

=over 4

=item discard

The default, and always with C<readonly>: the image is untouched.

=item keep

C<output_overlay:I<FILE>>: the changes are kept in a new qcow2 file
backed by the untouched image.

=item commit

C<commit:true>: the changes are merged into the image.

=back

A session that fails, is killed, or is closed without a successful
shutdown changes no image.  The one exception is C<direct:true>, for
tools that must write in place: the image itself is attached, and
written as the appliance writes.

=head1 ERRORS

A call that fails returns -1 (for calls returning C<int> or
C<int64_t>) or NULL (for calls returning a pointer), and sets the
handle's last error: L</drydock_last_error> gives its message, which
starts with the action's name ("mount: ..."), and
L</drydock_last_errno> the C<errno> value that goes with it, or 0
when none does.  The last error stays until the next call that fails.
The daemon sends an error's C<errno> by name, so the value is the
host's even when the appliance's architecture differs.

Some errors are found before anything is sent to the appliance, and
set C<EINVAL>: a NULL argument where a string is expected, a guest
path that is not absolute, a call that needs the appliance before
L</drydock_launch> ("I<ACTION>: call launch before using this
function") or after L</drydock_shutdown>, a setting changed after the
launch ("I<ACTION>: this function can only be called in the config
state").  Each action below says in which states it may be called.

A deprecated action (each says so, and which action to use instead)
works as before; its first call on a handle sends a warning event
(L</EVENTS>).

The library never prints (unless asked to, see L</EVENTS>) and never
exits.  L</drydock_create> is the one call without a handle to report
to: it returns NULL with C<errno> set.

=head1 OPTIONAL ARGUMENTS

An action with optional arguments comes in four forms.
C<drydock_I<NAME>> takes none of them.  C<drydock_I<NAME>_opts> takes,
after the required arguments, pairs of an index
C<DRYDOCK_I<NAME>_OPTS_I<OPTION>> and a value of the option's type,
ended by -1:

 drydock_umount_opts (h, "/boot", DRYDOCK_UMOUNT_OPTS_FORCE, 1, -1);

C<drydock_I<NAME>_opts_va> takes the same list as a C<va_list>, and
C<drydock_I<NAME>_opts_argv> takes a struct
C<drydock_I<NAME>_opts_argv> holding the values and a C<bitmask> with
the bit C<DRYDOCK_I<NAME>_OPTS_I<OPTION>_BITMASK> set for each value
given.  An unknown index, or one given twice, is an error.  New
optional arguments are only ever added at the end, so programs built
against an older E<lt>drydock.hE<gt> keep working.

In L<drydock-shell(1)> optional arguments are written
I<name>B<:>I<value> after the others (C<umount /boot force:true>).

=head1 MEMORY

What a call returns belongs to the caller: strings and buffers are freed
with L<free(3)>, string lists (NULL-terminated) with
L</drydock_free_string_list>, structs with C<drydock_free_I<STRUCT>> and
lists of structs with C<drydock_free_I<STRUCT>_list>.  A hash table is
a string list of keys and values in turn.  Calls returning a buffer
store its length in C<*size_r>; the buffer may hold any byte.  A string
passed as an argument is copied or used during the call only.

=head1 EVENTS

 #define DRYDOCK_EVENT_CLOSE     0x01  /* the handle is closing */
 #define DRYDOCK_EVENT_PROGRESS  0x02  /* array: proc, serial, position, total */
 #define DRYDOCK_EVENT_APPLIANCE 0x04  /* buf: appliance console output */
 #define DRYDOCK_EVENT_LIBRARY   0x08  /* buf: a debug message */
 #define DRYDOCK_EVENT_TRACE     0x10  /* buf: a traced call or result */
 #define DRYDOCK_EVENT_WARNING   0x20  /* buf: a warning */
 #define DRYDOCK_EVENT_ALL       0x3f

 typedef void (*drydock_event_callback) (drydock_h *h, void *opaque,
                                         uint64_t event, int event_handle,
                                         const char *buf, size_t buf_len,
                                         const uint64_t *array,
                                         size_t array_len);

A program registers a callback for the events it wants with
L</drydock_set_event_callback>.  Debug messages and appliance output
come only with verbose set (L</drydock_set_verbose>, or
C<DRYDOCK_DEBUG>), trace events with trace set
(L</drydock_set_trace>, or C<DRYDOCK_TRACE>).  When no callback takes
the library, trace, appliance or warning events, those that occur go
to standard error: the caller asked for them.  Progress events come
from long actions (copies, trims, zero fills): C<array> holds four
numbers: the procedure, the call's serial number, the position and the
total (0 while it is not known).

=head1 HANDLE FUNCTIONS

=head2 drydock_create

 drydock_h *drydock_create (void);

A new handle in the C<config> state, with its settings read from the
environment (C<DRYDOCK_DEBUG>, C<DRYDOCK_TRACE>, C<DRYDOCK_MEMSIZE>,
C<DRYDOCK_CALL_TIMEOUT>; see L</ENVIRONMENT VARIABLES>).  NULL with
C<errno> set only when out of memory.

=head2 drydock_close

 void drydock_close (drydock_h *h);

Ends the session: kills the appliance if it runs, discards the overlay
of each drive a successful L</drydock_shutdown> did not settle (so
nothing reaches an image), removes the temporary files and frees the
handle.  Accepts NULL.

=head2 drydock_last_error

 const char *drydock_last_error (drydock_h *h);

The message of the last error on I<h>, or NULL if there was none.  The
string belongs to the handle: it stays valid until the next call on
I<h>.

=head2 drydock_last_errno

 int drydock_last_errno (drydock_h *h);

The C<errno> value of the last error on I<h>, or 0 when none applies.

=head2 drydock_free_string_list

 void drydock_free_string_list (char **list);

Frees a NULL-terminated list of strings the library returned, and the
strings.  Accepts NULL.

=head2 drydock_version

 const char *drydock_version (void);

The library's version, such as C<0.1.0>.

=head2 drydock_set_event_callback

 int drydock_set_event_callback (drydock_h *h, drydock_event_callback cb,
                                 uint64_t events, int flags, void *opaque);

Calls I<cb> with I<opaque> for each event in the mask I<events> (see
L</EVENTS>).  I<flags> must be 0.  Returns an event handle (0 or more)
for L</drydock_delete_event_callback>, or -1 on error.

=head2 drydock_delete_event_callback

 void drydock_delete_event_callback (drydock_h *h, int event_handle);

Removes the callback that I<event_handle> names.

"""

POD_TAIL = r"""=head1 ENVIRONMENT VARIABLES

The library reads C<DRYDOCK_DEBUG>, C<DRYDOCK_TRACE>,
C<DRYDOCK_MEMSIZE>, C<DRYDOCK_CALL_TIMEOUT>, C<DRYDOCK_ACCEL>,
C<DRYDOCK_KVM_HELLO_TIMEOUT>, C<DRYDOCK_SNAPSHOT>,
C<DRYDOCK_CACHEDIR> (else C<XDG_CACHE_HOME> or C<HOME>), C<DRYDOCK_QEMU>,
C<DRYDOCK_DAEMON>, C<DRYDOCK_MAKE_APPLIANCE> and C<TMPDIR>;
L<drydock(1)/ENVIRONMENT> describes each.

=head1 SEE ALSO

L<drydock(1)>, L<drydock-shell(1)>, L<drydock-inspect(1)>,
L<drydock-sparsify(1)>, L<drydock-customize(1)>, L<drydock-sysprep(1)>,
L<drydock-python(3)>, L<qemu-img(1)>.
"""


def emit_pod(A):
    groups = sorted(getattr(A, "optgroups", []), key=lambda g: g.name)
    in_group = {n: g.name for g in groups for n in g.actions}
    out = [POD_HEAD.rstrip("\n")]
    out.append("=head1 OPTIONAL GROUPS")
    out.append("Parts of the API work only when the appliance has what they need.\n"
               "L</drydock_available>, L</drydock_feature_available> and\n"
               "L</drydock_available_all_groups> ask the running appliance.\n"
               "An action of a group the appliance lacks fails with C<ENOTSUP>\n"
               "and the one message \"I<ACTION>: not available in this appliance\n"
               "(group I<GROUP>: needs ...)\", whatever its arguments.")
    out.append("=over 4")
    for g in groups:
        out.append("=item C<%s>" % g.name)
        text = pod_escape(g.doc[0].upper() + g.doc[1:])
        if g.actions:
            text += "  Actions: %s." % ", ".join("L</drydock_%s>" % n for n in g.actions)
        out.append(text)
    out.append("=back")
    out.append("=head1 STRUCTURES")
    for s in A.structs:
        out.append("=head2 struct drydock_%s" % s.name)
        out.append(pod_escape(s.doc))
        out.append("\n".join(" " + x if x else "" for x in struct_text(s).split("\n")))
    out.append("=head1 ACTIONS")
    out.append("In alphabetical order.")
    for a in sorted(A.actions, key=lambda a: a.name):
        if not a.name.startswith("internal_"):
            out += pod_action(a, in_group.get(a.name))
    out.append(POD_TAIL.rstrip("\n"))
    return {"docs/drydock-api.pod": "\n\n".join(out) + "\n\n=cut\n"}


def struct_text(s):
    from emit_common import struct_field_members
    lines = ["struct drydock_%s {" % s.name]
    for f, k in s.fields:
        lines += ["  " + m for m in struct_field_members(f, k)]
    lines += ["};", "",
              "struct drydock_%s_list {" % s.name,
              "  uint32_t len;",
              "  struct drydock_%s *val;" % s.name,
              "};", "",
              "void drydock_free_%s (struct drydock_%s *);" % (s.name, s.name),
              "void drydock_free_%s_list (struct drydock_%s_list *);" % (s.name, s.name)]
    return "\n".join(lines)


def absent_actions(A):
    """[(name, reason)] of the guestfs API's names that drydock lacks;
    exits when one has no reason or a reason names an action."""
    import guestfs_names
    from emit_python import compat_names
    _, missing = compat_names(A)
    missing = [n for n in missing if not n.startswith("internal_")]
    why = dict((n, "deprecated in the guestfs API, not provided")
               for n in guestfs_names.deprecated)
    why.update(guestfs_names.absent)
    lacking = [n for n in missing if n not in why]
    stale = [n for n in guestfs_names.absent if n not in missing]
    if lacking or stale:
        sys.exit("generator: guestfs_names.absent: %s" % "; ".join(
            ["%s: no reason given" % n for n in lacking] +
            ["%s: is an action" % n for n in stale]))
    return [(n, why[n]) for n in sorted(missing)]


def emit(A):
    absent = absent_actions(A)
    outputs = emit_markdown(A)
    outputs["docs/drydock-actions.md"] += (
        "# Names of the guestfs API that are not actions here\n\n"
        "Every other action of the guestfs API (release 1.48) has an action\n"
        "of the same name here.\n\n" +
        "".join("- `%s`: %s.\n" % (n, r) for n, r in absent))
    outputs.update(emit_pod(A))
    pod = outputs["docs/drydock-api.pod"]
    section = ("=head1 NAMES OF THE GUESTFS API THAT ARE NOT ACTIONS\n\n"
               "Every other action of the guestfs API (release 1.48) has an "
               "action\nof the same name here.\n\n=over 4\n\n" +
               "".join("=item C<%s>\n\n%s.\n\n" % (n, pod_escape(r))
                       for n, r in absent) +
               "=back\n\n")
    outputs["docs/drydock-api.pod"] = pod.replace(
        "=head1 ENVIRONMENT VARIABLES", section + "=head1 ENVIRONMENT VARIABLES", 1)
    return outputs
