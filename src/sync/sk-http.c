/* sk-http.c: the one HTTP session of the app, with retries and rate limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-http"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-http.h"

#define SK_HTTP_USER_AGENT "Storekeep/" PACKAGE_VERSION " (+https://github.com/storekeep/storekeep)"
#define SK_HTTP_DEFAULT_TIMEOUT 30
#define SK_HTTP_STATUS_TOO_MANY_REQUESTS 429

/* Rate limiter */

struct _SkRateLimiter
{
  gatomicrefcount ref_count;
  GMutex mutex;

  double capacity;
  double rate;             /* tokens per second */
  double tokens;
  gint64 last_us;          /* last refill; 0 before the first use */
  gint64 paused_until_us;

  SkRateLimitHeaderFunc header_func;
  gpointer header_data;
};

SkRateLimiter *
sk_rate_limiter_new (double capacity, double rate_per_second)
{
  SkRateLimiter *self;

  g_return_val_if_fail (capacity >= 1, NULL);
  g_return_val_if_fail (rate_per_second > 0, NULL);

  self = g_new0 (SkRateLimiter, 1);
  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->capacity = capacity;
  self->rate = rate_per_second;
  self->tokens = capacity;
  return self;
}

SkRateLimiter *
sk_rate_limiter_ref (SkRateLimiter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sk_rate_limiter_unref (SkRateLimiter *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_mutex_clear (&self->mutex);
  g_free (self);
}

/* Called with the mutex held. */
static void
refill_locked (SkRateLimiter *self, gint64 now_us)
{
  if (self->last_us == 0 || now_us < self->last_us)
    {
      if (self->last_us == 0)
        self->last_us = now_us;
      return;
    }
  self->tokens += (double) (now_us - self->last_us) * self->rate / G_USEC_PER_SEC;
  if (self->tokens > self->capacity)
    self->tokens = self->capacity;
  self->last_us = now_us;
}

gint64
sk_rate_limiter_reserve (SkRateLimiter *self, gint64 now_us)
{
  gint64 wait_us;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  refill_locked (self, now_us);
  if (now_us < self->paused_until_us)
    wait_us = self->paused_until_us - now_us;
  else if (self->tokens >= 1.0)
    {
      self->tokens -= 1.0;
      wait_us = 0;
    }
  else
    {
      wait_us = (gint64) ((1.0 - self->tokens) * G_USEC_PER_SEC / self->rate) + 1;
    }
  g_mutex_unlock (&self->mutex);

  return wait_us;
}

void
sk_rate_limiter_observe (SkRateLimiter *self,
                         double         used,
                         double         limit,
                         gint64         now_us)
{
  double left;

  g_return_if_fail (self != NULL);

  if (limit < 1 || used < 0)
    return;

  g_mutex_lock (&self->mutex);
  refill_locked (self, now_us);
  self->capacity = limit;
  /* The server only counts requests it has seen; ours in flight are
   * already taken from the bucket, so never give tokens back here. */
  left = MAX (limit - used, 0);
  self->tokens = MIN (self->tokens, left);
  g_mutex_unlock (&self->mutex);
}

void
sk_rate_limiter_set_rate (SkRateLimiter *self, double rate_per_second, gint64 now_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (rate_per_second > 0);

  g_mutex_lock (&self->mutex);
  /* Tokens earned at the old rate stay earned. */
  refill_locked (self, now_us);
  self->rate = rate_per_second;
  g_mutex_unlock (&self->mutex);
}

void
sk_rate_limiter_pause (SkRateLimiter *self, gint64 until_us)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->paused_until_us = MAX (self->paused_until_us, until_us);
  g_mutex_unlock (&self->mutex);
}

void
sk_rate_limiter_set_header_func (SkRateLimiter        *self,
                                 SkRateLimitHeaderFunc func,
                                 gpointer              user_data)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->header_func = func;
  self->header_data = user_data;
  g_mutex_unlock (&self->mutex);
}

void
sk_rate_limiter_feed_headers (SkRateLimiter      *self,
                              SoupMessageHeaders *headers,
                              gint64              now_us)
{
  SkRateLimitHeaderFunc func;
  gpointer data;

  g_return_if_fail (self != NULL);

  if (headers == NULL)
    return;

  g_mutex_lock (&self->mutex);
  func = self->header_func;
  data = self->header_data;
  g_mutex_unlock (&self->mutex);

  /* Outside the lock: the function calls _observe and _pause. */
  if (func != NULL)
    func (self, headers, now_us, data);
}

double
sk_rate_limiter_get_available (SkRateLimiter *self, gint64 now_us)
{
  double tokens;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  refill_locked (self, now_us);
  tokens = now_us < self->paused_until_us ? 0 : self->tokens;
  g_mutex_unlock (&self->mutex);

  return tokens;
}

/* Helpers without I/O */

/* "2", "2.0", "0.25": microseconds, or -1. Parsed by hand: a fraction of
 * a second is all the precision that matters. */
static gint64
parse_delay_seconds (const char *s)
{
  gint64 whole = 0;
  gint64 frac = 0;
  gint64 scale = G_USEC_PER_SEC;
  const char *p = s;

  if (!g_ascii_isdigit (*p))
    return -1;
  for (; g_ascii_isdigit (*p); p++)
    {
      whole = whole * 10 + (*p - '0');
      if (whole > G_MAXINT32)
        return -1;
    }
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return -1;
      for (; g_ascii_isdigit (*p); p++)
        if (scale > 1)
          {
            scale /= 10;
            frac += (*p - '0') * scale;
          }
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return -1;

  return whole * G_USEC_PER_SEC + frac;
}

gint64
sk_http_parse_retry_after (const char *value, gint64 now_unix)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *trimmed = NULL;
  gint64 delay;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return -1;

  delay = parse_delay_seconds (trimmed);
  if (delay >= 0)
    return delay;

  date = soup_date_time_new_from_http_string (trimmed);
  if (date == NULL)
    return -1;
  delay = g_date_time_to_unix (date) - now_unix;
  return delay > 0 ? delay * G_USEC_PER_SEC : 0;
}

gint64
sk_http_backoff_us (guint n, gint64 base_us, gint64 cap_us)
{
  gint64 ceiling = MAX (base_us, 0);

  if (cap_us <= 0)
    return 0;
  for (guint i = 0; i < n && ceiling < cap_us; i++)
    ceiling *= 2;
  if (ceiling > cap_us || ceiling <= 0)
    ceiling = cap_us;

  /* Full jitter: anywhere between nothing and the exponential ceiling. */
  return (gint64) (g_random_double () * (double) ceiling);
}

gboolean
sk_http_check_url (const char *url, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *scheme;
  const char *host;

  uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                   _("“%s” is not a web address Storekeep can use. Check the shop address in the channel settings."),
                   url != NULL ? url : "");
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                   _("“%s” is not a web address Storekeep can use. Enter an address that starts with https://."),
                   url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  if (address != NULL && g_inet_address_get_is_loopback (address))
    return TRUE;

  g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INSECURE_URL,
               _("Storekeep only talks to shops over https, and “%s” is not secure. Use the address that starts with https://."),
               host);
  return FALSE;
}

static const char *
skip_ws (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* Past the next comma that is outside quotes and angle brackets. */
static const char *
skip_to_next_link (const char *p)
{
  gboolean quoted = FALSE;
  gboolean bracket = FALSE;

  for (; *p != '\0'; p++)
    {
      if (quoted)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            quoted = FALSE;
        }
      else if (bracket)
        {
          if (*p == '>')
            bracket = FALSE;
        }
      else if (*p == '"')
        quoted = TRUE;
      else if (*p == '<')
        bracket = TRUE;
      else if (*p == ',')
        return p + 1;
    }
  return p;
}

/* A token or a quoted string; advances *@p past it. */
static char *
read_param_value (const char **p)
{
  GString *value = g_string_new (NULL);
  const char *q = *p;

  if (*q == '"')
    {
      for (q++; *q != '\0' && *q != '"'; q++)
        {
          if (*q == '\\' && q[1] != '\0')
            q++;
          g_string_append_c (value, *q);
        }
      if (*q == '"')
        q++;
    }
  else
    {
      for (; *q != '\0' && *q != ';' && *q != ',' && *q != ' ' && *q != '\t'; q++)
        g_string_append_c (value, *q);
    }
  *p = q;
  return g_string_free (value, FALSE);
}

static gboolean
rel_list_contains (const char *list, const char *rel)
{
  g_auto(GStrv) rels = g_strsplit_set (list, " \t", -1);

  for (guint i = 0; rels[i] != NULL; i++)
    if (rels[i][0] != '\0' && g_ascii_strcasecmp (rels[i], rel) == 0)
      return TRUE;
  return FALSE;
}

char *
sk_http_parse_link_header (const char *value, const char *rel)
{
  const char *p = value;

  g_return_val_if_fail (rel != NULL, NULL);

  if (value == NULL)
    return NULL;

  while (*p != '\0')
    {
      g_autofree char *target = NULL;
      const char *end;
      gboolean matched = FALSE;
      gboolean seen_rel = FALSE;

      p = skip_ws (p);
      if (*p == ',')
        {
          p++;
          continue;
        }
      if (*p != '<' || (end = strchr (p, '>')) == NULL)
        {
          p = skip_to_next_link (p);
          continue;
        }
      target = g_strndup (p + 1, end - p - 1);
      p = end + 1;

      for (;;)
        {
          g_autofree char *name = NULL;
          g_autofree char *param = NULL;
          const char *start;

          p = skip_ws (p);
          if (*p != ';')
            break;
          p = skip_ws (p + 1);
          for (start = p; *p != '\0' && strchr ("=;, \t", *p) == NULL; p++)
            ;
          name = g_strndup (start, p - start);
          p = skip_ws (p);
          if (*p == '=')
            {
              p = skip_ws (p + 1);
              param = read_param_value (&p);
            }
          /* Only the first rel counts (RFC 8288, 3.3). */
          if (!seen_rel && param != NULL && g_ascii_strcasecmp (name, "rel") == 0)
            {
              seen_rel = TRUE;
              matched = rel_list_contains (param, rel);
            }
        }
      p = skip_to_next_link (p);
      if (matched)
        return g_steal_pointer (&target);
    }
  return NULL;
}

/* Responses */

void
sk_http_response_free (SkHttpResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

/* The session */

struct _SkHttp
{
  GObject parent_instance;

  SoupSession *session;
  guint timeout;
  SkRetryPolicy policy;
};

G_DEFINE_FINAL_TYPE (SkHttp, sk_http, G_TYPE_OBJECT)

typedef struct {
  char *method;
  GUri *uri;
  char *host;
  SoupMessageHeaders *headers;
  GBytes *body;
  char *content_type;
  SkRateLimiter *limiter;
  SkRetryPolicy policy;
  guint timeout;
  guint attempts;
  GSource *timer;
  GSource *cancel_source;
} Request;

static void
request_clear_wait (Request *req)
{
  if (req->timer != NULL)
    {
      g_source_destroy (req->timer);
      g_clear_pointer (&req->timer, g_source_unref);
    }
  if (req->cancel_source != NULL)
    {
      g_source_destroy (req->cancel_source);
      g_clear_pointer (&req->cancel_source, g_source_unref);
    }
}

static void
request_free (Request *req)
{
  request_clear_wait (req);
  g_free (req->method);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_free (req->host);
  g_clear_pointer (&req->headers, soup_message_headers_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->content_type);
  g_clear_pointer (&req->limiter, sk_rate_limiter_unref);
  g_free (req);
}

static void step_reserve (GTask *task);

static gboolean
on_wait_done (gpointer data)
{
  GTask *task = data;
  Request *req = g_task_get_task_data (task);

  request_clear_wait (req);
  step_reserve (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled (GCancellable *cancellable, gpointer data)
{
  GTask *task = data;
  Request *req = g_task_get_task_data (task);

  request_clear_wait (req);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Wait @delay_us on the task's context, then reserve again; a cancellation
 * ends the wait at once. The task reference passes to the wait. */
static void
wait_then_reserve (GTask *task, gint64 delay_us)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GMainContext *context = g_task_get_context (task);
  guint ms = (guint) MIN ((delay_us + 999) / 1000, G_MAXUINT);

  g_assert (req->timer == NULL);

  req->timer = g_timeout_source_new (ms);
  g_source_set_static_name (req->timer, "[storekeep] http wait");
  g_source_set_callback (req->timer, on_wait_done, task, NULL);
  g_source_attach (req->timer, context);

  if (cancellable != NULL)
    {
      req->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (req->cancel_source, G_SOURCE_FUNC (on_wait_cancelled), task, NULL);
      g_source_attach (req->cancel_source, context);
    }
}

static gboolean
is_retryable_status (guint status)
{
  if (status == SK_HTTP_STATUS_TOO_MANY_REQUESTS)
    return TRUE;
  return status >= 500 && status <= 599 &&
         status != SOUP_STATUS_NOT_IMPLEMENTED &&
         status != SOUP_STATUS_HTTP_VERSION_NOT_SUPPORTED;
}

static gboolean
is_tls_error (const GError *error, SoupMessage *msg)
{
  if (error->domain == G_TLS_ERROR)
    return TRUE;
  return msg != NULL && soup_message_get_tls_peer_certificate_errors (msg) != 0;
}

static GError *
convert_transport_error (Request *req, const GError *error, SoupMessage *msg)
{
  if (is_tls_error (error, msg))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_TLS,
                        _("The secure connection to %s could not be trusted: its certificate is not valid. Check the shop address; if it is right, the shop has to fix its certificate."),
                        req->host);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_TIMEOUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "%s did not answer within %u second. Storekeep will try again later.",
                                     "%s did not answer within %u seconds. Storekeep will try again later.",
                                     req->timeout),
                        req->host, req->timeout);
  return g_error_new (SK_SYNC_ERROR, SK_SYNC_ERROR_NETWORK,
                      _("Storekeep could not connect to %s (%s). Check the internet connection; Storekeep will try again."),
                      req->host, error->message);
}

/* libsoup hands over what arrived when a connection closes before the
 * Content-Length it announced; that is a broken transfer, not an answer. */
static gboolean
is_short_body (Request *req, SoupMessage *msg, GBytes *body)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *coding = soup_message_headers_get_one (headers, "Content-Encoding");
  guint status = soup_message_get_status (msg);

  if (g_ascii_strcasecmp (req->method, "HEAD") == 0 ||
      SOUP_STATUS_IS_INFORMATIONAL (status) ||
      status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED)
    return FALSE;
  if (coding != NULL && g_ascii_strcasecmp (coding, "identity") != 0)
    return FALSE;
  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    return FALSE;
  return (goffset) (body != NULL ? g_bytes_get_size (body) : 0) <
         soup_message_headers_get_content_length (headers);
}

/* Delay before the next attempt, or -1 to stop and keep this answer. */
static gint64
retry_delay (Request *req, SoupMessageHeaders *headers)
{
  gint64 delay = -1;

  if (req->attempts >= req->policy.max_attempts)
    return -1;
  if (headers != NULL)
    delay = sk_http_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                       g_get_real_time () / G_USEC_PER_SEC);
  if (delay < 0)
    return sk_http_backoff_us (req->attempts - 1, req->policy.backoff_base_us,
                               req->policy.backoff_cap_us);
  /* A shop that asks for a longer break than we would ever wait: stop
   * here and let the next scheduled run try. */
  if (delay > req->policy.backoff_cap_us)
    return -1;
  return delay;
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GTask) task = data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg;
  SoupMessageHeaders *headers;
  SkHttpResponse *response;
  guint status;
  gint64 delay;

  body = soup_session_send_and_read_finish (session, result, &error);
  msg = soup_session_get_async_result_message (session, result);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("Attempt %u to %s failed: %s", req->attempts, req->host, error->message);
      if (!is_tls_error (error, msg) && (delay = retry_delay (req, NULL)) >= 0)
        {
          wait_then_reserve (g_steal_pointer (&task), delay);
          return;
        }
      g_task_return_error (task, convert_transport_error (req, error, msg));
      return;
    }

  status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  if (is_short_body (req, msg, body))
    {
      g_debug ("Attempt %u to %s: the answer broke off", req->attempts, req->host);
      if ((delay = retry_delay (req, NULL)) >= 0)
        {
          wait_then_reserve (g_steal_pointer (&task), delay);
          return;
        }
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_NETWORK,
                               _("The connection to %s broke off before the whole answer arrived. Storekeep will try again."),
                               req->host);
      return;
    }
  if (req->limiter != NULL)
    sk_rate_limiter_feed_headers (req->limiter, headers, g_get_monotonic_time ());

  if (is_retryable_status (status) && (delay = retry_delay (req, headers)) >= 0)
    {
      g_debug ("Attempt %u to %s: HTTP %u, retrying in %" G_GINT64_FORMAT " ms",
               req->attempts, req->host, status, delay / 1000);
      if (status == SK_HTTP_STATUS_TOO_MANY_REQUESTS && req->limiter != NULL)
        sk_rate_limiter_pause (req->limiter, g_get_monotonic_time () + delay);
      wait_then_reserve (g_steal_pointer (&task), delay);
      return;
    }

  response = g_new0 (SkHttpResponse, 1);
  response->status = status;
  response->headers = soup_message_headers_ref (headers);
  response->body = body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0);
  response->attempts = req->attempts;
  g_task_return_pointer (task, response, (GDestroyNotify) sk_http_response_free);
}

static void
copy_header (const char *name, const char *value, gpointer data)
{
  soup_message_headers_append (data, name, value);
}

static void
step_send (GTask *task)
{
  SkHttp *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;

  msg = soup_message_new_from_uri (req->method, req->uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (req->headers != NULL)
    soup_message_headers_foreach (req->headers, copy_header,
                                  soup_message_get_request_headers (msg));
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (msg, req->content_type, req->body);

  req->attempts++;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_sent, task);
}

static void
step_reserve (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  gint64 delay = 0;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (req->limiter != NULL)
    delay = sk_rate_limiter_reserve (req->limiter, g_get_monotonic_time ());
  if (delay > 0)
    wait_then_reserve (task, delay);
  else
    step_send (task);
}

/* GObject */

static void
sk_http_finalize (GObject *object)
{
  SkHttp *self = SK_HTTP (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (sk_http_parent_class)->finalize (object);
}

static void
sk_http_class_init (SkHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sk_http_finalize;
}

static void
sk_http_init (SkHttp *self)
{
  self->timeout = SK_HTTP_DEFAULT_TIMEOUT;
  self->policy.max_attempts = 5;
  self->policy.backoff_base_us = 500 * 1000;
  self->policy.backoff_cap_us = 60 * G_USEC_PER_SEC;

  /* TLS: the default database and verification, never switched off. */
  self->session = soup_session_new_with_options ("user-agent", SK_HTTP_USER_AGENT,
                                                 "timeout", self->timeout,
                                                 "max-conns-per-host", 6,
                                                 NULL);
}

/* Public API */

SkHttp *
sk_http_new (void)
{
  return g_object_new (SK_TYPE_HTTP, NULL);
}

SoupSession *
sk_http_get_session (SkHttp *self)
{
  g_return_val_if_fail (SK_IS_HTTP (self), NULL);

  return self->session;
}

void
sk_http_set_timeout (SkHttp *self, guint seconds)
{
  g_return_if_fail (SK_IS_HTTP (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
}

void
sk_http_set_retry_policy (SkHttp *self, const SkRetryPolicy *policy)
{
  g_return_if_fail (SK_IS_HTTP (self));
  g_return_if_fail (policy != NULL);

  self->policy = *policy;
  if (self->policy.max_attempts == 0)
    self->policy.max_attempts = 1;
  if (self->policy.backoff_base_us < 0)
    self->policy.backoff_base_us = 0;
  if (self->policy.backoff_cap_us < self->policy.backoff_base_us)
    self->policy.backoff_cap_us = self->policy.backoff_base_us;
}

void
sk_http_send_async (SkHttp              *self,
                    const char          *method,
                    const char          *url,
                    SoupMessageHeaders  *request_headers,
                    GBytes              *request_body,
                    const char          *content_type,
                    SkRateLimiter       *limiter,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Request *req;

  g_return_if_fail (SK_IS_HTTP (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_http_send_async);

  if (!sk_http_check_url (url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  req = g_new0 (Request, 1);
  req->method = g_strdup (method);
  req->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  req->host = g_strdup (req->uri != NULL ? g_uri_get_host (req->uri) : url);
  req->headers = request_headers != NULL ? soup_message_headers_ref (request_headers) : NULL;
  req->body = request_body != NULL ? g_bytes_ref (request_body) : NULL;
  req->content_type = g_strdup (content_type);
  req->limiter = limiter != NULL ? sk_rate_limiter_ref (limiter) : NULL;
  req->policy = self->policy;
  req->timeout = self->timeout;
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (req->uri == NULL)
    {
      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                               _("“%s” is not a web address Storekeep can use. Check the shop address in the channel settings."),
                               url);
      return;
    }

  step_reserve (g_steal_pointer (&task));
}

SkHttpResponse *
sk_http_send_finish (SkHttp        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (SK_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
