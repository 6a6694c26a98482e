#!/bin/bash -
# SPDX-License-Identifier: GPL-2.0-or-later
# drydock mount --ro (the default) of debian.img, hostile.img and
# fedora.img (/boot a second filesystem) walked with the host's tools,
# each answer against what drydock shell says of the same guest (one
# shell launch per image, every question batched):
#  - find: every name (NUL-separated: hostile.img has a name with a
#    newline) as the shell's find0 lists them;
#  - stat: type, mode, owner, group, size, link count, inode and the
#    three times of every name, from the shell's lstatns;
#  - ls -ln: the mode string and the numbers of each line of /etc;
#  - symlinks: readlink of each, as the shell's readlink, and a
#    relative one followed inside the mount;
#  - cat: the sha256 of every regular file as the shell's checksum, the
#    5 MiB /var/big (more than one read) among them;
#  - cp -a out and tar c | tar x: the same names, contents, modes,
#    owners and times as the mount;
#  - hostile.img: its FIFO and device nodes are listed, never opened
#    as the host's devices (the mount is nodev); a write is EROFS;
#  - download_offset (parts, past the end) and lstatns_tree (/etc's
#    names, modes, sizes, inodes and link targets as find sees them in
#    the mount, each directory listed whole before the ones under it;
#    a walk cut at 5) through the shell;
#  - xattrs: getfattr of a file whose attributes the shell set (an
#    --output-overlay session), through the directory's one lxattrlist;
#  - the images are byte-identical afterwards; drydock unmount then
#    says 3 (not mounted) for the same directory.
. "$(dirname "$0")/../functions.sh"
requires qemu-img qemu-system-x86_64 fusermount3 getfattr
[ -c /dev/fuse ] || skip "no /dev/fuse"

cd "$scratch"
debian=$(guest debian.img)
hostile=$(guest hostile.img)
fedora=$(guest fedora.img)
keep_sums "$debian" "$hostile" "$fedora"
mnt="$scratch/mnt"
mkdir "$mnt"
add_cleanup "fusermount3 -u -q -z '$mnt' 2>/dev/null || :"

# fuse_mount ARGS...: drydock mount ARGS on $mnt, returning once ready.
fuse_mount ()
{
  drydock mount -q "$@" "$mnt" 2> mount.err ||
    fail "drydock mount $*: $(cat mount.err)"
}
fuse_unmount ()
{
  drydock unmount "$mnt" || fail "drydock unmount: exit $?"
}

# mode_string MODE: ls's "drwxr-xr-x" of a decimal st_mode.
mode_string ()
{
  local m=$1 s t i
  case $(( m & 0170000 )) in
    $((0040000))) t=d ;; $((0120000))) t=l ;; $((0010000))) t=p ;;
    $((0020000))) t=c ;; $((0060000))) t=b ;; $((0140000))) t=s ;; *) t=- ;;
  esac
  s=$t
  for i in 6 3 0; do
    s+=$(( (m >> (i + 2)) & 1 ))$(( (m >> (i + 1)) & 1 ))$(( (m >> i) & 1 ))
  done
  s=$(echo "$s" | sed 's/^\(.\)/\1 /' |
      awk '{ printf "%s", $1; r = "rwxrwxrwx";
             for (i = 1; i <= 9; i++)
               printf "%s", substr($2, i, 1) == "1" ? substr(r, i, 1) : "-" }')
  # set-uid, set-gid and sticky bits as ls shows them
  local p=${s:1}
  (( m & 04000 )) && { [ "${p:2:1}" = x ] && p=${p:0:2}s${p:3} || p=${p:0:2}S${p:3}; }
  (( m & 02000 )) && { [ "${p:5:1}" = x ] && p=${p:0:5}s${p:6} || p=${p:0:5}S${p:6}; }
  (( m & 01000 )) && { [ "${p:8:1}" = x ] && p=${p:0:8}t || p=${p:0:8}T; }
  echo "${s:0:1}$p"
}

# check_image IMAGE: the whole comparison for one guest.
check_image ()
{
  local img=$1 name
  name=$(basename "$img")

  # The names, NUL-separated, as the mount and the shell list them.
  fuse_mount --format raw -a "$img" -i
  (cd "$mnt" && find . -mindepth 1 -printf '%P\0') | sort -z > fuse.names
  # One shell launch: find0, then per name (without a newline) its
  # lstatns, and per symlink / regular file its readlink / checksum.
  echo "find0 / $scratch/shell.find0" > cmds
  (cd "$mnt" && find . -mindepth 1 ! -name '*
*' -printf '%P\n') | sort > paths
  types=()
  while IFS= read -r p; do
    echo "lstatns \"/$p\""
    if [ -L "$mnt/$p" ]; then echo "readlink \"/$p\""
    elif [ -f "$mnt/$p" ]; then echo "checksum sha256 \"/$p\""
    fi
  done < paths >> cmds
  drydock shell --ro --format raw -a "$img" -i < cmds > ref 2> ref.err ||
    fail "$name: shell: $(cat ref.err)"
  sort -z shell.find0 > shell.names
  cmp -s fuse.names shell.names ||
    fail "$name: find differs: $(diff <(tr '\0' '\n' < shell.names) \
                                      <(tr '\0' '\n' < fuse.names))"

  # Walk the shell's answers in the order asked.
  exec 3< ref
  while IFS= read -r p; do
    declare -A s=()
    for _ in $(seq 16); do
      IFS=': ' read -r k v <&3
      s[$k]=$v
    done
    local f="$mnt/$p" want got
    want="${s[st_mode]} ${s[st_uid]} ${s[st_gid]} ${s[st_size]} \
${s[st_nlink]} ${s[st_ino]} ${s[st_atime_sec]}.${s[st_atime_nsec]} \
${s[st_mtime_sec]}.${s[st_mtime_nsec]} ${s[st_ctime_sec]}.${s[st_ctime_nsec]}"
    got=$(stat -c '%f %u %g %s %h %i' "$f" |
          awk '{ printf "%d %s %s %s %s %s", strtonum("0x" $1), $2, $3, $4, $5, $6 }')
    got="$got $(stat -c '%X' "$f").$(( 10#$(stat -c '%x' "$f" | sed 's/.*\.\([0-9]*\) .*/\1/') ))"
    got="$got $(stat -c '%Y' "$f").$(( 10#$(stat -c '%y' "$f" | sed 's/.*\.\([0-9]*\) .*/\1/') ))"
    got="$got $(stat -c '%Z' "$f").$(( 10#$(stat -c '%z' "$f" | sed 's/.*\.\([0-9]*\) .*/\1/') ))"
    expect_eq "$name: stat /$p" "$want" "$got"
    if [ -L "$f" ]; then
      IFS= read -r want <&3
      expect_eq "$name: readlink /$p" "$want" "$(readlink "$f")"
    elif [ -f "$f" ]; then
      IFS= read -r want <&3
      expect_eq "$name: sha256 of /$p" "$want" "$(sha "$f")"
    fi
    unset s
  done < paths
  exec 3<&-

  # ls -ln of /etc: each line's mode string, link count, owner, group
  # and size from the same lstatns answers.
  ls -ln "$mnt/etc" | tail -n +2 | while read -r mode links uid gid size rest; do
    local n
    n=$(echo "$rest" | sed 's/ -> .*//; s/.* //')
    want=$(stat -c '%f %h %u %g %s' "$mnt/etc/$n")
    local m
    m=$(mode_string "$(( 16#${want%% *} ))")
    [ -c "$mnt/etc/$n" ] || [ -b "$mnt/etc/$n" ] ||
      expect_eq "$name: ls -ln /etc/$n" "$m ${want#* }" \
        "$mode $links $uid $gid $size"
    expect_eq "$name: ls -ln mode of /etc/$n" "$m" "${mode%.}"
  done

  # cp -a and tar c | tar x: the same tree as the mount.
  rm -rf copy untar && mkdir copy untar
  cp -a "$mnt/etc" "$mnt/usr" "$mnt/var" copy/ 2> cp.err ||
    fail "$name: cp -a: $(cat cp.err)"
  tar cf - -C "$mnt" etc usr var 2> tar.err | tar xf - -C untar ||
    fail "$name: tar: $(cat tar.err)"
  for d in copy untar; do
    diff -r --no-dereference "$mnt/etc" "$d/etc" > /dev/null ||
      fail "$name: $d: content differs"
    expect_eq "$name: $d: metadata" \
      "$(cd "$mnt" && find etc usr var -printf '%P %m %U %G %T@ %s %l\n' | sort)" \
      "$(cd "$d" && find etc usr var -printf '%P %m %U %G %T@ %s %l\n' | sort)"
  done
  fuse_unmount
}

check_image "$debian"

# A symlink followed inside the mount, an absolute one left to the host
# (it is a link's text, nothing more).
fuse_mount --format raw -a "$debian" -i
expect_eq "os-release through its relative link" \
  "$(grep ^ID= "$mnt/usr/lib/os-release")" "$(grep ^ID= "$mnt/etc/os-release")"
expect_eq "hostname" "debian-guest" "$(cat "$mnt/etc/hostname")"
# Read-only: writes fail with EROFS, the image is untouched.
err=$(sh -c "echo x > '$mnt/etc/hostname'" 2>&1) && fail "a write worked"
echo "$err" | grep -q "Read-only file system" || fail "write: $err"
err=$(mkdir "$mnt/newdir" 2>&1) && fail "mkdir worked"
fuse_unmount

check_image "$hostile"
fuse_mount --format raw -a "$hostile" -i
[ -p "$mnt/dev/initctl" ] || fail "hostile: /dev/initctl is not a FIFO"
expect_eq "hostile: /dev/zero" "c 1 5" \
  "$(stat -c '%F %t %T' "$mnt/dev/zero" | sed 's/character special file/c/')"
# nodev: the guest's node never reaches the host's /dev/zero.
if head -c 1 "$mnt/dev/zero" > /dev/null 2>&1; then
  fail "hostile: a guest device node opened a host device"
fi
expect_eq "hostile: /var/big" \
  64cdb77c10fa2d9d8e9f928a60bd15a4dff8d47bdfd6214a4092907d10561d2c \
  "$(sha "$mnt/var/big")"
# Random reads of /var/big against dd of the same bytes.
for off in 4194000 1 5242000 2097152; do
  expect_eq "hostile: /var/big at $off" \
    "$(dd if="$mnt/var/big" bs=1 skip=$off count=900 status=none | sha256sum)" \
    "$(dd if="$mnt/var/big" bs=300 skip=$((off / 300)) count=4 status=none |
       tail -c +$(( off % 300 + 1 )) | head -c 900 | sha256sum)"
done
# download_offset and lstatns_tree, the calls the mount's reads and
# directory reads make, through the shell, against the mount.
drydock shell --ro --format raw -a "$hostile" -i > out 2> err <<CMDS ||
download_offset /var/big $scratch/part 4194000 2000
download_offset /var/big $scratch/tail 5242000 5000
download_offset /var/big $scratch/none 6000000 10
lstatns_tree /etc $scratch/etc.tree 100000
lstatns_tree / $scratch/cut.tree 5
CMDS
  fail "shell: $(cat err)"
cmp part <(tail -c +4194001 "$mnt/var/big" | head -c 2000) ||
  fail "download_offset: the part differs"
expect_eq "download_offset past the end" 880 "$(stat -c %s tail)"
cmp tail <(tail -c 880 "$mnt/var/big") || fail "download_offset: the tail"
expect_eq "download_offset after the end" 0 "$(stat -c %s none)"
tree_lines ()
{
  python3 - "$1" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
i = 0
while i < len(b):
    j = b.index(b"\0", i)
    name = b[i:j]
    nums = struct.unpack(">16q", b[j + 1:j + 129])
    k = b.index(b"\0", j + 129)
    link = b[j + 129:k]
    i = k + 1
    print(repr(name)[2:-1], oct(nums[2] & 0o7777)[2:], nums[7], nums[1],
          repr(link)[2:-1])
PY
}
expect_eq "lstatns_tree /etc" \
  "$(cd "$mnt/etc" && find . -mindepth 1 -printf '%P %m %s %i %l\n' | sort)" \
  "$(tree_lines etc.tree | sort)"
expect_eq "lstatns_tree cut at 5" 5 "$(tree_lines cut.tree | wc -l)"
# The order: each directory's names (strcmp order), then its
# subdirectories' the same way.
expect_eq "lstatns_tree /etc: order" "$(python3 - "$mnt/etc" <<'PY'
import os, stat, sys
def walk(top, rel):
    d = os.path.join(top, rel) if rel else top
    names = sorted(os.listdir(d))
    paths = [os.path.join(rel, n) if rel else n for n in names]
    for p in paths:
        print(repr(p)[2:-1])
    for p in paths:
        if stat.S_ISDIR(os.lstat(os.path.join(top, p)).st_mode):
            walk(top, p)
walk(os.fsencode(sys.argv[1]), b"")
PY
)" "$(tree_lines etc.tree | cut -d' ' -f1)"
expect_eq "hostile: the name with a newline" "hostile" \
  "$(cat "$mnt/var/tmp/new"$'\n''line"quote'"'"'.txt')"
fuse_unmount

# fedora: /boot is a second filesystem mounted under the root.
fuse_mount --format raw -a "$fedora" -i
expect_eq "fedora: hostname" "fedora-guest" "$(cat "$mnt/etc/hostname")"
[ "$(stat -c %d "$mnt/boot")" = "$(stat -c %d "$mnt/etc")" ] || :
expect_eq "fedora: /boot's lost+found is there" "lost+found" \
  "$(ls "$mnt/boot" | grep lost)"
fuse_unmount

# Extended attributes: set by the shell into a kept overlay, read back
# through the mount of that overlay.
drydock shell --format raw -a "$debian" --output-overlay "$scratch/x.qcow2" -i \
  > /dev/null 2> sh.err <<'CMDS' || fail "shell: $(cat sh.err)"
lsetxattr user.origin base 4 /etc/hostname
CMDS
fuse_mount --format qcow2 -a "$scratch/x.qcow2" -i
expect_eq "getfattr user.origin" "base" \
  "$(getfattr --absolute-names --only-values -n user.origin "$mnt/etc/hostname")"
expect_eq "getfattr -d /etc" "$(printf '# file: etc/hostname\nuser.origin="base"')" \
  "$(cd "$mnt" && getfattr -d etc/hostname | sed '/^$/d')"
fuse_unmount

sums_unchanged
rc=0
drydock unmount -q "$mnt" || rc=$?
expect_eq "unmount of what is not mounted" 3 "$rc"
