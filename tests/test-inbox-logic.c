/* test-inbox-logic.c: what the inbox shows, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sk-inbox-logic.h"
#include "sk-test-util.h"

/* 2024-11-22 10:00:00 UTC */
#define NOW G_GINT64_CONSTANT (1732269600)
#define HOUR 3600
#define DAY 86400

static SkOrder *
make_order (gint64      id,
            const char *number,
            gboolean    on_hold,
            const char *reason,
            gboolean    archived,
            const char *tags,
            const char *currency,
            gint64      total)
{
  SkOrder *order = sk_order_new ();

  sk_order_set_id (order, id);
  sk_order_set_number (order, number);
  sk_order_set_hold (order, on_hold, reason);
  sk_order_set_archived (order, archived);
  sk_order_set_tags_from_string (order, tags);
  sk_order_set_currency (order, currency);
  sk_order_set_total (order, total);
  return order;
}

static void
test_pills (void)
{
  SkPill pill;

  pill = sk_inbox_payment_pill (SK_PAYMENT_STATUS_PAID);
  g_assert_cmpstr (pill.label, ==, "Paid");
  g_assert_cmpint (pill.style, ==, SK_PILL_SUCCESS);
  g_assert_cmpint (sk_inbox_payment_pill (SK_PAYMENT_STATUS_FAILED).style, ==, SK_PILL_ERROR);
  g_assert_cmpint (sk_inbox_payment_pill (SK_PAYMENT_STATUS_PENDING).style, ==, SK_PILL_WARNING);
  g_assert_cmpint (sk_inbox_fulfillment_pill (SK_FULFILLMENT_STATUS_UNFULFILLED).style, ==, SK_PILL_WARNING);
  g_assert_cmpint (sk_inbox_fulfillment_pill (SK_FULFILLMENT_STATUS_FULFILLED).style, ==, SK_PILL_SUCCESS);
  g_assert_cmpint (sk_inbox_order_status_pill (SK_ORDER_STATUS_CANCELLED).style, ==, SK_PILL_ERROR);

  /* Every status has words, and no two payment statuses share them. */
  for (int i = SK_PAYMENT_STATUS_UNKNOWN; i <= SK_PAYMENT_STATUS_FAILED; i++)
    for (int j = i + 1; j <= SK_PAYMENT_STATUS_FAILED; j++)
      g_assert_cmpstr (sk_inbox_payment_pill (i).label, !=, sk_inbox_payment_pill (j).label);
  for (int i = SK_FULFILLMENT_STATUS_UNKNOWN; i <= SK_FULFILLMENT_STATUS_NOT_REQUIRED; i++)
    g_assert_cmpuint (strlen (sk_inbox_fulfillment_pill (i).label), >, 0);

  g_assert_cmpstr (sk_inbox_pill_css_class (SK_PILL_SUCCESS), ==, "pill-success");
  g_assert_cmpstr (sk_inbox_pill_css_class (SK_PILL_DIM), ==, "pill-dim");
  g_assert_cmpstr (sk_inbox_pill_css_class (99), ==, "pill-neutral");
}

static void
test_dates (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_offset (2 * HOUR);
  g_autofree char *today = sk_inbox_format_date (NOW - 2 * HOUR + 5 * 60, NOW, utc);
  g_autofree char *yesterday = sk_inbox_format_date (NOW - 10 * HOUR - 30 * 60, NOW, utc);
  g_autofree char *this_year = sk_inbox_format_date (NOW - 262 * DAY, NOW, utc);
  g_autofree char *last_year = sk_inbox_format_date (NOW - 327 * DAY, NOW, utc);
  /* 23:30 UTC yesterday is 01:30 today two hours east. */
  g_autofree char *shifted = sk_inbox_format_date (NOW - 10 * HOUR - 30 * 60, NOW, plus2);
  g_autofree char *never = sk_inbox_format_date (0, NOW, utc);
  g_autofree char *longer = sk_inbox_format_date_long (NOW, utc);

  g_assert_cmpstr (today, ==, "Today 08:05");
  g_assert_cmpstr (yesterday, ==, "Yesterday 23:30");
  g_assert_cmpstr (this_year, ==, "Mar 5");
  g_assert_cmpstr (last_year, ==, "Dec 31, 2023");
  g_assert_cmpstr (shifted, ==, "Today 01:30");
  g_assert_cmpstr (never, ==, "");
  g_assert_cmpstr (longer, ==, "Friday, November 22, 2024 at 10:00");
}

static void
test_date_presets (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_offset (2 * HOUR);
  gint64 from = -1, to = -1;
  gint64 midnight = NOW - 10 * HOUR;

  sk_inbox_date_preset_range (SK_DATE_PRESET_ALL, NOW, utc, &from, &to);
  g_assert_cmpint (from, ==, 0);
  g_assert_cmpint (to, ==, 0);

  sk_inbox_date_preset_range (SK_DATE_PRESET_TODAY, NOW, utc, &from, &to);
  g_assert_cmpint (from, ==, midnight);
  g_assert_cmpint (to, ==, 0);

  sk_inbox_date_preset_range (SK_DATE_PRESET_7_DAYS, NOW, utc, &from, &to);
  g_assert_cmpint (from, ==, midnight - 6 * DAY);

  sk_inbox_date_preset_range (SK_DATE_PRESET_30_DAYS, NOW, utc, &from, &to);
  g_assert_cmpint (from, ==, midnight - 29 * DAY);

  /* Local midnight, not UTC midnight. */
  sk_inbox_date_preset_range (SK_DATE_PRESET_TODAY, NOW, plus2, &from, &to);
  g_assert_cmpint (from, ==, midnight - 2 * HOUR);
}

static void
test_destination_and_address (void)
{
  g_autoptr(SkAddress) address = sk_address_new ();
  g_autofree char *both = sk_inbox_format_destination ("Louisville", "US");
  g_autofree char *city = sk_inbox_format_destination ("Louisville", NULL);
  g_autofree char *country = sk_inbox_format_destination ("", "DE");
  g_autofree char *none = sk_inbox_format_destination (NULL, NULL);
  g_autofree char *lines = NULL;

  g_assert_cmpstr (both, ==, "Louisville, US");
  g_assert_cmpstr (city, ==, "Louisville");
  g_assert_cmpstr (country, ==, "DE");
  g_assert_cmpstr (none, ==, "");

  address->name = g_strdup ("Ada Lovelace");
  address->line1 = g_strdup ("12 Market St");
  address->city = g_strdup ("Louisville");
  address->region_code = g_strdup ("KY");
  address->postcode = g_strdup ("40202");
  address->country = g_strdup ("United States");
  address->country_code = g_strdup ("US");
  lines = sk_inbox_format_address (address);
  g_assert_cmpstr (lines, ==, "Ada Lovelace\n12 Market St\nLouisville, KY 40202\nUnited States");
  g_clear_pointer (&lines, g_free);

  g_free (address->city);
  g_free (address->postcode);
  g_free (address->country);
  g_free (address->country_code);
  g_clear_pointer (&address->region_code, g_free);
  address->city = g_strdup ("Berlin");
  address->region = g_strdup ("Berlin");
  address->postcode = g_strdup ("10115");
  address->country = g_strdup ("Germany");
  address->country_code = g_strdup ("DE");
  lines = sk_inbox_format_address (address);
  g_assert_cmpstr (lines, ==, "Ada Lovelace\n12 Market St\n10115 Berlin\nGermany");
}

static void
test_selection (void)
{
  g_autoptr(SkInboxSelection) selection = sk_inbox_selection_new ();
  g_autoptr(SkInboxSelection) mixed = sk_inbox_selection_new ();
  g_autoptr(SkOrder) a = make_order (1, "#1001", FALSE, NULL, FALSE, "gift, vip", "USD", 10000);
  g_autoptr(SkOrder) b = make_order (2, "#1002", TRUE, "Check address", FALSE, "", "USD", 2050);
  g_autoptr(SkOrder) c = make_order (3, "#1003", TRUE, "Fraud?", FALSE, "b2b", "EUR", 500);
  g_autofree char *summary = NULL;
  g_autofree char *mixed_summary = NULL;
  const char * const *tags;
  SkInboxActionFlags flags;

  g_assert_cmpuint (sk_inbox_selection_get_actions (selection), ==, 0);
  g_assert_null (sk_inbox_selection_summary (selection));

  sk_inbox_selection_add (selection, a);
  sk_inbox_selection_add (selection, b);
  flags = sk_inbox_selection_get_actions (selection);
  g_assert_true (flags & SK_INBOX_CAN_HOLD);
  g_assert_true (flags & SK_INBOX_CAN_RELEASE);
  g_assert_true (flags & SK_INBOX_CAN_ADD_TAG);
  g_assert_true (flags & SK_INBOX_CAN_REMOVE_TAG);
  g_assert_true (flags & SK_INBOX_CAN_ARCHIVE);
  g_assert_false (flags & SK_INBOX_CAN_UNARCHIVE);
  g_assert_cmpuint (sk_inbox_selection_get_count (selection), ==, 2);

  summary = sk_inbox_selection_summary (selection);
  g_assert_true (g_str_has_prefix (summary, "2 orders selected · "));
  g_assert_nonnull (strstr (summary, "120.50"));

  tags = sk_inbox_selection_get_tags (selection);
  g_assert_cmpstr (tags[0], ==, "gift");
  g_assert_cmpstr (tags[1], ==, "vip");
  g_assert_null (tags[2]);

  /* Only orders on hold: nothing left to hold. */
  sk_inbox_selection_add (mixed, b);
  sk_inbox_selection_add (mixed, c);
  flags = sk_inbox_selection_get_actions (mixed);
  g_assert_false (flags & SK_INBOX_CAN_HOLD);
  g_assert_true (flags & SK_INBOX_CAN_RELEASE);
  mixed_summary = sk_inbox_selection_summary (mixed);
  g_assert_cmpstr (mixed_summary, ==, "2 orders selected · 2 currencies");
}

static SkInboxStep *
step_at (GPtrArray *steps,
         guint      i)
{
  return g_ptr_array_index (steps, i);
}

static void
test_undo_plans (void)
{
  g_autoptr(SkOrder) a = make_order (1, "#1001", FALSE, NULL, FALSE, "gift", "USD", 100);
  g_autoptr(SkOrder) b = make_order (2, "#1002", TRUE, "Check address", FALSE, "", "USD", 100);
  g_autoptr(SkOrder) c = make_order (3, "#1003", TRUE, "Fraud?", TRUE, "", "USD", 100);
  g_autoptr(SkOrder) d = make_order (4, "#1004", TRUE, "Check address", FALSE, "gift", "USD", 100);
  g_autoptr(GPtrArray) before = g_ptr_array_new ();
  g_autoptr(GPtrArray) steps = NULL;

  g_ptr_array_add (before, a);
  g_ptr_array_add (before, b);
  g_ptr_array_add (before, c);
  g_ptr_array_add (before, d);

  /* Holding releases only what the hold held. */
  steps = sk_inbox_plan_undo (SK_ORDER_ACTION_HOLD, "Wait", before);
  g_assert_cmpuint (steps->len, ==, 1);
  g_assert_cmpint (step_at (steps, 0)->action, ==, SK_ORDER_ACTION_RELEASE);
  g_assert_cmpuint (step_at (steps, 0)->order_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (step_at (steps, 0)->order_ids, gint64, 0), ==, 1);
  g_clear_pointer (&steps, g_ptr_array_unref);

  /* Releasing holds again, once per previous reason. */
  steps = sk_inbox_plan_undo (SK_ORDER_ACTION_RELEASE, NULL, before);
  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpint (step_at (steps, 0)->action, ==, SK_ORDER_ACTION_HOLD);
  g_assert_cmpstr (step_at (steps, 0)->arg, ==, "Check address");
  g_assert_cmpuint (step_at (steps, 0)->order_ids->len, ==, 2);
  g_assert_cmpint (g_array_index (step_at (steps, 0)->order_ids, gint64, 1), ==, 4);
  g_assert_cmpstr (step_at (steps, 1)->arg, ==, "Fraud?");
  g_clear_pointer (&steps, g_ptr_array_unref);

  /* A tag is removed again only where it was added. */
  steps = sk_inbox_plan_undo (SK_ORDER_ACTION_ADD_TAG, "gift", before);
  g_assert_cmpuint (steps->len, ==, 1);
  g_assert_cmpint (step_at (steps, 0)->action, ==, SK_ORDER_ACTION_REMOVE_TAG);
  g_assert_cmpstr (step_at (steps, 0)->arg, ==, "gift");
  g_assert_cmpuint (step_at (steps, 0)->order_ids->len, ==, 2);
  g_assert_cmpint (g_array_index (step_at (steps, 0)->order_ids, gint64, 0), ==, 2);
  g_clear_pointer (&steps, g_ptr_array_unref);

  steps = sk_inbox_plan_undo (SK_ORDER_ACTION_REMOVE_TAG, "gift", before);
  g_assert_cmpint (step_at (steps, 0)->action, ==, SK_ORDER_ACTION_ADD_TAG);
  g_assert_cmpuint (step_at (steps, 0)->order_ids->len, ==, 2);
  g_assert_cmpint (g_array_index (step_at (steps, 0)->order_ids, gint64, 1), ==, 4);
  g_clear_pointer (&steps, g_ptr_array_unref);

  steps = sk_inbox_plan_undo (SK_ORDER_ACTION_ARCHIVE, NULL, before);
  g_assert_cmpint (step_at (steps, 0)->action, ==, SK_ORDER_ACTION_UNARCHIVE);
  g_assert_cmpuint (step_at (steps, 0)->order_ids->len, ==, 3);
  g_clear_pointer (&steps, g_ptr_array_unref);

  steps = sk_inbox_plan_undo (SK_ORDER_ACTION_UNARCHIVE, NULL, before);
  g_assert_cmpint (step_at (steps, 0)->action, ==, SK_ORDER_ACTION_ARCHIVE);
  g_assert_cmpuint (step_at (steps, 0)->order_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (step_at (steps, 0)->order_ids, gint64, 0), ==, 3);
  g_clear_pointer (&steps, g_ptr_array_unref);

  /* Nothing would change: nothing to undo. */
  g_ptr_array_set_size (before, 0);
  g_ptr_array_add (before, b);
  steps = sk_inbox_plan_undo (SK_ORDER_ACTION_HOLD, "Wait", before);
  g_assert_cmpuint (steps->len, ==, 0);
}

static void
test_toasts (void)
{
  g_autofree char *one = sk_inbox_action_toast (SK_ORDER_ACTION_HOLD, "x", 1, "#1001");
  g_autofree char *many = sk_inbox_action_toast (SK_ORDER_ACTION_HOLD, "x", 3, NULL);
  g_autofree char *tag = sk_inbox_action_toast (SK_ORDER_ACTION_ADD_TAG, "gift", 2, NULL);
  g_autofree char *none = sk_inbox_action_toast (SK_ORDER_ACTION_HOLD, "x", 0, NULL);
  g_autofree char *released = sk_inbox_action_toast (SK_ORDER_ACTION_RELEASE, NULL, 1, NULL);

  g_assert_cmpstr (one, ==, "Order #1001 put on hold");
  g_assert_cmpstr (many, ==, "3 orders put on hold");
  g_assert_cmpstr (tag, ==, "Tag “gift” added to 2 orders");
  g_assert_true (g_str_has_prefix (none, "Nothing changed"));
  g_assert_cmpstr (released, ==, "1 order released");
}

static void
test_pages (void)
{
  g_autofree char *search = sk_inbox_no_results_text ("smith", 0);
  g_autofree char *filters = sk_inbox_no_results_text (NULL, 2);

  g_assert_cmpint (sk_inbox_choose_page (10, 1, FALSE, FALSE), ==, SK_INBOX_PAGE_LIST);
  g_assert_cmpint (sk_inbox_choose_page (10, 1, TRUE, FALSE), ==, SK_INBOX_PAGE_LIST);
  g_assert_cmpint (sk_inbox_choose_page (0, 1, TRUE, FALSE), ==, SK_INBOX_PAGE_NO_RESULTS);
  g_assert_cmpint (sk_inbox_choose_page (0, 0, FALSE, FALSE), ==, SK_INBOX_PAGE_NO_CHANNELS);
  g_assert_cmpint (sk_inbox_choose_page (0, 2, FALSE, FALSE), ==, SK_INBOX_PAGE_NO_ORDERS);
  g_assert_cmpint (sk_inbox_choose_page (5, 2, FALSE, TRUE), ==, SK_INBOX_PAGE_ERROR);
  g_assert_cmpstr (sk_inbox_page_name (SK_INBOX_PAGE_NO_RESULTS), ==, "no-results");
  g_assert_nonnull (strstr (search, "“smith”"));
  g_assert_nonnull (strstr (filters, "filters"));
}

static void
test_problems_text (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_problem_free);
  SkProblem *problem = g_new0 (SkProblem, 1);
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;

  g_assert_null (sk_inbox_problems_text (problems));
  problem->message = g_strdup ("Shopify refused the access token for acme.myshopify.com.");
  g_ptr_array_add (problems, problem);
  one = sk_inbox_problems_text (problems);
  g_assert_cmpstr (one, ==, "Shopify refused the access token for acme.myshopify.com.");

  problem = g_new0 (SkProblem, 1);
  problem->message = g_strdup ("Another problem.");
  g_ptr_array_add (problems, problem);
  two = sk_inbox_problems_text (problems);
  g_assert_cmpstr (two, ==, "Shopify refused the access token for acme.myshopify.com. (and 1 more problem)");
}

static void
test_events (void)
{
  SkEvent event = { 0 };
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *hold = NULL;
  g_autofree char *hold_sub = NULL;
  g_autofree char *tag_added = NULL;
  g_autofree char *tag_removed = NULL;
  g_autofree char *payment = NULL;
  g_autofree char *refund = NULL;
  g_autofree char *sync_actor = NULL;

  event.at = NOW - HOUR;
  event.actor = (char *) "user";
  event.what = (char *) "hold";
  event.to_value = (char *) "Check address";
  event.why = (char *) "Check address";
  hold = sk_inbox_event_title (&event, "USD");
  hold_sub = sk_inbox_event_subtitle (&event, NOW, utc);
  g_assert_cmpstr (hold, ==, "Put on hold");
  g_assert_cmpstr (hold_sub, ==, "You · Today 09:00 · Check address");

  event.what = (char *) "tags";
  event.why = NULL;
  event.from_value = (char *) "b2b";
  event.to_value = (char *) "b2b, gift";
  tag_added = sk_inbox_event_title (&event, "USD");
  g_assert_cmpstr (tag_added, ==, "Tag “gift” added");
  event.from_value = (char *) "b2b,gift";
  event.to_value = (char *) "gift";
  tag_removed = sk_inbox_event_title (&event, "USD");
  g_assert_cmpstr (tag_removed, ==, "Tag “b2b” removed");

  event.what = (char *) "payment-status";
  event.from_value = (char *) "pending";
  event.to_value = (char *) "paid";
  payment = sk_inbox_event_title (&event, "USD");
  g_assert_cmpstr (payment, ==, "Payment: Pending → Paid");

  event.what = (char *) "refunded";
  event.from_value = (char *) "0";
  event.to_value = (char *) "1250";
  refund = sk_inbox_event_title (&event, "USD");
  g_assert_nonnull (strstr (refund, "12.50"));

  sync_actor = sk_inbox_actor_label ("sync:shopify");
  g_assert_cmpstr (sync_actor, ==, "Shopify sync");
}

int
main (int argc, char *argv[])
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/inbox-logic/pills", test_pills);
  g_test_add_func ("/inbox-logic/dates", test_dates);
  g_test_add_func ("/inbox-logic/date-presets", test_date_presets);
  g_test_add_func ("/inbox-logic/destination-and-address", test_destination_and_address);
  g_test_add_func ("/inbox-logic/selection", test_selection);
  g_test_add_func ("/inbox-logic/undo-plans", test_undo_plans);
  g_test_add_func ("/inbox-logic/toasts", test_toasts);
  g_test_add_func ("/inbox-logic/pages", test_pages);
  g_test_add_func ("/inbox-logic/problems-text", test_problems_text);
  g_test_add_func ("/inbox-logic/events", test_events);

  return g_test_run ();
}
