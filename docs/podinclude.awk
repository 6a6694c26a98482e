# SPDX-License-Identifier: GPL-2.0-or-later
# Copies a man page's POD source to standard output with each paragraph
#   =for drydock-include inc/FILE.pod
# replaced by that file (relative to the variable dir, the source
# folder), so that the text several pages share is written once.  Used
# by Makefile.am and test-man.sh; a missing file is an error.
#
#   awk -v dir=SRCDIR -f podinclude.awk PAGE.pod
/^=for drydock-include / {
  file = dir "/" $3
  n = 0
  while ((r = (getline line < file)) > 0) {
    print line
    n++
  }
  if (r < 0 || n == 0) {
    print "podinclude: " FILENAME ": cannot read " file > "/dev/stderr"
    failed = 1
    exit 1
  }
  close (file)
  next
}
{ print }
END { if (failed) exit 1 }
