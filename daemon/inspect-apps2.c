/* SPDX-License-Identifier: GPL-2.0-or-later */
/* inspect_list_applications2: the list of inspect-apps.c in the
 * application2 struct.  Apart so that inspect-apps.c keeps one struct;
 * the strings are moved over, not copied. */

#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "actions-gen.h"

static void
app2_free (struct drydock_application2 *a)
{
  char *strs[] = {
    a->app2_name, a->app2_display_name, a->app2_version, a->app2_release,
    a->app2_arch, a->app2_install_path, a->app2_trans_path,
    a->app2_publisher, a->app2_url, a->app2_source_package,
    a->app2_summary, a->app2_description, a->app2_spare1, a->app2_spare2,
    a->app2_spare3, a->app2_spare4,
  };

  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; ++i)
    free (strs[i]);
}

static void
app_free (struct drydock_application *a)
{
  char *strs[] = {
    a->name, a->display_name, a->version, a->release, a->arch,
    a->install_path, a->publisher, a->url, a->source_package, a->summary,
    a->description,
  };

  for (size_t i = 0; i < sizeof strs / sizeof strs[0]; ++i)
    free (strs[i]);
}

/* Moves the strings of a into b; the fields a lacks are new empty
 * strings.  0, or -1 (ENOMEM): b is to be freed all the same. */
static int
move_app (struct drydock_application *a, struct drydock_application2 *b)
{
  *b = (struct drydock_application2) {
    .app2_name = a->name, .app2_display_name = a->display_name,
    .app2_epoch = a->epoch, .app2_version = a->version,
    .app2_release = a->release, .app2_arch = a->arch,
    .app2_install_path = a->install_path, .app2_publisher = a->publisher,
    .app2_url = a->url, .app2_source_package = a->source_package,
    .app2_summary = a->summary, .app2_description = a->description,
    .app2_trans_path = strdup (""), .app2_spare1 = strdup (""),
    .app2_spare2 = strdup (""), .app2_spare3 = strdup (""),
    .app2_spare4 = strdup (""),
  };
  memset (a, 0, sizeof *a);
  return b->app2_trans_path && b->app2_spare1 && b->app2_spare2 &&
    b->app2_spare3 && b->app2_spare4 ? 0 : -1;
}

struct drydock_application2_list *
do_inspect_list_applications2 (const char *root)
{
  struct drydock_application_list *apps = do_inspect_list_applications (root);
  struct drydock_application2_list *r;
  int failed = 0;

  if (apps == NULL)
    return NULL;
  r = calloc (1, sizeof *r);
  if (r != NULL)
    r->val = calloc (apps->len ? apps->len : 1, sizeof *r->val);
  if (r == NULL || r->val == NULL) {
    for (uint32_t i = 0; i < apps->len; ++i)
      app_free (&apps->val[i]);
    failed = 1;
  }
  else {
    for (uint32_t i = 0; i < apps->len; ++i)
      failed |= move_app (&apps->val[i], &r->val[i]) == -1;
    r->len = apps->len;
  }
  free (apps->val);
  free (apps);
  if (failed) {
    for (uint32_t i = 0; r && i < r->len; ++i)
      app2_free (&r->val[i]);
    if (r)
      free (r->val);
    free (r);
    reply_with_perror ("inspect_list_applications2");
    return NULL;
  }
  return r;
}
