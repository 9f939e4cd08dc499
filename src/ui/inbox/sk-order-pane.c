/* sk-order-pane.c: everything about one order, beside the inbox list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-channel-health.h"
#include "sk-inbox-logic.h"
#include "sk-money.h"
#include "sk-order-pane.h"
#include "sk-ship-popover.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-store-outbox.h"

struct _SkOrderPane
{
  AdwBin parent_instance;

  SkContext *context;
  SkStore *store;              /* whose "changed" we follow */
  SkOrder *order;
  gint64 order_id;
  guint history_count;
  GPtrArray *shipments;        /* SkShipment of the order, oldest first */
  GArray *left;                /* gint64 per line: not shipped yet */
  guint outbox_count;
  gboolean can_ship;
  AdwToast *last_toast;
  GCancellable *cancellable;
  SkShipPopover *ship_popover;

  GtkStack *stack;
  AdwStatusPage *summary_page;
  AdwStatusPage *error_page;
  GtkScrolledWindow *scroller;
  GtkLabel *number_label;
  GtkLabel *meta_label;
  GtkLabel *status_pill;
  GtkLabel *payment_pill;
  GtkLabel *fulfillment_pill;
  GtkRevealer *hold_revealer;
  GtkLabel *hold_reason_label;
  GtkRevealer *archived_revealer;
  GtkLabel *customer_label;
  GtkListBox *lines_list;
  GtkGrid *totals_grid;
  GtkLabel *shipping_label;
  GtkLabel *billing_label;
  GtkLabel *payment_label;
  GtkLabel *payment_detail_label;
  GtkLabel *fulfillment_label;
  GtkLabel *fulfillment_detail_label;
  GtkMenuButton *ship_button;
  GtkWidget *shipments_box;
  GtkListBox *shipments_list;
  GtkWidget *outbox_box;
  GtkListBox *outbox_list;
  GtkWidget *note_box;
  GtkLabel *note_label;
  GtkFlowBox *tags_box;
  GtkEntry *tag_entry;
  GtkListBox *history_list;
};

enum {
  PROP_0,
  PROP_CAN_SHIP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SkOrderPane, sk_order_pane, ADW_TYPE_BIN)

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
show_toast (SkOrderPane *self,
            const char  *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autoptr(AdwToast) toast = adw_toast_new (text);

  g_set_object (&self->last_toast, toast);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_object_ref (toast));
}

static void
clear_list_box (GtkListBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_list_box_remove (box, child);
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static void
set_pill (GtkLabel   *label,
          SkPill      pill,
          const char *code)
{
  const char *classes[] = { "status-pill", sk_inbox_pill_css_class (pill.style), NULL };
  g_autofree char *tooltip = NULL;

  gtk_label_set_label (label, pill.label);
  gtk_widget_set_css_classes (GTK_WIDGET (label), classes);
  if (code != NULL && *code != '\0')
    /* Translators: tooltip of a status pill: the channel's own status code */
    tooltip = g_strdup_printf (_("The channel calls it “%s”"), code);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
}

static GtkWidget *
money_label (gint64      minor,
             const char *currency,
             gboolean    strong)
{
  g_autofree char *text = sk_money_format_display (minor, currency);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  if (strong)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
add_total_row (SkOrderPane *self,
               int         *row,
               const char  *title,
               gint64       minor,
               gboolean     strong)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  if (strong)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (self->totals_grid, label, 0, *row, 1, 1);
  gtk_grid_attach (self->totals_grid,
                   money_label (minor, sk_order_get_currency (self->order), strong),
                   1, *row, 1, 1);
  (*row)++;
}

static void
fill_totals (SkOrderPane *self)
{
  SkOrder *o = self->order;
  int row = 0;

  clear_grid (self->totals_grid);
  add_total_row (self, &row, _("Subtotal"), sk_order_get_subtotal (o), FALSE);
  if (sk_order_get_total_discounts (o) != 0)
    add_total_row (self, &row, _("Discounts"), -sk_order_get_total_discounts (o), FALSE);
  add_total_row (self, &row, _("Shipping"), sk_order_get_total_shipping (o), FALSE);
  add_total_row (self, &row, _("Tax"), sk_order_get_total_tax (o), FALSE);
  add_total_row (self, &row, _("Total"), sk_order_get_total (o), TRUE);
  if (sk_order_get_total_refunded (o) != 0)
    {
      add_total_row (self, &row, _("Refunded"), -sk_order_get_total_refunded (o), FALSE);
      add_total_row (self, &row, _("Net"),
                     sk_order_get_total (o) - sk_order_get_total_refunded (o), TRUE);
    }
}

static GtkWidget *
line_row (SkOrderPane       *self,
          const SkOrderLine *line)
{
  const char *currency = sk_order_get_currency (self->order);
  g_autofree char *unit = sk_money_format_display (line->unit_price, currency);
  g_autofree char *each = NULL;
  g_autofree char *quantity = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *total;
  GtkWidget *each_label;
  gint64 line_total = line->quantity * line->unit_price - line->total_discount;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 line->title != NULL ? line->title : _("Untitled item"));
  if (line->variant_title != NULL && *line->variant_title != '\0')
    g_string_append (subtitle, line->variant_title);
  if (line->sku != NULL && *line->sku != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: the stock keeping unit of an order line */
      g_string_append_printf (subtitle, _("SKU %s"), line->sku);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);

  quantity = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);
  /* Translators: quantity × unit price, "2 × $10.00" */
  each = g_strdup_printf (_("%s × %s"), quantity, unit);
  each_label = gtk_label_new (each);
  gtk_label_set_xalign (GTK_LABEL (each_label), 1.0);
  gtk_widget_add_css_class (each_label, "dim-label");
  gtk_widget_add_css_class (each_label, "caption");
  gtk_widget_add_css_class (each_label, "numeric");
  total = money_label (line_total, currency, FALSE);
  if (line->total_discount != 0)
    {
      g_autofree char *discount = sk_money_format_display (line->total_discount, currency);
      g_autofree char *tip = g_strdup_printf (_("Includes a discount of %s"), discount);

      gtk_widget_set_tooltip_text (total, tip);
    }
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), total);
  gtk_box_append (GTK_BOX (box), each_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
fill_lines (SkOrderPane *self)
{
  GPtrArray *lines = sk_order_get_lines (self->order);

  clear_list_box (self->lines_list);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    gtk_list_box_append (self->lines_list, line_row (self, g_ptr_array_index (lines, i)));
}

/* Shipments: what Storekeep recorded, and what the channel says it
 * shipped (unless it is one of ours, come back with the next sync). */

static gboolean
line_matches (const SkOrderLine    *line,
              int                   position,
              const SkShipmentLine *shipped)
{
  if (line->external_id != NULL)
    return g_strcmp0 (shipped->external_id, line->external_id) == 0;
  return shipped->external_id == NULL && shipped->position == position;
}

/* What is left to ship of each line, as the store counts it. */
static void
compute_left (SkOrderPane *self)
{
  GPtrArray *lines = sk_order_get_lines (self->order);

  g_array_set_size (self->left, 0);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const SkOrderLine *line = g_ptr_array_index (lines, i);
      gint64 left = line->quantity;

      for (guint j = 0; self->shipments != NULL && j < self->shipments->len; j++)
        {
          SkShipment *shipment = g_ptr_array_index (self->shipments, j);

          for (guint k = 0; k < shipment->lines->len; k++)
            {
              SkShipmentLine *shipped = g_ptr_array_index (shipment->lines, k);

              if (line_matches (line, (int) i, shipped))
                left -= shipped->quantity;
            }
        }
      left = MAX (left, 0);
      g_array_append_val (self->left, left);
    }
}

static gboolean
compute_can_ship (SkOrderPane *self)
{
  SkFulfillmentStatus fulfillment;

  if (self->order == NULL || sk_order_get_status (self->order) == SK_ORDER_STATUS_CANCELLED)
    return FALSE;
  fulfillment = sk_order_get_fulfillment_status (self->order);
  if (fulfillment == SK_FULFILLMENT_STATUS_FULFILLED ||
      fulfillment == SK_FULFILLMENT_STATUS_RESTOCKED ||
      fulfillment == SK_FULFILLMENT_STATUS_NOT_REQUIRED)
    return FALSE;
  for (guint i = 0; i < self->left->len; i++)
    if (g_array_index (self->left, gint64, i) > 0)
      return TRUE;
  return FALSE;
}

static void
update_can_ship (SkOrderPane *self)
{
  gboolean can_ship = compute_can_ship (self);

  if (self->ship_popover == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->ship_button), can_ship);
  /* Refill it, unless the person is filling it in for this very order
   * (a sync may reload the order meanwhile). */
  if (can_ship &&
      !(gtk_widget_get_visible (GTK_WIDGET (self->ship_popover)) &&
        sk_ship_popover_get_order_id (self->ship_popover) == self->order_id))
    sk_ship_popover_set_order (self->ship_popover, self->order,
                               (const gint64 *) (gpointer) self->left->data, self->left->len);
  else if (!can_ship)
    gtk_popover_popdown (GTK_POPOVER (self->ship_popover));

  if (can_ship == self->can_ship)
    return;
  self->can_ship = can_ship;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SHIP]);
}

/* The tracking number, as a link to the carrier's page when there is one. */
static GtkWidget *
tracking_widget (const char *number,
                 const char *url)
{
  GtkWidget *widget;

  if (url != NULL && (g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://")))
    {
      widget = gtk_link_button_new_with_label (url, number);
      gtk_widget_set_tooltip_text (widget, _("Open the carrier’s tracking page"));
    }
  else
    {
      widget = gtk_label_new (number);
      gtk_label_set_selectable (GTK_LABEL (widget), TRUE);
      gtk_widget_add_css_class (widget, "dim-label");
    }
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  return widget;
}

static char *
shipment_lines_text (const SkShipment *shipment)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < shipment->lines->len; i++)
    {
      SkShipmentLine *line = g_ptr_array_index (shipment->lines, i);
      char quantity[32];

      g_snprintf (quantity, sizeof quantity, "%" G_GINT64_FORMAT, line->quantity);
      if (text->len > 0)
        g_string_append (text, ", ");
      /* Translators: an item in a parcel, "2 × Trail Shirt" */
      g_string_append_printf (text, C_("shipped items", "%s × %s"), quantity,
                              line->title != NULL ? line->title : _("Untitled item"));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
recorded_shipment_row (const SkShipment *shipment)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = sk_inbox_format_date (shipment->shipped_at != 0 ? shipment->shipped_at
                                                                          : shipment->created_at,
                                                now_unix (), NULL);
  g_autofree char *lines = shipment_lines_text (shipment);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shipment->carrier);
  /* Translators: under a shipment: its items, then when it was shipped:
   * "1 × Power Bank\nShipped Today 14:05" */
  subtitle = g_strdup_printf (C_("shipment", "%s\nShipped %s"), lines, when);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             tracking_widget (shipment->tracking_number, shipment->tracking_url));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* A fulfillment the channel reported. */
static GtkWidget *
channel_fulfillment_row (const SkFulfillment *f)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = sk_inbox_format_date (f->created_at, now_unix (), NULL);
  const char *number = f->tracking_number;
  const char *company = f->tracking_company;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 company != NULL && *company != '\0' ? company : _("Shipped"));
  /* Translators: under a shipment the channel reported: when · where it comes from */
  {
    g_autofree char *subtitle = g_strdup_printf (C_("shipment", "%s · %s"), when,
                                                 _("reported by the channel"));

    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  }
  if (number != NULL && *number != '\0')
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), tracking_widget (number, f->tracking_url));
  else
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), tracking_widget (_("No tracking number"), NULL));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static gboolean
recorded_has_number (SkOrderPane *self,
                     const char  *number)
{
  for (guint i = 0; number != NULL && self->shipments != NULL && i < self->shipments->len; i++)
    if (g_strcmp0 (((SkShipment *) g_ptr_array_index (self->shipments, i))->tracking_number,
                   number) == 0)
      return TRUE;
  return FALSE;
}

static void
read_shipments (SkOrderPane *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->shipments, g_ptr_array_unref);
  self->shipments = sk_store_list_shipments (sk_context_get_store (self->context),
                                             self->order_id, &error);
  if (self->shipments == NULL)
    g_warning ("Could not read the shipments of order %" G_GINT64_FORMAT ": %s",
               self->order_id, error->message);
  compute_left (self);
}

static void
fill_shipments (SkOrderPane *self)
{
  GPtrArray *fulfillments = sk_order_get_fulfillments (self->order);
  guint n = 0;

  clear_list_box (self->shipments_list);
  for (guint i = 0; self->shipments != NULL && i < self->shipments->len; i++, n++)
    gtk_list_box_append (self->shipments_list,
                         recorded_shipment_row (g_ptr_array_index (self->shipments, i)));
  for (guint i = 0; fulfillments != NULL && i < fulfillments->len; i++)
    {
      SkFulfillment *f = g_ptr_array_index (fulfillments, i);

      if (recorded_has_number (self, f->tracking_number))
        continue;
      gtk_list_box_append (self->shipments_list, channel_fulfillment_row (f));
      n++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->shipments_list), n > 0);
  gtk_widget_set_visible (self->shipments_box, n > 0 || compute_can_ship (self));
}

/* Sent to channels: the order's outbox rows */

/* "Shipment UPS 1Z…" from a fulfillment row's payload. */
static char *
outbox_row_what (const SkOutboxRow *row)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *carrier = NULL;
  const char *number = NULL;

  if (g_strcmp0 (row->kind, SK_OUTBOX_KIND_FULFILLMENT) != 0)
    return g_strdup (row->kind);

  if (row->payload != NULL && json_parser_load_from_data (parser, row->payload, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      carrier = json_object_get_string_member_with_default (object, "carrier", NULL);
      number = json_object_get_string_member_with_default (object, "tracking_number", NULL);
    }
  if (carrier != NULL && number != NULL)
    /* Translators: what was sent to a channel: "Shipment UPS 1Z2345" */
    return g_strdup_printf (_("Shipment %s %s"), carrier, number);
  return g_strdup (_("Shipment"));
}

static char *
outbox_row_state (const SkOutboxRow *row,
                  const char       **icon,
                  const char       **style)
{
  g_autofree char *when = NULL;

  switch (row->state)
    {
    case SK_OUTBOX_STATE_SENT:
      *icon = "emblem-ok-symbolic";
      *style = "success";
      when = sk_inbox_format_date (row->sent_at, now_unix (), NULL);
      /* Translators: an update the channel has: "Sent Today 14:05" */
      return g_strdup_printf (_("Sent %s"), when);

    case SK_OUTBOX_STATE_SENDING:
      *icon = "mail-send-symbolic";
      *style = NULL;
      return g_strdup (_("Sending now…"));

    case SK_OUTBOX_STATE_FAILED:
      *icon = "dialog-error-symbolic";
      *style = "error";
      if (row->last_error != NULL && *row->last_error != '\0')
        return g_strdup (row->last_error);
      return g_strdup (_("The channel refused it."));

    case SK_OUTBOX_STATE_SUPERSEDED:
      *icon = "edit-redo-symbolic";
      *style = NULL;
      return g_strdup (_("Replaced by a later update"));

    case SK_OUTBOX_STATE_PENDING:
    default:
      *icon = "content-loading-symbolic";
      *style = "warning";
      if (row->attempts == 0 || row->next_attempt_at <= now_unix ())
        return g_strdup (_("Waiting to be sent"));
      when = sk_inbox_format_date (row->next_attempt_at, now_unix (), NULL);
      if (row->last_error != NULL && *row->last_error != '\0')
        /* Translators: "Not sent yet, next try Today 14:05. <why the last try failed>" */
        return g_strdup_printf (_("Not sent yet, next try %s. %s"), when, row->last_error);
      /* Translators: "Not sent yet, next try Today 14:05." */
      return g_strdup_printf (_("Not sent yet, next try %s."), when);
    }
}

static GtkWidget *
outbox_row (const SkOutboxRow *outbox)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image;
  g_autofree char *what = outbox_row_what (outbox);
  g_autofree char *subtitle = NULL;
  const char *icon = NULL;
  const char *style = NULL;
  g_autofree char *state = outbox_row_state (outbox, &icon, &style);

  /* Translators: under a channel in "Sent to Channels": what, then how it
   * went: "Shipment UPS 1Z2345\nSent Today 14:05" */
  subtitle = g_strdup_printf (C_("outbox", "%s\n%s"), what, state);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 outbox->channel_name != NULL ? outbox->channel_name : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 6);

  image = gtk_image_new_from_icon_name (icon);
  gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
  if (style != NULL)
    gtk_widget_add_css_class (image, style);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sk_outbox_state_to_string (outbox->state), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);

  if (outbox->state == SK_OUTBOX_STATE_SENT && outbox->sent_at != 0)
    {
      g_autofree char *exact = sk_inbox_format_date_long (outbox->sent_at, NULL);

      gtk_widget_set_tooltip_text (row, exact);
    }
  if (outbox->state == SK_OUTBOX_STATE_FAILED)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Try Again"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Send it to the channel again"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "pane.retry-outbox");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_int64 (outbox->id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
fill_outbox (SkOrderPane *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  clear_list_box (self->outbox_list);
  self->outbox_count = 0;

  rows = sk_store_list_order_outbox (sk_context_get_store (self->context), self->order_id, &error);
  if (rows == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("What was sent to the channels could not be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_list_box_append (self->outbox_list, row);
      gtk_widget_set_visible (self->outbox_box, TRUE);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_append (self->outbox_list, outbox_row (g_ptr_array_index (rows, i)));
  self->outbox_count = rows->len;
  gtk_widget_set_visible (self->outbox_box, rows->len > 0);
}

static GtkWidget *
tag_chip (const char *tag)
{
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *label = gtk_label_new (tag);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  g_autofree char *tip = g_strdup_printf (_("Remove the tag “%s”"), tag);

  gtk_widget_add_css_class (chip, "tag-chip");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "inbox.remove-tag");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove),
                                          g_variant_new_string (tag));
  gtk_box_append (GTK_BOX (chip), label);
  gtk_box_append (GTK_BOX (chip), remove);
  return chip;
}

static void
fill_tags (SkOrderPane *self)
{
  const char * const *tags = sk_order_get_tags (self->order);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    gtk_flow_box_append (self->tags_box, tag_chip (tags[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), tags != NULL && tags[0] != NULL);
}

/* Shipping events, which the inbox's logic does not word yet. */
static char *
history_title (const SkEvent *event,
               const char    *currency)
{
  if (g_strcmp0 (event->what, "shipped") == 0)
    {
      if (event->to_value != NULL && *event->to_value != '\0')
        /* Translators: an order's history: "Marked as shipped: UPS 1Z2345" */
        return g_strdup_printf (_("Marked as shipped: %s"), event->to_value);
      return g_strdup (_("Marked as shipped"));
    }
  if (g_strcmp0 (event->what, "outbox-sent") == 0)
    return g_strdup (_("Shipment sent to the channel"));
  if (g_strcmp0 (event->what, "outbox-failed") == 0)
    return g_strdup (_("The channel refused the shipment"));
  return sk_inbox_event_title (event, currency);
}

static char *
history_subtitle (const SkEvent *event)
{
  /* "outbox:shopify": Storekeep telling the channel. */
  if (event->actor != NULL && g_str_has_prefix (event->actor, "outbox:"))
    {
      SkEvent copy = *event;

      copy.actor = NULL;
      return sk_inbox_event_subtitle (&copy, now_unix (), NULL);
    }
  return sk_inbox_event_subtitle (event, now_unix (), NULL);
}

static GtkWidget *
history_row (const SkEvent *event,
             const char    *currency)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = history_title (event, currency);
  g_autofree char *subtitle = history_subtitle (event);
  g_autofree char *exact = sk_inbox_format_date_long (event->at, NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_set_tooltip_text (row, exact);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
fill_history (SkOrderPane *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  clear_list_box (self->history_list);
  self->history_count = 0;

  events = sk_store_list_events (sk_context_get_store (self->context), "order",
                                 self->order_id, &error);
  if (events == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The history could not be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_list_box_append (self->history_list, row);
      return;
    }

  /* Newest first: what just happened is what people look for. */
  for (guint i = events->len; i > 0; i--)
    gtk_list_box_append (self->history_list, history_row (g_ptr_array_index (events, i - 1),
                                                           sk_order_get_currency (self->order)));
  self->history_count = events->len;
}

static void
set_text_or_dash (GtkLabel   *label,
                  const char *text)
{
  gtk_label_set_label (label, text != NULL && *text != '\0' ? text : "—");
}

static void
fill_header (SkOrderPane *self)
{
  SkOrder *o = self->order;
  g_autoptr(SkChannelRecord) channel = NULL;
  g_autofree char *date = sk_inbox_format_date_long (sk_order_get_created_at (o), NULL);
  g_autofree char *meta = NULL;
  g_autofree char *number = NULL;

  channel = sk_store_get_channel (sk_context_get_store (self->context),
                                  sk_order_get_channel_id (o), NULL);
  if (channel != NULL && channel->name != NULL)
    meta = g_strdup_printf ("%s · %s", channel->name, date);
  else
    meta = g_strdup (date);

  number = g_strdup (sk_order_get_number (o));
  if (number == NULL)
    number = g_strdup (sk_order_get_external_id (o));
  gtk_label_set_label (self->number_label, number != NULL ? number : "");
  gtk_label_set_label (self->meta_label, meta);

  set_pill (self->status_pill, sk_inbox_order_status_pill (sk_order_get_status (o)),
            sk_order_get_status_code (o));
  set_pill (self->payment_pill, sk_inbox_payment_pill (sk_order_get_payment_status (o)),
            sk_order_get_payment_code (o));
  set_pill (self->fulfillment_pill,
            sk_inbox_fulfillment_pill (sk_order_get_fulfillment_status (o)),
            sk_order_get_fulfillment_code (o));

  /* Hidden, not just folded: a folded revealer still takes box spacing. */
  gtk_widget_set_visible (GTK_WIDGET (self->hold_revealer), sk_order_get_on_hold (o));
  gtk_revealer_set_reveal_child (self->hold_revealer, sk_order_get_on_hold (o));
  gtk_widget_set_visible (GTK_WIDGET (self->archived_revealer), sk_order_get_archived (o));
  set_text_or_dash (self->hold_reason_label, sk_order_get_hold_reason (o));
  gtk_revealer_set_reveal_child (self->archived_revealer, sk_order_get_archived (o));
}

static void
fill_customer (SkOrderPane *self)
{
  SkOrder *o = self->order;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *parts[] = {
    sk_order_get_customer_name (o), sk_order_get_email (o), sk_order_get_phone (o),
  };
  g_autofree char *shipping = sk_inbox_format_address (sk_order_get_shipping_address (o));
  g_autofree char *billing = sk_inbox_format_address (sk_order_get_billing_address (o));

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && *parts[i] != '\0')
      g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", parts[i]);
  set_text_or_dash (self->customer_label, text->str);
  set_text_or_dash (self->shipping_label, shipping);
  set_text_or_dash (self->billing_label, billing);
}

static void
fill_statuses (SkOrderPane *self)
{
  SkOrder *o = self->order;
  SkPill payment = sk_inbox_payment_pill (sk_order_get_payment_status (o));
  SkPill fulfillment = sk_inbox_fulfillment_pill (sk_order_get_fulfillment_status (o));
  const char *payment_code = sk_order_get_payment_code (o);
  const char *fulfillment_code = sk_order_get_fulfillment_code (o);
  g_autofree char *payment_detail = NULL;
  g_autofree char *fulfillment_detail = NULL;

  set_pill (self->payment_label, payment, payment_code);
  set_pill (self->fulfillment_label, fulfillment, fulfillment_code);
  if (payment_code != NULL && *payment_code != '\0')
    payment_detail = g_strdup_printf (_("Channel status: %s"), payment_code);
  if (fulfillment_code != NULL && *fulfillment_code != '\0')
    fulfillment_detail = g_strdup_printf (_("Channel status: %s"), fulfillment_code);
  gtk_label_set_label (self->payment_detail_label, payment_detail ? payment_detail : "");
  gtk_label_set_label (self->fulfillment_detail_label,
                       fulfillment_detail ? fulfillment_detail : "");
}

static void
fill (SkOrderPane *self)
{
  const char *note = sk_order_get_note (self->order);

  fill_header (self);
  fill_customer (self);
  fill_lines (self);
  fill_totals (self);
  fill_statuses (self);
  read_shipments (self);
  fill_shipments (self);
  fill_outbox (self);
  update_can_ship (self);
  gtk_label_set_label (self->note_label, note != NULL ? note : "");
  gtk_widget_set_visible (self->note_box, note != NULL && *note != '\0');
  fill_tags (self);
  fill_history (self);
}

static void
load (SkOrderPane *self,
      gboolean     keep_scroll)
{
  g_autoptr(GError) error = NULL;
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scroller);
  double scroll = gtk_adjustment_get_value (vadj);

  g_clear_object (&self->order);
  if (self->order_id == 0 || self->context == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_can_ship (self);
      return;
    }

  self->order = sk_store_load_order (sk_context_get_store (self->context),
                                     self->order_id, &error);
  if (self->order == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_can_ship (self);
      return;
    }

  fill (self);
  gtk_stack_set_visible_child_name (self->stack, "order");
  gtk_adjustment_set_value (vadj, keep_scroll ? scroll : 0.0);
}

static void
on_tag_entry_activate (SkOrderPane *self)
{
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));

  if (*tag == '\0')
    return;
  if (gtk_widget_activate_action (GTK_WIDGET (self), "inbox.add-tag", "s", tag))
    gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
}

/* Shipping */

typedef struct {
  SkOrderPane *self;     /* strong */
  gint64 order_id;
  char *order_name;
  char *channel_kind;
  char *channel_name;
} ShipData;

static void
ship_data_free (ShipData *data)
{
  g_clear_object (&data->self);
  g_free (data->order_name);
  g_free (data->channel_kind);
  g_free (data->channel_name);
  g_free (data);
}

static char *
shipped_toast (ShipData *data,
               gboolean  told)
{
  if (!told)
    /* Translators: a toast, "Order #1042 marked as shipped" */
    return g_strdup_printf (_("Order %s marked as shipped"), data->order_name);
  /* Translators: a toast, "Order #1042 marked as shipped; Shopify will be told".
   * The second %s is the channel's platform (Shopify, WooCommerce, Amazon). */
  return g_strdup_printf (_("Order %s marked as shipped; %s will be told"), data->order_name,
                          g_strcmp0 (data->channel_kind, "csv") == 0 || data->channel_kind == NULL
                            ? data->channel_name
                            : sk_channel_kind_label (data->channel_kind));
}

static void
on_shipment_recorded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ShipData *data = user_data;
  SkOrderPane *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 shipment_id = 0;
  gint64 outbox_id = 0;

  if (!sk_store_record_shipment_finish (SK_STORE (source), result, &shipment_id, &outbox_id, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->ship_popover != NULL)
        {
          sk_ship_popover_set_busy (self->ship_popover, FALSE);
          sk_ship_popover_show_error (self->ship_popover, error->message);
        }
      ship_data_free (data);
      return;
    }

  /* Recorded, but the pane went away meanwhile. */
  if (self->ship_popover == NULL)
    {
      ship_data_free (data);
      return;
    }
  sk_ship_popover_set_busy (self->ship_popover, FALSE);
  sk_ship_popover_reset (self->ship_popover);
  gtk_popover_popdown (GTK_POPOVER (self->ship_popover));
  text = shipped_toast (data, outbox_id != 0);
  show_toast (self, text);
  if (self->order_id == data->order_id)
    load (self, TRUE);
  ship_data_free (data);
}

static void
on_ship_popover_confirm (SkOrderPane *self)
{
  g_autoptr(SkShipment) shipment = NULL;
  g_autoptr(SkChannelRecord) channel = NULL;
  ShipData *data;
  const char *number;

  if (self->order == NULL || self->context == NULL)
    return;
  shipment = sk_ship_popover_build_shipment (self->ship_popover);
  if (shipment == NULL)
    return;

  channel = sk_store_get_channel (sk_context_get_store (self->context),
                                  sk_order_get_channel_id (self->order), NULL);
  number = sk_order_get_number (self->order);

  data = g_new0 (ShipData, 1);
  data->self = g_object_ref (self);
  data->order_id = self->order_id;
  data->order_name = g_strdup (number != NULL ? number : sk_order_get_external_id (self->order));
  if (channel != NULL)
    {
      data->channel_kind = g_strdup (channel->kind);
      data->channel_name = g_strdup (channel->name);
    }

  sk_ship_popover_set_busy (self->ship_popover, TRUE);
  sk_store_record_shipment_async (sk_context_get_store (self->context), shipment, "user", NULL,
                                  self->cancellable, on_shipment_recorded, data);
}

static void
retry_outbox_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SkOrderPane *self = SK_ORDER_PANE (widget);
  g_autoptr(GError) error = NULL;

  if (self->context == NULL)
    return;
  if (!sk_store_retry_outbox_row (sk_context_get_store (self->context),
                                  g_variant_get_int64 (parameter), &error))
    {
      show_toast (self, error->message);
      return;
    }
  show_toast (self, _("Sending it again"));
}

/* The dispatcher moved an outbox row along (or a shipment was recorded
 * elsewhere): refresh what was sent where. */
static void
on_store_changed (SkOrderPane   *self,
                  SkStoreChange *change)
{
  if (self->order == NULL || (change->flags & SK_STORE_CHANGE_OUTBOX) == 0)
    return;
  fill_outbox (self);
  /* "Shipment sent to the channel" joins the history. */
  fill_history (self);
}

static void
sk_order_pane_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SkOrderPane *self = SK_ORDER_PANE (object);

  switch (prop_id)
    {
    case PROP_CAN_SHIP:
      g_value_set_boolean (value, self->can_ship);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_order_pane_dispose (GObject *object)
{
  SkOrderPane *self = SK_ORDER_PANE (object);

  g_cancellable_cancel (self->cancellable);
  /* Goes with the menu button of the template. */
  self->ship_popover = NULL;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_object (&self->order);
  g_clear_object (&self->context);
  g_clear_object (&self->last_toast);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->shipments, g_ptr_array_unref);
  g_clear_pointer (&self->left, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_ORDER_PANE);

  G_OBJECT_CLASS (sk_order_pane_parent_class)->dispose (object);
}

static void
sk_order_pane_class_init (SkOrderPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_order_pane_dispose;
  object_class->get_property = sk_order_pane_get_property;

  /**
   * SkOrderPane:can-ship:
   *
   * The order shown has items left to ship (Mark as Shipped works).
   */
  properties[PROP_CAN_SHIP] =
    g_param_spec_boolean ("can-ship", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-order-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, summary_page);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, error_page);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, scroller);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, number_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, meta_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, status_pill);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, payment_pill);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, fulfillment_pill);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, hold_revealer);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, hold_reason_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, archived_revealer);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, customer_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, lines_list);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, totals_grid);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, shipping_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, billing_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, payment_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, payment_detail_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, fulfillment_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, fulfillment_detail_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, ship_button);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, shipments_box);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, shipments_list);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, outbox_box);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, outbox_list);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, note_box);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, note_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, tags_box);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, history_list);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_entry_activate);

  gtk_widget_class_install_action (widget_class, "pane.retry-outbox", "x", retry_outbox_action);

  gtk_widget_class_set_css_name (widget_class, "orderpane");
}

static void
sk_order_pane_init (SkOrderPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->left = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
  self->ship_popover = SK_SHIP_POPOVER (sk_ship_popover_new ());
  gtk_menu_button_set_popover (self->ship_button, GTK_WIDGET (self->ship_popover));
  g_signal_connect_object (self->ship_popover, "confirm",
                           G_CALLBACK (on_ship_popover_confirm), self, G_CONNECT_SWAPPED);
  gtk_widget_set_sensitive (GTK_WIDGET (self->ship_button), FALSE);
}

GtkWidget *
sk_order_pane_new (void)
{
  return g_object_new (SK_TYPE_ORDER_PANE, NULL);
}

void
sk_order_pane_set_context (SkOrderPane *self,
                           SkContext   *context)
{
  g_return_if_fail (SK_IS_ORDER_PANE (self));
  g_return_if_fail (context == NULL || SK_IS_CONTEXT (context));

  g_set_object (&self->context, context);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (context != NULL)
    self->store = g_object_ref (sk_context_get_store (context));
  if (self->store != NULL)
    g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed), self,
                             G_CONNECT_SWAPPED);
  load (self, FALSE);
}

void
sk_order_pane_show_order (SkOrderPane *self,
                          gint64       order_id)
{
  g_return_if_fail (SK_IS_ORDER_PANE (self));

  if (order_id == self->order_id && self->order != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "order"))
    return;
  self->order_id = order_id;
  load (self, FALSE);
}

void
sk_order_pane_show_summary (SkOrderPane *self,
                            guint        n_orders)
{
  g_autofree char *title = NULL;

  g_return_if_fail (SK_IS_ORDER_PANE (self));

  self->order_id = 0;
  g_clear_object (&self->order);
  update_can_ship (self);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Order Selected",
                                        "%u Orders Selected", n_orders), n_orders);
  adw_status_page_set_title (self->summary_page, title);
  adw_status_page_set_description (self->summary_page,
                                   _("Hold, tag or archive them together with the buttons below the list."));
  gtk_stack_set_visible_child_name (self->stack, "summary");
}

void
sk_order_pane_reload (SkOrderPane *self)
{
  g_return_if_fail (SK_IS_ORDER_PANE (self));

  if (self->order_id != 0)
    load (self, TRUE);
}

SkOrder *
sk_order_pane_get_order (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), NULL);

  return self->order;
}

gint64
sk_order_pane_get_order_id (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), 0);

  return self->order_id;
}

guint
sk_order_pane_get_history_count (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), 0);

  return self->history_count;
}

gboolean
sk_order_pane_get_can_ship (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), FALSE);

  return self->can_ship;
}

gboolean
sk_order_pane_mark_shipped (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), FALSE);

  if (!self->can_ship || !gtk_widget_get_mapped (GTK_WIDGET (self->ship_button)))
    return FALSE;
  gtk_menu_button_popup (self->ship_button);
  return TRUE;
}

GtkWidget *
sk_order_pane_get_ship_popover (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), NULL);

  return GTK_WIDGET (self->ship_popover);
}

guint
sk_order_pane_get_shipment_count (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), 0);

  return self->shipments != NULL && self->order != NULL ? self->shipments->len : 0;
}

guint
sk_order_pane_get_outbox_count (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), 0);

  return self->outbox_count;
}

char *
sk_order_pane_dup_outbox_text (SkOrderPane *self,
                               guint        index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (SK_IS_ORDER_PANE (self), NULL);

  if (index >= self->outbox_count)
    return NULL;
  row = gtk_list_box_get_row_at_index (self->outbox_list, (int) index);
  if (!ADW_IS_ACTION_ROW (row))
    return NULL;
  return g_strdup_printf ("%s\n%s",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                          adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
}

AdwToast *
sk_order_pane_get_last_toast (SkOrderPane *self)
{
  g_return_val_if_fail (SK_IS_ORDER_PANE (self), NULL);

  return self->last_toast;
}
