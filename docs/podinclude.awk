# SPDX-License-Identifier: GPL-2.0-or-later
# Copies a man page's POD source to standard output with each paragraph
#   =for drydock-include inc/FILE.pod
# replaced by that file (relative to the variable dir, the source
# folder), so that the text several pages share is written once.  An
# included file may include others (inc/options-common.pod is made of
# smaller pieces, which pages whose tool takes -h itself pick from).
# Used by Makefile.am and test-man.sh; a missing file is an error.
#
#   awk -v dir=SRCDIR -f podinclude.awk PAGE.pod

# Prints file, its own includes expanded; 0 if it cannot be read.
function include_file (file, depth,    line, r, n, f) {
  if (depth > 8) {
    print "podinclude: " file ": includes nest too deeply" > "/dev/stderr"
    return 0
  }
  n = 0
  while ((r = (getline line < file)) > 0) {
    n++
    if (line ~ /^=for drydock-include /) {
      split (line, f, " ")
      if (!include_file(dir "/" f[3], depth + 1)) {
        close (file)
        return 0
      }
    }
    else
      print line
  }
  close (file)
  if (r < 0 || n == 0) {
    print "podinclude: " FILENAME ": cannot read " file > "/dev/stderr"
    return 0
  }
  return 1
}

/^=for drydock-include / {
  if (!include_file(dir "/" $3, 1)) {
    failed = 1
    exit 1
  }
  next
}
{ print }
END { if (failed) exit 1 }
