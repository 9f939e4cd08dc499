/* sk-woo-channel.c: the WooCommerce REST API v3 connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run pulls GET /wp-json/wc/v3/orders?status=any&per_page=100&page=N
 * &orderby=id&order=asc&dates_are_gmt=true&modified_after=… page after
 * page, as far as each answer's X-WP-TotalPages says there are pages (or,
 * without that header, while pages come full); X-WP-Total feeds the
 * progress. As in the Shopify connector, page N+1 is fetched while page N
 * is normalized (on a worker thread) and imported (on the store's writer
 * thread); each page commits in one transaction with the cursor that
 * points past it (page_token = the next page number), so a run that stops
 * anywhere resumes at the first page not committed.
 *
 * Choices, and why:
 * - modified_after (WooCommerce 5.8 and later) with dates_are_gmt=true, so
 *   the time is read as UTC rather than in the site's zone; it is written
 *   without an offset, as WooCommerce writes its own *_gmt dates. An older
 *   WooCommerce ignores the parameter and every run reads every order,
 *   which the idempotent import turns into "unchanged".
 * - orderby=id&order=asc rather than orderby=modified, which is not a core
 *   option in every version. Ids are unique, so no two orders tie across a
 *   page boundary as equal dates can. Paging is by offset, so an old order
 *   modified while a run goes on joins the list on a page already read: the
 *   run does not see it. Hence the high-water mark a run leaves is not the
 *   newest modification it saw but at most the time the run started (the
 *   site's clock: the Date header of the run's first answer, or ours
 *   without one), and the next run goes back SK_WOO_OVERLAP_SECONDS before
 *   that; orders read twice import as unchanged.
 * - Offset paging loses an order the other way too: when an order on a
 *   page already read leaves the list (moved to the trash, deleted), every
 *   later order moves one place up and the first order of the next page
 *   lands on the page already read. X-WP-Total then drops from one answer
 *   to the next; a run that saw it drop (or a page past the end) keeps the
 *   high-water mark it started from, so the next run reads those orders
 *   again. The last total seen rides in the cursor's page token ("3:250",
 *   "3:shrunk"), so a run that stops and resumes still notices.
 * - status=any, which in WooCommerce means every status except trash:
 *   an order moved to the trash keeps the status it had here.
 * - WooCommerce itself has no rate limit. A gentle bucket (burst 10, 5
 *   requests a second) keeps a small shared host comfortable; a 429 from
 *   the host is retried after its Retry-After (SkHttp), and a
 *   RateLimit-Remaining: 0 with RateLimit-Reset pauses the bucket.
 */
#define G_LOG_DOMAIN "sk-woo"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-channel-private.h"
#include "sk-error.h"
#include "sk-store-import.h"
#include "sk-time.h"
#include "sk-woo-channel.h"
#include "sk-woo-normalize.h"

#define ACTOR "sync:woocommerce"
#define BUCKET_SIZE 10
#define REFILL_PER_SECOND 5
#define MIN_INTERVAL 60
/* Pages fetched ahead of the one being imported. */
#define MAX_AHEAD 2
/* The longest pause a RateLimit-Reset header may ask for, seconds. */
#define MAX_RESET_PAUSE 900

struct _SkWooChannel
{
  SkChannel parent_instance;

  SkRateLimiter *limiter;
};

G_DEFINE_FINAL_TYPE (SkWooChannel, sk_woo_channel, SK_TYPE_CHANNEL)

/* Helpers */

static gboolean
parse_header_uint (SoupMessageHeaders *headers,
                   const char         *name,
                   guint64             max,
                   guint64            *out)
{
  const char *value = soup_message_headers_get_one (headers, name);
  g_autofree char *text = NULL;

  if (value == NULL)
    return FALSE;
  text = g_strstrip (g_strdup (value));
  return g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL);
}

/* RateLimit-Remaining / RateLimit-Reset (the IETF draft's names, used by
 * WooCommerce's Store API and some hosts), or their X- forms: an empty
 * allowance pauses the bucket until the reset. */
static void
read_rate_limit (SkRateLimiter      *limiter,
                 SoupMessageHeaders *headers,
                 gint64              now_us,
                 gpointer            user_data)
{
  guint64 remaining, reset;

  if (!parse_header_uint (headers, "RateLimit-Remaining", G_MAXUINT32, &remaining) &&
      !parse_header_uint (headers, "X-RateLimit-Remaining", G_MAXUINT32, &remaining))
    return;
  if (remaining > 0)
    return;
  if (!parse_header_uint (headers, "RateLimit-Reset", G_MAXINT64 / G_USEC_PER_SEC, &reset) &&
      !parse_header_uint (headers, "X-RateLimit-Reset", G_MAXINT64 / G_USEC_PER_SEC, &reset))
    return;
  /* Some hosts send the moment of the reset rather than the seconds to it. */
  if (reset > 1000000000)
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      reset = (gint64) reset > now ? reset - (guint64) now : 0;
    }
  reset = MIN (reset, MAX_RESET_PAUSE);
  if (reset > 0)
    sk_rate_limiter_pause (limiter, now_us + (gint64) reset * G_USEC_PER_SEC);
}

/* The site as people know it, for messages. */
static char *
site_name (SkWooChannel *self)
{
  const SkChannelRecord *record = sk_channel_get_record (SK_CHANNEL (self));
  g_autoptr(GUri) uri = NULL;

  if (record->account != NULL && *record->account != '\0')
    return g_strdup (record->account);
  if (record->base_url != NULL && *record->base_url != '\0')
    {
      uri = g_uri_parse (record->base_url, G_URI_FLAGS_NONE, NULL);
      if (uri != NULL && g_uri_get_host (uri) != NULL)
        return g_strdup (g_uri_get_host (uri));
      return g_strdup (record->base_url);
    }
  return g_strdup (record->name != NULL ? record->name : "");
}

static char *
base_url (SkWooChannel *self)
{
  const SkChannelRecord *record = sk_channel_get_record (SK_CHANNEL (self));
  g_autofree char *url = NULL;
  gsize len;

  if (record->base_url != NULL && *record->base_url != '\0')
    url = g_strdup (record->base_url);
  else
    url = g_strconcat ("https://", record->account != NULL ? record->account : "", NULL);

  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return g_steal_pointer (&url);
}

static char *
api_url (SkWooChannel *self, const char *endpoint, const char *query)
{
  g_autofree char *base = base_url (self);

  return g_strconcat (base, SK_WOO_API_PREFIX "/", endpoint,
                      query != NULL ? "?" : "", query, NULL);
}

/* "Basic …" for the stored key pair, or NULL and an error. */
static char *
authorization (SkWooChannel *self, GError **error)
{
  const char *stored = sk_channel_get_secret (SK_CHANNEL (self));
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  char *header;

  if (stored == NULL || *stored == '\0')
    {
      name = site_name (self);
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                   _("No WooCommerce keys are stored for %s. Enter the consumer key and consumer secret in the channel settings."),
                   name);
      return NULL;
    }
  if (!sk_woo_channel_parse_secret (stored, &key, &secret))
    {
      name = site_name (self);
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                   _("The WooCommerce keys stored for %s are incomplete. Enter the consumer key and consumer secret again in the channel settings."),
                   name);
      return NULL;
    }
  header = sk_woo_basic_authorization (key, secret);
  memset (secret, 0, strlen (secret));
  return header;
}

static SoupMessageHeaders *
request_headers (const char *authorization_value)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);

  soup_message_headers_append (headers, "Accept", "application/json");
  if (authorization_value != NULL)
    soup_message_headers_append (headers, "Authorization", authorization_value);
  return headers;
}

/* Replace the consumer key, the consumer secret and their Basic encoding
 * in @error's message, as the base class does for the secret as a whole:
 * a site that echoes credentials must not get them into a message. */
static void
scrub_error (SkWooChannel *self, GError *error)
{
  const char *stored = sk_channel_get_secret (SK_CHANNEL (self));
  g_autofree char *key = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *basic = NULL;
  g_autoptr(GString) message = NULL;

  if (error == NULL)
    return;
  _sk_channel_scrub_error (SK_CHANNEL (self), error);
  if (stored == NULL || !sk_woo_channel_parse_secret (stored, &key, &secret))
    return;
  basic = authorization (self, NULL);
  message = g_string_new (error->message);
  if (basic != NULL)
    sk_secret_scrub_in (message, basic + strlen ("Basic "));
  sk_secret_scrub_in (message, secret);
  sk_secret_scrub_in (message, key);
  g_free (error->message);
  error->message = g_string_free (g_steal_pointer (&message), FALSE);
  sk_secret_wipe (&secret);
  sk_secret_wipe (&basic);
}

/* Drop HTML tags (WordPress's fatal-error message has some), squeeze white
 * space, cut at 300 characters. */
static char *
plain_words (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean in_tag = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>' && in_tag)
        {
          in_tag = FALSE;
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else if (!in_tag)
        {
          if (g_ascii_isspace (*p))
            {
              if (out->len > 0 && out->str[out->len - 1] != ' ')
                g_string_append_c (out, ' ');
            }
          else
            g_string_append_c (out, *p);
        }
    }
  g_strstrip (out->str);
  g_string_set_size (out, strlen (out->str));
  if (g_utf8_strlen (out->str, -1) > 300)
    {
      g_string_truncate (out, g_utf8_offset_to_pointer (out->str, 300) - out->str);
      g_string_append (out, "…");
    }
  if (out->len == 0 || !g_utf8_validate (out->str, -1, NULL))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* WooCommerce's (WordPress's) error body: {"code": "…", "message": "…",
 * "data": {"status": 401}}. */
static void
woo_error (GBytes  *body,
           char   **out_code,
           char   **out_message)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *data;
  const char *text;
  gsize len;

  *out_code = NULL;
  *out_message = NULL;
  if (body == NULL)
    return;
  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0 || len > 64 * 1024 ||
      !json_parser_load_from_data (parser, data, len, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  text = json_object_get_string_member_with_default (object, "code", NULL);
  if (text != NULL && *text != '\0')
    *out_code = g_strdup (text);
  text = json_object_get_string_member_with_default (object, "message", NULL);
  if (text != NULL)
    *out_message = plain_words (text);
}

/* Words for an HTTP answer that is not a success. */
static gboolean
check_status (SkWooChannel   *self,
              SkHttpResponse *response,
              GError        **error)
{
  guint status = response->status;
  g_autofree char *name = NULL;
  g_autofree char *code = NULL;
  g_autofree char *words = NULL;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;

  name = site_name (self);
  woo_error (response->body, &code, &words);
  switch (status)
    {
    case 401:
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_AUTH,
                   _("WooCommerce at %s refused the consumer key and secret. Check that they are correct, have Read access and have not been revoked, then enter them again in the channel settings."),
                   name);
      return FALSE;
    case 403:
      if (words != NULL)
        g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN,
                     _("WooCommerce at %s did not let Storekeep read its orders (“%s”). Give the key Read access under WooCommerce → Settings → Advanced → REST API, and check that no security plugin blocks the REST API."),
                     name, words);
      else
        g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_FORBIDDEN,
                     _("WooCommerce at %s did not let Storekeep read its orders. Give the key Read access under WooCommerce → Settings → Advanced → REST API, and check that no security plugin blocks the REST API."),
                     name);
      return FALSE;
    case 404:
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                   _("No WooCommerce REST API answers at %s: check the address and that permalinks are enabled."),
                   name);
      return FALSE;
    case 429:
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_RATE_LIMITED,
                   _("The site %s asked Storekeep to slow down and kept refusing after several tries. Storekeep will try again in a few minutes."),
                   name);
      return FALSE;
    default:
      break;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NOT_FOUND,
                   _("The address of %s sends Storekeep elsewhere instead of answering like a WooCommerce shop. Enter the site address exactly as WordPress shows it under Settings → General."),
                   name);
      return FALSE;
    }
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_SERVER,
                   _("The site %s could not answer (HTTP %u), even after several tries. It may be having problems; Storekeep will try again later."),
                   name, status);
      return FALSE;
    }
  if (words != NULL)
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                 _("WooCommerce at %s refused the request (HTTP %u): “%s”. Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                 name, status, words);
  else
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_REFUSED,
                 _("WooCommerce at %s refused the request (HTTP %u). Check the channel settings; if they are right, Storekeep will try again at the next sync."),
                 name, status);
  return FALSE;
}

/* A 400 for a page past the last one (orders vanished between two runs):
 * WordPress's and WooCommerce's codes for it. */
static gboolean
is_page_out_of_range (SkHttpResponse *response)
{
  g_autofree char *code = NULL;
  g_autofree char *words = NULL;

  if (response->status != SOUP_STATUS_BAD_REQUEST)
    return FALSE;
  woo_error (response->body, &code, &words);
  return g_strcmp0 (code, "rest_post_invalid_page_number") == 0 ||
         g_strcmp0 (code, "woocommerce_rest_invalid_page_number") == 0 ||
         g_strcmp0 (code, "rest_invalid_page_number") == 0;
}

/* A run */

typedef struct {
  GBytes *body;
  guint   page;
  guint   next_page;   /* 0: this is the last page */
} FetchedPage;

static void
fetched_page_free (FetchedPage *page)
{
  g_clear_pointer (&page->body, g_bytes_unref);
  g_free (page);
}

typedef struct {
  gint64        channel_id;
  char         *authorization;  /* "Basic …" as the run began */
  SkSyncCursor  start;          /* the cursor as the run found it */
  gint64        run_started_at; /* the local clock, then the site's */
  gboolean      clock_read;     /* run_started_at is the site's, or resumed */
  guint64       last_total;     /* X-WP-Total of the latest answer */
  gboolean      have_total;
  gboolean      shrunk;         /* orders left the list during the run */
  gint64        run_max_seen;
  gint64        pages_done;     /* committed, this run and the one resumed */
  guint         first_page;     /* 1, or where a resumed run goes on */

  guint         fetch_page;     /* the page to fetch next */
  guint         fetched;        /* pages fetched this run */
  gboolean      fetching;
  gboolean      fetch_done;     /* the last page has been fetched */
  GError       *fetch_error;    /* stops fetching; queued pages still commit */

  GQueue        ready;          /* FetchedPage, in order */
  gboolean      processing;     /* a page (or the start cursor) is being written */
  GError       *error;          /* stops everything */

  SkSyncSummary summary;
  guint         pages_this_run;
  guint         orders_seen;
  gint64        expected;
  gboolean      finished;
} Run;

static void
run_free (Run *run)
{
  sk_sync_cursor_clear (&run->start);
  if (run->authorization != NULL)
    memset (run->authorization, 0, strlen (run->authorization));
  g_free (run->authorization);
  g_clear_error (&run->fetch_error);
  g_clear_error (&run->error);
  g_queue_clear_full (&run->ready, (GDestroyNotify) fetched_page_free);
  g_free (run);
}

static void advance (GTask *task);

static void
report_progress (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  _sk_channel_set_progress (g_task_get_source_object (task), run->pages_this_run,
                            run->orders_seen, run->expected);
}

static void
set_fatal (Run *run, GError *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

static char *
page_query (Run *run, guint page)
{
  GString *query = g_string_new ("status=any&per_page=");

  g_string_append_printf (query, "%u&page=%u&orderby=id&order=asc&dates_are_gmt=true",
                          SK_WOO_PER_PAGE, page);
  if (run->start.high_water > 0)
    {
      g_autoptr(GDateTime) since =
        g_date_time_new_from_unix_utc (MAX (run->start.high_water - SK_WOO_OVERLAP_SECONDS, 0));
      g_autofree char *text = g_date_time_format (since, "%Y-%m-%dT%H:%M:%S");
      g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);

      g_string_append_printf (query, "&modified_after=%s", escaped);
    }
  return g_string_free (query, FALSE);
}

/* The page after @page, or 0 when @page is the last. */
static guint
next_page (SkHttpResponse *response, guint page, gint count)
{
  guint64 total_pages;

  /* An empty page ends the run whatever the headers say. */
  if (count <= 0)
    return 0;
  if (parse_header_uint (response->headers, "X-WP-TotalPages", G_MAXUINT32, &total_pages))
    return page < total_pages ? page + 1 : 0;
  return count >= SK_WOO_PER_PAGE ? page + 1 : 0;
}

static void
on_page_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkWooChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  FetchedPage *page;
  guint64 total;
  gint count;

  run->fetching = FALSE;
  response = sk_http_send_finish (SK_HTTP (source), result, &error);

  if (response == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_fatal (run, g_steal_pointer (&error));
      else
        run->fetch_error = g_steal_pointer (&error);
      advance (task);
      return;
    }

  page = g_new0 (FetchedPage, 1);
  page->page = run->fetch_page;
  if (is_page_out_of_range (response) && run->fetch_page > 1)
    {
      /* Fewer orders than when the run began: the pages are all read, and
       * an order may have moved onto a page already read. */
      page->body = g_bytes_new_static ("[]", 2);
      count = 0;
      run->shrunk = TRUE;
    }
  else if (!check_status (self, response, &error))
    {
      g_free (page);
      run->fetch_error = g_steal_pointer (&error);
      advance (task);
      return;
    }
  else
    {
      page->body = g_bytes_ref (response->body);
      count = sk_woo_count_page (response->body);
    }
  page->next_page = next_page (response, page->page, count);

  if (!run->clock_read)
    {
      gint64 date = _sk_channel_response_date (response);

      run->clock_read = TRUE;
      if (date > 0)
        run->run_started_at = date;
    }

  if (parse_header_uint (response->headers, "X-WP-Total", G_MAXINT64, &total))
    {
      if (run->have_total && total < run->last_total)
        {
          g_debug ("The WooCommerce order list shrank from %" G_GUINT64_FORMAT " to %"
                   G_GUINT64_FORMAT " during a run", run->last_total, total);
          run->shrunk = TRUE;
        }
      run->last_total = total;
      run->have_total = TRUE;
    }

  if (run->fetched == 0 && run->have_total)
    {
      gint64 before = (gint64) (run->first_page - 1) * SK_WOO_PER_PAGE;

      run->expected = MAX ((gint64) run->last_total - before, 0);
      report_progress (task);
    }

  g_queue_push_tail (&run->ready, page);
  run->fetched++;
  run->fetch_page = page->next_page;
  if (page->next_page == 0)
    run->fetch_done = TRUE;

  advance (task);
}

static void
start_fetch (GTask *task)
{
  SkWooChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(SoupMessageHeaders) headers = request_headers (run->authorization);
  g_autofree char *query = page_query (run, run->fetch_page);
  g_autofree char *url = api_url (self, "orders", query);

  run->fetching = TRUE;
  sk_http_send_async (sk_channel_get_http (SK_CHANNEL (self)), "GET", url, headers,
                      NULL, NULL, self->limiter, g_task_get_cancellable (task),
                      on_page_fetched, g_object_ref (task));
}

typedef struct {
  GBytes       *body;
  guint         next_page;
  SkImportPage *page;
  gint64        max_updated;
} Normalize;

static void
normalize_free (Normalize *n)
{
  g_clear_pointer (&n->body, g_bytes_unref);
  g_clear_pointer (&n->page, sk_import_page_free);
  g_free (n);
}

/* On a worker thread. */
static void
normalize_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  Normalize *n = data;
  GError *error = NULL;

  if (!sk_woo_normalize_page (n->body, n->page, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  n->max_updated = _sk_import_page_max_updated (n->page);
  g_task_return_boolean (task, TRUE);
}

static void
on_page_imported (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SkImportResult imported = { 0 };

  run->processing = FALSE;
  if (!sk_store_import_finish (SK_STORE (source), result, &imported, &error))
    {
      set_fatal (run, g_steal_pointer (&error));
      advance (task);
      return;
    }

  run->pages_done++;
  run->pages_this_run++;
  _sk_sync_summary_add_page (&run->summary, &imported);
  report_progress (task);
  advance (task);
}

static void
on_page_normalized (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkWooChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Normalize *n = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *next_token = NULL;
  GCancellable *cancellable;
  SkImportPage *page;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run->processing = FALSE;
      set_fatal (run, g_steal_pointer (&error));
      advance (task);
      return;
    }

  page = g_steal_pointer (&n->page);
  run->orders_seen += page->orders->len + page->dead_letters->len;
  run->run_max_seen = MAX (run->run_max_seen, n->max_updated);
  report_progress (task);

  if (n->next_page != 0 && run->shrunk)
    next_token = g_strdup_printf ("%u:shrunk", n->next_page);
  else if (n->next_page != 0 && run->have_total)
    next_token = g_strdup_printf ("%u:%" G_GUINT64_FORMAT, n->next_page, run->last_total);
  else if (n->next_page != 0)
    next_token = g_strdup_printf ("%u", n->next_page);
  /* On the last page the run is complete in the same transaction. An order
   * modified after the run began may sit on a page already read (see the
   * top of the file): the next run starts from no later than that
   * moment. */
  _sk_channel_page_cursor (page, &run->start, run->run_started_at, run->run_max_seen,
                           run->pages_done, next_token);
  /* The last page, but orders left the list while the run went on: one
   * may have moved onto a page already read. The next run reads again
   * from where this one started. */
  if (n->next_page == 0 && run->shrunk)
    page->cursor.high_water = run->start.high_water;

  cancellable = g_task_get_cancellable (task);
  sk_store_import_async (sk_channel_get_store (SK_CHANNEL (self)), page,
                         cancellable, on_page_imported, g_steal_pointer (&task));
}

static void
start_processing (GTask *task, FetchedPage *fetched)
{
  SkWooChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) worker = NULL;
  Normalize *n;

  n = g_new0 (Normalize, 1);
  n->body = g_bytes_ref (fetched->body);
  n->next_page = fetched->next_page;
  n->page = _sk_channel_new_page (SK_CHANNEL (self), ACTOR);

  run->processing = TRUE;
  worker = g_task_new (self, g_task_get_cancellable (task), on_page_normalized,
                       g_object_ref (task));
  g_task_set_source_tag (worker, start_processing);
  g_task_set_task_data (worker, n, (GDestroyNotify) normalize_free);
  g_task_run_in_thread (worker, normalize_thread);
  fetched_page_free (fetched);
}

static void
finish (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  SkWooChannel *self = g_task_get_source_object (task);

  run->finished = TRUE;
  if (run->error != NULL || run->fetch_error != NULL)
    {
      GError *error = run->error != NULL ? g_steal_pointer (&run->error)
                                         : g_steal_pointer (&run->fetch_error);

      scrub_error (self, error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_memdup2 (&run->summary, sizeof run->summary), g_free);
}

/* Decide what happens next; called after every step. */
static void
advance (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (run->finished)
    return;
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    set_fatal (run, error);

  if (!run->fetching && !run->fetch_done && run->fetch_error == NULL && run->error == NULL &&
      g_queue_get_length (&run->ready) < MAX_AHEAD)
    start_fetch (task);

  if (!run->processing && run->error == NULL && !g_queue_is_empty (&run->ready))
    start_processing (task, g_queue_pop_head (&run->ready));

  if (!run->fetching && !run->processing &&
      (run->error != NULL ||
       (g_queue_is_empty (&run->ready) && (run->fetch_done || run->fetch_error != NULL))))
    finish (task);
}

static void
on_start_cursor_written (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->processing = FALSE;
  if (!sk_store_import_finish (SK_STORE (source), result, NULL, &error))
    set_fatal (run, g_steal_pointer (&error));
  advance (task);
}

/* The page an interrupted run stopped at, or 0; with what it knew of the
 * list's size ("N", "N:TOTAL" or "N:shrunk"). */
static guint
resume_page (const SkSyncCursor *cursor,
             Run                *run)
{
  g_auto(GStrv) parts = NULL;
  guint64 page;
  guint64 total;

  if (cursor->run_started_at == 0 || cursor->page_token == NULL)
    return 0;
  parts = g_strsplit (cursor->page_token, ":", 2);
  if (parts[0] == NULL ||
      !g_ascii_string_to_unsigned (parts[0], 10, 2, G_MAXUINT32, &page, NULL))
    return 0;
  if (parts[1] != NULL && g_str_equal (parts[1], "shrunk"))
    run->shrunk = TRUE;
  else if (parts[1] != NULL &&
           g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT64, &total, NULL))
    {
      run->last_total = total;
      run->have_total = TRUE;
    }
  return (guint) page;
}

/* Vfuncs */

static void
sk_woo_channel_sync_async (SkChannel           *channel,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  SkWooChannel *self = SK_WOO_CHANNEL (channel);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basic = NULL;
  Run *run;
  guint resumed_at;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_woo_channel_sync_async);

  basic = authorization (self, &error);
  if (basic == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run = g_new0 (Run, 1);
  run->channel_id = sk_channel_get_id (channel);
  run->authorization = g_steal_pointer (&basic);
  run->expected = -1;
  g_queue_init (&run->ready);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (!_sk_channel_get_cursor (channel, SK_CHANNEL_ORDERS_RESOURCE, &run->start, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  resumed_at = resume_page (&run->start, run);
  if (resumed_at != 0)
    {
      /* An interrupted run: go on from its first uncommitted page, with
       * the same modified_after (the cursor kept its high-water mark). */
      run->run_started_at = run->start.run_started_at;
      run->clock_read = TRUE;
      run->run_max_seen = run->start.run_max_seen;
      run->pages_done = run->start.pages_done;
      run->first_page = run->fetch_page = resumed_at;
      g_debug ("Resuming a WooCommerce run at page %u", resumed_at);
    }
  else
    {
      /* Say that a run has begun, before any page commits. */
      run->run_started_at = sk_time_now ();
      run->first_page = run->fetch_page = 1;
      run->processing = TRUE;
      _sk_channel_begin_run_async (channel, ACTOR, &run->start, run->run_started_at, cancellable,
                                   on_start_cursor_written, g_object_ref (task));
    }

  report_progress (task);
  advance (task);
}

static void
on_test_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SkWooChannel *self = g_task_get_source_object (task);
  g_autoptr(SkHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = sk_http_send_finish (SK_HTTP (source), result, &error);
  if (response == NULL || !check_status (self, response, &error))
    {
      scrub_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (sk_woo_count_page (response->body) < 0)
    {
      g_autofree char *name = site_name (self);

      g_task_return_new_error (task, SK_SYNC_ERROR, SK_SYNC_ERROR_BAD_RESPONSE,
                               _("%s answered, but not like a WooCommerce shop. Check the site address."),
                               name);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* One order, if any: proves the address, the keys and their Read access
 * to orders, which is all a sync needs (system_status would take the site
 * seconds to compute). */
static void
sk_woo_channel_test_connection_async (SkChannel           *channel,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  SkWooChannel *self = SK_WOO_CHANNEL (channel);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *url = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_woo_channel_test_connection_async);

  basic = authorization (self, &error);
  if (basic == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  headers = request_headers (basic);
  memset (basic, 0, strlen (basic));
  url = api_url (self, "orders", "per_page=1&_fields=id");
  sk_http_send_async (sk_channel_get_http (channel), "GET", url, headers, NULL, NULL,
                      self->limiter, cancellable, on_test_fetched, g_steal_pointer (&task));
}

static guint
sk_woo_channel_get_min_interval (SkChannel *channel)
{
  return MIN_INTERVAL;
}

/* GObject */

static void
sk_woo_channel_finalize (GObject *object)
{
  SkWooChannel *self = SK_WOO_CHANNEL (object);

  g_clear_pointer (&self->limiter, sk_rate_limiter_unref);

  G_OBJECT_CLASS (sk_woo_channel_parent_class)->finalize (object);
}

static void
sk_woo_channel_class_init (SkWooChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SkChannelClass *channel_class = SK_CHANNEL_CLASS (klass);

  object_class->finalize = sk_woo_channel_finalize;

  channel_class->sync_async = sk_woo_channel_sync_async;
  channel_class->test_connection_async = sk_woo_channel_test_connection_async;
  channel_class->get_min_interval = sk_woo_channel_get_min_interval;
}

static void
sk_woo_channel_init (SkWooChannel *self)
{
  self->limiter = sk_rate_limiter_new (BUCKET_SIZE, REFILL_PER_SECOND);
  sk_rate_limiter_set_header_func (self->limiter, read_rate_limit, NULL);
}

/* Public API */

char *
sk_woo_basic_authorization (const char *key,
                            const char *secret)
{
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;
  char *header;

  g_return_val_if_fail (key != NULL && secret != NULL, NULL);

  pair = g_strconcat (key, ":", secret, NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  header = g_strconcat ("Basic ", encoded, NULL);
  sk_secret_wipe (&pair);
  sk_secret_wipe (&encoded);
  return header;
}

SkChannel *
sk_woo_channel_new (SkStore               *store,
                    SkHttp                *http,
                    const SkChannelRecord *record)
{
  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  return g_object_new (SK_TYPE_WOO_CHANNEL,
                       "store", store,
                       "http", http,
                       "record", record,
                       NULL);
}

char *
sk_woo_channel_build_secret (const char *consumer_key,
                             const char *consumer_secret)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (consumer_key != NULL, NULL);
  g_return_val_if_fail (consumer_secret != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "consumer_key");
  json_builder_add_string_value (builder, consumer_key);
  json_builder_set_member_name (builder, "consumer_secret");
  json_builder_add_string_value (builder, consumer_secret);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
sk_woo_channel_parse_secret (const char  *secret,
                             char       **out_consumer_key,
                             char       **out_consumer_secret)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *key;
  const char *value;

  g_return_val_if_fail (out_consumer_key != NULL, FALSE);
  g_return_val_if_fail (out_consumer_secret != NULL, FALSE);

  *out_consumer_key = NULL;
  *out_consumer_secret = NULL;
  if (secret == NULL || !json_parser_load_from_data (parser, secret, -1, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  key = json_object_get_string_member_with_default (object, "consumer_key", NULL);
  value = json_object_get_string_member_with_default (object, "consumer_secret", NULL);
  if (key == NULL || *key == '\0' || value == NULL || *value == '\0' ||
      strchr (key, ':') != NULL)
    return FALSE;
  *out_consumer_key = g_strdup (key);
  *out_consumer_secret = g_strdup (value);
  return TRUE;
}

/* A host name as WordPress sites have: a dot somewhere, or localhost, or
 * an IP address. */
static gboolean
is_site_host (const char *host)
{
  return host != NULL && *host != '\0' &&
         (strchr (host, '.') != NULL || strchr (host, ':') != NULL ||
          g_ascii_strcasecmp (host, "localhost") == 0);
}

char *
sk_woo_normalize_site_url (const char  *input,
                           GError     **error)
{
  const char *cut_at[] = { "/wp-json", "/wp-admin", "/wp-login.php", "/index.php" };
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) site = NULL;
  gsize len;

  g_return_val_if_fail (input != NULL, NULL);

  text = g_strstrip (g_strdup (input));
  if (strstr (text, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("https://", text, NULL);

      g_free (text);
      text = with_scheme;
    }
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || !is_site_host (g_uri_get_host (uri)) || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                   _("“%s” is not a web site address. Enter the address of the WordPress site, for example https://shop.example."),
                   input);
      return NULL;
    }

  /* The site, not a page of it: no query, no fragment, no WordPress path
   * the address may have been copied with. */
  path = g_strdup (g_uri_get_path (uri));
  for (guint i = 0; i < G_N_ELEMENTS (cut_at); i++)
    {
      char *found = strstr (path, cut_at[i]);

      if (found != NULL)
        *found = '\0';
    }
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  site = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, g_uri_get_port (uri),
                      path, NULL, NULL);
  url = g_uri_to_string (site);
  if (!sk_http_check_url (url, error))
    return NULL;
  return g_steal_pointer (&url);
}
