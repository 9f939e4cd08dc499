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
 * anywhere resumes at the first page not committed. The loop is the
 * paged-run engine's (sk-paged-run.c); the rules below stay here.
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

#include "sk-error.h"
#include "sk-paged-run-private.h"
#include "sk-store-import.h"
#include "sk-woo-channel.h"
#include "sk-woo-normalize.h"

#define ACTOR "sync:woocommerce"
#define BUCKET_SIZE 10
#define REFILL_PER_SECOND 5
#define MIN_INTERVAL 60
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

/* A run: the paged-run engine (sk-paged-run.c) with WooCommerce's pages.
 * A page token is the page number ("2"; NULL: page 1); the cursor's token
 * adds what the run knew of the list's size ("2:250", "2:shrunk"). */

typedef struct {
  char     *authorization;  /* "Basic …" as the run began */
  guint     first_page;     /* 1, or where a resumed run goes on */
  guint64   last_total;     /* X-WP-Total of the latest answer */
  gboolean  have_total;
  gboolean  shrunk;         /* orders left the list during the run */
} WooRun;

static void
woo_run_free (WooRun *run)
{
  if (run->authorization != NULL)
    memset (run->authorization, 0, strlen (run->authorization));
  g_free (run->authorization);
  g_free (run);
}

/* The page a token names. */
static guint
token_page (const char *token)
{
  guint64 page;

  if (token == NULL || !g_ascii_string_to_unsigned (token, 10, 1, G_MAXUINT32, &page, NULL))
    return 1;
  return (guint) page;
}

static char *
page_query (const SkSyncCursor *start, guint page)
{
  GString *query = g_string_new ("status=any&per_page=");

  g_string_append_printf (query, "%u&page=%u&orderby=id&order=asc&dates_are_gmt=true",
                          SK_WOO_PER_PAGE, page);
  if (start->high_water > 0)
    {
      g_autoptr(GDateTime) since =
        g_date_time_new_from_unix_utc (MAX (start->high_water - SK_WOO_OVERLAP_SECONDS, 0));
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

/* The page an interrupted run stopped at, with what it knew of the list's
 * size ("N", "N:TOTAL" or "N:shrunk"); NULL: none. */
static char *
run_resume_token (SkPagedRun         *paged,
                  const SkSyncCursor *cursor)
{
  WooRun *run = _sk_paged_run_get_data (paged);
  g_auto(GStrv) parts = NULL;
  guint64 page;
  guint64 total;

  if (cursor->run_started_at == 0 || cursor->page_token == NULL)
    return NULL;
  parts = g_strsplit (cursor->page_token, ":", 2);
  if (parts[0] == NULL ||
      !g_ascii_string_to_unsigned (parts[0], 10, 2, G_MAXUINT32, &page, NULL))
    return NULL;
  if (parts[1] != NULL && g_str_equal (parts[1], "shrunk"))
    run->shrunk = TRUE;
  else if (parts[1] != NULL &&
           g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT64, &total, NULL))
    {
      run->last_total = total;
      run->have_total = TRUE;
    }
  run->first_page = (guint) page;
  g_debug ("Resuming a WooCommerce run at page %u", run->first_page);
  return g_strdup_printf ("%u", run->first_page);
}

static void
run_send_async (SkPagedRun          *paged,
                const char          *token,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  SkWooChannel *self = SK_WOO_CHANNEL (_sk_paged_run_get_channel (paged));
  WooRun *run = _sk_paged_run_get_data (paged);
  g_autoptr(SoupMessageHeaders) headers = request_headers (run->authorization);
  g_autofree char *query = page_query (_sk_paged_run_get_start (paged), token_page (token));
  g_autofree char *url = api_url (self, "orders", query);

  sk_http_send_async (sk_channel_get_http (SK_CHANNEL (self)), "GET", url, headers,
                      NULL, NULL, self->limiter, cancellable, callback, user_data);
}

static SkHttpResponse *
run_send_finish (SkPagedRun    *paged,
                 GObject       *source,
                 GAsyncResult  *result,
                 GError       **error)
{
  return sk_http_send_finish (SK_HTTP (source), result, error);
}

/* X-WP-Total: the progress, and whether orders left the list. */
static void
read_total (SkPagedRun *paged, SkHttpResponse *response)
{
  WooRun *run = _sk_paged_run_get_data (paged);
  guint64 total;

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

  if (_sk_paged_run_get_fetched (paged) == 0 && run->have_total)
    {
      gint64 before = (gint64) (run->first_page - 1) * SK_WOO_PER_PAGE;

      _sk_paged_run_set_expected (paged, MAX ((gint64) run->last_total - before, 0));
    }
}

static SkPagedAnswer
run_read_answer (SkPagedRun      *paged,
                 const char      *token,
                 SkHttpResponse  *response,
                 GBytes         **out_body,
                 char           **out_next,
                 GError         **error)
{
  SkWooChannel *self = SK_WOO_CHANNEL (_sk_paged_run_get_channel (paged));
  WooRun *run = _sk_paged_run_get_data (paged);
  guint page = token_page (token);
  guint next;
  gint count;

  if (is_page_out_of_range (response) && page > 1)
    {
      /* Fewer orders than when the run began: the pages are all read, and
       * an order may have moved onto a page already read. */
      *out_body = g_bytes_new_static ("[]", 2);
      count = 0;
      run->shrunk = TRUE;
    }
  else if (!check_status (self, response, error))
    return SK_PAGED_ANSWER_FAILED;
  else
    {
      *out_body = g_bytes_ref (response->body);
      count = sk_woo_count_page (response->body);
    }
  next = next_page (response, page, count);
  *out_next = next != 0 ? g_strdup_printf ("%u", next) : NULL;

  read_total (paged, response);
  return SK_PAGED_ANSWER_PAGE;
}

static void
run_page_cursor (SkPagedRun   *paged,
                 SkImportPage *page,
                 const char   *next)
{
  WooRun *run = _sk_paged_run_get_data (paged);
  g_autofree char *token = NULL;

  if (next != NULL && run->shrunk)
    token = g_strconcat (next, ":shrunk", NULL);
  else if (next != NULL && run->have_total)
    token = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, next, run->last_total);
  else
    token = g_strdup (next);
  /* On the last page the run is complete in the same transaction. An order
   * modified after the run began may sit on a page already read (see the
   * top of the file): the next run starts from no later than that
   * moment. */
  _sk_paged_run_page_cursor (paged, page, token);
  /* The last page, but orders left the list while the run went on: one
   * may have moved onto a page already read. The next run reads again
   * from where this one started. */
  if (next == NULL && run->shrunk)
    page->cursor.high_water = _sk_paged_run_get_start (paged)->high_water;
}

static void
run_scrub_error (SkChannel *channel,
                 GError    *error)
{
  scrub_error (SK_WOO_CHANNEL (channel), error);
}

static const SkPagedRunFuncs run_funcs = {
  .actor = ACTOR,
  .resume_token = run_resume_token,
  .send_async = run_send_async,
  .send_finish = run_send_finish,
  .read_answer = run_read_answer,
  .normalize = sk_woo_normalize_page,
  .page_cursor = run_page_cursor,
  .scrub_error = run_scrub_error,
};

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
  WooRun *run;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_woo_channel_sync_async);

  basic = authorization (self, &error);
  if (basic == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run = g_new0 (WooRun, 1);
  run->authorization = g_steal_pointer (&basic);
  run->first_page = 1;
  _sk_paged_run_start (task, &run_funcs, run, (GDestroyNotify) woo_run_free);
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
