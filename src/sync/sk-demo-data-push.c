/* sk-demo-data-push.c: what the demo shop's API users do to its orders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fulfillments posted with tracking (Shopify) and orders completed or
 * annotated (WooCommerce) are kept beside the order's record, in its
 * SkDemoExtra: the order writers show them, and the order's updated_at
 * moves so that an incremental sync sees the change.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include "sk-demo-data.h"
#include "sk-demo-data-private.h"

#define FO_ID_BASE       SK_DEMO_FO_ID_BASE
#define FO_LINE_ID_BASE  SK_DEMO_FO_LINE_ID_BASE
#define SHIPMENT_ID_BASE G_GUINT64_CONSTANT (4790000000000)
#define NOTE_ID_BASE     G_GUINT64_CONSTANT (900000)
#define LOCATION_ID      G_GUINT64_CONSTANT (71234567890)

void
_sk_demo_extra_free (SkDemoExtra *extra)
{
  if (extra == NULL)
    return;
  for (guint i = 0; i < extra->shipments->len; i++)
    {
      SkDemoShipment *s = &g_array_index (extra->shipments, SkDemoShipment, i);

      g_free (s->company);
      g_free (s->number);
      g_free (s->url);
      g_free (s->reference);
    }
  g_array_unref (extra->shipments);
  for (guint i = 0; i < extra->notes->len; i++)
    {
      SkDemoNote *note = g_ptr_array_index (extra->notes, i);

      g_free (note->text);
      g_free (note);
    }
  g_ptr_array_unref (extra->notes);
  g_free (extra);
}

static void
write_shipment (const char           *key,
                const SkDemoShipment *s,
                guint64               order_id,
                guint64               line_id_base,
                int                   tz,
                SkDemoJson           *w)
{
  g_autofree char *gid = g_strdup_printf ("gid://shopify/Fulfillment/%" G_GUINT64_FORMAT, s->id);

  sk_demo_json_begin_object (w, key);
  sk_demo_json_uint (w, "id", s->id);
  sk_demo_json_string (w, "admin_graphql_api_id", gid);
  sk_demo_json_time (w, "created_at", s->created_at, tz);
  sk_demo_json_uint (w, "location_id", LOCATION_ID);
  sk_demo_json_uint (w, "order_id", order_id);
  sk_demo_json_string (w, "service", "manual");
  sk_demo_json_null (w, "shipment_status");
  sk_demo_json_string (w, "status", "success");
  sk_demo_json_string (w, "tracking_company", s->company);
  sk_demo_json_string (w, "tracking_number", s->number);
  sk_demo_json_begin_array (w, "tracking_numbers");
  if (s->number != NULL)
    sk_demo_json_string (w, NULL, s->number);
  sk_demo_json_end_array (w);
  sk_demo_json_string (w, "tracking_url", s->url);
  sk_demo_json_begin_array (w, "tracking_urls");
  if (s->url != NULL)
    sk_demo_json_string (w, NULL, s->url);
  sk_demo_json_end_array (w);
  sk_demo_json_time (w, "updated_at", s->created_at, tz);
  sk_demo_json_begin_array (w, "line_items");
  for (guint i = 0; i < SK_DEMO_MAX_LINES; i++)
    if (s->quantity[i] > 0)
      {
        sk_demo_json_begin_object (w, NULL);
        sk_demo_json_uint (w, "id", line_id_base + i);
        sk_demo_json_int (w, "quantity", s->quantity[i]);
        sk_demo_json_end_object (w);
      }
  sk_demo_json_end_array (w);
  sk_demo_json_end_object (w);
}

void
_sk_demo_extra_write_fulfillments (const SkDemoExtra *extra,
                                   guint64            order_id,
                                   guint64            line_id_base,
                                   int                tz,
                                   SkDemoJson        *w)
{
  for (guint i = 0; i < extra->shipments->len; i++)
    write_shipment (NULL, &g_array_index (extra->shipments, SkDemoShipment, i),
                    order_id, line_id_base, tz, w);
}

guint
sk_demo_data_n_lines (SkDemoData *self,
                      guint       row)
{
  SkDemoContent c;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), 0);

  _sk_demo_derive_content (_sk_demo_data_seed (self), row, &c);
  return c.n_lines;
}

gint64
sk_demo_data_fulfillable (SkDemoData *self,
                          guint       row,
                          guint       line)
{
  SkDemoContent c;
  SkDemoExtra *extra;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), 0);

  _sk_demo_derive_content (_sk_demo_data_seed (self), row, &c);
  if (line >= c.n_lines || _sk_demo_data_line_done (self, row, line))
    return 0;
  extra = _sk_demo_data_extra (self, row, FALSE);
  return MAX (0, c.lines[line].quantity - (extra != NULL ? extra->shipped[line] : 0));
}

guint64
sk_demo_data_add_fulfillment (SkDemoData   *self,
                              guint         row,
                              const gint64 *quantities,
                              const char   *company,
                              const char   *number,
                              const char   *url,
                              gint64        now)
{
  SkDemoExtra *extra;
  SkDemoShipment s = { 0 };
  guint n_lines;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), 0);

  n_lines = sk_demo_data_n_lines (self, row);
  extra = _sk_demo_data_extra (self, row, TRUE);
  s.id = SHIPMENT_ID_BASE + (guint64) row * 16 + extra->shipments->len;
  s.created_at = MAX (now, sk_demo_data_get_now (self));
  for (guint i = 0; i < n_lines; i++)
    {
      s.quantity[i] = MAX (0, quantities[i]);
      extra->shipped[i] += s.quantity[i];
    }
  s.company = g_strdup (company);
  s.number = g_strdup (number);
  s.url = g_strdup (url);
  g_array_append_val (extra->shipments, s);
  _sk_demo_data_touch (self, row, now);
  return s.id;
}

void
sk_demo_data_write_fulfillment (SkDemoData *self,
                                guint       row,
                                guint64     id,
                                GString    *out)
{
  SkDemoExtra *extra = _sk_demo_data_extra (self, row, FALSE);
  SkDemoContent c;
  SkDemoJson w;

  _sk_demo_derive_content (_sk_demo_data_seed (self), row, &c);
  sk_demo_json_init (&w, out);
  sk_demo_json_begin_object (&w, NULL);
  for (guint i = 0; extra != NULL && i < extra->shipments->len; i++)
    {
      const SkDemoShipment *s = &g_array_index (extra->shipments, SkDemoShipment, i);

      if (s->id == id)
        write_shipment ("fulfillment", s, _sk_demo_data_order (self, row)->id,
                        sk_demo_data_line_id (self, row, 0), c.tz_offset, &w);
    }
  sk_demo_json_end_object (&w);
}

void
sk_demo_data_write_fulfillment_orders (SkDemoData *self,
                                       guint       row,
                                       GString    *out)
{
  const SkDemoOrder *o;
  SkDemoContent c;
  SkDemoJson w;
  gint64 left = 0;
  guint64 fo_id = FO_ID_BASE + row;

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < sk_demo_data_get_n_orders (self));

  o = _sk_demo_data_order (self, row);
  _sk_demo_derive_content (_sk_demo_data_seed (self), row, &c);
  for (guint i = 0; i < c.n_lines; i++)
    left += sk_demo_data_fulfillable (self, row, i);

  sk_demo_json_init (&w, out);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_array (&w, "fulfillment_orders");
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_uint (&w, "id", fo_id);
  sk_demo_json_uint (&w, "shop_id", G_GUINT64_CONSTANT (60123456789));
  sk_demo_json_uint (&w, "order_id", o->id);
  sk_demo_json_uint (&w, "assigned_location_id", LOCATION_ID);
  sk_demo_json_string (&w, "request_status", "unsubmitted");
  sk_demo_json_string (&w, "status", o->cancelled_at != 0 ? "cancelled"
                       : left > 0 ? "open" : "closed");
  sk_demo_json_begin_array (&w, "supported_actions");
  if (left > 0 && o->cancelled_at == 0)
    {
      sk_demo_json_string (&w, NULL, "create_fulfillment");
      sk_demo_json_string (&w, NULL, "hold");
    }
  sk_demo_json_end_array (&w);
  sk_demo_json_begin_object (&w, "destination");
  sk_demo_json_string (&w, "country", c.country->name);
  sk_demo_json_string (&w, "city", c.city->city);
  sk_demo_json_end_object (&w);
  sk_demo_json_begin_array (&w, "line_items");
  for (guint i = 0; i < c.n_lines; i++)
    {
      guint64 line_id = sk_demo_data_line_id (self, row, i);

      sk_demo_json_begin_object (&w, NULL);
      sk_demo_json_uint (&w, "id", FO_LINE_ID_BASE + (guint64) row * 8 + i);
      sk_demo_json_uint (&w, "shop_id", G_GUINT64_CONSTANT (60123456789));
      sk_demo_json_uint (&w, "fulfillment_order_id", fo_id);
      sk_demo_json_uint (&w, "line_item_id", line_id);
      sk_demo_json_uint (&w, "inventory_item_id",
                         sk_demo_inventory_item_id (c.lines[i].product, c.lines[i].variant));
      sk_demo_json_int (&w, "quantity", c.lines[i].quantity);
      sk_demo_json_int (&w, "fulfillable_quantity", sk_demo_data_fulfillable (self, row, i));
      sk_demo_json_uint (&w, "variant_id", sk_demo_variant_id (c.lines[i].product, c.lines[i].variant));
      sk_demo_json_end_object (&w);
    }
  sk_demo_json_end_array (&w);
  sk_demo_json_time (&w, "created_at", o->created_at, c.tz_offset);
  sk_demo_json_time (&w, "updated_at", o->updated_at, c.tz_offset);
  sk_demo_json_end_object (&w);
  sk_demo_json_end_array (&w);
  sk_demo_json_end_object (&w);
}

void
sk_demo_data_woo_complete (SkDemoData *self,
                           guint       row,
                           gint64      now)
{
  SkDemoOrder *o;

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < sk_demo_data_get_n_orders (self));

  o = (SkDemoOrder *) _sk_demo_data_order (self, row);
  if (o->woo_completed || sk_demo_data_woo_status (self, row) == SK_DEMO_WOO_COMPLETED)
    return;
  o->woo_completed = TRUE;
  _sk_demo_data_touch (self, row, now);
}

guint64
sk_demo_data_woo_add_note (SkDemoData *self,
                           guint       row,
                           const char *text,
                           gboolean    customer_note,
                           gint64      now)
{
  SkDemoExtra *extra;
  SkDemoNote *note;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), 0);

  extra = _sk_demo_data_extra (self, row, TRUE);
  note = g_new0 (SkDemoNote, 1);
  note->id = NOTE_ID_BASE + (guint64) row * 64 + extra->notes->len;
  note->created_at = MAX (now, sk_demo_data_get_now (self));
  note->text = g_strdup (text != NULL ? text : "");
  note->customer_note = customer_note;
  g_ptr_array_add (extra->notes, note);
  return note->id;
}

static void
write_note (const SkDemoNote *note,
            SkDemoJson       *w)
{
  sk_demo_json_begin_object (w, NULL);
  sk_demo_json_uint (w, "id", note->id);
  sk_demo_json_string (w, "author", "Storekeep");
  sk_demo_json_time_local (w, "date_created", note->created_at, SK_DEMO_WOO_SITE_OFFSET_MINUTES);
  sk_demo_json_time_local (w, "date_created_gmt", note->created_at, 0);
  sk_demo_json_string (w, "note", note->text);
  sk_demo_json_bool (w, "customer_note", note->customer_note);
  sk_demo_json_end_object (w);
}

gboolean
sk_demo_data_woo_write_notes (SkDemoData *self,
                              guint       row,
                              guint64     id,
                              GString    *out)
{
  SkDemoExtra *extra;
  SkDemoJson w;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (row < sk_demo_data_get_n_orders (self), FALSE);

  extra = _sk_demo_data_extra (self, row, FALSE);
  sk_demo_json_init (&w, out);
  if (id != 0)
    {
      for (guint i = 0; extra != NULL && i < extra->notes->len; i++)
        if (((SkDemoNote *) g_ptr_array_index (extra->notes, i))->id == id)
          {
            write_note (g_ptr_array_index (extra->notes, i), &w);
            return TRUE;
          }
      return FALSE;
    }
  sk_demo_json_begin_array (&w, NULL);
  for (guint i = extra != NULL ? extra->notes->len : 0; i > 0; i--)
    write_note (g_ptr_array_index (extra->notes, i - 1), &w);
  sk_demo_json_end_array (&w);
  return TRUE;
}
