/* bench-inventory.c: availability and stock pushes at catalog scale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fresh profile with S SKUs (default 50,000) listed on 3 channels, each
 * channel with a listing rule (and every tenth SKU with an override),
 * stock at one location. The catalog arrives the way the catalog pull
 * writes it (sk_store_upsert_listings_sync: SKUs created and counted from
 * the first channel, matched by SKU on the others); a first full
 * recompute queues the pushes the rules call for, and the pusher is
 * simulated by confirming them all. Then N orders (default 10,000; 1–3
 * lines, spread over the 3 channels) are imported in pages of 250 through
 * sk_store_import_sync, and one engine pass applies their reservations
 * and recomputes availability and push decisions for every SKU and
 * listing. A second full pass with nothing changed shows the cost of the
 * decisions alone. Repeats R times (default 3) and prints medians and the
 * outbox rows written.
 *
 *   bench-inventory [--skus=S] [--orders=N] [--repeat=R] [--dir=DIR [--keep]]
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "sk-inventory.h"
#include "sk-order.h"
#include "sk-store-channels.h"
#include "sk-store-import.h"
#include "sk-store-inventory.h"

static int n_skus = 50000;
static int n_orders = 10000;
static int repeat = 3;
static char *dir = NULL;
static gboolean keep = FALSE;

static GOptionEntry entries[] = {
  { "skus", 0, 0, G_OPTION_ARG_INT, &n_skus, "SKUs in the catalog", "S" },
  { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, "Orders imported", "N" },
  { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs", "R" },
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the database goes (default: a temporary folder)", "DIR" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the last run's database (with --dir)", NULL },
  { NULL }
};

#define N_CHANNELS 3

typedef struct
{
  double catalog;      /* upsert of 3 × S listings, SKUs created and counted */
  double first;        /* first full recompute: pushes the rules call for */
  double import;       /* N orders */
  double pass;         /* reservations + availability + push decisions, all SKUs */
  double idle;         /* the same with nothing changed */
  double one;          /* one more order: its pass (marked SKUs only) */
  double check;        /* sk_store_check_stock_consistency */
  SkInventoryReport first_report;
  SkInventoryReport pass_report;
  SkInventoryReport idle_report;
  SkInventoryReport one_report;
  gint64 outbox_after_pass;
  gint64 pending_after_pass;
} Run;

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
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

static double
median_of (const Run *runs, double *values, glong offset)
{
  for (int r = 0; r < repeat; r++)
    values[r] = G_STRUCT_MEMBER (double, &runs[r], offset);
  return median (values, repeat);
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

static gint64
query_int (SkStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (sk_store_get_reader (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (sk_store_get_reader (store)));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gint64
add_channel (SkStore *store, const char *kind, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();

  record->kind = g_strdup (kind);
  record->name = g_strdup (name);
  record->account = g_strdup (name);
  record->base_url = g_strdup ("http://127.0.0.1:1");
  record->created_at = 1;
  if (!sk_store_add_channel (store, record, &error))
    g_error ("%s", error->message);
  return record->id;
}

static void
load_catalog (SkStore *store, const gint64 *channels, GRand *rand)
{
  for (guint c = 0; c < N_CHANNELS; c++)
    {
      g_autoptr(GPtrArray) listings = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
      g_autoptr(GError) error = NULL;
      SkListingUpsertResult result;

      for (int i = 0; i < n_skus; i++)
        {
          g_autofree char *product = g_strdup_printf ("%u%07d", c + 1, i);
          SkListing *l = sk_listing_new (product, c == 0 ? "1" : NULL);

          l->sku = g_strdup_printf ("SKU-%06d", i);
          l->title = g_strdup_printf ("Product %d", i);
          l->inventory_ref = g_strdup_printf ("9%07d", i);
          l->location_ref = g_strdup ("1");
          /* What each channel shows before Storekeep: the first one is
           * right (it seeds the counts), the others are stale. */
          l->channel_quantity = g_rand_int_range (rand, 0, 60);
          g_ptr_array_add (listings, l);
        }
      if (!sk_store_upsert_listings_sync (store, channels[c], listings,
                                          c == 0 ? SK_LISTING_UPSERT_CREATE_SKUS | SK_LISTING_UPSERT_SEED_STOCK
                                                 : SK_LISTING_UPSERT_NONE,
                                          &result, &error))
        g_error ("%s", error->message);
      if (result.inserted != (guint) n_skus || result.unmatched != 0)
        g_error ("catalog: %u inserted, %u unmatched", result.inserted, result.unmatched);
    }
}

static void
set_rules (SkStore *store, const gint64 *channels)
{
  g_autoptr(GError) error = NULL;
  SkListingRule rule;

  /* The web shop shows everything; the marketplace keeps 2 back and shows
   * 80 %, at most 40; the third stops below 3. */
  for (guint c = 1; c < N_CHANNELS; c++)
    {
      sk_listing_rule_init (&rule);
      rule.channel_id = channels[c];
      rule.buffer = c == 1 ? 2 : 0;
      rule.percent = c == 1 ? 80 : 100;
      rule.maximum = c == 1 ? 40 : -1;
      rule.stop_below = c == 2 ? 3 : 0;
      if (!sk_store_set_listing_rule (store, &rule, &error))
        g_error ("%s", error->message);
    }
}

static void
set_overrides (SkStore *store, const gint64 *channels)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = sk_store_get_reader (store);
  char *message = NULL;
  g_autofree char *sql = NULL;

  /* Every tenth SKU has its own rule on the marketplace: one statement,
   * as a bulk edit would be; then everything is marked for recompute. */
  sql = g_strdup_printf ("INSERT INTO listing_rules (channel_id, sku_id, buffer, percent, maximum,"
                         " stop_below, updated_at) SELECT %" G_GINT64_FORMAT ", id, 5, 100, 10, 0, 1"
                         " FROM skus WHERE id %% 10 = 0", channels[1]);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
}

/* The pusher, simulated: every pending push was accepted. */
static void
confirm_all (SkStore *store)
{
  sqlite3 *db = sk_store_get_reader (store);
  char *message = NULL;

  if (sqlite3_exec (db,
                    "BEGIN;"
                    "UPDATE listings SET confirmed_quantity = json_extract (o.payload, '$.quantity')"
                    " FROM outbox o WHERE o.subject_type = 'listing' AND o.subject_id = listings.id"
                    " AND o.state = 'pending';"
                    "UPDATE outbox SET state = 'sent', sent_at = 1 WHERE state = 'pending';"
                    "COMMIT;",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
}

static SkOrder *
make_order (gint64 channel_id, int n, GRand *rand)
{
  SkOrder *order = sk_order_new ();
  g_autofree char *external_id = g_strdup_printf ("%d", 100000 + n);
  g_autofree char *number = g_strdup_printf ("#%d", 1000 + n);
  guint n_lines = g_rand_int_range (rand, 1, 4);
  gint64 total = 0;

  sk_order_set_channel_id (order, channel_id);
  sk_order_set_external_id (order, external_id);
  sk_order_set_number (order, number);
  sk_order_set_created_at (order, 1700000000 + n);
  sk_order_set_updated_at (order, 1700000000 + n);
  sk_order_set_currency (order, "EUR");
  sk_order_set_status (order, SK_ORDER_STATUS_OPEN, "open");
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_PAID, "paid");
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_UNFULFILLED, NULL);
  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(SkOrderLine) line = sk_order_line_new ();

      line->external_id = g_strdup_printf ("%s-%u", external_id, i);
      /* A fifth of the catalog sells most. */
      line->sku = g_strdup_printf ("SKU-%06d", g_rand_int_range (rand, 0, g_rand_boolean (rand) ? n_skus / 5 : n_skus));
      line->title = g_strdup ("Product");
      line->quantity = g_rand_int_range (rand, 1, 3);
      line->unit_price = 1999;
      total += line->quantity * line->unit_price;
      sk_order_add_line (order, line);
    }
  sk_order_set_item_count (order, sk_order_get_item_count (order));
  sk_order_set_subtotal (order, total);
  sk_order_set_total (order, total);
  return order;
}

static void
import_orders (SkStore *store, const gint64 *channels, GRand *rand)
{
  for (int done = 0; done < n_orders;)
    {
      g_autoptr(GError) error = NULL;
      gint64 channel_id = channels[(done / 250) % N_CHANNELS];
      SkImportPage *page = sk_import_page_new (channel_id, "orders", NULL);
      int end = MIN (done + 250, n_orders);

      for (; done < end; done++)
        g_ptr_array_add (page->orders, make_order (channel_id, done, rand));
      if (!sk_store_import_sync (store, page, NULL, &error))
        g_error ("%s", error->message);
    }
}

static void
run_pass (SkInventory *inventory, gboolean catch_up, SkInventoryReport *report, double *seconds)
{
  g_autoptr(GError) error = NULL;
  double start = now_s ();

  if (!sk_inventory_run_sync (inventory, NULL, 0, catch_up, TRUE, report, &error))
    g_error ("%s", error->message);
  *seconds = now_s () - start;
}

static void
run_once (const char *db_path, guint seed, Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkInventory) inventory = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint64 channels[N_CHANNELS];
  gint64 outbox_before;
  double start;

  remove_db (db_path);
  store = sk_store_open (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  if (!sk_store_set_stock_tracking_since (store, 0, &error))
    g_error ("%s", error->message);
  channels[0] = add_channel (store, "shopify", "Web shop");
  channels[1] = add_channel (store, "amazon", "Marketplace");
  channels[2] = add_channel (store, "woocommerce", "Second shop");
  inventory = sk_inventory_new (store);

  start = now_s ();
  load_catalog (store, channels, rand);
  run->catalog = now_s () - start;
  set_rules (store, channels);
  set_overrides (store, channels);

  run_pass (inventory, FALSE, &run->first_report, &run->first);
  confirm_all (store);

  start = now_s ();
  import_orders (store, channels, rand);
  run->import = now_s () - start;

  outbox_before = query_int (store, "SELECT count(*) FROM outbox");
  run_pass (inventory, TRUE, &run->pass_report, &run->pass);
  run->outbox_after_pass = query_int (store, "SELECT count(*) FROM outbox") - outbox_before;
  run->pending_after_pass = query_int (store, "SELECT count(*) FROM outbox WHERE state = 'pending'");
  if (run->pending_after_pass != (gint64) (run->pass_report.pushes_queued))
    g_error ("pending rows %" G_GINT64_FORMAT " but %u queued", run->pending_after_pass,
             run->pass_report.pushes_queued);
  if (query_int (store, "SELECT count(*) FROM outbox WHERE json_extract (payload, '$.quantity') < 0") != 0)
    g_error ("a negative quantity was queued");

  run_pass (inventory, FALSE, &run->idle_report, &run->idle);
  if (run->idle_report.pushes_queued + run->idle_report.pushes_coalesced != 0)
    g_error ("a pass with nothing changed pushed something");

  /* The steady state: one order arrives, one pass follows. */
  {
    SkImportPage *page = sk_import_page_new (channels[1], "orders", NULL);

    g_ptr_array_add (page->orders, make_order (channels[1], n_orders, rand));
    if (!sk_store_import_sync (store, page, NULL, &error))
      g_error ("%s", error->message);
    start = now_s ();
    if (!sk_inventory_run_sync (inventory, NULL, 0, TRUE, FALSE, &run->one_report, &error))
      g_error ("%s", error->message);
    run->one = now_s () - start;
    if (run->one_report.orders_applied != 1)
      g_error ("the last order was not applied");
  }

  start = now_s ();
  if (!sk_store_check_stock_consistency (store, &error))
    g_error ("%s", error->message);
  run->check = now_s () - start;

  g_clear_object (&inventory);
  sk_store_close (store);
}

static gint64
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— benchmark the inventory engine");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *db_path = NULL;
  g_autofree Run *runs = NULL;
  double *values;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  repeat = MAX (repeat, 1);

  if (dir == NULL)
    tmp = g_dir_make_tmp ("bench-inventory-XXXXXX", &error);
  db_path = g_build_filename (dir ? dir : tmp, "inventory.db", NULL);
  runs = g_new0 (Run, repeat);
  values = g_new0 (double, repeat);

  printf ("bench-inventory: %d SKUs × %d channels (%d listings), %d orders, %d runs\n",
          n_skus, N_CHANNELS, n_skus * N_CHANNELS, n_orders, repeat);
  for (int r = 0; r < repeat; r++)
    {
      run_once (db_path, 42 + r, &runs[r]);
      printf ("  run %d: catalog %.2f s, first pass %.2f s, import %.2f s, pass %.2f s, idle pass %.2f s,"
              " one order %.1f ms, check %.2f s\n",
              r + 1, runs[r].catalog, runs[r].first, runs[r].import, runs[r].pass, runs[r].idle,
              runs[r].one * 1000, runs[r].check);
      fflush (stdout);
    }

#define MEDIAN(field) median_of (runs, values, G_STRUCT_OFFSET (Run, field))

  printf ("medians of %d runs:\n", repeat);
  printf ("  catalog upsert (%d listings, %d SKUs created and counted): %.2f s\n",
          n_skus * N_CHANNELS, n_skus, MEDIAN (catalog));
  printf ("  first full pass (rules applied to stale channel counts): %.2f s\n", MEDIAN (first));
  printf ("  import of %d orders: %.2f s\n", n_orders, MEDIAN (import));
  printf ("  pass after the import (reservations, availability and push decisions for all %d SKUs × %d channels): %.2f s\n",
          n_skus, N_CHANNELS, MEDIAN (pass));
  printf ("  full pass with nothing changed: %.2f s\n", MEDIAN (idle));
  printf ("  one more order, its pass (catch-up scan of the orders included): %.1f ms\n", MEDIAN (one) * 1000);
  printf ("  consistency check (ledger vs levels): %.2f s\n", MEDIAN (check));
  printf ("last run:\n");
  {
    Run *last = &runs[repeat - 1];

    printf ("  first pass: %u SKUs, %u outbox rows queued\n",
            last->first_report.skus_recomputed, last->first_report.pushes_queued);
    printf ("  after the import: %u orders applied, %u reservation rows, %u SKUs recomputed,"
            " %u listing targets changed, outbox rows written %" G_GINT64_FORMAT
            " (queued %u, coalesced %u, withdrawn %u), pending %" G_GINT64_FORMAT "\n",
            last->pass_report.orders_applied, last->pass_report.reservations_changed,
            last->pass_report.skus_recomputed, last->pass_report.targets_changed,
            last->outbox_after_pass, last->pass_report.pushes_queued,
            last->pass_report.pushes_coalesced, last->pass_report.pushes_withdrawn,
            last->pending_after_pass);
    printf ("  one more order: %u SKUs recomputed, %u outbox rows queued, %u coalesced\n",
            last->one_report.skus_recomputed, last->one_report.pushes_queued,
            last->one_report.pushes_coalesced);
    printf ("  problems opened %u (stock-outs and low stock), nothing changed pass: %u rows\n",
            last->pass_report.problems_opened,
            last->idle_report.pushes_queued + last->idle_report.pushes_coalesced);
  }
  printf ("peak RSS: %" G_GINT64_FORMAT " MiB\n", peak_rss_kb () / 1024);

  if (!keep || dir == NULL)
    remove_db (db_path);
  if (tmp != NULL)
    g_rmdir (tmp);
  g_free (values);
  return 0;
}
