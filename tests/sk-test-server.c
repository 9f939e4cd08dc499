/* sk-test-server.c: a loopback HTTP server for tests, with faults on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-test-server"

#include "config.h"

#include <string.h>

#include "sk-test-server.h"
#include "sk-test-util.h"

typedef struct {
  guint           status;
  GBytes         *body;
  char           *retry_after;
  char           *header_name;
  char           *header_value;
  guint           delay_ms;
  SkTestBodyMode  body_mode;
} Fault;

struct _SkTestRoute
{
  SkTestServer *server;
  char         *path;
  char         *param;
  char         *value;
  guint         status;
  char         *content_type;
  GBytes       *body;
  GPtrArray    *headers;   /* name, value, name, value … */
  GQueue        faults;
  guint         hits;
};

struct _SkTestServer
{
  GMutex        mutex;
  GCond         cond;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GTlsCertificate *certificate;
  char         *url;
  gboolean      ready;
  GError       *error;

  GPtrArray    *routes;
  GQueue        faults;
  GPtrArray    *requests;  /* SkTestRequest */
  guint         delay_ms;
  char         *required_name;
  char         *required_value;

  GPtrArray    *pending;   /* GSource of delayed answers (server thread) */
};

/* What one request gets, decided under the lock. */
typedef struct {
  SkTestServer      *server;
  SoupServerMessage *msg;
  guint              request_index;
  guint              status;
  char              *content_type;
  GBytes            *body;
  GPtrArray         *headers;
  SkTestBodyMode     body_mode;
  guint              delay_ms;
  gboolean           disconnected;
  gulong             disconnected_id;
  GSource           *source;
} Answer;

static Fault *
fault_new (const SkTestFault *f)
{
  Fault *fault = g_new0 (Fault, 1);

  fault->status = f->status;
  fault->body = f->body != NULL ? g_bytes_ref (f->body) : NULL;
  fault->retry_after = g_strdup (f->retry_after);
  fault->header_name = g_strdup (f->header_name);
  fault->header_value = g_strdup (f->header_value);
  fault->delay_ms = f->delay_ms;
  fault->body_mode = f->body_mode;
  return fault;
}

static void
fault_free (Fault *fault)
{
  g_clear_pointer (&fault->body, g_bytes_unref);
  g_free (fault->retry_after);
  g_free (fault->header_name);
  g_free (fault->header_value);
  g_free (fault);
}

static void
route_free (SkTestRoute *route)
{
  g_free (route->path);
  g_free (route->param);
  g_free (route->value);
  g_free (route->content_type);
  g_clear_pointer (&route->body, g_bytes_unref);
  g_ptr_array_unref (route->headers);
  g_queue_clear_full (&route->faults, (GDestroyNotify) fault_free);
  g_free (route);
}

void
sk_test_request_free (SkTestRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_clear_pointer (&request->params, g_hash_table_unref);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static void
copy_header (const char *name, const char *value, gpointer data)
{
  soup_message_headers_append (data, name, value);
}

static SkTestRequest *
request_copy (const SkTestRequest *r)
{
  SkTestRequest *copy = g_new0 (SkTestRequest, 1);
  GHashTableIter iter;
  gpointer key, value;

  copy->method = g_strdup (r->method);
  copy->path = g_strdup (r->path);
  copy->query = g_strdup (r->query);
  copy->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, r->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->params, g_strdup (key), g_strdup (value));
  copy->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (r->headers,
                                copy_header,
                                copy->headers);
  copy->body = r->body != NULL ? g_bytes_ref (r->body) : NULL;
  copy->status = r->status;
  copy->at_us = r->at_us;
  return copy;
}

static void
answer_free (Answer *answer)
{
  if (answer->disconnected_id != 0)
    g_signal_handler_disconnect (answer->msg, answer->disconnected_id);
  g_clear_object (&answer->msg);
  g_free (answer->content_type);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_clear_pointer (&answer->headers, g_ptr_array_unref);
  g_free (answer);
}

static const char *
error_json_for_status (guint status)
{
  switch (status)
    {
    case 401:
      return "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}";
    case 402:
      return "{\"errors\":\"Unavailable Shop\"}";
    case 403:
      return "{\"errors\":\"[API] This action requires merchant approval for read_orders scope.\"}";
    case 404:
      return "{\"errors\":\"Not Found\"}";
    case 429:
      return "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}";
    default:
      if (status >= 500)
        return "{\"errors\":\"Internal Server Error\"}";
      return "{\"errors\":\"Bad Request\"}";
    }
}

static gboolean
route_matches (SkTestRoute *route, const char *path, GHashTable *query)
{
  const char *found;

  if (g_strcmp0 (route->path, path) != 0)
    return FALSE;
  if (route->param == NULL)
    return TRUE;
  found = query != NULL ? g_hash_table_lookup (query, route->param) : NULL;
  if (route->value == NULL)
    return found == NULL;
  return g_strcmp0 (found, route->value) == 0;
}

/* Under the lock. */
static SkTestRoute *
find_route (SkTestServer *self, const char *path, GHashTable *query)
{
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->routes->len; i++)
      {
        SkTestRoute *route = g_ptr_array_index (self->routes, i);

        if ((route->param != NULL) == (pass == 0) && route_matches (route, path, query))
          return route;
      }
  return NULL;
}

static void
write_raw (Answer *answer)
{
  GIOStream *stream;
  GOutputStream *out;
  g_autoptr(GString) head = NULL;
  gsize len = 0;
  const char *data = NULL;

  stream = soup_server_message_steal_connection (answer->msg);
  if (stream == NULL)
    return;
  out = g_io_stream_get_output_stream (stream);

  if (answer->body_mode == SK_TEST_BODY_CUT)
    {
      data = g_bytes_get_data (answer->body, &len);
      head = g_string_new (NULL);
      g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", answer->status,
                              soup_status_get_phrase (answer->status));
      g_string_append_printf (head, "Content-Type: %s\r\n", answer->content_type);
      for (guint i = 0; i + 1 < answer->headers->len; i += 2)
        g_string_append_printf (head, "%s: %s\r\n",
                                (char *) g_ptr_array_index (answer->headers, i),
                                (char *) g_ptr_array_index (answer->headers, i + 1));
      g_string_append_printf (head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", len);
      g_string_append (head, "Connection: close\r\n\r\n");
      g_output_stream_write_all (out, head->str, head->len, NULL, NULL, NULL);
      g_output_stream_write_all (out, data, len / 2, NULL, NULL, NULL);
      g_output_stream_flush (out, NULL, NULL);
    }
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

/* On the server thread. */
static void
deliver (Answer *answer)
{
  SoupMessageHeaders *headers;
  gsize len;
  const char *data;

  if (answer->disconnected)
    return;

  if (answer->body_mode == SK_TEST_BODY_CUT || answer->body_mode == SK_TEST_BODY_CLOSE)
    {
      write_raw (answer);
      return;
    }

  headers = soup_server_message_get_response_headers (answer->msg);
  for (guint i = 0; i + 1 < answer->headers->len; i += 2)
    soup_message_headers_append (headers,
                                 g_ptr_array_index (answer->headers, i),
                                 g_ptr_array_index (answer->headers, i + 1));
  data = g_bytes_get_data (answer->body, &len);
  if (answer->body_mode == SK_TEST_BODY_TRUNCATED)
    len /= 2;
  soup_server_message_set_status (answer->msg, answer->status, NULL);
  soup_server_message_set_response (answer->msg, answer->content_type,
                                    SOUP_MEMORY_COPY, data, len);
}

static void
on_disconnected (SoupServerMessage *msg, gpointer data)
{
  Answer *answer = data;

  answer->disconnected = TRUE;
}

static gboolean
on_delay_done (gpointer data)
{
  Answer *answer = data;
  SkTestServer *self = answer->server;
  gboolean raw = answer->body_mode == SK_TEST_BODY_CUT ||
                 answer->body_mode == SK_TEST_BODY_CLOSE;

  deliver (answer);
  if (!answer->disconnected && !raw)
    soup_server_message_unpause (answer->msg);
  g_ptr_array_remove (self->pending, answer->source);
  return G_SOURCE_REMOVE;
}

static void
record_request (SkTestServer      *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  SkTestRequest *request = g_new0 (SkTestRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GHashTableIter iter;
  gpointer key, value;

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (uri));
  request->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (request->params, g_strdup (key), g_strdup (value));
    }
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
                                copy_header,
                                request->headers);
  request->body = body != NULL ? soup_message_body_flatten (body) : NULL;
  request->at_us = g_get_monotonic_time ();
  g_ptr_array_add (self->requests, request);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           data)
{
  SkTestServer *self = data;
  Answer *answer = g_new0 (Answer, 1);
  SkTestRoute *route;
  Fault *fault = NULL;
  SkTestRequest *request;
  gboolean refused;

  answer->server = self;
  answer->msg = g_object_ref (msg);
  answer->headers = g_ptr_array_new_with_free_func (g_free);

  g_mutex_lock (&self->mutex);
  record_request (self, msg, path, query);
  request = g_ptr_array_index (self->requests, self->requests->len - 1);
  route = find_route (self, path, query);
  if (route != NULL)
    route->hits++;
  refused = self->required_name != NULL &&
            g_strcmp0 (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     self->required_name),
                       self->required_value) != 0;
  /* A refused request does not use up a fault. */
  if (!refused)
    fault = g_queue_pop_head (&self->faults);
  if (!refused && fault == NULL && route != NULL)
    fault = g_queue_pop_head (&route->faults);

  if (route != NULL)
    {
      answer->status = route->status;
      answer->content_type = g_strdup (route->content_type);
      answer->body = g_bytes_ref (route->body);
      for (guint i = 0; i < route->headers->len; i++)
        g_ptr_array_add (answer->headers, g_strdup (g_ptr_array_index (route->headers, i)));
    }
  else
    {
      answer->status = 404;
      answer->content_type = g_strdup ("application/json");
      answer->body = g_bytes_new_static (error_json_for_status (404),
                                         strlen (error_json_for_status (404)));
    }
  answer->delay_ms = self->delay_ms;

  if (refused)
    {
      const char *json = error_json_for_status (401);

      answer->status = 401;
      g_clear_pointer (&answer->body, g_bytes_unref);
      answer->body = g_bytes_new_static (json, strlen (json));
      g_free (answer->content_type);
      answer->content_type = g_strdup ("application/json");
      g_ptr_array_set_size (answer->headers, 0);
    }

  if (fault != NULL)
    {
      if (fault->status != 0)
        {
          const char *json = error_json_for_status (fault->status);

          answer->status = fault->status;
          g_clear_pointer (&answer->body, g_bytes_unref);
          answer->body = fault->body != NULL ? g_bytes_ref (fault->body)
                                             : g_bytes_new_static (json, strlen (json));
          g_free (answer->content_type);
          answer->content_type = g_strdup ("application/json");
          /* A fault answer does not carry the route's paging headers. */
          g_ptr_array_set_size (answer->headers, 0);
        }
      if (fault->retry_after != NULL)
        {
          g_ptr_array_add (answer->headers, g_strdup ("Retry-After"));
          g_ptr_array_add (answer->headers, g_strdup (fault->retry_after));
        }
      if (fault->header_name != NULL)
        {
          g_ptr_array_add (answer->headers, g_strdup (fault->header_name));
          g_ptr_array_add (answer->headers, g_strdup (fault->header_value));
        }
      answer->delay_ms = MAX (answer->delay_ms, fault->delay_ms);
      answer->body_mode = fault->body_mode;
      fault_free (fault);
    }
  request->status = answer->body_mode == SK_TEST_BODY_CLOSE ? 0 : answer->status;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (answer->delay_ms == 0)
    {
      deliver (answer);
      answer_free (answer);
      return;
    }

  answer->disconnected_id = g_signal_connect (msg, "disconnected",
                                              G_CALLBACK (on_disconnected), answer);
  soup_server_message_pause (msg);
  answer->source = g_timeout_source_new (answer->delay_ms);
  g_source_set_callback (answer->source, on_delay_done, answer,
                         (GDestroyNotify) answer_free);
  g_source_attach (answer->source, self->context);
  g_ptr_array_add (self->pending, answer->source);
}

static void
destroy_source (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

static gpointer
server_thread (gpointer data)
{
  SkTestServer *self = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "sk-test-server",
                                  "tls-certificate", self->certificate,
                                  NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  if (soup_server_listen_local (self->server, 0,
                                SOUP_SERVER_LISTEN_IPV4_ONLY |
                                (self->certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                                &error))
    {
      uris = soup_server_get_uris (self->server);
      self->url = g_strdup_printf ("%s://127.0.0.1:%d",
                                   self->certificate != NULL ? "https" : "http",
                                   g_uri_get_port (uris->data));
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&self->mutex);
  self->error = g_steal_pointer (&error);
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (self->url != NULL)
    g_main_loop_run (self->loop);

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static SkTestServer *
test_server_new (GTlsCertificate *certificate)
{
  SkTestServer *self = g_new0 (SkTestServer, 1);

  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_test_request_free);
  self->pending = g_ptr_array_new_with_free_func (destroy_source);
  g_queue_init (&self->faults);

  self->thread = g_thread_new ("sk-test-server", server_thread, self);
  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  g_assert_no_error (self->error);
  g_assert_nonnull (self->url);
  return self;
}

SkTestServer *
sk_test_server_new (void)
{
  return test_server_new (NULL);
}

SkTestServer *
sk_test_server_new_tls (const char *pem_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (pem_path, &error);

  g_assert_no_error (error);
  return test_server_new (certificate);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
sk_test_server_free (SkTestServer *self)
{
  GSource *quit;

  if (self == NULL)
    return;

  /* Through the server's own context: a quit before the thread has
   * entered g_main_loop_run() would be lost. */
  quit = g_idle_source_new ();
  g_source_set_callback (quit, quit_loop, self->loop, NULL);
  g_source_attach (quit, self->context);
  g_source_unref (quit);
  g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_clear_object (&self->certificate);
  g_ptr_array_unref (self->routes);
  g_ptr_array_unref (self->requests);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_free);
  g_clear_error (&self->error);
  g_free (self->url);
  g_free (self->required_name);
  g_free (self->required_value);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

const char *
sk_test_server_get_url (SkTestServer *self)
{
  return self->url;
}

char *
sk_test_server_build_url (SkTestServer *self, const char *path_and_query)
{
  return g_strconcat (self->url, path_and_query, NULL);
}

SkTestRoute *
sk_test_server_add_route (SkTestServer *self,
                          const char   *path,
                          const char   *param,
                          const char   *value,
                          guint         status,
                          const char   *content_type,
                          GBytes       *body)
{
  SkTestRoute *route = g_new0 (SkTestRoute, 1);

  g_assert (value == NULL || param != NULL);

  route->server = self;
  route->path = g_strdup (path);
  route->param = g_strdup (param);
  route->value = g_strdup (value);
  route->status = status;
  route->content_type = g_strdup (content_type != NULL ? content_type : "application/json");
  route->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  route->headers = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&route->faults);

  g_mutex_lock (&self->mutex);
  g_ptr_array_add (self->routes, route);
  g_mutex_unlock (&self->mutex);
  return route;
}

void
sk_test_route_add_header (SkTestRoute *route,
                          const char  *name,
                          const char  *value)
{
  g_mutex_lock (&route->server->mutex);
  g_ptr_array_add (route->headers, g_strdup (name));
  g_ptr_array_add (route->headers, g_strdup (value));
  g_mutex_unlock (&route->server->mutex);
}

void
sk_test_route_push_fault (SkTestRoute       *route,
                          const SkTestFault *fault)
{
  g_mutex_lock (&route->server->mutex);
  g_queue_push_tail (&route->faults, fault_new (fault));
  g_mutex_unlock (&route->server->mutex);
}

guint
sk_test_route_get_hits (SkTestRoute *route)
{
  guint hits;

  g_mutex_lock (&route->server->mutex);
  hits = route->hits;
  g_mutex_unlock (&route->server->mutex);
  return hits;
}

void
sk_test_server_push_fault (SkTestServer      *self,
                           const SkTestFault *fault)
{
  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->faults, fault_new (fault));
  g_mutex_unlock (&self->mutex);
}

void
sk_test_server_push_status (SkTestServer *self,
                            guint         status,
                            const char   *retry_after,
                            guint         count)
{
  SkTestFault fault = { .status = status, .retry_after = retry_after };

  for (guint i = 0; i < count; i++)
    sk_test_server_push_fault (self, &fault);
}

void
sk_test_server_require_header (SkTestServer *self,
                               const char   *name,
                               const char   *value)
{
  g_mutex_lock (&self->mutex);
  g_free (self->required_name);
  g_free (self->required_value);
  self->required_name = g_strdup (name);
  self->required_value = g_strdup (value);
  g_mutex_unlock (&self->mutex);
}

void
sk_test_server_set_delay (SkTestServer *self, guint delay_ms)
{
  g_mutex_lock (&self->mutex);
  self->delay_ms = delay_ms;
  g_mutex_unlock (&self->mutex);
}

void
sk_test_server_reset (SkTestServer *self)
{
  g_mutex_lock (&self->mutex);
  g_ptr_array_set_size (self->routes, 0);
  g_ptr_array_set_size (self->requests, 0);
  g_queue_clear_full (&self->faults, (GDestroyNotify) fault_free);
  g_queue_init (&self->faults);
  self->delay_ms = 0;
  g_mutex_unlock (&self->mutex);
}

guint
sk_test_server_get_n_requests (SkTestServer *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->requests->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

SkTestRequest *
sk_test_server_dup_request (SkTestServer *self, guint index)
{
  SkTestRequest *copy = NULL;

  g_mutex_lock (&self->mutex);
  if (index < self->requests->len)
    copy = request_copy (g_ptr_array_index (self->requests, index));
  g_mutex_unlock (&self->mutex);
  return copy;
}

guint
sk_test_server_count_path (SkTestServer *self, const char *path)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    {
      SkTestRequest *request = g_ptr_array_index (self->requests, i);

      if (g_strcmp0 (request->path, path) == 0)
        n++;
    }
  g_mutex_unlock (&self->mutex);
  return n;
}

/* A deep copy (json_node_copy shares objects and arrays). */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;
  JsonNode *copy = json_from_string (text, &error);

  g_assert_no_error (error);
  return copy;
}

/* The Shopify dialect */

static JsonNode *
load_order (const char *fixture)
{
  g_autoptr(JsonNode) root = sk_test_load_json (fixture);
  JsonObject *object = json_node_get_object (root);
  JsonNode *order;

  if (json_object_has_member (object, "order"))
    order = json_object_get_member (object, "order");
  else
    order = json_array_get_element (json_object_get_array_member (object, "orders"), 0);
  return deep_copy (order);
}

GPtrArray *
sk_test_shopify_real_orders (void)
{
  GPtrArray *orders = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  g_ptr_array_add (orders, load_order ("orders/shopify/order-fulfilled-2024-10.json"));
  g_ptr_array_add (orders, load_order ("orders/shopify/order-pending-2024-10.json"));
  g_ptr_array_add (orders, load_order ("orders/shopify/order-closed-2024-10.json"));
  return orders;
}

JsonNode *
sk_test_shopify_clone_order (JsonNode   *template,
                             gint64      id,
                             guint       number,
                             const char *updated_at)
{
  JsonNode *copy = deep_copy (template);
  JsonObject *object = json_node_get_object (copy);
  g_autofree char *name = g_strdup_printf ("#%u", number);
  g_autofree char *gid = g_strdup_printf ("gid://shopify/Order/%" G_GINT64_FORMAT, id);

  json_object_set_int_member (object, "id", id);
  json_object_set_string_member (object, "name", name);
  json_object_set_int_member (object, "order_number", number);
  json_object_set_int_member (object, "number", number - 1000);
  json_object_set_string_member (object, "admin_graphql_api_id", gid);
  json_object_set_string_member (object, "updated_at", updated_at);
  return copy;
}

GBytes *
sk_test_shopify_page_body (JsonNode **orders, guint n)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize len;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "orders");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_value (builder, json_node_copy (orders[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

static char *
link_to (const char *domain, const char *page_info, const char *rel)
{
  /* Shopify's links name the shop's own host: a connector must take only
   * the page_info from them. */
  return g_strdup_printf ("<https://%s" SK_TEST_SHOPIFY_ORDERS_PATH "?limit=250&page_info=%s>; rel=\"%s\"",
                          domain, page_info, rel);
}

GPtrArray *
sk_test_server_serve_shopify_orders (SkTestServer *self,
                                     const char   *domain,
                                     GPtrArray    *orders,
                                     guint         per_page)
{
  GPtrArray *routes = g_ptr_array_new ();
  guint n_pages = MAX ((orders->len + per_page - 1) / per_page, 1);
  g_autofree char *count = g_strdup_printf ("{\"count\":%u}", orders->len);
  g_autoptr(GBytes) count_body = g_bytes_new (count, strlen (count));

  for (guint k = 1; k <= n_pages; k++)
    {
      g_autofree char *token = g_strdup_printf ("p%u", k);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GString) link = g_string_new (NULL);
      guint first = (k - 1) * per_page;
      SkTestRoute *route;

      body = sk_test_shopify_page_body ((JsonNode **) orders->pdata + first,
                                        first < orders->len ? MIN (per_page, orders->len - first) : 0);
      route = sk_test_server_add_route (self, SK_TEST_SHOPIFY_ORDERS_PATH, "page_info",
                                        k == 1 ? NULL : token, 200, NULL, body);
      /* Previous first, to make a parser look past it. */
      if (k > 1)
        {
          g_autofree char *prev = g_strdup_printf ("p%u", k - 1);
          g_autofree char *l = link_to (domain, prev, "previous");

          g_string_append (link, l);
        }
      if (k < n_pages)
        {
          g_autofree char *next = g_strdup_printf ("p%u", k + 1);
          g_autofree char *l = link_to (domain, next, "next");

          if (link->len > 0)
            g_string_append (link, ", ");
          g_string_append (link, l);
        }
      if (link->len > 0)
        sk_test_route_add_header (route, "Link", link->str);
      sk_test_route_add_header (route, "X-Shopify-Shop-Api-Call-Limit", "1/40");
      g_ptr_array_add (routes, route);
    }
  sk_test_server_add_route (self, SK_TEST_SHOPIFY_COUNT_PATH, NULL, NULL, 200, NULL, count_body);
  return routes;
}

static gboolean
on_wait_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Requests arrive on the server thread, which does not wake the test's
 * context: look again every few milliseconds. */
static gboolean
on_wait_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
sk_test_server_wait_requests (SkTestServer *self,
                              guint         n,
                              guint         timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_wait_timeout, &timed_out);
  guint tick = g_timeout_add (5, on_wait_tick, NULL);

  while (sk_test_server_get_n_requests (self) < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}
