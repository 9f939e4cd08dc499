/* sk-http.h: the one HTTP session of the app, with retries and rate limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sk-types.h"

G_BEGIN_DECLS

/* A token bucket per channel: @capacity requests of burst, refilled at
 * @rate_per_second. Fed by the channel's rate-limit headers
 * (sk_rate_limiter_observe). Times are monotonic microseconds. */
typedef struct _SkRateLimiter SkRateLimiter;

SkRateLimiter *sk_rate_limiter_new       (double capacity, double rate_per_second);
SkRateLimiter *sk_rate_limiter_ref       (SkRateLimiter *self);
void           sk_rate_limiter_unref     (SkRateLimiter *self);
/* Microseconds to wait before the next request may go (0: now); takes the
 * token when it returns 0. */
gint64         sk_rate_limiter_reserve   (SkRateLimiter *self, gint64 now_us);
/* The server said @used of @limit are used (Shopify's "32/40"). */
void           sk_rate_limiter_observe   (SkRateLimiter *self, double used, double limit, gint64 now_us);
/* The server said to back off until @until_us. */
void           sk_rate_limiter_pause     (SkRateLimiter *self, gint64 until_us);
/* The connector's reader of rate-limit headers (Shopify's
 * X-Shopify-Shop-Api-Call-Limit, ...); SkHttp calls it with the headers of
 * every response, retries included, and it calls _observe/_pause. */
typedef void (*SkRateLimitHeaderFunc) (SkRateLimiter      *limiter,
                                       SoupMessageHeaders *headers,
                                       gint64              now_us,
                                       gpointer            user_data);
void           sk_rate_limiter_set_header_func (SkRateLimiter        *self,
                                                SkRateLimitHeaderFunc func,
                                                gpointer              user_data);
void           sk_rate_limiter_feed_headers    (SkRateLimiter      *self,
                                                SoupMessageHeaders *headers,
                                                gint64              now_us);
/* Tokens available now (for health display). */
double         sk_rate_limiter_get_available   (SkRateLimiter *self, gint64 now_us);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkRateLimiter, sk_rate_limiter_unref)

/* Retry-After: seconds ("2"), an HTTP date, or empty/absent. Returns the
 * delay in microseconds, or -1 when absent/unparseable (use backoff). */
gint64   sk_http_parse_retry_after   (const char *value, gint64 now_unix);
/* Backoff for attempt @n (0-based): base * 2^n, capped, with full jitter. */
gint64   sk_http_backoff_us          (guint n, gint64 base_us, gint64 cap_us);
/* http:// is allowed only for loopback hosts (127.0.0.0/8, ::1, localhost). */
gboolean sk_http_check_url           (const char *url, GError **error);

typedef struct {
  guint  max_attempts;     /* total tries for 429/5xx/connection errors; default 5 */
  gint64 backoff_base_us;  /* default 500 ms */
  gint64 backoff_cap_us;   /* default 60 s */
} SkRetryPolicy;

/* What came back: status, headers and body of the final attempt. */
typedef struct {
  guint               status;
  SoupMessageHeaders *headers;   /* response headers, owned */
  GBytes             *body;
  guint               attempts;
} SkHttpResponse;

void sk_http_response_free (SkHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkHttpResponse, sk_http_response_free)

#define SK_TYPE_HTTP (sk_http_get_type ())
G_DECLARE_FINAL_TYPE (SkHttp, sk_http, SK, HTTP, GObject)

SkHttp     *sk_http_new                 (void);
SoupSession *sk_http_get_session        (SkHttp *self);
/* Per-request timeout in seconds (default 30); tests shorten it. */
void        sk_http_set_timeout         (SkHttp *self, guint seconds);
void        sk_http_set_retry_policy    (SkHttp *self, const SkRetryPolicy *policy);

/* Send @msg (re-created per attempt from method, URL, headers and body),
 * waiting on @limiter first. Retries connection errors, timeouts, 429 and 5xx
 * with exponential backoff and jitter, honouring Retry-After. Any final HTTP
 * status is a success of this call: the caller maps 4xx to errors with the
 * channel's words. Transport failures become SK_SYNC_ERROR. */
void            sk_http_send_async      (SkHttp              *self,
                                         const char          *method,
                                         const char          *url,
                                         SoupMessageHeaders  *request_headers,
                                         GBytes              *request_body,
                                         const char          *content_type,
                                         SkRateLimiter       *limiter,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
SkHttpResponse *sk_http_send_finish     (SkHttp              *self,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
