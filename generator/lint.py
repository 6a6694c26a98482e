# SPDX-License-Identifier: GPL-2.0-or-later
# The checks of the action table, run before anything is emitted: a
# record that would make an emitter write code that does not compile,
# a binding that cannot be called, or docs that do not format is
# refused here with one line naming the record and the rule.
# lint(actions, groups) returns the list of violations (empty when the
# table is sound); generate.py stops the build on the first.
# generator/test-lint.py feeds it bad records.

import keyword
import os
import re

from defs import STATES

# The locals and parameters of the generated C functions that an
# argument's name must not shadow: the library's wrappers (actions-gen.c),
# the daemon's dispatchers (dispatch-gen.c) and the shell's runners
# (cmds-gen.c).
C_LOCALS = {
    "h", "r", "ret", "args", "optargs", "tr", "rep", "w", "o", "i",
    "optmask", "cmd", "argc", "argv", "filein_pending", "handled",
}
# ... and those of an action returning a buffer (RBufferOut).
C_LOCALS_BUFFER = {"size", "size_r"}

C_KEYWORDS = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if",
    "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
    "unsigned", "void", "volatile", "while", "bool", "true", "false",
    "alignas", "alignof", "asm", "typeof", "errno", "NULL",
}

SHELL_KEYWORDS = {
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select",
    "while", "until", "do", "done", "in", "function", "time", "coproc",
}

# Commands of `drydock shell` that are not actions: those shell/local.c
# declares with LOCAL and LOCAL_ALIAS.
def shell_local_commands():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "shell", "local.c")) as f:
        text = f.read()
    return {n.replace("-", "_")
            for n in re.findall(r'\bLOCAL(?:_ALIAS)? \("([^"]+)"', text)}


# The actions whose shell command is the shell's own, on purpose (it
# takes several local paths).
SHELL_OVERRIDES = {"copy_in", "copy_out"}
SHELL_LOCAL = shell_local_commands() - SHELL_OVERRIDES

NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
C_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ACTION_RE = re.compile(r"[a-z][a-zA-Z0-9_]*")
# Proper names a shortdesc may start with.
PROPER = {"Windows", "Linux", "Augeas", "Btrfs", "Unix", "SELinux", "Sleuth"}
VERSION_RE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")


def check_name(what, name, c_locals=()):
    """The violations of one identifier: an action's name (letters,
    digits and _, starting lower-case: mkswap_L), or an argument's
    (lower-case, and not one of C_LOCALS)."""
    out = []
    if not (ACTION_RE if not c_locals else NAME_RE).fullmatch(name):
        out.append("%s: %s" % (what, "lower-case letters, digits and _ only"
                               if c_locals else
                               "letters, digits and _, starting lower-case"))
    # (Soft keywords, match or type, are good parameter names.)
    if keyword.iskeyword(name):
        out.append("%s: a Python keyword" % what)
    if name in C_KEYWORDS:
        out.append("%s: a C keyword" % what)
    if name in SHELL_KEYWORDS:
        out.append("%s: a shell keyword" % what)
    if name in c_locals:
        out.append("%s: clashes with a local of the generated C" % what)
    return out


def check_args(a):
    out = []
    seen = set()
    c_locals = C_LOCALS | (C_LOCALS_BUFFER if a.ret.kind == "RBufferOut" else set())
    for x in a.args:
        out += check_name("%s: argument %s" % (a.name, x.name), x.name, c_locals)
        if x.name in seen:
            out.append("%s: argument %s given twice" % (a.name, x.name))
        seen.add(x.name)
    for x in a.args:
        # The dispatcher's and the wrappers' derived names.
        for suffix in ("_dev", "_size"):
            if x.name + suffix in seen:
                out.append("%s: argument %s clashes with %s%s" % (
                    a.name, x.name + suffix, x.name, suffix))
    for o in a.optargs:
        out += check_name("%s: optional argument %s" % (a.name, o.name),
                          o.name, c_locals)
        # The dispatcher's local of an optional argument.
        if "opt_" + o.name in seen:
            out.append("%s: argument opt_%s clashes with the optional "
                       "argument %s" % (a.name, o.name, o.name))
        if o.name in seen:
            out.append("%s: optional argument %s clashes with an argument "
                       "or an optional argument" % (a.name, o.name))
        seen.add(o.name)
    if sum(1 for x in a.args if x.kind in ("FileIn", "FileOut")) > 1:
        out.append("%s: at most one stream argument" % a.name)
    if len(a.optargs) > 64:
        out.append("%s: more than 64 optional arguments" % a.name)
    if a.direct and (a.side != "daemon" or a.optargs):
        out.append("%s: direct is for daemon actions without optional "
                   "arguments" % a.name)
    return out


def check_handle_bool(a, byname):
    """A plain boolean property (handle_bool): a set_X and get_X pair of
    library actions, one Bool argument and RErr, no arguments and RBool,
    both naming the same field, a C identifier."""
    field = a.handle_bool
    if not field:
        return []
    out = []
    if not C_IDENT_RE.fullmatch(field) or field in C_KEYWORDS:
        out.append("%s: handle_bool %r is not a C identifier" % (a.name, field))
    setter = a.name.startswith("set_") and a.ret.kind == "RErr" and \
        len(a.args) == 1 and a.args[0].kind == "Bool"
    getter = a.name.startswith("get_") and a.ret.kind == "RBool" and not a.args
    if a.side != "library" or a.optargs or not (setter or getter):
        out.append("%s: handle_bool is for library actions set_X (one Bool, "
                   "RErr) and get_X (no arguments, RBool)" % a.name)
        return out
    pair = ("get_" if setter else "set_") + a.name[len("set_"):]
    if pair not in byname or byname[pair].handle_bool != field:
        out.append("%s: handle_bool %s, but %s is not handle_bool %s"
                   % (a.name, field, pair, field))
    return out


def check_proc(a, procs):
    if a.side == "daemon":
        if a.proc <= 0:
            return ["%s: daemon actions need a positive proc number" % a.name]
        if a.proc in procs:
            return ["%s: proc %d is also %s's" % (a.name, a.proc, procs[a.proc])]
        procs[a.proc] = a.name
    elif a.side == "library":
        if a.proc != 0:
            return ["%s: library actions have proc 0" % a.name]
    else:
        return ["%s: side is daemon or library, not %s" % (a.name, a.side)]
    return []


def check_shortdesc(a):
    s = a.shortdesc
    out = []
    if not s:
        return ["%s: no shortdesc" % a.name]
    if s.endswith("."):
        out.append("%s: shortdesc ends with a period" % a.name)
    first = s.split()[0]
    if s[0].isupper() and not first.isupper() and first not in PROPER:
        out.append("%s: shortdesc starts with a capital" % a.name)
    if "\n" in s:
        out.append("%s: shortdesc is one line" % a.name)
    return out


def check_longdesc(a):
    """What docs/ and the shell's help need of the plain text: no tabs
    (verbatim paragraphs are indented with spaces), no POD codes (the
    text is escaped, they would be printed as they are), no blank-only
    lines with spaces (they do not end a paragraph)."""
    d = a.longdesc
    out = []
    if not d.strip():
        return ["%s: no longdesc" % a.name]
    if "\t" in d:
        out.append("%s: longdesc has a tab" % a.name)
    if re.search(r"\b[BCEFILSXZ]<", d):
        out.append("%s: longdesc has a POD code (write plain text)" % a.name)
    if re.search(r"\n[ ]+\n", d):
        out.append("%s: longdesc has a line of spaces" % a.name)
    if d.count("`") % 2:
        out.append("%s: longdesc has an unbalanced `" % a.name)
    return out


def check_optargs_documented(a):
    """From issue 14 on (daemon actions with proc 600 and more), the
    longdesc names every optional argument (as FORCE, or force)."""
    if a.side != "daemon" or a.proc < 600:
        return []
    return ["%s: longdesc does not say what %s does" % (a.name, o.name.upper())
            for o in a.optargs
            if not re.search(r"\b%s\b" % re.escape(o.name), a.longdesc, re.I)]


def check_states(a):
    out = []
    for s in a.allowed_states():
        if s not in STATES:
            out.append("%s: unknown state %s (%s)" % (a.name, s, ", ".join(STATES)))
    if a.side == "daemon" and a.allowed_states() != ["launched"]:
        out.append("%s: daemon actions are called in the launched state only"
                   % a.name)
    if not VERSION_RE.fullmatch(a.added or ""):
        out.append("%s: added is a version MAJOR.MINOR.MICRO, not %r"
                   % (a.name, a.added))
    return out


def lint(actions, groups):
    """Every violation of the table's rules, as one-line messages."""
    out = []
    names = {}
    procs = {}
    for a in actions:
        out += check_name(a.name, a.name)
        if a.name.startswith("internal_"):
            pass
        elif a.name in SHELL_LOCAL:
            out.append("%s: a command of the shell itself" % a.name)
        if a.name in names:
            out.append("%s: %s" % (a.name, names[a.name]))
        names[a.name] = "an action of that name exists"
        out += check_proc(a, procs)
        out += check_args(a)
        out += check_shortdesc(a)
        out += check_longdesc(a)
        out += check_optargs_documented(a)
        out += check_states(a)
    for a in actions:
        for x in a.aliases:
            out += check_name("%s: alias %s" % (a.name, x), x)
            if x in names:
                out.append("%s: alias %s: %s" % (a.name, x, names[x]))
            names[x] = "the alias of %s has that name" % a.name
    byname = {a.name: a for a in actions}
    for a in actions:
        out += check_handle_bool(a, byname)
        if a.deprecated_by and a.deprecated_by not in byname:
            out.append("%s: deprecated_by: no action %s" % (a.name, a.deprecated_by))
        elif a.deprecated_by and byname[a.deprecated_by].deprecated_by:
            out.append("%s: deprecated_by %s, deprecated itself"
                       % (a.name, a.deprecated_by))
    in_group = {}
    for g in groups:
        if not re.fullmatch(r"[a-z0-9]+", g.name):
            out.append("group %s: lower-case letters and digits" % g.name)
        if not g.doc.strip() or "\n" in g.doc.strip():
            out.append("group %s: doc is one line" % g.name)
        for n in g.actions:
            if n not in byname:
                out.append("group %s: no action %s" % (g.name, n))
                continue
            if byname[n].side != "daemon":
                out.append("group %s: %s: only daemon actions are in groups"
                           % (g.name, n))
            if n in in_group:
                out.append("%s is in groups %s and %s" % (n, in_group[n], g.name))
            in_group[n] = g.name
    return out
