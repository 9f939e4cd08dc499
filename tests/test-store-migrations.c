/* test-store-migrations.c: schema migrations by PRAGMA user_version
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sk-error.h"
#include "sk-order.h"
#include "sk-store.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-store-private.h"
#include "sk-store-problems.h"
#include "sk-test-util.h"

#define SQL_DIR "/io/github/storekeep/Storekeep/core/sql"

typedef struct
{
  char *tmpdir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->tmpdir = sk_test_tmpdir_new ();
  f->path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->path);
  sk_test_tmpdir_free (f->tmpdir);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  return db;
}

static void
exec_raw (sqlite3    *db,
          const char *sql)
{
  char *errmsg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    g_error ("%s: %s", sql, errmsg);
}

static gint64
query_raw (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
has_column (sqlite3    *db,
            const char *table,
            const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pragma_table_info ('%s')"
                                          " WHERE name = '%s'", table, column);

  return query_raw (db, sql) == 1;
}

static int
user_version_of (const char *path)
{
  sqlite3 *db = open_raw (path);
  int version = (int) query_raw (db, "PRAGMA user_version");

  sqlite3_close (db);
  return version;
}

/* The shipped migrations are numbered 1 … latest without gaps. */
static void
test_resources (void)
{
  g_auto(GStrv) names = g_resources_enumerate_children (SQL_DIR, 0, NULL);
  int latest = sk_store_get_latest_version ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  g_assert_nonnull (names);
  g_assert_cmpint (latest, >=, 2);
  g_assert_cmpuint (g_strv_length (names), ==, (guint) latest);
  for (guint i = 0; names[i] != NULL; i++)
    {
      int version = (int) g_ascii_strtoll (names[i], NULL, 10);

      g_assert_true (g_str_has_suffix (names[i], ".sql"));
      g_assert_cmpint (version, >=, 1);
      g_assert_cmpint (version, <=, latest);
      g_assert_false (g_hash_table_contains (seen, GINT_TO_POINTER (version)));
      g_hash_table_add (seen, GINT_TO_POINTER (version));
    }
}

static void
assert_latest_schema (sqlite3 *db)
{
  g_assert_cmpint (query_raw (db, "PRAGMA user_version"), ==, sk_store_get_latest_version ());
  g_assert_true (has_column (db, "channels", "removed_at"));
  g_assert_true (has_column (db, "orders", "local_tags"));
  g_assert_cmpint (query_raw (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                                  " AND name = 'orders_fts_delete'"), ==, 1);
  g_assert_cmpint (query_raw (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

static void
test_from_empty (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = sk_store_open (f->path, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  g_assert_cmpint (sk_store_get_schema_version (store), ==, sk_store_get_latest_version ());
  assert_latest_schema (sk_store_get_reader (store));
  g_clear_object (&store);

  /* Opening again applies nothing and keeps the version. */
  store = sk_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sk_store_get_schema_version (store), ==, sk_store_get_latest_version ());
  g_clear_object (&store);

  db = open_raw (f->path);
  assert_latest_schema (db);
  sqlite3_close (db);
}

/* Data as a version-1 database held it. */
static void
fill_version_1 (sqlite3 *db)
{
  exec_raw (db,
            "INSERT INTO channels (id, kind, name, account, base_url, secret_ref, created_at)"
            " VALUES (1, 'shopify', 'Acme', 'acme.myshopify.com', 'https://acme.myshopify.com',"
            " 'shopify:acme', 1700000000);"
            "INSERT INTO customers (id, channel_id, external_id, name, email)"
            " VALUES (1, 1, '777', 'Ada Lovelace', 'ada@example.com');"
            "INSERT INTO orders (id, channel_id, external_id, number, customer_id, created_at,"
            " updated_at, currency, subtotal, total, status, payment_status, fulfillment_status,"
            " customer_name, email, ship_country, ship_city, item_count, tags, on_hold, hold_reason)"
            " VALUES (1, 1, '450789469', '#1001', 1, 1700000000, 1700000100, 'USD', 59800,"
            " 60900, 'open', 'paid', 'unfulfilled', 'Ada Lovelace', 'ada@example.com', 'US',"
            " 'Louisville', 2, 'vip, wholesale', 1, 'Check address');"
            "INSERT INTO addresses (order_id, kind, name, line1, city, country_code)"
            " VALUES (1, 'shipping', 'Ada Lovelace', '2259 Park Ct', 'Louisville', 'US');"
            "INSERT INTO order_lines (order_id, position, sku, title, quantity, unit_price)"
            " VALUES (1, 0, 'IPOD2008PINK', 'IPod Nano - 8gb', 2, 29900);"
            "INSERT INTO orders_fts (rowid, number, customer, email, address, skus, titles)"
            " VALUES (1, '#1001', 'Ada Lovelace', 'ada@example.com', '2259 Park Ct, Louisville',"
            " 'IPOD2008PINK', 'IPod Nano - 8gb');"
            "INSERT INTO events (at, actor, subject_type, subject_id, what)"
            " VALUES (1700000200, 'sync:shopify', 'order', 1, 'imported');"
            "INSERT INTO sync_cursors (channel_id, resource, high_water, updated_at)"
            " VALUES (1, 'orders', 1700000100, 1700000200);"
            "INSERT INTO dead_letters (channel_id, resource, external_id, reason, raw, created_at)"
            " VALUES (1, 'orders', '9', 'Bad total', X'7B7D', 1700000300);"
            "INSERT INTO exceptions (kind, dedup_key, channel_id, message, opened_at)"
            " VALUES ('channel-auth', 'auth:1', 1, 'Token refused.', 1700000400);");
}

static void
assert_version_1_data (SkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  SkSyncCursor cursor = { 0, };
  sqlite3 *db = sk_store_get_reader (store);

  channels = sk_store_list_channels (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (channels->len, ==, 1);
  g_assert_cmpstr (((SkChannelRecord *) channels->pdata[0])->secret_ref, ==, "shopify:acme");
  g_assert_cmpint (((SkChannelRecord *) channels->pdata[0])->removed_at, ==, 0);

  order = sk_store_find_order (store, 1, "450789469", &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);
  g_assert_cmpstr (sk_order_get_number (order), ==, "#1001");
  g_assert_cmpint (sk_order_get_total (order), ==, 60900);
  g_assert_cmpint (sk_order_get_payment_status (order), ==, SK_PAYMENT_STATUS_PAID);
  g_assert_cmpstr (sk_order_get_customer_id (order), ==, "777");
  g_assert_true (sk_order_get_on_hold (order));
  g_assert_cmpstr (sk_order_get_hold_reason (order), ==, "Check address");
  g_assert_true (sk_order_has_tag (order, "wholesale"));
  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, 1);
  g_assert_cmpint (sk_order_get_item_count (order), ==, 2);
  g_assert_nonnull (sk_order_get_shipping_address (order));

  events = sk_store_list_events (store, "order", 1, &error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_true (sk_store_get_cursor (store, 1, "orders", &cursor, &error));
  g_assert_cmpint (cursor.high_water, ==, 1700000100);
  g_assert_cmpint (sk_store_count_dead_letters (store, 1, &error), ==, 1);
  problems = sk_store_list_problems (store, &error);
  g_assert_cmpuint (problems->len, ==, 1);

  g_assert_cmpint (query_raw (db, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'ipod*'"), ==, 1);
  g_assert_cmpint (query_raw (db, "SELECT count(*) FROM orders WHERE local_tags = ''"), ==, 1);
}

/* Every earlier version is brought up to date with its data intact. */
static void
test_from_each_version (Fixture       *f,
                        gconstpointer  data)
{
  int latest = sk_store_get_latest_version ();

  for (int version = 1; version < latest; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SkStore) store = NULL;
      sqlite3 *db;

      g_test_message ("from version %d to %d", version, latest);
      g_remove (f->path);

      db = open_raw (f->path);
      g_assert_true (_sk_store_migrate (db, version, &error));
      g_assert_no_error (error);
      g_assert_cmpint (query_raw (db, "PRAGMA user_version"), ==, version);
      fill_version_1 (db);
      sqlite3_close (db);

      store = sk_store_open (f->path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sk_store_get_schema_version (store), ==, latest);
      assert_latest_schema (sk_store_get_reader (store));
      assert_version_1_data (store);

      /* The new trigger works on migrated rows: removing the channel with
       * its orders takes their search rows. */
      g_assert_true (sk_store_remove_channel (store, 1, TRUE, &error));
      g_assert_no_error (error);
      g_assert_cmpint (query_raw (sk_store_get_reader (store), "SELECT count(*) FROM orders_fts"), ==, 0);

      g_clear_object (&store);
      g_remove (f->path);
      {
        g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
        g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

        g_remove (wal);
        g_remove (shm);
      }
    }
}

static void
test_too_new (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d",
                                                  sk_store_get_latest_version () + 1);
  sqlite3 *db = open_raw (f->path);

  exec_raw (db, "CREATE TABLE future (x INTEGER)");
  exec_raw (db, set_version);
  sqlite3_close (db);

  store = sk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Storekeep"));
  g_assert_nonnull (strstr (error->message, "Update Storekeep"));

  /* The file was not touched. */
  g_assert_cmpint (user_version_of (f->path), ==, sk_store_get_latest_version () + 1);
  db = open_raw (f->path);
  g_assert_cmpint (query_raw (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'channels'"), ==, 0);
  sqlite3_close (db);
}

/* A migration that fails half-way leaves the database as it was. */
static void
test_failure_rolls_back (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = NULL;
  sqlite3 *db = open_raw (f->path);

  /* A damaged version-1 database: migration 2 can alter channels but
   * not orders. */
  exec_raw (db, "CREATE TABLE channels (id INTEGER PRIMARY KEY, kind TEXT);"
                "INSERT INTO channels (kind) VALUES ('shopify');"
                "PRAGMA user_version = 1;");
  sqlite3_close (db);

  store = sk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "not changed"));

  db = open_raw (f->path);
  g_assert_cmpint (query_raw (db, "PRAGMA user_version"), ==, 1);
  g_assert_false (has_column (db, "channels", "removed_at"));
  g_assert_cmpint (query_raw (db, "SELECT count(*) FROM channels"), ==, 1);
  sqlite3_close (db);
}

static void
test_not_a_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autofree char *junk = g_strnfill (8192, 'x');

  g_file_set_contents (f->path, junk, -1, &error);
  g_assert_no_error (error);

  store = sk_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "not a Storekeep database"));
}

/* Migrating a raw connection step by step reaches the same schema as
 * migrating at once. */
static void
test_stepwise_equals_direct (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = g_build_filename (f->tmpdir, "direct.db", NULL);
  const char *schema_sql = "SELECT group_concat (type || name || coalesce (sql, ''), '|')"
                           " FROM (SELECT * FROM sqlite_schema ORDER BY type, name)";
  sqlite3 *stepwise = open_raw (f->path);
  sqlite3 *direct = open_raw (other);
  sqlite3_stmt *a = NULL, *b = NULL;

  for (int v = 1; v <= sk_store_get_latest_version (); v++)
    {
      g_assert_true (_sk_store_migrate (stepwise, v, &error));
      g_assert_no_error (error);
      g_assert_cmpint (query_raw (stepwise, "PRAGMA user_version"), ==, v);
    }
  g_assert_true (_sk_store_migrate (direct, -1, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (stepwise, schema_sql, -1, &a, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (direct, schema_sql, -1, &b, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (a), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_step (b), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (a, 0), ==,
                   (const char *) sqlite3_column_text (b, 0));
  sqlite3_finalize (a);
  sqlite3_finalize (b);
  sqlite3_close (stepwise);
  sqlite3_close (direct);
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/store/migrations/resources", test_resources);
  ADD ("/store/migrations/from-empty", test_from_empty);
  ADD ("/store/migrations/from-each-version", test_from_each_version);
  ADD ("/store/migrations/stepwise-equals-direct", test_stepwise_equals_direct);
  ADD ("/store/migrations/too-new", test_too_new);
  ADD ("/store/migrations/failure-rolls-back", test_failure_rolls_back);
  ADD ("/store/migrations/not-a-database", test_not_a_database);

  return g_test_run ();
}
