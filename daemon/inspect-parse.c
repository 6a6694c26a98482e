/* inspect-parse.c: placeholder, filled in by its owner. */
