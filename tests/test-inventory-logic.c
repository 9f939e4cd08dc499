/* test-inventory-logic.c: what the inventory editor shows, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sk-error.h"
#include "sk-inventory-logic.h"
#include "sk-test-util.h"

#define MINUS "\xe2\x88\x92"

static void
test_stock_state (void)
{
  g_assert_cmpint (sk_inventory_stock_state (10, -1), ==, SK_STOCK_STATE_OK);
  g_assert_cmpint (sk_inventory_stock_state (10, 10), ==, SK_STOCK_STATE_LOW);
  g_assert_cmpint (sk_inventory_stock_state (3, 5), ==, SK_STOCK_STATE_LOW);
  g_assert_cmpint (sk_inventory_stock_state (6, 5), ==, SK_STOCK_STATE_OK);
  g_assert_cmpint (sk_inventory_stock_state (0, 5), ==, SK_STOCK_STATE_OUT);
  g_assert_cmpint (sk_inventory_stock_state (0, -1), ==, SK_STOCK_STATE_OUT);
  g_assert_cmpint (sk_inventory_stock_state (-2, -1), ==, SK_STOCK_STATE_NEGATIVE);

  g_assert_cmpstr (sk_inventory_stock_pill (SK_STOCK_STATE_OK).label, ==, "");
  g_assert_cmpstr (sk_inventory_stock_pill (SK_STOCK_STATE_LOW).label, ==, "Low stock");
  g_assert_cmpint (sk_inventory_stock_pill (SK_STOCK_STATE_LOW).style, ==, SK_PILL_WARNING);
  g_assert_cmpstr (sk_inventory_stock_pill (SK_STOCK_STATE_OUT).label, ==, "Out of stock");
  g_assert_cmpint (sk_inventory_stock_pill (SK_STOCK_STATE_OUT).style, ==, SK_PILL_ERROR);
  g_assert_cmpint (sk_inventory_stock_pill (SK_STOCK_STATE_NEGATIVE).style, ==, SK_PILL_ERROR);
}

static void
check_text (char       *text,
            const char *expected)
{
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static void
test_format (void)
{
  check_text (sk_inventory_format_count (12), "12");
  check_text (sk_inventory_format_count (0), "0");
  check_text (sk_inventory_format_count (-3), MINUS "3");
  check_text (sk_inventory_format_count (G_MININT64), MINUS "9223372036854775808");
  check_text (sk_inventory_format_change (3), "+3");
  check_text (sk_inventory_format_change (-2), MINUS "2");
  check_text (sk_inventory_format_change (0), "0");
}

static void
test_parse_count (void)
{
  const struct {
    const char *text;
    gint64 current;
    gint64 level;   /* -1: an error */
  } cases[] = {
    { "12", 5, 12 },
    { "  7 ", 5, 7 },
    { "0", 5, 0 },
    { "+3", 5, 8 },
    { "+ 3", 5, 8 },
    { "-2", 5, 3 },
    { MINUS "2", 5, 3 },
    { "-5", 5, 0 },
    { "-6", 5, -1 },      /* below zero */
    { "", 5, -1 },
    { "   ", 5, -1 },
    { "+", 5, -1 },
    { "abc", 5, -1 },
    { "1.5", 5, -1 },
    { "12a", 5, -1 },
    { "1,000", 5, -1 },
    { "1000000000", 0, 1000000000 },
    { "1000000001", 0, -1 },   /* too large */
    { "99999999999999999999999", 0, -1 },
    { "+1", 1000000000, -1 },  /* too large after the change */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 level = -42;
      gboolean ok = sk_inventory_parse_count (cases[i].text, cases[i].current, &level, &error);

      g_test_message ("“%s” from %" G_GINT64_FORMAT, cases[i].text, cases[i].current);
      if (cases[i].level < 0)
        {
          g_assert_false (ok);
          g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
          /* A sentence that says what to do. */
          g_assert_true (g_str_has_suffix (error->message, "."));
          g_assert_cmpint (level, ==, -42);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (level, ==, cases[i].level);
        }
    }
}

static void
test_reasons (void)
{
  const char * const *reasons = sk_inventory_adjust_reasons ();

  g_assert_cmpuint (g_strv_length ((char **) reasons), ==, 4);
  g_assert_cmpstr (reasons[0], ==, "Correction");
  g_assert_true (g_strv_contains (reasons, "Damaged"));
  g_assert_true (g_strv_contains (reasons, "Found"));
}

static SkStockEdit *
edit_new (SkMovementKind kind,
          gint64         sku_id,
          gint64         location_id,
          gint64         quantity,
          gint64         to_location_id)
{
  SkStockEdit *edit = sk_stock_edit_new (kind, sku_id, location_id, quantity);

  edit->to_location_id = to_location_id;
  return edit;
}

static void
test_plan_undo (void)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);
  g_autoptr(GPtrArray) plan = NULL;
  g_autoptr(GPtrArray) returns = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);
  const gint64 changes[] = { 0, 0, 0, -4, 0, 0 };
  const SkStockEdit *e;

  g_ptr_array_add (edits, edit_new (SK_MOVEMENT_RECEIVE, 1, 10, 5, 0));
  g_ptr_array_add (edits, edit_new (SK_MOVEMENT_ADJUST, 2, 10, -3, 0));
  g_ptr_array_add (edits, edit_new (SK_MOVEMENT_TRANSFER_OUT, 3, 10, 2, 20));
  g_ptr_array_add (edits, edit_new (SK_MOVEMENT_COUNT, 4, 20, 6, 0));   /* was 10 */
  g_ptr_array_add (edits, edit_new (SK_MOVEMENT_COUNT, 5, 20, 6, 0));   /* unchanged */
  g_ptr_array_add (edits, edit_new (SK_MOVEMENT_ADJUST, 6, 10, 0, 0));  /* nothing */

  plan = sk_inventory_plan_undo (edits, changes);
  g_assert_nonnull (plan);
  /* Reverse order; the count's change and the edits that changed nothing
   * are left out. */
  g_assert_cmpuint (plan->len, ==, 4);

  e = g_ptr_array_index (plan, 0);
  g_assert_cmpint (e->kind, ==, SK_MOVEMENT_ADJUST);
  g_assert_cmpint (e->sku_id, ==, 4);
  g_assert_cmpint (e->location_id, ==, 20);
  g_assert_cmpint (e->quantity, ==, 4);

  e = g_ptr_array_index (plan, 1);
  g_assert_cmpint (e->kind, ==, SK_MOVEMENT_TRANSFER_OUT);
  g_assert_cmpint (e->sku_id, ==, 3);
  g_assert_cmpint (e->location_id, ==, 20);
  g_assert_cmpint (e->to_location_id, ==, 10);
  g_assert_cmpint (e->quantity, ==, 2);

  e = g_ptr_array_index (plan, 2);
  g_assert_cmpint (e->kind, ==, SK_MOVEMENT_ADJUST);
  g_assert_cmpint (e->sku_id, ==, 2);
  g_assert_cmpint (e->quantity, ==, 3);

  e = g_ptr_array_index (plan, 3);
  g_assert_cmpint (e->kind, ==, SK_MOVEMENT_ADJUST);
  g_assert_cmpint (e->sku_id, ==, 1);
  g_assert_cmpint (e->location_id, ==, 10);
  g_assert_cmpint (e->quantity, ==, -5);
  g_assert_null (e->reason);

  /* A return cannot be taken back by a movement. */
  g_ptr_array_add (returns, edit_new (SK_MOVEMENT_RETURN, 1, 10, 1, 0));
  g_assert_null (sk_inventory_plan_undo (returns, NULL));
}

static void
test_movements (void)
{
  SkMovement m = { 0 };
  GTimeZone *utc = g_time_zone_new_utc ();
  gint64 now = 1732280000;   /* 2024-11-22 12:53 UTC */

  m.kind = SK_MOVEMENT_RECEIVE;
  check_text (sk_inventory_movement_title (&m, NULL), "Received");
  m.kind = SK_MOVEMENT_COUNT;
  m.counted = 12;
  check_text (sk_inventory_movement_title (&m, NULL), "Counted 12");
  m.kind = SK_MOVEMENT_TRANSFER_OUT;
  check_text (sk_inventory_movement_title (&m, "Shop backroom"), "Moved to Shop backroom");
  check_text (sk_inventory_movement_title (&m, NULL), "Moved out");
  m.kind = SK_MOVEMENT_TRANSFER_IN;
  check_text (sk_inventory_movement_title (&m, "Main warehouse"), "Moved from Main warehouse");
  m.kind = SK_MOVEMENT_SALE;
  m.order_number = (char *) "#1001";
  check_text (sk_inventory_movement_title (&m, NULL), "Sold · #1001");
  m.kind = SK_MOVEMENT_RETURN;
  m.condition = SK_STOCK_CONDITION_DAMAGED;
  check_text (sk_inventory_movement_title (&m, NULL), "Returned damaged");

  m.kind = SK_MOVEMENT_ADJUST;
  m.at = now - 60;
  m.actor = (char *) "user";
  m.location_name = (char *) "Main warehouse";
  m.reason = (char *) "Damaged";
  check_text (sk_inventory_movement_subtitle (&m, now, utc),
              "Main warehouse · You · Today 12:52 · Damaged");
  m.actor = (char *) "engine:inventory";
  m.reason = NULL;
  m.location_name = NULL;
  check_text (sk_inventory_movement_subtitle (&m, now, utc), "Inventory engine · Today 12:52");
  g_time_zone_unref (utc);
}

static void
test_toasts (void)
{
  check_text (sk_inventory_adjust_toast ("TS-42", "Main warehouse", -2, "Damaged"),
              "TS-42 at Main warehouse: " MINUS "2 (Damaged)");
  check_text (sk_inventory_receive_toast (1, "TS-42", 5, "Main warehouse"),
              "Received 5 × TS-42 at Main warehouse");
  check_text (sk_inventory_receive_toast (3, "TS-42", 5, "Main warehouse"),
              "Received 5 each of 3 SKUs at Main warehouse");
  check_text (sk_inventory_transfer_toast (1, "TS-42", 3, "Main warehouse", "Shop backroom"),
              "Moved 3 × TS-42 from Main warehouse to Shop backroom");
  check_text (sk_inventory_bulk_toast (4, -2, "Main warehouse", "Found"),
              "Adjusted 4 SKUs by " MINUS "2 at Main warehouse (Found)");
  check_text (sk_inventory_counts_toast (3, 10), "Stock count recorded: 3 levels changed, 10 confirmed");
  check_text (sk_inventory_counts_toast (1, 0), "Stock count recorded: 1 level changed");
}

static void
test_channel_cell (void)
{
  g_autofree char *tip = NULL;
  gboolean pending = TRUE;

  check_text (sk_inventory_channel_cell (FALSE, -1, -1, NULL, &pending), "—");
  g_assert_false (pending);
  check_text (sk_inventory_channel_cell (TRUE, -1, -1, NULL, NULL), "?");
  check_text (sk_inventory_channel_cell (TRUE, 8, 8, NULL, &pending), "8");
  g_assert_false (pending);
  check_text (sk_inventory_channel_cell (TRUE, -1, 8, NULL, &pending), "8");
  g_assert_false (pending);
  check_text (sk_inventory_channel_cell (TRUE, 8, 10, &tip, &pending), "10 → 8");
  g_assert_true (pending);
  g_assert_cmpstr (tip, ==, "The channel shows 10; Storekeep is sending it 8");
  check_text (sk_inventory_channel_cell (TRUE, 0, -1, NULL, &pending), "→ 0");
  g_assert_true (pending);
}

static void
test_listings (void)
{
  g_autoptr(SkListing) listing = sk_listing_new ("632910392", "808950810");

  listing->sku_id = 7;
  listing->match_state = SK_MATCH_STATE_AUTO;
  listing->confirmed_quantity = 10;
  listing->target_quantity = 8;
  check_text (sk_inventory_listing_status (listing), "Shows 10 · sending 8");
  listing->target_quantity = 10;
  check_text (sk_inventory_listing_status (listing), "Shows 10");
  listing->confirmed_quantity = -1;
  check_text (sk_inventory_listing_status (listing), "Sending 10");
  listing->target_quantity = -1;
  check_text (sk_inventory_listing_status (listing), "Quantity not known yet");
  listing->match_state = SK_MATCH_STATE_IGNORED;
  check_text (sk_inventory_listing_status (listing), "Not stock: Storekeep sends it no numbers");

  check_text (sk_inventory_listing_refs (listing), "Product 632910392 · Variant 808950810");
  g_assert_cmpstr (sk_inventory_match_label (SK_MATCH_STATE_MANUAL), ==, "Matched by you");

  listing->channel_name = g_strdup ("Demo Outfitters");
  listing->sku = g_strdup ("TS-42");
  listing->barcode = g_strdup ("4006381333931");
  check_text (sk_inventory_unmatched_subtitle (listing),
              "Demo Outfitters · SKU “TS-42” · Barcode 4006381333931");
  check_text (sk_inventory_match_search_text (listing), "TS-42");
  g_clear_pointer (&listing->sku, g_free);
  check_text (sk_inventory_match_search_text (listing), "4006381333931");
  g_clear_pointer (&listing->barcode, g_free);
  listing->title = g_strdup ("Trail shoe – 42 / Blue");
  check_text (sk_inventory_match_search_text (listing), "Trail shoe");
  check_text (sk_inventory_unmatched_subtitle (listing), "Demo Outfitters · No SKU");
}

static void
test_texts (void)
{
  g_assert_null (sk_inventory_unmatched_banner (0));
  check_text (sk_inventory_unmatched_banner (1),
              "1 channel listing is not matched to a SKU. Storekeep sends it no stock until you match it.");
  check_text (sk_inventory_unmatched_banner (3),
              "3 channel listings are not matched to a SKU. Storekeep sends them no stock until you match them.");
  check_text (sk_inventory_rule_preview (10, 7), "The channel will show 7 of 10 available.");
  check_text (sk_inventory_rule_preview (-2, 0), "The channel will show 0 of 0 available.");
  check_text (sk_inventory_component_text (2, 11), "2 per kit · 11 available · enough for 5");
  check_text (sk_inventory_component_text (2, -1), "2 per kit · " MINUS "1 available · enough for 0");
  g_assert_null (sk_inventory_selection_summary (0));
  check_text (sk_inventory_selection_summary (1), "1 SKU selected");
  check_text (sk_inventory_selection_summary (4), "4 SKUs selected");
  check_text (sk_inventory_no_results_text ("shoe ", FALSE), "No SKUs match “shoe”.");
  check_text (sk_inventory_no_results_text (NULL, TRUE), "No SKUs match the filter.");

  g_assert_true (sk_inventory_use_location_columns (1));
  g_assert_true (sk_inventory_use_location_columns (3));
  g_assert_false (sk_inventory_use_location_columns (4));
}

static void
test_pages (void)
{
  g_assert_cmpint (sk_inventory_choose_page (5, FALSE, FALSE), ==, SK_INVENTORY_PAGE_LIST);
  g_assert_cmpint (sk_inventory_choose_page (0, FALSE, FALSE), ==, SK_INVENTORY_PAGE_EMPTY);
  g_assert_cmpint (sk_inventory_choose_page (0, TRUE, FALSE), ==, SK_INVENTORY_PAGE_NO_RESULTS);
  g_assert_cmpint (sk_inventory_choose_page (5, TRUE, TRUE), ==, SK_INVENTORY_PAGE_ERROR);
  g_assert_cmpstr (sk_inventory_page_name (SK_INVENTORY_PAGE_NO_RESULTS), ==, "no-results");
  g_assert_cmpstr (sk_inventory_page_name (SK_INVENTORY_PAGE_EMPTY), ==, "empty");
}

int
main (int   argc,
      char *argv[])
{
  sk_test_init (&argc, &argv);
  setlocale (LC_ALL, "C.UTF-8");

  g_test_add_func ("/inventory-logic/stock-state", test_stock_state);
  g_test_add_func ("/inventory-logic/format", test_format);
  g_test_add_func ("/inventory-logic/parse-count", test_parse_count);
  g_test_add_func ("/inventory-logic/reasons", test_reasons);
  g_test_add_func ("/inventory-logic/plan-undo", test_plan_undo);
  g_test_add_func ("/inventory-logic/movements", test_movements);
  g_test_add_func ("/inventory-logic/toasts", test_toasts);
  g_test_add_func ("/inventory-logic/channel-cell", test_channel_cell);
  g_test_add_func ("/inventory-logic/listings", test_listings);
  g_test_add_func ("/inventory-logic/texts", test_texts);
  g_test_add_func ("/inventory-logic/pages", test_pages);

  return g_test_run ();
}
