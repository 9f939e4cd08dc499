/* test-inventory.c: the stock ledger, reservations, kits, rules and pushes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-inventory.h"
#include "sk-order.h"
#include "sk-sku-list.h"
#include "sk-store.h"
#include "sk-store-channels.h"
#include "sk-store-import.h"
#include "sk-store-inventory.h"
#include "sk-store-orders.h"
#include "sk-store-outbox.h"
#include "sk-store-problems.h"
#include "sk-test-util.h"

typedef struct
{
  char *tmpdir;
  char *path;
  SkStore *store;
  SkInventory *inventory;
  gint64 channel_a;
  gint64 channel_b;
  gint64 main_location;
  gint64 backroom;
  guint64 updated_at;    /* increasing updated_at for re-imports */
} Fixture;

static gint64
add_channel (SkStore    *store,
             const char *kind,
             const char *name,
             const char *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();

  record->kind = g_strdup (kind);
  record->name = g_strdup (name);
  record->account = g_strdup (account);
  record->base_url = g_strdup ("http://127.0.0.1:1");
  sk_store_add_channel (store, record, &error);
  g_assert_no_error (error);
  return record->id;
}

static gint64
add_location (Fixture        *f,
              const char     *name,
              SkLocationKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkLocation) location = sk_location_new (name, kind);

  location->address = sk_address_new ();
  location->address->city = g_strdup ("Köln");
  location->address->country_code = g_strdup ("DE");
  g_assert_true (sk_store_add_location (f->store, location, &error));
  g_assert_no_error (error);
  return location->id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmpdir = sk_test_tmpdir_new ();
  f->path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (f->path, &error);
  g_assert_no_error (error);
  f->channel_a = add_channel (f->store, "shopify", "Acme (Shopify)", "acme.myshopify.com");
  f->channel_b = add_channel (f->store, "woocommerce", "Acme (WooCommerce)", "shop.acme.example");
  f->main_location = add_location (f, "Main warehouse", SK_LOCATION_KIND_WAREHOUSE);
  f->backroom = add_location (f, "Shop backroom", SK_LOCATION_KIND_STORE);
  /* Test orders are from 2023: track them. */
  g_assert_true (sk_store_set_stock_tracking_since (f->store, 0, &error));
  g_assert_no_error (error);
  f->inventory = sk_inventory_new (f->store);
  f->updated_at = 1700000000;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* Whatever a test did, the ledger and the levels agree. */
  g_assert_true (sk_store_check_stock_consistency (f->store, &error));
  g_assert_no_error (error);
  g_clear_object (&f->inventory);
  g_clear_object (&f->store);
  g_free (f->path);
  sk_test_tmpdir_free (f->tmpdir);
}

/* Helpers */

static gint64
add_sku (Fixture    *f,
         const char *sku,
         const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSku) record = sk_sku_new (sku, title);

  g_assert_true (sk_store_add_sku (f->store, record, &error));
  g_assert_no_error (error);
  g_assert_cmpint (record->id, >, 0);
  return record->id;
}

static gboolean
edit (Fixture         *f,
      SkMovementKind   kind,
      gint64           sku_id,
      gint64           location_id,
      gint64           quantity,
      const char      *reason,
      GError         **error)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);
  SkStockEdit *e = sk_stock_edit_new (kind, sku_id, location_id, quantity);

  g_ptr_array_add (edits, e);
  return sk_inventory_apply_edits_sync (f->inventory, edits, reason, NULL, error);
}

static void
receive (Fixture *f,
         gint64   sku_id,
         gint64   location_id,
         gint64   quantity)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (edit (f, SK_MOVEMENT_RECEIVE, sku_id, location_id, quantity, "Delivery", &error));
  g_assert_no_error (error);
}

static SkStockLevel
level_at (Fixture *f,
          gint64   sku_id,
          gint64   location_id)
{
  g_autoptr(GError) error = NULL;
  SkStockLevel level;

  g_assert_true (sk_store_get_stock_level (f->store, sku_id, location_id, &level, &error));
  g_assert_no_error (error);
  return level;
}

static SkSku *
get_sku (Fixture *f,
         gint64   sku_id)
{
  g_autoptr(GError) error = NULL;
  SkSku *sku = sk_store_get_sku (f->store, sku_id, &error);

  g_assert_no_error (error);
  return sku;
}

static gint64
available (Fixture *f,
           gint64   sku_id)
{
  g_autoptr(SkSku) sku = get_sku (f, sku_id);

  return sku->available;
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (sk_store_get_reader (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static SkOrder *
make_order (gint64        channel_id,
            const char   *external_id,
            gint64        updated_at,
            const char   *first_sku,
            ...)
{
  SkOrder *order = sk_order_new ();
  g_autofree char *number = g_strdup_printf ("#%s", external_id);
  va_list args;
  gint64 total = 0;
  int i = 0;

  sk_order_set_channel_id (order, channel_id);
  sk_order_set_external_id (order, external_id);
  sk_order_set_number (order, number);
  sk_order_set_created_at (order, 1700000000);
  sk_order_set_updated_at (order, updated_at);
  sk_order_set_currency (order, "EUR");
  sk_order_set_status (order, SK_ORDER_STATUS_OPEN, "open");
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_PAID, "paid");
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_UNFULFILLED, NULL);

  va_start (args, first_sku);
  for (const char *sku = first_sku; sku != NULL; sku = va_arg (args, const char *))
    {
      g_autoptr(SkOrderLine) line = sk_order_line_new ();

      line->external_id = g_strdup_printf ("%s-%d", external_id, i++);
      line->sku = g_strdup (sku);
      line->title = g_strdup_printf ("Item %s", sku);
      line->quantity = va_arg (args, gint64);
      line->unit_price = 1000;
      total += line->quantity * line->unit_price;
      sk_order_add_line (order, line);
    }
  va_end (args);
  sk_order_set_item_count (order, sk_order_get_item_count (order));
  sk_order_set_subtotal (order, total);
  sk_order_set_total (order, total);
  return order;
}

/* Import @order on its channel and return its id. */
static gint64
import (Fixture  *f,
        SkOrder  *order)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) stored = NULL;
  gint64 channel_id = sk_order_get_channel_id (order);
  g_autofree char *external_id = g_strdup (sk_order_get_external_id (order));
  SkImportPage *page = sk_import_page_new (channel_id, "orders", NULL);

  g_ptr_array_add (page->orders, order);
  g_assert_true (sk_store_import_sync (f->store, page, NULL, &error));
  g_assert_no_error (error);
  stored = sk_store_find_order (f->store, channel_id, external_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  return sk_order_get_id (stored);
}

/* A pass for these orders, now. */
static SkInventoryReport
apply_orders (Fixture *f,
              gint64   order_id)
{
  g_autoptr(GError) error = NULL;
  SkInventoryReport report;

  sk_inventory_run_sync (f->inventory, &order_id, order_id ? 1 : 0, FALSE, FALSE, &report, &error);
  g_assert_no_error (error);
  return report;
}

static gint64
upsert_listing (Fixture    *f,
                gint64      channel_id,
                const char *product_ref,
                const char *sku,
                gint64      channel_quantity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listings = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
  SkListing *listing = sk_listing_new (product_ref, NULL);
  SkListingUpsertResult result;

  listing->sku = g_strdup (sku);
  listing->title = g_strdup_printf ("Listing %s", sku);
  listing->inventory_ref = g_strdup_printf ("inv-%s", product_ref);
  listing->location_ref = g_strdup ("655441491");
  listing->channel_quantity = channel_quantity;
  g_ptr_array_add (listings, listing);
  g_assert_true (sk_store_upsert_listings_sync (f->store, channel_id, listings,
                                                SK_LISTING_UPSERT_NONE, &result, &error));
  g_assert_no_error (error);
  return listing->id;
}

/* The pending stock pushes of a listing: count and the quantity of the
 * newest. */
static guint
pending_pushes (Fixture *f,
                gint64   listing_id,
                gint64  *out_quantity)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (sk_store_get_reader (f->store),
                                       "SELECT json_extract (payload, '$.quantity') FROM outbox"
                                       " WHERE kind = 'stock-level' AND subject_type = 'listing'"
                                       " AND subject_id = ? AND state = 'pending' ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, listing_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      n++;
      if (out_quantity != NULL)
        *out_quantity = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return n;
}

static guint
count_events (Fixture    *f,
              const char *subject_type,
              gint64      subject_id,
              const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = sk_store_list_events (f->store, subject_type, subject_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((SkEvent *) events->pdata[i])->what, what))
      n++;
  return n;
}

static SkEvent *
last_event (Fixture    *f,
            const char *subject_type,
            gint64      subject_id,
            const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = sk_store_list_events (f->store, subject_type, subject_id, &error);

  g_assert_no_error (error);
  for (guint i = events->len; i > 0; i--)
    if (g_str_equal (((SkEvent *) events->pdata[i - 1])->what, what))
      return g_ptr_array_steal_index (events, i - 1);
  return NULL;
}

static gboolean
problem_open (Fixture    *f,
              const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = sk_store_list_problems (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    if (g_str_equal (((SkProblem *) problems->pdata[i])->dedup_key, key))
      return TRUE;
  return FALSE;
}

static gint64
count_problem_rows (Fixture    *f,
                    const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM exceptions WHERE dedup_key = '%s'", key);

  return query_int (f, sql);
}

/* The ledger */

static void
test_ledger_arithmetic (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(SkSku) sku = NULL;
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  SkStockEdit *e;
  SkMovement *m;
  SkStockLevel level;

  receive (f, ts, f->main_location, 10);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 10);

  g_assert_true (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -3, "Damaged in storage", &error));
  g_assert_no_error (error);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 7);

  /* An adjustment needs a reason. */
  g_assert_false (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -1, NULL, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "TS-1"));
  g_clear_error (&error);

  /* A count sets an absolute level: the change and the count are kept. */
  g_assert_true (edit (f, SK_MOVEMENT_COUNT, ts, f->main_location, 5, "Cycle count", &error));
  g_assert_no_error (error);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 5);

  /* A transfer is two rows in one transaction. */
  e = sk_stock_edit_new (SK_MOVEMENT_TRANSFER_OUT, ts, f->main_location, 2);
  e->to_location_id = f->backroom;
  g_ptr_array_add (edits, e);
  g_assert_true (sk_inventory_apply_edits_sync (f->inventory, edits, "Restock the shop", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 3);
  g_assert_cmpint (level_at (f, ts, f->backroom).on_hand, ==, 2);

  /* Taking out more than is there is refused, and nothing is written. */
  g_assert_false (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -4, "Lost", &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "Only 3"));
  g_clear_error (&error);
  g_ptr_array_set_size (edits, 0);
  e = sk_stock_edit_new (SK_MOVEMENT_TRANSFER_OUT, ts, f->backroom, 5);
  e->to_location_id = f->main_location;
  g_ptr_array_add (edits, e);
  g_assert_false (sk_inventory_apply_edits_sync (f->inventory, edits, "Too many", NULL, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 3);
  g_assert_cmpint (level_at (f, ts, f->backroom).on_hand, ==, 2);

  /* Returns: only resellable ones are on hand. */
  g_ptr_array_set_size (edits, 0);
  e = sk_stock_edit_new (SK_MOVEMENT_RETURN, ts, f->main_location, 1);
  e->condition = SK_STOCK_CONDITION_RESELLABLE;
  g_ptr_array_add (edits, e);
  e = sk_stock_edit_new (SK_MOVEMENT_RETURN, ts, f->main_location, 2);
  e->condition = SK_STOCK_CONDITION_DAMAGED;
  g_ptr_array_add (edits, e);
  e = sk_stock_edit_new (SK_MOVEMENT_RETURN, ts, f->backroom, 1);
  e->condition = SK_STOCK_CONDITION_QUARANTINE;
  g_ptr_array_add (edits, e);
  g_assert_true (sk_inventory_apply_edits_sync (f->inventory, edits, "Customer returns", NULL, &error));
  g_assert_no_error (error);
  level = level_at (f, ts, f->main_location);
  g_assert_cmpint (level.on_hand, ==, 4);
  g_assert_cmpint (level.damaged, ==, 2);
  level = level_at (f, ts, f->backroom);
  g_assert_cmpint (level.on_hand, ==, 2);
  g_assert_cmpint (level.quarantine, ==, 1);

  sku = get_sku (f, ts);
  g_assert_cmpint (sku->on_hand, ==, 6);
  g_assert_cmpint (sku->unsellable, ==, 3);
  g_assert_cmpint (sku->available, ==, 6);

  /* The history, newest first. */
  movements = sk_store_list_movements (f->store, ts, 0, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (movements->len, ==, 8);
  m = movements->pdata[7];
  g_assert_cmpint (m->kind, ==, SK_MOVEMENT_RECEIVE);
  g_assert_cmpint (m->quantity, ==, 10);
  g_assert_cmpint (m->balance, ==, 10);
  g_assert_cmpstr (m->location_name, ==, "Main warehouse");
  m = movements->pdata[5];
  g_assert_cmpint (m->kind, ==, SK_MOVEMENT_COUNT);
  g_assert_cmpint (m->counted, ==, 5);
  g_assert_cmpint (m->quantity, ==, -2);
  g_assert_cmpstr (m->reason, ==, "Cycle count");
  m = movements->pdata[3];
  g_assert_cmpint (m->kind, ==, SK_MOVEMENT_TRANSFER_IN);
  g_assert_cmpint (m->ref_id, ==, ((SkMovement *) movements->pdata[4])->id);
  g_assert_cmpint (m->other_location_id, ==, f->main_location);
  m = movements->pdata[1];
  g_assert_cmpint (m->condition, ==, SK_STOCK_CONDITION_DAMAGED);
  g_assert_cmpint (m->balance, ==, 2);

  /* Paging: the two rows before the newest three. */
  g_clear_pointer (&movements, g_ptr_array_unref);
  movements = sk_store_list_movements (f->store, ts, 0, 0, 3, &error);
  g_assert_cmpuint (movements->len, ==, 3);
  {
    g_autoptr(GPtrArray) older = sk_store_list_movements (f->store, ts, 0,
                                                          ((SkMovement *) movements->pdata[2])->id, 2, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (older->len, ==, 2);
    g_assert_cmpint (((SkMovement *) older->pdata[0])->kind, ==, SK_MOVEMENT_TRANSFER_IN);
  }

  g_assert_true (sk_store_check_stock_consistency (f->store, &error));
  g_assert_no_error (error);
}

/* The consistency check notices a level that does not follow its ledger. */
static void
test_ledger_check_fails (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  sqlite3 *db = NULL;

  receive (f, ts, f->main_location, 4);
  g_assert_true (sk_store_check_stock_consistency (f->store, &error));

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE stock_levels SET on_hand = 5", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_false (sk_store_check_stock_consistency (f->store, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CORRUPT);
  g_clear_error (&error);

  /* Movements cannot be rewritten to match. */
  g_assert_cmpint (sqlite3_exec (db, "UPDATE stock_movements SET quantity = 5", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE stock_levels SET on_hand = 4", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (sk_store_check_stock_consistency (f->store, &error));
  g_assert_no_error (error);
}

/* Reservations */

static void
test_reservations_import (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(SkEvent) event = NULL;
  g_autoptr(GPtrArray) reservations = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 cap = add_sku (f, "CAP-1", "Cap");
  gint64 order_id;
  SkOrder *order;
  SkInventoryReport report;

  receive (f, ts, f->main_location, 10);
  receive (f, cap, f->main_location, 5);

  order_id = import (f, make_order (f->channel_a, "1001", 1700000100,
                                    "TS-1", (gint64) 3, "CAP-1", (gint64) 1, NULL));
  report = apply_orders (f, order_id);
  g_assert_cmpuint (report.orders_applied, ==, 1);
  g_assert_cmpuint (report.reservations_changed, ==, 2);
  g_assert_cmpint (level_at (f, ts, f->main_location).reserved, ==, 3);
  g_assert_cmpint (available (f, ts), ==, 7);
  g_assert_cmpint (available (f, cap), ==, 4);
  /* Reserving does not move stock. */
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 10);

  event = last_event (f, "order", order_id, "reserved");
  g_assert_nonnull (event);
  g_assert_cmpstr (event->from_value, ==, "0");
  g_assert_cmpstr (event->to_value, ==, "4");
  g_assert_cmpstr (event->actor, ==, "engine:inventory");
  g_assert_nonnull (event->why);
  g_clear_pointer (&event, sk_event_free);

  reservations = sk_store_list_sku_reservations (f->store, ts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reservations->len, ==, 1);
  g_assert_cmpstr (((SkReservation *) reservations->pdata[0])->order_number, ==, "#1001");

  /* Applying again changes nothing. */
  report = apply_orders (f, order_id);
  g_assert_cmpuint (report.reservations_changed, ==, 0);
  g_assert_cmpuint (count_events (f, "order", order_id, "reserved"), ==, 1);

  /* The channel edits the line down: the difference is released. */
  order = make_order (f->channel_a, "1001", 1700000200, "TS-1", (gint64) 2, "CAP-1", (gint64) 1, NULL);
  order_id = import (f, order);
  apply_orders (f, order_id);
  g_assert_cmpint (available (f, ts), ==, 8);

  /* Cancelling releases everything. */
  order = make_order (f->channel_a, "1001", 1700000300, "TS-1", (gint64) 2, "CAP-1", (gint64) 1, NULL);
  sk_order_set_status (order, SK_ORDER_STATUS_CANCELLED, "cancelled");
  sk_order_set_cancelled_at (order, 1700000300);
  import (f, order);
  apply_orders (f, order_id);
  g_assert_cmpint (available (f, ts), ==, 10);
  g_assert_cmpint (available (f, cap), ==, 5);
  g_assert_cmpint (level_at (f, ts, f->main_location).reserved, ==, 0);
  event = last_event (f, "order", order_id, "released");
  g_assert_nonnull (event);
  g_assert_cmpstr (event->to_value, ==, "0");
  g_assert_nonnull (strstr (event->why, "cancelled"));
}

static void
test_reservations_refund (Fixture       *f,
                          gconstpointer  data)
{
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 order_id;
  SkOrder *order;

  receive (f, ts, f->main_location, 10);
  order_id = import (f, make_order (f->channel_b, "77", 1700000100, "TS-1", (gint64) 4, NULL));
  apply_orders (f, order_id);
  g_assert_cmpint (available (f, ts), ==, 6);

  order = make_order (f->channel_b, "77", 1700000200, "TS-1", (gint64) 4, NULL);
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_REFUNDED, "refunded");
  import (f, order);
  apply_orders (f, order_id);
  g_assert_cmpint (available (f, ts), ==, 10);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 10);
}

static void
test_reservations_ship (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkShipment) shipment = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 order_id, other_id;
  SkOrder *order;
  SkInventoryReport report;
  SkMovement *m;

  receive (f, ts, f->main_location, 10);

  /* Shipped by the channel: a sale, and the reservation is gone. */
  order_id = import (f, make_order (f->channel_a, "2001", 1700000100, "TS-1", (gint64) 2, NULL));
  apply_orders (f, order_id);
  g_assert_cmpint (available (f, ts), ==, 8);
  order = make_order (f->channel_a, "2001", 1700000200, "TS-1", (gint64) 2, NULL);
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled");
  import (f, order);
  report = apply_orders (f, order_id);
  g_assert_cmpuint (report.sales_recorded, ==, 1);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 8);
  g_assert_cmpint (level_at (f, ts, f->main_location).reserved, ==, 0);
  g_assert_cmpint (available (f, ts), ==, 8);
  movements = sk_store_list_movements (f->store, ts, 0, 0, 1, &error);
  m = movements->pdata[0];
  g_assert_cmpint (m->kind, ==, SK_MOVEMENT_SALE);
  g_assert_cmpint (m->quantity, ==, -2);
  g_assert_cmpint (m->order_id, ==, order_id);
  g_assert_cmpstr (m->order_number, ==, "#2001");

  /* Seen again: no second sale. */
  report = apply_orders (f, order_id);
  g_assert_cmpuint (report.sales_recorded, ==, 0);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 8);

  /* Restocked after a refund: what left comes back. */
  order = make_order (f->channel_a, "2001", 1700000300, "TS-1", (gint64) 2, NULL);
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_RESTOCKED, "restocked");
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_REFUNDED, "refunded");
  import (f, order);
  report = apply_orders (f, order_id);
  g_assert_cmpuint (report.returns_recorded, ==, 1);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 10);

  /* A partial shipment recorded in Storekeep consumes what it holds. */
  other_id = import (f, make_order (f->channel_a, "2002", 1700000100, "TS-1", (gint64) 3, NULL));
  apply_orders (f, other_id);
  g_assert_cmpint (available (f, ts), ==, 7);
  shipment = sk_shipment_new (other_id, "DHL", "00340434161094042557", NULL);
  sk_shipment_add_line (shipment, 0, 1);
  g_assert_true (sk_store_record_shipment_sync (f->store, shipment, "user", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  report = apply_orders (f, other_id);
  g_assert_cmpuint (report.sales_recorded, ==, 1);
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 9);
  g_assert_cmpint (level_at (f, ts, f->main_location).reserved, ==, 2);
  g_assert_cmpint (available (f, ts), ==, 7);
}

/* One order that cannot be applied does not stop the others. */
static void
test_reservations_isolated (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 cap = add_sku (f, "CAP-1", "Cap");
  gint64 ids[2];
  SkOrder *order;
  sqlite3 *db = NULL;

  receive (f, ts, f->main_location, 10);
  receive (f, cap, f->main_location, 10);
  ids[0] = import (f, make_order (f->channel_a, "10001", 1700000100, "CAP-1", (gint64) 1, NULL));
  ids[1] = import (f, make_order (f->channel_a, "10002", 1700000100, "TS-1", (gint64) 2, NULL));
  g_assert_true (sk_inventory_run_sync (f->inventory, ids, 2, FALSE, FALSE, NULL, &error));

  /* Something refuses every movement of the first order's SKU. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TRIGGER poison BEFORE INSERT ON stock_movements"
                                     " WHEN new.sku_id = (SELECT id FROM skus WHERE sku = 'CAP-1')"
                                     " BEGIN SELECT RAISE (ABORT, 'refused'); END",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  order = make_order (f->channel_a, "10001", 1700000200, "CAP-1", (gint64) 1, NULL);
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled");
  import (f, order);
  order = make_order (f->channel_a, "10002", 1700000200, "TS-1", (gint64) 2, NULL);
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled");
  import (f, order);
  g_assert_true (sk_inventory_run_sync (f->inventory, ids, 2, FALSE, FALSE, NULL, &error));
  g_assert_no_error (error);

  /* The second shipped; the first is flagged and left as it was. */
  g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, 8);
  g_assert_cmpint (level_at (f, cap, f->main_location).on_hand, ==, 10);
  key = g_strdup_printf ("order-stock:%" G_GINT64_FORMAT, ids[0]);
  g_assert_true (problem_open (f, key));

  /* Its reservation is untouched. */
  g_assert_cmpint (level_at (f, cap, f->main_location).reserved, ==, 1);
}

/* An order created before tracking began is history: nothing reserved. */
static void
test_reservations_tracking_since (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 order_id;
  SkInventoryReport report;

  receive (f, ts, f->main_location, 10);
  g_assert_true (sk_store_set_stock_tracking_since (f->store, 1800000000, &error));
  order_id = import (f, make_order (f->channel_a, "9", 1700000100, "TS-1", (gint64) 2, NULL));
  report = apply_orders (f, order_id);
  g_assert_cmpuint (report.orders_applied, ==, 0);
  g_assert_cmpint (available (f, ts), ==, 10);
  g_assert_cmpint (sk_store_get_stock_tracking_since (f->store, NULL), ==, 1800000000);

  /* Moved back after a count: the next pass catches the order up. */
  g_assert_true (sk_store_set_stock_tracking_since (f->store, 1600000000, &error));
  g_assert_true (sk_store_has_stock_work (f->store));
  report = apply_orders (f, 0);
  g_assert_cmpuint (report.orders_applied, ==, 1);
  g_assert_cmpint (available (f, ts), ==, 8);
  g_assert_false (sk_store_has_stock_work (f->store));
}

/* Kits */

static void
test_kits (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) components = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_kit_component_free);
  g_autoptr(GPtrArray) listed = NULL;
  gint64 shoe = add_sku (f, "TS-1", "Trail shoe");
  gint64 lace = add_sku (f, "LACE", "Laces");
  gint64 kit = add_sku (f, "KIT-RUN", "Running kit");
  gint64 other_kit = add_sku (f, "KIT-2", "Other kit");
  gint64 order_id;

  receive (f, shoe, f->main_location, 10);
  receive (f, lace, f->main_location, 4);

  g_ptr_array_add (components, sk_kit_component_new (shoe, 2));
  g_ptr_array_add (components, sk_kit_component_new (lace, 1));
  g_assert_true (sk_store_set_kit_components (f->store, kit, components, &error));
  g_assert_no_error (error);
  listed = sk_store_list_kit_components (f->store, kit, &error);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (((SkKitComponent *) listed->pdata[0])->sku, ==, "LACE");

  apply_orders (f, 0);
  /* min (10 / 2, 4 / 1) */
  g_assert_cmpint (available (f, kit), ==, 4);

  /* Kits hold no stock, and contain no kits. */
  g_assert_false (edit (f, SK_MOVEMENT_RECEIVE, kit, f->main_location, 1, NULL, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_ptr_array_set_size (components, 0);
  g_ptr_array_add (components, sk_kit_component_new (kit, 1));
  g_assert_false (sk_store_set_kit_components (f->store, other_kit, components, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  /* A SKU with stock cannot become a kit. */
  g_ptr_array_set_size (components, 0);
  g_ptr_array_add (components, sk_kit_component_new (lace, 1));
  g_assert_false (sk_store_set_kit_components (f->store, shoe, components, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Selling 3 kits reserves 6 shoes and 3 laces. */
  order_id = import (f, make_order (f->channel_a, "3001", 1700000100, "KIT-RUN", (gint64) 3, NULL));
  apply_orders (f, order_id);
  g_assert_cmpint (level_at (f, shoe, f->main_location).reserved, ==, 6);
  g_assert_cmpint (level_at (f, lace, f->main_location).reserved, ==, 3);
  g_assert_cmpint (available (f, shoe), ==, 4);
  g_assert_cmpint (available (f, lace), ==, 1);
  /* min (4 / 2, 1 / 1) */
  g_assert_cmpint (available (f, kit), ==, 1);

  /* A shoe sold alone lowers the kit too. */
  order_id = import (f, make_order (f->channel_b, "3002", 1700000100, "TS-1", (gint64) 3, NULL));
  apply_orders (f, order_id);
  g_assert_cmpint (available (f, shoe), ==, 1);
  g_assert_cmpint (available (f, kit), ==, 0);

  /* Shipping the kit order consumes the components. */
  {
    SkOrder *order = make_order (f->channel_a, "3001", 1700000200, "KIT-RUN", (gint64) 3, NULL);

    sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled");
    apply_orders (f, import (f, order));
  }
  g_assert_cmpint (level_at (f, shoe, f->main_location).on_hand, ==, 4);
  g_assert_cmpint (level_at (f, lace, f->main_location).on_hand, ==, 1);
  g_assert_cmpint (available (f, kit), ==, 0);
  g_assert_cmpint (level_at (f, kit, f->main_location).on_hand, ==, 0);
}

static void
test_kit_available_pure (void)
{
  SkStockWorkPart parts[3] = {
    { 1, 10, 2, 11 },
    { 1, 11, 3, 9 },
    { 1, 12, 1, -4 },
  };

  g_assert_cmpint (sk_inventory_kit_available (parts, 0), ==, 0);
  g_assert_cmpint (sk_inventory_kit_available (parts, 1), ==, 5);
  g_assert_cmpint (sk_inventory_kit_available (parts, 2), ==, 3);
  /* A component in the red makes none, not a negative number. */
  g_assert_cmpint (sk_inventory_kit_available (parts, 3), ==, 0);
}

/* Buffer rules */

typedef struct
{
  gint64 available;
  gint64 buffer;
  int percent;
  gint64 maximum;
  gint64 stop_below;
  gint64 expected;
} RuleCase;

static void
test_rules_table (void)
{
  static const RuleCase cases[] = {
    /* no rule */
    { 10, 0, 100, -1, 0, 10 },
    { 0, 0, 100, -1, 0, 0 },
    /* negative available → 0 */
    { -3, 0, 100, -1, 0, 0 },
    { -3, 2, 50, 5, 1, 0 },
    /* buffer */
    { 10, 2, 100, -1, 0, 8 },
    { 2, 2, 100, -1, 0, 0 },
    { 1, 2, 100, -1, 0, 0 },
    /* percentage, rounded down */
    { 10, 0, 50, -1, 0, 5 },
    { 9, 0, 50, -1, 0, 4 },
    { 3, 0, 33, -1, 0, 0 },
    { 100, 0, 33, -1, 0, 33 },
    { 10, 0, 0, -1, 0, 0 },
    /* buffer first, then the percentage */
    { 12, 2, 50, -1, 0, 5 },
    /* maximum */
    { 100, 0, 100, 20, 0, 20 },
    { 10, 0, 100, 20, 0, 10 },
    { 10, 0, 100, 0, 0, 0 },
    { 100, 10, 50, 40, 0, 40 },
    /* stop listing below N (on what is available, before the buffer) */
    { 4, 0, 100, -1, 5, 0 },
    { 5, 0, 100, -1, 5, 5 },
    { 6, 2, 100, -1, 5, 4 },
    { 4, 2, 100, -1, 5, 0 },
    /* everything */
    { 50, 5, 80, 30, 10, 30 },
    { 20, 5, 80, 30, 10, 12 },
    { 9, 5, 80, 30, 10, 0 },
    /* huge numbers do not overflow */
    { G_MAXINT64 / 2, 0, 100, -1, 0, G_MAXINT64 / 2 },
    { G_MAXINT64, 0, 50, -1, 0, G_MAXINT64 / 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SkListingRule rule;

      sk_listing_rule_init (&rule);
      rule.buffer = cases[i].buffer;
      rule.percent = cases[i].percent;
      rule.maximum = cases[i].maximum;
      rule.stop_below = cases[i].stop_below;
      g_test_message ("case %u: available %" G_GINT64_FORMAT, i, cases[i].available);
      g_assert_cmpint (sk_inventory_channel_quantity (cases[i].available, &rule), ==, cases[i].expected);
    }
}

/* Every combination over a range, against the definition written out
 * another way. */
static void
test_rules_exhaustive (void)
{
  static const int percents[] = { 0, 1, 33, 50, 99, 100 };
  static const gint64 maxima[] = { -1, 0, 1, 7, 50 };
  static const gint64 stops[] = { 0, 1, 5, 20 };
  guint checked = 0;

  for (gint64 buffer = 0; buffer <= 6; buffer++)
    for (guint p = 0; p < G_N_ELEMENTS (percents); p++)
      for (guint m = 0; m < G_N_ELEMENTS (maxima); m++)
        for (guint s = 0; s < G_N_ELEMENTS (stops); s++)
          {
            SkListingRule rule;
            gint64 previous = 0;

            sk_listing_rule_init (&rule);
            rule.buffer = buffer;
            rule.percent = percents[p];
            rule.maximum = maxima[m];
            rule.stop_below = stops[s];
            for (gint64 a = -5; a <= 120; a++)
              {
                gint64 q = sk_inventory_channel_quantity (a, &rule);
                gint64 expected;

                if (a <= 0 || a < rule.stop_below || a - buffer <= 0)
                  expected = 0;
                else
                  {
                    expected = (a - buffer) * rule.percent / 100;
                    if (rule.maximum >= 0)
                      expected = MIN (expected, rule.maximum);
                  }
                g_assert_cmpint (q, ==, expected);
                g_assert_cmpint (q, >=, 0);
                g_assert_cmpint (q, <=, MAX (a, 0));
                if (rule.maximum >= 0)
                  g_assert_cmpint (q, <=, rule.maximum);
                /* More available never shows less. */
                g_assert_cmpint (q, >=, previous);
                previous = q;
                checked++;
              }
          }
  g_assert_cmpuint (checked, ==, 7 * 6 * 5 * 4 * 126);
}

static void
test_rules_describe (void)
{
  g_autofree char *none = NULL;
  g_autofree char *full = NULL;
  SkListingRule rule;

  sk_listing_rule_init (&rule);
  none = sk_inventory_describe_rule (&rule, 0);
  g_assert_nonnull (strstr (none, "No rule"));
  rule.buffer = 2;
  rule.percent = 50;
  rule.maximum = 20;
  rule.stop_below = 3;
  full = sk_inventory_describe_rule (&rule, 1);
  g_assert_nonnull (strstr (full, "keep 2 back"));
  g_assert_nonnull (strstr (full, "50 %"));
  g_assert_nonnull (strstr (full, "at most 20"));
  g_assert_nonnull (strstr (full, "none below 3"));
}

static void
test_measure (void)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;
  char *text;

  g_assert_true (sk_inventory_parse_measure ("1.25", &value, &error));
  g_assert_cmpint (value, ==, 1250);
  g_assert_true (sk_inventory_parse_measure ("0.001", &value, &error));
  g_assert_cmpint (value, ==, 1);
  g_assert_false (sk_inventory_parse_measure ("1.2345", &value, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_clear_error (&error);
  g_assert_false (sk_inventory_parse_measure ("-1", &value, &error));
  g_clear_error (&error);
  text = sk_inventory_format_measure (1250);
  g_assert_cmpstr (text, ==, "1.25");
  g_free (text);
  text = sk_inventory_format_measure (3000);
  g_assert_cmpstr (text, ==, "3");
  g_free (text);
  text = sk_inventory_format_measure (5);
  g_assert_cmpstr (text, ==, "0.005");
  g_free (text);
}

/* Listing rules in the store decide the pushes */

static void
test_rules_in_store (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(SkEvent) event = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 on_a, on_b, q = -1;
  SkListingRule rule;
  int source = -1;

  receive (f, ts, f->main_location, 20);
  on_a = upsert_listing (f, f->channel_a, "100", "TS-1", 20);
  on_b = upsert_listing (f, f->channel_b, "200", "TS-1", 20);
  apply_orders (f, 0);
  g_assert_cmpuint (pending_pushes (f, on_a, NULL), ==, 0);

  /* Channel B keeps 5 back and shows half. */
  sk_listing_rule_init (&rule);
  rule.channel_id = f->channel_b;
  rule.buffer = 5;
  rule.percent = 50;
  g_assert_true (sk_store_set_listing_rule (f->store, &rule, &error));
  g_assert_no_error (error);
  apply_orders (f, 0);
  g_assert_cmpuint (pending_pushes (f, on_a, NULL), ==, 0);
  g_assert_cmpuint (pending_pushes (f, on_b, &q), ==, 1);
  g_assert_cmpint (q, ==, 7);

  /* A SKU override beats the channel default. */
  sk_listing_rule_init (&rule);
  rule.channel_id = f->channel_b;
  rule.sku_id = ts;
  rule.maximum = 3;
  g_assert_true (sk_store_set_listing_rule (f->store, &rule, &error));
  g_assert_true (sk_store_get_effective_rule (f->store, f->channel_b, ts, &rule, &source, &error));
  g_assert_cmpint (source, ==, 2);
  g_assert_cmpint (rule.maximum, ==, 3);
  apply_orders (f, 0);
  g_assert_cmpuint (pending_pushes (f, on_b, &q), ==, 1);
  g_assert_cmpint (q, ==, 3);
  event = last_event (f, "listing", on_b, "stock-push");
  g_assert_cmpstr (event->from_value, ==, "7");
  g_assert_cmpstr (event->to_value, ==, "3");
  g_assert_nonnull (strstr (event->why, "SKU rule"));
  g_assert_nonnull (strstr (event->why, "at most 3"));

  rules = sk_store_list_listing_rules (f->store, ts, &error);
  g_assert_cmpuint (rules->len, ==, 2);

  /* Invalid rules are refused. */
  sk_listing_rule_init (&rule);
  rule.channel_id = f->channel_a;
  rule.percent = 120;
  g_assert_false (sk_store_set_listing_rule (f->store, &rule, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Removing the override goes back to the channel rule. */
  g_assert_true (sk_store_delete_listing_rule (f->store, f->channel_b, ts, &error));
  apply_orders (f, 0);
  g_assert_cmpuint (pending_pushes (f, on_b, &q), ==, 1);
  g_assert_cmpint (q, ==, 7);
}

/* Pushes */

static void
test_push_only_on_change (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkEvent) event = NULL;
  g_autoptr(SkListing) listing = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 on_a, q = -1;
  g_autofree char *key = NULL;
  SkInventoryReport report;

  receive (f, ts, f->main_location, 10);
  on_a = upsert_listing (f, f->channel_a, "100", "TS-1", 10);

  /* The channel shows what it should: nothing to send. */
  report = apply_orders (f, 0);
  g_assert_cmpuint (report.pushes_queued, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox"), ==, 0);
  listing = sk_store_get_listing (f->store, on_a, &error);
  g_assert_cmpint (listing->target_quantity, ==, 10);
  g_assert_cmpint (listing->confirmed_quantity, ==, 10);
  g_assert_cmpint (listing->sku_id, ==, ts);
  g_assert_cmpint (listing->match_state, ==, SK_MATCH_STATE_AUTO);

  /* A change goes out as the absolute number, once. */
  g_assert_true (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -1, "Broken", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pending_pushes (f, on_a, &q), ==, 1);
  g_assert_cmpint (q, ==, 9);
  key = g_strdup_printf ("SELECT count(*) FROM outbox WHERE idempotency_key = 'stock:%" G_GINT64_FORMAT ":1'"
                         " AND channel_id = %" G_GINT64_FORMAT " AND kind = 'stock-level'",
                         on_a, f->channel_a);
  g_assert_cmpint (query_int (f, key), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT json_extract (payload, '$.previous') FROM outbox"), ==, 10);
  g_assert_cmpint (query_int (f, "SELECT json_extract (payload, '$.inventory_ref') = 'inv-100' FROM outbox"), ==, 1);
  event = last_event (f, "listing", on_a, "stock-push");
  g_assert_cmpstr (event->from_value, ==, "10");
  g_assert_cmpstr (event->to_value, ==, "9");
  g_assert_nonnull (strstr (event->why, "No rule"));

  /* Recomputing again sends nothing more. */
  g_assert_true (sk_inventory_run_sync (f->inventory, NULL, 0, FALSE, TRUE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.skus_recomputed, ==, 1);
  g_assert_cmpuint (report.pushes_queued, ==, 0);
  g_assert_cmpuint (report.pushes_coalesced, ==, 0);
  g_assert_cmpuint (pending_pushes (f, on_a, NULL), ==, 1);

  /* Going back to what the channel shows withdraws the pending push. */
  receive (f, ts, f->main_location, 1);
  g_assert_cmpuint (pending_pushes (f, on_a, NULL), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox WHERE state = 'superseded'"), ==, 1);

  /* The pusher confirms a sent number: the next change is a new row. */
  g_assert_true (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -2, "Broken", &error));
  g_assert_cmpuint (pending_pushes (f, on_a, &q), ==, 1);
  g_assert_cmpint (q, ==, 8);
  g_assert_cmpint (sqlite3_exec (sk_store_get_reader (f->store),
                                 "UPDATE outbox SET state = 'sent' WHERE state = 'pending'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (sk_store_confirm_listing_quantity (f->store, on_a, 8, &error));
  apply_orders (f, 0);
  g_assert_cmpuint (pending_pushes (f, on_a, NULL), ==, 0);
  g_assert_true (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -1, "Broken", &error));
  g_assert_cmpuint (pending_pushes (f, on_a, &q), ==, 1);
  g_assert_cmpint (q, ==, 7);
  g_clear_pointer (&key, g_free);
  key = g_strdup_printf ("SELECT count(*) FROM outbox WHERE idempotency_key = 'stock:%" G_GINT64_FORMAT ":3'", on_a);
  g_assert_cmpint (query_int (f, key), ==, 1);
}

/* A push being sent counts as what the channel will show. */
static void
test_push_in_flight (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 on_a, q = -1;
  SkInventoryReport report;

  receive (f, ts, f->main_location, 10);
  on_a = upsert_listing (f, f->channel_a, "100", "TS-1", 10);
  g_assert_true (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -1, "Broken", &error));
  g_assert_cmpuint (pending_pushes (f, on_a, &q), ==, 1);
  g_assert_cmpint (q, ==, 9);

  /* The dispatcher takes it. */
  g_assert_cmpint (sqlite3_exec (sk_store_get_reader (f->store),
                                 "UPDATE outbox SET state = 'sending' WHERE state = 'pending'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (sk_inventory_run_sync (f->inventory, NULL, 0, FALSE, TRUE, &report, &error));
  g_assert_cmpuint (report.pushes_queued, ==, 0);
  g_assert_cmpuint (pending_pushes (f, on_a, NULL), ==, 0);

  /* A change meanwhile queues behind it; undoing it withdraws that. */
  g_assert_true (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -1, "Broken", &error));
  g_assert_cmpuint (pending_pushes (f, on_a, &q), ==, 1);
  g_assert_cmpint (q, ==, 8);
  receive (f, ts, f->main_location, 1);
  g_assert_cmpuint (pending_pushes (f, on_a, NULL), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox WHERE state = 'sending'"), ==, 1);
}

static void
test_push_coalesce (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 on_a, on_b, q = -1;

  receive (f, ts, f->main_location, 50);
  on_a = upsert_listing (f, f->channel_a, "100", "TS-1", 50);
  on_b = upsert_listing (f, f->channel_b, "200", "TS-1", 50);
  apply_orders (f, 0);

  /* A burst of orders: one pending row per listing, with the last number. */
  for (int i = 0; i < 6; i++)
    {
      g_autofree char *id = g_strdup_printf ("40%02d", i);

      apply_orders (f, import (f, make_order (f->channel_a, id, 1700000100, "TS-1", (gint64) 2, NULL)));
    }
  g_assert_cmpuint (pending_pushes (f, on_a, &q), ==, 1);
  g_assert_cmpint (q, ==, 38);
  g_assert_cmpuint (pending_pushes (f, on_b, &q), ==, 1);
  g_assert_cmpint (q, ==, 38);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox"), ==, 2);
  /* Every step is explained. */
  g_assert_cmpuint (count_events (f, "listing", on_b, "stock-push"), ==, 6);
}

static void
test_push_never_negative (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 on_b, q = -1, order_id;

  receive (f, ts, f->main_location, 2);
  on_b = upsert_listing (f, f->channel_b, "200", "TS-1", 2);

  /* Oversold on channel A: 5 ordered, 2 there. */
  order_id = import (f, make_order (f->channel_a, "5001", 1700000100, "TS-1", (gint64) 5, NULL));
  apply_orders (f, order_id);
  g_assert_cmpint (available (f, ts), ==, -3);
  g_assert_cmpuint (pending_pushes (f, on_b, &q), ==, 1);
  g_assert_cmpint (q, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox WHERE json_extract (payload, '$.quantity') < 0"), ==, 0);

  /* Shipping it anyway takes the level below zero: recorded, and flagged. */
  {
    SkOrder *order = make_order (f->channel_a, "5001", 1700000200, "TS-1", (gint64) 5, NULL);
    g_autofree char *key = g_strdup_printf ("negative-stock:%" G_GINT64_FORMAT, ts);

    sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_FULFILLED, "fulfilled");
    apply_orders (f, import (f, order));
    g_assert_cmpint (level_at (f, ts, f->main_location).on_hand, ==, -3);
    g_assert_true (problem_open (f, key));
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM outbox WHERE json_extract (payload, '$.quantity') < 0"), ==, 0);

    /* A count sets it right and resolves the problem. */
    g_assert_true (edit (f, SK_MOVEMENT_COUNT, ts, f->main_location, 4, "Counted", &error));
    g_assert_no_error (error);
    g_assert_false (problem_open (f, key));
  }
}

/* End to end at the store level: an order imported on channel A, with the
 * engine following the store, lowers what is queued for channel B. */

typedef struct
{
  Fixture *f;
  guint processed;
} Follow;

static void
on_processed (SkInventory *inventory,
              gpointer     report,
              Follow      *follow)
{
  follow->processed++;
}

static gboolean
settled (gpointer data)
{
  Follow *follow = data;

  return follow->processed > 0 && !sk_inventory_get_busy (follow->f->inventory) &&
         !sk_store_has_stock_work (follow->f->store);
}

static void
wait_settled (Follow *follow)
{
  follow->processed = 0;
  sk_test_wait_until (settled, follow, 10000);
}

static void
test_order_on_a_lowers_b (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 on_a, on_b, q = -1;
  Follow follow = { f, 0 };
  SkListingRule rule;

  g_signal_connect (f->inventory, "processed", G_CALLBACK (on_processed), &follow);
  sk_inventory_start (f->inventory);
  wait_settled (&follow);

  receive (f, ts, f->main_location, 10);
  on_a = upsert_listing (f, f->channel_a, "100", "TS-1", 10);
  on_b = upsert_listing (f, f->channel_b, "200", "TS-1", 10);
  sk_listing_rule_init (&rule);
  rule.channel_id = f->channel_b;
  rule.buffer = 1;
  g_assert_true (sk_store_set_listing_rule (f->store, &rule, &error));
  wait_settled (&follow);
  g_assert_cmpuint (pending_pushes (f, on_b, &q), ==, 1);
  g_assert_cmpint (q, ==, 9);
  g_assert_cmpuint (pending_pushes (f, on_a, NULL), ==, 0);

  /* The order arrives the way a sync writes it. */
  import (f, make_order (f->channel_a, "6001", 1700000100, "TS-1", (gint64) 3, NULL));
  wait_settled (&follow);
  g_assert_cmpint (available (f, ts), ==, 7);
  g_assert_cmpuint (pending_pushes (f, on_b, &q), ==, 1);
  g_assert_cmpint (q, ==, 6);
  g_assert_cmpuint (pending_pushes (f, on_a, &q), ==, 1);
  g_assert_cmpint (q, ==, 7);

  /* And a second order on B lowers A in turn. */
  import (f, make_order (f->channel_b, "w-1", 1700000100, "TS-1", (gint64) 2, NULL));
  wait_settled (&follow);
  g_assert_cmpuint (pending_pushes (f, on_a, &q), ==, 1);
  g_assert_cmpint (q, ==, 5);
}

/* Orders imported while nobody followed are caught up on start. */
static void
test_catch_up (Fixture       *f,
               gconstpointer  data)
{
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  Follow follow = { f, 0 };

  receive (f, ts, f->main_location, 10);
  import (f, make_order (f->channel_a, "7001", 1700000100, "TS-1", (gint64) 4, NULL));
  g_assert_cmpint (available (f, ts), ==, 10);

  g_signal_connect (f->inventory, "processed", G_CALLBACK (on_processed), &follow);
  sk_inventory_start (f->inventory);
  wait_settled (&follow);
  g_assert_cmpint (available (f, ts), ==, 6);
}

/* Exceptions */

typedef struct
{
  GPtrArray *keys;
} Opened;

static void
on_problem_opened (SkInventory *inventory,
                   const char  *kind,
                   const char  *key,
                   const char  *message,
                   Opened      *opened)
{
  g_assert_nonnull (message);
  g_ptr_array_add (opened->keys, g_strdup (key));
}

static guint
count_key (GPtrArray  *keys,
           const char *key)
{
  guint n = 0;

  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal (keys->pdata[i], key))
      n++;
  return n;
}

static void
test_exceptions_once (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSku) sku = NULL;
  Opened opened = { g_ptr_array_new_with_free_func (g_free) };
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  g_autofree char *stock_out = g_strdup_printf ("stock-out:%" G_GINT64_FORMAT, ts);
  g_autofree char *low = g_strdup_printf ("low-stock:%" G_GINT64_FORMAT, ts);
  g_autofree char *unmatched = g_strdup_printf ("unmatched-sku:%" G_GINT64_FORMAT ":NEW-1", f->channel_a);
  gint64 order_id;

  g_signal_connect (f->inventory, "problem-opened", G_CALLBACK (on_problem_opened), &opened);

  /* Low stock: at or below the reorder point. */
  sku = get_sku (f, ts);
  sku->reorder_point = 3;
  g_assert_true (sk_store_update_sku (f->store, sku, &error));
  receive (f, ts, f->main_location, 5);
  upsert_listing (f, f->channel_a, "100", "TS-1", 5);
  apply_orders (f, 0);
  g_assert_false (problem_open (f, low));
  order_id = import (f, make_order (f->channel_a, "8001", 1700000100, "TS-1", (gint64) 2, NULL));
  apply_orders (f, order_id);
  g_assert_true (problem_open (f, low));
  apply_orders (f, 0);
  g_assert_true (sk_inventory_run_sync (f->inventory, NULL, 0, TRUE, TRUE, NULL, &error));
  g_assert_cmpuint (count_key (opened.keys, low), ==, 1);
  g_assert_cmpint (count_problem_rows (f, low), ==, 1);

  /* Sold out while listed: a stock-out (the low-stock problem gives way). */
  order_id = import (f, make_order (f->channel_a, "8002", 1700000100, "TS-1", (gint64) 3, NULL));
  apply_orders (f, order_id);
  g_assert_true (problem_open (f, stock_out));
  g_assert_true (sk_inventory_run_sync (f->inventory, NULL, 0, TRUE, TRUE, NULL, &error));
  g_assert_cmpuint (count_key (opened.keys, stock_out), ==, 1);
  g_assert_cmpint (count_problem_rows (f, stock_out), ==, 1);
  {
    g_autoptr(GPtrArray) problems = sk_store_list_problems (f->store, &error);
    gboolean found = FALSE;

    for (guint i = 0; i < problems->len; i++)
      {
        SkProblem *problem = problems->pdata[i];

        if (g_str_equal (problem->dedup_key, stock_out))
          {
            found = TRUE;
            g_assert_cmpstr (problem->kind, ==, "stock-out");
            g_assert_nonnull (strstr (problem->message, "TS-1"));
          }
      }
    g_assert_true (found);
  }

  /* Stock arrives: resolved. */
  receive (f, ts, f->main_location, 20);
  g_assert_false (problem_open (f, stock_out));
  g_assert_false (problem_open (f, low));

  /* An order line with an unknown SKU: one problem, however often the
   * order comes back; resolved once the SKU exists, and then reserved. */
  order_id = import (f, make_order (f->channel_a, "8003", 1700000100, "NEW-1", (gint64) 1, NULL));
  apply_orders (f, order_id);
  apply_orders (f, import (f, make_order (f->channel_a, "8003", 1700000200, "NEW-1", (gint64) 1, NULL)));
  apply_orders (f, import (f, make_order (f->channel_a, "8004", 1700000200, "NEW-1", (gint64) 2, NULL)));
  g_assert_true (problem_open (f, unmatched));
  g_assert_cmpuint (count_key (opened.keys, unmatched), ==, 1);
  g_assert_cmpint (count_problem_rows (f, unmatched), ==, 1);
  {
    gint64 fresh = add_sku (f, "NEW-1", "New thing");

    receive (f, fresh, f->main_location, 10);
    g_assert_false (problem_open (f, unmatched));
    g_assert_cmpint (level_at (f, fresh, f->main_location).reserved, ==, 3);
  }

  /* A custom item without a SKU is not inventory: no problem. */
  apply_orders (f, import (f, make_order (f->channel_a, "8005", 1700000200, "", (gint64) 1, NULL)));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM exceptions WHERE kind = 'unmatched-sku'"), ==, 1);
  g_ptr_array_unref (opened.keys);
}

/* Listings and the unmatched queue */

static void
test_listings_match (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listings = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
  g_autoptr(GPtrArray) unmatched = NULL;
  g_autoptr(GPtrArray) of_sku = NULL;
  g_autoptr(SkSku) with_barcode = sk_sku_new ("MUG-1", "Mug");
  g_autofree char *problem = g_strdup_printf ("unmatched-listings:%" G_GINT64_FORMAT, f->channel_b);
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  SkListingUpsertResult result;
  SkListing *l;

  with_barcode->barcode = g_strdup ("4006381333931");
  g_assert_true (sk_store_add_sku (f->store, with_barcode, &error));

  l = sk_listing_new ("p1", "v1");
  l->sku = g_strdup (" TS-1 ");
  l->channel_quantity = 3;
  g_ptr_array_add (listings, l);
  l = sk_listing_new ("p2", NULL);
  l->barcode = g_strdup ("4006381333931");
  l->sku = g_strdup ("WOO-MUG");
  g_ptr_array_add (listings, l);
  l = sk_listing_new ("p3", NULL);
  l->sku = g_strdup ("GIFT-CARD");
  l->title = g_strdup ("Gift card");
  g_ptr_array_add (listings, l);
  g_assert_true (sk_store_upsert_listings_sync (f->store, f->channel_b, listings,
                                                SK_LISTING_UPSERT_NONE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.inserted, ==, 3);
  g_assert_cmpuint (result.matched, ==, 2);
  g_assert_cmpuint (result.unmatched, ==, 1);
  g_assert_true (problem_open (f, problem));

  of_sku = sk_store_list_sku_listings (f->store, ts, &error);
  g_assert_cmpuint (of_sku->len, ==, 1);
  g_assert_cmpstr (((SkListing *) of_sku->pdata[0])->match_why, ==, "Same SKU “TS-1”");
  g_assert_cmpstr (((SkListing *) of_sku->pdata[0])->channel_name, ==, "Acme (WooCommerce)");
  g_clear_pointer (&of_sku, g_ptr_array_unref);
  of_sku = sk_store_list_sku_listings (f->store, with_barcode->id, &error);
  g_assert_cmpuint (of_sku->len, ==, 1);
  g_assert_nonnull (strstr (((SkListing *) of_sku->pdata[0])->match_why, "barcode"));

  unmatched = sk_store_list_unmatched_listings (f->store, 0, &error);
  g_assert_cmpuint (unmatched->len, ==, 1);
  l = unmatched->pdata[0];
  g_assert_cmpstr (l->product_ref, ==, "p3");
  g_assert_cmpint (sk_store_count_unmatched_listings (f->store, f->channel_b, NULL), ==, 1);

  /* The user ignores the gift card: the queue is empty. */
  g_assert_true (sk_store_ignore_listing (f->store, l->id, &error));
  g_assert_cmpint (sk_store_count_unmatched_listings (f->store, 0, NULL), ==, 0);
  g_assert_false (problem_open (f, problem));
  g_assert_cmpuint (count_events (f, "listing", l->id, "ignored"), ==, 1);

  /* A second pull keeps the user's decision. */
  g_assert_true (sk_store_upsert_listings_sync (f->store, f->channel_b, listings,
                                                SK_LISTING_UPSERT_NONE, &result, &error));
  g_assert_cmpuint (result.updated, ==, 3);
  g_assert_cmpint (sk_store_count_unmatched_listings (f->store, 0, NULL), ==, 0);

  /* Matching by hand. */
  g_assert_true (sk_store_unmatch_listing (f->store, l->id, &error));
  g_assert_true (sk_store_match_listing (f->store, l->id, ts, &error));
  g_assert_no_error (error);
  g_clear_pointer (&of_sku, g_ptr_array_unref);
  of_sku = sk_store_list_sku_listings (f->store, ts, &error);
  g_assert_cmpuint (of_sku->len, ==, 2);

  /* A full catalog without p2 marks it removed. */
  g_ptr_array_remove_index (listings, 1);
  g_assert_true (sk_store_upsert_listings_sync (f->store, f->channel_b, listings,
                                                SK_LISTING_UPSERT_FULL, &result, &error));
  g_assert_cmpuint (result.removed, ==, 1);
  g_clear_pointer (&of_sku, g_ptr_array_unref);
  of_sku = sk_store_list_sku_listings (f->store, with_barcode->id, &error);
  g_assert_cmpuint (of_sku->len, ==, 0);
}

/* The first pull of the main catalog creates SKUs and their stock. */
static void
test_listings_seed (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listings = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
  g_autoptr(SkSku) created = NULL;
  SkListingUpsertResult result;
  SkListing *l;

  l = sk_listing_new ("632910392", "808950810");
  l->sku = g_strdup ("IPOD-342-N");
  l->title = g_strdup ("IPod Nano - Pink");
  l->channel_quantity = 12;
  l->proposed = sk_sku_new (NULL, "IPod Nano 8GB");
  l->proposed->variant_title = g_strdup ("Pink");
  l->proposed->weight = 200;
  l->proposed->weight_unit = g_strdup ("g");
  g_ptr_array_add (listings, l);
  l = sk_listing_new ("632910392", "808950811");
  l->title = g_strdup ("No SKU here");
  l->channel_quantity = 1;
  g_ptr_array_add (listings, l);

  g_assert_true (sk_store_upsert_listings_sync (f->store, f->channel_a, listings,
                                                SK_LISTING_UPSERT_CREATE_SKUS | SK_LISTING_UPSERT_SEED_STOCK,
                                                &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.skus_created, ==, 1);
  g_assert_cmpuint (result.seeded, ==, 1);
  g_assert_cmpuint (result.unmatched, ==, 1);

  created = sk_store_find_sku (f->store, "IPOD-342-N", &error);
  g_assert_nonnull (created);
  g_assert_cmpstr (created->title, ==, "IPod Nano 8GB");
  g_assert_cmpint (created->weight, ==, 200);
  g_assert_cmpint (level_at (f, created->id, f->main_location).on_hand, ==, 12);

  /* Seeding happens once: a second pull does not count again. */
  ((SkListing *) listings->pdata[0])->channel_quantity = 30;
  g_assert_true (sk_store_upsert_listings_sync (f->store, f->channel_a, listings,
                                                SK_LISTING_UPSERT_CREATE_SKUS | SK_LISTING_UPSERT_SEED_STOCK,
                                                &result, &error));
  g_assert_cmpuint (result.seeded, ==, 0);
  g_assert_cmpuint (result.skus_created, ==, 0);
  g_assert_cmpint (level_at (f, created->id, f->main_location).on_hand, ==, 12);

  /* The channel shows 30 but should show 12: a push sets it right. */
  apply_orders (f, 0);
  g_assert_cmpint (query_int (f, "SELECT json_extract (payload, '$.quantity') FROM outbox"
                                 " WHERE kind = 'stock-level'"), ==, 12);
}

/* The SKU master */

static void
test_sku_master (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSku) sku = sk_sku_new ("  BAG-7 ", "Bag");
  g_autoptr(SkSku) twin = sk_sku_new ("BAG-7", "Another bag");
  g_autoptr(SkSku) found = NULL;
  g_autoptr(SkProduct) product = sk_product_new ("Bags");
  g_autoptr(GPtrArray) locations = NULL;

  g_assert_true (sk_store_add_product (f->store, product, &error));
  sku->product_id = product->id;
  sku->barcode = g_strdup ("0012345678905");
  sku->weight = 1250;
  sku->weight_unit = g_strdup ("kg");
  sku->length = 400;
  sku->width = 300;
  sku->height = 100;
  sku->dimension_unit = g_strdup ("mm");
  sku->cost = 1299;
  sku->cost_currency = g_strdup ("EUR");
  g_assert_true (sk_store_add_sku (f->store, sku, &error));
  g_assert_no_error (error);

  g_assert_false (sk_store_add_sku (f->store, twin, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "BAG-7"));
  g_clear_error (&error);

  found = sk_store_find_sku (f->store, "BAG-7", &error);
  g_assert_nonnull (found);
  g_assert_cmpint (found->product_id, ==, product->id);
  g_assert_cmpint (found->weight, ==, 1250);
  g_assert_cmpstr (found->weight_unit, ==, "kg");
  g_assert_cmpint (found->cost, ==, 1299);
  g_assert_cmpstr (found->cost_currency, ==, "EUR");
  g_assert_cmpint (found->reorder_point, ==, -1);
  g_clear_pointer (&found, sk_sku_free);
  found = sk_store_find_sku_by_barcode (f->store, "0012345678905", &error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->sku, ==, "BAG-7");

  g_clear_pointer (&twin->weight_unit, g_free);
  twin->weight_unit = g_strdup ("stone");
  g_free (twin->sku);
  twin->sku = g_strdup ("BAG-8");
  g_assert_false (sk_store_add_sku (f->store, twin, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  /* Locations: the first added is the default; archiving it is refused. */
  locations = sk_store_list_locations (f->store, FALSE, &error);
  g_assert_cmpuint (locations->len, ==, 2);
  g_assert_true (((SkLocation *) locations->pdata[0])->is_default);
  g_assert_cmpint (((SkLocation *) locations->pdata[0])->id, ==, f->main_location);
  g_assert_cmpstr (((SkLocation *) locations->pdata[0])->address->city, ==, "Köln");
  g_assert_false (sk_store_archive_location (f->store, f->main_location, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (sk_store_set_default_location (f->store, f->backroom, &error));
  g_assert_cmpint (sk_store_ensure_default_location (f->store, &error), ==, f->backroom);
  g_assert_true (sk_store_archive_location (f->store, f->main_location, &error));
  g_assert_no_error (error);
  g_clear_pointer (&locations, g_ptr_array_unref);
  locations = sk_store_list_locations (f->store, FALSE, &error);
  g_assert_cmpuint (locations->len, ==, 1);
  g_assert_false (edit (f, SK_MOVEMENT_RECEIVE, sku->id, f->main_location, 1, NULL, &error));
  g_assert_error (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND);
}

/* The SKU list model */

static guint items_changed_count;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    data)
{
  items_changed_count++;
}

static gboolean
list_idle (gpointer data)
{
  return !g_main_context_pending (NULL);
}

static void
test_sku_list (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSkuList) list = sk_sku_list_new (f->store);
  g_autoptr(SkSkuItem) item = NULL;
  g_autoptr(SkSku) low = NULL;
  gint64 ts = add_sku (f, "TS-1", "Trail shoe");
  gint64 cap = add_sku (f, "CAP-1", "Cap");
  gint64 kit = add_sku (f, "KIT-1", "Kit");
  gint64 target = -1, confirmed = -1;
  g_autoptr(GPtrArray) components = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_kit_component_free);

  receive (f, ts, f->main_location, 10);
  receive (f, ts, f->backroom, 3);
  g_ptr_array_add (components, sk_kit_component_new (ts, 2));
  g_assert_true (sk_store_set_kit_components (f->store, kit, components, &error));
  upsert_listing (f, f->channel_a, "100", "TS-1", 13);
  low = get_sku (f, cap);
  low->reorder_point = 2;
  g_assert_true (sk_store_update_sku (f->store, low, &error));
  apply_orders (f, 0);
  sk_test_wait_until (list_idle, NULL, 5000);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (sk_sku_item_get_sku (item), ==, "CAP-1");
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (list), 2);
  g_assert_cmpstr (sk_sku_item_get_sku (item), ==, "TS-1");
  g_assert_cmpint (sk_sku_item_get_on_hand (item), ==, 13);
  g_assert_cmpint (sk_sku_item_get_on_hand_at (item, f->main_location), ==, 10);
  g_assert_cmpint (sk_sku_item_get_on_hand_at (item, f->backroom), ==, 3);
  g_assert_true (sk_sku_item_get_channel_quantity (item, f->channel_a, &target, &confirmed));
  g_assert_cmpint (target, ==, 13);
  g_assert_cmpint (confirmed, ==, 13);
  g_assert_false (sk_sku_item_get_channel_quantity (item, f->channel_b, NULL, NULL));
  g_assert_cmpuint (sk_sku_item_get_n_listings (item), ==, 1);

  /* Filters */
  sk_sku_list_set_filter (list, SK_SKU_FILTER_KITS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  sk_sku_list_set_filter (list, SK_SKU_FILTER_LOW_STOCK);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  sk_sku_list_set_filter (list, SK_SKU_FILTER_UNLISTED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  sk_sku_list_set_filter (list, SK_SKU_FILTER_ALL);
  sk_sku_list_set_search (list, "trail");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  sk_sku_list_set_search (list, "1 sho");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  sk_sku_list_set_search (list, "50%");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  sk_sku_list_set_search (list, NULL);
  sk_sku_list_set_sort (list, SK_SKU_SORT_AVAILABLE, TRUE);
  g_assert_cmpuint (sk_sku_list_find (list, ts), ==, 0);

  /* A change refreshes the item people hold, in place. */
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), NULL);
  items_changed_count = 0;
  g_assert_true (edit (f, SK_MOVEMENT_ADJUST, ts, f->main_location, -4, "Broken", &error));
  sk_test_wait_until (list_idle, NULL, 5000);
  g_assert_cmpint (sk_sku_item_get_on_hand (item), ==, 9);
  g_assert_cmpint (sk_sku_item_get_available (item), ==, 9);
  g_assert_cmpint (sk_sku_item_get_on_hand_at (item, f->main_location), ==, 6);
  g_assert_true (sk_sku_item_get_channel_quantity (item, f->channel_a, &target, NULL));
  g_assert_cmpint (target, ==, 9);
  /* Nothing moved in the order: no items-changed. */
  g_assert_cmpuint (items_changed_count, ==, 0);

  /* A new SKU is inserted where it belongs. */
  add_sku (f, "AAA", "First");
  sk_test_wait_until (list_idle, NULL, 5000);
  g_assert_cmpuint (items_changed_count, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_null (sk_sku_list_get_error (list));
}

int
main (int   argc,
      char *argv[])
{
  sk_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/inventory/ledger/arithmetic", test_ledger_arithmetic);
  ADD ("/inventory/ledger/check-fails", test_ledger_check_fails);
  ADD ("/inventory/reservations/import-cancel", test_reservations_import);
  ADD ("/inventory/reservations/refund", test_reservations_refund);
  ADD ("/inventory/reservations/ship", test_reservations_ship);
  ADD ("/inventory/reservations/tracking-since", test_reservations_tracking_since);
  ADD ("/inventory/reservations/isolated", test_reservations_isolated);
  ADD ("/inventory/kits", test_kits);
  g_test_add_func ("/inventory/kits/available", test_kit_available_pure);
  g_test_add_func ("/inventory/rules/table", test_rules_table);
  g_test_add_func ("/inventory/rules/exhaustive", test_rules_exhaustive);
  g_test_add_func ("/inventory/rules/describe", test_rules_describe);
  g_test_add_func ("/inventory/measure", test_measure);
  ADD ("/inventory/rules/store", test_rules_in_store);
  ADD ("/inventory/push/only-on-change", test_push_only_on_change);
  ADD ("/inventory/push/coalesce", test_push_coalesce);
  ADD ("/inventory/push/in-flight", test_push_in_flight);
  ADD ("/inventory/push/never-negative", test_push_never_negative);
  ADD ("/inventory/push/order-on-a-lowers-b", test_order_on_a_lowers_b);
  ADD ("/inventory/catch-up", test_catch_up);
  ADD ("/inventory/exceptions/once", test_exceptions_once);
  ADD ("/inventory/listings/match", test_listings_match);
  ADD ("/inventory/listings/seed", test_listings_seed);
  ADD ("/inventory/sku-master", test_sku_master);
  ADD ("/inventory/sku-list", test_sku_list);

  return g_test_run ();
}
