# SPDX-License-Identifier: GPL-2.0-or-later
# Emits the library side: the action part of <drydock.h>, the public
# wrappers (argument checks, trace, wire encoding, reply decoding), the
# prototypes of the hand-written library-side bodies, and the bodies of
# the plain boolean properties (handle_bool).

import os

from emit_common import (HEADER, c_params, call_names, ret_ctype, err_value,
                         fn_decl, fn_def, proc_const, struct_defs,
                         wire_get_field, c_string,
                         struct_owned_fields)


def opts_struct(a):
    return "struct drydock_%s_opts_argv" % a.name


def header_actions(A):
    out = [struct_defs(A.structs, "drydock_")]
    for s in A.structs:
        out.append("extern void drydock_free_%s (struct drydock_%s *);\n"
                   "extern void drydock_free_%s_list (struct drydock_%s_list *);\n\n"
                   % (s.name, s.name, s.name, s.name))
    for a in A.actions:
        if a.name.startswith("internal_"):
            continue
        rt = ret_ctype(a.ret)
        params = ["drydock_h *h"] + c_params(a)
        out.append("/* %s */\n" % a.shortdesc)
        out.append("extern %s;\n" % fn_decl(rt, a.c_function(), params))
        if a.optargs:
            up = a.name.upper()
            for i, o in enumerate(a.optargs):
                out.append("#define DRYDOCK_%s_OPTS_%s %d\n" % (up, o.name.upper(), i))
                out.append("#define DRYDOCK_%s_OPTS_%s_BITMASK (UINT64_C(1) << %d)\n"
                           % (up, o.name.upper(), i))
            out.append("%s {\n  uint64_t bitmask;\n" % opts_struct(a))
            for o in a.optargs:
                out.append("  %s%s;\n" % (o.ctype(), o.name))
            out.append("};\n")
            out.append("extern %s;\n" % fn_decl(
                rt, "drydock_%s_opts" % a.name, params + ["..."]))
            out.append("extern %s;\n" % fn_decl(
                rt, "drydock_%s_opts_va" % a.name, params + ["va_list args"]))
            out.append("extern %s;\n" % fn_decl(
                rt, "drydock_%s_opts_argv" % a.name,
                params + ["const %s *optargs" % opts_struct(a)]))
        out.append("\n")
    return "".join(out)


def emit_header(A):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "include", "drydock.h.in")) as f:
        tmpl = f.read()
    marker = "/* @ACTIONS@ */\n"
    assert marker in tmpl
    body = HEADER.replace("/* Generated", "/* This part generated") + header_actions(A)
    return tmpl.replace(marker, body)


def arg_checks(a):
    out = []
    for x in a.args:
        if x.kind in ("Device", "Mountable", "String", "Key", "FileIn",
                      "FileOut", "StringList", "BufferIn"):
            out.append('  if (drydock_int_check_nonnull (h, "%s", "%s", %s) == -1)\n'
                       '    goto out;\n' % (a.name, x.name, x.name))
        elif x.kind == "Pathname":
            out.append('  if (drydock_int_check_path (h, "%s", "%s", %s) == -1)\n'
                       '    goto out;\n' % (a.name, x.name, x.name))
        if x.kind == "StringList":
            out.append('  if (drydock_int_check_list (h, "%s", "%s", %s) == -1)\n'
                       '    goto out;\n' % (a.name, x.name, x.name))
    for o in a.optargs:
        if o.kind in ("OString", "OStringList"):
            out.append('  if ((optargs->bitmask & DRYDOCK_%s_OPTS_%s_BITMASK) &&\n'
                       '      drydock_int_check_nonnull (h, "%s", "%s", optargs->%s) == -1)\n'
                       '    goto out;\n'
                       % (a.name.upper(), o.name.upper(), a.name, o.name, o.name))
    if a.optargs:
        out.append('  if (optargs->bitmask >> %d) {\n'
                   '    drydock_int_error (h, "%s: unknown optional argument");\n'
                   '    goto out;\n  }\n' % (len(a.optargs), a.name))
    return "".join(out)


def trace_args(a):
    out = ['  if (drydock_int_trace_begin (h, &tr, "%s")) {\n' % a.name]
    for x in a.args:
        if x.kind in ("Bool",):
            out.append("    drydock_int_trace_bool (&tr, %s);\n" % x.name)
        elif x.kind in ("Int", "Int64"):
            out.append("    drydock_int_trace_int (&tr, %s);\n" % x.name)
        elif x.kind == "StringList":
            out.append("    drydock_int_trace_list (&tr, %s);\n" % x.name)
        elif x.kind == "BufferIn":
            out.append("    drydock_int_trace_buffer (&tr, %s, %s_size);\n"
                       % (x.name, x.name))
        elif x.kind == "Key":
            out.append("    drydock_int_trace_str (&tr, \"***\");\n")
        elif x.kind == "OptString":
            out.append("    drydock_int_trace_str (&tr, %s ? %s : \"NULL\");\n"
                       % (x.name, x.name))
        else:
            out.append("    drydock_int_trace_str (&tr, %s);\n" % x.name)
    for o in a.optargs:
        bit = "DRYDOCK_%s_OPTS_%s_BITMASK" % (a.name.upper(), o.name.upper())
        fn = {"OBool": "bool", "OInt": "int", "OInt64": "int",
              "OString": "str", "OStringList": "list"}[o.kind]
        out.append('    if (optargs->bitmask & %s)\n'
                   '      drydock_int_trace_opt_%s (&tr, "%s", optargs->%s);\n'
                   % (bit, fn, o.name, o.name))
    out.append("    drydock_int_trace_end (h, &tr);\n  }\n")
    return "".join(out)


def trace_ret(a):
    k = a.ret.kind
    if k in ("RErr", "RInt", "RBool", "RInt64"):
        return '  drydock_int_trace_ret_int (h, "%s", ret);\n' % a.name
    if k == "RString":
        return '  drydock_int_trace_ret_str (h, "%s", ret);\n' % a.name
    if k in ("RStringList", "RHashtable"):
        return '  drydock_int_trace_ret_list (h, "%s", ret);\n' % a.name
    return '  drydock_int_trace_ret_ptr (h, "%s", ret);\n' % a.name


def encode_args(a):
    out = []
    for x in a.args:
        k = x.kind
        if k in ("Device", "Mountable"):
            # /dev/disk/guestfs/LABEL[N] names a drive add_drive labelled.
            out.append("  wire_put_string (&args, drydock_int_label_device "
                       "(h, %s, (char [DRYDOCK_LABEL_DEVICE_MAX]) { 0 }));\n"
                       % x.name)
        elif k in ("Pathname", "String", "Key"):
            out.append("  wire_put_string (&args, %s);\n" % x.name)
        elif k == "OptString":
            out.append("  wire_put_u32 (&args, %s != NULL);\n"
                       "  if (%s)\n    wire_put_string (&args, %s);\n"
                       % (x.name, x.name, x.name))
        elif k == "StringList":
            out.append("  wire_put_string_list (&args, %s);\n" % x.name)
        elif k == "Bool":
            out.append("  wire_put_u32 (&args, %s != 0);\n" % x.name)
        elif k == "Int":
            out.append("  wire_put_i32 (&args, %s);\n" % x.name)
        elif k == "Int64":
            out.append("  wire_put_i64 (&args, %s);\n" % x.name)
        elif k == "BufferIn":
            out.append("  wire_put_bytes (&args, %s, %s_size);\n" % (x.name, x.name))
    if a.optargs:
        out.append("  wire_put_u64 (&args, optargs->bitmask);\n")
        for o in a.optargs:
            bit = "DRYDOCK_%s_OPTS_%s_BITMASK" % (a.name.upper(), o.name.upper())
            put = {"OBool": "wire_put_u32 (&args, optargs->%s != 0)",
                   "OInt": "wire_put_i32 (&args, optargs->%s)",
                   "OInt64": "wire_put_i64 (&args, optargs->%s)",
                   "OString": "wire_put_string (&args, optargs->%s)",
                   "OStringList": "wire_put_string_list (&args, optargs->%s)"}[o.kind]
            out.append("  if (optargs->bitmask & %s)\n    %s;\n" % (bit, put % o.name))
    return "".join(out)


def decode_ret(a, r="&rep.r"):
    return decode_ret_rep(a).replace("&rep.r", r)


def decode_ret_rep(a):
    k = a.ret.kind
    if k == "RErr":
        return "  ret = 0;\n"
    if k in ("RInt", "RBool"):
        return "  ret = wire_get_i32 (&rep.r);\n"
    if k == "RInt64":
        return "  ret = wire_get_i64 (&rep.r);\n"
    if k == "RString":
        return "  ret = wire_get_string (&rep.r);\n"
    if k in ("RStringList", "RHashtable"):
        return "  ret = wire_get_string_list (&rep.r);\n"
    if k == "RBufferOut":
        return "  ret = wire_get_buffer (&rep.r, size_r);\n"
    if k == "RStruct":
        return "  ret = decode_%s (&rep.r);\n" % a.ret.struct
    if k == "RStructList":
        return "  ret = decode_%s_list (&rep.r);\n" % a.ret.struct
    raise ValueError(k)


def free_ret(a):
    k = a.ret.kind
    if k in ("RString", "RBufferOut"):
        return "free (ret)"
    if k in ("RStringList", "RHashtable"):
        return "drydock_free_string_list (ret)"
    if k == "RStruct":
        return "drydock_free_%s (ret)" % a.ret.struct
    if k == "RStructList":
        return "drydock_free_%s_list (ret)" % a.ret.struct
    return None


def state_check(a):
    """The check of the handle's state: the states (defs.STATES) the
    action may be called in.  One in both runs at any time."""
    states = a.allowed_states()
    if states == ["launched"]:
        fn = "drydock_int_check_ready"
    elif states == ["config"]:
        fn = "drydock_int_check_config"
    else:
        fn = "drydock_int_check_handle"
    return '  if (%s (h, "%s") == -1)\n    goto out;\n' % (fn, a.name)


# The index of each deprecated action, for the handle's record of the
# warnings it gave (drydock_int_deprecated).
DEPRECATED = {}
DEPRECATED_MAX = 256


def number_deprecated(A):
    names = sorted(a.name for a in A.actions if a.deprecated_by)
    if len(names) > DEPRECATED_MAX:
        raise SystemExit("generator: more than %d deprecated actions: "
                         "grow drydock_h's deprecated_warned" % DEPRECATED_MAX)
    DEPRECATED.clear()
    DEPRECATED.update((n, i) for i, n in enumerate(names))


def wrapper_body(a, fname, params):
    rt = ret_ctype(a.ret)
    ev = err_value(a.ret)
    out = [fn_def(rt, fname, params), "\n{\n"]
    out.append("  %s%sret = %s;\n" % (rt, "" if rt.endswith("*") else " ", ev))
    out.append("  struct drydock_trace tr;\n")
    if a.side == "daemon":
        out.append("  struct wire_buf args = WIRE_BUF_INIT;\n")
        out.append("  struct drydock_reply rep = DRYDOCK_REPLY_INIT;\n")
    out.append("\n")
    out.append(state_check(a))
    if a.deprecated_by:
        out.append('  drydock_int_deprecated (h, %d, "%s", "%s");\n'
                   % (DEPRECATED[a.name], a.name, a.deprecated_by))
    if a.ret.kind == "RBufferOut":
        out.append('  if (drydock_int_check_nonnull (h, "%s", "size_r", size_r) == -1)\n'
                   '    goto out;\n' % a.name)
    out.append(arg_checks(a))
    out.append(trace_args(a))
    if a.side == "library":
        names = call_names(a) + (["optargs"] if a.optargs else [])
        out.append("  ret = drydock_impl_%s (%s);\n" % (a.name, ", ".join(["h"] + names)))
        # The body's error gets the action's name here, once.
        if a.deprecated_by:
            out.append('  if (ret == %s)\n    drydock_int_error_prefix_instead '
                       '(h, "%s", "%s");\n' % (ev, a.name, a.deprecated_by))
        else:
            out.append('  if (ret == %s)\n    drydock_int_error_prefix (h, "%s");\n'
                       % (ev, a.name))
    else:
        if a.direct:
            out.append("  {\n    int handled = 0;\n\n"
                       "    ret = drydock_int_direct_%s (%s, &handled);\n"
                       "    if (handled)\n      goto out;\n    ret = %s;\n  }\n"
                       % (a.name, ", ".join(["h"] + call_names(a)), ev))
        out.append(encode_args(a))
        fin = next((x.name for x in a.args if x.kind == "FileIn"), None)
        fout = next((x.name for x in a.args if x.kind == "FileOut"), None)
        out.append('  if (drydock_int_call (h, "%s", %s, &args, %s, %s, &rep) == -1)\n'
                   '    goto out;\n' % (a.name, proc_const(a), fin or "NULL", fout or "NULL"))
        out.append(decode_ret(a))
        fr = free_ret(a)
        out.append('  if (drydock_int_reply_finish (h, "%s", &rep) == -1) {\n' % a.name)
        if fr:
            out.append("    %s;\n" % fr)
        out.append("    ret = %s;\n  }\n" % ev)
    out.append(" out:\n")
    if a.side == "daemon":
        out.append("  wire_buf_free (&args);\n  drydock_int_reply_free (&rep);\n")
    out.append(trace_ret(a))
    out.append("  return ret;\n}\n\n")
    return "".join(out)


def optargs_va(a, params):
    rt = ret_ctype(a.ret)
    ev = err_value(a.ret)
    up = a.name.upper()
    out = [fn_def(rt, "drydock_%s_opts_va" % a.name, params + ["va_list args"]),
           "\n{\n  %s o = { 0 };\n  int i;\n\n" % opts_struct(a),
           "  while ((i = va_arg (args, int)) >= 0) {\n"
           "    if (i >= %d) {\n"
           '      drydock_int_error (h, "%s: unknown optional argument %%d", i);\n'
           "      return %s;\n    }\n"
           "    if (o.bitmask & (UINT64_C(1) << i)) {\n"
           '      drydock_int_error (h, "%s: optional argument given twice");\n'
           "      return %s;\n    }\n"
           "    o.bitmask |= UINT64_C(1) << i;\n"
           "    switch (i) {\n" % (len(a.optargs), a.name, ev, a.name, ev)]
    for o in a.optargs:
        out.append("    case DRYDOCK_%s_OPTS_%s:\n      o.%s = va_arg (args, %s);\n"
                   "      break;\n" % (up, o.name.upper(), o.name, o.vatype()))
    out.append("    }\n  }\n  return drydock_%s_opts_argv (%s);\n}\n\n"
               % (a.name, ", ".join(["h"] + call_names(a) + ["&o"])))
    # The varargs form.
    out.append(fn_def(rt, "drydock_%s_opts" % a.name, params + ["..."]))
    last = params[-1].split()[-1].lstrip("*")
    out.append("\n{\n  va_list args;\n  %s%sr;\n\n  va_start (args, %s);\n"
               "  r = drydock_%s_opts_va (%s, args);\n  va_end (args);\n"
               "  return r;\n}\n\n"
               % (rt, "" if rt.endswith("*") else " ", last, a.name,
                  ", ".join(["h"] + call_names(a))))
    # The plain form: no optional arguments.
    out.append(fn_def(rt, "drydock_%s" % a.name, params))
    out.append("\n{\n  %s o = { 0 };\n\n  return drydock_%s_opts_argv (%s);\n}\n\n"
               % (opts_struct(a), a.name, ", ".join(["h"] + call_names(a) + ["&o"])))
    return "".join(out)


def struct_codecs(A):
    out = []
    for s in A.structs:
        name = s.name
        out.append("static int\ndecode_%s_into (struct wire_reader *r, struct drydock_%s *v)\n{\n"
                   % (name, name))
        for fname, kind in s.fields:
            out.append("  %s\n" % wire_get_field(kind, "v->" + fname))
        out.append("  return r->err ? -1 : 0;\n}\n\n")
        out.append("static __attribute__((unused)) struct drydock_%s *\ndecode_%s (struct wire_reader *r)\n{\n"
                   "  struct drydock_%s *v = calloc (1, sizeof *v);\n\n"
                   "  if (v == NULL || decode_%s_into (r, v) == -1) {\n"
                   "    drydock_free_%s (v);\n    r->err = 1;\n    return NULL;\n  }\n"
                   "  return v;\n}\n\n" % (name, name, name, name, name))
        out.append("static __attribute__((unused)) struct drydock_%s_list *\ndecode_%s_list (struct wire_reader *r)\n{\n"
                   "  struct drydock_%s_list *l = calloc (1, sizeof *l);\n"
                   "  uint32_t i, n = wire_get_count (r, %d);\n\n"
                   "  if (l == NULL || r->err)\n    goto fail;\n"
                   "  l->val = calloc (n ? n : 1, sizeof l->val[0]);\n"
                   "  if (l->val == NULL)\n    goto fail;\n"
                   "  for (i = 0; i < n; ++i) {\n"
                   "    l->len = i + 1;\n"
                   "    if (decode_%s_into (r, &l->val[i]) == -1)\n      goto fail;\n"
                   "  }\n  l->len = n;\n  return l;\n"
                   " fail:\n  drydock_free_%s_list (l);\n  r->err = 1;\n  return NULL;\n}\n\n"
                   % (name, name, name, 4 * len(s.fields), name, name))
        strs = struct_owned_fields(s)
        out.append("static void\nfree_%s_fields (struct drydock_%s *v)\n{\n" % (name, name))
        for f in strs:
            out.append("  free (v->%s);\n" % f)
        if not strs:
            out.append("  (void) v;\n")
        out.append("}\n\n")
        out.append("void\ndrydock_free_%s (struct drydock_%s *v)\n{\n"
                   "  if (v == NULL)\n    return;\n  free_%s_fields (v);\n  free (v);\n}\n\n"
                   % (name, name, name))
        out.append("void\ndrydock_free_%s_list (struct drydock_%s_list *l)\n{\n"
                   "  uint32_t i;\n\n  if (l == NULL)\n    return;\n"
                   "  for (i = 0; i < l->len; ++i)\n    free_%s_fields (&l->val[i]);\n"
                   "  free (l->val);\n  free (l);\n}\n\n" % (name, name, name))
    return "".join(out)


def reply_decoders(A):
    """Decode-only forms of the daemon actions' reply decoders (the
    code of decode_ret, on any reader) and their table, for the fuzz
    target tests/fuzz/fuzz-reply.c, which compiles this file with
    DRYDOCK_FUZZ_REPLIES defined in place of the wrappers."""
    acts = [a for a in A.actions if a.side == "daemon"]
    out = []
    for a in acts:
        rt = ret_ctype(a.ret)
        out.append("static int\nreply_%s (struct wire_reader *r)\n{\n" % a.name)
        out.append("  %s%sret;\n" % (rt, "" if rt.endswith("*") else " "))
        if a.ret.kind == "RBufferOut":
            out.append("  size_t size, *size_r = &size;\n")
        out.append("\n" + decode_ret(a, "r"))
        fr = free_ret(a)
        out.append("  %s;\n" % fr if fr else "  (void) ret;\n")
        out.append("  return wire_reader_finish (r);\n}\n\n")
    out.append("const struct wire_decoder drydock_int_reply_decoders[] = {\n")
    for a in acts:
        out.append('  { "%s", %s, reply_%s },\n' % (a.name, proc_const(a), a.name))
    out.append("};\nconst size_t drydock_int_n_reply_decoders = %d;\n\n" % len(acts))
    return "".join(out)


def emit_wrappers(A):
    out = [HEADER, "#include <config.h>\n\n#include <stdarg.h>\n#include <stdint.h>\n"
           "#include <stdlib.h>\n\n#include \"drydock.h\"\n#include \"drydock-internal.h\"\n"
           "#include \"impl-gen.h\"\n#include \"procs-gen.h\"\n#include \"wire.h\"\n\n"]
    out.append(struct_codecs(A))
    out.append("#ifdef DRYDOCK_FUZZ_REPLIES\n")
    out.append(reply_decoders(A))
    out.append("#else\n\n")
    for a in A.actions:
        params = ["drydock_h *h"] + c_params(a)
        if a.name.startswith("internal_"):
            out.append("/* internal */\n")
            out.append(wrapper_body(a, "drydock_int_" + a.name[len("internal_"):],
                                    params))
        elif a.optargs:
            out.append(optargs_va(a, params))
            out.append(wrapper_body(
                a, "drydock_%s_opts_argv" % a.name,
                params + ["const %s *optargs" % opts_struct(a)]))
        else:
            out.append(wrapper_body(a, a.c_function(), params))
    out.append("#endif /* !DRYDOCK_FUZZ_REPLIES */\n")
    return "".join(out)


def emit_impl_header(A):
    out = [HEADER, "#ifndef DRYDOCK_IMPL_GEN_H\n#define DRYDOCK_IMPL_GEN_H\n\n"
           "/* The bodies of the library-side actions, hand-written but those\n"
           " * of the plain boolean properties (props-gen.c).  Same contract\n"
           " * as the public call; arguments are already checked. */\n"]
    for a in A.actions:
        if a.name.startswith("internal_"):
            out.append("extern %s;\n" % fn_decl(
                ret_ctype(a.ret), "drydock_int_" + a.name[len("internal_"):],
                ["drydock_h *h"] + c_params(a)))
        if a.direct:
            out.append("extern %s;\n" % fn_decl(
                ret_ctype(a.ret), "drydock_int_direct_" + a.name,
                ["drydock_h *h"] + c_params(a) + ["int *handled"]))
        if a.side != "library":
            continue
        extra = "const %s *optargs" % opts_struct(a) if a.optargs else None
        out.append("extern %s;\n" % fn_decl(ret_ctype(a.ret), "drydock_impl_" + a.name,
                                            ["drydock_h *h"] + c_params(a, extra)))
    out.append("\n#endif\n")
    return "".join(out)


def emit_props(A):
    """The bodies of the plain boolean properties (defs.Action's
    handle_bool): set_X stores 0 or 1 in the handle's field, get_X
    returns it."""
    out = [HEADER, "/* The handle's plain boolean properties: each set_X stores its\n"
           " * flag in the handle, each get_X reads it back. */\n\n"
           "#include <config.h>\n\n#include \"drydock-internal.h\"\n"
           "#include \"impl-gen.h\"\n"]
    for a in A.actions:
        if not a.handle_bool:
            continue
        out.append("\n%s\n{\n" % fn_def(ret_ctype(a.ret), "drydock_impl_" + a.name,
                                         ["drydock_h *h"] + c_params(a)))
        if a.args:
            out.append("  h->%s = %s != 0;\n  return 0;\n" % (a.handle_bool,
                                                               a.args[0].name))
        else:
            out.append("  return h->%s;\n" % a.handle_bool)
        out.append("}\n")
    return "".join(out)


def emit_syms(A, core):
    names = list(core)
    for s in A.structs:
        names += ["drydock_free_%s" % s.name, "drydock_free_%s_list" % s.name]
    for a in A.actions:
        if a.name.startswith("internal_"):
            continue
        names.append(a.c_function())
        if a.optargs:
            names += ["drydock_%s_opts" % a.name, "drydock_%s_opts_va" % a.name,
                      "drydock_%s_opts_argv" % a.name]
    body = "".join("    %s;\n" % n for n in sorted(names))
    return "# Generated by generator/generate.py.\nDRYDOCK_0.1 {\n  global:\n%s" \
           "  local:\n    *;\n};\n" % body


CORE = ["drydock_create", "drydock_close", "drydock_last_error",
        "drydock_last_errno", "drydock_set_event_callback",
        "drydock_delete_event_callback", "drydock_free_string_list",
        "drydock_version"]


def emit(A):
    number_deprecated(A)
    return {
        "include/drydock.h": emit_header(A),
        "library/actions-gen.c": emit_wrappers(A),
        "library/impl-gen.h": emit_impl_header(A),
        "library/props-gen.c": emit_props(A),
        "library/drydock.syms": emit_syms(A, CORE),
    }


_ = c_string
