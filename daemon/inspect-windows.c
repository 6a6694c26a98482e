/* inspect-windows.c: placeholder until Windows inspection lands: no
 * filesystem is a Windows root. */

#include <config.h>

#include "daemon.h"
#include "inspect.h"

int
inspect_windows (int rootfd, const struct inspect_scan *s,
                 struct inspect_root *r)
{
  return 0;
}

int
inspect_windows_apps (int rootfd, const struct inspect_root *r,
                      struct drydock_application_list *apps)
{
  return 0;
}
