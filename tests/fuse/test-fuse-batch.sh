#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# What makes a mount fast, checked through the calls it makes (the
# mount's -x trace and -v debug messages), never through timings:
#  - readfilelist through the shell on hostile.img: regular files come
#    whole and in order, also by relative paths (a symlink on the way
#    resolved inside PATH); a FIFO, device nodes, symlinks (one leading
#    out of the guest), a missing name, absolute names and ones with
#    "", "." or ".." components, and a file bigger than MAXSIZE come as
#    -1, nothing opened; a negative MAXSIZE and a PATH that is not a
#    directory are refused;
#  - tar of a read-only mount's /etc (debian.img): every file's bytes
#    as the shell's, from at most one readfilelist per directory (its
#    small files, and those of the directories after it) and no pread,
#    and the kernel asks to open a file once at most (then opens them
#    itself);
#  - tar of an image of 60 directories of 8 small files made here: the
#    same bytes, in a few readfilelist calls (not 60, nor 480), the
#    next batch fetched ahead while one is read; the image's tree (400
#    symlinks more, empty directories first, last, nested and beside
#    files) comes in one lstatns_tree, taken in while it arrives:
#    directories are served before its end, and find on the mount
#    gives the host's tree (so the empty ones, which the list shows
#    only by the names of the next directory, are right);
#  - cat of hostile.img's 5 MiB /var/big: streamed from the drives
#    (one extentlist, no call for its bytes), or with direct reads off
#    in one download_offset; no pread, the right bytes; a second cat
#    too;
#  - --rw on a copy: a file whose contents came in its directory's
#    batch (once the directory was listed), then written through the
#    mount, reads back its new bytes, and a sibling its old ones, then
#    appended to, its new ones; so after a remount.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 fusermount3 python3
[ -c /dev/fuse ] || skip "no /dev/fuse"

cd "$scratch"
debian=$(guest debian.img)
hostile=$(guest hostile.img)
keep_sums "$debian" "$hostile"
mnt="$scratch/mnt"
mkdir "$mnt"
add_cleanup "fusermount3 -u -q -z '$mnt' 2>/dev/null || :"

# fuse_mount ARGS...: drydock mount -v -x ARGS on $mnt, its trace and
# debug messages into trace.log.
fuse_mount ()
{
  rm -f pid
  drydock mount -v -x --pid-file "$scratch/pid" "$@" "$mnt" 2> trace.log ||
    fail "drydock mount $*: $(tail -5 trace.log)"
}
# fuse_end: unmounts and waits until the worker is gone.
fuse_end ()
{
  local pid i
  pid=$(cat pid)
  drydock unmount "$mnt" || fail "drydock unmount: exit $?"
  for i in $(seq 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  fail "the mount's worker did not end"
}
# calls NAME: how many calls of the action NAME the trace shows.
calls ()
{
  grep "^libdrydock: trace: $1 " trace.log | grep -vc "^libdrydock: trace: $1 = " || :
}

# readfilelist through the shell: the sizes and sha256s it returned.
records ()
{
  python3 - "$1" <<'PY'
import hashlib, struct, sys
b = open(sys.argv[1], "rb").read()
i = 0
while i < len(b):
    (n,) = struct.unpack(">q", b[i:i + 8])
    i += 8
    if n < 0:
        print(n)
        continue
    print(n, hashlib.sha256(b[i:i + n]).hexdigest())
    i += n
PY
}
drydock shell --ro --format raw -a "$hostile" -i > ref 2> sh.err <<CMDS ||
readfilelist /etc "hostname fstab initctl zero passwd loop missing debian_version" 4096 | cat > $scratch/etc.rfl
readfilelist /dev "initctl zero sda" 65536 | cat > $scratch/dev.rfl
readfilelist /var "big" 1048576 | cat > $scratch/big.rfl
readfilelist /etc "escape/debian_version escape/etc/debian_version /etc/hostname ../etc/hostname ./hostname hostname/ apt//sources.list" 4096 | cat > $scratch/rel.rfl
readfilelist / "etc/hostname etc/zero etc/initctl" 4096 | cat > $scratch/sub.rfl
filesize /etc/fstab
checksum sha256 /etc/fstab
checksum sha256 /etc/debian_version
CMDS
  fail "shell: $(cat sh.err)"
mapfile -t want < ref
expect_eq "readfilelist /etc" \
  "0 $(sha256sum < /dev/null | cut -d' ' -f1)
${want[0]} ${want[1]}
-1
-1
-1
-1
-1
5 ${want[2]}" "$(records etc.rfl)"
expect_eq "readfilelist of device nodes and a FIFO" "-1 -1 -1" \
  "$(records dev.rfl | tr '\n' ' ' | sed 's/ $//')"
expect_eq "readfilelist of a file bigger than maxsize" "-1" "$(records big.rfl)"
expect_eq "readfilelist of relative names" "5 ${want[2]} -1 -1 -1 -1 -1 -1" \
  "$(records rel.rfl | tr '\n' ' ' | sed 's/ $//')"
expect_eq "readfilelist of names in a subdirectory" \
  "0 $(sha256sum < /dev/null | cut -d' ' -f1) -1 -1" \
  "$(records sub.rfl | tr '\n' ' ' | sed 's/ $//')"
for bad in "/etc \"hostname\" -1" "/etc/hostname \"x\" 10" "/nowhere \"x\" 10"; do
  drydock shell --ro --format raw -a "$hostile" -i <<< "readfilelist $bad" \
    > /dev/null 2> err && fail "readfilelist $bad worked"
  [ "$(wc -l < err)" = 1 ] || fail "readfilelist $bad: $(cat err)"
done

# tar of /etc: the same bytes as the shell reads, one readfilelist a
# directory with small files, no pread.
fuse_mount --format raw -a "$debian" -i
mkdir untar
tar cf - -C "$mnt" etc 2> tar.err | tar xf - -C untar ||
  fail "tar: $(cat tar.err)"
dirs=$(cd "$mnt" && find etc -type f -size +0 -printf '%h\n' | sort -u | wc -l)
files=$(cd "$mnt" && find etc -type f | wc -l)
opens=$(grep -c "mount_local: open " trace.log || :)
fuse_end
(( files > 2 * dirs )) || fail "debian's /etc: $files files in $dirs directories"
n=$(calls readfilelist)
(( n >= 1 && n <= dirs )) ||
  fail "tar of /etc: $n readfilelist calls for $files files in $dirs directories"
expect_eq "tar of /etc: pread calls" 0 "$(calls pread)"
(( opens <= 1 )) || fail "tar of /etc: the kernel asked to open $opens files"
(cd untar && find etc -type f | sort) > files
while IFS= read -r f; do
  echo "checksum sha256 \"/$f\""
done < files > cmds
drydock shell --ro --format raw -a "$debian" -i < cmds > ref 2> ref.err ||
  fail "shell: $(cat ref.err)"
expect_eq "tar of /etc: contents" "$(cat ref)" \
  "$(while IFS= read -r f; do sha "untar/$f"; done < files)"

# A tree of many directories of small files, made here: tar reads it
# in a few batches, each next one fetched while the last is read.
requires mkfs.ext4
mkdir -p tree
for d in $(seq 60); do
  mkdir "tree/d$d"
  for f in $(seq 8); do
    head -c $(( (d * 37 + f * 1013) % 9000 )) /dev/urandom > "tree/d$d/f$f"
  done
done
mkdir -p tree/a-empty tree/links tree/d5/sub tree/d7/x/y/z tree/nest/a/b/c \
  tree/zz/empty
for i in $(seq 400); do
  ln -s "../d$(( i % 60 + 1 ))/f1" "tree/links/l$i"
done
mkfs.ext4 -q -F -d tree small.img 32M > /dev/null
fuse_mount --format raw -a small.img -m /dev/sda
mkdir untar2
tar cf - -C "$mnt" . 2> tar.err | tar xf - -C untar2 || fail "tar: $(cat tar.err)"
listing () { (cd "$1" && find . -path ./lost+found -prune -o \
                -printf '%y %p %l\n' | sort); }
expect_eq "find of small.img's mount" "$(listing tree)" "$(listing "$mnt")"
fuse_end
diff -r --no-dereference -x lost+found tree untar2 > /dev/null ||
  fail "tar of small.img: contents differ"
names=$(( $(cd tree && find . | wc -l) ))      # with lost+found, not .
grep -Eq "mount_local: tree of /: $names names, [0-9]+ bytes, [1-9][0-9]* \
directories served while it arrived" trace.log ||
  fail "tree of small.img: $(grep "tree of" trace.log || echo no tree line)"
n=$(calls readfilelist)
(( n >= 2 && n <= 6 )) || fail "tar of 60 directories: $n readfilelist calls"
grep -q "fetched ahead" trace.log || fail "tar of 60 directories: nothing fetched ahead"
expect_eq "tar of 60 directories: pread calls" 0 "$(calls pread)"

# A big file streamed: from the drives (one extentlist, no call for
# its bytes), or with direct reads off, by one download_offset; never
# a pread.
for direct in 1 0; do
  DRYDOCK_DIRECT_READ=$direct fuse_mount --format raw -a "$hostile" -i
  expect_eq "cat /var/big" \
    64cdb77c10fa2d9d8e9f928a60bd15a4dff8d47bdfd6214a4092907d10561d2c \
    "$(cat "$mnt/var/big" | sha256sum | cut -d' ' -f1)"
  expect_eq "cat /var/big again" \
    64cdb77c10fa2d9d8e9f928a60bd15a4dff8d47bdfd6214a4092907d10561d2c \
    "$(cat "$mnt/var/big" | sha256sum | cut -d' ' -f1)"
  fuse_end
  expect_eq "cat /var/big: pread calls" 0 "$(calls pread)"
  if [ "$direct" = 1 ]; then
    grep -q "mount_local: streaming /var/big from the drives, pieces asked ahead" trace.log ||
      fail "/var/big was not streamed from the drives, pieces asked ahead"
    expect_eq "cat /var/big from the drives: download_offset calls" 0 \
      "$(calls download_offset)"
    n=$(calls extentlist)
    (( n >= 1 && n <= 2 )) || fail "cat /var/big twice: $n extentlist calls"
  else
    grep -q "mount_local: streaming /var/big$" trace.log ||
      fail "/var/big was not streamed (direct reads off)"
    n=$(calls download_offset)
    (( n >= 1 && n <= 2 )) || fail "cat /var/big twice: $n download_offset calls"
  fi
done

# --rw: the batch's contents are dropped by a write.
img=$(scratch_copy "$debian")
fuse_mount --format raw -a "$img" -i --rw
ls "$mnt/etc" > /dev/null
expect_eq "hostname" "debian-guest" "$(cat "$mnt/etc/hostname")"
echo "written-guest" > "$mnt/etc/hostname"
expect_eq "hostname after the write" "written-guest" "$(cat "$mnt/etc/hostname")"
expect_eq "debian_version beside it" "12.5" "$(cat "$mnt/etc/debian_version")"
printf 'x' >> "$mnt/etc/debian_version"
expect_eq "debian_version appended" "12.5
x" "$(cat "$mnt/etc/debian_version")"
fuse_end
# The first read took the directory's small files in one call; the
# write dropped hostname's; debian_version was read from the batch.
(( $(calls readfilelist) >= 1 )) || fail "--rw: no readfilelist"
fuse_mount --format raw -a "$img" -i
expect_eq "hostname after a remount" "written-guest" "$(cat "$mnt/etc/hostname")"
expect_eq "debian_version after a remount" "12.5
x" "$(cat "$mnt/etc/debian_version")"
fuse_end

sums_unchanged
