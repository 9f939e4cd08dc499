/* test-order.c: the SkOrder domain object and its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sk-order.h"
#include "sk-test-util.h"

static void
assert_tags (SkOrder *order, const char * const *expected)
{
  const char * const *tags = sk_order_get_tags (order);

  g_assert_nonnull (tags);
  g_assert_cmpstrv (tags, expected);
}

static void
test_tags_parse (void)
{
  g_autoptr(SkOrder) order = sk_order_new ();
  g_autofree char *joined = NULL;
  const char *empty[] = { NULL };

  /* Channels send "a, b,c": trimmed, deduplicated, sorted. */
  sk_order_set_tags_from_string (order, " wholesale, VIP,, gift ,VIP, ,gift");
  assert_tags (order, (const char *[]) { "VIP", "gift", "wholesale", NULL });
  joined = sk_order_dup_tags_string (order);
  g_assert_cmpstr (joined, ==, "VIP, gift, wholesale");

  g_assert_true (sk_order_has_tag (order, "VIP"));
  g_assert_true (sk_order_has_tag (order, "gift"));
  g_assert_false (sk_order_has_tag (order, "vip"));     /* case matters */
  g_assert_false (sk_order_has_tag (order, " gift"));
  g_assert_false (sk_order_has_tag (order, NULL));

  /* Non-ASCII tags survive (a real customer's tags: "Léon, Noël"). */
  sk_order_set_tags_from_string (order, "Noël, Léon");
  assert_tags (order, (const char *[]) { "Léon", "Noël", NULL });

  sk_order_set_tags_from_string (order, "");
  assert_tags (order, empty);
  sk_order_set_tags_from_string (order, " , ,, ");
  assert_tags (order, empty);
  sk_order_set_tags_from_string (order, NULL);
  assert_tags (order, empty);
  g_clear_pointer (&joined, g_free);
  joined = sk_order_dup_tags_string (order);
  g_assert_cmpstr (joined, ==, "");
}

static void
test_tags_set (void)
{
  g_autoptr(SkOrder) order = sk_order_new ();
  const char *tags[] = { "b", " a ", "b", "", "c", NULL };

  sk_order_set_tags (order, tags);
  assert_tags (order, (const char *[]) { "a", "b", "c", NULL });
  /* The order keeps its own copy. */
  tags[0] = "z";
  assert_tags (order, (const char *[]) { "a", "b", "c", NULL });

  sk_order_set_tags (order, NULL);
  assert_tags (order, (const char *[]) { NULL });
}

static void
on_changed (SkOrder *order, guint *count)
{
  (*count)++;
}

static SkOrder *
make_order (void)
{
  SkOrder *order = sk_order_new ();

  sk_order_set_channel_id (order, 3);
  sk_order_set_external_id (order, "9007199254740993");
  sk_order_set_number (order, "#1001");
  sk_order_set_created_at (order, 1199980800);
  sk_order_set_updated_at (order, 1199980800);
  sk_order_set_currency (order, "USD");
  sk_order_set_total (order, 40994);
  sk_order_set_status (order, SK_ORDER_STATUS_OPEN, "open");
  sk_order_set_payment_status (order, SK_PAYMENT_STATUS_AUTHORIZED, "authorized");
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_UNFULFILLED, NULL);
  sk_order_set_customer_name (order, "Bob Norman");
  sk_order_set_tags_from_string (order, "a, b");
  return order;
}

static void
test_update_from_changed (void)
{
  g_autoptr(SkOrder) shown = make_order ();
  g_autoptr(SkOrder) same = make_order ();
  g_autoptr(SkOrder) newer = make_order ();
  guint changed = 0;

  g_signal_connect (shown, "changed", G_CALLBACK (on_changed), &changed);

  /* Nothing differs: no signal. */
  sk_order_update_from (shown, same);
  g_assert_cmpuint (changed, ==, 0);
  sk_order_update_from (shown, shown);
  g_assert_cmpuint (changed, ==, 0);

  /* Several fields differ: one signal, and every field copied. */
  sk_order_set_updated_at (newer, 1199990000);
  sk_order_set_total (newer, 20900);
  sk_order_set_payment_status (newer, SK_PAYMENT_STATUS_PAID, "paid");
  sk_order_set_tags_from_string (newer, "c");
  sk_order_set_note (newer, "Leave at the door");
  sk_order_update_from (shown, newer);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (sk_order_get_updated_at (shown), ==, 1199990000);
  g_assert_cmpint (sk_order_get_total (shown), ==, 20900);
  g_assert_cmpint (sk_order_get_payment_status (shown), ==, SK_PAYMENT_STATUS_PAID);
  g_assert_cmpstr (sk_order_get_payment_code (shown), ==, "paid");
  g_assert_cmpstr (sk_order_get_note (shown), ==, "Leave at the door");
  assert_tags (shown, (const char *[]) { "c", NULL });

  /* Applying the same again changes nothing. */
  sk_order_update_from (shown, newer);
  g_assert_cmpuint (changed, ==, 1);

  /* A change of the original code alone is a change. */
  sk_order_set_payment_status (newer, SK_PAYMENT_STATUS_PAID, "paid_in_full");
  sk_order_update_from (shown, newer);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpstr (sk_order_get_payment_code (shown), ==, "paid_in_full");

  /* So is one of the currency. */
  sk_order_set_currency (newer, "EUR");
  sk_order_update_from (shown, newer);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpstr (sk_order_get_currency (shown), ==, "EUR");
}

static void
test_update_from_local_state (void)
{
  g_autoptr(SkOrder) shown = make_order ();
  g_autoptr(SkOrder) other = make_order ();
  guint changed = 0;

  g_signal_connect (shown, "changed", G_CALLBACK (on_changed), &changed);

  sk_order_set_hold (other, TRUE, "Address check");
  sk_order_update_from (shown, other);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (sk_order_get_on_hold (shown));
  g_assert_cmpstr (sk_order_get_hold_reason (shown), ==, "Address check");

  sk_order_set_archived (other, TRUE);
  sk_order_update_from (shown, other);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (sk_order_get_archived (shown));

  /* Releasing the hold forgets the reason. */
  sk_order_set_hold (other, FALSE, "ignored");
  g_assert_null (sk_order_get_hold_reason (other));
  sk_order_update_from (shown, other);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_false (sk_order_get_on_hold (shown));
  g_assert_null (sk_order_get_hold_reason (shown));
}

static SkAddress *
make_address (void)
{
  SkAddress *a = sk_address_new ();

  a->name = g_strdup ("Bob Norman");
  a->line1 = g_strdup ("Chestnut Street 92");
  a->city = g_strdup ("Louisville");
  a->region = g_strdup ("Kentucky");
  a->region_code = g_strdup ("KY");
  a->postcode = g_strdup ("40202");
  a->country = g_strdup ("United States");
  a->country_code = g_strdup ("US");
  return a;
}

static void
test_update_from_parts (void)
{
  g_autoptr(SkOrder) shown = make_order ();
  g_autoptr(SkOrder) other = make_order ();
  g_autoptr(SkOrderLine) line = sk_order_line_new ();
  guint changed = 0;

  g_signal_connect (shown, "changed", G_CALLBACK (on_changed), &changed);

  line->sku = g_strdup ("IPOD2008GREEN");
  line->quantity = 2;
  sk_order_add_line (other, line);
  sk_order_set_item_count (other, 2);
  sk_order_take_shipping_address (other, make_address ());

  sk_order_update_from (shown, other);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (sk_order_get_lines (shown)->len, ==, 1);
  g_assert_true (g_ptr_array_index (sk_order_get_lines (shown), 0) == line);
  g_assert_cmpint (sk_order_get_item_count (shown), ==, 2);
  g_assert_cmpstr (sk_order_get_ship_city (shown), ==, "Louisville");
  g_assert_cmpstr (sk_order_get_ship_country (shown), ==, "US");

  /* The address is copied, not shared. */
  g_assert_nonnull (sk_order_get_shipping_address (shown));
  g_assert_true (sk_order_get_shipping_address (shown) != sk_order_get_shipping_address (other));
  g_assert_cmpstr (sk_order_get_shipping_address (shown)->postcode, ==, "40202");

  /* Applying the same order again changes nothing. */
  sk_order_update_from (shown, other);
  g_assert_cmpuint (changed, ==, 1);
}

static void
test_line_refcount (void)
{
  g_autoptr(SkOrder) order = sk_order_new ();
  SkOrderLine *line = sk_order_line_new ();
  SkOrderLine *copy;
  SkOrderLine *kept;

  line->external_id = g_strdup ("466157049");
  line->sku = g_strdup ("IPOD2008GREEN");
  line->quantity = 3;
  line->unit_price = 19900;

  /* Boxed copies are references to the same line. */
  copy = g_boxed_copy (SK_TYPE_ORDER_LINE, line);
  g_assert_true (copy == line);
  g_boxed_free (SK_TYPE_ORDER_LINE, copy);

  /* The order holds its own reference: the line outlives ours. */
  sk_order_add_line (order, line);
  sk_order_line_unref (line);
  kept = g_ptr_array_index (sk_order_get_lines (order), 0);
  g_assert_cmpstr (kept->sku, ==, "IPOD2008GREEN");
  g_assert_cmpint (kept->unit_price, ==, 19900);
  g_assert_cmpint (sk_order_get_item_count (order), ==, 3);

  /* A reference taken from the order outlives the order. */
  kept = sk_order_line_ref (kept);
  g_clear_object (&order);
  g_assert_cmpstr (kept->external_id, ==, "466157049");
  sk_order_line_unref (kept);
}

static void
test_refund_fulfillment_refcount (void)
{
  g_autoptr(SkOrder) order = sk_order_new ();
  SkRefund *refund = sk_refund_new ();
  SkFulfillment *f = sk_fulfillment_new ();
  SkRefund *r;
  SkFulfillment *kept;

  refund->external_id = g_strdup ("509562969");
  refund->amount = 20900;
  refund->note = g_strdup ("it broke during shipping");
  sk_order_add_refund (order, refund);
  g_assert_true (g_boxed_copy (SK_TYPE_REFUND, refund) == refund);
  g_boxed_free (SK_TYPE_REFUND, refund);
  sk_refund_unref (refund);

  f->tracking_number = g_strdup ("1Z2345");
  f->tracking_company = g_strdup ("USPS");
  sk_order_add_fulfillment (order, f);
  sk_fulfillment_unref (f);

  r = g_ptr_array_index (sk_order_get_refunds (order), 0);
  g_assert_cmpint (r->amount, ==, 20900);
  g_assert_cmpstr (r->note, ==, "it broke during shipping");

  kept = sk_fulfillment_ref (g_ptr_array_index (sk_order_get_fulfillments (order), 0));
  g_clear_object (&order);
  g_assert_cmpstr (kept->tracking_number, ==, "1Z2345");
  g_assert_cmpstr (kept->tracking_company, ==, "USPS");
  sk_fulfillment_unref (kept);
}

static void
test_address (void)
{
  g_autoptr(SkAddress) a = make_address ();
  g_autoptr(SkAddress) copy = sk_address_copy (a);
  g_autoptr(SkAddress) sparse = sk_address_new ();
  g_autoptr(SkOrder) order = sk_order_new ();
  g_autofree char *line = NULL;
  g_autofree char *sparse_line = NULL;

  g_assert_true (copy != a);
  g_assert_true (copy->city != a->city);
  g_assert_cmpstr (copy->city, ==, "Louisville");
  g_assert_null (copy->line2);
  g_assert_null (sk_address_copy (NULL));

  line = sk_address_format_short (a);
  g_assert_cmpstr (line, ==, "Louisville, KY 40202, US");

  sparse->city = g_strdup ("Tokyo");
  sparse->country = g_strdup ("Japan");
  sparse_line = sk_address_format_short (sparse);
  g_assert_cmpstr (sparse_line, ==, "Tokyo, Japan");

  /* Taking a shipping address sets the destination summary. */
  sk_order_take_shipping_address (order, g_steal_pointer (&copy));
  g_assert_cmpstr (sk_order_get_ship_city (order), ==, "Louisville");
  g_assert_cmpstr (sk_order_get_ship_country (order), ==, "US");
  sk_order_take_billing_address (order, sk_address_copy (a));
  g_assert_cmpstr (sk_order_get_billing_address (order)->name, ==, "Bob Norman");
}

static void
test_accessors (void)
{
  g_autoptr(SkOrder) order = sk_order_new ();

  /* Defaults: nothing set. */
  g_assert_cmpint (sk_order_get_id (order), ==, 0);
  g_assert_null (sk_order_get_external_id (order));
  g_assert_cmpstr (sk_order_get_currency (order), ==, "");
  g_assert_cmpint (sk_order_get_status (order), ==, SK_ORDER_STATUS_UNKNOWN);
  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, 0);

  /* A currency is at most three letters. */
  sk_order_set_currency (order, "USDX");
  g_assert_cmpstr (sk_order_get_currency (order), ==, "USD");
  sk_order_set_currency (order, NULL);
  g_assert_cmpstr (sk_order_get_currency (order), ==, "");

  sk_order_set_status (order, SK_ORDER_STATUS_CANCELLED, "cancelled:customer");
  g_assert_cmpint (sk_order_get_status (order), ==, SK_ORDER_STATUS_CANCELLED);
  g_assert_cmpstr (sk_order_get_status_code (order), ==, "cancelled:customer");
  sk_order_set_fulfillment_status (order, SK_FULFILLMENT_STATUS_UNFULFILLED, NULL);
  g_assert_null (sk_order_get_fulfillment_code (order));

  sk_order_set_external_id (order, "9007199254740993");
  g_assert_cmpstr (sk_order_get_external_id (order), ==, "9007199254740993");
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/order/tags/parse", test_tags_parse);
  g_test_add_func ("/order/tags/set", test_tags_set);
  g_test_add_func ("/order/update-from/changed", test_update_from_changed);
  g_test_add_func ("/order/update-from/local-state", test_update_from_local_state);
  g_test_add_func ("/order/update-from/parts", test_update_from_parts);
  g_test_add_func ("/order/parts/line-refcount", test_line_refcount);
  g_test_add_func ("/order/parts/refund-fulfillment-refcount", test_refund_fulfillment_refcount);
  g_test_add_func ("/order/address", test_address);
  g_test_add_func ("/order/accessors", test_accessors);

  return g_test_run ();
}
