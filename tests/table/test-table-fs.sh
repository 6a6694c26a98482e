#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The table tests of the ext4 layouts: make check runs
# the shares of the layouts side by side.
exec ./test-table -l fs,scratch
