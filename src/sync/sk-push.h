/* sk-push.h: pushers, which send one outbox row to one channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pusher knows one channel kind's way of being told things (Shopify
 * fulfillment orders, WooCommerce order status and notes, Amazon
 * confirmShipment). Given a channel, its secret and an outbox row, it
 * sends asynchronously and says how it went:
 *
 *   SK_PUSH_SENT     the channel has it (also when the check before a
 *                    repeated attempt found it there already: nothing was
 *                    sent twice);
 *   SK_PUSH_RETRY    not now (network, timeout, 429, 5xx, refused
 *                    credentials, a missing permission): try again later,
 *                    not before retry_after seconds when the channel said;
 *   SK_PUSH_REFUSED  the channel refused this row for good (400, 404, 422
 *                    …); the message carries the channel's own words.
 *
 * When job->check_first is set (an earlier attempt may have reached the
 * channel: a retry, or a row recovered after Storekeep stopped mid-send),
 * the pusher looks at the channel's state before sending, so the same
 * fulfillment never goes twice. Messages never contain the secret.
 *
 * Pushers are used on the main thread by SkOutboxDispatcher. The only
 * error push_finish returns is G_IO_ERROR_CANCELLED; every other outcome
 * is a result.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-http.h"
#include "sk-store-channels.h"
#include "sk-store-outbox.h"

G_BEGIN_DECLS

typedef enum {
  SK_PUSH_SENT,
  SK_PUSH_RETRY,
  SK_PUSH_REFUSED,
} SkPushOutcome;

typedef struct {
  SkPushOutcome  outcome;
  gint64         retry_after;          /* RETRY: seconds the channel asked for; 0: backoff */
  char          *message;              /* RETRY, REFUSED: a sentence for people */
  char          *channel_ref;          /* SENT: the channel's id of what it made, or NULL */
  gboolean       already_there;        /* SENT: found by the check, nothing was sent */
  gboolean       credentials_refused;  /* RETRY: read the secret again before the next try */
} SkPushResult;

SkPushResult *sk_push_result_new_sent    (const char   *channel_ref,
                                          gboolean      already_there);
SkPushResult *sk_push_result_new_retry   (gint64        retry_after,
                                          const char   *message);
SkPushResult *sk_push_result_new_refused (const char   *message);
void          sk_push_result_free        (SkPushResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkPushResult, sk_push_result_free)

/* What to send, where, with what. Reference counted; the secret is wiped
 * when the last reference goes. */
typedef struct {
  SkHttp          *http;
  SkChannelRecord *channel;
  char            *secret;
  SkOutboxRow     *row;
  gboolean         check_first;
} SkPushJob;

SkPushJob    *sk_push_job_new   (SkHttp                *http,
                                 const SkChannelRecord *channel,
                                 const char            *secret,
                                 const SkOutboxRow     *row,
                                 gboolean               check_first);
SkPushJob    *sk_push_job_ref   (SkPushJob *job);
void          sk_push_job_unref (SkPushJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkPushJob, sk_push_job_unref)

#define SK_TYPE_PUSHER (sk_pusher_get_type ())
G_DECLARE_INTERFACE (SkPusher, sk_pusher, SK, PUSHER, GObject)

struct _SkPusherInterface
{
  GTypeInterface parent_iface;

  void          (*push_async)  (SkPusher            *self,
                                SkPushJob           *job,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
  SkPushResult *(*push_finish) (SkPusher            *self,
                                GAsyncResult        *result,
                                GError             **error);
};

void          sk_pusher_push_async  (SkPusher            *self,
                                     SkPushJob           *job,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
SkPushResult *sk_pusher_push_finish (SkPusher            *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* The pusher of a channel kind ("shopify", "woocommerce", "amazon"), or
 * NULL for kinds that get nothing pushed. */
SkPusher     *sk_pusher_new_for_kind (const char *kind);
SkPusher     *sk_shopify_pusher_new  (void);
SkPusher     *sk_woo_pusher_new      (void);
SkPusher     *sk_amazon_pusher_new   (void);

/* Shared by the pushers */

/* A fulfillment row's payload (see sk-store-outbox.h). */
typedef struct {
  char   *external_id;   /* the channel's line id, NULL when it has none */
  char   *sku;
  char   *title;
  gint64  quantity;
} SkPushLine;

typedef struct {
  gint64     shipment_id;
  char      *order_external_id;
  char      *order_number;
  char     **order_tags;       /* the channel's tags of the order; never
                                * NULL, empty for rows written before
                                * the payload carried them */
  char      *carrier;
  char      *tracking_number;
  char      *tracking_url;     /* NULL when none */
  char      *shipped_at;       /* ISO 8601 UTC */
  gboolean   complete;         /* the order is fully shipped with this */
  GPtrArray *lines;            /* SkPushLine */
} SkPushFulfillment;

/* NULL and SK_CORE_ERROR_INVALID_PAYLOAD when @payload is not one. */
SkPushFulfillment *sk_push_fulfillment_parse (const char         *payload,
                                              GError            **error);
void               sk_push_fulfillment_free  (SkPushFulfillment  *fulfillment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkPushFulfillment, sk_push_fulfillment_free)

/* The channel's own words from a JSON error answer: Shopify's
 * {"errors": …} / {"error": …}, WooCommerce's {"code", "message"},
 * Amazon's {"errors": [{"code", "message", "details"}]}; at most about 300
 * characters; NULL when there are none. */
char         *sk_push_error_text     (GBytes         *body);
/* @text with every occurrence of @secret replaced by "…". */
char         *sk_push_scrub          (const char     *text,
                                      const char     *secret);
/* The result for an answer that is not a success, worded for @job's
 * channel and order (@order_name); @words: the channel's own, or NULL. */
SkPushResult *sk_push_result_for_status (SkPushJob      *job,
                                         const char     *order_name,
                                         SkHttpResponse *response,
                                         const char     *words);
/* The result for a transport failure (SK_SYNC_ERROR_NETWORK, _TIMEOUT,
 * _TLS, an invalid URL …): RETRY with the error's sentence. */
SkPushResult *sk_push_result_for_error  (SkPushJob      *job,
                                         const GError   *error);
/* A JSON node as request body. */
GBytes       *sk_push_json_bytes     (JsonNode       *node);
/* Parse a JSON answer; NULL when it is not JSON. */
JsonNode     *sk_push_parse_json     (GBytes         *body);
/* A JSON member holding an id as a string ("123" or 123), or NULL. */
char         *sk_push_dup_id         (JsonObject     *object,
                                      const char     *member);
/* Element @index of @array when it is an object, else NULL (no warning). */
JsonObject   *sk_push_object_at      (JsonArray      *array,
                                      guint           index);
/* Member @member of @object when it is an array, else NULL. */
JsonArray    *sk_push_array_member   (JsonObject     *object,
                                      const char     *member);
/* The channel as people know it: its name, else its account. */
const char   *sk_push_channel_label  (SkPushJob      *job);

G_END_DECLS
