# SPDX-License-Identifier: GPL-2.0-or-later
# The method names of the guestfs Python API (release 1.48) and the
# optional arguments of those that take some: facts the compatibility
# face (python/drydock/guestfs.py, emit_python.py) is generated from.
# A name here that the action table lacks becomes a method raising
# "not supported by drydock"; a name the table has is the action.

names = """
acl_delete_def_file acl_get_file acl_set_file add_cdrom add_domain add_drive
add_drive_opts add_drive_ro add_drive_ro_with_if add_drive_scratch
add_drive_with_if add_libvirt_dom aug_clear aug_close aug_defnode aug_defvar
aug_get aug_init aug_insert aug_label aug_load aug_ls aug_match aug_mv
aug_rm aug_save aug_set aug_setm aug_transform available
available_all_groups base64_in base64_out blkdiscard blkdiscardzeroes blkid
blockdev_flushbufs blockdev_getbsz blockdev_getro blockdev_getsize64
blockdev_getss blockdev_getsz blockdev_rereadpt blockdev_setbsz
blockdev_setra blockdev_setro blockdev_setrw btrfs_balance_cancel
btrfs_balance_pause btrfs_balance_resume btrfs_balance_status
btrfs_device_add btrfs_device_delete btrfs_filesystem_balance
btrfs_filesystem_defragment btrfs_filesystem_resize btrfs_filesystem_show
btrfs_filesystem_sync btrfs_fsck btrfs_image btrfs_qgroup_assign
btrfs_qgroup_create btrfs_qgroup_destroy btrfs_qgroup_limit
btrfs_qgroup_remove btrfs_qgroup_show btrfs_quota_enable btrfs_quota_rescan
btrfs_replace btrfs_rescue_chunk_recover btrfs_rescue_super_recover
btrfs_scrub_cancel btrfs_scrub_resume btrfs_scrub_start btrfs_scrub_status
btrfs_set_seeding btrfs_subvolume_create btrfs_subvolume_create_opts
btrfs_subvolume_delete btrfs_subvolume_get_default btrfs_subvolume_list
btrfs_subvolume_set_default btrfs_subvolume_show btrfs_subvolume_snapshot
btrfs_subvolume_snapshot_opts btrfstune_enable_extended_inode_refs
btrfstune_enable_skinny_metadata_extent_refs btrfstune_seeding c_pointer
canonical_device_name cap_get_file cap_set_file case_sensitive_path cat
checksum checksum_device checksums_out chmod chown clear_backend_setting
command command_lines compress_device_out compress_out config
copy_attributes copy_device_to_device copy_device_to_file
copy_file_to_device copy_file_to_file copy_in copy_out copy_size cp cp_a
cp_r cpio_out cryptsetup_close cryptsetup_open dd debug debug_drives
debug_upload device_index df df_h disk_create disk_format
disk_has_backing_file disk_virtual_size dmesg download download_blocks
download_inode download_offset drop_caches du e2fsck e2fsck_f echo_daemon
egrep egrepi equal exists extlinux f2fs_expand fallocate fallocate64
feature_available fgrep fgrepi file file_architecture filesize
filesystem_available filesystem_walk fill fill_dir fill_pattern find find0
find_inode findfs_label findfs_uuid fsck fstrim get_append get_attach_method
get_autosync get_backend get_backend_setting get_backend_settings
get_cachedir get_direct get_e2attrs get_e2generation get_e2label get_e2uuid
get_hv get_identifier get_libvirt_requested_credential_challenge
get_libvirt_requested_credential_defresult
get_libvirt_requested_credential_prompt get_libvirt_requested_credentials
get_memsize get_network get_path get_pgroup get_pid get_program get_qemu
get_recovery_proc get_selinux get_smp get_sockdir get_state get_tmpdir
get_trace get_umask get_verbose getcon getxattr getxattrs glob_expand
glob_expand_opts grep grep_opts grepi grub_install head head_n hexdump
hivex_close hivex_commit hivex_node_add_child hivex_node_children
hivex_node_delete_child hivex_node_get_child hivex_node_get_value
hivex_node_name hivex_node_parent hivex_node_set_value hivex_node_values
hivex_open hivex_root hivex_value_key hivex_value_string hivex_value_type
hivex_value_utf8 hivex_value_value initrd_cat initrd_list inotify_add_watch
inotify_close inotify_files inotify_init inotify_read inotify_rm_watch
inspect_get_arch inspect_get_distro inspect_get_drive_mappings
inspect_get_filesystems inspect_get_format inspect_get_hostname
inspect_get_icon inspect_get_major_version inspect_get_minor_version
inspect_get_mountpoints inspect_get_osinfo inspect_get_package_format
inspect_get_package_management inspect_get_product_name
inspect_get_product_variant inspect_get_roots inspect_get_type
inspect_get_windows_current_control_set inspect_get_windows_software_hive
inspect_get_windows_system_hive inspect_get_windows_systemroot
inspect_is_live inspect_is_multipart inspect_is_netinst
inspect_list_applications inspect_list_applications2 inspect_os
internal_exit internal_test internal_test_63_optargs
internal_test_close_output internal_test_only_optargs internal_test_rbool
internal_test_rboolerr internal_test_rbufferout internal_test_rbufferouterr
internal_test_rconstoptstring internal_test_rconstoptstringerr
internal_test_rconststring internal_test_rconststringerr
internal_test_rhashtable internal_test_rhashtableerr internal_test_rint
internal_test_rint64 internal_test_rint64err internal_test_rinterr
internal_test_rstring internal_test_rstringerr internal_test_rstringlist
internal_test_rstringlisterr internal_test_rstruct internal_test_rstructerr
internal_test_rstructlist internal_test_rstructlisterr
internal_test_set_output is_blockdev is_blockdev_opts is_busy is_chardev
is_chardev_opts is_config is_dir is_dir_opts is_fifo is_fifo_opts is_file
is_file_opts is_launching is_lv is_ready is_socket is_socket_opts is_symlink
is_whole_device is_zero is_zero_device isoinfo isoinfo_device journal_close
journal_get journal_get_data_threshold journal_get_realtime_usec
journal_next journal_open journal_set_data_threshold journal_skip
kill_subprocess launch lchown ldmtool_create_all ldmtool_diskgroup_disks
ldmtool_diskgroup_name ldmtool_diskgroup_volumes ldmtool_remove_all
ldmtool_scan ldmtool_scan_devices ldmtool_volume_hint
ldmtool_volume_partitions ldmtool_volume_type lgetxattr lgetxattrs list_9p
list_devices list_disk_labels list_dm_devices list_filesystems
list_ldm_partitions list_ldm_volumes list_md_devices list_partitions ll llz
ln ln_f ln_s ln_sf lremovexattr ls ls0 lsetxattr lstat lstatlist lstatns
lstatnslist luks_add_key luks_close luks_format luks_format_cipher
luks_kill_slot luks_open luks_open_ro luks_uuid lvcreate lvcreate_free
lvm_canonical_lv_name lvm_clear_filter lvm_remove_all lvm_scan
lvm_set_filter lvremove lvrename lvresize lvresize_free lvs lvs_full lvuuid
lxattrlist max_disks md_create md_detail md_stat md_stop mkdir mkdir_mode
mkdir_p mkdtemp mke2fs mke2fs_J mke2fs_JL mke2fs_JU mke2journal
mke2journal_L mke2journal_U mkfifo mkfs mkfs_b mkfs_btrfs mkfs_opts
mklost_and_found mkmountpoint mknod mknod_b mknod_c mksquashfs mkswap
mkswap_L mkswap_U mkswap_file mkswap_opts mktemp modprobe mount mount_9p
mount_local mount_local_run mount_loop mount_options mount_ro mount_vfs
mountable_device mountable_subvolume mountpoints mounts mv nr_devices
ntfs_3g_probe ntfscat_i ntfsclone_in ntfsclone_out ntfsfix ntfsresize
ntfsresize_opts ntfsresize_size parse_environment parse_environment_list
part_add part_del part_disk part_expand_gpt part_get_bootable
part_get_disk_guid part_get_gpt_attributes part_get_gpt_guid
part_get_gpt_type part_get_mbr_id part_get_mbr_part_type part_get_name
part_get_parttype part_init part_list part_resize part_set_bootable
part_set_disk_guid part_set_disk_guid_random part_set_gpt_attributes
part_set_gpt_guid part_set_gpt_type part_set_mbr_id part_set_name
part_to_dev part_to_partnum ping_daemon pread pread_device pvchange_uuid
pvchange_uuid_all pvcreate pvremove pvresize pvresize_size pvs pvs_full
pvuuid pwrite pwrite_device read_file read_lines readdir readlink
readlinklist realpath remount remove_drive removexattr rename resize2fs
resize2fs_M resize2fs_size rm rm_f rm_rf rmdir rmmountpoint rsync rsync_in
rsync_out scrub_device scrub_file scrub_freespace selinux_relabel set_append
set_attach_method set_autosync set_backend set_backend_setting
set_backend_settings set_cachedir set_direct set_e2attrs set_e2generation
set_e2label set_e2uuid set_hv set_identifier set_label
set_libvirt_requested_credential set_libvirt_supported_credentials
set_memsize set_network set_path set_pgroup set_program set_qemu
set_recovery_proc set_selinux set_smp set_tmpdir set_trace set_uuid
set_uuid_random set_verbose setcon setxattr sfdisk sfdiskM sfdisk_N
sfdisk_disk_geometry sfdisk_kernel_geometry sfdisk_l sh sh_lines shutdown
sleep stat statns statvfs strings strings_e swapoff_device swapoff_file
swapoff_label swapoff_uuid swapon_device swapon_file swapon_label
swapon_uuid sync syslinux tail tail_n tar_in tar_in_opts tar_out
tar_out_opts tgz_in tgz_out touch truncate truncate_size tune2fs tune2fs_l
txz_in txz_out umask umount umount_all umount_local umount_opts upload
upload_offset user_cancel utimens utsname version vfs_label vfs_minimum_size
vfs_type vfs_uuid vg_activate vg_activate_all vgchange_uuid
vgchange_uuid_all vgcreate vglvuuids vgmeta vgpvuuids vgremove vgrename vgs
vgs_full vgscan vguuid wait_ready wc_c wc_l wc_w wipefs write write_append
write_file xfs_admin xfs_growfs xfs_info xfs_repair yara_destroy yara_load
yara_scan zegrep zegrepi zero zero_device zero_free_space zerofree zfgrep
zfgrepi zfile zgrep zgrepi
""".split()

optargs = {
    "add_domain": [
        "libvirturi", "readonly", "iface", "live", "allowuuid",
        "readonlydisk", "cachemode", "discard", "copyonread"],
    "add_drive": [
        "readonly", "format", "iface", "name", "label", "protocol", "server",
        "username", "secret", "cachemode", "discard", "copyonread",
        "blocksize"],
    "add_drive_opts": [
        "readonly", "format", "iface", "name", "label", "protocol", "server",
        "username", "secret", "cachemode", "discard", "copyonread",
        "blocksize"],
    "add_drive_scratch": ["name", "label", "blocksize"],
    "add_libvirt_dom": [
        "readonly", "iface", "live", "readonlydisk", "cachemode", "discard",
        "copyonread"],
    "aug_transform": ["remove"],
    "btrfs_filesystem_defragment": ["flush", "compress"],
    "btrfs_filesystem_resize": ["size"],
    "btrfs_fsck": ["superblock", "repair"],
    "btrfs_image": ["compresslevel"],
    "btrfs_subvolume_create": ["qgroupid"],
    "btrfs_subvolume_create_opts": ["qgroupid"],
    "btrfs_subvolume_snapshot": ["ro", "qgroupid"],
    "btrfs_subvolume_snapshot_opts": ["ro", "qgroupid"],
    "compress_device_out": ["level"],
    "compress_out": ["level"],
    "copy_attributes": ["all", "mode", "xattributes", "ownership"],
    "copy_device_to_device": [
        "srcoffset", "destoffset", "size", "sparse", "append"],
    "copy_device_to_file": [
        "srcoffset", "destoffset", "size", "sparse", "append"],
    "copy_file_to_device": [
        "srcoffset", "destoffset", "size", "sparse", "append"],
    "copy_file_to_file": [
        "srcoffset", "destoffset", "size", "sparse", "append"],
    "cpio_out": ["format"],
    "cryptsetup_open": ["readonly", "crypttype"],
    "disk_create": [
        "backingfile", "backingformat", "preallocation", "compat",
        "clustersize"],
    "download_blocks": ["unallocated"],
    "e2fsck": ["correct", "forceall"],
    "fstrim": ["offset", "length", "minimumfreeextent"],
    "glob_expand": ["directoryslash"],
    "glob_expand_opts": ["directoryslash"],
    "grep": ["extended", "fixed", "insensitive", "compressed"],
    "grep_opts": ["extended", "fixed", "insensitive", "compressed"],
    "hivex_open": ["verbose", "debug", "write", "unsafe"],
    "inspect_get_icon": ["favicon", "highquality"],
    "internal_test": ["obool", "oint", "oint64", "ostring", "ostringlist"],
    "internal_test_63_optargs": [
        "opt1", "opt2", "opt3", "opt4", "opt5", "opt6", "opt7", "opt8",
        "opt9", "opt10", "opt11", "opt12", "opt13", "opt14", "opt15", "opt16",
        "opt17", "opt18", "opt19", "opt20", "opt21", "opt22", "opt23",
        "opt24", "opt25", "opt26", "opt27", "opt28", "opt29", "opt30",
        "opt31", "opt32", "opt33", "opt34", "opt35", "opt36", "opt37",
        "opt38", "opt39", "opt40", "opt41", "opt42", "opt43", "opt44",
        "opt45", "opt46", "opt47", "opt48", "opt49", "opt50", "opt51",
        "opt52", "opt53", "opt54", "opt55", "opt56", "opt57", "opt58",
        "opt59", "opt60", "opt61", "opt62", "opt63"],
    "internal_test_only_optargs": ["test"],
    "is_blockdev": ["followsymlinks"],
    "is_blockdev_opts": ["followsymlinks"],
    "is_chardev": ["followsymlinks"],
    "is_chardev_opts": ["followsymlinks"],
    "is_dir": ["followsymlinks"],
    "is_dir_opts": ["followsymlinks"],
    "is_fifo": ["followsymlinks"],
    "is_fifo_opts": ["followsymlinks"],
    "is_file": ["followsymlinks"],
    "is_file_opts": ["followsymlinks"],
    "is_socket": ["followsymlinks"],
    "is_socket_opts": ["followsymlinks"],
    "md_create": ["missingbitmap", "nrdevices", "spare", "chunk", "level"],
    "mke2fs": [
        "blockscount", "blocksize", "fragsize", "blockspergroup",
        "numberofgroups", "bytesperinode", "inodesize", "journalsize",
        "numberofinodes", "stridesize", "stripewidth", "maxonlineresize",
        "reservedblockspercentage", "mmpupdateinterval", "journaldevice",
        "label", "lastmounteddir", "creatoros", "fstype", "usagetype", "uuid",
        "forcecreate", "writesbandgrouponly", "lazyitableinit",
        "lazyjournalinit", "testfs", "discard", "quotatype", "extent",
        "filetype", "flexbg", "hasjournal", "journaldev", "largefile",
        "quota", "resizeinode", "sparsesuper", "uninitbg"],
    "mkfs": ["blocksize", "features", "inode", "sectorsize", "label"],
    "mkfs_btrfs": [
        "allocstart", "bytecount", "datatype", "leafsize", "label",
        "metadata", "nodesize", "sectorsize"],
    "mkfs_opts": ["blocksize", "features", "inode", "sectorsize", "label"],
    "mksquashfs": ["compress", "excludes"],
    "mkswap": ["label", "uuid"],
    "mkswap_opts": ["label", "uuid"],
    "mktemp": ["suffix"],
    "mount_9p": ["options"],
    "mount_local": ["readonly", "options", "cachetimeout", "debugcalls"],
    "ntfsclone_out": [
        "metadataonly", "rescue", "ignorefscheck", "preservetimestamps",
        "force"],
    "ntfsfix": ["clearbadsectors"],
    "ntfsresize": ["size", "force"],
    "ntfsresize_opts": ["size", "force"],
    "remount": ["rw"],
    "rsync": ["archive", "deletedest"],
    "rsync_in": ["archive", "deletedest"],
    "rsync_out": ["archive", "deletedest"],
    "selinux_relabel": ["force"],
    "set_e2attrs": ["clear"],
    "syslinux": ["directory"],
    "tar_in": ["compress", "xattrs", "selinux", "acls"],
    "tar_in_opts": ["compress", "xattrs", "selinux", "acls"],
    "tar_out": [
        "compress", "numericowner", "excludes", "xattrs", "selinux", "acls"],
    "tar_out_opts": [
        "compress", "numericowner", "excludes", "xattrs", "selinux", "acls"],
    "tune2fs": [
        "force", "maxmountcount", "mountcount", "errorbehavior", "group",
        "intervalbetweenchecks", "reservedblockspercentage",
        "lastmounteddirectory", "reservedblockscount", "user"],
    "umount": ["force", "lazyunmount"],
    "umount_local": ["retry"],
    "umount_opts": ["force", "lazyunmount"],
    "xfs_admin": [
        "extunwritten", "imgfile", "v2log", "projid32bit", "lazycounter",
        "label", "uuid"],
    "xfs_growfs": [
        "datasec", "logsec", "rtsec", "datasize", "logsize", "rtsize",
        "rtextsize", "maxpct"],
    "xfs_repair": [
        "forcelogzero", "nomodify", "noprefetch", "forcegeometry", "maxmem",
        "ihashsize", "bhashsize", "agstride", "logdev", "rtdev"],
}

# Why a name above is not a drydock action.  The generator fails when a
# name the table lacks has no reason here (or a name here is an action
# after all), and the reference (docs/drydock-actions.md, drydock(3))
# lists them.  Internal test actions of the API need none.
absent = {
    "add_libvirt_dom":
        "takes a virDomainPtr, which no binding here can pass; add_domain "
        "takes the domain's name or UUID",
    "grub_install":
        "installs GRUB 1's stage files, which Debian 12 no longer ships; "
        "run grub-install in the guest with command instead",
}

# The names above that release 1.48 marks deprecated.  One the table
# lacks is listed as such, without a reason of its own.
deprecated = """
add_cdrom add_drive_ro_with_if add_drive_with_if blockdev_setbsz copy_size
dd e2fsck_f egrep egrepi fallocate fgrep fgrepi get_attach_method
get_direct get_e2label get_e2uuid get_qemu get_selinux getcon grepi
hivex_value_utf8 inspect_get_format inspect_is_live inspect_is_multipart
inspect_is_netinst inspect_list_applications is_busy kill_subprocess
list_9p llz lstat lstatlist luks_close luks_open luks_open_ro mke2fs_J
mke2fs_JL mke2fs_JU mke2journal mke2journal_L mke2journal_U mkfs_b
mkswap_L mkswap_U mount_9p ntfsresize_size remove_drive set_attach_method
set_direct set_e2label set_e2uuid set_qemu set_selinux setcon sfdisk
sfdiskM sfdisk_N sfdisk_l stat tgz_in tgz_out txz_in txz_out vgscan
wait_ready write_file zegrep zegrepi zfgrep zfgrepi zfile zgrep zgrepi
""".split()
