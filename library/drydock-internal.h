/* libdrydock's internal interfaces, shared by its files and by the
 * generated wrappers (actions-gen.c).
 *
 * Convention: functions taking the handle return -1 (or NULL) after
 * setting the handle's error exactly once; helpers without a handle
 * return -1 with errno set. */

#ifndef DRYDOCK_INTERNAL_H
#define DRYDOCK_INTERNAL_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "drydock.h"
#include "cleanups.h"
#include "strlist.h"
#include "wire.h"

#define PUBLIC __attribute__((visibility ("default")))

enum drydock_state {
  STATE_CONFIG,       /* adding drives and settings */
  STATE_LAUNCHING,
  STATE_READY,        /* the daemon answers calls */
  STATE_DONE,         /* shut down or the appliance died: only close */
};

struct drive {
  char *filename;             /* absolute path of the source image */
  char *format;               /* "raw" or "qcow2" */
  int readonly;
  int commit;                 /* merge into the source on shutdown */
  char *output_overlay;       /* keep the overlay here on shutdown */
  char *overlay;              /* the overlay qemu writes */
};

struct event_cb {
  drydock_event_callback cb;
  uint64_t events;
  void *opaque;
};

struct drydock_h {
  enum drydock_state state;
  char *last_error;
  int last_errno;

  /* settings */
  int verbose, trace;
  int memsize, smp;
  char *accel;                /* "auto", "kvm" or "tcg" */
  char *accel_used;

  struct drive *drives;
  size_t n_drives;
  struct event_cb *events;
  size_t n_events;

  char *tmpdir;               /* sockets and overlays; removed on close */
  char *cachedir;
  pid_t qemu_pid;
  int sock;                   /* the channel to the daemon */
  int console_fd;             /* qemu's stdout and stderr */
  char console_line[1024];
  size_t console_len;
  char console_tail[2048];    /* last console output, for error messages */
  size_t console_tail_len;
  uint32_t serial;
  int call_timeout_ms;        /* per call, 0 = none */
  pid_t reaper_pid;           /* see reaper.c; 0 = not started */
  int reaper_fd;              /* -1 = not started */
};

/* errors.c */
extern void drydock_int_error (drydock_h *h, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
extern void drydock_int_error_errno (drydock_h *h, int errnum, const char *fs, ...)
  __attribute__((format (printf, 3, 4)));
/* Appends ": strerror(errno)" and keeps errno. */
extern void drydock_int_perror (drydock_h *h, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
extern int drydock_int_check_handle (drydock_h *h, const char *name);
extern int drydock_int_check_ready (drydock_h *h, const char *name);
extern int drydock_int_check_config (drydock_h *h, const char *name);
extern int drydock_int_check_nonnull (drydock_h *h, const char *name,
                                      const char *arg, const void *p);
extern int drydock_int_check_path (drydock_h *h, const char *name,
                                   const char *arg, const char *path);
extern int drydock_int_check_list (drydock_h *h, const char *name,
                                   const char *arg, char *const *l);

/* events.c */
/* Calls the callbacks for event; returns how many there were. */
extern int drydock_int_event (drydock_h *h, uint64_t event, const char *buf,
                              size_t len, const uint64_t *array, size_t n);
extern void drydock_int_debug (drydock_h *h, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
extern void drydock_int_warning (drydock_h *h, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));

/* trace.c */
struct drydock_trace {
  FILE *fp;
  char *buf;
  size_t len;
};
/* Returns 1 (and starts a line) when tracing is on, else 0. */
extern int drydock_int_trace_begin (drydock_h *h, struct drydock_trace *t,
                                    const char *name);
extern void drydock_int_trace_str (struct drydock_trace *t, const char *s);
extern void drydock_int_trace_bool (struct drydock_trace *t, int b);
extern void drydock_int_trace_int (struct drydock_trace *t, int64_t i);
extern void drydock_int_trace_list (struct drydock_trace *t, char *const *l);
extern void drydock_int_trace_buffer (struct drydock_trace *t, const char *b,
                                      size_t n);
extern void drydock_int_trace_opt_str (struct drydock_trace *t, const char *n,
                                       const char *s);
extern void drydock_int_trace_opt_bool (struct drydock_trace *t, const char *n,
                                        int b);
extern void drydock_int_trace_opt_int (struct drydock_trace *t, const char *n,
                                       int64_t i);
extern void drydock_int_trace_opt_list (struct drydock_trace *t, const char *n,
                                        char *const *l);
extern void drydock_int_trace_end (drydock_h *h, struct drydock_trace *t);
extern void drydock_int_trace_ret_int (drydock_h *h, const char *name, int64_t r);
extern void drydock_int_trace_ret_str (drydock_h *h, const char *name,
                                       const char *r);
extern void drydock_int_trace_ret_list (drydock_h *h, const char *name,
                                        char *const *r);
extern void drydock_int_trace_ret_ptr (drydock_h *h, const char *name,
                                       const void *r);

/* proto.c */
struct drydock_reply {
  char *frame;
  struct wire_reader r;
};
#define DRYDOCK_REPLY_INIT { NULL, { NULL, 0, 0 } }
/* Sends a call (streaming filein to, or fileout from, the daemon) and
 * waits for its reply.  On success rep->r is positioned at the result. */
extern int drydock_int_call (drydock_h *h, const char *name, uint32_t proc,
                             struct wire_buf *args, const char *filein,
                             const char *fileout, struct drydock_reply *rep);
/* -1 (with error set) if the result was malformed or had bytes left. */
extern int drydock_int_reply_finish (drydock_h *h, const char *name,
                                     struct drydock_reply *rep);
extern void drydock_int_reply_free (struct drydock_reply *rep);
/* Waits for a frame from the daemon, draining the console meanwhile.
 * timeout_ms < 0: no limit.  Returns 1 with a frame, 0 on EOF, -1 on
 * error or timeout (errno ETIMEDOUT), without setting the handle error. */
extern int drydock_int_recv_frame (drydock_h *h, char **frame, size_t *len,
                                   int timeout_ms);
extern int drydock_int_send_frame (drydock_h *h, const struct wire_buf *w);
/* Reads whatever console output is waiting (non-blocking). */
extern void drydock_int_drain_console (drydock_h *h, int timeout_ms);
/* Kills and reaps qemu, closes the channel; the handle is then DONE. */
extern void drydock_int_kill_appliance (drydock_h *h);
/* The appliance died or broke the protocol: error naming the call. */
extern void drydock_int_appliance_died (drydock_h *h, const char *name);

/* drives.c */
extern int drydock_int_create_overlays (drydock_h *h);
extern int drydock_int_settle_overlays (drydock_h *h);
extern void drydock_int_remove_overlays (drydock_h *h);

/* appliance.c */
/* Runs the builder; sets the paths of the kernel, the initrd and the
 * root image (caller frees), or returns -1 with the error set. */
extern int drydock_int_build_appliance (drydock_h *h, char **kernel,
                                        char **initrd, char **root);
extern const char *drydock_int_cachedir (drydock_h *h);
/* Runs a program and waits; its stderr is collected into *err (caller
 * frees).  Returns the exit status or -1 with errno. */
extern int drydock_int_run (drydock_h *h, char *const *argv, char **out,
                            char **err);

/* reaper.c */
/* Registers a temporary file or directory (files before they are
 * created, directories right after) to be removed if the process dies
 * without drydock_close.  Best effort: it cannot fail. */
extern void drydock_int_reaper_add (drydock_h *h, const char *path);
/* Kills the reaper; drydock_close calls it once the files are gone. */
extern void drydock_int_reaper_stop (drydock_h *h);

/* qemu.c */
extern int drydock_int_start_qemu (drydock_h *h, const char *kernel,
                                   const char *initrd, const char *root,
                                   const char *sockpath, int use_kvm);

/* util */
extern double drydock_int_elapsed_ms (const struct timespec *since);

#endif /* DRYDOCK_INTERNAL_H */
