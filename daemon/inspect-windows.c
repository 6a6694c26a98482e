/* inspect-windows.c: placeholder, filled in by its owner. */
