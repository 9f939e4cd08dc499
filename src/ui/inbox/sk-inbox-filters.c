/* sk-inbox-filters.c: the filter popover of the order inbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-inbox-filters.h"
#include "sk-store-channels.h"

struct _SkInboxFilters
{
  GtkPopover parent_instance;

  GtkDropDown *channel_dropdown;
  GtkDropDown *payment_dropdown;
  GtkDropDown *fulfillment_dropdown;
  GtkDropDown *date_dropdown;
  GtkSwitch *hold_switch;
  GtkSwitch *archived_switch;
  GtkButton *reset_button;

  GArray *channel_ids;   /* gint64, parallel to the channel dropdown */
  guint updating;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkInboxFilters, sk_inbox_filters, GTK_TYPE_POPOVER)

static const SkPaymentStatus payment_choices[] = {
  SK_PAYMENT_STATUS_PENDING, SK_PAYMENT_STATUS_AUTHORIZED,
  SK_PAYMENT_STATUS_PARTIALLY_PAID, SK_PAYMENT_STATUS_PAID,
  SK_PAYMENT_STATUS_PARTIALLY_REFUNDED, SK_PAYMENT_STATUS_REFUNDED,
  SK_PAYMENT_STATUS_VOIDED, SK_PAYMENT_STATUS_FAILED,
};

static const SkFulfillmentStatus fulfillment_choices[] = {
  SK_FULFILLMENT_STATUS_UNFULFILLED, SK_FULFILLMENT_STATUS_PARTIAL,
  SK_FULFILLMENT_STATUS_FULFILLED, SK_FULFILLMENT_STATUS_RESTOCKED,
  SK_FULFILLMENT_STATUS_NOT_REQUIRED,
};

static void
emit_changed (SkInboxFilters *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button),
                            sk_inbox_filters_get_active_count (self) > 0);
  if (self->updating == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_filter_notify (SkInboxFilters *self)
{
  emit_changed (self);
}

static void
on_reset_button_clicked (SkInboxFilters *self)
{
  sk_inbox_filters_reset (self);
}

static GListModel *
payment_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, C_("payment filter", "Any payment"));
  for (guint i = 0; i < G_N_ELEMENTS (payment_choices); i++)
    gtk_string_list_append (list, sk_inbox_payment_pill (payment_choices[i]).label);
  return G_LIST_MODEL (list);
}

static GListModel *
fulfillment_model (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, C_("fulfillment filter", "Any fulfillment"));
  for (guint i = 0; i < G_N_ELEMENTS (fulfillment_choices); i++)
    gtk_string_list_append (list, sk_inbox_fulfillment_pill (fulfillment_choices[i]).label);
  return G_LIST_MODEL (list);
}

static GListModel *
date_model (void)
{
  const char *labels[] = {
    C_("date filter", "Any time"),
    C_("date filter", "Today"),
    C_("date filter", "Last 7 days"),
    C_("date filter", "Last 30 days"),
    NULL,
  };

  return G_LIST_MODEL (gtk_string_list_new (labels));
}

static void
sk_inbox_filters_dispose (GObject *object)
{
  SkInboxFilters *self = SK_INBOX_FILTERS (object);

  g_clear_pointer (&self->channel_ids, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_INBOX_FILTERS);

  G_OBJECT_CLASS (sk_inbox_filters_parent_class)->dispose (object);
}

static void
sk_inbox_filters_class_init (SkInboxFiltersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_inbox_filters_dispose;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-inbox-filters.ui");
  gtk_widget_class_bind_template_child (widget_class, SkInboxFilters, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkInboxFilters, payment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkInboxFilters, fulfillment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkInboxFilters, date_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SkInboxFilters, hold_switch);
  gtk_widget_class_bind_template_child (widget_class, SkInboxFilters, archived_switch);
  gtk_widget_class_bind_template_child (widget_class, SkInboxFilters, reset_button);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_notify);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_button_clicked);
}

static void
sk_inbox_filters_init (SkInboxFilters *self)
{
  g_autoptr(GListModel) payments = payment_model ();
  g_autoptr(GListModel) fulfillments = fulfillment_model ();
  g_autoptr(GListModel) dates = date_model ();

  self->updating++;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->channel_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_drop_down_set_model (self->payment_dropdown, payments);
  gtk_drop_down_set_model (self->fulfillment_dropdown, fulfillments);
  gtk_drop_down_set_model (self->date_dropdown, dates);
  sk_inbox_filters_set_channels (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), FALSE);
  self->updating--;
}

GtkWidget *
sk_inbox_filters_new (void)
{
  return g_object_new (SK_TYPE_INBOX_FILTERS, NULL);
}

void
sk_inbox_filters_set_channels (SkInboxFilters *self,
                               GPtrArray      *records)
{
  g_autoptr(GtkStringList) names = NULL;
  gint64 selected_id;
  guint selected = 0;
  gint64 all = 0;

  g_return_if_fail (SK_IS_INBOX_FILTERS (self));

  selected_id = sk_inbox_filters_get_channel_id (self);
  names = gtk_string_list_new (NULL);
  g_array_set_size (self->channel_ids, 0);

  gtk_string_list_append (names, C_("channel filter", "All channels"));
  g_array_append_val (self->channel_ids, all);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const SkChannelRecord *record = g_ptr_array_index (records, i);

      gtk_string_list_append (names, record->name != NULL ? record->name : record->account);
      g_array_append_val (self->channel_ids, record->id);
      if (record->id == selected_id)
        selected = self->channel_ids->len - 1;
    }

  self->updating++;
  gtk_drop_down_set_model (self->channel_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->channel_dropdown, selected);
  self->updating--;
  gtk_widget_set_sensitive (GTK_WIDGET (self->channel_dropdown),
                            self->channel_ids->len > 2 || selected != 0);
  /* The chosen channel disappeared: that changes what the list shows. */
  if (selected_id != 0 && selected == 0)
    emit_changed (self);
}

void
sk_inbox_filters_reset (SkInboxFilters *self)
{
  g_return_if_fail (SK_IS_INBOX_FILTERS (self));

  if (sk_inbox_filters_get_active_count (self) == 0)
    return;

  self->updating++;
  gtk_drop_down_set_selected (self->channel_dropdown, 0);
  gtk_drop_down_set_selected (self->payment_dropdown, 0);
  gtk_drop_down_set_selected (self->fulfillment_dropdown, 0);
  gtk_drop_down_set_selected (self->date_dropdown, 0);
  gtk_switch_set_active (self->hold_switch, FALSE);
  gtk_switch_set_active (self->archived_switch, FALSE);
  self->updating--;
  emit_changed (self);
}

guint
sk_inbox_filters_get_active_count (SkInboxFilters *self)
{
  guint n = 0;

  g_return_val_if_fail (SK_IS_INBOX_FILTERS (self), 0);

  n += sk_inbox_filters_get_channel_id (self) != 0;
  n += sk_inbox_filters_get_payment_status (self) >= 0;
  n += sk_inbox_filters_get_fulfillment_status (self) >= 0;
  n += sk_inbox_filters_get_date_preset (self) != SK_DATE_PRESET_ALL;
  n += sk_inbox_filters_get_only_on_hold (self);
  n += sk_inbox_filters_get_show_archived (self);
  return n;
}

void
sk_inbox_filters_apply (SkInboxFilters *self,
                        SkOrderList    *list)
{
  gint64 from = 0, to = 0;

  g_return_if_fail (SK_IS_INBOX_FILTERS (self));
  g_return_if_fail (SK_IS_ORDER_LIST (list));

  sk_inbox_date_preset_range (sk_inbox_filters_get_date_preset (self),
                              g_get_real_time () / G_USEC_PER_SEC, NULL, &from, &to);

  sk_order_list_freeze (list);
  sk_order_list_set_channel (list, sk_inbox_filters_get_channel_id (self));
  sk_order_list_set_payment_status (list, sk_inbox_filters_get_payment_status (self));
  sk_order_list_set_fulfillment_status (list, sk_inbox_filters_get_fulfillment_status (self));
  sk_order_list_set_only_on_hold (list, sk_inbox_filters_get_only_on_hold (self));
  sk_order_list_set_show_archived (list, sk_inbox_filters_get_show_archived (self));
  sk_order_list_set_date_range (list, from, to);
  sk_order_list_thaw (list);
}

gint64
sk_inbox_filters_get_channel_id (SkInboxFilters *self)
{
  guint selected;

  g_return_val_if_fail (SK_IS_INBOX_FILTERS (self), 0);

  selected = gtk_drop_down_get_selected (self->channel_dropdown);
  if (self->channel_ids == NULL || selected >= self->channel_ids->len)
    return 0;
  return g_array_index (self->channel_ids, gint64, selected);
}

int
sk_inbox_filters_get_payment_status (SkInboxFilters *self)
{
  guint selected;

  g_return_val_if_fail (SK_IS_INBOX_FILTERS (self), -1);

  selected = gtk_drop_down_get_selected (self->payment_dropdown);
  if (selected == 0 || selected > G_N_ELEMENTS (payment_choices))
    return -1;
  return payment_choices[selected - 1];
}

int
sk_inbox_filters_get_fulfillment_status (SkInboxFilters *self)
{
  guint selected;

  g_return_val_if_fail (SK_IS_INBOX_FILTERS (self), -1);

  selected = gtk_drop_down_get_selected (self->fulfillment_dropdown);
  if (selected == 0 || selected > G_N_ELEMENTS (fulfillment_choices))
    return -1;
  return fulfillment_choices[selected - 1];
}

gboolean
sk_inbox_filters_get_only_on_hold (SkInboxFilters *self)
{
  g_return_val_if_fail (SK_IS_INBOX_FILTERS (self), FALSE);

  return gtk_switch_get_active (self->hold_switch);
}

gboolean
sk_inbox_filters_get_show_archived (SkInboxFilters *self)
{
  g_return_val_if_fail (SK_IS_INBOX_FILTERS (self), FALSE);

  return gtk_switch_get_active (self->archived_switch);
}

SkDatePreset
sk_inbox_filters_get_date_preset (SkInboxFilters *self)
{
  guint selected;

  g_return_val_if_fail (SK_IS_INBOX_FILTERS (self), SK_DATE_PRESET_ALL);

  selected = gtk_drop_down_get_selected (self->date_dropdown);
  if (selected > SK_DATE_PRESET_30_DAYS)
    return SK_DATE_PRESET_ALL;
  return (SkDatePreset) selected;
}

void
sk_inbox_filters_set_only_on_hold (SkInboxFilters *self,
                                   gboolean        only_on_hold)
{
  g_return_if_fail (SK_IS_INBOX_FILTERS (self));

  gtk_switch_set_active (self->hold_switch, only_on_hold);
}

void
sk_inbox_filters_set_show_archived (SkInboxFilters *self,
                                    gboolean        show_archived)
{
  g_return_if_fail (SK_IS_INBOX_FILTERS (self));

  gtk_switch_set_active (self->archived_switch, show_archived);
}

void
sk_inbox_filters_set_date_preset (SkInboxFilters *self,
                                  SkDatePreset    preset)
{
  g_return_if_fail (SK_IS_INBOX_FILTERS (self));

  gtk_drop_down_set_selected (self->date_dropdown, preset);
}
