#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The table tests of the layouts without a mounted filesystem and the
# two-disk ones: make check runs the shares of the layouts side by side.
exec ./test-table -l empty,part,twodisk,iso
