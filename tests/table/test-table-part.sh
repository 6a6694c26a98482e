#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The table tests of the one-partition layouts (part, fs) and of the
# ISO: make check runs the shares of the layouts side by side.
exec ./test-table -l part,fs,iso
