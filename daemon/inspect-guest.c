/* inspect-guest.c: placeholder, filled in by its owner. */
