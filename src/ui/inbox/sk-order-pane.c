/* sk-order-pane.c: everything about one order, beside the inbox list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-inbox-logic.h"
#include "sk-money.h"
#include "sk-order-pane.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"

struct _SkOrderPane
{
  AdwBin parent_instance;

  SkContext *context;
  SkOrder *order;
  gint64 order_id;
  guint history_count;

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
  GtkWidget *shipments_box;
  GtkListBox *shipments_list;
  GtkWidget *note_box;
  GtkLabel *note_label;
  GtkFlowBox *tags_box;
  GtkEntry *tag_entry;
  GtkListBox *history_list;
};

G_DEFINE_FINAL_TYPE (SkOrderPane, sk_order_pane, ADW_TYPE_BIN)

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
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

static GtkWidget *
shipment_row (const SkFulfillment *f)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = sk_inbox_format_date (f->created_at, now_unix (), NULL);
  const char *number = f->tracking_number;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 number != NULL && *number != '\0' ? number
                                                                   : _("No tracking number"));
  if (f->tracking_company != NULL && *f->tracking_company != '\0')
    {
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", f->tracking_company, when);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  gtk_widget_add_css_class (row, "property");

  if (f->tracking_url != NULL && g_str_has_prefix (f->tracking_url, "https://"))
    {
      GtkWidget *link = gtk_link_button_new_with_label (f->tracking_url, _("Track"));

      gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (link, _("Open the carrier’s tracking page"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), link);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
fill_shipments (SkOrderPane *self)
{
  GPtrArray *fulfillments = sk_order_get_fulfillments (self->order);

  clear_list_box (self->shipments_list);
  for (guint i = 0; fulfillments != NULL && i < fulfillments->len; i++)
    gtk_list_box_append (self->shipments_list,
                         shipment_row (g_ptr_array_index (fulfillments, i)));
  gtk_widget_set_visible (self->shipments_box, fulfillments != NULL && fulfillments->len > 0);
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

static GtkWidget *
history_row (const SkEvent *event,
             const char    *currency)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = sk_inbox_event_title (event, currency);
  g_autofree char *subtitle = sk_inbox_event_subtitle (event, now_unix (), NULL);
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
  fill_shipments (self);
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
      return;
    }

  self->order = sk_store_load_order (sk_context_get_store (self->context),
                                     self->order_id, &error);
  if (self->order == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
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

static void
sk_order_pane_dispose (GObject *object)
{
  SkOrderPane *self = SK_ORDER_PANE (object);

  g_clear_object (&self->order);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_ORDER_PANE);

  G_OBJECT_CLASS (sk_order_pane_parent_class)->dispose (object);
}

static void
sk_order_pane_class_init (SkOrderPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_order_pane_dispose;

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
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, shipments_box);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, shipments_list);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, note_box);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, note_label);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, tags_box);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, SkOrderPane, history_list);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_entry_activate);

  gtk_widget_class_set_css_name (widget_class, "orderpane");
}

static void
sk_order_pane_init (SkOrderPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
