# SPDX-License-Identifier: GPL-2.0-or-later
# Emits the daemon side: prototypes of the hand-written do_<action> bodies
# and the dispatcher that decodes each call, checks and translates its
# arguments, calls the body and encodes the reply.

from emit_common import (HEADER, c_params, call_names, ret_ctype, err_value,
                         fn_decl, proc_const, struct_defs, wire_put_field,
                         struct_owned_fields, c_string)


def do_params(a):
    ps = []
    for x in a.args:
        if x.kind in ("FileIn", "FileOut"):
            continue
        if x.kind == "BufferIn":
            ps += ["const char *%s" % x.name, "size_t %s_size" % x.name]
        else:
            ps.append("%s%s" % (x.ctype(), x.name))
    if a.ret.kind == "RBufferOut":
        ps.append("size_t *size_r")
    if a.optargs:
        ps.append("uint64_t optmask")
        ps += ["%s%s" % (o.ctype(), o.name) for o in a.optargs]
    return ps or ["void"]


def daemon_actions(A):
    return [a for a in A.actions if a.side == "daemon"]


def emit_header(A):
    out = [HEADER, "#ifndef DRYDOCK_DAEMON_ACTIONS_GEN_H\n"
           "#define DRYDOCK_DAEMON_ACTIONS_GEN_H\n\n#include <stddef.h>\n"
           "#include <stdint.h>\n\n", struct_defs(A.structs, "drydock_")]
    out.append("/* Each do_<action> replies with an error itself (reply_with_error\n"
               " * and friends) and returns the error value; on success it returns\n"
               " * the result, which the dispatcher encodes and frees. */\n")
    for a in daemon_actions(A):
        for i, o in enumerate(a.optargs):
            out.append("#define OPT_%s_%s (UINT64_C(1) << %d)\n"
                       % (a.name.upper(), o.name.upper(), i))
        out.append("extern %s;\n" % fn_decl(ret_ctype(a.ret), "do_" + a.name, do_params(a)))
    out.append("\nextern void dispatch_call (uint32_t proc, struct wire_reader *r);\n")
    out.append(groups_header(A))
    out.append("\n#endif\n")
    return "".join(out)


def optgroups(A):
    return getattr(A, "optgroups", [])


def sorted_groups(A):
    return sorted(optgroups(A), key=lambda g: g.name)


def group_const(g):
    return "OPTGROUP_" + g.name.upper()


def group_of(A):
    return {n: g for g in optgroups(A) for n in g.actions}


def groups_header(A):
    gs = sorted_groups(A)
    out = ["\n/* Optional groups: each optgroup_<name>_available returns 1 when\n"
           " * the appliance has what the group needs, 0 when it has not.  It\n"
           " * never replies.  optgroups[] is sorted by name; OPTGROUP_<NAME>\n"
           " * is a group's index there. */\n"
           "struct optgroup {\n  const char *name;\n"
           "  const char *needs;           /* what the group needs, for errors */\n"
           "  int (*available) (void);\n};\n"
           "extern const struct optgroup optgroups[];\n"
           "extern const size_t n_optgroups;\n"
           "#define N_OPTGROUPS %d\n" % len(gs)]
    for i, g in enumerate(gs):
        out.append("#define %s %d\n" % (group_const(g), i))
    for g in optgroups(A):
        out.append("extern int optgroup_%s_available (void);\n" % g.name)
    out.append("\n/* Whether group I (OPTGROUP_<NAME>) is in the appliance: its probe,\n"
               " * run once per daemon (the appliance does not change).  1 or 0. */\n"
               "extern int optgroup_available (size_t i);\n"
               "/* The dispatcher's gate of the actions of group I: 0 if it is\n"
               " * available, else -1 after replying ENOTSUP \"not available in\n"
               " * this appliance (group NAME: needs ...)\". */\n"
               "extern int need_optgroup (size_t i);\n")
    return "".join(out)


def group_needs(g):
    """A group's doc as the end of the error: "needs DOC" without its
    final period."""
    return " ".join(g.doc.split()).rstrip(".")


def groups_table(A):
    out = ["const struct optgroup optgroups[] = {\n"]
    for g in sorted_groups(A):
        out.append('  { "%s", %s,\n    optgroup_%s_available },\n'
                   % (g.name, c_string(group_needs(g)), g.name))
    if not optgroups(A):
        out.append("  { NULL, NULL, NULL },\n")
    out.append("};\nconst size_t n_optgroups = %d;\n\n" % len(optgroups(A)))
    return "".join(out)


def decode_arg(x):
    k = x.kind
    if k == "OptString":
        return "  if (wire_get_u32 (r))\n    %s = wire_get_string (r);\n" % x.name
    if k in ("Device", "Mountable", "Pathname", "String", "Key"):
        return "  %s = wire_get_string (r);\n" % x.name
    if k == "StringList":
        return "  %s = wire_get_string_list (r);\n" % x.name
    if k == "Bool":
        return "  %s = wire_get_u32 (r) != 0;\n" % x.name
    if k == "Int":
        return "  %s = wire_get_i32 (r);\n" % x.name
    if k == "Int64":
        return "  %s = wire_get_i64 (r);\n" % x.name
    if k == "BufferIn":
        return "  %s = wire_get_buffer (r, &%s_size);\n" % (x.name, x.name)
    return ""


def decl_arg(x):
    k = x.kind
    if k == "OptString":
        return "  char *%s = NULL;\n" % x.name
    if k in ("Device", "Mountable", "Pathname", "String", "Key"):
        return "  char *%s = NULL;\n" % x.name + \
            ("  char *%s_dev = NULL;\n" % x.name if k in ("Device", "Mountable") else "")
    if k == "StringList":
        return "  char **%s = NULL;\n" % x.name
    if k in ("Bool", "Int"):
        return "  int %s = 0;\n" % x.name
    if k == "Int64":
        return "  int64_t %s = 0;\n" % x.name
    if k == "BufferIn":
        return "  char *%s = NULL;\n  size_t %s_size = 0;\n" % (x.name, x.name)
    return ""


def free_arg(x):
    k = x.kind
    if k in ("Device", "Mountable"):
        return "  free (%s);\n  free (%s_dev);\n" % (x.name, x.name)
    if k in ("Pathname", "String", "BufferIn", "OptString"):
        return "  free (%s);\n" % x.name
    if k == "Key":
        return "  free_key (%s);\n" % x.name
    if k == "StringList":
        return "  free_string_list (%s);\n" % x.name
    return ""


def opt_decl(o):
    if o.kind in ("OBool", "OInt"):
        return "  int opt_%s = 0;\n" % o.name
    if o.kind == "OInt64":
        return "  int64_t opt_%s = 0;\n" % o.name
    if o.kind == "OString":
        return "  char *opt_%s = NULL;\n" % o.name
    return "  char **opt_%s = NULL;\n" % o.name


def opt_decode(a, i, o):
    get = {"OBool": "wire_get_u32 (r) != 0", "OInt": "wire_get_i32 (r)",
           "OInt64": "wire_get_i64 (r)", "OString": "wire_get_string (r)",
           "OStringList": "wire_get_string_list (r)"}[o.kind]
    return "  if (optmask & OPT_%s_%s)\n    opt_%s = %s;\n" % (
        a.name.upper(), o.name.upper(), o.name, get)


def opt_free(o):
    if o.kind == "OString":
        return "  free (opt_%s);\n" % o.name
    if o.kind == "OStringList":
        return "  free_string_list (opt_%s);\n" % o.name
    return ""


def encode_ret(a):
    k = a.ret.kind
    dev = a.ret.devices
    if k == "RErr":
        return ""
    if k in ("RInt", "RBool"):
        return "  wire_put_i32 (&w, ret);\n"
    if k == "RInt64":
        return "  wire_put_i64 (&w, ret);\n"
    if k == "RString":
        s = "  ret = map_device_to_api (ret);\n" if dev else ""
        return s + "  wire_put_string (&w, ret);\n"
    if k == "RStringList":
        s = "  map_devices_to_api (ret, 1);\n" if dev else ""
        return s + "  wire_put_string_list (&w, ret);\n"
    if k == "RHashtable":
        s = "  map_devices_to_api (ret, 2);\n" if dev else ""
        return s + "  wire_put_string_list (&w, ret);\n"
    if k == "RBufferOut":
        return "  wire_put_bytes (&w, ret, size);\n"
    if k == "RStruct":
        return "  encode_%s (&w, ret);\n" % a.ret.struct
    if k == "RStructList":
        return ("  wire_put_u32 (&w, ret->len);\n"
                "  for (uint32_t i = 0; i < ret->len; ++i)\n"
                "    encode_%s (&w, &ret->val[i]);\n" % a.ret.struct)
    raise ValueError(k)


def free_ret(a):
    k = a.ret.kind
    if k in ("RString", "RBufferOut", "RStruct"):
        return "  free (ret);\n"
    if k in ("RStringList", "RHashtable"):
        return "  free_string_list (ret);\n"
    if k == "RStructList":
        s = a.ret.struct
        return "  free_%s_list (ret);\n" % s
    return ""


def decode_prologue(a, has_in):
    """The declarations and decoding of a's arguments and optional
    arguments, shared by the dispatcher and the fuzzing decoder."""
    out = [decl_arg(x) for x in a.args]
    if a.optargs:
        out.append("  uint64_t optmask = 0;\n")
        out += [opt_decl(o) for o in a.optargs]
    out.append("\n")
    if has_in:
        out.append("  filein_pending = 1;\n")
    out += [decode_arg(x) for x in a.args]
    if a.optargs:
        out.append("  optmask = wire_get_u64 (r);\n")
        out.append("  if (optmask >> %d)\n    r->err = 1;\n" % len(a.optargs))
        for i, o in enumerate(a.optargs):
            out.append(opt_decode(a, i, o))
    return out


def dispatcher(a, group=None):
    rt = ret_ctype(a.ret)
    out = ["static void\ndispatch_%s (struct wire_reader *r)\n{\n" % a.name]
    out.append("  struct wire_buf w = WIRE_BUF_INIT;\n")
    out.append("  %s%sret;\n" % (rt, "" if rt.endswith("*") else " "))
    if a.ret.kind == "RBufferOut":
        out.append("  size_t size = 0;\n")
    has_in = any(x.kind == "FileIn" for x in a.args)
    out += decode_prologue(a, has_in)
    out.append('  if (wire_reader_finish (r) == -1) {\n'
               '    reply_with_error_errno (EINVAL, "malformed arguments");\n'
               '    goto out;\n  }\n')
    if group:
        out.append("  if (need_optgroup (%s) == -1)\n    goto out;\n"
                   % group_const(group))
    for x in a.args:
        if x.kind in ("Device", "Mountable"):
            out.append('  if ((%s_dev = %s ("%s", %s)) == NULL)\n'
                       '    goto out;\n'
                       % (x.name, "resolve_device" if x.kind == "Device"
                          else "resolve_mountable", a.name, x.name))
        elif x.kind == "Pathname":
            out.append('  if (check_path ("%s", %s) == -1)\n    goto out;\n'
                       % (a.name, x.name))
    callargs = []
    for x in a.args:
        if x.kind in ("FileIn", "FileOut"):
            continue
        if x.kind in ("Device", "Mountable"):
            callargs.append(x.name + "_dev")
        elif x.kind == "BufferIn":
            callargs += [x.name, x.name + "_size"]
        else:
            callargs.append(x.name)
    if a.ret.kind == "RBufferOut":
        callargs.append("&size")
    if a.optargs:
        callargs.append("optmask")
        callargs += ["opt_" + o.name for o in a.optargs]
    out.append("  ret = do_%s (%s);\n" % (a.name, ", ".join(callargs)))
    out.append("  if (ret == %s)\n    goto out;\n" % err_value(a.ret))
    out.append(encode_ret(a))
    out.append(free_ret(a))
    out.append("  reply_ok (&w);\n")
    out.append(" out:\n")
    if has_in:
        out.append("  if (filein_pending)\n    drain_filein ();\n")
    out.append("  wire_buf_free (&w);\n")
    for x in a.args:
        out.append(free_arg(x))
    for o in a.optargs:
        out.append(opt_free(o))
    out.append("}\n\n")
    return "".join(out)


def decode_args(a):
    """The argument decoding of dispatcher(a) (the same emitted code) and
    no more: the call's file stream is drained, the action never runs."""
    has_in = any(x.kind == "FileIn" for x in a.args)
    out = ["static int\nargs_%s (struct wire_reader *r)\n{\n" % a.name]
    out.append("  int ret;\n")
    out += decode_prologue(a, has_in)
    out.append("  ret = wire_reader_finish (r);\n")
    for x in a.args:
        if x.kind in ("Bool", "Int", "Int64"):
            out.append("  (void) %s;\n" % x.name)
    for o in a.optargs:
        if o.kind in ("OBool", "OInt", "OInt64"):
            out.append("  (void) opt_%s;\n" % o.name)
    if has_in:
        out.append("  if (filein_pending)\n    drain_filein ();\n")
    for x in a.args:
        out.append(free_arg(x))
    for o in a.optargs:
        out.append(opt_free(o))
    out.append("  return ret;\n}\n\n")
    return "".join(out)


def fuzz_dispatch(A):
    """For tests/fuzz/fuzz-args.c, which compiles this file with
    DRYDOCK_FUZZ_ARGS defined: every action's argument decoder on its
    own, a table of them and a dispatch_call that decodes and replies
    without calling any do_<action>."""
    acts = daemon_actions(A)
    out = [decode_args(a) for a in acts]
    out.append("const struct wire_decoder daemon_arg_decoders[] = {\n")
    for a in acts:
        out.append('  { "%s", %s, args_%s },\n' % (a.name, proc_const(a), a.name))
    out.append("};\nconst size_t daemon_n_arg_decoders = %d;\n\n" % len(acts))
    out.append("void\ndispatch_call (uint32_t proc, struct wire_reader *r)\n{\n"
               "  struct wire_buf w = WIRE_BUF_INIT;\n\n"
               "  for (size_t i = 0; i < daemon_n_arg_decoders; ++i)\n"
               "    if (daemon_arg_decoders[i].proc == proc) {\n"
               "      if (daemon_arg_decoders[i].decode (r) == -1)\n"
               '        reply_with_error_errno (EINVAL, "malformed arguments");\n'
               "      else\n        reply_ok (&w);\n"
               "      return;\n    }\n"
               '  reply_with_error_errno (ENOTSUP, "unknown procedure %u", proc);\n'
               "}\n")
    return "".join(out)


def struct_encoders(A):
    out = []
    for s in A.structs:
        out.append("static void __attribute__((unused))\n"
                   "encode_%s (struct wire_buf *w, const struct drydock_%s *v)\n{\n"
                   % (s.name, s.name))
        for fname, kind in s.fields:
            out.append("  %s\n" % wire_put_field(kind, "v->" + fname))
        out.append("}\n\n")
        strs = struct_owned_fields(s)
        out.append("static void __attribute__((unused))\n"
                   "free_%s_list (struct drydock_%s_list *l)\n{\n"
                   "  if (l == NULL)\n    return;\n" % (s.name, s.name))
        if strs:
            out.append("  for (uint32_t i = 0; i < l->len; ++i) {\n")
            for f in strs:
                out.append("    free (l->val[i].%s);\n" % f)
            out.append("  }\n")
        out.append("  free (l->val);\n  free (l);\n}\n\n")
    return "".join(out)


def emit_dispatch(A):
    out = [HEADER, "#include <config.h>\n\n#include <errno.h>\n#include <stdint.h>\n"
           "#include <stdlib.h>\n\n#include \"wire.h\"\n#include \"procs-gen.h\"\n"
           "#include \"daemon.h\"\n#include \"actions-gen.h\"\n\n"]
    out.append("#ifdef DRYDOCK_FUZZ_ARGS\n")
    out.append(fuzz_dispatch(A))
    out.append("#else\n\n")
    out.append(struct_encoders(A))
    out.append(groups_table(A))
    groups = group_of(A)
    for a in daemon_actions(A):
        out.append(dispatcher(a, groups.get(a.name)))
    out.append("void\ndispatch_call (uint32_t proc, struct wire_reader *r)\n{\n"
               "  switch (proc) {\n")
    for a in daemon_actions(A):
        out.append("  case %s:\n    dispatch_%s (r);\n    break;\n" % (proc_const(a), a.name))
    out.append('  default:\n    reply_with_error_errno (ENOTSUP, '
               '"unknown procedure %u", proc);\n  }\n}\n')
    out.append("#endif /* !DRYDOCK_FUZZ_ARGS */\n")
    return "".join(out)


def emit(A):
    return {
        "daemon/actions-gen.h": emit_header(A),
        "daemon/dispatch-gen.c": emit_dispatch(A),
    }


_ = (c_params, call_names)
