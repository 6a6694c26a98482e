#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock tests/data: write an empty Windows registry hive (regf): a
# base block, one 4 KiB hive bin holding the root key, its security
# descriptor and a free cell.  The Windows tests build their hives from
# it with hivexregedit --merge when no shared minimal hive is around.
#
# Usage: make-empty-hive.py OUT
import struct
import sys

FILETIME = 0x01CA0000_00000000       # any fixed time: reproducible output
NONE = 0xFFFFFFFF


def cell(payload):
    """A used cell: negative size (4 + payload, rounded up to 8)."""
    size = (4 + len(payload) + 7) // 8 * 8
    return struct.pack("<i", -size) + payload.ljust(size - 4, b"\0")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-empty-hive.py OUT")
    name = b"ROOT"
    nk_off = 0x20                     # cells start after the bin header
    nk_len = len(cell(b"\0" * (0x4C + len(name))))
    sk_off = nk_off + nk_len
    nk = struct.pack(
        "<2sHQ" + "I" * 15 + "HH",
        b"nk", 0x2C,                  # hive entry, no delete, ASCII name
        FILETIME, 0, 0,               # time, spare, parent
        0, 0, NONE, NONE,             # subkeys (and volatile): none
        0, NONE,                      # values: none
        sk_off, NONE,                 # security, class name
        0, 0, 0, 0, 0,                # maxima, work variable
        len(name), 0) + name
    # Self-relative security descriptor, DACL present but NULL: the
    # smallest one Windows accepts; hivex only copies it.
    sd = struct.pack("<BBHIIII", 1, 0, 0x8004, 0, 0, 0, 0)
    sk = struct.pack("<2sHIIII", b"sk", 0, sk_off, sk_off, 1, len(sd)) + sd
    cells = cell(nk) + cell(sk)
    assert len(cell(nk)) == nk_len
    free = 0x1000 - 0x20 - len(cells)
    hbin = struct.pack("<4sIIIIQI", b"hbin", 0, 0x1000, 0, 0, FILETIME, 0)
    hbin += cells + struct.pack("<i", free) + b"\0" * (free - 4)
    assert len(hbin) == 0x1000
    base = struct.pack("<4sIIQIIIIIII", b"regf", 1, 1, FILETIME, 1, 3, 0, 1,
                       nk_off, 0x1000, 1)
    base += "empty.hiv".encode("utf-16-le").ljust(64, b"\0")
    base = base.ljust(0x1FC, b"\0")
    checksum = 0
    for (dword,) in struct.iter_unpack("<I", base):
        checksum ^= dword
    base += struct.pack("<I", checksum)
    base = base.ljust(0x1000, b"\0")
    with open(sys.argv[1], "wb") as f:
        f.write(base + hbin)


main()
