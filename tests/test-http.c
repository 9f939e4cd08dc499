/* test-http.c: SkHttp retries, Retry-After, rate limits, URLs, cancellation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sk-error.h"
#include "sk-http.h"
#include "sk-test-server.h"
#include "sk-test-util.h"

#define PATH "/admin/api/2024-10/shop.json"

/* Pure functions */

static void
test_backoff (void)
{
  const gint64 base = 500 * 1000;
  const gint64 cap = 60 * G_USEC_PER_SEC;

  for (guint n = 0; n < 12; n++)
    {
      gint64 ceiling = MIN (base << n, cap);
      gint64 highest = 0;

      for (guint i = 0; i < 300; i++)
        {
          gint64 delay = sk_http_backoff_us (n, base, cap);

          g_assert_cmpint (delay, >=, 0);
          g_assert_cmpint (delay, <=, ceiling);
          highest = MAX (highest, delay);
        }
      /* Full jitter spreads over the whole range. */
      g_assert_cmpint (highest, >, ceiling / 2);
    }

  /* Huge attempt numbers neither overflow nor pass the cap. */
  for (guint i = 0; i < 100; i++)
    g_assert_cmpint (sk_http_backoff_us (200, base, cap), <=, cap);
  g_assert_cmpint (sk_http_backoff_us (3, base, 0), ==, 0);
}

static void
test_retry_after (void)
{
  gint64 now = 1700000000;
  g_autoptr(GDateTime) later = g_date_time_new_from_unix_utc (now + 10);
  g_autoptr(GDateTime) earlier = g_date_time_new_from_unix_utc (now - 10);
  g_autofree char *later_text = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *earlier_text = soup_date_time_to_string (earlier, SOUP_DATE_HTTP);

  g_assert_cmpint (sk_http_parse_retry_after ("2", now), ==, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (sk_http_parse_retry_after ("2.0", now), ==, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (sk_http_parse_retry_after (" 1.5 ", now), ==, 1500 * 1000);
  g_assert_cmpint (sk_http_parse_retry_after ("0.25", now), ==, 250 * 1000);
  g_assert_cmpint (sk_http_parse_retry_after ("0", now), ==, 0);
  g_assert_cmpint (sk_http_parse_retry_after ("120", now), ==, 120 * G_USEC_PER_SEC);
  g_assert_cmpint (sk_http_parse_retry_after (later_text, now), ==, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (sk_http_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470),
                   ==, 10 * G_USEC_PER_SEC);
  /* A date in the past: go now. */
  g_assert_cmpint (sk_http_parse_retry_after (earlier_text, now), ==, 0);

  g_assert_cmpint (sk_http_parse_retry_after (NULL, now), ==, -1);
  g_assert_cmpint (sk_http_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (sk_http_parse_retry_after ("   ", now), ==, -1);
  g_assert_cmpint (sk_http_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (sk_http_parse_retry_after ("-1", now), ==, -1);
  g_assert_cmpint (sk_http_parse_retry_after ("2.", now), ==, -1);
  g_assert_cmpint (sk_http_parse_retry_after ("2s", now), ==, -1);
  g_assert_cmpint (sk_http_parse_retry_after ("1e3", now), ==, -1);
  g_assert_cmpint (sk_http_parse_retry_after ("99999999999999999999", now), ==, -1);
}

static void
test_rate_limiter (void)
{
  g_autoptr(SkRateLimiter) limiter = sk_rate_limiter_new (2, 1);
  gint64 t = 1000 * G_USEC_PER_SEC;
  gint64 wait;

  g_assert_cmpfloat (sk_rate_limiter_get_available (limiter, t), ==, 2);
  g_assert_cmpint (sk_rate_limiter_reserve (limiter, t), ==, 0);
  g_assert_cmpint (sk_rate_limiter_reserve (limiter, t), ==, 0);
  /* Empty: one token comes back in one second. */
  wait = sk_rate_limiter_reserve (limiter, t);
  g_assert_cmpint (wait, >, 990 * 1000);
  g_assert_cmpint (wait, <=, G_USEC_PER_SEC + 1);
  wait = sk_rate_limiter_reserve (limiter, t + 500 * 1000);
  g_assert_cmpint (wait, >, 490 * 1000);
  g_assert_cmpint (wait, <=, 500 * 1000 + 1);
  g_assert_cmpint (sk_rate_limiter_reserve (limiter, t + G_USEC_PER_SEC), ==, 0);

  /* Refill never passes the capacity. */
  t += 100 * G_USEC_PER_SEC;
  g_assert_cmpfloat (sk_rate_limiter_get_available (limiter, t), ==, 2);

  /* The server says the bucket is nearly full on its side: we follow,
   * and take its capacity. */
  sk_rate_limiter_observe (limiter, 39, 40, t);
  g_assert_cmpfloat (sk_rate_limiter_get_available (limiter, t), ==, 1);
  g_assert_cmpint (sk_rate_limiter_reserve (limiter, t), ==, 0);
  g_assert_cmpint (sk_rate_limiter_reserve (limiter, t), >, 0);
  /* ... and the bigger capacity fills over time. */
  t += 60 * G_USEC_PER_SEC;
  g_assert_cmpfloat (sk_rate_limiter_get_available (limiter, t), ==, 40);
  /* A server that reports more room than we think does not give tokens. */
  sk_rate_limiter_observe (limiter, 0, 40, t);
  g_assert_cmpfloat (sk_rate_limiter_get_available (limiter, t), ==, 40);

  /* A pause holds everything until it ends. */
  sk_rate_limiter_pause (limiter, t + 2 * G_USEC_PER_SEC);
  g_assert_cmpint (sk_rate_limiter_reserve (limiter, t), ==, 2 * G_USEC_PER_SEC);
  g_assert_cmpfloat (sk_rate_limiter_get_available (limiter, t), ==, 0);
  /* An earlier pause does not shorten a later one. */
  sk_rate_limiter_pause (limiter, t + G_USEC_PER_SEC);
  g_assert_cmpint (sk_rate_limiter_reserve (limiter, t + G_USEC_PER_SEC), ==, G_USEC_PER_SEC);
  g_assert_cmpint (sk_rate_limiter_reserve (limiter, t + 2 * G_USEC_PER_SEC), ==, 0);
}

static gpointer
hammer (gpointer data)
{
  SkRateLimiter *limiter = data;
  guint got = 0;

  for (guint i = 0; i < 10000; i++)
    if (sk_rate_limiter_reserve (limiter, 5 * G_USEC_PER_SEC) == 0)
      got++;
  return GUINT_TO_POINTER (got);
}

static void
test_rate_limiter_threads (void)
{
  g_autoptr(SkRateLimiter) limiter = sk_rate_limiter_new (1000, 1);
  GThread *threads[4];
  guint total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hammer", hammer, limiter);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    total += GPOINTER_TO_UINT (g_thread_join (threads[i]));

  /* Exactly the bucket, no token handed out twice. */
  g_assert_cmpuint (total, ==, 1000);
}

static void
count_feed (SkRateLimiter      *limiter,
            SoupMessageHeaders *headers,
            gint64              now_us,
            gpointer            user_data)
{
  guint *count = user_data;
  const char *value = soup_message_headers_get_one (headers, "X-Test-Limit");
  int used, limit;

  (*count)++;
  if (value != NULL && sscanf (value, "%d/%d", &used, &limit) == 2)
    sk_rate_limiter_observe (limiter, used, limit, now_us);
}

static void
test_link_header (void)
{
  char *uri;

  uri = sk_http_parse_link_header ("<https://a.myshopify.com/admin/api/2024-10/orders.json?limit=250&page_info=abc>; rel=\"next\"", "next");
  g_assert_cmpstr (uri, ==, "https://a.myshopify.com/admin/api/2024-10/orders.json?limit=250&page_info=abc");
  g_free (uri);

  uri = sk_http_parse_link_header ("<https://x/o.json?page_info=p1>; rel=\"previous\", <https://x/o.json?page_info=n2>; rel=\"next\"", "next");
  g_assert_cmpstr (uri, ==, "https://x/o.json?page_info=n2");
  g_free (uri);
  uri = sk_http_parse_link_header ("<https://x/o.json?page_info=p1>; rel=\"previous\", <https://x/o.json?page_info=n2>; rel=\"next\"", "previous");
  g_assert_cmpstr (uri, ==, "https://x/o.json?page_info=p1");
  g_free (uri);

  /* Commas and semicolons inside quotes and inside the URI, unquoted rel,
   * upper case, a list of rels, extra parameters before rel. */
  uri = sk_http_parse_link_header ("<https://x/a,b;c>; title=\"one, two; three\"; rel=prev,"
                                   " <https://x/next?q=1,2>;title=\"x\\\"y, z\" ; REL=\"last NEXT\"",
                                   "next");
  g_assert_cmpstr (uri, ==, "https://x/next?q=1,2");
  g_free (uri);

  /* Only the first rel of a link counts. */
  g_assert_null (sk_http_parse_link_header ("<https://x/1>; rel=prev; rel=next", "next"));
  /* "nextpage" is not "next". */
  g_assert_null (sk_http_parse_link_header ("<https://x/1>; rel=\"nextpage\"", "next"));
  g_assert_null (sk_http_parse_link_header ("<https://x/1>; rel=\"previous\"", "next"));
  g_assert_null (sk_http_parse_link_header ("", "next"));
  g_assert_null (sk_http_parse_link_header (NULL, "next"));
  g_assert_null (sk_http_parse_link_header ("garbage, more garbage", "next"));
  g_assert_null (sk_http_parse_link_header ("<https://x/unterminated; rel=next", "next"));

  uri = sk_http_parse_link_header ("garbage \"with, comma\", <https://x/2>; rel=next", "next");
  g_assert_cmpstr (uri, ==, "https://x/2");
  g_free (uri);
}

static void
test_check_url (void)
{
  const char *good[] = {
    "https://acme.myshopify.com",
    "https://acme.myshopify.com/admin/api/2024-10/orders.json?x=1",
    "http://127.0.0.1:8080/admin",
    "http://127.3.2.1/",
    "http://localhost:3000",
    "http://LOCALHOST",
    "http://[::1]:8080/",
  };
  const char *insecure[] = {
    "http://acme.myshopify.com",
    "http://127.0.0.1.evil.example/",
    "http://10.0.0.1/",
    "http://[::2]/",
    "http://localhost.example.com/",
  };
  const char *invalid[] = {
    "ftp://acme.myshopify.com",
    "acme.myshopify.com",
    "not a url",
    "https://",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (sk_http_check_url (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (insecure); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sk_http_check_url (insecure[i], &error));
      g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL);
      g_assert_true (g_str_has_prefix (error->message, "Storekeep only talks to shops over https"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sk_http_check_url (invalid[i], &error));
      g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL);
    }
}

/* Against the loopback server */

typedef struct {
  SkTestServer *server;
  SkHttp *http;
  SkTestRoute *route;
  GBytes *body;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  SkRetryPolicy policy = { 5, 10 * 1000, 200 * 1000 };

  f->server = sk_test_server_new ();
  f->http = sk_http_new ();
  sk_http_set_retry_policy (f->http, &policy);
  f->body = sk_test_load_fixture ("orders/shopify/orders-list-2024-10.json");
  f->route = sk_test_server_add_route (f->server, PATH, NULL, NULL, 200, NULL, f->body);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->http);
  g_clear_pointer (&f->server, sk_test_server_free);
  g_clear_pointer (&f->body, g_bytes_unref);
}

typedef struct {
  gboolean done;
  SkHttpResponse *response;
  GError *error;
  gint64 finished_us;
} SendResult;

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  SendResult *r = data;

  r->response = sk_http_send_finish (SK_HTTP (source), result, &r->error);
  r->finished_us = g_get_monotonic_time ();
  r->done = TRUE;
}

static void
send_and_wait (Fixture       *f,
               const char    *url,
               SoupMessageHeaders *headers,
               SkRateLimiter *limiter,
               GCancellable  *cancellable,
               SendResult    *r)
{
  memset (r, 0, sizeof *r);
  sk_http_send_async (f->http, "GET", url, headers, NULL, NULL, limiter,
                      cancellable, on_sent, r);
  sk_test_wait_for (&r->done, 30000);
}

static void
send_result_clear (SendResult *r)
{
  g_clear_pointer (&r->response, sk_http_response_free);
  g_clear_error (&r->error);
}

static char *
fixture_url (Fixture *f)
{
  return sk_test_server_build_url (f->server, PATH);
}

static void
test_ok (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SkTestRequest) request = NULL;
  SendResult r;

  soup_message_headers_append (headers, "X-Test-Token", "abc");
  soup_message_headers_append (headers, "Accept", "application/json");
  send_and_wait (f, url, headers, NULL, NULL, &r);

  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  g_assert_cmpuint (r.response->attempts, ==, 1);
  g_assert_true (g_bytes_equal (r.response->body, f->body));
  g_assert_cmpstr (soup_message_headers_get_content_type (r.response->headers, NULL),
                   ==, "application/json");

  request = sk_test_server_dup_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, PATH);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-Test-Token"), ==, "abc");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "User-Agent"), ==,
                   "Storekeep/" PACKAGE_VERSION " (+https://github.com/storekeep/storekeep)");
  send_result_clear (&r);
}

static void
test_post_body (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"a\":1}", 7);
  g_autoptr(SkTestRequest) request = NULL;
  SendResult r = { 0 };

  sk_http_send_async (f->http, "POST", url, NULL, body, "application/json", NULL,
                      NULL, on_sent, &r);
  sk_test_wait_for (&r.done, 10000);
  g_assert_no_error (r.error);

  request = sk_test_server_dup_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_true (g_bytes_equal (request->body, body));
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/json");
  send_result_clear (&r);
}

static void
test_429_retry_after (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  g_autoptr(SkRateLimiter) limiter = sk_rate_limiter_new (40, 2);
  /* The first backoff is at most 10 ms: only Retry-After explains a wait
   * of 400 ms. */
  SkRetryPolicy policy = { 5, 10 * 1000, G_USEC_PER_SEC };
  guint feeds = 0;
  gint64 start = g_get_monotonic_time ();
  SendResult r;

  sk_http_set_retry_policy (f->http, &policy);
  sk_rate_limiter_set_header_func (limiter, count_feed, &feeds);
  /* Float seconds as Shopify sends them. */
  sk_test_server_push_status (f->server, 429, "0.4", 1);
  send_and_wait (f, url, NULL, limiter, NULL, &r);

  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  g_assert_cmpuint (r.response->attempts, ==, 2);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpint (r.finished_us - start, >=, 400 * 1000);
  /* Headers of every answer reach the limiter, the 429 too. */
  g_assert_cmpuint (feeds, ==, 2);
  send_result_clear (&r);
}

static void
test_429_retry_after_too_long (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  SendResult r;

  /* Longer than the backoff cap: no point waiting in this run. */
  sk_test_server_push_status (f->server, 429, "3600", 1);
  send_and_wait (f, url, NULL, NULL, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 429);
  g_assert_cmpuint (r.response->attempts, ==, 1);
  send_result_clear (&r);
}

static void
test_429_no_retry_after (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  SendResult r;

  sk_test_server_push_status (f->server, 429, NULL, 2);
  /* An empty Retry-After means: use the backoff. */
  sk_test_server_push_status (f->server, 429, "", 1);
  send_and_wait (f, url, NULL, NULL, NULL, &r);

  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  g_assert_cmpuint (r.response->attempts, ==, 4);
  send_result_clear (&r);
}

static void
test_500_then_200 (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  g_autoptr(SkTestRequest) first = NULL;
  SendResult r;

  sk_test_server_push_status (f->server, 500, NULL, 1);
  send_and_wait (f, url, NULL, NULL, NULL, &r);

  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  g_assert_cmpuint (r.response->attempts, ==, 2);
  first = sk_test_server_dup_request (f->server, 0);
  g_assert_cmpuint (first->status, ==, 500);
  send_result_clear (&r);
}

static void
test_503_exhausted (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  SkRetryPolicy policy = { 3, 1000, 10 * 1000 };
  SendResult r;

  sk_http_set_retry_policy (f->http, &policy);
  sk_test_server_push_status (f->server, 503, NULL, 10);
  send_and_wait (f, url, NULL, NULL, NULL, &r);

  /* Not an error of the call: the caller words the last answer. */
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 503);
  g_assert_cmpuint (r.response->attempts, ==, 3);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 3);
  g_assert_nonnull (strstr (g_bytes_get_data (r.response->body, NULL), "Internal Server Error"));
  send_result_clear (&r);
}

static void
test_4xx_not_retried (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  const guint statuses[] = { 400, 401, 403, 404, 422, 501 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      SendResult r;

      sk_test_server_push_status (f->server, statuses[i], NULL, 1);
      send_and_wait (f, url, NULL, NULL, NULL, &r);
      g_assert_no_error (r.error);
      g_assert_cmpuint (r.response->status, ==, statuses[i]);
      g_assert_cmpuint (r.response->attempts, ==, 1);
      send_result_clear (&r);
    }
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, G_N_ELEMENTS (statuses));
}

static void
test_redirect_not_followed (Fixture *f, gconstpointer data)
{
  g_autofree char *url = sk_test_server_build_url (f->server, "/moved");
  SkTestRoute *route;
  SendResult r;

  route = sk_test_server_add_route (f->server, "/moved", NULL, NULL, 302, NULL, NULL);
  sk_test_route_add_header (route, "Location", "https://elsewhere.example/");
  send_and_wait (f, url, NULL, NULL, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 302);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 1);
  send_result_clear (&r);
}

static void
test_timeout (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  SkRetryPolicy policy = { 2, 10 * 1000, 50 * 1000 };
  gint64 start = g_get_monotonic_time ();
  SendResult r;

  sk_http_set_timeout (f->http, 1);
  sk_http_set_retry_policy (f->http, &policy);
  sk_test_server_set_delay (f->server, 2500);
  send_and_wait (f, url, NULL, NULL, NULL, &r);

  g_assert_error (r.error, SK_SYNC_ERROR, SK_SYNC_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (r.error->message, "127.0.0.1"));
  g_assert_null (r.response);
  g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpint (r.finished_us - start, >=, 2 * G_USEC_PER_SEC - 100 * 1000);
  g_assert_cmpint (r.finished_us - start, <, 2500 * 1000 * 2);
  send_result_clear (&r);
}

static void
test_timeout_then_ok (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  SkTestFault slow = { .delay_ms = 2000 };
  SendResult r;

  sk_http_set_timeout (f->http, 1);
  sk_test_server_push_fault (f->server, &slow);
  send_and_wait (f, url, NULL, NULL, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  g_assert_cmpuint (r.response->attempts, ==, 2);
  send_result_clear (&r);
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
test_connection_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/x.json", free_port ());
  SkRetryPolicy policy = { 3, 1000, 5000 };
  SendResult r;

  sk_http_set_retry_policy (f->http, &policy);
  send_and_wait (f, url, NULL, NULL, NULL, &r);
  g_assert_error (r.error, SK_SYNC_ERROR, SK_SYNC_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (r.error->message, "Storekeep could not connect to 127.0.0.1"));
  g_assert_null (r.response);
  send_result_clear (&r);
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  SkTestFault truncated = { .body_mode = SK_TEST_BODY_TRUNCATED };
  SkTestFault cut = { .body_mode = SK_TEST_BODY_CUT };
  SkTestFault closed = { .body_mode = SK_TEST_BODY_CLOSE };
  SkRetryPolicy policy = { 2, 1000, 5000 };
  SendResult r;

  /* A well-formed answer with half the JSON: HTTP cannot tell, the
   * normalizer will; the bytes arrive as sent. */
  sk_test_route_push_fault (f->route, &truncated);
  send_and_wait (f, url, NULL, NULL, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (r.response->body), ==, g_bytes_get_size (f->body) / 2);
  send_result_clear (&r);

  /* Fewer bytes than Content-Length promised: a broken transfer, retried. */
  sk_test_route_push_fault (f->route, &cut);
  send_and_wait (f, url, NULL, NULL, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (r.response->status, ==, 200);
  g_assert_cmpuint (r.response->attempts, ==, 2);
  g_assert_true (g_bytes_equal (r.response->body, f->body));
  send_result_clear (&r);

  /* Every attempt cut or dropped: a network error in the end. */
  sk_http_set_retry_policy (f->http, &policy);
  sk_test_route_push_fault (f->route, &cut);
  sk_test_route_push_fault (f->route, &closed);
  send_and_wait (f, url, NULL, NULL, NULL, &r);
  g_assert_error (r.error, SK_SYNC_ERROR, SK_SYNC_ERROR_NETWORK);
  g_assert_null (r.response);
  send_result_clear (&r);
}

/* Verification is on: a certificate nobody vouches for is refused, and
 * not retried. */
static void
test_tls_untrusted (Fixture *f, gconstpointer data)
{
  g_autofree char *pem = sk_test_fixture_path ("tls/self-signed.pem");
  g_autoptr(SkTestServer) server = sk_test_server_new_tls (pem);
  g_autofree char *url = sk_test_server_build_url (server, PATH);
  SendResult r;

  g_assert_true (g_str_has_prefix (url, "https://127.0.0.1:"));
  sk_test_server_add_route (server, PATH, NULL, NULL, 200, NULL, f->body);
  send_and_wait (f, url, NULL, NULL, NULL, &r);
  g_assert_error (r.error, SK_SYNC_ERROR, SK_SYNC_ERROR_TLS);
  g_assert_null (r.response);
  g_assert_cmpuint (sk_test_server_get_n_requests (server), ==, 0);
  send_result_clear (&r);
}

static void
test_insecure_refused (Fixture *f, gconstpointer data)
{
  SendResult r;

  send_and_wait (f, "http://acme.myshopify.com/admin/api/2024-10/shop.json",
                 NULL, NULL, NULL, &r);
  g_assert_error (r.error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL);
  g_assert_null (r.response);
  send_result_clear (&r);

  send_and_wait (f, "gopher://acme.myshopify.com/", NULL, NULL, NULL, &r);
  g_assert_error (r.error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL);
  send_result_clear (&r);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  g_autoptr(SkRateLimiter) limiter = sk_rate_limiter_new (1, 0.01);
  SkRetryPolicy slow_backoff = { 5, 5 * G_USEC_PER_SEC, 5 * G_USEC_PER_SEC };
  gint64 start;
  SendResult r;

  /* Cancelled before it starts. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    send_and_wait (f, url, NULL, NULL, cancellable, &r);
    g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    send_result_clear (&r);
    g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 0);
  }

  /* While waiting for the rate limiter (the next token is 100 s away). */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    send_and_wait (f, url, NULL, limiter, NULL, &r);
    g_assert_no_error (r.error);
    send_result_clear (&r);

    start = g_get_monotonic_time ();
    g_timeout_add (100, cancel_later, cancellable);
    send_and_wait (f, url, NULL, limiter, cancellable, &r);
    g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (r.finished_us - start, <, 2 * G_USEC_PER_SEC);
    send_result_clear (&r);
    g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, 1);
  }

  /* While the server takes its time. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    SkTestFault slow = { .delay_ms = 5000 };

    sk_test_server_push_fault (f->server, &slow);
    start = g_get_monotonic_time ();
    g_timeout_add (200, cancel_later, cancellable);
    send_and_wait (f, url, NULL, NULL, cancellable, &r);
    g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (r.finished_us - start, <, 2 * G_USEC_PER_SEC);
    send_result_clear (&r);
  }

  /* During the backoff between attempts. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    guint before = sk_test_server_get_n_requests (f->server);

    sk_http_set_retry_policy (f->http, &slow_backoff);
    sk_test_server_push_status (f->server, 503, "5", 1);
    start = g_get_monotonic_time ();
    g_timeout_add (300, cancel_later, cancellable);
    send_and_wait (f, url, NULL, NULL, cancellable, &r);
    g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (r.finished_us - start, <, 2 * G_USEC_PER_SEC);
    g_assert_cmpuint (sk_test_server_get_n_requests (f->server), ==, before + 1);
    send_result_clear (&r);
  }
}

static void
test_limiter_paces_requests (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  /* Burst of 2, then 10 per second. */
  g_autoptr(SkRateLimiter) limiter = sk_rate_limiter_new (2, 10);
  guint feeds = 0;
  gint64 start = g_get_monotonic_time ();
  SendResult r[5];

  sk_rate_limiter_set_header_func (limiter, count_feed, &feeds);
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      memset (&r[i], 0, sizeof r[i]);
      sk_http_send_async (f->http, "GET", url, NULL, NULL, NULL, limiter, NULL, on_sent, &r[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      sk_test_wait_for (&r[i].done, 10000);
      g_assert_no_error (r[i].error);
      send_result_clear (&r[i]);
    }
  /* Three requests had to wait 100 ms each for a token. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 280 * 1000);
  g_assert_cmpuint (feeds, ==, 5);
}

static void
test_limiter_fed_by_headers (Fixture *f, gconstpointer data)
{
  g_autofree char *url = fixture_url (f);
  g_autoptr(SkRateLimiter) limiter = sk_rate_limiter_new (40, 2);
  guint feeds = 0;
  SendResult r;

  sk_rate_limiter_set_header_func (limiter, count_feed, &feeds);
  sk_test_route_add_header (f->route, "X-Test-Limit", "38/40");
  send_and_wait (f, url, NULL, limiter, NULL, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (feeds, ==, 1);
  g_assert_cmpfloat (sk_rate_limiter_get_available (limiter, g_get_monotonic_time ()), <, 2.5);
  send_result_clear (&r);
}

int
main (int argc, char **argv)
{
  /* G_TEST_OPTION_ISOLATE_DIRS hides the system's GSettings schemas, which
   * GIO's GNOME proxy resolver needs; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);

  g_test_add_func ("/http/backoff", test_backoff);
  g_test_add_func ("/http/retry-after", test_retry_after);
  g_test_add_func ("/http/rate-limiter", test_rate_limiter);
  g_test_add_func ("/http/rate-limiter-threads", test_rate_limiter_threads);
  g_test_add_func ("/http/link-header", test_link_header);
  g_test_add_func ("/http/check-url", test_check_url);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/http/send/ok", test_ok);
  ADD ("/http/send/post-body", test_post_body);
  ADD ("/http/send/429-retry-after", test_429_retry_after);
  ADD ("/http/send/429-retry-after-too-long", test_429_retry_after_too_long);
  ADD ("/http/send/429-no-retry-after", test_429_no_retry_after);
  ADD ("/http/send/500-then-200", test_500_then_200);
  ADD ("/http/send/503-exhausted", test_503_exhausted);
  ADD ("/http/send/4xx-not-retried", test_4xx_not_retried);
  ADD ("/http/send/redirect-not-followed", test_redirect_not_followed);
  ADD ("/http/send/timeout", test_timeout);
  ADD ("/http/send/timeout-then-ok", test_timeout_then_ok);
  ADD ("/http/send/connection-refused", test_connection_refused);
  ADD ("/http/send/truncated", test_truncated);
  ADD ("/http/send/insecure-refused", test_insecure_refused);
  ADD ("/http/send/tls-untrusted", test_tls_untrusted);
  ADD ("/http/send/cancel", test_cancel);
  ADD ("/http/send/limiter-paces", test_limiter_paces_requests);
  ADD ("/http/send/limiter-fed-by-headers", test_limiter_fed_by_headers);
#undef ADD

  return g_test_run ();
}
