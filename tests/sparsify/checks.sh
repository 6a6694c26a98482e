# SPDX-License-Identifier: GPL-2.0-or-later
# Checks shared by the sparsify tests: sourced after functions.sh.
#
#   dirty KIND           build a dirty image (make-dirty.sh) in $scratch,
#                        source its facts, set $img to its path
#   check_drop WHAT BEFORE AFTER   allocation fell by >= 90 % of $deleted
#   check_files IMG FMT  every kept file reads back with its checksum
#                        (encrypted volumes opened with the facts' keys)
#   check_files_host IMG FMT  the same without a launch, by the host's
#                        debugfs (images whose files are all on the ext4
#                        of partition 1)
#   check_fsck IMG FMT   each filesystem is clean for the host's fsck;
#                        swap keeps its UUID and label
export PATH="$PATH:/usr/sbin:/sbin"
MiB=$((1024 * 1024))

dirty ()
{
  "$DRYDOCK_TESTS_SRCDIR/sparsify/make-dirty.sh" "$1" "$scratch" >&2 ||
    fail "cannot build the dirty image $1"
  # shellcheck disable=SC1090
  . "$scratch/$1.facts"
  img="$scratch/$1"
}

allocated () { echo $(($(stat -c %b "$1") * 512)); }

check_drop ()
{
  local what=$1 before=$2 after=$3
  local want=$((deleted * 9 / 10))
  [ $((before - after)) -ge "$want" ] ||
    fail "$what: allocation fell by $(((before - after) / MiB)) MiB ($before -> $after), expected at least $((want / MiB)) MiB (90 % of the $((deleted / MiB)) MiB deleted)"
}

check_files ()
{
  local img=$1 fmt=$2 m o kv i=0 cmds=(run)
  for o in ${opens:-}; do
    IFS=: read -r -a m <<< "$o"
    cmds+=(: cryptsetup-open "${m[0]}" "${m[1]}" "${m[2]}")
  done
  cmds+=(: vg-activate-all true)
  for m in $mounts; do cmds+=(: mount-ro "${m%%:*}" "${m#*:}"); done
  for kv in $keep; do
    cmds+=(: download "${kv%%=*}" "$scratch/got$i")
    i=$((i + 1))
  done
  drydock shell --ro --format "$fmt" -a "$img" "${cmds[@]}" ||
    fail "cannot read the kept files from $img"
  i=0
  for kv in $keep; do
    expect_eq "checksum of ${kv%%=*} in $(basename "$img")" "${kv#*=}" \
      "$(sha "$scratch/got$i")"
    rm -f "$scratch/got$i"
    i=$((i + 1))
  done
}

check_files_host ()
{
  local img=$1 fmt=$2 raw=$1 kv start=${parts#*:ext4:}
  start=${start%%:*}
  if [ "$fmt" = qcow2 ]; then
    raw="$scratch/files.raw"
    qemu-img convert -f qcow2 -O raw "$img" "$raw"
  fi
  for kv in $keep; do
    rm -f "$scratch/got"
    debugfs -R "dump ${kv%%=*} $scratch/got" "$raw?offset=$start" >/dev/null 2>&1
    [ -f "$scratch/got" ] || fail "cannot read ${kv%%=*} from $img"
    expect_eq "checksum of ${kv%%=*} in $(basename "$img")" "${kv#*=}" \
      "$(sha "$scratch/got")"
  done
  rm -f "$scratch/got"
  [ "$raw" = "$img" ] || rm -f "$raw"
}

# part IMG START SIZE OUT: one partition as a file.
part ()
{
  dd if="$1" of="$4" bs=1M iflag=skip_bytes,count_bytes skip="$2" \
    count="$3" conv=sparse status=none
}

check_fsck ()
{
  local img=$1 fmt=$2 raw=$1 p n type start size
  if [ "$fmt" = qcow2 ]; then
    raw="$scratch/fsck.raw"
    qemu-img convert -f qcow2 -O raw "$img" "$raw"
  fi
  for p in $parts; do
    IFS=: read -r n type start size <<< "$p"
    case "$type" in
      ext4) e2fsck -fn "$raw?offset=$start" > "$scratch/fsck.log" 2>&1 ||
              fail "e2fsck of partition $n: $(cat "$scratch/fsck.log")" ;;
      vfat) part "$raw" "$start" "$size" "$scratch/p"
            fsck.fat -n "$scratch/p" > "$scratch/fsck.log" 2>&1 ||
              fail "fsck.fat of partition $n: $(cat "$scratch/fsck.log")" ;;
      xfs)  part "$raw" "$start" "$size" "$scratch/p"
            xfs_repair -n -f "$scratch/p" > "$scratch/fsck.log" 2>&1 ||
              fail "xfs_repair of partition $n: $(cat "$scratch/fsck.log")" ;;
      btrfs) if command -v btrfs >/dev/null; then
               part "$raw" "$start" "$size" "$scratch/p"
               btrfs check --readonly "$scratch/p" > "$scratch/fsck.log" 2>&1 ||
                 fail "btrfs check of partition $n: $(cat "$scratch/fsck.log")"
             fi ;;
      swap) expect_eq "swap UUID" "$swap_uuid" \
              "$(blkid -p -O "$start" -s UUID -o value "$raw")"
            expect_eq "swap label" "$swap_label" \
              "$(blkid -p -O "$start" -s LABEL -o value "$raw")" ;;
    esac
    rm -f "$scratch/p"
  done
  if [ -n "${lv_start:-}" ]; then
    part "$raw" "$lv_start" "$lv_size" "$scratch/p"
    e2fsck -fn "$scratch/p" > "$scratch/fsck.log" 2>&1 ||
      fail "e2fsck of the LV: $(cat "$scratch/fsck.log")"
    rm -f "$scratch/p"
  fi
  [ "$raw" = "$img" ] || rm -f "$raw"
}
