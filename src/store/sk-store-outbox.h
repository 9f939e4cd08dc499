/* sk-store-outbox.h: shipments, and the outbox of what must reach a channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recording a shipment is one transaction: the shipment and its lines, a
 * "shipped" event (and a "fulfillment-status" event when the order's status
 * moves), the order's new local fulfillment status (partial or fulfilled),
 * and one outbox row for the order's channel, with the idempotency key
 * "fulfillment:<shipment id>" and a JSON payload that says what to send:
 *
 *   {"shipment_id": 7, "order_id": 3, "order_external_id": "450789469",
 *    "order_number": "#1001",
 *    "order_tags": ["Amazon.ca", "Prime"],  (the channel's; absent when none)
 *    "carrier": "UPS", "tracking_number": "1Z…",
 *    "tracking_url": "https://…" (absent when none),
 *    "shipped_at": "2024-10-02T14:00:00Z",
 *    "complete": true,      (every line of the order is shipped with this)
 *    "lines": [{"position": 0, "external_id": "466157049", "sku": "…",
 *               "title": "…", "quantity": 1}]}
 *
 * The outbox row is written only for channels Storekeep can tell
 * (sk_store_channel_kind_accepts_fulfillments); the shipment is recorded
 * for any order. SkOutboxDispatcher (src/engine/) sends the rows.
 *
 * Outbox row states: pending (waits for next_attempt_at) → sending (a
 * dispatcher took it; attempts counts the takes) → sent (sent_at set), or
 * back to pending (retry later, last_error says why), or failed (the
 * channel refused for good; last_error has its words). A row left in
 * "sending" by a process that stopped is recovered as pending, and its
 * pusher checks the channel before sending again.
 */
#pragma once

#include "sk-store.h"

G_BEGIN_DECLS

/* The outbox row's state; the nick is what the database stores. */
typedef enum {
  SK_OUTBOX_STATE_PENDING,
  SK_OUTBOX_STATE_SENDING,
  SK_OUTBOX_STATE_SENT,
  SK_OUTBOX_STATE_FAILED,
  SK_OUTBOX_STATE_SUPERSEDED,
} SkOutboxState;

const char    *sk_outbox_state_to_string   (SkOutboxState state);
/* Unknown nicks give PENDING. */
SkOutboxState  sk_outbox_state_from_string (const char   *nick);

/* The outbox kind of a shipment's row. */
#define SK_OUTBOX_KIND_FULFILLMENT "fulfillment"

/* TRUE for channel kinds that get fulfillments pushed back ("shopify",
 * "woocommerce", "amazon"); CSV and other import-only channels do not. */
gboolean       sk_store_channel_kind_accepts_fulfillments (const char *kind);

/* Shipments */

typedef struct {
  int     position;      /* order_lines.position: the index in SkOrder's lines */
  char   *external_id;   /* the channel's line id (set when recorded) */
  char   *sku;           /* (set when recorded) */
  char   *title;         /* (set when recorded) */
  gint64  quantity;
} SkShipmentLine;

typedef struct {
  gint64     id;               /* 0 until recorded */
  gint64     order_id;
  char      *carrier;          /* required: "UPS", "DHL Express", "La Poste" */
  char      *tracking_number;  /* required */
  char      *tracking_url;     /* optional */
  gint64     shipped_at;       /* 0: now */
  gint64     created_at;
  char      *actor;            /* who recorded it: "user", "engine:routing" */
  GPtrArray *lines;            /* SkShipmentLine; empty: every unshipped item */
} SkShipment;

SkShipment *sk_shipment_new       (gint64       order_id,
                                   const char  *carrier,
                                   const char  *tracking_number,
                                   const char  *tracking_url);
/* Ship @quantity of the order's line at @position (the index of the line
 * in sk_order_get_lines of the loaded order). Adding the same position
 * twice adds up. */
void        sk_shipment_add_line  (SkShipment  *shipment,
                                   int          position,
                                   gint64       quantity);
void        sk_shipment_free      (SkShipment  *shipment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkShipment, sk_shipment_free)

/* Record @shipment (see the top of this file) in one transaction on the
 * writer thread; @actor goes to the event log ("user" when NULL) and @why
 * is the event's reason (a default sentence when NULL). Without lines,
 * everything not yet shipped by an earlier shipment goes. Errors:
 * SK_STORE_ERROR_NOT_FOUND (no such order), SK_STORE_ERROR_CONSTRAINT with
 * a sentence (no carrier or tracking number, a cancelled order, nothing
 * left to ship, a quantity above what is left, an unknown line), and the
 * database's errors. Nothing is written on error. @shipment is copied. */
void        sk_store_record_shipment_async  (SkStore            *self,
                                             const SkShipment   *shipment,
                                             const char         *actor,
                                             const char         *why,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
/* @out_shipment_id: the new shipment; @out_outbox_id: its outbox row, 0
 * when the channel gets none. */
gboolean    sk_store_record_shipment_finish (SkStore            *self,
                                             GAsyncResult       *result,
                                             gint64             *out_shipment_id,
                                             gint64             *out_outbox_id,
                                             GError            **error);
gboolean    sk_store_record_shipment_sync   (SkStore            *self,
                                             const SkShipment   *shipment,
                                             const char         *actor,
                                             const char         *why,
                                             gint64             *out_shipment_id,
                                             gint64             *out_outbox_id,
                                             GError            **error);

/* The order's shipments, oldest first, with their lines (reader). */
GPtrArray  *sk_store_list_shipments         (SkStore            *self,
                                             gint64              order_id,
                                             GError            **error); /* SkShipment */

/* Outbox rows */

typedef struct {
  gint64         id;
  gint64         channel_id;
  char          *channel_name;     /* listing only: "Acme (Shopify)" */
  char          *channel_kind;     /* "shopify" */
  char          *kind;             /* "fulfillment" */
  char          *subject_type;     /* "order" */
  gint64         subject_id;       /* the order id */
  char          *idempotency_key;  /* "fulfillment:7" */
  char          *payload;          /* JSON text */
  SkOutboxState  state;
  gint64         attempts;         /* times a dispatcher took it */
  gint64         next_attempt_at;  /* pending: not before this */
  char          *last_error;       /* why the last attempt did not end in sent */
  char          *channel_ref;      /* the channel's id of what was created */
  gint64         created_at;
  gint64         sent_at;          /* 0 until sent */
} SkOutboxRow;

SkOutboxRow *sk_outbox_row_copy (const SkOutboxRow *row);
void         sk_outbox_row_free (SkOutboxRow       *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkOutboxRow, sk_outbox_row_free)

/* For the order pane: every outbox row about @order_id, oldest first, with
 * its channel's name: what was sent where and when (SENT, sent_at), what
 * is waiting (PENDING, next_attempt_at, last_error of the last try), what
 * was refused (FAILED, last_error). Reader connection. */
GPtrArray   *sk_store_list_order_outbox     (SkStore     *self,
                                             gint64       order_id,
                                             GError     **error); /* SkOutboxRow */
SkOutboxRow *sk_store_get_outbox_row        (SkStore     *self,
                                             gint64       row_id,
                                             GError     **error);
/* Rows not yet sent (pending or sending) for @channel_id, 0 for all: the
 * backlog shown in channel health. -1 on error. */
gint64       sk_store_count_outbox_backlog  (SkStore     *self,
                                             gint64       channel_id,
                                             GError     **error);
/* "Try again" on a failed row: pending, due now; its "outbox-refused:<id>"
 * problem is resolved in the same transaction. FALSE with
 * SK_STORE_ERROR_NOT_FOUND when the row is not failed. */
gboolean     sk_store_retry_outbox_row      (SkStore     *self,
                                             gint64       row_id,
                                             GError     **error);

/* For SkOutboxDispatcher */

/* Rows left in "sending" (the process stopped mid-send) become pending and
 * due at @now, their attempts kept, so the next take checks the channel
 * first. Call once before the first take. */
void         sk_store_outbox_recover_async  (SkStore            *self,
                                             gint64              now,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean     sk_store_outbox_recover_finish (SkStore            *self,
                                             GAsyncResult       *result,
                                             guint              *out_recovered,
                                             GError            **error);
/* Take the next due row: pending, next_attempt_at <= @now, oldest due
 * first, of a channel that is neither paused nor removed and has no row
 * in "sending", and with no earlier unsent row for the same subject and
 * channel (an order's rows go in order). It becomes "sending" with
 * attempts + 1. finish returns NULL without error when nothing is due. */
void         sk_store_outbox_take_async     (SkStore            *self,
                                             gint64              now,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
SkOutboxRow *sk_store_outbox_take_finish    (SkStore            *self,
                                             GAsyncResult       *result,
                                             GError            **error);
/* Settle a row taken by take: SENT (sent_at = @at, @channel_ref kept, an
 * "outbox-sent" event on the subject), PENDING (next_attempt_at = @at,
 * @message as last_error), or FAILED (@message as last_error, an
 * "outbox-failed" event). Only a row in "sending" is settled; finish
 * returns FALSE with SK_STORE_ERROR_NOT_FOUND otherwise. */
void         sk_store_outbox_settle_async   (SkStore            *self,
                                             gint64              row_id,
                                             SkOutboxState       state,
                                             gint64              at,
                                             const char         *message,
                                             const char         *channel_ref,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean     sk_store_outbox_settle_finish  (SkStore            *self,
                                             GAsyncResult       *result,
                                             GError            **error);
/* The earliest next_attempt_at of a pending row that take would hand out
 * once due (its channel active, no earlier unsent row of its subject), or
 * 0 when there is none (reader). */
gint64       sk_store_outbox_next_due       (SkStore            *self,
                                             GError            **error);

G_END_DECLS
