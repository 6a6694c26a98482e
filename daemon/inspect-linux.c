/* inspect-linux.c: placeholder, filled in by its owner. */
