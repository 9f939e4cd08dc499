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
/* The channel's plan allows @rate_per_second (e.g. Shopify Plus leaks its
 * bucket ten times faster than a standard shop). */
void           sk_rate_limiter_set_rate  (SkRateLimiter *self, double rate_per_second, gint64 now_us);
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
/* The URI of the first link whose rel (a space-separated list) contains
 * @rel in an RFC 8288 Link header value ("<…>; rel=\"next\", <…>;
 * rel=previous"); quoted parameters may contain commas and semicolons.
 * NULL when there is none. */
char    *sk_http_parse_link_header   (const char *value, const char *rel);

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
 * with exponential backoff and jitter, honouring Retry-After (a 429 also
 * pauses @limiter; a Retry-After longer than the backoff cap ends the
 * retries). Any final HTTP status is a success of this call, also the last
 * 429/5xx when the attempts are used up: the caller maps them to errors with
 * the channel's words. Redirects are not followed (credentials travel in
 * headers and must not reach another host): a 3xx is returned as it is.
 * An answer shorter than the Content-Length it announced is a broken
 * transfer, retried like a connection error (libsoup would hand it over).
 * Transport failures become SK_SYNC_ERROR_NETWORK/_TIMEOUT/_TLS (TLS is
 * not retried), a bad URL SK_SYNC_ERROR_INVALID_URL/_INSECURE_URL,
 * cancellation G_IO_ERROR_CANCELLED. */
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
