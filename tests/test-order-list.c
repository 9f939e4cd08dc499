/* test-order-list.c: the lazy order list model against brute-force queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every check compares SkOrderList with a plain "SELECT id … ORDER BY"
 * written here by hand. Change tests replay each items-changed onto a
 * shadow copy of the list, reading the added items inside the handler, so
 * the model must be right in every intermediate state, not only at the end.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "sk-order-list.h"
#include "sk-error.h"
#include "sk-order-list-private.h"
#include "sk-store.h"
#include "sk-test-util.h"

#define N_ORDERS 3000
#define BASE_TIME 1700000000

/* Test data */

typedef struct
{
  gint64 id;
  gint64 channel_id;
  const char *number;
  gint64 created_at;
  gint64 updated_at;
  gint64 total;
  const char *status;
  const char *payment_status;
  const char *fulfillment_status;
  const char *customer;       /* NULL allowed */
  const char *city;
  const char *country;
  const char *skus;
  const char *titles;
  gboolean on_hold;
  gboolean archived;
} Row;

static const char *customers[] = {
  "Alice Martin", "alice martin", "Bob Stone", "Jürgen Müller", "Zoë Leclerc",
  "Ana Sousa", "Chen Wei", "Mary O'Brien", "Tentative Tom", "Ülla Andersson",
  "Carlos Núñez", "Dana White", "Eve Adams", "Frank Ocean", "Grace Hopper",
};
static const char *cities[] = {
  "Berlin", "Lyon", "Porto", "Austin", "Zürich", "Oslo", "Kraków", "Denver",
};
static const char *countries[] = { "DE", "FR", "PT", "US", "CH", "NO", "PL", "US" };
static const char *skus[] = {
  "TENT-2P-GRN", "TENT-4P-BLU", "STOVE-MINI", "MUG-TI-450", "PACK-38L",
  "LAMP-HEAD-300", "ANDES-JACKET-M", "SOCK-WOOL-L",
};
static const char *titles[] = {
  "Trail tent 2 person", "Family tent 4 person", "Mini stove", "Titanium mug",
  "Backpack 38 L", "Head lamp", "Andes jacket", "Wool socks",
};
static const char *order_nicks[] = { "pending", "open", "completed", "cancelled" };
static const char *payment_nicks[] = { "pending", "authorized", "paid", "refunded", "voided" };
static const char *fulfillment_nicks[] = { "unfulfilled", "partial", "fulfilled", "restocked" };

static gboolean
write_row (SkStoreTxn  *txn,
           const Row   *r,
           GError     **error)
{
  g_autofree char *external = g_strdup_printf ("ext-%" G_GINT64_FORMAT, r->id);
  g_autofree char *email = NULL;
  g_autofree char *address = g_strdup_printf ("%s %s", r->city, r->country);
  sqlite3_stmt *stmt;

  if (r->customer != NULL)
    {
      g_autofree char *lower = g_utf8_strdown (r->customer, -1);

      email = g_strdup_printf ("%s@example.com", g_strdelimit (lower, " '", '.'));
    }

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO orders (id, channel_id, external_id, number, created_at,"
                               " updated_at, currency, total, status, payment_status, fulfillment_status,"
                               " customer_name, email, ship_city, ship_country, item_count, tags,"
                               " on_hold, hold_reason, archived)"
                               " VALUES (?, ?, ?, ?, ?, ?, 'EUR', ?, ?, ?, ?, ?, ?, ?, ?, 2, 'gift, vip', ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->id);
  sqlite3_bind_int64 (stmt, 2, r->channel_id);
  sqlite3_bind_text (stmt, 3, external, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, r->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, r->created_at);
  sqlite3_bind_int64 (stmt, 6, r->updated_at);
  sqlite3_bind_int64 (stmt, 7, r->total);
  sqlite3_bind_text (stmt, 8, r->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, r->payment_status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, r->fulfillment_status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, r->customer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, r->city, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 14, r->country, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 15, r->on_hold);
  sqlite3_bind_text (stmt, 16, r->on_hold ? "Address check" : NULL, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 17, r->archived);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sk_store_txn_set_error (txn, sqlite3_errcode (sk_store_txn_get_db (txn)), error);

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO orders_fts (rowid, number, customer, email, address, skus, titles)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->id);
  sqlite3_bind_text (stmt, 2, r->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, r->customer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, r->skus, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, r->titles, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return sk_store_txn_set_error (txn, sqlite3_errcode (sk_store_txn_get_db (txn)), error);
  return TRUE;
}

static void
random_row (GRand *rand,
            gint64 id,
            Row   *r,
            char **number_out)
{
  guint sku = g_rand_int_range (rand, 0, G_N_ELEMENTS (skus));
  guint city = g_rand_int_range (rand, 0, G_N_ELEMENTS (cities));

  *number_out = g_strdup_printf ("#%d", g_rand_int_range (rand, 1000, 1000 + N_ORDERS));
  r->id = id;
  r->channel_id = g_rand_int_range (rand, 1, 4);
  r->number = *number_out;
  /* Few distinct times, so ties on the sort key are common. */
  r->created_at = BASE_TIME + 600 * g_rand_int_range (rand, 0, 1000);
  r->updated_at = r->created_at + 60 * g_rand_int_range (rand, 0, 500);
  r->total = 100 * g_rand_int_range (rand, 0, 800);
  r->status = order_nicks[g_rand_int_range (rand, 0, G_N_ELEMENTS (order_nicks))];
  r->payment_status = payment_nicks[g_rand_int_range (rand, 0, G_N_ELEMENTS (payment_nicks))];
  r->fulfillment_status = fulfillment_nicks[g_rand_int_range (rand, 0, G_N_ELEMENTS (fulfillment_nicks))];
  r->customer = g_rand_int_range (rand, 0, 20) == 0 ? NULL
                : customers[g_rand_int_range (rand, 0, G_N_ELEMENTS (customers))];
  r->city = cities[city];
  r->country = countries[city];
  r->skus = skus[sku];
  r->titles = titles[sku];
  r->on_hold = g_rand_int_range (rand, 0, 10) == 0;
  r->archived = g_rand_int_range (rand, 0, 10) == 0;
}

static gboolean
fill_job (SkStoreTxn  *txn,
          gpointer     data,
          GError     **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (GPOINTER_TO_UINT (data));
  const char *channels =
    "INSERT INTO channels (id, kind, name, account, base_url, created_at) VALUES"
    " (1, 'shopify', 'Web shop', 'a.example', 'https://a.example', 0),"
    " (2, 'shopify', 'Outlet', 'b.example', 'https://b.example', 0),"
    " (3, 'woocommerce', 'Market', 'c.example', 'https://c.example', 0)";

  if (sqlite3_exec (sk_store_txn_get_db (txn), channels, NULL, NULL, NULL) != SQLITE_OK)
    return sk_store_txn_set_error (txn, sqlite3_errcode (sk_store_txn_get_db (txn)), error);

  for (gint64 id = 1; id <= N_ORDERS; id++)
    {
      g_autofree char *number = NULL;
      Row r;

      random_row (rand, id, &r, &number);
      if (!write_row (txn, &r, error))
        return FALSE;
    }
  return TRUE;
}

/* A job that writes rows and runs SQL, noting what changed. */
typedef struct
{
  GArray *rows;         /* Row to insert */
  const char *sql;      /* then this */
  GArray *inserted;
  GArray *updated;
  GArray *deleted;
} Edit;

static gboolean
edit_job (SkStoreTxn  *txn,
          gpointer     data,
          GError     **error)
{
  Edit *edit = data;

  for (guint i = 0; edit->rows != NULL && i < edit->rows->len; i++)
    if (!write_row (txn, &g_array_index (edit->rows, Row, i), error))
      return FALSE;
  if (edit->sql != NULL &&
      sqlite3_exec (sk_store_txn_get_db (txn), edit->sql, NULL, NULL, NULL) != SQLITE_OK)
    return sk_store_txn_set_error (txn, sqlite3_errcode (sk_store_txn_get_db (txn)), error);

  for (guint i = 0; edit->inserted != NULL && i < edit->inserted->len; i++)
    sk_store_txn_note_order (txn, g_array_index (edit->inserted, gint64, i), TRUE);
  for (guint i = 0; edit->updated != NULL && i < edit->updated->len; i++)
    sk_store_txn_note_order (txn, g_array_index (edit->updated, gint64, i), FALSE);
  for (guint i = 0; edit->deleted != NULL && i < edit->deleted->len; i++)
    sk_store_txn_note_order_deleted (txn, g_array_index (edit->deleted, gint64, i));
  return TRUE;
}

/* Fixture */

typedef struct
{
  char *dir;
  SkStore *store;
  SkOrderList *list;
  gboolean store_changed;
  GArray *shadow;          /* gint64 ids, replayed from items-changed */
  GArray *signals;         /* guint triples: position, removed, added */
  guint order_changed;     /* SkOrder::changed emissions seen */
  gboolean watching;       /* replay items-changed onto shadow */
} Fixture;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  guint triple[3] = { position, removed, added };

  if (!f->watching)
    return;
  g_array_append_vals (f->signals, triple, 3);

  g_assert_cmpuint (position + removed, <=, f->shadow->len);
  g_array_remove_range (f->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(SkOrder) order = g_list_model_get_item (model, position + i);
      gint64 id;

      g_assert_nonnull (order);
      id = sk_order_get_id (order);
      g_array_insert_val (f->shadow, position + i, id);
    }
  /* The model describes exactly the state the signals so far lead to. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, f->shadow->len);
  if (f->shadow->len > 0)
    {
      guint last = f->shadow->len - 1;
      g_autoptr(SkOrder) order = g_list_model_get_item (model, last);

      g_assert_cmpint (sk_order_get_id (order), ==, g_array_index (f->shadow, gint64, last));
    }
}

static void
on_store_changed (SkStore       *store,
                  SkStoreChange *change,
                  Fixture       *f)
{
  f->store_changed = TRUE;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = sk_test_tmpdir_new ();
  path = g_build_filename (f->dir, "orders.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);
  sk_store_run_sync (f->store, fill_job, GUINT_TO_POINTER (42), &error);
  g_assert_no_error (error);

  f->list = sk_order_list_new (f->store);
  /* Connected after the list: runs once the list has handled a change. */
  g_signal_connect (f->store, "changed", G_CALLBACK (on_store_changed), f);
  f->shadow = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->signals = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->list);
  if (f->store != NULL)
    sk_store_close (f->store);
  g_clear_object (&f->store);
  g_array_unref (f->shadow);
  g_array_unref (f->signals);
  sk_test_tmpdir_free (f->dir);
}

/* Brute force */

static const char *
sort_column (SkOrderSort sort)
{
  switch (sort)
    {
    case SK_ORDER_SORT_NUMBER: return "number";
    case SK_ORDER_SORT_CUSTOMER: return "customer_name";
    case SK_ORDER_SORT_TOTAL: return "total";
    case SK_ORDER_SORT_UPDATED: return "updated_at";
    case SK_ORDER_SORT_CREATED:
    default: return "created_at";
    }
}

static GArray *
brute_ids (Fixture     *f,
           const char  *where,
           SkOrderSort  sort,
           gboolean     descending)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *dir = descending ? "DESC" : "ASC";
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM orders WHERE %s ORDER BY %s %s, id %s",
                                          where, sort_column (sort), dir, dir);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (sk_store_get_reader (f->store), sql, -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return ids;
}

static GArray *
model_ids (GListModel *model)
{
  guint n = g_list_model_get_n_items (model);
  GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkOrder) order = g_list_model_get_item (model, i);
      gint64 id;

      g_assert_nonnull (order);
      id = sk_order_get_id (order);
      g_array_append_val (ids, id);
    }
  g_assert_null (g_list_model_get_item (model, n));
  return ids;
}

static void
assert_ids_equal (GArray *actual,
                  GArray *expected)
{
  g_assert_cmpuint (actual->len, ==, expected->len);
  for (guint i = 0; i < actual->len; i++)
    if (g_array_index (actual, gint64, i) != g_array_index (expected, gint64, i))
      g_error ("position %u: model has order %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
               i, g_array_index (actual, gint64, i), g_array_index (expected, gint64, i));
}

static void
assert_model (Fixture     *f,
              const char  *where,
              SkOrderSort  sort,
              gboolean     descending)
{
  g_autoptr(GArray) expected = brute_ids (f, where, sort, descending);
  g_autoptr(GArray) actual = model_ids (G_LIST_MODEL (f->list));

  g_assert_null (sk_order_list_get_error (f->list));
  assert_ids_equal (actual, expected);
}

/* Take a snapshot of the model into the shadow, and forget past signals. */
static void
start_watching (Fixture *f)
{
  g_autoptr(GArray) ids = model_ids (G_LIST_MODEL (f->list));

  g_array_set_size (f->shadow, 0);
  g_array_append_vals (f->shadow, ids->data, ids->len);
  g_array_set_size (f->signals, 0);
  f->watching = TRUE;
}

/* The same, but having read only the count and the first row, so that
 * nearly nothing is cached. */
static void
watch_uncached (Fixture     *f,
                const char  *where,
                SkOrderSort  sort,
                gboolean     descending)
{
  g_autoptr(GArray) ids = brute_ids (f, where, sort, descending);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, ids->len);
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (f->list), 0));
  g_array_set_size (f->shadow, 0);
  g_array_append_vals (f->shadow, ids->data, ids->len);
  g_array_set_size (f->signals, 0);
  f->watching = TRUE;
}

static void
run_edit (Fixture *f,
          Edit    *edit)
{
  g_autoptr(GError) error = NULL;

  f->store_changed = FALSE;
  sk_store_run_sync (f->store, edit_job, edit, &error);
  g_assert_no_error (error);
  sk_test_wait_for (&f->store_changed, 10000);
}

static GArray *
id_array (gint64 id)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (ids, id);
  return ids;
}

static gint64
id_at (Fixture *f,
       guint    position)
{
  g_autoptr(SkOrder) order = g_list_model_get_item (G_LIST_MODEL (f->list), position);

  g_assert_nonnull (order);
  return sk_order_get_id (order);
}

static guint
position_in (GArray *ids,
             gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return i;
  return G_MAXUINT;
}

/* Tests: reading */

static void
test_sorts (Fixture       *f,
            gconstpointer  data)
{
  for (SkOrderSort sort = SK_ORDER_SORT_CREATED; sort <= SK_ORDER_SORT_UPDATED; sort++)
    for (int desc = 0; desc <= 1; desc++)
      {
        g_test_message ("sort %s %s", sort_column (sort), desc ? "desc" : "asc");
        sk_order_list_set_sort (f->list, sort, desc);
        assert_model (f, "archived = 0", sort, desc);
        sk_order_list_set_show_archived (f->list, TRUE);
        assert_model (f, "1", sort, desc);
        sk_order_list_set_show_archived (f->list, FALSE);
      }
}

static void
test_default_is_newest_first (Fixture       *f,
                              gconstpointer  data)
{
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  sk_order_list_set_channel (f->list, 2);
  assert_model (f, "archived = 0 AND channel_id = 2", SK_ORDER_SORT_CREATED, TRUE);

  sk_order_list_set_payment_status (f->list, SK_PAYMENT_STATUS_PAID);
  assert_model (f, "archived = 0 AND channel_id = 2 AND payment_status = 'paid'",
                SK_ORDER_SORT_CREATED, TRUE);
  sk_order_list_set_sort (f->list, SK_ORDER_SORT_CUSTOMER, FALSE);
  assert_model (f, "archived = 0 AND channel_id = 2 AND payment_status = 'paid'",
                SK_ORDER_SORT_CUSTOMER, FALSE);

  sk_order_list_set_channel (f->list, 0);
  sk_order_list_set_payment_status (f->list, -1);
  sk_order_list_set_fulfillment_status (f->list, SK_FULFILLMENT_STATUS_UNFULFILLED);
  assert_model (f, "archived = 0 AND fulfillment_status = 'unfulfilled'",
                SK_ORDER_SORT_CUSTOMER, FALSE);

  sk_order_list_set_fulfillment_status (f->list, -1);
  sk_order_list_set_order_status (f->list, SK_ORDER_STATUS_CANCELLED);
  sk_order_list_set_sort (f->list, SK_ORDER_SORT_TOTAL, TRUE);
  assert_model (f, "archived = 0 AND status = 'cancelled'", SK_ORDER_SORT_TOTAL, TRUE);

  sk_order_list_set_order_status (f->list, -1);
  sk_order_list_set_only_on_hold (f->list, TRUE);
  assert_model (f, "archived = 0 AND on_hold = 1", SK_ORDER_SORT_TOTAL, TRUE);

  sk_order_list_set_show_archived (f->list, TRUE);
  assert_model (f, "on_hold = 1", SK_ORDER_SORT_TOTAL, TRUE);

  /* Something that matches nothing. */
  sk_order_list_set_channel (f->list, 99);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->list), 0));
}

static void
test_date_range (Fixture       *f,
                 gconstpointer  data)
{
  gint64 from = BASE_TIME + 600 * 200;
  gint64 to = BASE_TIME + 600 * 450;
  g_autofree char *both = g_strdup_printf ("archived = 0 AND created_at >= %" G_GINT64_FORMAT
                                           " AND created_at < %" G_GINT64_FORMAT, from, to);
  g_autofree char *open_end = g_strdup_printf ("archived = 0 AND created_at >= %" G_GINT64_FORMAT, from);
  g_autofree char *open_start = g_strdup_printf ("archived = 0 AND created_at < %" G_GINT64_FORMAT, to);
  g_autofree char *on_bound = g_strdup_printf ("created_at = %" G_GINT64_FORMAT, to);
  g_autoptr(GArray) check = NULL;

  /* Orders exactly on the bound exist, so exclusion is really tested. */
  check = brute_ids (f, on_bound, SK_ORDER_SORT_CREATED, TRUE);
  g_assert_cmpuint (check->len, >, 0);

  sk_order_list_set_date_range (f->list, from, to);
  assert_model (f, both, SK_ORDER_SORT_CREATED, TRUE);
  sk_order_list_set_sort (f->list, SK_ORDER_SORT_NUMBER, FALSE);
  assert_model (f, both, SK_ORDER_SORT_NUMBER, FALSE);
  sk_order_list_set_date_range (f->list, from, 0);
  assert_model (f, open_end, SK_ORDER_SORT_NUMBER, FALSE);
  sk_order_list_set_date_range (f->list, 0, to);
  assert_model (f, open_start, SK_ORDER_SORT_NUMBER, FALSE);
}

static void
check_search (Fixture    *f,
              const char *text,
              const char *fts_query)
{
  g_autofree char *where = NULL;

  if (text == NULL || g_utf8_validate (text, -1, NULL))
    g_test_message ("search “%s”", text);
  sk_order_list_set_search (f->list, text);
  if (fts_query != NULL)
    {
      char *quoted = sqlite3_mprintf ("%Q", fts_query);

      where = g_strdup_printf ("archived = 0 AND id IN (SELECT rowid FROM orders_fts"
                               " WHERE orders_fts MATCH %s)", quoted);
      sqlite3_free (quoted);
    }
  else
    where = g_strdup ("archived = 0");
  assert_model (f, where, SK_ORDER_SORT_CREATED, TRUE);
  g_assert_null (sk_order_list_get_error (f->list));
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GArray) tents = NULL;
  g_autoptr(GArray) mueller = NULL;

  check_search (f, "tent", "tent*");
  tents = model_ids (G_LIST_MODEL (f->list));
  /* "tent" is a prefix of "tentative" too: more than the tent SKUs. */
  g_assert_cmpuint (tents->len, >, 0);

  check_search (f, "tent blu", "tent* AND blu*");
  check_search (f, "  TENT   2p  ", "tent* AND 2p*");
  check_search (f, "berl", "berl*");
  check_search (f, "#10", "10*");

  /* Diacritics are folded both ways. */
  check_search (f, "müll", "mull*");
  mueller = model_ids (G_LIST_MODEL (f->list));
  g_assert_cmpuint (mueller->len, >, 0);
  check_search (f, "mull", "mull*");
  check_search (f, "MÜLLER", "muller*");
  check_search (f, "ü", "u*");
  check_search (f, "zurich", "zurich*");

  /* Input that would be FTS5 syntax must stay plain words. */
  check_search (f, "\"", NULL);
  check_search (f, "-", NULL);
  check_search (f, "*", NULL);
  check_search (f, "a AND", "a* AND \"and\"*");
  check_search (f, "NOT tent", "\"not\"* AND tent*");
  check_search (f, "tent OR", "tent* AND \"or\"*");
  check_search (f, "customer:alice", "\"customer alice\"*");
  check_search (f, "al\"ice", "\"al ice\"*");
  check_search (f, "(tent", "tent*");
  check_search (f, "NEAR(tent mug)", "\"near tent\"* AND mug*");
  check_search (f, "-tent", "tent*");
  check_search (f, "^tent", "tent*");
  check_search (f, "o'brien", "\"o brien\"*");
  check_search (f, "\xff\xfe tent", "tent*");
  check_search (f, "nothingmatchesthis", "nothingmatchesthis*");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);

  check_search (f, "", NULL);
  check_search (f, NULL, NULL);

  /* A word in most rows: the model tests rows against the matches while
   * walking the sort index instead of looking each match up. */
  check_search (f, "example", "example*");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), >, 2000);
  check_search (f, "example berlin", "example* AND berlin*");
  sk_order_list_set_search (f->list, "example");
  sk_order_list_set_show_archived (f->list, TRUE);
  sk_order_list_set_sort (f->list, SK_ORDER_SORT_CUSTOMER, FALSE);
  assert_model (f, "id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH 'example*')",
                SK_ORDER_SORT_CUSTOMER, FALSE);
  sk_order_list_set_payment_status (f->list, SK_PAYMENT_STATUS_PAID);
  assert_model (f, "payment_status = 'paid' AND id IN (SELECT rowid FROM orders_fts"
                   " WHERE orders_fts MATCH 'example*')", SK_ORDER_SORT_CUSTOMER, FALSE);
  sk_order_list_set_payment_status (f->list, -1);
  sk_order_list_set_show_archived (f->list, FALSE);
  sk_order_list_set_sort (f->list, SK_ORDER_SORT_CREATED, TRUE);

  /* Search with another filter and another sort. */
  sk_order_list_set_search (f->list, "tent");
  sk_order_list_set_channel (f->list, 1);
  sk_order_list_set_sort (f->list, SK_ORDER_SORT_CUSTOMER, TRUE);
  assert_model (f, "archived = 0 AND channel_id = 1 AND id IN (SELECT rowid FROM orders_fts"
                   " WHERE orders_fts MATCH 'tent*')", SK_ORDER_SORT_CUSTOMER, TRUE);
}

static void
test_random_access (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  SkOrderSort sorts[] = { SK_ORDER_SORT_CREATED, SK_ORDER_SORT_CUSTOMER, SK_ORDER_SORT_NUMBER };

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (int desc = 0; desc <= 1; desc++)
      {
        g_autoptr(SkOrderList) list = sk_order_list_new (f->store);
        g_autoptr(GArray) expected = brute_ids (f, "1", sorts[s], desc);
        GListModel *model = G_LIST_MODEL (list);

        sk_order_list_set_show_archived (list, TRUE);
        sk_order_list_set_sort (list, sorts[s], desc);
        g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);

        for (guint i = 0; i < 400; i++)
          {
            guint p = g_rand_int_range (rand, 0, expected->len);
            g_autoptr(SkOrder) order = g_list_model_get_item (model, p);
            g_autoptr(SkOrder) again = g_list_model_get_item (model, p);

            g_assert_nonnull (order);
            g_assert_cmpint (sk_order_get_id (order), ==, g_array_index (expected, gint64, p));
            /* Held by someone: the same object every time. */
            g_assert_true (order == again);
          }
        /* The last row and one past it. */
        {
          g_autoptr(SkOrder) last = g_list_model_get_item (model, expected->len - 1);

          g_assert_cmpint (sk_order_get_id (last), ==,
                           g_array_index (expected, gint64, expected->len - 1));
          g_assert_null (g_list_model_get_item (model, expected->len));
        }
      }
}

static void
test_row_contents (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SkOrder) order = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *tags = NULL;
  gint64 id;

  sk_order_list_set_show_archived (f->list, TRUE);
  order = g_list_model_get_item (G_LIST_MODEL (f->list), 17);
  id = sk_order_get_id (order);

  g_assert_cmpint (sqlite3_prepare_v2 (sk_store_get_reader (f->store),
                                       "SELECT channel_id, number, created_at, total, payment_status,"
                                       " fulfillment_status, customer_name, ship_city, ship_country,"
                                       " on_hold, archived FROM orders WHERE id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sk_order_get_channel_id (order), ==, sqlite3_column_int64 (stmt, 0));
  g_assert_cmpstr (sk_order_get_number (order), ==, (const char *) sqlite3_column_text (stmt, 1));
  g_assert_cmpint (sk_order_get_created_at (order), ==, sqlite3_column_int64 (stmt, 2));
  g_assert_cmpint (sk_order_get_total (order), ==, sqlite3_column_int64 (stmt, 3));
  g_assert_cmpstr (sk_order_get_currency (order), ==, "EUR");
  g_assert_cmpstr (sk_payment_status_to_string (sk_order_get_payment_status (order)), ==,
                   (const char *) sqlite3_column_text (stmt, 4));
  g_assert_cmpstr (sk_fulfillment_status_to_string (sk_order_get_fulfillment_status (order)), ==,
                   (const char *) sqlite3_column_text (stmt, 5));
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, (const char *) sqlite3_column_text (stmt, 6));
  g_assert_cmpstr (sk_order_get_ship_city (order), ==, (const char *) sqlite3_column_text (stmt, 7));
  g_assert_cmpstr (sk_order_get_ship_country (order), ==, (const char *) sqlite3_column_text (stmt, 8));
  g_assert_cmpint (sk_order_get_on_hold (order), ==, sqlite3_column_int (stmt, 9));
  g_assert_cmpint (sk_order_get_archived (order), ==, sqlite3_column_int (stmt, 10));
  g_assert_cmpint (sk_order_get_item_count (order), ==, 2);
  sqlite3_finalize (stmt);

  tags = sk_order_dup_tags_string (order);
  g_assert_cmpstr (tags, ==, "gift, vip");
}

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) archived = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  sk_order_list_set_sort (f->list, SK_ORDER_SORT_CUSTOMER, FALSE);
  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CUSTOMER, FALSE);
  for (guint i = 0; i < 200; i++)
    {
      guint p = g_rand_int_range (rand, 0, expected->len);

      g_assert_cmpuint (sk_order_list_find (f->list, g_array_index (expected, gint64, p)), ==, p);
    }
  /* Now some are cached: find must still agree. */
  for (guint p = 0; p < 300; p++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (f->list), p));
  for (guint p = 0; p < 300; p += 7)
    g_assert_cmpuint (sk_order_list_find (f->list, g_array_index (expected, gint64, p)), ==, p);

  archived = brute_ids (f, "archived = 1", SK_ORDER_SORT_CREATED, TRUE);
  g_assert_cmpuint (archived->len, >, 0);
  g_assert_cmpuint (sk_order_list_find (f->list, g_array_index (archived, gint64, 0)), ==, G_MAXUINT);
  g_assert_cmpuint (sk_order_list_find (f->list, 987654321), ==, G_MAXUINT);
}

static void
test_freeze (Fixture       *f,
             gconstpointer  data)
{
  start_watching (f);

  sk_order_list_freeze (f->list);
  sk_order_list_set_channel (f->list, 1);
  sk_order_list_set_sort (f->list, SK_ORDER_SORT_TOTAL, FALSE);
  sk_order_list_set_only_on_hold (f->list, TRUE);
  g_assert_cmpuint (f->signals->len, ==, 0);
  sk_order_list_thaw (f->list);

  /* One change of filter is one reset: everything out, then the new rows
   * in (two signals, so GTK does not look up every new position). */
  g_assert_cmpuint (f->signals->len, ==, 6);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 3), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 4), ==, 0);
  assert_model (f, "archived = 0 AND channel_id = 1 AND on_hold = 1", SK_ORDER_SORT_TOTAL, FALSE);
  {
    g_autoptr(GArray) expected = brute_ids (f, "archived = 0 AND channel_id = 1 AND on_hold = 1",
                                            SK_ORDER_SORT_TOTAL, FALSE);
    assert_ids_equal (f->shadow, expected);
  }

  /* Setting the same filter again says nothing. */
  sk_order_list_set_channel (f->list, 1);
  g_assert_cmpuint (f->signals->len, ==, 6);
}

/* Tests: following the store */

static Row
middle_row (gint64 id, gint64 created_at)
{
  Row r = {
    .id = id, .channel_id = 1, .number = "#99999", .created_at = created_at,
    .updated_at = created_at + 10, .total = 4200, .status = "open",
    .payment_status = "paid", .fulfillment_status = "unfulfilled",
    .customer = "Inserted Person", .city = "Berlin", .country = "DE",
    .skus = "NEWSKU-1", .titles = "Brand new thing", .on_hold = FALSE, .archived = FALSE,
  };

  return r;
}

static void
test_insert_one (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GArray) inserted = id_array (50001);
  g_autoptr(GArray) expected = NULL;
  /* Between two existing times, in the middle of the list. */
  Row r = middle_row (50001, BASE_TIME + 600 * 500 + 1);
  Edit edit = { rows, NULL, inserted, NULL, NULL };
  guint pos;

  start_watching (f);
  g_array_append_val (rows, r);
  run_edit (f, &edit);

  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  pos = position_in (expected, 50001);
  g_assert_cmpuint (pos, >, 100);
  g_assert_cmpuint (f->signals->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, pos);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 1);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  g_assert_cmpuint (sk_order_list_find (f->list, 50001), ==, pos);
}

static void
test_insert_filtered_out (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GArray) inserted = id_array (50002);
  Row r = middle_row (50002, BASE_TIME + 600 * 10 + 1);
  Edit edit = { rows, NULL, inserted, NULL, NULL };

  sk_order_list_set_channel (f->list, 2);
  start_watching (f);
  g_array_append_val (rows, r);   /* channel 1 */
  run_edit (f, &edit);

  g_assert_cmpuint (f->signals->len, ==, 0);
  assert_model (f, "archived = 0 AND channel_id = 2", SK_ORDER_SORT_CREATED, TRUE);
}

static void
on_order_changed (SkOrder *order,
                  Fixture *f)
{
  f->order_changed++;
}

static void
test_update_refreshes_in_place (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(SkOrder) again = NULL;
  g_autoptr(GArray) updated = NULL;
  g_autofree char *sql = NULL;
  Edit edit = { 0, };
  guint pos = 5;

  start_watching (f);
  order = g_list_model_get_item (G_LIST_MODEL (f->list), pos);
  g_signal_connect (order, "changed", G_CALLBACK (on_order_changed), f);
  updated = id_array (sk_order_get_id (order));
  sql = g_strdup_printf ("UPDATE orders SET payment_status = 'refunded', fulfillment_status = 'restocked'"
                         " WHERE id = %" G_GINT64_FORMAT, sk_order_get_id (order));
  edit.sql = sql;
  edit.updated = updated;
  run_edit (f, &edit);

  g_assert_cmpuint (f->order_changed, ==, 1);
  g_assert_cmpint (sk_order_get_payment_status (order), ==, SK_PAYMENT_STATUS_REFUNDED);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_RESTOCKED);
  g_assert_cmpuint (f->signals->len, ==, 0);
  again = g_list_model_get_item (G_LIST_MODEL (f->list), pos);
  g_assert_true (again == order);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  g_signal_handlers_disconnect_by_func (order, on_order_changed, f);
}

static void
test_update_leaves_filter (Fixture       *f,
                           gconstpointer  data)
{
  const char *where = "archived = 0 AND fulfillment_status = 'unfulfilled'";
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GArray) updated = NULL;
  g_autofree char *sql = NULL;
  Edit edit = { 0, };
  guint pos = 40;

  sk_order_list_set_fulfillment_status (f->list, SK_FULFILLMENT_STATUS_UNFULFILLED);
  start_watching (f);
  order = g_list_model_get_item (G_LIST_MODEL (f->list), pos);
  g_signal_connect (order, "changed", G_CALLBACK (on_order_changed), f);
  updated = id_array (sk_order_get_id (order));
  sql = g_strdup_printf ("UPDATE orders SET fulfillment_status = 'fulfilled' WHERE id = %" G_GINT64_FORMAT,
                         sk_order_get_id (order));
  edit.sql = sql;
  edit.updated = updated;
  run_edit (f, &edit);

  g_assert_cmpuint (f->signals->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, pos);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 0);
  g_assert_cmpuint (f->order_changed, ==, 1);
  g_assert_cmpint (sk_order_get_fulfillment_status (order), ==, SK_FULFILLMENT_STATUS_FULFILLED);
  {
    g_autoptr(GArray) expected = brute_ids (f, where, SK_ORDER_SORT_CREATED, TRUE);
    assert_ids_equal (f->shadow, expected);
  }
  assert_model (f, where, SK_ORDER_SORT_CREATED, TRUE);
  g_signal_handlers_disconnect_by_func (order, on_order_changed, f);
}

/* An order nobody has looked at leaves the filter, then comes back: the
 * change in the count says which. */
static void
test_update_outside_cache (Fixture       *f,
                           gconstpointer  data)
{
  const char *where = "archived = 0 AND payment_status = 'paid'";
  g_autoptr(GArray) before = brute_ids (f, where, SK_ORDER_SORT_CREATED, TRUE);
  g_autoptr(GArray) updated = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autofree char *leave = NULL;
  g_autofree char *come_back = NULL;
  Edit edit = { 0, };
  guint pos = before->len - 3;
  gint64 id = g_array_index (before, gint64, pos);

  sk_order_list_set_payment_status (f->list, SK_PAYMENT_STATUS_PAID);
  watch_uncached (f, where, SK_ORDER_SORT_CREATED, TRUE);

  updated = id_array (id);
  leave = g_strdup_printf ("UPDATE orders SET payment_status = 'refunded' WHERE id = %" G_GINT64_FORMAT, id);
  edit.sql = leave;
  edit.updated = updated;
  run_edit (f, &edit);

  g_assert_cmpuint (f->signals->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, pos);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 0);
  expected = brute_ids (f, where, SK_ORDER_SORT_CREATED, TRUE);
  assert_ids_equal (f->shadow, expected);
  g_clear_pointer (&expected, g_array_unref);

  /* Back in, with the cache dropped by a filter round trip. */
  f->watching = FALSE;
  sk_order_list_set_channel (f->list, 1);
  sk_order_list_set_channel (f->list, 0);
  watch_uncached (f, where, SK_ORDER_SORT_CREATED, TRUE);
  come_back = g_strdup_printf ("UPDATE orders SET payment_status = 'paid' WHERE id = %" G_GINT64_FORMAT, id);
  edit.sql = come_back;
  run_edit (f, &edit);

  g_assert_cmpuint (f->signals->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, pos);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 1);
  expected = brute_ids (f, where, SK_ORDER_SORT_CREATED, TRUE);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, where, SK_ORDER_SORT_CREATED, TRUE);
}

static void
test_update_moves (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GArray) updated = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autofree char *sql = NULL;
  Edit edit = { 0, };
  guint new_pos;

  sk_order_list_set_sort (f->list, SK_ORDER_SORT_TOTAL, TRUE);
  start_watching (f);
  order = g_list_model_get_item (G_LIST_MODEL (f->list), 1000);
  updated = id_array (sk_order_get_id (order));
  /* The most expensive order now: it moves to the top. */
  sql = g_strdup_printf ("UPDATE orders SET total = 99999999 WHERE id = %" G_GINT64_FORMAT,
                         sk_order_get_id (order));
  edit.sql = sql;
  edit.updated = updated;
  run_edit (f, &edit);

  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_TOTAL, TRUE);
  new_pos = position_in (expected, sk_order_get_id (order));
  g_assert_cmpuint (new_pos, ==, 0);
  /* One removal, one insertion. */
  g_assert_cmpuint (f->signals->len, ==, 6);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, 1000);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (f->signals, guint, 3), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 5), ==, 1);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_TOTAL, TRUE);
  {
    g_autoptr(SkOrder) top = g_list_model_get_item (G_LIST_MODEL (f->list), 0);

    /* The same object followed the order to its new place. */
    g_assert_true (top == order);
    g_assert_cmpint (sk_order_get_total (top), ==, 99999999);
  }
}

/* Several inserts, updates and a delete in one commit. */
static void
test_mixed_batch (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GArray) inserted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) updated = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) deleted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) expected = NULL;
  g_autofree char *sql = NULL;
  Edit edit = { rows, NULL, inserted, updated, deleted };
  gint64 a, b, c;

  sk_order_list_set_sort (f->list, SK_ORDER_SORT_CUSTOMER, FALSE);
  start_watching (f);
  /* Read a few pages so some rows are cached. */
  for (guint p = 0; p < 700; p++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (f->list), p));

  for (gint64 id = 60001; id <= 60006; id++)
    {
      Row r = middle_row (id, BASE_TIME + 600 * (id - 60000) * 90);

      r.customer = id % 2 ? "Aaron First" : (id % 3 ? NULL : "Mary O'Brien");
      g_array_append_val (rows, r);
      g_array_append_val (inserted, id);
    }
  a = id_at (f, 3);      /* renamed: moves to the end */
  b = id_at (f, 300);    /* archived: leaves */
  c = id_at (f, 650);    /* deleted */
  sql = g_strdup_printf ("UPDATE orders SET customer_name = 'Zzz Last' WHERE id = %" G_GINT64_FORMAT ";"
                         "UPDATE orders SET archived = 1 WHERE id = %" G_GINT64_FORMAT ";"
                         "DELETE FROM orders_fts WHERE rowid = %" G_GINT64_FORMAT ";"
                         "DELETE FROM orders WHERE id = %" G_GINT64_FORMAT ";",
                         a, b, c, c);
  edit.sql = sql;
  g_array_append_val (updated, a);
  g_array_append_val (updated, b);
  g_array_append_val (deleted, c);
  run_edit (f, &edit);

  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CUSTOMER, FALSE);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CUSTOMER, FALSE);
  /* Minimal: removals and insertions, not a reset. */
  for (guint i = 0; i < f->signals->len; i += 3)
    g_assert_cmpuint (g_array_index (f->signals, guint, i + 1) + g_array_index (f->signals, guint, i + 2), <=, 6);
}

static void
test_delete_cached (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GArray) deleted = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autofree char *sql = NULL;
  Edit edit = { 0, };
  gint64 id;

  start_watching (f);
  id = id_at (f, 77);
  deleted = id_array (id);
  sql = g_strdup_printf ("DELETE FROM orders WHERE id = %" G_GINT64_FORMAT, id);
  edit.sql = sql;
  edit.deleted = deleted;
  run_edit (f, &edit);

  g_assert_cmpuint (f->signals->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, 77);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 0);
  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
}

/* Changes whose old place cannot be known still leave a right model. */
static void
test_unknown_old_state (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GArray) before = brute_ids (f, "archived = 0", SK_ORDER_SORT_UPDATED, TRUE);
  g_autoptr(GArray) updated = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) deleted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) expected = NULL;
  g_autofree char *sql = NULL;
  Edit edit = { NULL, NULL, NULL, updated, deleted };
  gint64 far = g_array_index (before, gint64, before->len - 10);
  gint64 gone = g_array_index (before, gint64, before->len - 20);

  sk_order_list_set_sort (f->list, SK_ORDER_SORT_UPDATED, TRUE);
  watch_uncached (f, "archived = 0", SK_ORDER_SORT_UPDATED, TRUE);

  sql = g_strdup_printf ("UPDATE orders SET updated_at = %d WHERE id = %" G_GINT64_FORMAT ";"
                         "DELETE FROM orders WHERE id = %" G_GINT64_FORMAT ";",
                         BASE_TIME + 9999999, far, gone);
  edit.sql = sql;
  g_array_append_val (updated, far);
  g_array_append_val (deleted, gone);
  run_edit (f, &edit);

  g_assert_cmpuint (f->signals->len, >, 0);
  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_UPDATED, TRUE);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_UPDATED, TRUE);
}

/* With many matches, an order that stops matching the search leaves, and a
 * new one that matches comes in. */
static void
test_search_changes (Fixture       *f,
                     gconstpointer  data)
{
  const char *where = "archived = 0 AND id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH 'example*')";
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GArray) inserted = id_array (90001);
  g_autoptr(GArray) updated = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autofree char *sql = NULL;
  Row r = middle_row (90001, BASE_TIME + 600 * 300 + 1);
  Edit edit = { rows, NULL, inserted, NULL, NULL };
  gint64 id;

  sk_order_list_set_search (f->list, "example");
  start_watching (f);
  g_assert_cmpuint (f->shadow->len, >, 2000);
  id = id_at (f, 1500);
  updated = id_array (id);
  sql = g_strdup_printf ("UPDATE orders_fts SET email = 'someone@elsewhere.org' WHERE rowid = %" G_GINT64_FORMAT, id);
  g_array_append_val (rows, r);
  edit.sql = sql;
  edit.updated = updated;
  run_edit (f, &edit);

  expected = brute_ids (f, where, SK_ORDER_SORT_CREATED, TRUE);
  g_assert_cmpuint (position_in (expected, id), ==, G_MAXUINT);
  g_assert_cmpuint (position_in (expected, 90001), !=, G_MAXUINT);
  /* One removal and one insertion, not a reset. */
  g_assert_cmpuint (f->signals->len, ==, 6);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, 1500);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (f->signals, guint, 3), ==, position_in (expected, 90001));
  g_assert_cmpuint (g_array_index (f->signals, guint, 5), ==, 1);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, where, SK_ORDER_SORT_CREATED, TRUE);
}

static void
test_big_batch_resets (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GArray) inserted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) expected = NULL;
  Edit edit = { rows, NULL, inserted, NULL, NULL };
  guint old_n;

  start_watching (f);
  old_n = f->shadow->len;
  for (gint64 id = 70001; id <= 70300; id++)
    {
      Row r = middle_row (id, BASE_TIME + 7 * id);

      g_array_append_val (rows, r);
      g_array_append_val (inserted, id);
    }
  run_edit (f, &edit);

  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  /* A reset: everything out, then everything in. */
  g_assert_cmpuint (f->signals->len, ==, 6);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, old_n);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 3), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 4), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 5), ==, expected->len);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
}

/* New orders arriving at the top, with search on. */
static void
test_insert_with_search (Fixture       *f,
                         gconstpointer  data)
{
  const char *where = "archived = 0 AND id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH 'brand*')";
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GArray) inserted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) expected = NULL;
  Edit edit = { rows, NULL, inserted, NULL, NULL };

  sk_order_list_set_search (f->list, "brand");
  start_watching (f);
  g_assert_cmpuint (f->shadow->len, ==, 0);
  for (gint64 id = 80001; id <= 80003; id++)
    {
      Row r = middle_row (id, BASE_TIME + 600 * 2000 + id);

      g_array_append_val (rows, r);
      g_array_append_val (inserted, id);
    }
  run_edit (f, &edit);

  expected = brute_ids (f, where, SK_ORDER_SORT_CREATED, TRUE);
  g_assert_cmpuint (expected->len, ==, 3);
  /* One run: three rows at the top in one signal. */
  g_assert_cmpuint (f->signals->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 3);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, where, SK_ORDER_SORT_CREATED, TRUE);
}

/* Bursts of commits while the list is being read.
 *
 * A consumer like GtkColumnView keeps the items it was given and reads the
 * new ones after each items-changed. Every read between two signals must
 * come from the state the signals so far describe, even when the writer
 * has committed more since: otherwise the view holds one order twice. */

typedef struct
{
  Fixture *f;
  gint64 next_id;           /* of the next order written during a signal */
  guint nested_left;        /* commits still to make from inside a handler */
  guint checks;             /* full checks made */
  GThread *thread;
  gint stop;                /* atomic */
  guint written;            /* by the thread */
} Burst;

static Row
top_row (gint64 id)
{
  /* Newer than every generated order: lands at the top of the inbox. */
  return middle_row (id, BASE_TIME + 600 * 5000 + id);
}

static gboolean
insert_top_job (SkStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  gint64 id = GPOINTER_TO_SIZE (data);
  Row r = top_row (id);

  if (!write_row (txn, &r, error))
    return FALSE;
  sk_store_txn_note_order (txn, id, TRUE);
  return TRUE;
}

/* Everything the model serves now, checked against the shadow (what the
 * signals so far describe) and for orders seen twice. */
static void
check_model_against_shadow (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (f->list);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint n = g_list_model_get_n_items (model);

  g_assert_cmpuint (n, ==, f->shadow->len);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkOrder) order = g_list_model_get_item (model, i);
      gint64 *id = &g_array_index (f->shadow, gint64, i);

      g_assert_nonnull (order);
      if (sk_order_get_id (order) != *id)
        g_error ("position %u of %u: the model serves order %" G_GINT64_FORMAT
                 " where its signals put %" G_GINT64_FORMAT,
                 i, n, sk_order_get_id (order), *id);
      if (!g_hash_table_add (seen, id))
        g_error ("order %" G_GINT64_FORMAT " seen twice (position %u of %u)", *id, i, n);
    }
}

/* The writer commits again right when a signal arrives, before the
 * consumer reads what it announces: as it may at any time in the app. */
static void
on_items_changed_commit_then_read (GListModel *model,
                                   guint       position,
                                   guint       removed,
                                   guint       added,
                                   Burst      *b)
{
  if (b->nested_left > 0)
    {
      g_autoptr(GError) error = NULL;

      b->nested_left--;
      sk_store_run_sync (b->f->store, insert_top_job, GSIZE_TO_POINTER (b->next_id++), &error);
      g_assert_no_error (error);
    }
  b->f->watching = TRUE;
  on_items_changed (model, position, removed, added, b->f);
  b->f->watching = FALSE;
  check_model_against_shadow (b->f);
  b->checks++;
}

static void
test_commit_during_signal (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) expected = NULL;
  Burst b = { f, 100001, 20, 0, NULL, 0, 0 };
  gulong handler;

  start_watching (f);
  /* This test's handler replays the signals itself, after committing. */
  f->watching = FALSE;
  handler = g_signal_connect (f->list, "items-changed",
                              G_CALLBACK (on_items_changed_commit_then_read), &b);

  /* The first commit's signal starts a chain: each handler commits the
   * next order before reading. */
  sk_store_run_sync (f->store, insert_top_job, GSIZE_TO_POINTER (100000), &error);
  g_assert_no_error (error);
  while (b.next_id < 100021 || g_main_context_pending (NULL))
    g_main_context_iteration (NULL, TRUE);

  g_signal_handler_disconnect (f->list, handler);
  g_assert_cmpuint (b.checks, >=, 21);
  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  g_assert_null (sk_order_list_get_error (f->list));
}

static void on_items_changed_read (GListModel *model,
                                   guint       position,
                                   guint       removed,
                                   guint       added,
                                   Burst      *b);

/* Commits that land before the list has taken the first one's signal:
 * an order outside the cache updated (still in the view), then a new one
 * at the top. Handled with the newer data but only the first commit's
 * change, the count (one more) would say the updated order came in: one
 * order twice. The list applies both commits' changes, as one insertion. */
static gboolean
update_total_job (SkStoreTxn  *txn,
                  gpointer     data,
                  GError     **error)
{
  gint64 id = GPOINTER_TO_SIZE (data);
  g_autofree char *sql =
    g_strdup_printf ("UPDATE orders SET total = total + 1 WHERE id = %" G_GINT64_FORMAT, id);

  if (sqlite3_exec (sk_store_txn_get_db (txn), sql, NULL, NULL, NULL) != SQLITE_OK)
    return sk_store_txn_set_error (txn, sqlite3_errcode (sk_store_txn_get_db (txn)), error);
  sk_store_txn_note_order (txn, id, FALSE);
  return TRUE;
}

static void
test_commits_before_signal (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) before = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 far = g_array_index (before, gint64, before->len - 10);
  guint old_n = before->len;
  Burst b = { f, 0, 0, 0, NULL, 0, 0 };
  gulong handler;

  watch_uncached (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  handler = g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed_read), &b);
  sk_store_run_sync (f->store, update_total_job, GSIZE_TO_POINTER (far), &error);
  g_assert_no_error (error);
  sk_store_run_sync (f->store, insert_top_job, GSIZE_TO_POINTER (300000), &error);
  g_assert_no_error (error);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_signal_handler_disconnect (f->list, handler);

  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  g_assert_cmpuint (expected->len, ==, old_n + 1);
  for (guint i = 0; i < f->shadow->len; i++)
    if (!g_hash_table_add (seen, &g_array_index (f->shadow, gint64, i)))
      g_error ("order %" G_GINT64_FORMAT " is in the list twice", g_array_index (f->shadow, gint64, i));
  assert_ids_equal (f->shadow, expected);
  /* Not started over: the new order came in at the top, nothing else. */
  g_assert_cmpuint (f->signals->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->signals, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 1), ==, 0);
  g_assert_cmpuint (g_array_index (f->signals, guint, 2), ==, 1);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
}

static gpointer
burst_thread (gpointer data)
{
  Burst *b = data;

  for (gint64 id = 200000; !g_atomic_int_get (&b->stop) && id < 200400; id++)
    {
      g_autoptr(GError) error = NULL;

      sk_store_run_sync (b->f->store, insert_top_job, GSIZE_TO_POINTER (id), &error);
      g_assert_no_error (error);
      b->written++;
      if (id % 8 == 7)
        g_usleep (2000);
    }
  return NULL;
}

static void
on_items_changed_read (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       Burst      *b)
{
  check_model_against_shadow (b->f);
  b->checks++;
}

static void
test_commit_bursts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GArray) expected = NULL;
  Burst b = { f, 0, 0, 0, NULL, 0, 0 };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gulong handler;

  start_watching (f);
  handler = g_signal_connect (f->list, "items-changed", G_CALLBACK (on_items_changed_read), &b);
  b.thread = g_thread_new ("burst-writer", burst_thread, &b);

  /* Let the main loop take the signals while the thread commits. */
  while (b.written < 400 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_atomic_int_set (&b.stop, 1);
  g_thread_join (g_steal_pointer (&b.thread));
  /* Every commit has queued its signal by now: deliver the rest. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_signal_handler_disconnect (f->list, handler);
  g_assert_cmpuint (b.written, ==, 400);
  g_assert_cmpuint (b.checks, >, 0);
  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  g_assert_null (sk_order_list_get_error (f->list));
}

/* The list holds a read snapshot all the time; checkpoints must still
 * catch up and the WAL must still start over, or it grows for as long as
 * the app runs. Each round rewrites every order with a long note (more
 * pages than the checkpoint size); the inventory engine's commits, which
 * change no order, are like these. */
static gboolean
long_notes_job (SkStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  g_autofree char *sql =
    g_strdup_printf ("UPDATE orders SET note = printf('%%d %%.3400c', %u, 'x')",
                     GPOINTER_TO_UINT (data));

  if (sqlite3_exec (sk_store_txn_get_db (txn), sql, NULL, NULL, NULL) != SQLITE_OK)
    return sk_store_txn_set_error (txn, sqlite3_errcode (sk_store_txn_get_db (txn)), error);
  sk_store_txn_note (txn, SK_STORE_CHANGE_EVENTS);
  return TRUE;
}

static gint64
wal_size (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "orders.db-wal", NULL);
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static void
write_round (Fixture *f,
             guint    round)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;

      sk_store_run_sync (f->store, long_notes_job, GUINT_TO_POINTER (round * 10 + i), &error);
      g_assert_no_error (error);
    }
}

static void
test_wal_restarts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GArray) ids = NULL;
  gint64 first = 0, second;

  start_watching (f);
  for (guint round = 0; round < 2; round++)
    {
      write_round (f, round);
      /* The app's main loop runs on; the writer checkpoints when idle. */
      for (guint i = 0; i < 40; i++)
        {
          while (g_main_context_pending (NULL))
            g_main_context_iteration (NULL, FALSE);
          g_usleep (25000);
        }
      if (round == 0)
        first = wal_size (f);
    }
  second = wal_size (f);
  /* More than the checkpoint size was written: checkpointed. */
  g_assert_cmpint (first, >, 8000 * 4096);
  /* Round two wrote over round one from the start of the WAL. */
  g_test_message ("WAL after round one: %" G_GINT64_FORMAT " bytes, after round two: %"
                  G_GINT64_FORMAT, first, second);
  g_assert_cmpint (second, <, first + first / 4);
  ids = model_ids (G_LIST_MODEL (f->list));
  assert_ids_equal (f->shadow, ids);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
}

/* The same while the writer is never idle: jobs back to back from another
 * thread, the main loop running, the list following every change. Without
 * an idle moment the writer must still get the readers off the WAL, or
 * the WAL grows by every job (it passed 200 MB in a few minutes). */
#define BUSY_JOBS 100
#define WAL_BOUND ((gint64) 3 * 8000 * 4096)  /* the cap is 2 × 8000 pages */

typedef struct
{
  SkStore *store;
  gint done;                /* atomic */
  gint64 frames;            /* roughly, written by all the jobs */
} Busy;

/* A quarter of the orders get a long note, and a few of them are noted as
 * updated: the list reloads those. */
static gboolean
quarter_notes_job (SkStoreTxn  *txn,
                   gpointer     data,
                   GError     **error)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autofree char *sql =
    g_strdup_printf ("UPDATE orders SET note = printf('%%d %%.3400c', %u, 'x') WHERE id %% 4 = %u",
                     n, n % 4);

  if (sqlite3_exec (sk_store_txn_get_db (txn), sql, NULL, NULL, NULL) != SQLITE_OK)
    return sk_store_txn_set_error (txn, sqlite3_errcode (sk_store_txn_get_db (txn)), error);
  for (gint64 id = 4 + n % 4; id < 400; id += 40)
    sk_store_txn_note_order (txn, id, FALSE);
  return TRUE;
}

static gpointer
busy_thread (gpointer data)
{
  Busy *busy = data;

  for (guint i = 0; i < BUSY_JOBS; i++)
    {
      g_autoptr(GError) error = NULL;

      sk_store_run_sync (busy->store, quarter_notes_job, GUINT_TO_POINTER (i), &error);
      g_assert_no_error (error);
    }
  g_atomic_int_set (&busy->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
test_wal_restarts_while_busy (Fixture       *f,
                              gconstpointer  data)
{
  Busy busy = { f->store, 0, 0 };
  g_autoptr(GArray) ids = NULL;
  GThread *thread;
  gint64 largest = 0;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  start_watching (f);
  thread = g_thread_new ("busy-writer", busy_thread, &busy);
  while (!g_atomic_int_get (&busy.done) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      largest = MAX (largest, wal_size (f));
    }
  g_thread_join (thread);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  largest = MAX (largest, wal_size (f));

  g_test_message ("largest WAL while busy: %" G_GINT64_FORMAT " bytes", largest);
  g_assert_true (g_atomic_int_get (&busy.done));
  /* The jobs wrote far more than the bound (each more than 750 pages)... */
  g_assert_cmpint ((gint64) BUSY_JOBS * 750 * 4096, >, 2 * WAL_BOUND);
  /* ...and the WAL started over again and again. */
  g_assert_cmpint (largest, <, WAL_BOUND);
  ids = model_ids (G_LIST_MODEL (f->list));
  assert_ids_equal (f->shadow, ids);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
}

static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

/* Another program holds an old snapshot, so no checkpoint catches up: the
 * writer must not wake the main loop every 300 ms for ever. */
static void
test_idle_checkpoint_backs_off (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "orders.db", NULL);
  sqlite3 *other = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 end;
  guint dispatched = 0;

  start_watching (f);
  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (other, "SELECT COUNT(*) FROM orders", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  write_round (f, 0);
  spin_ms (500);

  /* Tries at 0.3, 0.9, 2.1, 4.5 s…: two in this window; every 300 ms
   * would be ten. */
  end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      if (g_main_context_iteration (NULL, FALSE))
        dispatched++;
      else
        g_usleep (2000);
    }
  g_test_message ("main loop dispatches in 3 s: %u", dispatched);
  g_assert_cmpuint (dispatched, <=, 4);

  sqlite3_finalize (stmt);
  sqlite3_close (other);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
}

/* Moving an idle list to a newer snapshot fails (the old one is gone
 * then), and an order comes in before the list hears of it: the list must
 * not read rows of the newest snapshot under the count of the old one,
 * and must start over by itself. */
static void
test_snapshot_lost (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) expected = NULL;
  GListModel *model = G_LIST_MODEL (f->list);
  gint64 deadline;
  guint far;
  SkOrder *order;

  watch_uncached (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  far = f->shadow->len - 5;
  /* A large WAL: the writer checkpoints when idle, then refreshes readers. */
  write_round (f, 0);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (_sk_store_reader_is_pinned (f->list->reader));
  _sk_store_reader_fail_next_pin (f->list->reader, SQLITE_BUSY);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (_sk_store_reader_is_pinned (f->list->reader) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  g_assert_false (_sk_store_reader_is_pinned (f->list->reader));

  /* Lost, and the list has not started over yet. A new order at the top. */
  sk_store_run_sync (f->store, insert_top_job, GSIZE_TO_POINTER (400000), &error);
  g_assert_no_error (error);
  order = g_list_model_get_item (model, far);
  if (order != NULL)
    g_assert_cmpint (sk_order_get_id (order), ==, g_array_index (f->shadow, gint64, far));
  g_clear_object (&order);
  g_assert_false (_sk_store_reader_is_pinned (f->list->reader));

  /* It starts over, and takes the new order's signal. */
  spin_ms (200);
  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  assert_ids_equal (f->shadow, expected);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  g_assert_true (_sk_store_reader_is_pinned (f->list->reader));
}

/* Taking a snapshot fails: the list is empty with an error. It tries again
 * on the next change of any kind, not only on the next order change. */
static gboolean
events_only_job (SkStoreTxn  *txn,
                 gpointer     data,
                 GError     **error)
{
  return _sk_store_txn_add_event (txn, "user", "order", 1, "test", NULL, NULL, NULL, error);
}

static void
test_pin_fails_then_any_change (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  _sk_store_reader_fail_next_pin (f->list->reader, SQLITE_BUSY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
  g_assert_error (sk_order_list_get_error (f->list), SK_STORE_ERROR, SK_STORE_ERROR_BUSY);
  start_watching (f);

  f->store_changed = FALSE;
  sk_store_run_sync (f->store, events_only_job, NULL, &error);
  g_assert_no_error (error);
  sk_test_wait_for (&f->store_changed, 10000);
  g_assert_cmpuint (f->shadow->len, >, 0);
  assert_model (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
}

/* A handler that runs a nested main loop, in which the next commit's
 * signal is emitted: handlers after it still see their own commit. */
typedef struct
{
  Fixture *f;
  guint depth;
  guint64 outer_seq;
  guint64 seq_after_nested;
  gboolean nested_done;
  GArray *signals;
} Nested;

static void
on_changed_nest (SkStore       *store,
                 SkStoreChange *change,
                 Nested        *n)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  if (n->depth++ > 0 || n->nested_done)
    {
      n->depth--;
      return;
    }
  n->outer_seq = _sk_store_get_change_seq (store);
  sk_store_run_sync (store, insert_top_job, GSIZE_TO_POINTER (500001), &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (_sk_store_get_change_seq (store) == n->outer_seq &&
         g_get_monotonic_time () < deadline)
    {
      /* Runs the next signal, nested; then the seq is the outer one again. */
      g_main_context_iteration (NULL, TRUE);
      if (_sk_store_get_change_seq (store) == n->outer_seq)
        break;
    }
  n->nested_done = TRUE;
  n->seq_after_nested = _sk_store_get_change_seq (store);
  n->depth--;
}

static void
on_items_changed_record (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Nested     *n)
{
  guint triple[3] = { position, removed, added };

  g_array_append_vals (n->signals, triple, 3);
}

static void
test_nested_loop_in_signal (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrderList) second = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) ids = NULL;
  Nested n = { f, 0, 0, 0, FALSE, g_array_new (FALSE, FALSE, sizeof (guint)) };
  gulong handler;

  handler = g_signal_connect (f->store, "changed", G_CALLBACK (on_changed_nest), &n);
  /* Connected after the nesting handler: runs after its nested loop. */
  second = sk_order_list_new (f->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (second)), >, 0);
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (second), 0));
  g_signal_connect (second, "items-changed", G_CALLBACK (on_items_changed_record), &n);

  sk_store_run_sync (f->store, insert_top_job, GSIZE_TO_POINTER (500000), &error);
  g_assert_no_error (error);
  spin_ms (200);
  g_signal_handler_disconnect (f->store, handler);

  g_assert_true (n.nested_done);
  g_assert_cmpuint (n.outer_seq, >, 0);
  g_assert_cmpuint (n.seq_after_nested, ==, n.outer_seq);
  /* Two insertions at the top, no start over. */
  for (guint i = 0; i < n.signals->len; i += 3)
    g_assert_cmpuint (g_array_index (n.signals, guint, i + 1), ==, 0);
  expected = brute_ids (f, "archived = 0", SK_ORDER_SORT_CREATED, TRUE);
  ids = model_ids (G_LIST_MODEL (second));
  assert_ids_equal (ids, expected);
  g_array_unref (n.signals);
}

int
main (int   argc,
      char *argv[])
{
  sk_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/order-list/default-newest-first", test_default_is_newest_first);
  ADD ("/store/order-list/sorts", test_sorts);
  ADD ("/store/order-list/filters", test_filters);
  ADD ("/store/order-list/date-range", test_date_range);
  ADD ("/store/order-list/search", test_search);
  ADD ("/store/order-list/random-access", test_random_access);
  ADD ("/store/order-list/row-contents", test_row_contents);
  ADD ("/store/order-list/find", test_find);
  ADD ("/store/order-list/freeze", test_freeze);
  ADD ("/store/order-list/changes/insert-one", test_insert_one);
  ADD ("/store/order-list/changes/insert-filtered-out", test_insert_filtered_out);
  ADD ("/store/order-list/changes/insert-with-search", test_insert_with_search);
  ADD ("/store/order-list/changes/update-in-place", test_update_refreshes_in_place);
  ADD ("/store/order-list/changes/update-leaves-filter", test_update_leaves_filter);
  ADD ("/store/order-list/changes/update-outside-cache", test_update_outside_cache);
  ADD ("/store/order-list/changes/update-moves", test_update_moves);
  ADD ("/store/order-list/changes/mixed-batch", test_mixed_batch);
  ADD ("/store/order-list/changes/delete-cached", test_delete_cached);
  ADD ("/store/order-list/changes/unknown-old-state", test_unknown_old_state);
  ADD ("/store/order-list/changes/search", test_search_changes);
  ADD ("/store/order-list/changes/big-batch-resets", test_big_batch_resets);
  ADD ("/store/order-list/changes/commit-during-signal", test_commit_during_signal);
  ADD ("/store/order-list/changes/commits-before-signal", test_commits_before_signal);
  ADD ("/store/order-list/changes/commit-bursts", test_commit_bursts);
  ADD ("/store/order-list/wal-restarts", test_wal_restarts);
  ADD ("/store/order-list/wal-restarts-while-busy", test_wal_restarts_while_busy);
  ADD ("/store/order-list/idle-checkpoint-backs-off", test_idle_checkpoint_backs_off);
  ADD ("/store/order-list/snapshot-lost", test_snapshot_lost);
  ADD ("/store/order-list/pin-fails-then-any-change", test_pin_fails_then_any_change);
  ADD ("/store/order-list/changes/nested-loop-in-signal", test_nested_loop_in_signal);

  return g_test_run ();
}
