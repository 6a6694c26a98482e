# SPDX-License-Identifier: GPL-2.0-or-later
# The tests of the table (each action's `tests`) as one C program's
# data: a function per test that makes its calls through the public API
# and checks the last result, and the list of them with their layouts.
# tests/table/table.c is the driver: one launch per layout, the layout
# made again between tests (see defs.Test).

import shlex

from defs import Error, Fields, Checksum, LAYOUTS
from emit_common import HEADER


def c_string(text):
    """A C string literal of any text: control bytes as octal escapes."""
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def find_action(A, name):
    for a in A.actions:
        if name == a.name or name in a.aliases:
            return a
    return None


def fail(a, i, msg):
    raise SystemExit("generator: %s: test %d: %s" % (a.name, i, msg))


def c_int(word, what):
    """A number as the shell reads it: 0640 is octal, 0x1f hex."""
    try:
        if len(word) > 1 and word[0] == "0" and word.isdigit():
            return int(word, 8)
        return int(word, 0)
    except ValueError:
        raise ValueError("%s: not a number: %s" % (what, word))


def c_bool(word, what):
    if word in ("true", "1", "yes"):
        return "1"
    if word in ("false", "0", "no"):
        return "0"
    raise ValueError("%s: not a boolean: %s" % (what, word))


def c_word(word):
    """A string literal; host words get the shared local directory."""
    if "@TMP@" in word:
        return 'table_tmp (%s)' % c_string(word.replace("@TMP@", ""))
    return c_string(word)


def c_list(word):
    items = [c_string(x) for x in word.split()]
    return "(char *const *) (const char *const []) { %s }" % \
        ", ".join(items + ["NULL"])


def c_arg(kind, word, what):
    if kind in ("Int",):
        return str(c_int(word, what))
    if kind == "Int64":
        return "INT64_C(%d)" % c_int(word, what)
    if kind == "Bool":
        return c_bool(word, what)
    if kind == "StringList":
        return c_list(word)
    if kind == "OptString":
        return "NULL" if word == "" else c_word(word)
    if kind == "BufferIn":
        return "%s, %d" % (c_string(word), len(word.encode()))
    return c_word(word)


def c_optarg(a, o, word):
    const = "DRYDOCK_%s_OPTS_%s" % (a.name.upper(), o.name.upper())
    what = "%s:%s" % (a.name, o.name)
    if o.kind == "OBool":
        v = c_bool(word, what)
    elif o.kind == "OInt":
        v = str(c_int(word, what))
    elif o.kind == "OInt64":
        v = "(int64_t) %d" % c_int(word, what)
    elif o.kind == "OStringList":
        v = c_list(word)
    else:
        v = c_word(word)
    return "%s, %s" % (const, v)


def c_call(A, line):
    """(action, C expression of the call) for one shell-style line."""
    words = shlex.split(line)
    a = find_action(A, words[0])
    if a is None:
        raise ValueError("no action %s" % words[0])
    pos, opts = [], []
    for w in words[1:]:
        name = w.split(":", 1)[0]
        if len(pos) >= len(a.args) and ":" in w and \
           any(o.name == name for o in a.optargs):
            opts.append(w.split(":", 1))
        else:
            pos.append(w)
    if len(pos) != len(a.args):
        raise ValueError("%s: %d arguments, expected %d"
                         % (a.name, len(pos), len(a.args)))
    args = ["h"] + [c_arg(x.kind, w, "%s:%s" % (a.name, x.name))
                    for x, w in zip(a.args, pos)]
    if a.ret.kind == "RBufferOut":
        args.append("&size")
    if opts:
        byname = {o.name: o for o in a.optargs}
        args += [c_optarg(a, byname[n], v) for n, v in opts] + ["-1"]
        return a, "drydock_%s_opts (%s)" % (a.name, ", ".join(args))
    return a, "%s (%s)" % (a.c_function(), ", ".join(args))


def ret_decl(a):
    k = a.ret.kind
    if k in ("RErr", "RInt", "RBool"):
        return "int r"
    if k == "RInt64":
        return "int64_t r"
    if k in ("RString", "RBufferOut"):
        return "char *r"
    if k in ("RStringList", "RHashtable"):
        return "char **r"
    if k == "RStruct":
        return "struct drydock_%s *r" % a.ret.struct
    return "struct drydock_%s_list *r" % a.ret.struct


def is_error(a):
    return "r == NULL" if ret_decl(a).split()[-1].startswith("*") \
        else "r == -1"


def free_r(a):
    k = a.ret.kind
    if k in ("RString", "RBufferOut"):
        return "free (r);"
    if k in ("RStringList", "RHashtable"):
        return "drydock_free_string_list (r);"
    if k == "RStruct":
        return "drydock_free_%s (r);" % a.ret.struct
    if k == "RStructList":
        return "drydock_free_%s_list (r);" % a.ret.struct
    return ""


def check_expr(a, expect):
    """C statements setting ok from r, the last call's result."""
    k = a.ret.kind
    if isinstance(expect, bool):
        if k != "RBool":
            raise ValueError("true/false expected of a %s" % k)
        return "ok = table_check_int (name, r, %d);" % int(expect)
    if isinstance(expect, int):
        if k in ("RInt", "RInt64", "RBool"):
            return "ok = table_check_int (name, r, INT64_C(%d));" % expect
        if k == "RStructList":
            return "ok = table_check_int (name, r->len, %d);" % expect
        if k in ("RStringList", "RHashtable"):
            return "ok = table_check_int (name, table_count (r), %d);" % expect
        raise ValueError("a number expected of a %s" % k)
    if isinstance(expect, str):
        if k == "RString":
            return "ok = table_check_string (name, r, %s);" % c_string(expect)
        if k == "RBufferOut":
            return "ok = table_check_buffer (name, r, size, %s, %d);" % (
                c_string(expect), len(expect.encode()))
        raise ValueError("a string expected of a %s" % k)
    if isinstance(expect, list):
        if k not in ("RStringList", "RHashtable"):
            raise ValueError("a list expected of a %s" % k)
        return "ok = table_check_list (name, r, (char *const *) " \
            "(const char *const []) { %s });" % ", ".join(
                [c_string(x) for x in expect] + ["NULL"])
    if isinstance(expect, Fields) and k == "RHashtable":
        out = ["ok = 1;"]
        for key, v in expect.values.items():
            out.append("ok &= table_check_hash (name, r, %s, %s);"
                       % (c_string(key), c_string(v)))
        return "\n    ".join(out)
    if isinstance(expect, Fields) and k == "RStructList":
        return list_has_element(a, expect)
    if isinstance(expect, Fields):
        if k != "RStruct":
            raise ValueError("fields expected of a %s" % k)
        s = find_struct(a)
        out = ["ok = 1;"]
        for f, v in expect.values.items():
            kind = dict(s.fields).get(f)
            if kind is None:
                raise ValueError("no field %s in struct %s" % (f, s.name))
            if kind == "string":
                out.append("ok &= table_check_string (name, r->%s, %s);"
                           % (f, c_string(v)))
            else:
                out.append("ok &= table_check_int (name, r->%s, INT64_C(%d));"
                           % (f, v))
        return "\n    ".join(out)
    raise ValueError("cannot check %r" % (expect,))


def list_has_element(a, expect):
    """C statements setting ok: some element of the list r has all the
    field values of expect (Fields of an RStructList)."""
    s = find_struct(a)
    conds = []
    for f, v in expect.values.items():
        kind = dict(s.fields).get(f)
        if kind is None:
            raise ValueError("no field %s in struct %s" % (f, s.name))
        e = "r->val[i].%s" % f
        if kind == "string":
            conds.append("strcmp (%s, %s) == 0" % (e, c_string(v)))
        elif kind == "buffer":
            n = len(v.encode())
            conds.append("%s_len == %d && memcmp (%s, %s, %d) == 0"
                         % (e, n, e, c_string(v), n))
        else:
            conds.append("%s == INT64_C(%d)" % (e, v))
    what = ", ".join("%s=%s" % (f, v) for f, v in expect.values.items())
    return ("ok = 0;\n    for (size_t i = 0; !ok && i < r->len; ++i)\n"
            "      ok = %s;\n    if (!ok)\n"
            "      printf (\"    %%s: no element with %%s\\n\", name, %s);"
            % ("\n        && ".join(conds), c_string(what)))


STRUCTS = {}


def find_struct(a):
    return STRUCTS[a.ret.struct]


def test_function(A, a, i, t):
    fn = "test_%s_%d" % (a.name, i)
    out = ["static int\n%s (drydock_h *h)\n{\n" % fn,
           "  const char *name = \"%s\";\n\n  (void) name;\n" % a.name]
    if not t.calls:
        fail(a, i, "no calls")
    last = len(t.calls) - 1
    want_error = isinstance(t.expect, Error)
    for j, line in enumerate(t.calls):
        try:
            b, call = c_call(A, line)
        except ValueError as e:
            fail(a, i, str(e))
        out.append("  /* %s */\n  {\n"
                   % c_string(line)[1:-1].replace("*/", "* /")
                   .replace("/*", "/ *"))
        if b.ret.kind == "RBufferOut":
            out.append("    size_t size;\n")
        out.append("    %s = %s;\n" % (ret_decl(b), call))
        if j == last and want_error:
            out.append("    if (!(%s)) {\n      %s\n"
                       "      return table_unexpected_success (name, %s);\n"
                       "    }\n" % (is_error(b), free_r(b) or "(void) r;",
                                    c_string(line)))
            if t.expect.message:
                # The message too: it contains the text given.
                out.append("    const char *msg = drydock_last_error (h);\n\n"
                           "    if (table_check_errno (name, h, %s) == -1)\n"
                           "      return -1;\n"
                           "    if (msg == NULL || strstr (msg, %s) == NULL) {\n"
                           "      printf (\"    %%s: error %%s, expected one with %%s\\n\",\n"
                           "              name, msg ? msg : \"(none)\", %s);\n"
                           "      return -1;\n    }\n"
                           "    return 0;\n  }\n}\n\n"
                           % (t.expect.errno or "0", c_string(t.expect.message),
                              c_string(t.expect.message)))
                continue
            out.append("    return table_check_errno (name, h, %s);\n  }\n}\n\n"
                       % (t.expect.errno or "0"))
            continue
        out.append("    if (%s)\n      return table_call_failed (h, %s);\n"
                   % (is_error(b), c_string(line)))
        if j == last and t.expect is not None and \
           not isinstance(t.expect, Checksum):
            try:
                out.append("    int ok;\n    %s\n" % check_expr(b, t.expect))
            except ValueError as e:
                fail(a, i, str(e))
            out.append("    %s\n" % free_r(b) if free_r(b) else "")
            out.append("    return ok ? 0 : -1;\n  }\n}\n\n")
            continue
        if b.ret.kind == "RBufferOut":
            out.append("    (void) size;\n")
        out.append("    %s\n  }\n" % (free_r(b) or "(void) r;"))
    if isinstance(t.expect, Checksum):
        c = t.expect
        out.append("  return table_check_checksum (h, name, %s, %s, %s);\n}\n\n"
                   % (c_string(c.csumtype), c_string(c.path), c_string(c.sum)))
    elif t.expect is None:
        out.append("  return 0;\n}\n\n")
    return fn, "".join(out)


def emit(A):
    for s in A.structs:
        STRUCTS[s.name] = s
    funcs, rows = [], []
    for layout in LAYOUTS:
        for readonly in (True, False):
            for a in A.actions:
                for i, t in enumerate(a.tests):
                    if t.layout not in LAYOUTS:
                        fail(a, i, "unknown layout %s" % t.layout)
                    if t.layout != layout or t.readonly != readonly:
                        continue
                    fn, text = test_function(A, a, i, t)
                    funcs.append(text)
                    rows.append('  { "%s", %d, LAYOUT_%s, %d, %s },\n'
                                % (a.name, i, layout.upper(), readonly, fn))
    out = [HEADER, "#include <config.h>\n\n#include <stdint.h>\n"
           "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
           "#include <errno.h>\n\n"
           '#include "drydock.h"\n#include "table.h"\n\n']
    out += funcs
    out.append("const struct table_test table_tests[] = {\n")
    out += rows
    out.append("};\n\nconst size_t table_n_tests = %d;\n" % len(rows))
    return {"tests/table/tests-gen.c": "".join(out)}
