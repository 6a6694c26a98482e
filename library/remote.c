/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Remote images: the URI schemes of qemu's network block drivers, the
 * URI add_drive's protocol, server, username and secret make, and the
 * curl driver's options (optional arguments or the URI's fragment,
 * which no server sees) folded into the qemu specification the
 * overlay's backing becomes.  Apart from source.c, which looks at any
 * image with qemu-img, because this is all string work on user input. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drydock-internal.h"
#include "remote.h"

static const struct scheme {
  const char *prefix;         /* how its URIs start */
  const char *protocol;       /* add_drive's name; NULL: URIs only */
  const char *module;         /* qemu's block module; NULL: built in */
  int curl;                   /* takes sslverify, cookie ... */
  int writable;               /* a commit may write it */
} schemes[] = {
  { "nbd://", "nbd", NULL, 0, 1 },
  { "nbd+tcp://", NULL, NULL, 0, 1 },
  { "nbd+unix://", NULL, NULL, 0, 1 },
  { "http://", "http", "curl", 1, 0 },
  { "https://", "https", "curl", 1, 0 },
  { "ftp://", "ftp", "curl", 1, 0 },
  { "ftps://", "ftps", "curl", 1, 0 },
  { "ssh://", "ssh", "ssh", 0, 0 },
  { "iscsi://", "iscsi", "iscsi", 0, 0 },
  { "gluster://", "gluster", "gluster", 0, 0 },
  { "gluster+tcp://", NULL, "gluster", 0, 0 },
  { "gluster+unix://", NULL, "gluster", 0, 0 },
  { "rbd:", "rbd", "rbd", 0, 0 },
  { "nfs://", NULL, "nfs", 0, 0 },
};
#define N_SCHEMES (sizeof schemes / sizeof schemes[0])

static const struct scheme *
scheme_of (const char *uri)
{
  for (size_t i = 0; i < N_SCHEMES; ++i)
    if (strncmp (uri, schemes[i].prefix, strlen (schemes[i].prefix)) == 0)
      return &schemes[i];
  return NULL;
}

int
drydock_int_remote_is_uri (const char *filename)
{
  return scheme_of (filename) != NULL;
}

int
drydock_int_remote_has_protocol (const struct remote_opts *o)
{
  return o->protocol && strcmp (o->protocol, "file") != 0;
}

void
drydock_int_remote_free (struct remote *r)
{
  free (r->uri);
  free (r->spec);
  r->uri = r->spec = NULL;
}

const char *
drydock_int_remote_missing_module (const char *spec, const char *err)
{
  const struct scheme *s = scheme_of (spec);

  /* The one remote json: specification is curl_spec's. */
  if (strncmp (spec, "json:", 5) == 0)
    s = strstr (spec, "{\"file\":{\"driver\":\"http") ||
      strstr (spec, "{\"file\":{\"driver\":\"ftp") ? scheme_of ("http://") : NULL;
  if (s == NULL || s->module == NULL)
    return NULL;
  if (strstr (err, "Unknown protocol") || strstr (err, "Unknown driver") ||
      strstr (err, "not whitelisted") || strstr (err, "module block-"))
    return s->module;
  return NULL;
}

int
drydock_int_remote_unreached (const char *err)
{
  static const char *const words[] = {
    "connect", "Connect", "timed out", "Timeout", "SSL", "certificate",
    "authenticat", "host key", "resolve", "No route", "refused", NULL
  };

  for (size_t i = 0; words[i]; ++i)
    if (strstr (err, words[i]))
      return 1;
  return 0;
}

/* ---- a URI from protocol and server ---- */

/* Appends s to *b, percent-encoding what a URI path cannot hold. */
static int
append_encoded (char **b, size_t *len, const char *s)
{
  FILE *fp = open_memstream (b, len);

  if (fp == NULL)
    return -1;
  for (; *s; ++s) {
    unsigned char c = *s;

    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || strchr ("-._~/:@!$&'()*+,;=", c))
      fputc (c, fp);
    else
      fprintf (fp, "%%%02X", c);
  }
  return fclose (fp) == 0 ? 0 : -1;
}

struct server {
  int is_unix;
  char host[256];             /* bracketed if IPv6 */
  int port;                   /* 0: the protocol's */
  const char *socket;
};

static int
parse_server (drydock_h *h, const char *name, const char *s,
              struct server *sv)
{
  const char *host = s, *colon;
  size_t hlen;

  memset (sv, 0, sizeof *sv);
  if (strncmp (s, "unix:", 5) == 0) {
    sv->is_unix = 1;
    sv->socket = s + 5;
    if (sv->socket[0] != '/')
      goto bad;
    return 0;
  }
  if (strncmp (s, "tcp:", 4) == 0)
    host = s + 4;
  if (host[0] == '[') {
    const char *end = strchr (host, ']');
    if (end == NULL)
      goto bad;
    hlen = end + 1 - host;
    colon = end[1] == ':' ? end + 1 : NULL;
    if (end[1] && !colon)
      goto bad;
  }
  else {
    colon = strchr (host, ':');
    if (colon && strchr (colon + 1, ':'))
      colon = NULL;               /* a bare IPv6 address */
    hlen = colon ? (size_t) (colon - host) : strlen (host);
  }
  if (hlen == 0 || hlen + 3 > sizeof sv->host || strpbrk (host, "/@?# ") )
    goto bad;
  if (host[0] != '[' && memchr (host, ':', hlen))
    snprintf (sv->host, sizeof sv->host, "[%.*s]", (int) hlen, host);
  else
    snprintf (sv->host, sizeof sv->host, "%.*s", (int) hlen, host);
  if (colon) {
    char *end;
    long p = strtol (colon + 1, &end, 10);

    if (*end || end == colon + 1 || p < 1 || p > 65535)
      goto bad;
    sv->port = (int) p;
  }
  return 0;
 bad:
  drydock_int_error_errno (h, EINVAL, "add_drive: %s: server '%s': expected "
                           "HOST, HOST:PORT, tcp:HOST[:PORT] or "
                           "unix:/SOCKET", name, s);
  return -1;
}

/* rbd's monitors: "mon_host=H1\:P1\;H2", as its filename syntax wants. */
static int
rbd_uri (drydock_h *h, const char *name, const struct remote_opts *o,
         int with_secret, FILE *fp)
{
  size_t n = 0;

  fprintf (fp, "rbd:%s", name[0] == '/' ? name + 1 : name);
  for (char *const *s = o->server; s && *s; ++s, ++n) {
    struct server sv;

    if (parse_server (h, name, *s, &sv) == -1)
      return -1;
    if (sv.is_unix) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: rbd takes no unix "
                               "socket server", name);
      return -1;
    }
    fprintf (fp, "%s%s", n ? "\\;" : ":mon_host=", sv.host);
    if (sv.port)
      fprintf (fp, "\\:%d", sv.port);
  }
  if (o->username)
    fprintf (fp, ":id=%s", o->username);
  if (with_secret && o->secret)
    fprintf (fp, ":key=%s:auth_supported=cephx\\;none", o->secret);
  return 0;
}

/* The URI of export name on o's one server, with the secret if
 * with_secret (the one qemu opens) or without (the one shown). */
static char *
protocol_uri (drydock_h *h, const char *name, const struct scheme *s,
              const struct remote_opts *o, int with_secret)
{
  char *b = NULL, *path = NULL;
  size_t len = 0, plen = 0;
  FILE *fp = open_memstream (&b, &len);
  const char *query = NULL;
  struct server sv;
  int ok = 0;

  if (fp == NULL) {
    drydock_int_perror (h, "add_drive: %s", name);
    return NULL;
  }
  if (strcmp (s->protocol, "rbd") == 0) {
    ok = rbd_uri (h, name, o, with_secret, fp) == 0;
    goto out;
  }
  if (parse_server (h, name, o->server[0], &sv) == -1)
    goto out;
  /* ssh's host key check goes after the path, as in its URIs. */
  if (strcmp (s->protocol, "ssh") == 0)
    query = strstr (name, "?host_key_check=");
  {
    const char *start = name[0] == '/' ? name + 1 : name;
    CLEANUP_FREE char *bare = strndup (start, query ? (size_t) (query - start) :
                                       strlen (start));

    if (bare == NULL || append_encoded (&path, &plen, bare) == -1) {
      drydock_int_perror (h, "add_drive: %s", name);
      goto out;
    }
  }
  if (sv.is_unix) {
    if (strcmp (s->protocol, "nbd") != 0 && strcmp (s->protocol, "gluster") != 0) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: a unix socket "
                               "server is for nbd and gluster only", name);
      goto out;
    }
    fprintf (fp, "%s+unix:///%s?socket=", s->protocol, path);
    free (path);
    path = NULL;
    if (append_encoded (&path, &plen, sv.socket) == -1) {
      drydock_int_perror (h, "add_drive: %s", name);
      goto out;
    }
    fputs (path, fp);
    ok = 1;
    goto out;
  }
  fputs (s->prefix, fp);
  if (o->username) {
    CLEANUP_FREE char *user = NULL;
    size_t ulen = 0;

    if (append_encoded (&user, &ulen, o->username) == -1) {
      drydock_int_perror (h, "add_drive: %s", name);
      goto out;
    }
    fputs (user, fp);
    if (with_secret && o->secret && strcmp (s->protocol, "iscsi") == 0)
      fprintf (fp, "%%%s", o->secret);
    fputc ('@', fp);
  }
  fputs (sv.host, fp);
  if (sv.port)
    fprintf (fp, ":%d", sv.port);
  fprintf (fp, "/%s%s", path, query ? query : "");
  ok = 1;
 out:
  free (path);
  if (fclose (fp) != 0 && ok) {
    drydock_int_perror (h, "add_drive: %s", name);
    ok = 0;
  }
  if (!ok) {
    free (b);
    return NULL;
  }
  return b;
}

static int
check_protocol_args (drydock_h *h, const char *name, const struct scheme *s,
                     const struct remote_opts *o)
{
  size_t n = 0;
  const char *p = s->protocol;

  while (o->server && o->server[n])
    n++;
  if (strcmp (p, "rbd") != 0 && n != 1) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: protocol %s needs "
                             "exactly one server, %zu given", name, p, n);
    return -1;
  }
  if (o->username && (strcmp (p, "nbd") == 0 || strcmp (p, "gluster") == 0)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: protocol %s takes "
                             "no username", name, p);
    return -1;
  }
  if (o->secret && strcmp (p, "iscsi") != 0 && strcmp (p, "rbd") != 0) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: a secret is for "
                             "iscsi and rbd, not %s", name, p);
    return -1;
  }
  if (o->secret && strcmp (p, "iscsi") == 0 && o->username == NULL) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: an iscsi secret "
                             "needs a username", name);
    return -1;
  }
  return 0;
}

/* ---- the curl driver's options ---- */

struct curl_opts {
  int sslverify;
  char *cookie;
  int64_t readahead;
  int timeout;
};

static int
pct_decode (char *s)
{
  char *w = s;

  for (; *s; ++s) {
    if (*s == '%') {
      unsigned v;
      if (sscanf (s + 1, "%2x", &v) != 1 || !s[1] || !s[2])
        return -1;
      *w++ = (char) v;
      s += 2;
    }
    else
      *w++ = *s;
  }
  *w = '\0';
  return 0;
}

static int
parse_bool (const char *v)
{
  static const char *const yes[] = { "true", "on", "yes", "1", NULL };
  static const char *const no[] = { "false", "off", "no", "0", NULL };

  for (size_t i = 0; yes[i]; ++i) {
    if (strcasecmp (v, yes[i]) == 0)
      return 1;
    if (strcasecmp (v, no[i]) == 0)
      return 0;
  }
  return -1;
}

static int64_t
parse_size (const char *v)
{
  char *end;
  long long n;

  errno = 0;
  n = strtoll (v, &end, 10);
  if (errno || end == v || n <= 0)
    return -1;
  switch (*end) {
  case '\0': return n;
  case 'k': case 'K': n *= 1024; break;
  case 'm': case 'M': n *= 1024 * 1024; break;
  case 'g': case 'G': n *= 1024 * 1024 * 1024; break;
  default: return -1;
  }
  return end[1] ? -1 : n;
}

/* The options of the fragment "k=v&k=v" into *c. */
static int
parse_fragment (drydock_h *h, const char *uri, char *frag,
                struct curl_opts *c)
{
  char *save = NULL, *kv;

  for (kv = strtok_r (frag, "&", &save); kv; kv = strtok_r (NULL, "&", &save)) {
    char *v = strchr (kv, '=');
    int64_t n;

    if (v == NULL)
      goto bad;
    *v++ = '\0';
    if (pct_decode (v) == -1)
      goto bad;
    if (strcmp (kv, "sslverify") == 0 && (c->sslverify = parse_bool (v)) != -1)
      continue;
    if (strcmp (kv, "readahead") == 0 && (c->readahead = parse_size (v)) > 0)
      continue;
    if (strcmp (kv, "timeout") == 0 && (n = parse_size (v)) > 0 &&
        n <= INT32_MAX) {
      c->timeout = (int) n;
      continue;
    }
    if (strcmp (kv, "cookie") == 0) {
      free (c->cookie);
      if ((c->cookie = strdup (v)) == NULL) {
        drydock_int_perror (h, "add_drive: %s", uri);
        return -1;
      }
      continue;
    }
    goto bad;
  }
  return 0;
 bad:
  drydock_int_error_errno (h, EINVAL, "add_drive: %s: option '%s' after '#': "
                           "expected sslverify=BOOL, cookie=STRING, "
                           "readahead=BYTES or timeout=SECONDS", uri, kv);
  return -1;
}

/* What qemu opens for a curl URL with options: its json: form. */
static char *
curl_spec (const struct scheme *s, const char *url, const struct curl_opts *c)
{
  CLEANUP_FREE char *jurl = drydock_int_json_string (url);
  CLEANUP_FREE char *jcookie = c->cookie ? drydock_int_json_string (c->cookie) : NULL;
  char *b = NULL;
  size_t len = 0;
  FILE *fp;

  if (jurl == NULL || (c->cookie && jcookie == NULL) ||
      (fp = open_memstream (&b, &len)) == NULL)
    return NULL;
  /* The protocol under "file": the format stays -f's, probed or given. */
  fprintf (fp, "json:{\"file\":{\"driver\":\"%.*s\",\"url\":%s",
           (int) (strlen (s->prefix) - 3), s->prefix, jurl);
  if (c->sslverify != -1)
    fprintf (fp, ",\"sslverify\":%s", c->sslverify ? "true" : "false");
  if (jcookie)
    fprintf (fp, ",\"cookie\":%s", jcookie);
  if (c->readahead > 0)
    fprintf (fp, ",\"readahead\":%" PRIi64, c->readahead);
  if (c->timeout > 0)
    fprintf (fp, ",\"timeout\":%d", c->timeout);
  fputs ("}}", fp);
  if (fclose (fp) != 0) {
    free (b);
    return NULL;
  }
  return b;
}

/* ---- ssh ---- */

/* The URI with "host_key_check=SHA256:BASE64" (as ssh-keygen -l
 * prints it) turned into qemu's "sha256:HEX"; anything else is left to
 * qemu.  NULL with errno.  Caller frees. */
static char *
ssh_fingerprint (const char *uri)
{
  static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char key[] = "host_key_check=SHA256:";
  const char *p = strstr (uri, key), *q, *end;
  unsigned char bin[32];
  char hex[2 * sizeof bin + 1];
  size_t n = 0, bits = 0;
  uint32_t acc = 0;
  char *r;

  if (p == NULL)
    return strdup (uri);
  q = p + strlen (key);
  for (end = q; *end && *end != '&' && *end != '='; ++end) {
    const char *d = strchr (b64, *end);

    if (d == NULL || n >= sizeof bin)
      return strdup (uri);
    acc = acc << 6 | (uint32_t) (d - b64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bin[n++] = (unsigned char) (acc >> bits);
    }
  }
  while (*end == '=')
    end++;
  if (n != sizeof bin)
    return strdup (uri);
  for (size_t i = 0; i < n; ++i)
    snprintf (hex + 2 * i, 3, "%02x", bin[i]);
  if (asprintf (&r, "%.*shost_key_check=sha256:%s%s", (int) (p - uri), uri,
                hex, end) == -1)
    return NULL;
  return r;
}

/* ---- resolve ---- */

static int
check_curl_args (drydock_h *h, const char *name, const struct scheme *s,
                 const struct remote_opts *o, const char *frag)
{
  if (s->curl)
    return 0;
  if (frag || o->sslverify != -1 || o->cookie || o->readahead != -1 ||
      o->timeout != -1) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: sslverify, cookie, "
                             "readahead and timeout are for http, https, "
                             "ftp and ftps", name);
    return -1;
  }
  return 0;
}

/* The curl options: the fragment's, then the optional arguments'. */
static int
curl_options (drydock_h *h, const char *name, char *frag,
              const struct remote_opts *o, struct curl_opts *c)
{
  if (frag && parse_fragment (h, name, frag, c) == -1)
    return -1;
  if (o->sslverify != -1)
    c->sslverify = o->sslverify;
  if (o->readahead != -1)
    c->readahead = o->readahead;
  if (o->timeout != -1)
    c->timeout = o->timeout;
  if (o->cookie) {
    free (c->cookie);
    if ((c->cookie = strdup (o->cookie)) == NULL) {
      drydock_int_perror (h, "add_drive: %s", name);
      return -1;
    }
  }
  if ((c->readahead != -1 && (c->readahead <= 0 || c->readahead % 512)) ||
      (c->timeout != -1 && c->timeout <= 0)) {
    drydock_int_error_errno (h, EINVAL, "add_drive: %s: readahead must be a "
                             "multiple of 512 bytes and timeout more than 0 "
                             "seconds", name);
    return -1;
  }
  return 0;
}

/* The seconds qemu-img may take to look at a remote image: a minute, or
 * longer than the requests may take. */
#define REMOTE_LOOK_S 60

int
drydock_int_remote_resolve (drydock_h *h, const char *filename,
                            const struct remote_opts *o, struct remote *r)
{
  struct curl_opts c = { .sslverify = -1, .readahead = -1, .timeout = -1 };
  CLEANUP_FREE char *url = NULL;
  const struct scheme *s;
  char *frag = NULL;
  int ret = -1;

  memset (r, 0, sizeof *r);
  if (drydock_int_remote_has_protocol (o)) {
    s = NULL;
    for (size_t i = 0; i < N_SCHEMES && s == NULL; ++i)
      if (schemes[i].protocol && strcmp (schemes[i].protocol, o->protocol) == 0)
        s = &schemes[i];
    if (s == NULL) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: unknown protocol "
                               "'%s' (expected file, nbd, http, https, ftp, "
                               "ftps, ssh, iscsi, gluster or rbd)", filename,
                               o->protocol);
      return -1;
    }
    if (check_protocol_args (h, filename, s, o) == -1 ||
        (r->uri = protocol_uri (h, filename, s, o, 0)) == NULL ||
        (url = protocol_uri (h, filename, s, o, 1)) == NULL)
      goto out;
    r->has_secret = o->secret != NULL;
  }
  else {
    s = scheme_of (filename);
    if (o->server || o->username || o->secret) {
      drydock_int_error_errno (h, EINVAL, "add_drive: %s: server, username "
                               "and secret go with protocol", filename);
      return -1;
    }
    url = strdup (filename);
    if (url == NULL) {
      drydock_int_perror (h, "add_drive: %s", filename);
      return -1;
    }
    frag = strchr (url, '#');
    if (frag)
      *frag++ = '\0';
    if ((r->uri = strdup (url)) == NULL) {
      drydock_int_perror (h, "add_drive: %s", filename);
      goto out;
    }
  }
  r->module = s->module;
  r->writable = s->writable;
  if (check_curl_args (h, r->uri, s, o, frag) == -1)
    goto out;
  if (s->curl) {
    if (curl_options (h, r->uri, frag, o, &c) == -1)
      goto out;
    r->spec = c.sslverify != -1 || c.cookie || c.readahead != -1 ||
      c.timeout != -1 ? curl_spec (s, url, &c) : strdup (url);
  }
  else if (strcmp (s->prefix, "ssh://") == 0)
    r->spec = ssh_fingerprint (url);
  else
    r->spec = strdup (url);
  if (r->spec == NULL) {
    drydock_int_perror (h, "add_drive: %s", r->uri);
    goto out;
  }
  r->timeout = c.timeout > 0 && c.timeout + 10 > REMOTE_LOOK_S ?
    c.timeout + 10 : REMOTE_LOOK_S;
  ret = 0;
 out:
  free (c.cookie);
  if (ret == -1)
    drydock_int_remote_free (r);
  return ret;
}
