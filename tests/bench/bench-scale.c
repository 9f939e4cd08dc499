/* bench-scale.c: the order list at 1,000,000 orders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-scale DATABASE [--rebuild] [--orders N]
 *
 * Creates DATABASE with N (default 1,000,000) realistic orders unless it
 * already holds them, then measures SkOrderList on it: construction plus
 * the first 100 rows, random get_item latency, full-text search latency and
 * peak RSS, one line per metric with its target and PASS or MISS. After
 * generating, the program runs itself again so the measurements start in a
 * fresh process.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "sk-order-list.h"
#include "sk-store.h"

#define CHUNK 100000

static const char *first_names[] = {
  "Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas",
  "Karin", "Lukas", "Maria", "Noah", "Olivia", "Paul", "Quentin", "Rosa", "Simon", "Tara",
  "Ulrich", "Vera", "William", "Xenia", "Yusuf", "Zoë", "Amélie", "Björn", "Chloé", "Dario",
  "Elif", "François", "Giulia", "Hannah", "Igor", "Julia", "Kenji", "Lena", "Mateo", "Nina",
  "Oscar", "Priya", "Rafael", "Sofia", "Tomás", "Uma", "Victor", "Wen", "Yara", "Zeynep",
};
static const char *last_names[] = {
  "Müller", "Schmidt", "Martin", "Bernard", "Rossi", "García", "Novak", "Kowalski", "Smith",
  "Johnson", "Brown", "Dubois", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
  "Lefèvre", "Moreau", "Russo", "Ferrari", "Fernández", "López", "Jensen", "Nielsen",
  "Andersson", "Johansson", "Virtanen", "Horváth", "Nagy", "Dvořák", "Silva", "Santos",
  "O'Connor", "Murphy", "Walsh", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts",
  "Nowak", "Popescu", "Ionescu", "Papadopoulos", "Yilmaz", "Kaya", "Tanaka",
};
static const struct { const char *city; const char *country; const char *currency; } places[] = {
  { "Berlin", "DE", "EUR" }, { "Hamburg", "DE", "EUR" }, { "München", "DE", "EUR" },
  { "Köln", "DE", "EUR" }, { "Leipzig", "DE", "EUR" }, { "Paris", "FR", "EUR" },
  { "Lyon", "FR", "EUR" }, { "Marseille", "FR", "EUR" }, { "Wien", "AT", "EUR" },
  { "Zürich", "CH", "CHF" }, { "Genève", "CH", "CHF" }, { "Amsterdam", "NL", "EUR" },
  { "Rotterdam", "NL", "EUR" }, { "Bruxelles", "BE", "EUR" }, { "Madrid", "ES", "EUR" },
  { "Barcelona", "ES", "EUR" }, { "Lisboa", "PT", "EUR" }, { "Porto", "PT", "EUR" },
  { "Roma", "IT", "EUR" }, { "Milano", "IT", "EUR" }, { "København", "DK", "DKK" },
  { "Stockholm", "SE", "SEK" }, { "Oslo", "NO", "NOK" }, { "Helsinki", "FI", "EUR" },
  { "Warszawa", "PL", "PLN" }, { "Kraków", "PL", "PLN" }, { "Praha", "CZ", "CZK" },
  { "Budapest", "HU", "HUF" }, { "Dublin", "IE", "EUR" }, { "London", "GB", "GBP" },
  { "Manchester", "GB", "GBP" }, { "Edinburgh", "GB", "GBP" }, { "New York", "US", "USD" },
  { "Austin", "US", "USD" }, { "Denver", "US", "USD" }, { "Seattle", "US", "USD" },
  { "Toronto", "CA", "CAD" }, { "Montréal", "CA", "CAD" }, { "Sydney", "AU", "AUD" },
  { "Tokyo", "JP", "JPY" },
};
static const char *streets[] = {
  "Hauptstraße", "Rue de la Paix", "Main Street", "Via Roma", "Calle Mayor", "Kungsgatan",
  "Bahnhofstraße", "High Street", "Ringstraße", "Avenida da Liberdade",
};
static const struct { const char *sku; const char *title; } products[] = {
  { "TENT-2P-GRN", "Trail tent 2 person, green" }, { "TENT-2P-ORG", "Trail tent 2 person, orange" },
  { "TENT-4P-BLU", "Family tent 4 person, blue" }, { "TARP-3X3", "Tarp 3 x 3 m" },
  { "BAG-DOWN-M", "Down sleeping bag, M" }, { "BAG-DOWN-L", "Down sleeping bag, L" },
  { "MAT-INFL-R", "Inflatable mat, regular" }, { "PILLOW-AIR", "Air pillow" },
  { "STOVE-MINI", "Mini gas stove" }, { "STOVE-MULTI", "Multi-fuel stove" },
  { "POT-TI-900", "Titanium pot 900 ml" }, { "MUG-TI-450", "Titanium mug 450 ml" },
  { "SPORK-TI", "Titanium spork" }, { "FILTER-SQ", "Squeeze water filter" },
  { "BOTTLE-1L", "Bottle 1 l" }, { "PACK-38L", "Backpack 38 l" }, { "PACK-55L", "Backpack 55 l" },
  { "PACK-DAY-20", "Day pack 20 l" }, { "POLE-CARBON", "Carbon trekking poles" },
  { "LAMP-HEAD-300", "Head lamp 300 lm" }, { "LAMP-LANTERN", "Camp lantern" },
  { "JACKET-RAIN-M", "Rain jacket, M" }, { "JACKET-RAIN-L", "Rain jacket, L" },
  { "FLEECE-M", "Fleece pullover, M" }, { "SOCK-WOOL-M", "Merino socks, M" },
  { "SOCK-WOOL-L", "Merino socks, L" }, { "GLOVE-LINER", "Liner gloves" },
  { "HAT-BEANIE", "Wool beanie" }, { "MAP-ALPS", "Hiking map, Alps" },
  { "KNIFE-FOLD", "Folding knife" }, { "FIRST-AID", "First aid kit" },
  { "COMPASS-PRO", "Baseplate compass" },
};
static const char *order_nicks[] = { "pending", "open", "completed", "cancelled" };
static const char *payment_nicks[] = { "pending", "authorized", "paid", "partially-refunded", "refunded" };
static const char *fulfillment_nicks[] = { "unfulfilled", "partial", "fulfilled", "restocked" };

#define START_TIME 1609459200   /* 2021-01-01 */
#define SPAN (3 * 365 * 86400)

typedef struct
{
  gint64 first_id;
  gint64 count;
  gint64 total;
} Chunk;

static gboolean
fail (SkStoreTxn *txn, GError **error)
{
  return sk_store_txn_set_error (txn, sqlite3_errcode (sk_store_txn_get_db (txn)), error);
}

static gboolean
setup_job (SkStoreTxn *txn, gpointer data, GError **error)
{
  const char *sql =
    "INSERT OR IGNORE INTO channels (id, kind, name, account, base_url, created_at) VALUES"
    " (1, 'shopify', 'Web shop', 'shop.example', 'https://shop.example', 0),"
    " (2, 'woocommerce', 'Outlet', 'outlet.example', 'https://outlet.example', 0),"
    " (3, 'pos', 'Shop floor', 'pos', 'https://pos.example', 0)";

  if (sqlite3_exec (sk_store_txn_get_db (txn), sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (txn, error);
  return TRUE;
}

static gboolean
fill_job (SkStoreTxn *txn, gpointer data, GError **error)
{
  Chunk *chunk = data;
  GRand *rand = g_rand_new_with_seed ((guint32) chunk->first_id);
  sqlite3_stmt *order, *fts;
  char number[32], external[32], email[128], address[256], skus[256], titles[512], tags[64];
  gboolean ok = TRUE;

  order = sk_store_txn_prepare (txn,
                                "INSERT INTO orders (id, channel_id, external_id, number, created_at,"
                                " updated_at, processed_at, currency, subtotal, total_tax, total_shipping,"
                                " total, status, payment_status, fulfillment_status, customer_name,"
                                " email, ship_city, ship_country, item_count, tags, on_hold,"
                                " hold_reason, archived)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error);
  fts = sk_store_txn_prepare (txn,
                              "INSERT INTO orders_fts (rowid, number, customer, email, address, skus, titles)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?)",
                              error);
  if (order == NULL || fts == NULL)
    {
      g_rand_free (rand);
      return FALSE;
    }

  for (gint64 id = chunk->first_id; ok && id < chunk->first_id + chunk->count; id++)
    {
      double age = (double) (id - 1) / (double) chunk->total;   /* 0 oldest .. 1 newest */
      gint64 created = START_TIME + (gint64) (age * SPAN) + g_rand_int_range (rand, 0, 3600);
      gint64 updated = created + g_rand_int_range (rand, 0, 14 * 86400);
      int channel = g_rand_int_range (rand, 0, 10) < 6 ? 1 : (g_rand_boolean (rand) ? 2 : 3);
      const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
      const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
      guint place = g_rand_int_range (rand, 0, G_N_ELEMENTS (places));
      gboolean walk_in = channel == 3 && g_rand_int_range (rand, 0, 3) == 0;
      gboolean recent = age > 0.995;
      int n_lines = g_rand_int_range (rand, 1, 4);
      gint64 subtotal = 0, items = 0;
      g_autofree char *customer = walk_in ? NULL : g_strdup_printf ("%s %s", first, last);
      g_autofree char *lower = NULL;
      int st, pay, ful;

      switch (channel)
        {
        case 1: g_snprintf (number, sizeof number, "#%" G_GINT64_FORMAT, 1000 + id); break;
        case 2: g_snprintf (number, sizeof number, "WC-%07" G_GINT64_FORMAT, id); break;
        default: g_snprintf (number, sizeof number, "POS-%06" G_GINT64_FORMAT, id); break;
        }
      g_snprintf (external, sizeof external, "%" G_GINT64_FORMAT, 4000000000000 + id);
      email[0] = '\0';
      if (customer != NULL)
        {
          lower = g_utf8_strdown (customer, -1);
          g_strdelimit (lower, " '", '.');
          g_snprintf (email, sizeof email, "%s%d@example.com", lower, g_rand_int_range (rand, 1, 99));
        }
      g_snprintf (address, sizeof address, "%s %d, %05d %s, %s",
                  streets[g_rand_int_range (rand, 0, G_N_ELEMENTS (streets))],
                  g_rand_int_range (rand, 1, 200), g_rand_int_range (rand, 1000, 99999),
                  places[place].city, places[place].country);
      skus[0] = titles[0] = '\0';
      for (int l = 0; l < n_lines; l++)
        {
          guint p = g_rand_int_range (rand, 0, G_N_ELEMENTS (products));
          int qty = g_rand_int_range (rand, 1, 4);

          g_strlcat (skus, products[p].sku, sizeof skus);
          g_strlcat (skus, " ", sizeof skus);
          g_strlcat (titles, products[p].title, sizeof titles);
          g_strlcat (titles, "; ", sizeof titles);
          subtotal += qty * (gint64) g_rand_int_range (rand, 5, 400) * 100 + 99;
          items += qty;
        }

      if (recent)
        {
          st = g_rand_int_range (rand, 0, 2);
          pay = g_rand_int_range (rand, 0, 3);
          ful = g_rand_int_range (rand, 0, 2);
        }
      else
        {
          int r = g_rand_int_range (rand, 0, 100);

          st = r < 3 ? 3 : 2;
          pay = st == 3 ? 4 : (r < 6 ? 3 : 2);
          ful = st == 3 ? 3 : 2;
        }
      g_snprintf (tags, sizeof tags, "%s%s", channel == 1 ? "web" : "",
                  g_rand_int_range (rand, 0, 20) == 0 ? ", vip" : "");

      sqlite3_bind_int64 (order, 1, id);
      sqlite3_bind_int (order, 2, channel);
      sqlite3_bind_text (order, 3, external, -1, SQLITE_STATIC);
      sqlite3_bind_text (order, 4, number, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (order, 5, created);
      sqlite3_bind_int64 (order, 6, updated);
      sqlite3_bind_int64 (order, 7, created + 60);
      sqlite3_bind_text (order, 8, places[place].currency, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (order, 9, subtotal);
      sqlite3_bind_int64 (order, 10, subtotal / 5);
      sqlite3_bind_int64 (order, 11, 495);
      sqlite3_bind_int64 (order, 12, subtotal + subtotal / 5 + 495);
      sqlite3_bind_text (order, 13, order_nicks[st], -1, SQLITE_STATIC);
      sqlite3_bind_text (order, 14, payment_nicks[pay], -1, SQLITE_STATIC);
      sqlite3_bind_text (order, 15, fulfillment_nicks[ful], -1, SQLITE_STATIC);
      sqlite3_bind_text (order, 16, customer, -1, SQLITE_STATIC);
      sqlite3_bind_text (order, 17, customer ? email : NULL, -1, SQLITE_STATIC);
      sqlite3_bind_text (order, 18, places[place].city, -1, SQLITE_STATIC);
      sqlite3_bind_text (order, 19, places[place].country, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (order, 20, items);
      sqlite3_bind_text (order, 21, tags, -1, SQLITE_STATIC);
      sqlite3_bind_int (order, 22, recent && g_rand_int_range (rand, 0, 50) == 0);
      sqlite3_bind_null (order, 23);
      /* About a tenth of the orders older than a year are archived. */
      sqlite3_bind_int (order, 24, age < 0.66 && g_rand_int_range (rand, 0, 10) == 0);
      ok = sqlite3_step (order) == SQLITE_DONE;
      sqlite3_reset (order);

      sqlite3_bind_int64 (fts, 1, id);
      sqlite3_bind_text (fts, 2, number, -1, SQLITE_STATIC);
      sqlite3_bind_text (fts, 3, customer, -1, SQLITE_STATIC);
      sqlite3_bind_text (fts, 4, customer ? email : NULL, -1, SQLITE_STATIC);
      sqlite3_bind_text (fts, 5, address, -1, SQLITE_STATIC);
      sqlite3_bind_text (fts, 6, skus, -1, SQLITE_STATIC);
      sqlite3_bind_text (fts, 7, titles, -1, SQLITE_STATIC);
      ok = ok && sqlite3_step (fts) == SQLITE_DONE;
      sqlite3_reset (fts);
    }
  g_rand_free (rand);
  return ok ? TRUE : fail (txn, error);
}

static gint64
count_orders (SkStore *store)
{
  sqlite3_stmt *stmt = sk_store_reader_prepare (store, "SELECT COUNT(*) FROM orders", NULL);
  gint64 n = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

static gboolean
generate (const char *path, gint64 n_orders)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = NULL;
  gint64 start = g_get_monotonic_time ();

  for (const char *suffix = ""; suffix != NULL; suffix = *suffix ? (g_str_equal (suffix, "-wal") ? "-shm" : NULL) : "-wal")
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        {
          g_printerr ("Could not remove %s: %s\n", file, g_strerror (errno));
          return FALSE;
        }
    }

  store = sk_store_open (path, &error);
  if (store == NULL || !sk_store_run_sync (store, setup_job, NULL, &error))
    {
      g_printerr ("Could not create %s: %s\n", path, error->message);
      return FALSE;
    }
  for (gint64 first = 1; first <= n_orders; first += CHUNK)
    {
      Chunk chunk = { first, MIN (CHUNK, n_orders - first + 1), n_orders };

      if (!sk_store_run_sync (store, fill_job, &chunk, &error))
        {
          g_printerr ("Could not fill %s: %s\n", path, error->message);
          return FALSE;
        }
      g_print ("  %" G_GINT64_FORMAT " orders written\r", first + chunk.count - 1);
    }
  sk_store_close (store);
  g_print ("generated %" G_GINT64_FORMAT " orders in %.1f s\n", n_orders,
           (g_get_monotonic_time () - start) / 1e6);
  return TRUE;
}

/* Measuring */

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
percentile (GArray *ms, double p)
{
  guint i;

  g_array_sort (ms, compare_doubles);
  i = (guint) (p * (ms->len - 1) + 0.5);
  return g_array_index (ms, double, MIN (i, ms->len - 1));
}

static gboolean all_pass = TRUE;

static void
report (const char *metric, double value, const char *unit, double target, const char *detail)
{
  gboolean pass = value < target;

  all_pass &= pass;
  g_print ("%-28s %10.3f %-3s (target < %g %s) %s%s%s\n", metric, value, unit, target, unit,
           pass ? "PASS" : "MISS", detail ? "  " : "", detail ? detail : "");
}

/* CPU time of this thread, to tell slow code from a busy machine. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
measure (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = sk_store_open (path, &error);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(SkOrderList) list = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  g_autofree char *detail = NULL;
  const char *terms[] = {
    "müller", "anna", "berlin", "tent", "titanium", "zürich", "WC-00042", "1042",
    "lefevre", "sofia santos", "backpack 55", "pack-38l", "lisboa", "kenji tanaka",
    "#1042", "merino", "o'connor", "rain jacket", "praha", "stove multi",
  };
  struct rusage usage;
  guint n = 0;
  double first_ms;

  if (store == NULL)
    {
      g_printerr ("Could not open %s: %s\n", path, error->message);
      exit (1);
    }
  g_print ("database: %s, %" G_GINT64_FORMAT " orders\n", path, count_orders (store));

  /* Construction and the first 100 rows, 5 fresh lists. */
  for (int round = 0; round < 5; round++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(SkOrderList) fresh = sk_order_list_new (store);

      n = g_list_model_get_n_items (G_LIST_MODEL (fresh));
      for (guint p = 0; p < 100 && p < n; p++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (fresh), p));
      g_array_append_val (times, (double) { ms_since (start) });
    }
  first_ms = g_array_index (times, double, 0);
  detail = g_strdup_printf ("(first run %.1f ms, %u rows in the view)", first_ms, n);
  report ("first 100 rows, median", percentile (times, 0.5), "ms", 100, detail);
  g_clear_pointer (&detail, g_free);

  /* Random access over the whole list. */
  list = sk_order_list_new (store);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_array_set_size (times, 0);
  for (int i = 0; i < 10000; i++)
    {
      guint p = g_rand_int_range (rand, 0, n);
      double cpu_start = thread_cpu_ms ();
      gint64 start = g_get_monotonic_time ();
      SkOrder *order = g_list_model_get_item (G_LIST_MODEL (list), p);

      g_array_append_val (times, (double) { ms_since (start) });
      g_array_append_val (cpu, (double) { thread_cpu_ms () - cpu_start });
      g_assert (order != NULL);
      g_object_unref (order);
    }
  detail = g_strdup_printf ("(p50 %.3f ms, p90 %.3f ms, max %.1f ms; CPU time p50 %.3f ms, p99 %.3f ms)",
                            percentile (times, 0.5), percentile (times, 0.9),
                            percentile (times, 1.0), percentile (cpu, 0.5), percentile (cpu, 0.99));
  report ("random get_item, p99", percentile (times, 0.99), "ms", 1, detail);
  g_clear_pointer (&detail, g_free);

  /* Full-text search: the search, the count and the first 50 rows. */
  g_array_set_size (times, 0);
  g_array_set_size (cpu, 0);
  for (guint t = 0; t < G_N_ELEMENTS (terms); t++)
    {
      double cpu_start = thread_cpu_ms ();
      gint64 start = g_get_monotonic_time ();
      double ms;

      sk_order_list_set_search (list, terms[t]);
      n = g_list_model_get_n_items (G_LIST_MODEL (list));
      for (guint p = 0; p < 50 && p < n; p++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), p));
      ms = ms_since (start);
      g_array_append_val (times, ms);
      g_array_append_val (cpu, (double) { thread_cpu_ms () - cpu_start });
      g_print ("  search %-14s %8u rows %8.1f ms\n", terms[t], n, ms);
    }
  sk_order_list_set_search (list, NULL);
  detail = g_strdup_printf ("(p50 %.1f ms; CPU time p50 %.1f ms, p95 %.1f ms)",
                            percentile (times, 0.5), percentile (cpu, 0.5), percentile (cpu, 0.95));
  report ("search + 50 rows, p95", percentile (times, 0.95), "ms", 50, detail);
  g_clear_pointer (&detail, g_free);

  getrusage (RUSAGE_SELF, &usage);
  report ("peak RSS", usage.ru_maxrss / 1024.0, "MB", 200, NULL);

  g_clear_object (&list);
  sk_store_close (store);
}

int
main (int argc, char *argv[])
{
  gboolean rebuild = FALSE;
  gint64 n_orders = 1000000;
  const char *path = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--rebuild"))
        rebuild = TRUE;
      else if (g_str_equal (argv[i], "--orders") && i + 1 < argc)
        n_orders = g_ascii_strtoll (argv[++i], NULL, 10);
      else if (path == NULL && argv[i][0] != '-')
        path = argv[i];
      else
        path = NULL, i = argc;
    }
  setlocale (LC_ALL, "");
  if (path == NULL || n_orders <= 0)
    {
      g_printerr ("Usage: %s DATABASE [--rebuild] [--orders N]\n", argv[0]);
      return 2;
    }

  if (rebuild || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *orders = g_strdup_printf ("%" G_GINT64_FORMAT, n_orders);
      char *args[] = { argv[0], (char *) path, (char *) "--orders", orders, NULL };

      if (!generate (path, n_orders))
        return 1;
      /* Measure in a fresh process: generating grew the heap. */
      fflush (stdout);
      execv ("/proc/self/exe", args);
      g_printerr ("Could not restart: %s\n", g_strerror (errno));
      return 1;
    }

  measure (path);
  return all_pass ? 0 : 1;
}
