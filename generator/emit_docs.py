# Emits the API reference: every action with its C prototype, its shell
# form, its optional arguments and its description.

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


def emit(A):
    out = ["# drydock API reference\n\n",
           "Generated from `generator/actions.py`.  Every action is a C call\n"
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
                   "`available_all_groups` ask the appliance.\n\n")
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
        out.append("```c\n%s;\n```\n\n" % fn_decl(ret_ctype(a.ret), "drydock_" + a.name,
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
        if a.example:
            out.append("Example: `%s`\n\n" % a.example)
        out.append("Returns %s\n\n" % ret_doc(a))
        if a.protocol_limit:
            out.append("The result must fit in one protocol message (4 MiB).\n\n")
    return {"docs/drydock-actions.md": "".join(out)}
