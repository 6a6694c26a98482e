#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The table tests of the LVM, btrfs and XFS layouts: make check runs
# the shares of the layouts side by side.
exec ./test-table -l lvm,btrfs,xfs
