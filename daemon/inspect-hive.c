/* inspect-hive.c: placeholder, filled in by its owner. */
