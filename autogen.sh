#!/bin/sh -
# SPDX-License-Identifier: GPL-2.0-or-later
# Prepare a git checkout for ./configure, then run it with any arguments.
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf -fi
exec ./configure "$@"
