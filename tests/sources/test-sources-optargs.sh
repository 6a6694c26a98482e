#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# add_drive's optional arguments besides the overlay policy, through
# the shell: label (list_disk_labels, /dev/disk/guestfs/LABEL[N] as a
# device and a partition), blocksize 4096 (the kernel reads
# the MBR in 4 KiB sectors: the partition starts 8 times further),
# cachemode, discard, copyonread, iface and name on a real launch; then
# each bad value, the protocol and server checks, and a secret kept out
# of messages, one line each, nothing written.
. "$(dirname "$0")/../functions.sh"
requires qemu-img

img=$(guest debian.img)
cd "$scratch"
keep_sums "$img"

out=$(drydock shell <<CMDS
add $img format:raw readonly:true label:boot blocksize:4096 cachemode:writeback discard:disable copyonread:true iface:virtio name:/dev/vda
add $img format:raw readonly:true label:two cachemode:unsafe discard:besteffort
run
list-disk-labels
part-list /dev/disk/guestfs/boot
part-list /dev/sdb
mount-ro /dev/disk/guestfs/two1 /
cat /etc/hostname
CMDS
) || fail "shell with the optional arguments failed"
expect_eq "labels" "boot: /dev/sda
two: /dev/sdb" "$(echo "$out" | grep ': /dev/sd')"
expect_eq "partition starts (4096 and 512 byte sectors)" "8388608 1048576" \
  "$(echo "$out" | awk '/part_start/ { printf "%s%s", sep, $2; sep = " " }')"
expect_eq "a mount on the second drive" \
  "$(drydock cat --format raw -a "$img" /etc/hostname)" "$(echo "$out" | tail -n1)"

sums_unchanged
# The bad values are refused before any image is read: a small one
# watched (one_line_fail checks it is unchanged each time).
truncate -s 1M small.img
img=$scratch/small.img

# bad WHAT PATTERN CMD...: one line matching PATTERN, nothing written.
bad ()
{
  local what=$1
  shift
  one_line_fail "$what" "$@"
}
sh_add () { echo "$1" | drydock shell; }
bad "iface" "add_drive: .*: iface 'floppy': expected virtio, ide, scsi or virtio-scsi$" \
  sh_add "add $img format:raw iface:floppy"
bad "blocksize" "blocksize 1024: expected 512 or 4096$" \
  sh_add "add $img format:raw blocksize:1024"
bad "cachemode" "cachemode 'none': expected writeback or unsafe$" \
  sh_add "add $img format:raw cachemode:none"
bad "discard" "discard 'maybe': expected disable, enable or besteffort$" \
  sh_add "add $img format:raw discard:maybe"
bad "label" "label 'a1': expected 1 to 20 letters$" \
  sh_add "add $img format:raw label:a1"
bad "label twice" "label 'x' is already drive 0's$" \
  sh_add "add $img format:raw label:x readonly:true
add $img format:raw label:x readonly:true"
bad "copyonread direct" "copyonread copies into the overlay: direct has none$" \
  sh_add "add $img format:raw direct:true copyonread:true"
bad "server on a local file" "server, username, secret, sslverify, cookie, readahead, timeout and remote_commit are for remote images$" \
  sh_add "add $img format:raw server:h"
bad "unknown protocol" "unknown protocol 'tftp' \(expected file, nbd, http, https, ftp, ftps, ssh, iscsi, gluster or rbd\)$" \
  sh_add "add $img protocol:tftp server:h"
bad "no server" "add_drive: x.img: protocol http needs exactly one server, 0 given$" \
  sh_add "add x.img protocol:http"
bad "unix server for http" "add_drive: x.img: a unix socket server is for nbd and gluster only$" \
  sh_add "add x.img protocol:http server:unix:/s"
bad "bad port" "add_drive: x.img: server 'h:99999': expected HOST, HOST:PORT, tcp:HOST\[:PORT\] or unix:/SOCKET$" \
  sh_add "add x.img protocol:http server:h:99999"
bad "secret for https" "a secret is for iscsi and rbd, not https$" \
  sh_add "add x.img protocol:https server:h secret:s"
bad "nbd username" "protocol nbd takes no username$" \
  sh_add "add x protocol:nbd server:h username:u"
bad "secret kept" "add_drive: rbd:pool/img:mon_host=h1\\\\:6789\\\\;h2:id=admin: output_overlay would record the secret" \
  sh_add 'add pool/img protocol:rbd "server:h1:6789 tcp:h2" username:admin secret:QUJD output_overlay:x.qcow2'
# A password never shows, not even in qemu's own words.
forbidden=PaSsWoRd bad "iscsi password" "^drydock shell: add_drive: iscsi://u@127.0.0.1:1/iqn.2026-12.test:t/0: " \
  sh_add "add iqn.2026-12.test:t/0 protocol:iscsi server:127.0.0.1:1 username:u secret:PaSsWoRd readonly:true"
echo "$(basename "$0"): OK"
