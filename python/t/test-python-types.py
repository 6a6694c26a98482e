#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Every return type, argument kind and optional-argument kind of the
# generated binding, through one launch: debian.img read-only as
# /dev/sda and a blank scratch disk as /dev/sdb, made and written here.
# Also: the struct objects of drydock.Drydock, non-UTF-8 names that
# round-trip, bad argument types, and nothing left after `del g`.

import ast
import gc
import os
import tarfile

import helpers as t
import drydock

# The type hints cover every method, and only those.
pyi = os.path.join(os.path.dirname(drydock.__file__), "__init__.pyi")
with open(pyi) as f:
    tree = ast.parse(f.read())
hinted = {n.name for c in tree.body
          if isinstance(c, ast.ClassDef) and c.name == "Drydock"
          for n in c.body if isinstance(n, ast.FunctionDef)}
methods = {n for n in dir(drydock.Drydock)
           if not n.startswith("_") and callable(getattr(drydock.Drydock, n))}
t.expect_eq("methods without type hints", set(), methods - hinted)
t.expect_eq("type hints without methods", set(),
            hinted - methods - {"__init__", "__enter__", "__exit__"})
t.expect_true("docstrings from the table",
              drydock.Drydock.mkfs.__doc__.startswith("Make a filesystem"))

deb = t.guest("debian.img")
scratch_disk = t.blank_disk("scratch.img", 64 << 20)

# The handle's temporary files go here, to see that none is left.
tmpdir = os.path.join(t.scratch, "tmp")
os.mkdir(tmpdir)
os.environ["TMPDIR"] = tmpdir

g = drydock.Drydock()
# Bool and Int arguments, RBool and RInt results (library side).
g.set_trace(False)
t.expect_eq("get_trace (RBool)", False, g.get_trace())
g.set_memsize(400)
t.expect_eq("get_memsize (RInt)", 400, g.get_memsize())
t.expect_eq("get_state (RInt, config)", 0, g.get_state())
g.set_accel("tcg")
t.expect_eq("get_accel (RString)", "tcg", g.get_accel())
# OString, OBool; None is "not given".
g.add_drive(deb, format="raw", readonly=True, commit=None)
# OInt.
g.add_drive(scratch_disk, format="raw", cluster_size=4096)
g.launch()
t.expect_eq("get_state after launch (ready)", 2, g.get_state())

# RStringList, RInt64.
t.expect_eq("list_devices", ["/dev/sda", "/dev/sdb"], g.list_devices())
t.expect_eq("blockdev_getsize64", 128 << 20, g.blockdev_getsize64("/dev/sda"))
# RHashtable: a dict.
fs = g.list_filesystems()
t.expect_eq("list_filesystems is a dict", dict, type(fs))
t.expect_eq("list_filesystems /dev/sda1", "ext4", fs.get("/dev/sda1"))
# RStructList (integers): objects with attributes, tuples too.
parts = g.part_list("/dev/sda")
t.expect_eq("part_list length", 1, len(parts))
t.expect_eq("part_list type", drydock.Partition, type(parts[0]))
t.expect_eq("part_num", 1, parts[0].part_num)
t.expect_eq("part_start (uint64)", 1 << 20, parts[0].part_start)
t.expect_eq("part_size", 260096 * 512, parts[0].part_size)
t.expect_eq("part_list as a tuple", parts[0].part_num, parts[0][0])

# Inspection: RStringList of devices, RString, RInt, RHashtable.
roots = g.inspect_os()
t.expect_eq("inspect_os", ["/dev/sda1"], roots)
root = roots[0]
t.expect_eq("inspect_get_distro", "debian", g.inspect_get_distro(root))
t.expect_eq("inspect_get_major_version", 12, g.inspect_get_major_version(root))
t.expect_eq("inspect_get_mountpoints", {"/": "/dev/sda1"},
            g.inspect_get_mountpoints(root))

g.mount_ro("/dev/sda1", "/")
# RString, RBufferOut, RBool, the OBool of is_dir.
t.expect_eq("cat", "debian-guest\n", g.cat("/etc/hostname"))
t.expect_eq("read_file (bytes)", b"debian-guest\n", g.read_file("/etc/hostname"))
t.expect_eq("exists", True, g.exists("/etc/hostname"))
t.expect_eq("is_dir /bin", False, g.is_dir("/bin"))
t.expect_eq("is_dir /bin followsymlinks", True, g.is_dir("/bin", followsymlinks=True))
t.expect_true("ls /etc", "hostname" in g.ls("/etc"))
# RStruct: an object with one attribute per field.
st = g.statns("/etc/hostname")
t.expect_eq("statns type", drydock.Statns, type(st))
t.expect_eq("statns st_size", 13, st.st_size)
t.expect_eq("statns st_mode", 0o100644, st.st_mode)
t.expect_eq("statns st_mtime_sec", 1700000000, st.st_mtime_sec)
# RStructList with strings.
apps = g.inspect_list_applications(root)
t.expect_true("inspect_list_applications: some", len(apps) > 0)
t.expect_true("application name is a str",
              all(isinstance(a.name, str) and a.name for a in apps))
# StringList argument.
t.expect_eq("feature_available (StringList)", True,
            g.feature_available(["augeas"]))
# Augeas without its lenses (flags 8 + 32: quick): OptString (None and
# a string), RStruct int_bool.
g.aug_init("/", 40)
t.expect_eq("aug_defvar with None", 0, g.aug_defvar("nothing", None))
ib = g.aug_defnode("newnode", "/files/new", "x")
t.expect_eq("aug_defnode (int_bool)", (1, 1), (ib.i, ib.b))
t.expect_eq("aug_get", "x", g.aug_get("/files/new"))
t.expect_eq("aug_defvar with an expression", 1, g.aug_defvar("v", "/files/new"))
g.aug_close()
g.umount_all()

# The scratch disk: Int (mkfs's OInt blocksize), writes, FileIn and
# FileOut, Int64, OInt64, OStringList.
g.part_disk("/dev/sdb", "mbr")
g.mkfs("ext4", "/dev/sdb1", blocksize=1024, label="pyscratch")
g.mount("/dev/sdb1", "/")
t.expect_eq("statvfs bsize (the OInt)", 1024, g.statvfs("/").bsize)
t.expect_eq("vfs_label (the OString)", "pyscratch", g.vfs_label("/dev/sdb1"))
data = bytes(range(256)) * 3
g.write("/bin.dat", data)                         # BufferIn: bytes
t.expect_eq("write/read_file bytes", data, g.read_file("/bin.dat"))
g.write("/text", "héllo\n")                       # BufferIn: str, as UTF-8
t.expect_eq("write str", "héllo\n".encode(), g.read_file("/text"))
g.write("/empty", b"")
t.expect_eq("write empty", 0, g.filesize("/empty"))
g.write_append("/text", bytearray(b"more\n"))     # any bytes-like
t.expect_eq("write_append", "héllo\nmore\n", g.cat("/text"))
g.chmod(0o600, "/text")                           # Int
t.expect_eq("chmod", 0o600, g.statns("/text").st_mode & 0o777)
g.truncate_size("/bin.dat", 5000000000)           # Int64 beyond 32 bits
t.expect_eq("truncate_size/filesize (Int64)", 5000000000, g.filesize("/bin.dat"))
g.rm("/bin.dat")
g.fstrim("/", offset=0, length=1 << 20)           # OInt64
host_in = os.path.join(t.scratch, "in.dat")
with open(host_in, "wb") as f:
    f.write(os.urandom(300000))
g.upload(host_in, "/up.dat")                      # FileIn
host_out = os.path.join(t.scratch, "out.dat")
g.download("/up.dat", host_out)                   # FileOut
with open(host_in, "rb") as a, open(host_out, "rb") as b:
    t.expect_eq("upload then download", a.read(), b.read())
# A guest name that is not UTF-8 comes back as a str with surrogates
# and goes back in as the same bytes.
g.touch(b"/caf\xe9")
name = [n for n in g.ls("/") if n.startswith("caf")]
t.expect_eq("non-UTF-8 name", ["caf\udce9"], name)
t.expect_eq("non-UTF-8 name round-trips", True, g.exists("/" + name[0]))
# OStringList: tar_out's excludes.
tar_path = os.path.join(t.scratch, "out.tar")
g.tar_out("/", tar_path, excludes=["./up.dat", "./lost+found"])
with tarfile.open(tar_path) as tf:
    names = sorted(n.lstrip("./") for n in tf.getnames() if n not in (".", "./"))
t.expect_eq("tar_out excludes", ["caf\udce9", "empty", "text"], names)

# Bad argument types: a clear TypeError or OverflowError, no call.
e = t.expect_raises("chmod with a str mode", TypeError, g.chmod, "600", "/text")
t.expect_true("TypeError names the argument: %s" % e, "chmod: mode" in str(e))
t.expect_raises("chmod with a mode > 32 bits", OverflowError,
                g.chmod, 1 << 40, "/text")
t.expect_raises("a str as a StringList", TypeError,
                g.feature_available, "augeas")
t.expect_raises("a NUL in a path", ValueError, g.exists, "/a\0b")
t.expect_raises("an unknown optional argument", TypeError,
                g.mkfs, "ext4", "/dev/sdb1", nosuchopt=1)
t.expect_raises("an optional argument given positionally", TypeError,
                g.is_dir, "/", True)

kids = t.children()
t.expect_true("the handle has child processes", len(kids) > 0)
t.expect_true("the handle has temporary files", os.listdir(tmpdir))
g.shutdown()
del g
gc.collect()
t.expect_no_children_left("after del g", kids)
t.expect_eq("temporary files left after del g", [], os.listdir(tmpdir))
