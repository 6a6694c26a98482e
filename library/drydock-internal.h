/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libdrydock's internal interfaces, shared by its files and by the
 * generated wrappers (actions-gen.c).
 *
 * Convention: functions taking the handle return -1 (or NULL) after
 * setting the handle's error exactly once; helpers without a handle
 * return -1 with errno set. */

#ifndef DRYDOCK_INTERNAL_H
#define DRYDOCK_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "drydock.h"
#include "appliance-abi.h"
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
  char *filename;             /* absolute path of the source image, a
                                 URI, or FILE.ova/DISK inside an OVA */
  char *format;               /* qemu's name of its format */
  char *backing;              /* the overlay's backing: a path, a URI
                                 or a qemu json: specification */
  char *backing_format;       /* the format recorded with it */
  int readonly;
  int commit;                 /* merge into the source on shutdown */
  char *output_overlay;       /* keep the overlay here on shutdown */
  int direct;                 /* no overlay: qemu writes filename itself */
  int cluster_size;           /* the overlay's, bytes; 0: qemu-img's */
  char *overlay;              /* the overlay qemu writes */
  char *label;                /* add_drive's label, or NULL */
  int cache;                  /* DRIVE_CACHE_* */
  int discard_ignore;         /* discard "disable" */
  int copyonread;
  int blocksize;              /* 512 or 4096 */
  int overlay_lock;           /* a commit overlay's flock fd, or -1 */
  int untrusted;              /* refuse names of other files (untrusted.c) */
  int remote;                 /* filename is a remote export's URI */
};
#define DRIVE_CACHE_DEFAULT 0   /* unsafe over an overlay, else writeback */
#define DRIVE_CACHE_WRITEBACK 1
#define DRIVE_CACHE_UNSAFE 2

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
  int network;                  /* set_network */
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
  uint64_t io_errors;         /* drives the guest kernel saw I/O errors on
                                 since the last failed call (bit n: drive
                                 n), from the console */
  uint64_t nospace;           /* drives whose writes the host could not
                                 store (qemu's ENOSPC, which the guest's
                                 kernel logs as "critical space
                                 allocation error"), since the launch */
  uint32_t serial;
  uint64_t deprecated_warned[4];  /* deprecated actions that warned (bit n:
                                     the nth, see drydock_int_deprecated) */
  int call_timeout_ms;        /* per call, 0 = none */
  int stream_in, stream_out;  /* rescue: the caller's fds the call relays
                                 (rescue.c); -1 for other calls */
  int untrusted;              /* DRYDOCK_UNTRUSTED: every drive untrusted */
  struct drydock_qmp *qmp;    /* qemu's monitor while it runs, or NULL */
  int drives_hotplugged;      /* the drives were hot-added (a restore) */
  int aio_refused;            /* qemu refused the drives' aio mode once:
                                 its default from then on (snapshot.c) */
  struct drydock_direct *direct;  /* direct.c; NULL: not tried yet */
  struct drydock_local_mount *local_mount;  /* fuse.c; NULL: none */
  char *local_mountpoint;     /* its directory, for umount_local */
  pid_t reaper_pid;           /* see reaper.c; 0 = not started */
  int reaper_fd;              /* -1 = not started */

  /* launch properties (handle-props.c) */
  char *append;               /* set_append: kernel options, or NULL */
  char *hv;                   /* set_hv: qemu binary, or NULL */
  char **hv_params;           /* config: qemu parameters, NULL-terminated */
  char **backend_settings;    /* NULL-terminated, never NULL */
  char *tmpdir_parent;        /* set_tmpdir, or NULL: the environment's */
  char *path;                 /* set_path: builder and daemon, or NULL */
  char *identifier;           /* set_identifier, "" for none */
  char *program;              /* set_program */
  int autosync;               /* close does a shutdown */
  int pgroup;                 /* qemu in its own process group */
  int recovery_proc;          /* the reaper (and PDEATHSIG) guard qemu */
  atomic_int cancel;          /* user_cancel: stop the transfer (set
                                 from any thread or a signal handler) */

  /* libvirt authentication (libvirt.c) */
  int *libvirt_creds;         /* set_libvirt_supported_credentials: the
                                 VIR_CRED_* types, NULL: libvirt's own
                                 default callback */
  size_t n_libvirt_creds;
  struct libvirt_credential *libvirt_requested;  /* during the
                                 LIBVIRT_AUTH event only, else NULL */
  size_t n_libvirt_requested;
};

/* handle-props.c */
/* Sets the handle's properties from the environment at create
 * (drydock_create): 0, or -1 out of memory. */
extern int drydock_int_props_init (drydock_h *h);
extern void drydock_int_props_free (drydock_h *h);
/* The qemu binary, the directory of the handle's temporary directory,
 * and the builder and the daemon to run (never NULL). */
extern const char *drydock_int_hv (drydock_h *h);
extern const char *drydock_int_tmpdir_parent (drydock_h *h);
/* 1 if the backend setting name is set. */
extern int drydock_int_backend_setting (drydock_h *h, const char *name);
/* launch.c: makes the handle's temporary directory (once), starts the
 * reaper (set_recovery_proc).  0, or -1 with the error set. */
extern int drydock_int_make_tmpdir (drydock_h *h);
/* launch: -1 (error set) if DRYDOCK_BACKEND names another backend. */
extern int drydock_int_check_backend_env (drydock_h *h);
/* Forgets and reports a pending user_cancel: 1 if there was one. */
extern int drydock_int_take_cancel (drydock_h *h);

/* errors.c */
extern void drydock_int_error (drydock_h *h, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
/* proto.c: " (IMAGE: the guest saw I/O errors reading it)" for each
 * drive the console showed I/O errors on since the last call to this
 * (which forgets them), into buf; "" when none.  Returns buf. */
extern const char *drydock_int_io_error_note (drydock_h *h, char *buf,
                                              size_t n);
extern void drydock_int_error_errno (drydock_h *h, int errnum, const char *fs, ...)
  __attribute__((format (printf, 3, 4)));
/* Appends ": strerror(errno)" and keeps errno. */
extern void drydock_int_perror (drydock_h *h, const char *fs, ...)
  __attribute__((format (printf, 2, 3)));
extern int drydock_int_check_handle (drydock_h *h, const char *name);
extern int drydock_int_check_ready (drydock_h *h, const char *name);
extern int drydock_int_check_config (drydock_h *h, const char *name);
/* A library-side action's error, as every error, starts with the
 * action's name: adds "NAME: " to the handle's error unless there. */
extern void drydock_int_error_prefix (drydock_h *h, const char *name);
/* The same for a deprecated action that called INSTEAD, whose own
 * prefix it replaces ("zgrep: ...", not "zgrep: grep: ..."). */
extern void drydock_int_error_prefix_instead (drydock_h *h, const char *name,
                                              const char *instead);
/* The warning event of a deprecated action (I: its number among them),
 * sent on its first call on the handle only. */
extern void drydock_int_deprecated (drydock_h *h, unsigned i, const char *name,
                                    const char *instead);
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

/* commit.c */
/* Refuses (-1) a commit drive whose image's directory is not writable. */
extern int drydock_int_commit_check_dir (drydock_h *h, const char *image);
/* Creates the overlay of a commit drive beside image, locked by
 * *lock_fd (the caller closes it); its path (caller frees) or NULL. */
extern char *drydock_int_commit_overlay (drydock_h *h, const char *image,
                                         int *lock_fd);
/* Merges overlay into image, roll-forward (see commit.c); overlay is
 * renamed to the journal, then removed.  0 or -1. */
extern int drydock_int_commit (drydock_h *h, const char *image,
                               const char *overlay);
/* Finishes an interrupted commit into image (an absolute path), as op:
 * 0 nothing pending, 1 finished, -1 error (also: pending but image not
 * writable).  stale_too: also remove overlays left by a crash. */
extern int drydock_int_commit_recover (drydock_h *h, const char *op,
                                       const char *image, int stale_too);

/* drives.c */
extern int drydock_int_create_overlays (drydock_h *h);
extern int drydock_int_settle_overlays (drydock_h *h);
extern void drydock_int_remove_overlays (drydock_h *h);
/* Forgets the drives added after the first n (before launch), so that a
 * call adding several (add_domain) adds all or none. */
extern void drydock_int_drop_drives (drydock_h *h, size_t n);

/* drives.c */
/* dev with a leading /dev/disk/guestfs/LABEL (add_drive's label, a
 * partition number may follow) turned into the drive's device in buf
 * (DRYDOCK_LABEL_DEVICE_MAX bytes); anything else is dev itself. */
#define DRYDOCK_LABEL_DEVICE_MAX 64
extern const char *drydock_int_label_device (drydock_h *h, const char *dev,
                                             char *buf);
/* The first drive whose overlay's filesystem is full (its directory in
 * *dir, caller frees), or -1. */
extern ssize_t drydock_int_overlay_full (drydock_h *h, char **dir);

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
/* The qemu-img to run: DRYDOCK_QEMU_IMG, else the one found at build
 * time. */
extern const char *drydock_int_qemu_img (void);
/* The same with flags: RUN_SURVIVE_CALLER lets the program finish when
 * the caller dies (a commit into the source must never stop half way). */
#define RUN_SURVIVE_CALLER 1
extern int drydock_int_run_flags (drydock_h *h, char *const *argv, char **out,
                                  char **err, int flags);
/* The same, the program killed after timeout_s seconds (0: never):
 * then -1 with errno ETIMEDOUT. */
extern int drydock_int_run_timeout (drydock_h *h, char *const *argv,
                                    char **out, char **err, int flags,
                                    int timeout_s);
/* The same, the program inheriting keep_fd (its locks live as long as
 * the program does); -1 for none. */
extern int drydock_int_run_keep (drydock_h *h, char *const *argv, char **out,
                                 char **err, int flags, int keep_fd);
/* Both: timeout_s seconds (0: never) and keep_fd (-1: none). */
extern int drydock_int_run_full (drydock_h *h, char *const *argv, char **out,
                                 char **err, int flags, int timeout_s,
                                 int keep_fd);

/* reaper.c */
/* Registers a temporary file or directory (files before they are
 * created, directories right after) to be removed if the process dies
 * without drydock_close.  Best effort: it cannot fail. */
extern void drydock_int_reaper_add (drydock_h *h, const char *path);
/* 1 if the reaper can kill a process when the caller dies (it runs,
 * and the kernel has pidfds); if not, qemu dies with the thread that
 * forked it instead (PR_SET_PDEATHSIG). */
extern int drydock_int_reaper_can_watch (drydock_h *h);
/* Has the reaper kill process pid (qemu) if the caller dies; -1 if it
 * could not be told. */
extern int drydock_int_reaper_watch (drydock_h *h, pid_t pid);
/* Starts the reaper now (reaper_add does when needed), so that a path
 * made next is never without it. */
extern void drydock_int_reaper_start (drydock_h *h);
/* Kills the reaper; drydock_close calls it once the files are gone. */
extern void drydock_int_reaper_stop (drydock_h *h);

/* qemu.c */
/* How qemu starts.  NULL options: a cold boot, the drives on
 * virtio-blk.  snapshot: the machine snapshots are made of (no drives,
 * an empty virtio-scsi controller, the daemon in snapshot mode).
 * qmp_fd: qemu's end of a socketpair for its QMP monitor.  incoming_fd:
 * a saved state to restore, after which the machine waits for cont.
 * -1 for no fd. */
struct qemu_opts {
  int snapshot;
  int qmp_fd;
  int incoming_fd;        /* state to restore (-incoming defer), or -1 */
  int ram_fd;             /* the snapshot machine's RAM file, or -1 */
  int ram_shared;         /* 1: guest writes reach the file (a boot that
                           * saves); 0: copy-on-write (a restore) */
};
/* The command line (caller frees), or NULL with errno. */
extern char **drydock_int_qemu_argv (drydock_h *h, const char *kernel,
                                     const char *initrd, const char *root,
                                     const char *sockpath, int use_kvm,
                                     const struct qemu_opts *o);
extern int drydock_int_start_qemu (drydock_h *h, const char *kernel,
                                   const char *initrd, const char *root,
                                   const char *sockpath, int use_kvm,
                                   const struct qemu_opts *o);
/* QMP blockdev-add arguments for drive i, the same node as the cold
 * boot's -drive, its files read with qemu's aio mode aio (NULL: qemu's
 * default); caller frees, or NULL with errno. */
extern char *drydock_int_blockdev_args (drydock_h *h, size_t i,
                                        const char *aio);

/* launch.c */
/* What a launch measured, in ms, for its debug line. */
struct launch_phases {
  struct timespec t0;
  const char *path;           /* "cold boot", "snapshot restore", ... */
  double overlays, appliance, accel, connect, hello;
  double restore, save, hotplug, attach;
  uint64_t guest_boot_ms, guest_init_ms;
  uint64_t saved_bytes;        /* device state file, allocated */
  uint64_t ram_bytes;          /* RAM file, allocated */
};
/* The appliance a launch starts: the builder's files, the accelerator. */
struct launch_appliance {
  char *kernel, *initrd, *root;
  int kvm;
};
/* Starts qemu and waits until it connects to the channel (sets
 * ph->connect).  -1 with the error set; qemu may be left running for
 * drydock_int_kill_appliance. */
extern int drydock_int_start_appliance (drydock_h *h,
                                        const struct launch_appliance *a,
                                        const struct qemu_opts *o,
                                        struct launch_phases *ph);
/* Waits for the daemon's hello (sets ph->hello and the guest times). */
extern int drydock_int_wait_hello (drydock_h *h, int use_kvm,
                                   struct launch_phases *ph);

/* snapshot.c */
/* Launches by restoring a saved appliance, or on the first launch boots
 * one, saves it and goes on with it.  1: not tried (disabled, or marked
 * as failing; the debug output says why).  0: the handle is READY.  -1:
 * failed, error set, the snapshot file removed; the caller kills qemu
 * and boots cold, then calls drydock_int_snapshot_failed if that works. */
extern int drydock_int_snapshot_launch (drydock_h *h,
                                        const struct launch_appliance *a,
                                        struct launch_phases *ph);
/* Disables the snapshot path of this appliance for a while. */
extern void drydock_int_snapshot_failed (drydock_h *h,
                                         const struct launch_appliance *a);

/* rescue.c */
/* In a call whose CALL frame is sent, with h->stream_in set: relays
 * the caller's input to the daemon and the daemon's output to the
 * caller until both ends have sent their end marker; the reply
 * follows.  0, or -1 with errno (the channel failed: EPIPE, EBADMSG). */
extern int drydock_int_stream_relay (drydock_h *h);

/* qmp.c */
struct drydock_qmp;
/* Takes qemu's QMP socket (the library's end; closed on failure), reads
 * the greeting and enters command mode.  NULL with the error set. */
extern struct drydock_qmp *drydock_int_qmp_open (drydock_h *h, int fd,
                                                 int timeout_ms);
/* Runs one command, the JSON text made from fs, passing pass_fd along
 * (SCM_RIGHTS) unless it is -1.  0 when qemu returned (its reply line in
 * *reply unless reply is NULL, caller frees); -1 with the error set on
 * an error reply, a timeout or qemu's exit.  Events are skipped. */
extern int drydock_int_qmp (drydock_h *h, struct drydock_qmp *q, int pass_fd,
                            int timeout_ms, char **reply, const char *fs, ...)
  __attribute__((format (printf, 6, 7)));
/* The same without a descriptor, where qemu may refuse: 1 when it did
 * (its description in *refused, caller frees; no error set). */
extern int drydock_int_qmp_try (drydock_h *h, struct drydock_qmp *q,
                                int timeout_ms, char **refused,
                                const char *fs, ...)
  __attribute__((format (printf, 5, 6)));
extern void drydock_int_qmp_close (struct drydock_qmp *q);
/* A socketpair for QMP: returns the library's end, *qemu_fd is qemu's
 * (both close-on-exec).  -1 with the error set. */
extern int drydock_int_qmp_pair (drydock_h *h, int *qemu_fd);
/* s as a quoted JSON string; caller frees; NULL with errno. */
extern char *drydock_int_json_string (const char *s);
/* The string value of the first "key" in json (escapes undone loosely);
 * caller frees; NULL if absent. */
extern char *drydock_int_json_field (const char *json, const char *key);

/* sink.c: where a download goes (see sink.c). */
struct drydock_sink {
  const char *target;
  char *tmp;                  /* temporary name when target is a regular file */
  int fd;
  uint64_t pos;               /* bytes received, holes included (tmp only) */
  int failed, saved_errno;
  int ended, cancelled;
  int user_cancelled;         /* user_cancel: the rest is dropped */
};
/* Opens target ("-" for standard output).  -1 with the error set,
 * naming the action name. */
extern int drydock_int_sink_open (drydock_h *h, const char *name,
                                  struct drydock_sink *s, const char *target);
/* Appends n bytes; a failure is kept for sink_close to report. */
extern void drydock_int_sink_write (struct drydock_sink *s, const char *p,
                                    size_t n);
/* Appends n zero bytes (a hole in a regular file). */
extern void drydock_int_sink_hole (struct drydock_sink *s, uint64_t n);
/* Closes; with ok renames the temporary file into place, else removes
 * it.  -1 with the error set (a write that failed, the rename). */
extern int drydock_int_sink_close (drydock_h *h, const char *name,
                                   struct drydock_sink *s, int ok);

/* direct.c: reading guest files straight from the drives. */
/* Closes the export's connection and qemu's monitor (before qemu
 * stops, or after it was killed). */
extern void drydock_int_direct_close (drydock_h *h);
/* A regular file of the guest (path absolute, a final symlink not
 * followed) mapped for direct reads; NULL (no error set) when it cannot
 * be: it is then read the ordinary way.  Valid while the file does not
 * change. */
struct drydock_direct_file;
extern struct drydock_direct_file *drydock_int_direct_file (drydock_h *h,
                                                            const char *path);
extern void drydock_int_direct_file_free (struct drydock_direct_file *f);
/* Up to len bytes at offset (fewer at the end of the file, 0 past it).
 * The bytes read, or -1 with the error set. */
extern ssize_t drydock_int_direct_pread (drydock_h *h,
                                         struct drydock_direct_file *f,
                                         char *buf, size_t len,
                                         uint64_t offset);
/* Reads of f with several in flight (direct.c says when it pays):
 * NULL (no error set) unless all of f lies on one drive whose
 * connection opens.  Reads are tagged 0 to ntags - 1, one in flight a
 * tag.  submit: up to len bytes at offset into buf (*got of them, fewer
 * at the end of the file); 1 if that needed no request (holes, the end
 * of the file), 0 once its requests are sent, -1 with the error set.
 * wait: the next read whose bytes all arrived (any order), its tag and
 * length; -1 with the error set (no read of the pipe is answered after
 * that).  free: NULL is fine; reads still in flight are dropped. */
struct drydock_direct_pipe;
extern struct drydock_direct_pipe *
drydock_int_direct_pipe_new (drydock_h *h, struct drydock_direct_file *f,
                             int ntags);
extern int drydock_int_direct_pipe_submit (struct drydock_direct_pipe *p,
                                           int tag, char *buf, size_t len,
                                           uint64_t offset, size_t *got);
extern int drydock_int_direct_pipe_wait (struct drydock_direct_pipe *p,
                                         int *tag, size_t *got);
extern void drydock_int_direct_pipe_free (struct drydock_direct_pipe *p);

/* fuse.c */
/* Unmounts and frees the local mount, if any (drydock_close). */
extern void drydock_int_local_mount_close (drydock_h *h);

/* util */
extern double drydock_int_elapsed_ms (const struct timespec *since);

#endif /* DRYDOCK_INTERNAL_H */
