# SPDX-License-Identifier: GPL-2.0-or-later
# Emits the shell's command table: one runner per action that parses the
# words typed, calls the public API and prints the result, plus the help
# text, the kind of every argument (for parsing, win: paths and
# completion) and whether the command writes (which ends what the
# completion remembered of the guest).

from emit_common import HEADER, c_string, call_names


def shell_name(name):
    """The name a command is typed and listed with, as guestfish: words
    joined by '-' (the shell takes '_' as well)."""
    return name.replace("_", "-")


def usage(a):
    words = [shell_name(a.name)]
    for x in a.args:
        words.append(x.name.upper())
    for o in a.optargs:
        words.append("[%s:..]" % o.name)
    return " ".join(words)


# The kind of each argument as the shell sees it (shell.h's enum
# shell_arg_kind): how a word is parsed, translated and completed.
ARG_KINDS = {
    "Device": "DEVICE", "Mountable": "MOUNTABLE", "Pathname": "PATHNAME",
    "DevOrPath": "DEV_OR_PATH", "HostPath": "HOSTPATH", "String": "STRING",
    "Key": "KEY", "OptString": "OPTSTRING", "StringList": "STRINGLIST",
    "Bool": "BOOL", "Int": "INT", "Int64": "INT64", "FileIn": "FILEIN",
    "FileOut": "FILEOUT", "BufferIn": "BUFFERIN",
    "OBool": "BOOL", "OInt": "INT", "OInt64": "INT64", "OString": "STRING",
    "OStringList": "STRINGLIST",
}


def writes(a):
    return a.writes if a.writes is not None else a.ret.kind == "RErr"


def arg_table(a):
    out = []
    if a.args:
        out.append("static const struct shell_arg args_%s[] = {\n" % a.name)
        for x in a.args:
            out.append('  { "%s", SHELL_ARG_%s },\n' % (x.name, ARG_KINDS[x.shell_kind()]))
        out.append("};\n")
    if a.optargs:
        out.append("static const struct shell_arg optargs_%s[] = {\n" % a.name)
        for o in a.optargs:
            out.append('  { "%s", SHELL_ARG_%s },\n' % (o.name, ARG_KINDS[o.kind]))
        out.append("};\n")
    return "".join(out)


def parse_arg(a, i, x):
    n = x.name
    k = x.kind
    if k in ("Device", "Mountable", "Pathname", "String", "Key", "FileIn",
             "FileOut"):
        return "  %s = argv[%d];\n" % (n, i)
    if k == "BufferIn":
        return "  %s = argv[%d];\n  %s_size = strlen (argv[%d]);\n" % (n, i, n, i)
    if k == "OptString":
        return "  %s = argv[%d][0] ? argv[%d] : NULL;\n" % (n, i, i)
    if k == "Bool":
        return ('  if (shell_parse_bool (cmd, "%s", argv[%d], &%s) == -1)\n'
                '    goto out;\n' % (n, i, n))
    if k == "Int":
        return ('  if (shell_parse_int (cmd, "%s", argv[%d], &%s) == -1)\n'
                '    goto out;\n' % (n, i, n))
    if k == "Int64":
        return ('  if (shell_parse_int64 (cmd, "%s", argv[%d], &%s) == -1)\n'
                '    goto out;\n' % (n, i, n))
    if k == "StringList":
        return ('  if ((%s = shell_parse_list (cmd, "%s", argv[%d])) == NULL)\n'
                '    goto out;\n' % (n, n, i))
    raise ValueError(k)


def decl_arg(x):
    k = x.kind
    if k == "StringList":
        return "  char **%s = NULL;\n" % x.name
    if k in ("Bool", "Int"):
        return "  int %s = 0;\n" % x.name
    if k == "Int64":
        return "  int64_t %s = 0;\n" % x.name
    if k == "BufferIn":
        return "  const char *%s = NULL;\n  size_t %s_size = 0;\n" % (x.name, x.name)
    return "  const char *%s = NULL;\n" % x.name


def parse_optargs(a):
    up = a.name.upper()
    out = ["  for (i = %d; i < argc; ++i) {\n    const char *v;\n\n" % len(a.args)]
    first = True
    for o in a.optargs:
        bit = "DRYDOCK_%s_OPTS_%s_BITMASK" % (up, o.name.upper())
        kw = "if" if first else "else if"
        first = False
        out.append('    %s ((v = shell_optarg (argv[i], "%s")) != NULL) {\n' % (kw, o.name))
        if o.kind == "OBool":
            out.append('      if (shell_parse_bool (cmd, "%s", v, &o.%s) == -1)\n'
                       '        goto out;\n' % (o.name, o.name))
        elif o.kind == "OInt":
            out.append('      if (shell_parse_int (cmd, "%s", v, &o.%s) == -1)\n'
                       '        goto out;\n' % (o.name, o.name))
        elif o.kind == "OInt64":
            out.append('      if (shell_parse_int64 (cmd, "%s", v, &o.%s) == -1)\n'
                       '        goto out;\n' % (o.name, o.name))
        elif o.kind == "OString":
            out.append("      o.%s = v;\n" % o.name)
        else:
            out.append('      if ((optlist_%s = shell_parse_list (cmd, "%s", v)) == NULL)\n'
                       '        goto out;\n      o.%s = optlist_%s;\n'
                       % (o.name, o.name, o.name, o.name))
        out.append("      o.bitmask |= %s;\n    }\n" % bit)
    out.append('    else {\n      shell_error (cmd, "unknown optional argument \'%s\'", argv[i]);\n'
               '      goto out;\n    }\n  }\n')
    return "".join(out)


def print_ret(a):
    k = a.ret.kind
    if k == "RErr":
        return "  if (r == -1)\n    goto out;\n"
    if k == "RInt":
        return "  if (r == -1)\n    goto out;\n  printf (\"%d\\n\", r);\n"
    if k == "RInt64":
        return "  if (r == -1)\n    goto out;\n  printf (\"%\" PRIi64 \"\\n\", r);\n"
    if k == "RBool":
        return "  if (r == -1)\n    goto out;\n  printf (\"%s\\n\", r ? \"true\" : \"false\");\n"
    if k == "RString":
        return "  if (r == NULL)\n    goto out;\n  shell_print_string (r);\n  free (r);\n"
    if k == "RStringList":
        return "  if (r == NULL)\n    goto out;\n  shell_print_list (r);\n  drydock_free_string_list (r);\n"
    if k == "RHashtable":
        return "  if (r == NULL)\n    goto out;\n  shell_print_hash (r);\n  drydock_free_string_list (r);\n"
    if k == "RBufferOut":
        return "  if (r == NULL)\n    goto out;\n  shell_print_buffer (r, size);\n  free (r);\n"
    if k == "RStruct":
        return ("  if (r == NULL)\n    goto out;\n  print_%s (r, \"\");\n  drydock_free_%s (r);\n"
                % (a.ret.struct, a.ret.struct))
    if k == "RStructList":
        return ("  if (r == NULL)\n    goto out;\n"
                "  for (uint32_t j = 0; j < r->len; ++j) {\n"
                "    printf (\"[%%\" PRIu32 \"] = {\\n\", j);\n"
                "    print_%s (&r->val[j], \"  \");\n    printf (\"}\\n\");\n  }\n"
                "  drydock_free_%s_list (r);\n" % (a.ret.struct, a.ret.struct))
    raise ValueError(k)


def ret_decl(a):
    k = a.ret.kind
    return {"RErr": "int r", "RInt": "int r", "RBool": "int r", "RInt64": "int64_t r",
            "RString": "char *r", "RBufferOut": "char *r", "RStringList": "char **r",
            "RHashtable": "char **r", "RStruct": "struct drydock_%s *r" % a.ret.struct,
            "RStructList": "struct drydock_%s_list *r" % a.ret.struct}[k]


def runner(a):
    out = ["static int\nrun_%s (drydock_h *h, const char *cmd, int argc, char **argv)\n{\n"
           % a.name]
    out.append("  int ret = -1;\n")
    if a.optargs:
        out.append("  int i;\n  struct drydock_%s_opts_argv o = { 0 };\n" % a.name)
        for o in a.optargs:
            if o.kind == "OStringList":
                out.append("  char **optlist_%s = NULL;\n" % o.name)
    for x in a.args:
        out.append(decl_arg(x))
    if a.ret.kind == "RBufferOut":
        out.append("  size_t size;\n")
    out.append("  %s;\n\n" % ret_decl(a))
    out.append("  if (shell_check_argc (cmd, argc, %d, %d) == -1)\n    goto out;\n"
               % (len(a.args), len(a.args) + len(a.optargs)))
    for i, x in enumerate(a.args):
        out.append(parse_arg(a, i, x))
    if a.optargs:
        out.append(parse_optargs(a))
    names = call_names(a)
    names = ["&size" if n == "size_r" else n for n in names]
    if a.optargs:
        out.append("  r = drydock_%s_opts_argv (%s);\n" % (a.name, ", ".join(["h"] + names + ["&o"])))
    else:
        out.append("  r = %s (%s);\n" % (a.c_function(), ", ".join(["h"] + names)))
    out.append(print_ret(a))
    out.append("  ret = 0;\n out:\n")
    for x in a.args:
        if x.kind == "StringList":
            out.append("  drydock_free_string_list (%s);\n" % x.name)
    for o in a.optargs:
        if o.kind == "OStringList":
            out.append("  drydock_free_string_list (optlist_%s);\n" % o.name)
    if len(a.args) == 0 and not a.optargs:
        out.append("  (void) argv;\n")
    out.append("  return ret;\n}\n\n")
    return "".join(out)


def struct_printers(A):
    out = []
    for s in A.structs:
        out.append("static void __attribute__((unused))\n"
                   "print_%s (const struct drydock_%s *v, const char *indent)\n{\n"
                   % (s.name, s.name))
        for fname, kind in s.fields:
            if kind == "buffer":
                out.append('  printf ("%%s%s: ", indent);\n'
                           '  shell_print_field_buffer (v->%s, v->%s_len);\n'
                           % (fname, fname, fname))
                continue
            if kind == "optpercent":
                # -1 is "absent": an empty value.
                out.append('  if (v->%s >= 0)\n'
                           '    printf ("%%s%s: %%g\\n", indent, (double) v->%s);\n'
                           '  else\n'
                           '    printf ("%%s%s: \\n", indent);\n'
                           % (fname, fname, fname, fname))
                continue
            fmt = {"int32": "%\" PRIi32 \"", "uint32": "%\" PRIu32 \"",
                   "char": "%c",
                   "int64": "%\" PRIi64 \"", "uint64": "%\" PRIu64 \"",
                   "string": "%s"}[kind]
            out.append('  printf ("%%s%s: %s\\n", indent, v->%s);\n' % (fname, fmt, fname))
        out.append("}\n\n")
    return "".join(out)


def shell_actions(A):
    return [a for a in A.actions if not a.name.startswith("internal_")]


def help_text(a):
    """The DESCRIPTION of help: the longdesc, then whether the command
    is deprecated and the version that added it."""
    text = a.longdesc.rstrip("\n")
    if a.deprecated_by:
        text += "\n\nThis command is deprecated: use %s instead." \
            % shell_name(a.deprecated_by)
    return text + "\n\nAdded in %s." % a.added


def command_entry(a, name):
    flags = ["SHELL_CMD_WRITES"] if writes(a) else []
    return ("  { %s, %s, %s, %s, run_%s,\n    %s, %d, %s, %d, %s, %s },\n" % (
        c_string(shell_name(name)), c_string(a.shortdesc), c_string(usage(a)),
        c_string(help_text(a)), a.name,
        "args_" + a.name if a.args else "NULL", len(a.args),
        "optargs_" + a.name if a.optargs else "NULL", len(a.optargs),
        " | ".join(flags) or "0",
        c_string(shell_name(a.name)) if name != a.name else "NULL"))


def emit(A):
    out = [HEADER, "#include <config.h>\n\n#include <inttypes.h>\n#include <stdint.h>\n"
           "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n"
           "#include \"drydock.h\"\n#include \"shell.h\"\n\n"]
    out.append(struct_printers(A))
    acts = shell_actions(A)
    for a in acts:
        out.append(runner(a))
        out.append(arg_table(a))
        out.append("\n")
    entries = []
    for a in acts:
        for name in [a.name] + a.aliases:
            entries.append((shell_name(name), command_entry(a, name)))
    entries.sort()
    out.append("/* Sorted by name, aliases included. */\n")
    out.append("const struct shell_command shell_commands[] = {\n")
    out.extend(e for _, e in entries)
    out.append("  { NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, 0, NULL }\n};\n")
    out.append("const size_t shell_n_commands = %d;\n" % len(entries))
    return {"shell/cmds-gen.c": "".join(out)}
