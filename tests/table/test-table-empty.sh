#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The table tests of the blank disk, the two-disk layout and the scratch
# filesystem: make check runs the shares of the layouts side by side.
exec ./test-table -l empty,twodisk,scratch
