/* inspect-hive.h: placeholder, filled in by its owner. */
