/* inspect-apps.c: placeholder, filled in by its owner. */
