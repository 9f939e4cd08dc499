/* test-store.c: the SQLite store, its writer thread and the import
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
#include "sk-store-import.h"
#include "sk-store-orders.h"
#include "sk-store-private.h"
#include "sk-store-problems.h"
#include "sk-test-util.h"

typedef struct
{
  char *tmpdir;
  char *path;
  SkStore *store;
  gint64 channel_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();

  f->tmpdir = sk_test_tmpdir_new ();
  f->path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);

  record->kind = g_strdup ("shopify");
  record->name = g_strdup ("Acme Outdoor (Shopify)");
  record->account = g_strdup ("acme.myshopify.com");
  record->base_url = g_strdup ("https://acme.myshopify.com");
  record->secret_ref = g_strdup ("shopify:acme.myshopify.com");
  sk_store_add_channel (f->store, record, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->id, >, 0);
  f->channel_id = record->id;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Let pending changed signals go before the store. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->store);
  g_free (f->path);
  sk_test_tmpdir_free (f->tmpdir);
}

/* Helpers */

static SkOrder *
make_order (gint64      channel_id,
            const char *external_id,
            gint64      updated_at,
            guint       n_lines)
{
  SkOrder *order = sk_order_new ();
  SkAddress *shipping = sk_address_new ();
  g_autofree char *number = g_strdup_printf ("#%s", external_id);
  g_autofree char *customer = g_strdup_printf ("c-%s", external_id);
  gint64 total = 0;

  sk_order_set_channel_id (order, channel_id);
  sk_order_set_external_id (order, external_id);
  sk_order_set_number (order, number);
  sk_order_set_created_at (order, 1700000000);
  sk_order_set_updated_at (order, updated_at);
  sk_order_set_processed_at (order, 1700000001);
  sk_order_set_currency (order, "EUR");
  sk_order_set_status (order, SK_ORDER_STATUS_OPEN, "open");
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_PENDING, "pending");
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_UNFULFILLED, NULL);
  sk_order_set_customer_id (order, customer);
  sk_order_set_customer_name (order, "Jürgen Weiß");
  sk_order_set_email (order, "juergen@example.com");
  sk_order_set_tags_from_string (order, "wholesale, vip");

  shipping->name = g_strdup ("Jürgen Weiß");
  shipping->line1 = g_strdup ("Hauptstraße 5");
  shipping->city = g_strdup ("Köln");
  shipping->postcode = g_strdup ("50667");
  shipping->country = g_strdup ("Germany");
  shipping->country_code = g_strdup ("DE");
  sk_order_take_shipping_address (order, shipping);
  sk_order_take_billing_address (order, sk_address_copy (shipping));
  sk_order_set_ship_summary (order, "Köln", "DE");

  for (guint i = 0; i < n_lines; i++)
    {
      g_autoptr(SkOrderLine) line = sk_order_line_new ();

      line->external_id = g_strdup_printf ("%s-%u", external_id, i);
      line->sku = g_strdup_printf ("SKU-%u", i + 1);
      line->title = g_strdup_printf ("Trail shoe %u", i + 1);
      line->quantity = 1 + i;
      line->unit_price = 1999;
      total += line->quantity * line->unit_price;
      sk_order_add_line (order, line);
    }
  sk_order_set_item_count (order, sk_order_get_item_count (order));
  sk_order_set_subtotal (order, total);
  sk_order_set_total (order, total);
  return order;
}

static SkImportPage *
make_page (Fixture    *f,
           const char *first_id,
           ...)
{
  SkImportPage *page = sk_import_page_new (f->channel_id, "orders", "sync:shopify");
  va_list args;

  va_start (args, first_id);
  for (const char *id = first_id; id != NULL; id = va_arg (args, const char *))
    {
      gint64 updated_at = va_arg (args, gint64);

      g_ptr_array_add (page->orders, make_order (f->channel_id, id, updated_at, 2));
    }
  va_end (args);
  return page;
}

static gint64
query_int (SkStore    *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (sk_store_get_reader (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Only for short-lived checks in one assertion. */
static const char *
query_text (SkStore    *store,
            const char *sql)
{
  static char buffer[256];
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (sk_store_get_reader (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_strlcpy (buffer, (const char *) sqlite3_column_text (stmt, 0), sizeof buffer);
  sqlite3_finalize (stmt);
  return buffer;
}

static gboolean
exec_job (SkStoreTxn  *txn,
          gpointer     data,
          GError     **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (sk_store_txn_get_db (txn), data, NULL, NULL, &errmsg);

  if (rc != SQLITE_OK)
    {
      g_test_message ("exec_job: %s", errmsg);
      sqlite3_free (errmsg);
      return sk_store_txn_set_error (txn, rc, error);
    }
  return TRUE;
}

static void
run_sql (Fixture    *f,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  sk_store_run_sync (f->store, exec_job, (gpointer) sql, &error);
  g_assert_no_error (error);
}

static void
import_ok (Fixture        *f,
           SkImportPage   *page,
           SkImportResult *result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sk_store_import_sync (f->store, page, result, &error));
  g_assert_no_error (error);
}

static gint64
order_id_of (Fixture    *f,
             const char *external_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) order = sk_store_find_order (f->store, f->channel_id, external_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);
  return sk_order_get_id (order);
}

/* Open, close, jobs */

static void
test_open_close (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) again = NULL;

  g_assert_cmpint (sk_store_get_schema_version (f->store), ==, sk_store_get_latest_version ());
  g_assert_cmpint (sk_store_get_latest_version (), >=, 2);
  g_assert_cmpstr (sk_store_get_path (f->store), ==, f->path);
  g_assert_cmpstr (query_text (f->store, "PRAGMA journal_mode"), ==, "wal");
  g_assert_cmpint (query_int (f->store, "PRAGMA foreign_keys"), ==, 1);

  run_sql (f, "SELECT 1");
  sk_store_close (f->store);
  sk_store_close (f->store);   /* twice is fine */

  g_assert_false (sk_store_run_sync (f->store, exec_job, (gpointer) "SELECT 1", &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CLOSED);
  g_clear_error (&error);

  /* Reading still works after the writer stopped. */
  g_assert_cmpint (sk_store_count_orders (f->store, 0, &error), ==, 0);
  g_assert_no_error (error);

  g_clear_object (&f->store);
  again = sk_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sk_store_get_schema_version (again), ==, sk_store_get_latest_version ());
  {
    g_autoptr(GPtrArray) channels = sk_store_list_channels (again, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (channels->len, ==, 1);
  }
}

static void
test_open_memory_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = sk_store_open (":memory:", &error);

  g_assert_null (store);
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_OPEN);
}

static void
test_open_missing_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = sk_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (tmpdir, "no", "such", "folder", "x.db", NULL);
  g_autoptr(SkStore) store = sk_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "folder"));
  sk_test_tmpdir_free (g_steal_pointer (&tmpdir));
}

typedef struct
{
  SkStore *store;
  GThread *job_thread;
  GThread *caller;
  gboolean ok;
} ThreadJob;

static gboolean
record_thread_job (SkStoreTxn  *txn,
                   gpointer     data,
                   GError     **error)
{
  ThreadJob *tj = data;

  tj->job_thread = g_thread_self ();
  return TRUE;
}

static gpointer
run_sync_in_thread (gpointer data)
{
  ThreadJob *tj = data;
  g_autoptr(GError) error = NULL;

  tj->caller = g_thread_self ();
  tj->ok = sk_store_run_sync (tj->store, record_thread_job, tj, &error);
  g_assert_no_error (error);
  return NULL;
}

static void
test_run_sync_threads (Fixture       *f,
                       gconstpointer  data)
{
  ThreadJob main_job = { f->store, NULL, NULL, FALSE };
  ThreadJob other_job = { f->store, NULL, NULL, FALSE };
  g_autoptr(GError) error = NULL;
  GThread *thread;

  /* From the main thread, with no main loop running. */
  g_assert_true (sk_store_run_sync (f->store, record_thread_job, &main_job, &error));
  g_assert_no_error (error);
  g_assert_nonnull (main_job.job_thread);
  g_assert_true (main_job.job_thread != g_thread_self ());

  /* From another thread. */
  thread = g_thread_new ("test-caller", run_sync_in_thread, &other_job);
  g_thread_join (thread);
  g_assert_true (other_job.ok);
  g_assert_true (other_job.job_thread == main_job.job_thread);
}

static gboolean
fail_job (SkStoreTxn  *txn,
          gpointer     data,
          GError     **error)
{
  sqlite3_stmt *stmt;

  /* Write something, then fail: the write must be rolled back. */
  stmt = sk_store_txn_prepare (txn, "UPDATE channels SET name = 'changed'", error);
  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sk_store_txn_note (txn, SK_STORE_CHANGE_CHANNELS);
  g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_FAILED, "Deliberate.");
  return FALSE;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
  guint changed;
  GThread *thread;
  GPtrArray *changes;
} AsyncState;

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ok = sk_store_run_finish (SK_STORE (source), result, &state->error);
  state->thread = g_thread_self ();
  state->done = TRUE;
}

static void
on_changed (SkStore       *store,
            SkStoreChange *change,
            gpointer       user_data)
{
  AsyncState *state = user_data;

  g_assert_true (state->thread == NULL || state->thread == g_thread_self ());
  state->thread = g_thread_self ();
  state->changed++;
  if (state->changes != NULL)
    g_ptr_array_add (state->changes, g_boxed_copy (SK_TYPE_STORE_CHANGE, change));
}

static void
test_run_async_rollback (Fixture       *f,
                         gconstpointer  data)
{
  AsyncState state = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = NULL;
  gulong handler;

  handler = g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), &state);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  state.changed = 0;

  sk_store_run_async (f->store, fail_job, NULL, NULL, NULL, on_run_done, &state);
  sk_test_wait_for (&state.done, 5000);
  g_assert_false (state.ok);
  g_assert_error (state.error, SK_STORE_ERROR, SK_STORE_ERROR_FAILED);
  g_assert_true (state.thread == g_thread_self ());
  g_clear_error (&state.error);

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.changed, ==, 0);   /* nothing committed */

  record = sk_store_get_channel (f->store, f->channel_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->name, ==, "Acme Outdoor (Shopify)");
  g_signal_handler_disconnect (f->store, handler);
}

static void
test_run_async_cancelled (Fixture       *f,
                          gconstpointer  data)
{
  AsyncState state = { 0, };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  sk_store_run_async (f->store, exec_job, (gpointer) "UPDATE channels SET name = 'x'", NULL,
                      cancellable, on_run_done, &state);
  sk_test_wait_for (&state.done, 5000);
  g_assert_false (state.ok);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
}

/* Import */

static void
test_import_idempotent (Fixture       *f,
                        gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) loaded = NULL;
  gint64 events;

  import_ok (f, make_page (f, "1001", (gint64) 100, "1002", (gint64) 100, "1003", (gint64) 100, NULL), &result);
  g_assert_cmpuint (result.inserted, ==, 3);
  g_assert_cmpuint (result.updated, ==, 0);
  g_assert_cmpint (sk_store_count_orders (f->store, f->channel_id, &error), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_lines"), ==, 6);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM addresses"), ==, 6);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM customers"), ==, 3);
  events = query_int (f->store, "SELECT count(*) FROM events WHERE what = 'imported'");
  g_assert_cmpint (events, ==, 3);

  /* The same page again: nothing doubled. */
  import_ok (f, make_page (f, "1001", (gint64) 100, "1002", (gint64) 100, "1003", (gint64) 100, NULL), &result);
  g_assert_cmpuint (result.inserted, ==, 0);
  g_assert_cmpuint (result.updated, ==, 0);
  g_assert_cmpuint (result.unchanged, ==, 3);
  g_assert_cmpint (sk_store_count_orders (f->store, 0, &error), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_lines"), ==, 6);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM addresses"), ==, 6);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM customers"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM events"), ==,
                   events + 1 /* the channel's "connected" */);

  /* What was written reads back. */
  loaded = sk_store_find_order (f->store, f->channel_id, "1002", &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (sk_order_get_number (loaded), ==, "#1002");
  g_assert_cmpstr (sk_order_get_currency (loaded), ==, "EUR");
  g_assert_cmpint (sk_order_get_total (loaded), ==, 1999 * 3);
  g_assert_cmpint (sk_order_get_item_count (loaded), ==, 3);
  g_assert_cmpint (sk_order_get_processed_at (loaded), ==, 1700000001);
  g_assert_cmpint (sk_order_get_closed_at (loaded), ==, 0);
  g_assert_cmpint (sk_order_get_payment_status (loaded), ==, SK_PAYMENT_STATUS_PENDING);
  g_assert_cmpstr (sk_order_get_payment_code (loaded), ==, "pending");
  g_assert_cmpstr (sk_order_get_customer_id (loaded), ==, "c-1002");
  g_assert_cmpstr (sk_order_get_ship_city (loaded), ==, "Köln");
  g_assert_cmpstr (sk_order_get_ship_country (loaded), ==, "DE");
  g_assert_true (sk_order_has_tag (loaded, "vip"));
  g_assert_cmpuint (sk_order_get_lines (loaded)->len, ==, 2);
  g_assert_cmpstr (((SkOrderLine *) g_ptr_array_index (sk_order_get_lines (loaded), 1))->sku, ==, "SKU-2");
  g_assert_nonnull (sk_order_get_shipping_address (loaded));
  g_assert_cmpstr (sk_order_get_shipping_address (loaded)->line1, ==, "Hauptstraße 5");
  g_assert_nonnull (sk_order_get_billing_address (loaded));

  /* Searchable by SKU, title, city, and without diacritics. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'skus:SKU'"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'koln'"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'weiss OR weiß'"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'trail'"), ==, 3);
}

static void
test_import_duplicate_in_page (Fixture       *f,
                               gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) loaded = NULL;
  SkImportPage *page = sk_import_page_new (f->channel_id, "orders", NULL);
  SkOrder *newer = make_order (f->channel_id, "1500", 200, 4);

  /* Channels page by updated_at and may send an order twice across a page
   * boundary moving under them; within one page the newest wins. */
  sk_order_set_customer_name (newer, "Zoë Newer");
  g_ptr_array_add (page->orders, make_order (f->channel_id, "1500", 100, 1));
  g_ptr_array_add (page->orders, newer);
  g_ptr_array_add (page->orders, make_order (f->channel_id, "1500", 150, 2));
  import_ok (f, page, &result);
  g_assert_cmpuint (result.inserted, ==, 1);
  g_assert_cmpuint (result.updated, ==, 1);
  g_assert_cmpuint (result.stale, ==, 1);

  loaded = sk_store_find_order (f->store, f->channel_id, "1500", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sk_order_get_lines (loaded)->len, ==, 4);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_lines"), ==, 4);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'zoe'"), ==, 1);
}

static void
test_import_stale_and_newer (Fixture       *f,
                             gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkImportPage) stale = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SkOrder) loaded = NULL;
  g_autoptr(SkRefund) refund = sk_refund_new ();
  SkImportPage *newer;
  SkOrder *order;
  gint64 id;

  import_ok (f, make_page (f, "2001", (gint64) 1000, NULL), &result);
  g_assert_cmpuint (result.inserted, ==, 1);
  id = order_id_of (f, "2001");

  /* Older than stored: ignored. */
  stale = make_page (f, "2001", (gint64) 999, NULL);
  order = g_ptr_array_index (stale->orders, 0);
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_PAID, "paid");
  import_ok (f, g_steal_pointer (&stale), &result);
  g_assert_cmpuint (result.stale, ==, 1);
  g_assert_cmpuint (result.updated, ==, 0);
  loaded = sk_store_load_order (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sk_order_get_payment_status (loaded), ==, SK_PAYMENT_STATUS_PENDING);
  g_clear_object (&loaded);

  /* Newer: applied, with one event per changed status. */
  newer = sk_import_page_new (f->channel_id, "orders", NULL);
  order = make_order (f->channel_id, "2001", 2000, 3);
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_PARTIALLY_REFUNDED, "partially_refunded");
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled");
  sk_order_set_total_refunded (order, 1999);
  refund->external_id = g_strdup ("r1");
  refund->amount = 1999;
  refund->created_at = 1700001000;
  sk_order_add_refund (order, refund);
  g_ptr_array_add (newer->orders, order);
  import_ok (f, newer, &result);
  g_assert_cmpuint (result.updated, ==, 1);
  g_assert_cmpuint (result.inserted, ==, 0);

  g_assert_cmpint (order_id_of (f, "2001"), ==, id);
  loaded = sk_store_load_order (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sk_order_get_payment_status (loaded), ==, SK_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_assert_cmpint (sk_order_get_updated_at (loaded), ==, 2000);
  g_assert_cmpint (sk_order_get_total_refunded (loaded), ==, 1999);
  g_assert_cmpuint (sk_order_get_lines (loaded)->len, ==, 3);
  g_assert_cmpuint (sk_order_get_refunds (loaded)->len, ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_lines"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM addresses"), ==, 2);

  events = sk_store_list_events (f->store, "order", id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  {
    SkEvent *e0 = events->pdata[0], *e1 = events->pdata[1];
    SkEvent *e2 = events->pdata[2], *e3 = events->pdata[3];

    g_assert_cmpstr (e0->what, ==, "imported");
    g_assert_cmpstr (e0->actor, ==, "sync:shopify");
    g_assert_cmpstr (e1->what, ==, "payment-status");
    g_assert_cmpstr (e1->from_value, ==, "pending");
    g_assert_cmpstr (e1->to_value, ==, "partially-refunded");
    g_assert_cmpstr (e1->why, ==, "Updated on shopify");
    g_assert_cmpstr (e1->actor, ==, "sync:shopify");
    g_assert_cmpstr (e2->what, ==, "fulfillment-status");
    g_assert_cmpstr (e2->from_value, ==, "unfulfilled");
    g_assert_cmpstr (e2->to_value, ==, "fulfilled");
    g_assert_cmpstr (e3->what, ==, "refunded");
    g_assert_cmpstr (e3->from_value, ==, "0");
    g_assert_cmpstr (e3->to_value, ==, "1999");
  }
}

/* An update writes only the indexed columns that change (and keeps a
 * search row whose text is the same): the rows, the indexes and the
 * search index must still say exactly what the channel said. Pages of
 * more than a few orders also take the digests from the helper thread. */
static void
test_import_update_columns (Fixture       *f,
                            gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) loaded = NULL;
  SkImportPage *page;
  SkOrder *order;
  gint64 id_a, id_b;

  page = sk_import_page_new (f->channel_id, "orders", "sync:shopify");
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *external_id = g_strdup_printf ("%u", 3000 + i);

      g_ptr_array_add (page->orders, make_order (f->channel_id, external_id, 1000, 2));
    }
  import_ok (f, page, &result);
  g_assert_cmpuint (result.inserted, ==, 40);
  id_a = order_id_of (f, "3001");
  id_b = order_id_of (f, "3002");

  /* 3001 changes every indexed column, 3002 only its payment status;
   * 3003 comes again in the same second with another fulfillment status. */
  page = sk_import_page_new (f->channel_id, "orders", "sync:shopify");
  order = make_order (f->channel_id, "3001", 2000, 2);
  sk_order_set_number (order, "#R3001");
  sk_order_set_created_at (order, 1600000000);
  sk_order_set_total (order, 123456);
  sk_order_set_customer_name (order, "Zoë Brandt");
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_PAID, "paid");
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled");
  g_ptr_array_add (page->orders, order);
  order = make_order (f->channel_id, "3002", 2000, 2);
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_PAID, "paid");
  g_ptr_array_add (page->orders, order);
  order = make_order (f->channel_id, "3003", 1000, 2);
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled");
  g_ptr_array_add (page->orders, order);
  import_ok (f, page, &result);
  g_assert_cmpuint (result.updated, ==, 3);

  loaded = sk_store_load_order (f->store, id_a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_order_get_number (loaded), ==, "#R3001");
  g_assert_cmpint (sk_order_get_created_at (loaded), ==, 1600000000);
  g_assert_cmpint (sk_order_get_updated_at (loaded), ==, 2000);
  g_assert_cmpint (sk_order_get_total (loaded), ==, 123456);
  g_assert_cmpstr (sk_order_get_customer_name (loaded), ==, "Zoë Brandt");
  g_assert_cmpint (sk_order_get_payment_status (loaded), ==, SK_PAYMENT_STATUS_PAID);
  g_assert_cmpint (sk_order_get_fulfillment_status (loaded), ==, SK_FULFILLMENT_STATUS_FULFILLED);
  g_clear_object (&loaded);
  loaded = sk_store_load_order (f->store, id_b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sk_order_get_number (loaded), ==, "#3002");
  g_assert_cmpint (sk_order_get_updated_at (loaded), ==, 2000);
  g_assert_cmpint (sk_order_get_payment_status (loaded), ==, SK_PAYMENT_STATUS_PAID);
  g_clear_object (&loaded);

  /* Each index finds the new values, and only them. */
  g_assert_cmpstr (query_text (f->store, "PRAGMA integrity_check"), ==, "ok");
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders INDEXED BY orders_by_number"
                                        " WHERE number = '#R3001'"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders INDEXED BY orders_by_number"
                                        " WHERE number = '#3001'"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders INDEXED BY orders_by_created"
                                        " WHERE created_at = 1600000000"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders INDEXED BY orders_by_updated"
                                        " WHERE updated_at = 2000"), ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders INDEXED BY orders_by_total"
                                        " WHERE total = 123456"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders INDEXED BY orders_by_customer"
                                        " WHERE customer_name = 'Zoë Brandt'"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders INDEXED BY orders_by_payment_created"
                                        " WHERE payment_status = 'paid'"), ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders INDEXED BY orders_by_fulfillment_created"
                                        " WHERE fulfillment_status = 'fulfilled'"), ==, 2);

  /* The search follows the changed text and keeps the rest. */
  run_sql (f, "INSERT INTO orders_fts (orders_fts) VALUES ('integrity-check')");
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 40);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'zoe'"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'R3001'"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'customer:jurgen'"), ==, 39);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH '\"3002\"'"), ==, 1);
}

static void
test_import_keeps_local_state (Fixture       *f,
                               gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) loaded = NULL;
  SkImportPage *page;
  gint64 id;
  guint changed;

  import_ok (f, make_page (f, "3001", (gint64) 100, NULL), &result);
  id = order_id_of (f, "3001");

  g_assert_true (sk_store_apply_action_sync (f->store, &id, 1, SK_ORDER_ACTION_HOLD,
                                             "Address looks wrong", "user", &changed, &error));
  g_assert_no_error (error);
  g_assert_true (sk_store_apply_action_sync (f->store, &id, 1, SK_ORDER_ACTION_ADD_TAG,
                                             "gift", "user", &changed, &error));
  g_assert_true (sk_store_apply_action_sync (f->store, &id, 1, SK_ORDER_ACTION_ARCHIVE,
                                             NULL, "user", &changed, &error));
  g_assert_no_error (error);

  /* The channel changes its tags and payment; local state survives. */
  page = make_page (f, "3001", (gint64) 200, NULL);
  sk_order_set_tags_from_string (g_ptr_array_index (page->orders, 0), "vip, repeat");
  sk_order_set_payment_status (g_ptr_array_index (page->orders, 0), SK_PAYMENT_STATUS_PAID, "paid");
  import_ok (f, page, &result);
  g_assert_cmpuint (result.updated, ==, 1);

  loaded = sk_store_load_order (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (sk_order_get_on_hold (loaded));
  g_assert_cmpstr (sk_order_get_hold_reason (loaded), ==, "Address looks wrong");
  g_assert_true (sk_order_get_archived (loaded));
  g_assert_true (sk_order_has_tag (loaded, "gift"));     /* local tag kept */
  g_assert_true (sk_order_has_tag (loaded, "repeat"));   /* channel tag added */
  g_assert_false (sk_order_has_tag (loaded, "wholesale")); /* channel tag dropped */
  g_assert_cmpint (sk_order_get_payment_status (loaded), ==, SK_PAYMENT_STATUS_PAID);
}

static void
test_import_dead_letters (Fixture       *f,
                          gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = g_bytes_new_static ("{\"id\":9,\"total_price\":\"abc\"}", 29);
  g_autoptr(GPtrArray) letters = NULL;
  SkDeadLetterRecord *letter;
  SkImportPage *page;

  for (guint attempt = 1; attempt <= 2; attempt++)
    {
      g_autofree char *reason = g_strdup_printf ("total_price \"abc\" is not an amount (%u)", attempt);

      page = make_page (f, "4001", (gint64) 100, NULL);
      g_ptr_array_add (page->dead_letters, sk_dead_letter_new ("orders", "9", reason, raw));
      import_ok (f, page, &result);
      /* Only a letter opened now counts: the second reading of the same
       * order adds an attempt to the open one. */
      g_assert_cmpuint (result.dead_lettered, ==, attempt == 1 ? 1 : 0);

      g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, &error), ==, 1);
      g_assert_cmpint (sk_store_count_dead_letters (f->store, 0, &error), ==, 1);
      letters = sk_store_list_dead_letters (f->store, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (letters->len, ==, 1);
      letter = letters->pdata[0];
      g_assert_cmpint (letter->attempts, ==, attempt);
      g_assert_cmpstr (letter->reason, ==, reason);
      g_assert_cmpstr (letter->external_id, ==, "9");
      g_assert_cmpint (letter->channel_id, ==, f->channel_id);
      g_assert_true (g_bytes_equal (letter->raw, raw));
      g_clear_pointer (&letters, g_ptr_array_unref);
    }

  /* A letter without an id is kept too. */
  page = sk_import_page_new (f->channel_id, "orders", NULL);
  g_ptr_array_add (page->dead_letters, sk_dead_letter_new ("orders", NULL, "No id", NULL));
  import_ok (f, page, &result);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, 0, &error), ==, 2);

  /* The order now imports: its letter is resolved. */
  import_ok (f, make_page (f, "9", (gint64) 100, NULL), &result);
  g_assert_cmpuint (result.inserted, ==, 1);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, 0, &error), ==, 1);
  letters = sk_store_list_dead_letters (f->store, f->channel_id, &error);
  g_assert_cmpuint (letters->len, ==, 1);
  g_assert_null (((SkDeadLetterRecord *) letters->pdata[0])->external_id);

  /* Dismissed by the user. */
  g_assert_true (sk_store_resolve_dead_letter (f->store, ((SkDeadLetterRecord *) letters->pdata[0])->id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, 0, &error), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM dead_letters"), ==, 2);
}

/* Channels give updated_at in whole seconds: a version with the same
 * updated_at as the stored one but other content (a payment recorded in
 * the same second) is written, with its events; the same content is
 * unchanged; an older updated_at stays stale whatever it holds. */
static void
test_import_same_second (Fixture       *f,
                         gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SkOrder) loaded = NULL;
  SkImportPage *page;
  SkOrder *order;
  SkEvent *last;
  gint64 id;
  guint changed;

  import_ok (f, make_page (f, "6001", (gint64) 5000, NULL), &result);
  g_assert_cmpuint (result.inserted, ==, 1);
  id = order_id_of (f, "6001");
  g_assert_true (sk_store_apply_action_sync (f->store, &id, 1, SK_ORDER_ACTION_HOLD,
                                             "Check the address", "user", &changed, &error));
  g_assert_no_error (error);

  /* Paid in the same second. */
  page = make_page (f, "6001", (gint64) 5000, NULL);
  sk_order_set_payment_status (g_ptr_array_index (page->orders, 0), SK_PAYMENT_STATUS_PAID, "paid");
  import_ok (f, page, &result);
  g_assert_cmpuint (result.updated, ==, 1);
  g_assert_cmpuint (result.unchanged, ==, 0);
  g_assert_cmpuint (result.stale, ==, 0);
  loaded = sk_store_load_order (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sk_order_get_payment_status (loaded), ==, SK_PAYMENT_STATUS_PAID);
  g_assert_cmpstr (sk_order_get_payment_code (loaded), ==, "paid");
  g_assert_true (sk_order_get_on_hold (loaded));   /* local state kept */
  g_clear_object (&loaded);
  events = sk_store_list_events (f->store, "order", id, &error);
  g_assert_no_error (error);
  last = events->pdata[events->len - 1];
  g_assert_cmpstr (last->what, ==, "payment-status");
  g_assert_cmpstr (last->from_value, ==, "pending");
  g_assert_cmpstr (last->to_value, ==, "paid");
  g_clear_pointer (&events, g_ptr_array_unref);

  /* The same version again: nothing written. */
  page = make_page (f, "6001", (gint64) 5000, NULL);
  sk_order_set_payment_status (g_ptr_array_index (page->orders, 0), SK_PAYMENT_STATUS_PAID, "paid");
  import_ok (f, page, &result);
  g_assert_cmpuint (result.unchanged, ==, 1);
  g_assert_cmpuint (result.updated, ==, 0);

  /* Changes no status can show still count: a line, the note, an address,
   * a tag. */
  for (guint i = 0; i < 4; i++)
    {
      page = make_page (f, "6001", (gint64) 5000, NULL);
      order = g_ptr_array_index (page->orders, 0);
      sk_order_set_payment_status (order, SK_PAYMENT_STATUS_PAID, "paid");
      ((SkOrderLine *) g_ptr_array_index (sk_order_get_lines (order), 1))->quantity = 5;
      if (i >= 1)
        sk_order_set_note (order, "Leave at the door");
      if (i >= 2)
        {
          g_free (sk_order_get_shipping_address (order)->line2);
          sk_order_get_shipping_address (order)->line2 = g_strdup ("Hinterhaus");
        }
      if (i >= 3)
        sk_order_set_tags_from_string (order, "wholesale, vip, rush");
      import_ok (f, page, &result);
      g_test_message ("change %u", i);
      g_assert_cmpuint (result.updated, ==, 1);
    }
  loaded = sk_store_load_order (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((SkOrderLine *) g_ptr_array_index (sk_order_get_lines (loaded), 1))->quantity, ==, 5);
  g_assert_cmpstr (sk_order_get_note (loaded), ==, "Leave at the door");
  g_assert_cmpstr (sk_order_get_shipping_address (loaded)->line2, ==, "Hinterhaus");
  g_assert_true (sk_order_has_tag (loaded, "rush"));
  g_clear_object (&loaded);

  /* Older, with other content: stale. */
  page = make_page (f, "6001", (gint64) 4999, NULL);
  sk_order_set_payment_status (g_ptr_array_index (page->orders, 0), SK_PAYMENT_STATUS_REFUNDED, "refunded");
  import_ok (f, page, &result);
  g_assert_cmpuint (result.stale, ==, 1);
  g_assert_cmpuint (result.updated, ==, 0);
  loaded = sk_store_load_order (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sk_order_get_payment_status (loaded), ==, SK_PAYMENT_STATUS_PAID);
  g_clear_object (&loaded);

  /* An order stored before digests were kept is written once more, then
   * unchanged. */
  import_ok (f, make_page (f, "6002", (gint64) 5000, NULL), &result);
  run_sql (f, "UPDATE orders SET content_digest = NULL WHERE external_id = '6002'");
  import_ok (f, make_page (f, "6002", (gint64) 5000, NULL), &result);
  g_assert_cmpuint (result.updated, ==, 1);
  import_ok (f, make_page (f, "6002", (gint64) 5000, NULL), &result);
  g_assert_cmpuint (result.unchanged, ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders WHERE content_digest IS NULL"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_lines"), ==, 4);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 2);
}

/* Letters without an external id are known by their payload: reading the
 * same one again adds an attempt instead of a letter, and only letters
 * opened now count in the result. */
static void
test_import_dead_letters_without_id (Fixture       *f,
                                     gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = g_bytes_new_static ("{\"total_price\":\"abc\"}", 21);
  g_autoptr(GBytes) other = g_bytes_new_static ("{\"total_price\":\"xyz\"}", 21);
  g_autoptr(GBytes) legacy = g_bytes_new_static ("{\"legacy\":1}", 12);
  g_autoptr(GPtrArray) letters = NULL;
  SkImportPage *page;

  for (guint attempt = 1; attempt <= 3; attempt++)
    {
      page = sk_import_page_new (f->channel_id, "orders", NULL);
      g_ptr_array_add (page->dead_letters, sk_dead_letter_new ("orders", NULL, "No id", raw));
      /* An order without an id, as normalizers never send it. */
      g_ptr_array_add (page->orders, make_order (f->channel_id, "x", 100, 1));
      sk_order_set_external_id (g_ptr_array_index (page->orders, 0), NULL);
      import_ok (f, page, &result);
      g_assert_cmpuint (result.dead_lettered, ==, attempt == 1 ? 2 : 0);
      g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, &error), ==, 2);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM dead_letters"), ==, 2);
      g_assert_cmpint (query_int (f->store, "SELECT min(attempts) FROM dead_letters"), ==, attempt);
    }

  /* Another payload is another letter. */
  page = sk_import_page_new (f->channel_id, "orders", NULL);
  g_ptr_array_add (page->dead_letters, sk_dead_letter_new ("orders", NULL, "No id", other));
  import_ok (f, page, &result);
  g_assert_cmpuint (result.dead_lettered, ==, 1);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, &error), ==, 3);

  /* Dismissed, then read again: a new letter, told again. */
  letters = sk_store_list_dead_letters (f->store, f->channel_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < letters->len; i++)
    {
      SkDeadLetterRecord *letter = letters->pdata[i];

      if (g_bytes_equal (letter->raw, other))
        g_assert_true (sk_store_resolve_dead_letter (f->store, letter->id, &error));
    }
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, &error), ==, 2);
  page = sk_import_page_new (f->channel_id, "orders", NULL);
  g_ptr_array_add (page->dead_letters, sk_dead_letter_new ("orders", NULL, "No id", other));
  import_ok (f, page, &result);
  g_assert_cmpuint (result.dead_lettered, ==, 1);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, &error), ==, 3);

  /* A letter stored before digests were kept is found by its bytes. */
  run_sql (f, "INSERT INTO dead_letters (channel_id, resource, reason, raw, created_at)"
              " SELECT id, 'orders', 'Old', CAST ('{\"legacy\":1}' AS BLOB), 1 FROM channels");
  page = sk_import_page_new (f->channel_id, "orders", NULL);
  g_ptr_array_add (page->dead_letters, sk_dead_letter_new ("orders", NULL, "Still no id", legacy));
  import_ok (f, page, &result);
  g_assert_cmpuint (result.dead_lettered, ==, 0);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, &error), ==, 4);
  g_assert_cmpint (query_int (f->store, "SELECT attempts FROM dead_letters WHERE reason = 'Still no id'"), ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM dead_letters WHERE raw_digest IS NULL"), ==, 0);
}

static void
test_import_cursor (Fixture       *f,
                    gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  SkSyncCursor cursor = { 0, };
  SkSyncCursor start = { 0, };
  SkImportPage *page;

  /* A missing cursor is zeroed, not an error. */
  g_assert_true (sk_store_get_cursor (f->store, f->channel_id, "orders", &cursor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cursor.high_water, ==, 0);
  g_assert_null (cursor.page_token);

  start.high_water = 50;
  start.run_started_at = 1700000500;
  g_assert_true (sk_store_write_cursor (f->store, f->channel_id, "orders", &start, &error));
  g_assert_no_error (error);

  page = make_page (f, "5001", (gint64) 100, "5002", (gint64) 120, NULL);
  page->write_cursor = TRUE;
  page->cursor.high_water = 50;
  page->cursor.run_started_at = 1700000500;
  page->cursor.run_max_seen = 120;
  page->cursor.page_token = g_strdup ("eyJsYXN0X2lkIjo1MDAyfQ");
  page->cursor.pages_done = 1;
  import_ok (f, page, &result);

  g_assert_true (sk_store_get_cursor (f->store, f->channel_id, "orders", &cursor, &error));
  g_assert_cmpint (cursor.high_water, ==, 50);
  g_assert_cmpint (cursor.run_started_at, ==, 1700000500);
  g_assert_cmpint (cursor.run_max_seen, ==, 120);
  g_assert_cmpstr (cursor.page_token, ==, "eyJsYXN0X2lkIjo1MDAyfQ");
  g_assert_cmpint (cursor.pages_done, ==, 1);
  g_assert_cmpint (cursor.updated_at, >, 0);
  sk_sync_cursor_clear (&cursor);

  /* A page that fails after writing orders leaves neither orders nor the
   * cursor: make the third order's insert fail inside the transaction. */
  run_sql (f, "CREATE TEMP TRIGGER fail_boom BEFORE INSERT ON main.orders"
              " WHEN new.external_id = 'boom' BEGIN SELECT RAISE (ABORT, 'boom'); END");
  page = make_page (f, "5003", (gint64) 130, "5004", (gint64) 140, "boom", (gint64) 150, NULL);
  page->write_cursor = TRUE;
  page->cursor.high_water = 50;
  page->cursor.run_started_at = 1700000500;
  page->cursor.run_max_seen = 150;
  page->cursor.page_token = g_strdup ("page-3");
  page->cursor.pages_done = 2;
  g_assert_false (sk_store_import_sync (f->store, page, &result, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpuint (result.inserted, ==, 0);

  g_assert_cmpint (sk_store_count_orders (f->store, 0, &error), ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_lines"), ==, 4);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM events WHERE subject_type = 'order'"), ==, 2);
  g_assert_true (sk_store_get_cursor (f->store, f->channel_id, "orders", &cursor, &error));
  g_assert_cmpstr (cursor.page_token, ==, "eyJsYXN0X2lkIjo1MDAyfQ");
  g_assert_cmpint (cursor.pages_done, ==, 1);
  sk_sync_cursor_clear (&cursor);

  /* Without the fault the same page goes in whole. */
  run_sql (f, "DROP TRIGGER temp.fail_boom");
  page = make_page (f, "5003", (gint64) 130, "5004", (gint64) 140, "boom", (gint64) 150, NULL);
  page->write_cursor = TRUE;
  page->cursor.page_token = g_strdup ("page-3");
  page->cursor.pages_done = 2;
  import_ok (f, page, &result);
  g_assert_cmpuint (result.inserted, ==, 3);
  g_assert_true (sk_store_get_cursor (f->store, f->channel_id, "orders", &cursor, &error));
  g_assert_cmpstr (cursor.page_token, ==, "page-3");
  sk_sync_cursor_clear (&cursor);
}

static void
test_import_unknown_channel (Fixture       *f,
                             gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  SkImportPage *page = sk_import_page_new (f->channel_id + 100, "orders", NULL);

  g_ptr_array_add (page->orders, make_order (f->channel_id + 100, "1", 1, 1));
  g_assert_false (sk_store_import_sync (f->store, page, &result, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders"), ==, 0);
}

/* Faults: disk full, locked */

static SkImportPage *
make_big_page (Fixture *f,
               guint    first,
               guint    n)
{
  SkImportPage *page = sk_import_page_new (f->channel_id, "orders", NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", first + i);

      g_ptr_array_add (page->orders, make_order (f->channel_id, id, 100, 5));
    }
  page->write_cursor = TRUE;
  page->cursor.page_token = g_strdup ("big");
  page->cursor.pages_done = n;
  return page;
}

static void
test_error_disk_full (Fixture       *f,
                      gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  SkSyncCursor cursor = { 0, };
  g_autofree char *limit = NULL;
  gint64 pages;

  import_ok (f, make_big_page (f, 1, 10), &result);
  g_assert_cmpuint (result.inserted, ==, 10);

  /* Let the database grow by a few pages only. */
  pages = query_int (f->store, "PRAGMA page_count");
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 4);
  run_sql (f, limit);

  g_assert_false (sk_store_import_sync (f->store, make_big_page (f, 1000, 2000), &result, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_FULL);
  g_assert_cmpstr (error->message, ==,
                   "The disk is full, so Storekeep could not save. Free some space; nothing was lost.");
  g_clear_error (&error);

  /* Nothing half-written. */
  g_assert_cmpint (sk_store_count_orders (f->store, 0, &error), ==, 10);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_lines"), ==, 50);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 10);
  g_assert_true (sk_store_get_cursor (f->store, f->channel_id, "orders", &cursor, &error));
  g_assert_cmpint (cursor.pages_done, ==, 10);
  sk_sync_cursor_clear (&cursor);

  /* Space is back: the same page goes in. */
  run_sql (f, "PRAGMA max_page_count = 1073741823");
  import_ok (f, make_big_page (f, 1000, 2000), &result);
  g_assert_cmpuint (result.inserted, ==, 2000);
  g_assert_cmpint (sk_store_count_orders (f->store, 0, &error), ==, 2010);
  g_assert_true (sk_store_get_cursor (f->store, f->channel_id, "orders", &cursor, &error));
  g_assert_cmpint (cursor.pages_done, ==, 2000);
  sk_sync_cursor_clear (&cursor);
}

static gboolean
short_busy_timeout_job (SkStoreTxn  *txn,
                        gpointer     data,
                        GError     **error)
{
  sqlite3_busy_timeout (sk_store_txn_get_db (txn), GPOINTER_TO_INT (data));
  return TRUE;
}

static void
test_error_busy (Fixture       *f,
                 gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  sqlite3 *other = NULL;

  sk_store_run_sync (f->store, short_busy_timeout_job, GINT_TO_POINTER (100), &error);
  g_assert_no_error (error);

  /* Another program holds the write lock. */
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_false (sk_store_import_sync (f->store, make_big_page (f, 1, 3), &result, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Another program"));
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  g_assert_cmpint (sk_store_count_orders (f->store, 0, &error), ==, 0);
  import_ok (f, make_big_page (f, 1, 3), &result);
  g_assert_cmpuint (result.inserted, ==, 3);

  sk_store_run_sync (f->store, short_busy_timeout_job, GINT_TO_POINTER (5000), &error);
  g_assert_no_error (error);
}

static void
test_error_mapping (void)
{
  struct {
    int rc;
    int code;
    const char *words;
  } cases[] = {
    { SQLITE_FULL, SK_STORE_ERROR_FULL, "disk is full" },
    { SQLITE_BUSY, SK_STORE_ERROR_BUSY, "Another program" },
    { SQLITE_LOCKED, SK_STORE_ERROR_BUSY, "Another program" },
    { SQLITE_BUSY_SNAPSHOT, SK_STORE_ERROR_BUSY, "Another program" },
    { SQLITE_CORRUPT, SK_STORE_ERROR_CORRUPT, "damaged" },
    { SQLITE_NOTADB, SK_STORE_ERROR_OPEN, "not a Storekeep database" },
    { SQLITE_IOERR_WRITE, SK_STORE_ERROR_IO, "disk" },
    { SQLITE_READONLY, SK_STORE_ERROR_READONLY, "read-only" },
    { SQLITE_CANTOPEN, SK_STORE_ERROR_OPEN, "folder" },
    { SQLITE_CONSTRAINT_UNIQUE, SK_STORE_ERROR_CONSTRAINT, "conflicts" },
    { SQLITE_ERROR, SK_STORE_ERROR_FAILED, "some detail" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      sk_store_error_from_sqlite (&error, cases[i].rc, "some detail");
      g_assert_error (error, SK_STORE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      /* A sentence: capital first, full stop last. */
      g_assert_true (g_ascii_isupper (error->message[0]));
      g_assert_true (g_str_has_suffix (error->message, "."));
    }
}

/* The changed signal */

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;
  SkImportResult r;

  state->ok = sk_store_import_finish (SK_STORE (source), result, &r, &state->error);
  g_assert_cmpuint (r.inserted + r.updated, ==, 2);
  /* The list models heard about it first. */
  g_assert_cmpuint (state->changed, >=, 1);
  state->done = TRUE;
}

static gboolean
has_two_changes (gpointer data)
{
  AsyncState *state = data;

  return state->changes->len >= 2;
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  AsyncState state = { 0, };
  g_autoptr(GError) error = NULL;
  SkStoreChange *change;
  gint64 id1, id2;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  state.changes = g_ptr_array_new ();
  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), &state);

  sk_store_import_async (f->store, make_page (f, "6001", (gint64) 1, "6002", (gint64) 1, NULL),
                         NULL, on_import_done, &state);
  sk_test_wait_for (&state.done, 5000);
  g_assert_no_error (state.error);
  g_assert_true (state.thread == g_thread_self ());
  g_assert_cmpuint (state.changes->len, ==, 1);

  id1 = order_id_of (f, "6001");
  id2 = order_id_of (f, "6002");
  change = state.changes->pdata[0];
  g_assert_true (change->flags & SK_STORE_CHANGE_ORDERS);
  g_assert_true (change->flags & SK_STORE_CHANGE_EVENTS);
  g_assert_cmpuint (change->inserted_orders->len, ==, 2);
  g_assert_cmpint (g_array_index (change->inserted_orders, gint64, 0), ==, MIN (id1, id2));
  g_assert_cmpint (g_array_index (change->inserted_orders, gint64, 1), ==, MAX (id1, id2));
  g_assert_cmpuint (change->updated_orders->len, ==, 0);

  /* An update (from a sync call, no main loop running meanwhile) arrives
   * when the main context runs. */
  state.done = FALSE;
  sk_store_import_async (f->store, make_page (f, "6001", (gint64) 2, "6002", (gint64) 1, "6003", (gint64) 1, NULL),
                         NULL, NULL, NULL);
  sk_test_wait_until (has_two_changes, &state, 5000);
  change = state.changes->pdata[1];
  g_assert_cmpuint (change->updated_orders->len, ==, 1);
  g_assert_cmpint (g_array_index (change->updated_orders, gint64, 0), ==, id1);
  g_assert_cmpuint (change->inserted_orders->len, ==, 1);
  g_assert_cmpint (g_array_index (change->inserted_orders, gint64, 0), ==, order_id_of (f, "6003"));

  /* Nothing new: no signal. */
  import_ok (f, make_page (f, "6001", (gint64) 2, NULL), NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.changes->len, ==, 2);

  /* A channel removed with its orders reports them deleted. */
  g_assert_true (sk_store_remove_channel (f->store, f->channel_id, TRUE, &error));
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (state.changes->len, ==, 3);
  change = state.changes->pdata[2];
  g_assert_cmpuint (change->deleted_orders->len, ==, 3);
  g_assert_true (change->flags & SK_STORE_CHANGE_CHANNELS);

  for (guint i = 0; i < state.changes->len; i++)
    g_boxed_free (SK_TYPE_STORE_CHANGE, state.changes->pdata[i]);
  g_ptr_array_unref (state.changes);
}

/* Actions */

static void
on_action_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;
  guint changed = 0;

  state->ok = sk_store_apply_action_finish (SK_STORE (source), result, &changed, &state->error);
  state->changed = changed;
  state->done = TRUE;
}

static guint
apply (Fixture       *f,
       const gint64  *ids,
       guint          n,
       SkOrderAction  action,
       const char    *arg)
{
  g_autoptr(GError) error = NULL;
  guint changed = G_MAXUINT;

  g_assert_true (sk_store_apply_action_sync (f->store, ids, n, action, arg, "user", &changed, &error));
  g_assert_no_error (error);
  return changed;
}

static gint64
count_events (Fixture    *f,
              const char *what)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE what = '%s'", what);

  return query_int (f->store, sql);
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GPtrArray) events = NULL;
  AsyncState state = { 0, };
  gint64 ids[3];
  guint changed;

  import_ok (f, make_page (f, "7001", (gint64) 1, "7002", (gint64) 1, "7003", (gint64) 1, NULL), &result);
  ids[0] = order_id_of (f, "7001");
  ids[1] = order_id_of (f, "7002");
  ids[2] = order_id_of (f, "7003");

  /* A hold needs a reason. */
  g_assert_false (sk_store_apply_action_sync (f->store, ids, 1, SK_ORDER_ACTION_HOLD, "  ",
                                              "user", &changed, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (count_events (f, "hold"), ==, 0);

  g_assert_cmpuint (apply (f, ids, 2, SK_ORDER_ACTION_HOLD, "Fraud check"), ==, 2);
  g_assert_cmpuint (apply (f, ids, 3, SK_ORDER_ACTION_HOLD, "Again"), ==, 1);
  g_assert_cmpint (count_events (f, "hold"), ==, 3);
  order = sk_store_load_order (f->store, ids[0], &error);
  g_assert_true (sk_order_get_on_hold (order));
  g_assert_cmpstr (sk_order_get_hold_reason (order), ==, "Fraud check");
  g_clear_object (&order);

  g_assert_cmpuint (apply (f, ids, 1, SK_ORDER_ACTION_RELEASE, "Customer confirmed"), ==, 1);
  g_assert_cmpuint (apply (f, ids, 1, SK_ORDER_ACTION_RELEASE, NULL), ==, 0);
  g_assert_cmpint (count_events (f, "release"), ==, 1);
  order = sk_store_load_order (f->store, ids[0], &error);
  g_assert_false (sk_order_get_on_hold (order));
  g_assert_null (sk_order_get_hold_reason (order));
  g_clear_object (&order);

  g_assert_cmpuint (apply (f, ids, 3, SK_ORDER_ACTION_ADD_TAG, "gift"), ==, 3);
  g_assert_cmpuint (apply (f, ids, 3, SK_ORDER_ACTION_ADD_TAG, " gift "), ==, 0);
  g_assert_cmpuint (apply (f, ids, 3, SK_ORDER_ACTION_ADD_TAG, "vip"), ==, 0);   /* channel's */
  g_assert_cmpuint (apply (f, ids, 1, SK_ORDER_ACTION_REMOVE_TAG, "gift"), ==, 1);
  g_assert_cmpuint (apply (f, ids, 1, SK_ORDER_ACTION_REMOVE_TAG, "gift"), ==, 0);
  g_assert_cmpint (count_events (f, "tags"), ==, 4);
  order = sk_store_load_order (f->store, ids[1], &error);
  g_assert_true (sk_order_has_tag (order, "gift"));
  g_clear_object (&order);
  order = sk_store_load_order (f->store, ids[0], &error);
  g_assert_false (sk_order_has_tag (order, "gift"));
  g_assert_true (sk_order_has_tag (order, "vip"));
  g_clear_object (&order);

  g_assert_cmpuint (apply (f, ids, 3, SK_ORDER_ACTION_ARCHIVE, NULL), ==, 3);
  g_assert_cmpuint (apply (f, ids, 3, SK_ORDER_ACTION_ARCHIVE, NULL), ==, 0);
  g_assert_cmpuint (apply (f, ids, 2, SK_ORDER_ACTION_UNARCHIVE, NULL), ==, 2);
  g_assert_cmpint (count_events (f, "archive"), ==, 3);
  g_assert_cmpint (count_events (f, "unarchive"), ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders WHERE archived"), ==, 1);

  /* Asynchronously, with an unknown id among them. */
  {
    gint64 some[2] = { ids[2], 999999 };

    sk_store_apply_action_async (f->store, some, 2, SK_ORDER_ACTION_RELEASE, "ok", "user",
                                 NULL, on_action_done, &state);
    sk_test_wait_for (&state.done, 5000);
    g_assert_no_error (state.error);
    g_assert_true (state.ok);
    g_assert_cmpuint (state.changed, ==, 1);
  }

  events = sk_store_list_events (f->store, "order", ids[0], &error);
  g_assert_no_error (error);
  /* imported, hold, release, tags +gift, tags -gift, archive, unarchive */
  g_assert_cmpuint (events->len, ==, 7);
  g_assert_cmpstr (((SkEvent *) events->pdata[1])->what, ==, "hold");
  g_assert_cmpstr (((SkEvent *) events->pdata[1])->to_value, ==, "Fraud check");
  g_assert_cmpstr (((SkEvent *) events->pdata[1])->actor, ==, "user");
  g_assert_cmpstr (((SkEvent *) events->pdata[2])->what, ==, "release");
  g_assert_cmpstr (((SkEvent *) events->pdata[2])->from_value, ==, "Fraud check");
  g_assert_cmpstr (((SkEvent *) events->pdata[2])->why, ==, "Customer confirmed");
  g_assert_cmpstr (((SkEvent *) events->pdata[3])->from_value, ==, "vip, wholesale");
  g_assert_cmpstr (((SkEvent *) events->pdata[3])->to_value, ==, "gift, vip, wholesale");

  /* Events are append-only. */
  g_assert_cmpint (sqlite3_exec (sk_store_get_reader (f->store), "DELETE FROM events", NULL, NULL, NULL),
                   !=, SQLITE_OK);
}

/* Channels */

static void
test_channels (Fixture       *f,
               gconstpointer  data)
{
  SkImportResult result;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) dup = sk_channel_record_new ();
  g_autoptr(SkChannelRecord) other = sk_channel_record_new ();
  g_autoptr(SkChannelRecord) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(SkOrder) kept = NULL;

  dup->kind = g_strdup ("shopify");
  dup->account = g_strdup ("acme.myshopify.com");
  dup->base_url = g_strdup ("https://acme.myshopify.com");
  g_assert_false (sk_store_add_channel (f->store, dup, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "This shop is already connected.");
  g_assert_cmpint (dup->id, ==, 0);
  g_clear_error (&error);

  other->kind = g_strdup ("shopify");
  other->name = g_strdup ("Second shop");
  other->account = g_strdup ("second.myshopify.com");
  other->base_url = g_strdup ("http://127.0.0.1:1234");
  other->settings = (g_free (other->settings), g_strdup ("{\"api_version\":\"2024-01\"}"));
  g_assert_true (sk_store_add_channel (f->store, other, &error));
  g_assert_no_error (error);

  other->paused = TRUE;
  g_free (other->name);
  other->name = g_strdup ("Second shop, renamed");
  g_assert_true (sk_store_update_channel (f->store, other, &error));
  g_assert_no_error (error);
  got = sk_store_get_channel (f->store, other->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->name, ==, "Second shop, renamed");
  g_assert_true (got->paused);
  g_assert_cmpstr (got->settings, ==, "{\"api_version\":\"2024-01\"}");
  g_assert_cmpint (got->created_at, >, 0);
  g_clear_pointer (&got, sk_channel_record_free);

  list = sk_store_list_channels (f->store, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Remove the first, keeping its orders. */
  import_ok (f, make_page (f, "8001", (gint64) 1, NULL), &result);
  g_assert_true (sk_store_remove_channel (f->store, f->channel_id, FALSE, &error));
  g_assert_no_error (error);
  list = sk_store_list_channels (f->store, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  got = sk_store_get_channel (f->store, f->channel_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->removed_at, >, 0);
  g_clear_pointer (&got, sk_channel_record_free);
  kept = sk_store_find_order (f->store, f->channel_id, "8001", &error);
  g_assert_nonnull (kept);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH 'koln'"), ==, 1);
  g_assert_cmpint (count_events (f, "removed"), ==, 1);

  /* No more imports into a removed channel. */
  g_assert_false (sk_store_import_sync (f->store, make_page (f, "8002", (gint64) 1, NULL), &result, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Connecting the same shop again revives it, orders and all. */
  dup->name = g_strdup ("Acme again");
  g_assert_true (sk_store_add_channel (f->store, dup, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dup->id, ==, f->channel_id);
  g_assert_cmpint (sk_store_count_orders (f->store, f->channel_id, &error), ==, 1);

  /* Remove with the orders: gone, search rows too. */
  g_assert_true (sk_store_remove_channel (f->store, f->channel_id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sk_store_count_orders (f->store, 0, &error), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_lines"), ==, 0);
  g_assert_null (sk_store_get_channel (f->store, f->channel_id, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (sk_store_find_order (f->store, f->channel_id, "8001", &error));
  g_assert_no_error (error);
  g_assert_null (sk_store_load_order (f->store, sk_order_get_id (kept), &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* History stays. */
  g_assert_cmpint (count_events (f, "imported"), ==, 1);

  g_assert_false (sk_store_remove_channel (f->store, f->channel_id, TRUE, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND);
}

/* Problems */

static void
test_problems (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  gboolean is_new = FALSE;
  SkProblem *p;

  g_assert_true (sk_store_open_problem (f->store, "channel-auth", "auth:1", f->channel_id,
                                        "Shopify refused the access token.", &is_new, &error));
  g_assert_no_error (error);
  g_assert_true (is_new);
  g_assert_true (sk_store_open_problem (f->store, "channel-auth", "auth:1", f->channel_id,
                                        "Shopify refused the access token again.", &is_new, &error));
  g_assert_false (is_new);
  g_assert_true (sk_store_open_problem (f->store, "dead-letters", "dl", 0,
                                        "2 orders could not be read.", &is_new, &error));
  g_assert_true (is_new);

  problems = sk_store_list_problems (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 2);
  p = problems->pdata[0];
  g_assert_cmpstr (p->kind, ==, "channel-auth");
  g_assert_cmpstr (p->message, ==, "Shopify refused the access token again.");
  g_assert_cmpint (p->channel_id, ==, f->channel_id);
  g_assert_cmpint (p->notified_at, ==, 0);
  g_assert_cmpint (((SkProblem *) problems->pdata[1])->channel_id, ==, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_true (sk_store_mark_problem_notified (f->store, "auth:1", &error));
  g_assert_true (sk_store_resolve_problem (f->store, "dl", &error));
  g_assert_true (sk_store_resolve_problem (f->store, "not-open", &error));
  g_assert_no_error (error);
  problems = sk_store_list_problems (f->store, &error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpint (((SkProblem *) problems->pdata[0])->notified_at, >, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* The same problem coming back later is a new one. */
  g_assert_true (sk_store_open_problem (f->store, "dead-letters", "dl", 0, "Again.", &is_new, &error));
  g_assert_true (is_new);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM exceptions"), ==, 3);
}

/* Throughput */

static void
test_import_throughput (Fixture       *f,
                        gconstpointer  data)
{
  const guint n_pages = 40, per_page = 250;
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();
  SkImportResult result;
  gint64 start, elapsed;
  double rate;

  /* Build the pages first: only the store is measured. */
  for (guint p = 0; p < n_pages; p++)
    {
      SkImportPage *page = sk_import_page_new (f->channel_id, "orders", NULL);

      for (guint i = 0; i < per_page; i++)
        {
          g_autofree char *id = g_strdup_printf ("%u", 100000 + p * per_page + i);

          g_ptr_array_add (page->orders, make_order (f->channel_id, id, 100, 3));
        }
      page->write_cursor = TRUE;
      page->cursor.pages_done = p + 1;
      g_ptr_array_add (pages, page);
    }

  start = g_get_monotonic_time ();
  for (guint p = 0; p < n_pages; p++)
    import_ok (f, pages->pdata[p], &result);
  elapsed = g_get_monotonic_time () - start;

  rate = (double) (n_pages * per_page) / ((double) elapsed / G_USEC_PER_SEC);
  g_test_message ("imported %u orders in %.3f s: %.0f orders/s",
                  n_pages * per_page, (double) elapsed / G_USEC_PER_SEC, rate);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders"), ==, n_pages * per_page);
  /* A loose floor that catches a transaction or fsync per order, even on a
   * busy machine; not under valgrind, which is 50 times slower. */
  if (strstr (g_getenv ("LD_PRELOAD") ? g_getenv ("LD_PRELOAD") : "", "vgpreload") == NULL)
    g_assert_cmpfloat (rate, >, 1000.0);
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/store/open/memory-refused", test_open_memory_refused);
  g_test_add_func ("/store/open/missing-folder", test_open_missing_folder);
  g_test_add_func ("/store/errors/mapping", test_error_mapping);
  ADD ("/store/open/close", test_open_close);
  ADD ("/store/jobs/run-sync-threads", test_run_sync_threads);
  ADD ("/store/jobs/async-rollback", test_run_async_rollback);
  ADD ("/store/jobs/async-cancelled", test_run_async_cancelled);
  ADD ("/store/import/idempotent", test_import_idempotent);
  ADD ("/store/import/duplicate-in-page", test_import_duplicate_in_page);
  ADD ("/store/import/stale-and-newer", test_import_stale_and_newer);
  ADD ("/store/import/update-columns", test_import_update_columns);
  ADD ("/store/import/keeps-local-state", test_import_keeps_local_state);
  ADD ("/store/import/dead-letters", test_import_dead_letters);
  ADD ("/store/import/same-second", test_import_same_second);
  ADD ("/store/import/dead-letters-without-id", test_import_dead_letters_without_id);
  ADD ("/store/import/cursor-atomic", test_import_cursor);
  ADD ("/store/import/unknown-channel", test_import_unknown_channel);
  ADD ("/store/import/throughput", test_import_throughput);
  ADD ("/store/errors/disk-full", test_error_disk_full);
  ADD ("/store/errors/busy", test_error_busy);
  ADD ("/store/changed-signal", test_changed_signal);
  ADD ("/store/actions", test_actions);
  ADD ("/store/channels", test_channels);
  ADD ("/store/problems", test_problems);

  return g_test_run ();
}
