# SPDX-License-Identifier: GPL-2.0-or-later
# drydock tests/data: helpers that turn a directory tree into filesystem
# and disk images without root, loop devices or mounting.  Sourced by
# make-guests.sh, make-inspect-guests.sh and make-windows-guests.sh; the
# trees themselves are in guest-trees.sh.
#
# Everything here works on plain files: mke2fs -d, debugfs, mkfs.xfs -p,
# mkfs.fat + mtools, sfdisk on an image file, dd at a partition offset.
# Reproducibility: fixed UUIDs and hash seeds, a private mke2fs.conf,
# E2FSPROGS_FAKE_TIME, and every ext4 inode's owner and times rewritten
# with debugfs so the host's uid and ctime never leak into an image.
#
# Convention: functions print nothing on success and call gl_die on error.

# Fixed timestamp for every file in every image (2023-11-14 22:13:20 UTC).
GL_EPOCH=1700000000

gl_die ()
{
  echo "${GL_PROG:-make-guests.sh}: error: $*" >&2
  exit 1
}

# gl_require TOOL PACKAGE: exit 77 (so a test can skip) with the Debian
# package to install when TOOL is not on PATH.
gl_require ()
{
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "${GL_PROG:-make-guests.sh}: error: '$1' not found;" \
       "install the Debian package '$2'" >&2
  exit 77
}

# gl_init TMPDIR: set up a predictable environment.  TMPDIR must exist
# and is where private config files go.
gl_init ()
{
  GL_TMP="$1"
  # mkfs tools live in /usr/sbin, which is not on an ordinary user's PATH.
  PATH="$PATH:/usr/sbin:/sbin"
  umask 022
  export LC_ALL=C TZ=UTC
  export SOURCE_DATE_EPOCH="$GL_EPOCH" E2FSPROGS_FAKE_TIME="$GL_EPOCH"
  export MTOOLS_SKIP_CHECK=1 MTOOLSRC=/dev/null
  # Pin ext4 features instead of inheriting the host's /etc/mke2fs.conf:
  # no orphan_file or metadata_csum_seed, so e2fsprogs >= 1.43 and
  # kernels >= 4.x can read the images.
  export MKE2FS_CONFIG="$GL_TMP/mke2fs.conf"
  cat >"$MKE2FS_CONFIG" <<'EOF'
[defaults]
  base_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
  default_mntopts = acl,user_xattr
  enable_periodic_fsck = 0
  blocksize = 4096
  inode_size = 256
  inode_ratio = 16384
  reserved_ratio = 5.0
  lazy_itable_init = false
  lazy_journal_init = false
[fs_types]
  ext4 = {
    features = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
  }
EOF
}

# --- building trees -------------------------------------------------------

# gl_put TREE PATH [MODE] < CONTENT: write a file, creating parents.
gl_put ()
{
  mkdir -p "$1/$(dirname "$2")"
  cat >"$1/$2"
  chmod "${3:-0644}" "$1/$2"
}

# gl_dir TREE PATH [MODE]
gl_dir ()
{
  mkdir -p "$1/$2"
  chmod "${3:-0755}" "$1/$2"
}

# gl_link TREE PATH TARGET: symlink PATH -> TARGET (TARGET is literal).
gl_link ()
{
  mkdir -p "$1/$(dirname "$2")"
  ln -sfn "$3" "$1/$2"
}

# gl_elf TREE PATH [MACHINE]: a 129-byte static x86-64 ELF executable
# that exits 0, so /usr/bin/ls & co. are real (tiny) binaries and
# inspection can read the architecture from the ELF header.  MACHINE
# (x86_64 or aarch64) only changes e_machine (EM_AARCH64 is 0xb7): the
# code stays x86-64, which is enough for a header to say aarch64.
gl_elf ()
{
  local em='\x3e'

  case "${3:-x86_64}" in
    x86_64)  ;;
    aarch64) em='\xb7' ;;
    *)       gl_die "gl_elf: unknown machine '$3'" ;;
  esac
  mkdir -p "$1/$(dirname "$2")"
  {
    # ELF header: 64-bit, little endian, SysV, ET_EXEC, EM_X86_64 (or
    # MACHINE), entry 0x400078, program headers at 64, one of 56 bytes.
    printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00'
    printf '\x02\x00%b\x00\x01\x00\x00\x00' "$em"
    printf '\x78\x00\x40\x00\x00\x00\x00\x00'
    printf '\x40\x00\x00\x00\x00\x00\x00\x00'
    printf '\x00\x00\x00\x00\x00\x00\x00\x00'
    printf '\x00\x00\x00\x00\x40\x00\x38\x00\x01\x00\x40\x00\x00\x00\x00\x00'
    # PT_LOAD, R+X, whole file (129 bytes) at 0x400000.
    printf '\x01\x00\x00\x00\x05\x00\x00\x00'
    printf '\x00\x00\x00\x00\x00\x00\x00\x00'
    printf '\x00\x00\x40\x00\x00\x00\x00\x00'
    printf '\x00\x00\x40\x00\x00\x00\x00\x00'
    printf '\x81\x00\x00\x00\x00\x00\x00\x00'
    printf '\x81\x00\x00\x00\x00\x00\x00\x00'
    printf '\x00\x10\x00\x00\x00\x00\x00\x00'
    # mov $60,%eax; xor %edi,%edi; syscall  (exit(0))
    printf '\xb8\x3c\x00\x00\x00\x31\xff\x0f\x05'
  } >"$1/$2"
  chmod 0755 "$1/$2"
}

# gl_png TREE PATH WIDTH HEIGHT [noise]: a valid RGB PNG of that size,
# one colour (a few hundred bytes), or with "noise" pixels of a fixed
# pseudo-random sequence, so it does not compress (about 3 bytes a
# pixel).  The same bytes every time.
gl_png ()
{
  mkdir -p "$1/$(dirname "$2")"
  python3 - "$1/$2" "$3" "$4" "${5:-}" <<'PY'
import struct, sys, zlib
path, w, h, noise = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
x = 12345
rows = bytearray()
for _ in range(h):
    rows.append(0)                      # filter: none
    for _ in range(w):
        if noise:
            x = (x * 1103515245 + 12345) & 0x7fffffff
            rows += bytes((x >> 16 & 255, x >> 8 & 255, x & 255))
        else:
            rows += b"\x20\x60\xa0"
def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
png = (b"\x89PNG\r\n\x1a\n" +
       chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
       chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))
open(path, "wb").write(png)
PY
  chmod 0644 "$1/$2"
}

# gl_owner TREE PATH UID GID: in ext4 images every inode is owned by
# 0:0 unless listed here.  PATH is absolute inside the guest and must
# not contain white space (it goes through debugfs).
gl_owner ()
{
  printf 'sif %s uid %s\nsif %s gid %s\n' "$2" "$3" "$2" "$4" >>"$1.owners"
}

# gl_mode TREE PATH MODE: in ext4 images, give PATH (absolute in the
# guest, no white space) permission bits that the user building the tree
# could not read through, such as 0000.  PATH stays readable in the tree.
gl_mode ()
{
  local type=0100000

  [ -d "$1$2" ] && type=040000
  chmod u+rwX "$1$2"
  printf 'sif %s mode 0%o\n' "$2" $((type | 8#$3)) >>"$1.owners"
}

# gl_mknod TREE PATH c|b MAJOR MINOR: in ext4 images, a character or
# block device node at PATH (absolute in the guest, no white space, its
# directory in TREE), mode 0600, 0:0, the fixed times.  Made by debugfs
# after the tree is copied, so no root is needed.  (A FIFO needs no
# help: mkfifo in TREE, and mke2fs -d copies it.)
gl_mknod ()
{
  local dir="${2%/*}" name="${2##*/}" type=020000 t

  [ -d "$1${dir:-/}" ] || gl_die "gl_mknod: no directory '${dir:-/}' in $1"
  [ "$3" = b ] && type=060000
  {
    printf 'cd %s
mknod %s %s %s %s
cd /
' "${dir:-/}" "$name" "$3" "$4" "$5"
    printf 'sif %s mode 0%o
sif %s uid 0
sif %s gid 0
' \
      "$2" $((type | 8#600)) "$2" "$2"
    for t in atime mtime ctime crtime; do
      printf 'sif %s %s @%s
sif %s %s_extra 0
' "$2" $t "$GL_EPOCH" "$2" $t
    done
  } >>"$1.owners"
}

# gl_stamp_tree TREE: give every entry the fixed mtime (for FAT and XFS,
# which copy it from the host file).
gl_stamp_tree ()
{
  find "$1" -exec touch -h -d "@$GL_EPOCH" {} +
}

# --- ext4 -----------------------------------------------------------------

# Print the in-use inode numbers of an ext4 image that a tree populates:
# the root directory (2) and everything from the first non-reserved inode.
gl_ext4_used_inodes ()
{
  dumpe2fs "$1" 2>/dev/null | awk '
    /^Inodes per group:/ { ipg = $4 }
    /^First inode:/      { first = $3 }
    /^Group [0-9]+:/     { g = $2 + 0 }
    /^  Free inodes:/ {
      sub(/^  Free inodes: */, "")
      split("", free)
      n = split($0, r, /, */)
      for (i = 1; i <= n; i++) {
        if (r[i] == "") continue
        m = split(r[i], ab, "-")
        hi = (m == 2) ? ab[2] : ab[1]
        for (j = ab[1] + 0; j <= hi + 0; j++) free[j] = 1
      }
      for (j = g * ipg + 1; j <= (g + 1) * ipg; j++)
        if (!(j in free) && (j == 2 || j >= first)) print j
    }'
}

# gl_mkext4 OUT SIZE_MIB UUID LABEL TREE: ext4 filesystem image of
# SIZE_MIB holding TREE.  LABEL may be empty.  Owners are 0:0 except
# those recorded with gl_owner (modes: gl_mode); all times are GL_EPOCH.
gl_mkext4 ()
{
  local out="$1" size="$2" uuid="$3" label="$4" tree="$5"
  local cmds="$out.debugfs" err="$out.err" ino

  mke2fs -q -F -t ext4 -T default -U "$uuid" ${label:+-L "$label"} \
    -E "root_owner=0:0,hash_seed=$uuid,no_copy_xattrs,nodiscard" \
    -d "$tree" "$out" "${size}M" >"$err" 2>&1 ||
    gl_die "mke2fs of $out failed: $(cat "$err")"

  # mke2fs -d copies uid, gid and ctime from the host; rewrite them.
  : >"$cmds"
  for ino in $(gl_ext4_used_inodes "$out"); do
    printf 'sif <%s> %s\n' \
      "$ino" "uid 0" "$ino" "gid 0" \
      "$ino" "atime @$GL_EPOCH" "$ino" "atime_extra 0" \
      "$ino" "mtime @$GL_EPOCH" "$ino" "mtime_extra 0" \
      "$ino" "ctime @$GL_EPOCH" "$ino" "ctime_extra 0" \
      "$ino" "crtime @$GL_EPOCH" "$ino" "crtime_extra 0" >>"$cmds"
  done
  [ -s "$cmds" ] || gl_die "no inodes found in $out"
  [ ! -f "$tree.owners" ] || cat "$tree.owners" >>"$cmds"
  debugfs -w -f "$cmds" "$out" >/dev/null 2>"$err" ||
    gl_die "debugfs on $out failed: $(cat "$err")"
  # debugfs exits 0 even when a command fails; its only normal stderr
  # line is the version banner.
  if grep -v '^debugfs [0-9]' "$err" | grep -q .; then
    gl_die "debugfs on $out: $(grep -v '^debugfs [0-9]' "$err" | head -n 3)"
  fi
  e2fsck -fn "$out" >"$err" 2>&1 ||
    gl_die "e2fsck finds $out broken: $(tail -n 5 "$err")"
  rm -f "$cmds" "$err"
}

# --- other filesystems ----------------------------------------------------

# gl_mkvfat OUT SIZE_MIB VOLID LABEL TREE: FAT32 image holding TREE.
gl_mkvfat ()
{
  local out="$1" size="$2" volid="$3" label="$4" tree="$5" err="$1.err"

  mkfs.fat -F 32 -n "$label" -i "$volid" --invariant -C "$out" \
    $((size * 1024)) >"$err" 2>&1 ||
    gl_die "mkfs.fat of $out failed: $(cat "$err")"
  gl_stamp_tree "$tree"
  # -m keeps the source mtime, -p the attributes; the glob is sorted (C).
  mcopy -s -m -p -i "$out" "$tree"/* ::/ >"$err" 2>&1 ||
    gl_die "mcopy into $out failed: $(cat "$err")"
  rm -f "$err"
}

# gl_mkxfs OUT SIZE_MIB UUID LABEL PROTODIR: XFS image populated from
# the mkfs.xfs(8) prototype file PROTODIR/proto, whose source paths are
# relative to PROTODIR (it sets owners and modes itself).  OUT must be
# an absolute path.
gl_mkxfs ()
{
  local out="$1" size="$2" uuid="$3" label="$4" dir="$5" err="$1.err"

  truncate -s "${size}M" "$out"
  (cd "$dir" &&
     mkfs.xfs -q -f -L "$label" -m "uuid=$uuid,bigtime=1" -p proto "$out") \
    >"$err" 2>&1 || gl_die "mkfs.xfs of $out failed: $(cat "$err")"
  gl_xfs_fix_times "$out"
  rm -f "$err"
}

# Print the inode numbers of every directory entry under / in an XFS
# image, plus the realtime bitmap and summary inodes (names must not
# contain white space, which the prototype syntax excludes anyway).
gl_xfs_inodes ()
{
  local img="$1" dir
  local -a todo=(/)

  xfs_db -r -c 'sb 0' -c 'print rootino rbmino rsumino' "$img" |
    awk '{ print $3 }'
  while [ ${#todo[@]} -gt 0 ]; do
    dir="${todo[0]}"
    todo=("${todo[@]:1}")
    while read -r ino type name; do
      echo "$ino"
      [ "$type" = directory ] && todo+=("${dir%/}/$name")
    done < <(xfs_db -r -c "path $dir" -c ls "$img" |
             awk 'NF >= 6 && $6 != "." && $6 != ".." { print $2, $3, $6 }')
  done
}

# gl_xfs_fix_times IMG: mkfs.xfs -p stamps inodes with the current time;
# set them all to GL_EPOCH (bigtime encoding: ns since 1901-12-13).
gl_xfs_fix_times ()
{
  local img="$1" ino t f
  local -a cmds=()

  t=$(( (GL_EPOCH + 2147483648) * 1000000000 ))
  for ino in $(gl_xfs_inodes "$img"); do
    cmds+=(-c "inode $ino")
    for f in core.atime core.mtime core.ctime v3.crtime; do
      cmds+=(-c "write $f.sec $t")
    done
  done
  xfs_db -x "${cmds[@]}" "$img" >/dev/null ||
    gl_die "xfs_db could not set the times in $img"
}

# --- disks ----------------------------------------------------------------

# gl_disk OUT SIZE_MIB < SFDISK_SCRIPT: sparse disk with a partition table.
gl_disk ()
{
  local out="$1" size="$2" err="$1.err"

  rm -f "$out"
  truncate -s "${size}M" "$out"
  sfdisk -q --no-reread --no-tell-kernel "$out" >"$err" 2>&1 ||
    gl_die "sfdisk on $out failed: $(cat "$err")"
  rm -f "$err"
}

# gl_place PART DISK START_MIB SIZE_MIB: copy a filesystem image into
# DISK at START_MIB, keeping holes, and delete PART.
gl_place ()
{
  local part="$1" disk="$2" start="$3" size="$4"

  [ "$(stat -c %s "$part")" -le $((size * 1048576)) ] ||
    gl_die "$part is larger than its $size MiB partition"
  dd if="$part" of="$disk" bs=1M seek="$start" conv=notrunc,sparse \
    status=none || gl_die "dd of $part into $disk failed"
  rm -f "$part"
}

# --- the image builders' common steps --------------------------------------

# gl_main_args OUTDIR [IMAGE...]: the image builders' command line, the
# images checked against ALL_IMAGES (usage and exit 2 without OUTDIR or
# on an option).  Sets OUTDIR (created, made absolute) and wanted
# (" IMAGE... ", every image when none is named).
gl_main_args ()
{
  local img

  if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
    echo "usage: $GL_PROG OUTDIR [IMAGE...]" >&2
    echo "images: $ALL_IMAGES" >&2
    exit 2
  fi
  OUTDIR="$1"
  shift
  wanted=" ${*:-$ALL_IMAGES} "
  for img in $wanted; do
    case " $ALL_IMAGES " in *" $img "*) ;; *) gl_die "unknown image '$img'" ;; esac
  done
  mkdir -p "$OUTDIR" || gl_die "cannot create '$OUTDIR'"
  OUTDIR="$(cd "$OUTDIR" && pwd)"
}

# gl_require_ext4_disk: the tools of an ext4 image on a partitioned disk.
gl_require_ext4_disk ()
{
  gl_require mke2fs e2fsprogs
  gl_require debugfs e2fsprogs
  gl_require dumpe2fs e2fsprogs
  gl_require e2fsck e2fsprogs
  gl_require sfdisk fdisk
}

# gl_build_all STAMP_FN FILE...: what each builder does once its
# images are chosen: locks OUTDIR (concurrent builders wait), sets
# GL_STAMP to the hash of FILE... (the script and what it sources),
# works in a temporary directory under OUTDIR (tmp, removed on exit)
# and builds the wanted images (gl_build_images with STAMP_FN;
# gl_one_stamp: GL_STAMP for every image).
gl_build_all ()
{
  local stamp_fn="$1"

  shift
  exec 9>"$OUTDIR/.lock"
  flock 9 || gl_die "cannot lock '$OUTDIR/.lock'"
  GL_STAMP="$(cat "$@" | sha256sum | cut -d' ' -f1)"
  tmp="$(mktemp -d "$OUTDIR/.tmp.XXXXXX")" || gl_die "mktemp in '$OUTDIR' failed"
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT TERM
  gl_init "$tmp"
  gl_build_images "$OUTDIR" "$stamp_fn" "$ALL_IMAGES" "$wanted"
}
gl_one_stamp () { echo "$GL_STAMP"; }

# gl_build_images OUTDIR STAMP_FN "ALL" " WANTED ": builds, in the order of
# ALL, each image of WANTED that is not up to date in OUTDIR, i.e. whose
# OUTDIR/.IMAGE.stamp does not hold what 'STAMP_FN IMAGE' prints.  The
# script's build_<IMAGE, with . and - as _> OUT WORKDIR builds it under
# GL_TMP (gl_init); it is then renamed into OUTDIR and stamped.
gl_build_images ()
{
  local outdir="$1" stamp_fn="$2" all="$3" wanted="$4" img start work

  for img in $all; do
    case "$wanted" in *" $img "*) ;; *) continue ;; esac
    if [ -f "$outdir/$img" ] &&
       [ "$(cat "$outdir/.$img.stamp" 2>/dev/null)" = "$("$stamp_fn" "$img")" ]; then
      echo "$GL_PROG: $img: up to date"
      continue
    fi
    start="$EPOCHREALTIME"
    rm -f "$outdir/.$img.stamp"
    work="$GL_TMP/work-$img"
    mkdir "$work"
    "build_${img//[.-]/_}" "$GL_TMP/$img" "$work"
    mv -f "$GL_TMP/$img" "$outdir/$img"
    "$stamp_fn" "$img" >"$outdir/.$img.stamp"
    rm -rf "$work"
    echo "$GL_PROG: $img: built in $(awk -v a="$start" -v b="$EPOCHREALTIME" \
           'BEGIN { printf "%.2f", b - a }') s"
  done
}
