/* test-stock-csv.c: cycle-count files: preview, line-numbered errors, export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sk-error.h"
#include "sk-inventory.h"
#include "sk-stock-csv.h"
#include "sk-store.h"
#include "sk-store-channels.h"
#include "sk-store-inventory.h"
#include "sk-test-util.h"

typedef struct
{
  char *tmpdir;
  SkStore *store;
  SkInventory *inventory;
  gint64 main_location;
  gint64 backroom;
  gint64 shoe;
  gint64 cap;
  gint64 kit;
} Fixture;

static gint64
add_sku (Fixture    *f,
         const char *sku,
         const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSku) record = sk_sku_new (sku, title);

  g_assert_true (sk_store_add_sku (f->store, record, &error));
  g_assert_no_error (error);
  return record->id;
}

static gint64
add_location (Fixture    *f,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkLocation) location = sk_location_new (name, SK_LOCATION_KIND_WAREHOUSE);

  g_assert_true (sk_store_add_location (f->store, location, &error));
  g_assert_no_error (error);
  return location->id;
}

static void
receive (Fixture *f,
         gint64   sku_id,
         gint64   location_id,
         gint64   quantity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);

  g_ptr_array_add (edits, sk_stock_edit_new (SK_MOVEMENT_RECEIVE, sku_id, location_id, quantity));
  g_assert_true (sk_inventory_apply_edits_sync (f->inventory, edits, "Delivery", NULL, &error));
  g_assert_no_error (error);
}

static gint64
on_hand (Fixture *f,
         gint64   sku_id,
         gint64   location_id)
{
  SkStockLevel level;

  g_assert_true (sk_store_get_stock_level (f->store, sku_id, location_id, &level, NULL));
  return level.on_hand;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) components = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_kit_component_free);

  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);
  f->inventory = sk_inventory_new (f->store);
  f->main_location = add_location (f, "Main warehouse");
  f->backroom = add_location (f, "Shop, backroom");
  f->shoe = add_sku (f, "TS-1", "Trail shoe, \"Ridge\" 42");
  f->cap = add_sku (f, "CAP-1", "Cap");
  f->kit = add_sku (f, "KIT-1", "Kit");
  g_ptr_array_add (components, sk_kit_component_new (f->cap, 1));
  g_assert_true (sk_store_set_kit_components (f->store, f->kit, components, &error));
  receive (f, f->shoe, f->main_location, 10);
  receive (f, f->shoe, f->backroom, 2);
  receive (f, f->cap, f->main_location, 5);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (sk_store_check_stock_consistency (f->store, &error));
  g_clear_object (&f->inventory);
  g_clear_object (&f->store);
  sk_test_tmpdir_free (f->tmpdir);
}

static SkStockCsvPreview *
preview (Fixture    *f,
         const char *text)
{
  g_autoptr(GError) error = NULL;
  SkStockCsvPreview *p = sk_stock_csv_preview_data (f->store, text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static const SkCsvRowError *
error_at (SkStockCsvPreview *p,
          guint              i)
{
  g_assert_cmpuint (i, <, p->errors->len);
  return g_ptr_array_index (p->errors, i);
}

static void
test_preview_errors (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SkStockCsvPreview) p = NULL;
  g_autofree char *formatted = NULL;
  const SkStockCsvRow *row;
  const char *text =
    "SKU,Location,Counted,Note\n"          /* 1 */
    "TS-1,Main warehouse,8,shelf A\n"      /* 2: a change */
    "NOPE-9,Main warehouse,3,\n"           /* 3: unknown SKU */
    "KIT-1,Main warehouse,3,\n"            /* 4: a kit */
    "CAP-1,Main warehouse,abc,\n"          /* 5: not a number */
    "\n"                                   /* 6: blank, skipped */
    "TS-1,main WAREHOUSE,9,\n"             /* 7: counted twice */
    "CAP-1,Attic,1,\n"                     /* 8: unknown location */
    "CAP-1,,5,\n"                          /* 9: default location, unchanged */
    ",Main warehouse,1,\n"                 /* 10: no SKU */
    "CAP-1,\"Shop, backroom\",-2,\n"       /* 11: below zero */
    "TS-1,\"Shop, backroom\",2\n";         /* 12: unchanged, short row */

  p = preview (f, text);
  g_assert_cmpuint (p->rows->len, ==, 3);
  g_assert_cmpuint (p->n_changed, ==, 1);
  g_assert_cmpuint (p->n_unchanged, ==, 2);

  row = g_ptr_array_index (p->rows, 0);
  g_assert_cmpuint (row->line, ==, 2);
  g_assert_cmpint (row->sku_id, ==, f->shoe);
  g_assert_cmpint (row->location_id, ==, f->main_location);
  g_assert_cmpint (row->current, ==, 10);
  g_assert_cmpint (row->counted, ==, 8);
  g_assert_cmpint (row->delta, ==, -2);
  row = g_ptr_array_index (p->rows, 1);
  g_assert_cmpuint (row->line, ==, 9);
  g_assert_cmpint (row->location_id, ==, f->main_location);
  g_assert_cmpint (row->delta, ==, 0);
  row = g_ptr_array_index (p->rows, 2);
  g_assert_cmpuint (row->line, ==, 12);
  g_assert_cmpstr (row->location_name, ==, "Shop, backroom");

  g_assert_cmpuint (p->errors->len, ==, 7);
  g_assert_cmpuint (error_at (p, 0)->line, ==, 3);
  g_assert_nonnull (strstr (error_at (p, 0)->message, "NOPE-9"));
  g_assert_cmpuint (error_at (p, 1)->line, ==, 4);
  g_assert_nonnull (strstr (error_at (p, 1)->message, "kit"));
  g_assert_cmpuint (error_at (p, 2)->line, ==, 5);
  g_assert_nonnull (strstr (error_at (p, 2)->message, "“abc”"));
  g_assert_cmpuint (error_at (p, 3)->line, ==, 7);
  g_assert_nonnull (strstr (error_at (p, 3)->message, "line 2"));
  g_assert_cmpuint (error_at (p, 4)->line, ==, 8);
  g_assert_nonnull (strstr (error_at (p, 4)->message, "Attic"));
  g_assert_cmpuint (error_at (p, 5)->line, ==, 10);
  g_assert_cmpuint (error_at (p, 6)->line, ==, 11);
  formatted = sk_csv_row_error_format (error_at (p, 6));
  g_assert_true (g_str_has_prefix (formatted, "Line 11"));

  /* Nothing is written by a preview. */
  g_assert_cmpint (on_hand (f, f->shoe, f->main_location), ==, 10);
}

static void
test_apply (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStockCsvPreview) p = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) movements = NULL;
  SkInventoryReport report;

  /* Semicolons, CRLF, a byte order mark and another header name. */
  p = preview (f, "\xef\xbb\xbfsku;warehouse;On Hand\r\nTS-1;Main warehouse;7\r\nCAP-1;Main warehouse;5\r\n");
  g_assert_cmpuint (p->errors->len, ==, 0);
  changed = sk_stock_csv_preview_get_edits (p, FALSE);
  all = sk_stock_csv_preview_get_edits (p, TRUE);
  g_assert_cmpuint (changed->len, ==, 1);
  g_assert_cmpuint (all->len, ==, 2);

  g_assert_true (sk_inventory_apply_edits_sync (f->inventory, all, "Cycle count", &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (on_hand (f, f->shoe, f->main_location), ==, 7);
  g_assert_cmpint (on_hand (f, f->cap, f->main_location), ==, 5);
  /* The confirming count is history too. */
  movements = sk_store_list_movements (f->store, f->cap, 0, 0, 1, &error);
  g_assert_cmpint (((SkMovement *) movements->pdata[0])->kind, ==, SK_MOVEMENT_COUNT);
  g_assert_cmpint (((SkMovement *) movements->pdata[0])->quantity, ==, 0);
  g_assert_cmpstr (((SkMovement *) movements->pdata[0])->reason, ==, "Cycle count");
}

static void
test_missing_columns (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStockCsvPreview) p = NULL;
  const char *text = "SKU,Location,Colour\nTS-1,Main warehouse,red\n";

  p = sk_stock_csv_preview_data (f->store, text, strlen (text), &error);
  g_assert_null (p);
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_assert_nonnull (strstr (error->message, "On hand"));
  g_clear_error (&error);

  p = sk_stock_csv_preview_data (f->store, "", 0, &error);
  g_assert_null (p);
  g_assert_nonnull (error);
}

static void
test_export_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStockCsvPreview) p = NULL;
  g_autoptr(GPtrArray) edits = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *again = NULL;
  g_autofree char *backroom = NULL;
  g_auto(GStrv) lines = NULL;
  char *at;

  exported = sk_stock_csv_export (f->store, 0, &error);
  g_assert_no_error (error);
  lines = g_strsplit (exported, "\r\n", -1);
  /* Header, 2 SKUs × 2 locations, and the empty tail; the kit is left out. */
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[0], ==, "SKU,Location,On hand,Reserved,Available,Title");
  g_assert_cmpstr (lines[1], ==, "CAP-1,Main warehouse,5,0,5,Cap");
  g_assert_cmpstr (lines[2], ==, "CAP-1,\"Shop, backroom\",0,0,0,Cap");
  g_assert_cmpstr (lines[3], ==, "TS-1,Main warehouse,10,0,10,\"Trail shoe, \"\"Ridge\"\" 42\"");

  /* Reading it back changes nothing. */
  p = preview (f, exported);
  g_assert_cmpuint (p->errors->len, ==, 0);
  g_assert_cmpuint (p->rows->len, ==, 4);
  g_assert_cmpuint (p->n_changed, ==, 0);
  g_clear_pointer (&p, sk_stock_csv_preview_free);

  /* Edit one number, as in a spreadsheet. */
  edited = g_strdup (exported);
  at = strstr (edited, "TS-1,\"Shop, backroom\",2,");
  g_assert_nonnull (at);
  at[strlen ("TS-1,\"Shop, backroom\",")] = '6';
  p = preview (f, edited);
  g_assert_cmpuint (p->errors->len, ==, 0);
  g_assert_cmpuint (p->n_changed, ==, 1);
  edits = sk_stock_csv_preview_get_edits (p, FALSE);
  g_assert_true (sk_inventory_apply_edits_sync (f->inventory, edits, "Cycle count", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (on_hand (f, f->shoe, f->backroom), ==, 6);

  /* The export now says what the file said (and the available number
   * that follows from it; the file's own was only information). */
  again = sk_stock_csv_export (f->store, 0, &error);
  at = strstr (edited, "TS-1,\"Shop, backroom\",6,0,2,");
  g_assert_nonnull (at);
  at[strlen ("TS-1,\"Shop, backroom\",6,0,")] = '6';
  g_assert_cmpstr (again, ==, edited);

  /* One location only. */
  backroom = sk_stock_csv_export (f->store, f->backroom, &error);
  g_assert_null (strstr (backroom, "Main warehouse"));
  g_assert_nonnull (strstr (backroom, "TS-1,\"Shop, backroom\",6,0,6,"));
}

static void
test_append_field (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "a;b", "\"a;b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { " padded ", "\" padded \"" },
    { "Köln", "Köln" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      sk_stock_csv_append_field (s, cases[i].in);
      g_assert_cmpstr (s->str, ==, cases[i].out);
    }
}

int
main (int   argc,
      char *argv[])
{
  sk_test_init (&argc, &argv);

  g_test_add ("/stock-csv/preview-errors", Fixture, NULL, fixture_set_up, test_preview_errors, fixture_tear_down);
  g_test_add ("/stock-csv/apply", Fixture, NULL, fixture_set_up, test_apply, fixture_tear_down);
  g_test_add ("/stock-csv/missing-columns", Fixture, NULL, fixture_set_up, test_missing_columns, fixture_tear_down);
  g_test_add ("/stock-csv/export-round-trip", Fixture, NULL, fixture_set_up, test_export_round_trip, fixture_tear_down);
  g_test_add_func ("/stock-csv/append-field", test_append_field);

  return g_test_run ();
}
