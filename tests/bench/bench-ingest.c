/* bench-ingest.c: how fast orders go from a channel into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Serves N Shopify-shaped orders (default 100,000) from the embedded demo
 * shop over loopback, 250 a page, and syncs them into a fresh database
 * through the real connector (HTTP, normalizer, writer thread, import with
 * events and full-text index). In the same run, the same pages (fetched
 * once beforehand) are loaded by SQLite alone into an identical schema with
 * json_each, and the two are compared. Repeats R times (default 3) and
 * prints medians.
 *
 *   bench-ingest [--orders=N] [--repeat=R]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "sk-channel.h"
#include "sk-demo-shop.h"
#include "sk-shopify-normalize.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"

static int n_orders = 100000;
static int repeat = 3;
static gboolean no_baseline = FALSE;

static GOptionEntry entries[] = {
  { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, "Orders served by the demo shop", "N" },
  { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs of each side", "R" },
  { "no-baseline", 0, 0, G_OPTION_ARG_NONE, &no_baseline, "Only the storekeep side (for profiling)", NULL },
  { NULL }
};

static gint64
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values, guint n)
{
  qsort (values, n, sizeof (double), (GCompareFunc) compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void
remove_db (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      remove (file);
    }
}

/* The pipeline: a fresh store, one channel, one sync. */

static void
on_sync_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = data;

  if (!sk_channel_sync_finish (SK_CHANNEL (source), result, NULL, &error))
    g_error ("sync failed: %s", error->message);
  *done = TRUE;
}

static double
run_pipeline (SkDemoShop *shop, const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkHttp) http = sk_http_new ();
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();
  g_autoptr(SkChannel) channel = NULL;
  gboolean done = FALSE;
  gint64 start, stored;

  remove_db (db_path);
  store = sk_store_open (db_path, &error);
  g_assert_no_error (error);
  record->kind = g_strdup ("shopify");
  record->name = g_strdup ("Bench");
  record->account = g_strdup (sk_demo_shop_get_domain (shop));
  record->base_url = g_strdup (sk_demo_shop_get_base_url (shop));
  record->secret_ref = g_strdup ("bench");
  record->created_at = 1;
  sk_store_add_channel (store, record, &error);
  g_assert_no_error (error);
  channel = sk_channel_new_for_record (store, http, record, &error);
  g_assert_no_error (error);
  sk_channel_set_secret (channel, SK_DEMO_SHOP_TOKEN);

  start = g_get_monotonic_time ();
  sk_channel_sync_async (channel, NULL, on_sync_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  sk_store_close (store);
  {
    double seconds = (g_get_monotonic_time () - start) / 1e6;

    g_clear_object (&channel);
    g_clear_object (&store);
    store = sk_store_open (db_path, &error);
    g_assert_no_error (error);
    stored = sk_store_count_orders (store, 0, &error);
    g_assert_no_error (error);
    if (stored != n_orders)
      g_error ("the pipeline stored %" G_GINT64_FORMAT " orders, expected %d", stored, n_orders);
    sk_store_close (store);
    return seconds;
  }
}

/* The same pages, fetched once, for SQLite alone. */

static GPtrArray *
fetch_pages (SkDemoShop *shop)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  char *url = g_strdup_printf ("%s/admin/api/%s/orders.json?status=any&limit=250",
                               sk_demo_shop_get_base_url (shop), SK_SHOPIFY_API_VERSION);

  while (url != NULL)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr(GError) error = NULL;
      GBytes *body;
      const char *link;
      const char *next;

      soup_message_headers_append (soup_message_get_request_headers (msg),
                                   "X-Shopify-Access-Token", SK_DEMO_SHOP_TOKEN);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_ptr_array_add (pages, body);

      g_clear_pointer (&url, g_free);
      link = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Link");
      next = link ? strstr (link, "rel=\"next\"") : NULL;
      if (next != NULL)
        {
          /* The URL of the rel="next" part: the <…> just before it. */
          const char *end = next;
          const char *open;

          while (end > link && *end != '>')
            end--;
          open = end;
          while (open > link && *open != '<')
            open--;
          url = g_strndup (open + 1, end - open - 1);
        }
    }
  return pages;
}

static void
prepare_or_die (sqlite3 *db, const char *sql, sqlite3_stmt **stmt)
{
  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
}

static void
exec_or_die (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Load every page into the real schema with SQL only: orders, lines,
 * addresses and search text, one transaction a page, as the pipeline does.
 * This is a speed yardstick, not a correct import: it scales amounts by 100
 * through SQLite's floating point (wrong for JPY) and validates nothing. */
static double
run_sqlite_alone (GPtrArray *pages, const char *db_path)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *orders, *lines, *ship, *fts;
  gint64 start;
  double seconds;

  remove_db (db_path);
  {
    /* Create the identical schema through the store's own migrations. */
    g_autoptr(SkStore) store = sk_store_open (db_path, &error);

    g_assert_no_error (error);
    sk_store_close (store);
  }
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  exec_or_die (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                   "INSERT INTO channels (id, kind, name, account, base_url, created_at)"
                   " VALUES (1, 'shopify', 'Bench', 'bench', 'http://127.0.0.1', 1);");

#define ORDER_ITEMS "FROM json_each (?1, '$.orders') AS o"
  prepare_or_die (db,
    "INSERT INTO orders (channel_id, external_id, number, created_at, updated_at, currency,"
    " subtotal, total_tax, total_discounts, total, status, payment_status, fulfillment_status,"
    " payment_code, fulfillment_code, customer_name, email, ship_country, ship_city, item_count, tags, note)"
    " SELECT 1, json_extract (o.value, '$.id'), json_extract (o.value, '$.name'),"
    " unixepoch (json_extract (o.value, '$.created_at')), unixepoch (json_extract (o.value, '$.updated_at')),"
    " json_extract (o.value, '$.currency'),"
    " CAST (round (json_extract (o.value, '$.subtotal_price') * 100) AS INTEGER),"
    " CAST (round (json_extract (o.value, '$.total_tax') * 100) AS INTEGER),"
    " CAST (round (json_extract (o.value, '$.total_discounts') * 100) AS INTEGER),"
    " CAST (round (json_extract (o.value, '$.total_price') * 100) AS INTEGER),"
    " 'open', coalesce (json_extract (o.value, '$.financial_status'), 'unknown'),"
    " coalesce (json_extract (o.value, '$.fulfillment_status'), 'unfulfilled'),"
    " json_extract (o.value, '$.financial_status'), json_extract (o.value, '$.fulfillment_status'),"
    " json_extract (o.value, '$.customer.first_name') || ' ' || json_extract (o.value, '$.customer.last_name'),"
    " json_extract (o.value, '$.email'), json_extract (o.value, '$.shipping_address.country_code'),"
    " json_extract (o.value, '$.shipping_address.city'),"
    " (SELECT sum (json_extract (l.value, '$.quantity')) FROM json_each (o.value, '$.line_items') AS l),"
    " coalesce (json_extract (o.value, '$.tags'), ''), json_extract (o.value, '$.note') "
    ORDER_ITEMS " WHERE true"
    " ON CONFLICT (channel_id, external_id) DO UPDATE SET updated_at = excluded.updated_at",
    &orders);
  prepare_or_die (db,
    "INSERT INTO order_lines (order_id, position, external_id, product_id, variant_id, sku, title,"
    " variant_title, quantity, unit_price, total_discount)"
    " SELECT (SELECT id FROM orders WHERE channel_id = 1 AND external_id = json_extract (o.value, '$.id')),"
    " l.key, json_extract (l.value, '$.id'), json_extract (l.value, '$.product_id'),"
    " json_extract (l.value, '$.variant_id'), json_extract (l.value, '$.sku'),"
    " json_extract (l.value, '$.title'), json_extract (l.value, '$.variant_title'),"
    " json_extract (l.value, '$.quantity'),"
    " CAST (round (json_extract (l.value, '$.price') * 100) AS INTEGER),"
    " CAST (round (json_extract (l.value, '$.total_discount') * 100) AS INTEGER) "
    ORDER_ITEMS ", json_each (o.value, '$.line_items') AS l",
    &lines);
  prepare_or_die (db,
    "INSERT INTO addresses (order_id, kind, name, line1, city, region_code, postcode, country_code)"
    " SELECT (SELECT id FROM orders WHERE channel_id = 1 AND external_id = json_extract (o.value, '$.id')),"
    " 'shipping', json_extract (o.value, '$.shipping_address.name'),"
    " json_extract (o.value, '$.shipping_address.address1'), json_extract (o.value, '$.shipping_address.city'),"
    " json_extract (o.value, '$.shipping_address.province_code'), json_extract (o.value, '$.shipping_address.zip'),"
    " json_extract (o.value, '$.shipping_address.country_code') "
    ORDER_ITEMS " WHERE json_extract (o.value, '$.shipping_address') IS NOT NULL",
    &ship);
  prepare_or_die (db,
    "INSERT INTO orders_fts (rowid, number, customer, email, address, skus, titles)"
    " SELECT (SELECT id FROM orders WHERE channel_id = 1 AND external_id = json_extract (o.value, '$.id')),"
    " json_extract (o.value, '$.name'),"
    " json_extract (o.value, '$.customer.first_name') || ' ' || json_extract (o.value, '$.customer.last_name'),"
    " json_extract (o.value, '$.email'),"
    " json_extract (o.value, '$.shipping_address.city') || ' ' || json_extract (o.value, '$.shipping_address.country_code'),"
    " (SELECT group_concat (json_extract (l.value, '$.sku'), ' ') FROM json_each (o.value, '$.line_items') AS l),"
    " (SELECT group_concat (json_extract (l.value, '$.title'), ' ') FROM json_each (o.value, '$.line_items') AS l) "
    ORDER_ITEMS,
    &fts);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < pages->len; i++)
    {
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (pages, i), &len);
      sqlite3_stmt *steps[] = { orders, lines, ship, fts };

      exec_or_die (db, "BEGIN IMMEDIATE");
      for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
        {
          sqlite3_bind_text (steps[s], 1, data, (int) len, SQLITE_STATIC);
          if (sqlite3_step (steps[s]) != SQLITE_DONE)
            g_error ("json_each load: %s", sqlite3_errmsg (db));
          sqlite3_reset (steps[s]);
        }
      exec_or_die (db, "COMMIT");
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;

  sqlite3_finalize (orders);
  sqlite3_finalize (lines);
  sqlite3_finalize (ship);
  sqlite3_finalize (fts);
  sqlite3_close (db);
  return seconds;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— ingest benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(SkDemoShop) shop = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_a = NULL;
  g_autofree char *db_b = NULL;
  g_autofree double *pipeline = NULL;
  g_autofree double *alone = NULL;
  double p_med, a_med;
  gint64 pipeline_rss_kb;

  setvbuf (stdout, NULL, _IOLBF, 0);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_orders <= 0 || repeat <= 0)
    {
      g_printerr ("%s\n", error ? error->message : "--orders and --repeat must be positive");
      return 2;
    }

  dir = g_dir_make_tmp ("storekeep-bench-XXXXXX", &error);
  g_assert_no_error (error);
  db_a = g_build_filename (dir, "pipeline.db", NULL);
  db_b = g_build_filename (dir, "sqlite-alone.db", NULL);

  shop = sk_demo_shop_new (42, n_orders);
  /* The bench measures our pipeline, not Shopify's leaky bucket: the
   * connector reads the bucket size from the call-limit header and leaks
   * a twentieth of it a second, so a bucket this large never throttles. */
  sk_demo_shop_set_rate_limit (shop, 100000, 5000);
  sk_demo_shop_start (shop, &error);
  g_assert_no_error (error);

  pipeline = g_new (double, repeat);
  alone = g_new (double, repeat);

  /* The first pipeline run comes before the pages are fetched for SQLite
   * alone, so the peak RSS it reports is the pipeline's own. */
  pipeline[0] = run_pipeline (shop, db_a);
  pipeline_rss_kb = peak_rss_kb ();
  if (no_baseline)
    {
      g_print ("storekeep: %.2f s (%.0f orders/s), peak RSS %.1f MB\n", pipeline[0],
               n_orders / pipeline[0], pipeline_rss_kb / 1024.0);
      sk_demo_shop_stop (shop);
      remove_db (db_a);
      g_rmdir (dir);
      return 0;
    }

  pages = fetch_pages (shop);
  g_print ("orders: %d in %u pages of 250 from %s\n", n_orders, pages->len, sk_demo_shop_get_base_url (shop));

  /* Alternate A and B so machine noise hits both alike. */
  for (int i = 0; i < repeat; i++)
    {
      if (i > 0)
        pipeline[i] = run_pipeline (shop, db_a);
      alone[i] = run_sqlite_alone (pages, db_b);
      g_print ("run %d: storekeep %.2f s (%.0f orders/s), sqlite alone %.2f s (%.0f orders/s)\n",
               i + 1, pipeline[i], n_orders / pipeline[i], alone[i], n_orders / alone[i]);
    }

  p_med = median (pipeline, repeat);
  a_med = median (alone, repeat);
  g_print ("median storekeep ingest: %.0f orders/s (%.2f s)  [target >= 10000 orders/s: %s]\n",
           n_orders / p_med, p_med, n_orders / p_med >= 10000 ? "PASS" : "MISS");
  g_print ("median sqlite alone (json_each): %.0f orders/s (%.2f s)\n", n_orders / a_med, a_med);
  g_print ("ratio storekeep / sqlite alone: %.2fx  [target <= 3x: %s]\n",
           p_med / a_med, p_med / a_med <= 3.0 ? "PASS" : "MISS");
  g_print ("peak RSS during the first storekeep ingest (demo shop included): %.1f MB\n",
           pipeline_rss_kb / 1024.0);

  sk_demo_shop_stop (shop);
  remove_db (db_a);
  remove_db (db_b);
  g_rmdir (dir);
  return 0;
}
