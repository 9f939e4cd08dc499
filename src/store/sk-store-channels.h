/* sk-store-channels.h: channel accounts and their sync cursors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64    id;            /* 0 until added */
  char     *kind;          /* "shopify" */
  char     *name;          /* shown to people: "Acme Outdoor (Shopify)" */
  char     *account;       /* shop domain: "acme.myshopify.com" */
  char     *base_url;      /* "https://acme.myshopify.com" or a loopback URL */
  char     *secret_ref;    /* libsecret attribute; never the secret itself */
  gboolean  paused;
  char     *settings;      /* JSON object text, connector specific; "{}" */
  gint64    created_at;
  gint64    removed_at;    /* non-zero: removed, its orders kept; such a
                            * channel is not listed and is revived when the
                            * same shop is added again */
} SkChannelRecord;

#define SK_TYPE_CHANNEL_RECORD (sk_channel_record_get_type ())
GType            sk_channel_record_get_type (void) G_GNUC_CONST;
SkChannelRecord *sk_channel_record_new      (void);
SkChannelRecord *sk_channel_record_copy     (const SkChannelRecord *record);
void             sk_channel_record_free     (SkChannelRecord       *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkChannelRecord, sk_channel_record_free)
/* The name a shop gets when the user gives none, from its host:
 * "demo-outfitters.myshopify.com" → "Demo Outfitters". */
char            *sk_channel_default_name    (const char            *host);

/* Where an incremental pull stands (see the sync_cursors table). */
typedef struct {
  gint64  high_water;      /* newest updated_at of a completed run */
  gint64  run_started_at;  /* non-zero while a run is unfinished */
  gint64  run_max_seen;    /* newest updated_at seen by the unfinished run */
  char   *page_token;      /* where the unfinished run resumes, or NULL */
  gint64  pages_done;
  gint64  updated_at;      /* when the cursor was last written: last success */
} SkSyncCursor;

void             sk_sync_cursor_clear       (SkSyncCursor *cursor);

/* Writes go through the writer thread and wait for it. On success
 * record->id is set. A second channel with the same kind and account is
 * SK_STORE_ERROR_CONSTRAINT ("This shop is already connected."). */
gboolean         sk_store_add_channel       (SkStore          *self,
                                             SkChannelRecord  *record,
                                             GError          **error);
gboolean         sk_store_update_channel    (SkStore          *self,
                                             const SkChannelRecord *record,
                                             GError          **error);
/* Removes the channel; its orders too when @delete_orders, otherwise the
 * orders are kept (and stay searchable) under a channel marked removed.
 * Both are recorded in the event log. */
gboolean         sk_store_remove_channel    (SkStore          *self,
                                             gint64            channel_id,
                                             gboolean          delete_orders,
                                             GError          **error);

/* Reads, on the reader connection. */
GPtrArray       *sk_store_list_channels     (SkStore          *self,
                                             GError          **error); /* SkChannelRecord */
SkChannelRecord *sk_store_get_channel       (SkStore          *self,
                                             gint64            channel_id,
                                             GError          **error);
/* A missing cursor is not an error: @out is zeroed. */
gboolean         sk_store_get_cursor        (SkStore          *self,
                                             gint64            channel_id,
                                             const char       *resource,
                                             SkSyncCursor     *out,
                                             GError          **error);

G_END_DECLS
