/* sk-test-server.h: a loopback HTTP server for tests, with faults on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SoupServer on 127.0.0.1, port 0, running on its own thread and main
 * context, so clients on the test's thread (async or sync) work. It answers
 * canned payloads per path (optionally per query parameter, e.g. one route
 * per page_info), records every request it receives, and injects faults on
 * demand: a status code sequence, delays, truncated or cut bodies, extra
 * headers such as Retry-After or rate-limit headers, closed connections.
 *
 * Every function may be called from the test's thread while the server runs.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SkTestServer SkTestServer;
typedef struct _SkTestRoute  SkTestRoute;

typedef enum {
  SK_TEST_BODY_FULL,       /* the body as given */
  SK_TEST_BODY_TRUNCATED,  /* the first half, with a matching Content-Length:
                            * a well-formed HTTP answer with broken JSON */
  SK_TEST_BODY_CUT,        /* Content-Length of the whole body, then the first
                            * half, then the connection closes */
  SK_TEST_BODY_CLOSE,      /* the connection closes without any answer */
} SkTestBodyMode;

/* One fault, applied to one request instead of (or on top of) the route's
 * answer. */
typedef struct {
  guint           status;       /* 0: the route's status and body */
  GBytes         *body;         /* with @status; NULL: a short JSON error */
  const char     *retry_after;  /* Retry-After value, NULL for none */
  const char     *header_name;  /* one more response header, or NULL */
  const char     *header_value;
  guint           delay_ms;     /* wait before answering */
  SkTestBodyMode  body_mode;
} SkTestFault;

/* A received request, copied out of the server thread. */
typedef struct {
  char               *method;
  char               *path;
  char               *query;    /* raw, NULL when none */
  GHashTable         *params;   /* decoded query parameters */
  SoupMessageHeaders *headers;
  GBytes             *body;
  guint               status;   /* what the server answered (0: connection closed) */
  gint64              at_us;    /* monotonic time of arrival */
} SkTestRequest;

void            sk_test_request_free       (SkTestRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkTestRequest, sk_test_request_free)

/* Starts at once; aborts the test if it cannot listen. */
SkTestServer   *sk_test_server_new         (void);
/* The same over https with the certificate and key in @pem_path (PEM, both
 * in one file); the URL is then "https://127.0.0.1:PORT". */
SkTestServer   *sk_test_server_new_tls     (const char   *pem_path);
/* Stops the thread and frees everything (pending delayed answers too). */
void            sk_test_server_free        (SkTestServer *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkTestServer, sk_test_server_free)

/* "http://127.0.0.1:PORT" */
const char     *sk_test_server_get_url     (SkTestServer *self);
/* @path_and_query: "/admin/x.json?page_info=2" → a full URL. */
char           *sk_test_server_build_url   (SkTestServer *self,
                                            const char   *path_and_query);

/* Answer @status with @body (JSON unless @content_type says otherwise) to
 * requests for @path. @param and @value (both or neither) restrict the route
 * to requests carrying that query parameter with that value; a value of NULL
 * with a name matches requests WITHOUT that parameter. Routes with a
 * parameter are tried before those without. Unknown paths get 404 with
 * {"errors":"Not Found"}. Returns the route (owned by the server). */
SkTestRoute    *sk_test_server_add_route   (SkTestServer *self,
                                            const char   *path,
                                            const char   *param,
                                            const char   *value,
                                            guint         status,
                                            const char   *content_type,
                                            GBytes       *body);
/* A header sent with every answer of @route. */
void            sk_test_route_add_header   (SkTestRoute  *route,
                                            const char   *name,
                                            const char   *value);
/* Faults for the next requests of @route, in order, one per request. */
void            sk_test_route_push_fault   (SkTestRoute       *route,
                                            const SkTestFault *fault);
/* Requests that reached @route so far (faulted ones included). */
guint           sk_test_route_get_hits     (SkTestRoute  *route);

/* Faults for the next requests to any path, in order; taken before the
 * route's own faults. */
void            sk_test_server_push_fault  (SkTestServer      *self,
                                            const SkTestFault *fault);
/* Shorthands for push_fault: answer @status (with Retry-After when
 * @retry_after is not NULL) @count times. */
void            sk_test_server_push_status (SkTestServer *self,
                                            guint         status,
                                            const char   *retry_after,
                                            guint         count);
/* Answer 401 (with Shopify's words) to every request whose header @name
 * is not exactly @value; NULL @name turns the check off. */
void            sk_test_server_require_header (SkTestServer *self,
                                               const char   *name,
                                               const char   *value);
/* Delay every answer by @delay_ms (0: none), until changed. */
void            sk_test_server_set_delay   (SkTestServer *self,
                                            guint         delay_ms);
/* Drop every route, queued fault and recorded request. */
void            sk_test_server_reset       (SkTestServer *self);

/* Recorded requests, oldest first. */
guint           sk_test_server_get_n_requests (SkTestServer *self);
SkTestRequest  *sk_test_server_dup_request (SkTestServer *self,
                                            guint         index);
/* Requests whose path is @path. */
guint           sk_test_server_count_path  (SkTestServer *self,
                                            const char   *path);
/* Wait (iterating the default main context) until @n requests arrived. */
void            sk_test_server_wait_requests (SkTestServer *self,
                                              guint         n,
                                              guint         timeout_ms);

/* The Shopify dialect (Admin REST, see sk-shopify-normalize.h for the
 * version). */
#define SK_TEST_SHOPIFY_ORDERS_PATH "/admin/api/2024-10/orders.json"
#define SK_TEST_SHOPIFY_COUNT_PATH  "/admin/api/2024-10/orders/count.json"
#define SK_TEST_SHOPIFY_SHOP_PATH   "/admin/api/2024-10/shop.json"

/* The three real orders of tests/fixtures/orders/shopify/order-…-2024-10.json
 * (JsonNode, deep copies), oldest updated_at first. */
GPtrArray      *sk_test_shopify_real_orders  (void);
/* A deep copy of a real order with only id, number and updated_at
 * rewritten, for tests that need many distinct orders. */
JsonNode       *sk_test_shopify_clone_order  (JsonNode    *template,
                                              gint64       id,
                                              guint        number,
                                              const char  *updated_at);
/* {"orders": [...]} */
GBytes         *sk_test_shopify_page_body    (JsonNode   **orders,
                                              guint        n);
/* Serve @orders as orders.json in pages of @per_page: page 1 without
 * page_info, page k with page_info=pk, Link headers with rel="previous"
 * and rel="next" naming https://@domain, a call-limit header "1/40", and
 * orders/count.json. Returns the routes of the pages (page k at k - 1; the
 * array is the caller's, the routes the server's). */
GPtrArray      *sk_test_server_serve_shopify_orders (SkTestServer *self,
                                                     const char   *domain,
                                                     GPtrArray    *orders,
                                                     guint         per_page);

G_END_DECLS
