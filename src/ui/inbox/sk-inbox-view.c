/* sk-inbox-view.c: the order inbox: every order from every channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-column-sorter.h"
#include "sk-inbox-filters.h"
#include "sk-inbox-logic.h"
#include "sk-inbox-view.h"
#include "sk-money.h"
#include "sk-order-list.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"

/* A selection larger than this is acted on, but not examined order by
 * order for its summary and the enabled actions (select-all over a
 * million orders must not page them all in). */
#define MAX_EXAMINED 5000

typedef enum {
  COL_NUMBER,
  COL_CHANNEL,
  COL_DATE,
  COL_CUSTOMER,
  COL_DESTINATION,
  COL_ITEMS,
  COL_TOTAL,
  COL_PAYMENT,
  COL_FULFILLMENT,
  COL_HOLD,
  N_COLUMNS
} ColumnKind;

typedef struct {
  SkInboxView *self;   /* unowned: the factory lives no longer than the view */
  ColumnKind kind;
} ColumnInfo;

struct _SkInboxView
{
  GtkWidget parent_instance;

  SkContext *context;
  SkOrderList *orders;
  GtkMultiSelection *selection;
  GHashTable *channel_names;   /* gint64* → char* */
  SkInboxSelection *facts;     /* of the current selection, or NULL */
  guint n_selected;
  GCancellable *cancellable;
  AdwToast *last_toast;
  GPtrArray *undo_steps;       /* SkInboxStep of the last action, or NULL */
  guint undo_serial;
  gint64 problem_channel_id;
  gboolean applying_sort;
  gboolean at_top;
  GSimpleActionGroup *toast_actions;   /* "inbox-toast.undo", on the toast overlay */
  GtkWidget *toast_overlay;            /* unowned: an ancestor while rooted */

  GtkRevealer *problems_revealer;
  GtkLabel *problems_label;
  GtkButton *problems_button;
  GtkWidget *toolbar;
  GtkWidget *toolbar_separator;
  GtkSearchEntry *search_entry;
  GtkMenuButton *filter_button;
  SkInboxFilters *filters;
  AdwFlap *flap;
  GtkStack *content_stack;
  GtkScrolledWindow *list_scroller;
  GtkColumnView *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  AdwStatusPage *no_results_page;
  AdwStatusPage *error_page;
  GtkRevealer *selection_revealer;
  GtkLabel *selection_label;
  GtkMenuButton *hold_button;
  GtkEntry *hold_reason_entry;
  GtkButton *hold_confirm_button;
  GtkMenuButton *tag_button;
  GtkEntry *tag_entry;
  GtkListBox *tag_remove_list;
  GtkWidget *tag_remove_box;
  SkOrderPane *order_pane;
};

G_DEFINE_FINAL_TYPE (SkInboxView, sk_inbox_view, GTK_TYPE_WIDGET)

static const struct {
  const char *setting;
  SkOrderSort sort;
  ColumnKind column;   /* N_COLUMNS: no column shows it */
} sort_keys[] = {
  { "created", SK_ORDER_SORT_CREATED, COL_DATE },
  { "number", SK_ORDER_SORT_NUMBER, COL_NUMBER },
  { "customer", SK_ORDER_SORT_CUSTOMER, COL_CUSTOMER },
  { "total", SK_ORDER_SORT_TOTAL, COL_TOTAL },
  { "updated", SK_ORDER_SORT_UPDATED, N_COLUMNS },
};

static void update_selection (SkInboxView *self,
                              gboolean     user_changed);

/* Helpers */

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
is_filtering (SkInboxView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  return (text != NULL && *text != '\0') ||
         sk_inbox_filters_get_active_count (self->filters) > 0;
}

static void
show_toast (SkInboxView *self,
            AdwToast    *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_set_object (&self->last_toast, toast);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_object_ref (toast));
}

static void
show_error_toast (SkInboxView  *self,
                  const GError *error)
{
  g_autoptr(AdwToast) toast = adw_toast_new (error->message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  show_toast (self, toast);
}

/* The GtkListView inside the column view, for its list.* actions. */
static GtkWidget *
inner_list_view (SkInboxView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
scroll_to (SkInboxView *self,
           guint        position)
{
  GtkWidget *list = inner_list_view (self);

  if (list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
}

/* The selected orders as listed (SkOrder rows of the list model). */
static GPtrArray *
selected_orders (SkInboxView *self)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *orders = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, set, &position))
    do
      {
        SkOrder *order = g_list_model_get_item (G_LIST_MODEL (self->orders), position);

        if (order != NULL)
          g_ptr_array_add (orders, order);
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return orders;
}

/* The Order column's width for shop order numbers, as in the template. */
#define NUMBER_COLUMN_WIDTH 76

/* Channel names */

/* Shop order numbers ("#1042") fit the narrow default; Amazon's order IDs
 * ("113-8801234-5678901") need the width of their digits. The user may
 * still resize the column. */
static void
fit_number_column (SkInboxView *self,
                   gboolean     long_numbers)
{
  g_autoptr(PangoLayout) layout = NULL;
  int width = NUMBER_COLUMN_WIDTH;

  if (long_numbers)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      /* Numbers are bold in the list. */
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->column_view), "000-0000000-0000000");
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layout, &width, NULL);
      /* The cell's margins and a little air. */
      width = MAX (width + 36, NUMBER_COLUMN_WIDTH);
    }
  gtk_column_view_column_set_fixed_width (self->columns[COL_NUMBER], width);
}

static void
reload_channels (SkInboxView *self)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gboolean long_numbers = FALSE;

  g_hash_table_remove_all (self->channel_names);
  records = sk_store_list_channels (sk_context_get_store (self->context), &error);
  if (records == NULL)
    {
      g_warning ("Could not list the channels: %s", error->message);
      return;
    }
  for (guint i = 0; i < records->len; i++)
    {
      const SkChannelRecord *record = g_ptr_array_index (records, i);
      gint64 *key = g_new (gint64, 1);

      *key = record->id;
      g_hash_table_insert (self->channel_names, key,
                           g_strdup (record->name != NULL ? record->name : record->account));
      if (g_strcmp0 (record->kind, "amazon") == 0)
        long_numbers = TRUE;
    }
  sk_inbox_filters_set_channels (self->filters, records);
  fit_number_column (self, long_numbers);
}

/* Which page */

static void
update_page (SkInboxView *self)
{
  const GError *error = sk_order_list_get_error (self->orders);
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->orders));
  SkInboxPage page;

  page = sk_inbox_choose_page (n_items, g_hash_table_size (self->channel_names),
                               is_filtering (self), error != NULL);
  if (page == SK_INBOX_PAGE_NO_RESULTS)
    {
      g_autofree char *text = NULL;

      text = sk_inbox_no_results_text (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                                       sk_inbox_filters_get_active_count (self->filters));
      adw_status_page_set_description (self->no_results_page, text);
    }
  else if (page == SK_INBOX_PAGE_ERROR)
    adw_status_page_set_description (self->error_page, error->message);

  gtk_stack_set_visible_child_name (self->content_stack, sk_inbox_page_name (page));
  /* Nothing to search yet: no search field either. */
  gtk_widget_set_visible (self->toolbar, page != SK_INBOX_PAGE_NO_CHANNELS &&
                                         page != SK_INBOX_PAGE_NO_ORDERS);
  gtk_widget_set_visible (self->toolbar_separator, gtk_widget_get_visible (self->toolbar));
}

/* Problems row */

static void
refresh_problems (SkInboxView *self)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  problems = sk_store_list_problems (sk_context_get_store (self->context), &error);
  if (problems == NULL)
    {
      g_warning ("Could not list the open problems: %s", error->message);
      return;
    }

  text = sk_inbox_problems_text (problems);
  self->problem_channel_id = 0;
  if (text != NULL)
    {
      const SkProblem *first = g_ptr_array_index (problems, 0);

      self->problem_channel_id = first->channel_id;
      gtk_label_set_label (self->problems_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_button), self->problem_channel_id != 0);
  gtk_revealer_set_reveal_child (self->problems_revealer, text != NULL);
}

/* Cells */

static void
set_pill (GtkWidget *label,
          SkPill     pill)
{
  const char *classes[] = { "status-pill", sk_inbox_pill_css_class (pill.style), NULL };

  gtk_label_set_label (GTK_LABEL (label), pill.label);
  gtk_widget_set_css_classes (label, classes);
}

static void
bind_cell (GtkListItem *item)
{
  ColumnInfo *info = g_object_get_data (G_OBJECT (item), "sk-column");
  SkOrder *order = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  gint64 channel_id;

  if (order == NULL || child == NULL)
    return;

  switch (info->kind)
    {
    case COL_NUMBER:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), sk_order_get_number (order));
      break;

    case COL_CHANNEL:
      channel_id = sk_order_get_channel_id (order);
      gtk_inscription_set_text (GTK_INSCRIPTION (child),
                                g_hash_table_lookup (info->self->channel_names, &channel_id));
      break;

    case COL_DATE:
      text = sk_inbox_format_date (sk_order_get_created_at (order), now_unix (), NULL);
      gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
      break;

    case COL_CUSTOMER:
      gtk_inscription_set_text (GTK_INSCRIPTION (child), sk_order_get_customer_name (order));
      break;

    case COL_DESTINATION:
      text = sk_inbox_format_destination (sk_order_get_ship_city (order),
                                          sk_order_get_ship_country (order));
      gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
      break;

    case COL_ITEMS:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, sk_order_get_item_count (order));
      gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
      break;

    case COL_TOTAL:
      text = sk_money_format_display (sk_order_get_total (order), sk_order_get_currency (order));
      gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
      break;

    case COL_PAYMENT:
      set_pill (child, sk_inbox_payment_pill (sk_order_get_payment_status (order)));
      break;

    case COL_FULFILLMENT:
      if (sk_order_get_status (order) == SK_ORDER_STATUS_CANCELLED)
        set_pill (child, sk_inbox_order_status_pill (SK_ORDER_STATUS_CANCELLED));
      else
        set_pill (child, sk_inbox_fulfillment_pill (sk_order_get_fulfillment_status (order)));
      break;

    case COL_HOLD:
      if (sk_order_get_on_hold (order))
        {
          const char *reason = sk_order_get_hold_reason (order);

          /* Translators: tooltip of the hold icon in the order list */
          text = g_strdup_printf (_("On hold: %s"), reason != NULL ? reason : "");
          gtk_image_set_from_icon_name (GTK_IMAGE (child), "media-playback-pause-symbolic");
          gtk_widget_set_tooltip_text (child, text);
        }
      else
        {
          gtk_image_clear (GTK_IMAGE (child));
          /* In GTK 4.8 clearing a tooltip queries the pointer over X:
           * a round trip per bound row, so only when there is one. */
          if (gtk_widget_get_has_tooltip (child))
            gtk_widget_set_tooltip_text (child, NULL);
        }
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               ColumnInfo               *info)
{
  GtkWidget *child;

  switch (info->kind)
    {
    case COL_PAYMENT:
    case COL_FULFILLMENT:
      child = gtk_label_new (NULL);
      gtk_widget_set_halign (child, GTK_ALIGN_START);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
      break;

    case COL_HOLD:
      child = gtk_image_new ();
      gtk_widget_add_css_class (child, "hold-icon");
      break;

    case COL_NUMBER:
    case COL_CHANNEL:
    case COL_DATE:
    case COL_CUSTOMER:
    case COL_DESTINATION:
    case COL_ITEMS:
    case COL_TOTAL:
    case N_COLUMNS:
    default:
      child = gtk_inscription_new (NULL);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (child),
                                         GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_yalign (GTK_INSCRIPTION (child), 0.5);
      if (info->kind == COL_ITEMS || info->kind == COL_TOTAL)
        {
          gtk_inscription_set_xalign (GTK_INSCRIPTION (child), 1.0);
          gtk_widget_add_css_class (child, "numeric");
        }
      if (info->kind == COL_NUMBER)
        gtk_widget_add_css_class (child, "order-number");
      break;
    }

  g_object_set_data (G_OBJECT (item), "sk-column", info);
  gtk_list_item_set_child (item, child);
}

static void
on_order_changed (GtkListItem *item)
{
  bind_cell (item);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ColumnInfo               *info)
{
  SkOrder *order = gtk_list_item_get_item (item);

  bind_cell (item);
  if (order != NULL)
    g_signal_connect_object (order, "changed", G_CALLBACK (on_order_changed),
                             item, G_CONNECT_SWAPPED);
}

static void
on_cell_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                ColumnInfo               *info)
{
  SkOrder *order = gtk_list_item_get_item (item);

  if (order != NULL)
    g_signal_handlers_disconnect_by_func (order, on_order_changed, item);
}

static void
setup_column (SkInboxView *self,
              ColumnKind   kind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  ColumnInfo *info = g_new0 (ColumnInfo, 1);

  info->self = self;
  info->kind = kind;
  g_object_set_data_full (G_OBJECT (factory), "sk-column", info, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), info);
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), info);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind), info);
  gtk_column_view_column_set_factory (self->columns[kind], factory);

  for (guint i = 0; i < G_N_ELEMENTS (sort_keys); i++)
    if (sort_keys[i].column == kind)
      {
        g_autoptr(GtkSorter) sorter = sk_column_sorter_new ((int) i);

        gtk_column_view_column_set_sorter (self->columns[kind], sorter);
      }
}

static gboolean
column_shown (SkInboxView *self,
              ColumnKind   kind,
              guint       *out_position)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  guint n = g_list_model_get_n_items (columns);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (column == self->columns[kind])
        {
          if (out_position != NULL)
            *out_position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Hidden columns are taken out rather than made invisible: GTK 4.8 still
 * counts an invisible column's fixed width when it shares out the width,
 * and the remaining columns would not fill the list. (The template keeps
 * a reference to every column, so one taken out stays alive.) */
static void
show_column (SkInboxView *self,
             ColumnKind   kind,
             gboolean     show)
{
  guint position = 0;

  if (column_shown (self, kind, NULL) == show)
    return;
  if (!show)
    {
      gtk_column_view_remove_column (self->column_view, self->columns[kind]);
      return;
    }
  for (int before = (int) kind - 1; before >= 0; before--)
    if (column_shown (self, before, &position))
      {
        position++;
        break;
      }
  gtk_column_view_insert_column (self->column_view, position, self->columns[kind]);
}

/* Beside the pane, or in a narrow window, the list keeps what tells
 * orders apart; the pane shows the rest. */
static void
update_columns (SkInboxView *self)
{
  gboolean narrow = adw_flap_get_folded (self->flap);
  gboolean compact = narrow || adw_flap_get_reveal_flap (self->flap);

  show_column (self, COL_CHANNEL, !compact);
  show_column (self, COL_DESTINATION, !compact);
  show_column (self, COL_ITEMS, !compact);
  show_column (self, COL_PAYMENT, !narrow);
}

static void
on_flap_layout_changed (SkInboxView *self)
{
  update_columns (self);
}

/* Sorting: the column view's sorter only says which column; SQL sorts. */

static void
apply_sort (SkInboxView *self,
            guint        key,
            gboolean     descending)
{
  GSettings *settings = sk_context_get_settings (self->context);

  sk_order_list_set_sort (self->orders, sort_keys[key].sort, descending);
  if (settings != NULL)
    {
      g_settings_set_string (settings, "inbox-sort", sort_keys[key].setting);
      g_settings_set_boolean (settings, "inbox-sort-descending", descending);
    }
}

static void
on_column_sorter_changed (SkInboxView *self)
{
  int key;
  gboolean descending;

  if (self->applying_sort)
    return;
  if (!sk_column_sorter_probe (gtk_column_view_get_sorter (self->column_view),
                               &key, &descending))
    {
      key = 0;
      descending = TRUE;
    }
  apply_sort (self, (guint) key, descending);
}

static void
restore_sort (SkInboxView *self)
{
  GSettings *settings = sk_context_get_settings (self->context);
  g_autofree char *name = NULL;
  gboolean descending = TRUE;
  guint key = 0;

  if (settings != NULL)
    {
      name = g_settings_get_string (settings, "inbox-sort");
      descending = g_settings_get_boolean (settings, "inbox-sort-descending");
    }
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (sort_keys); i++)
    if (g_str_equal (name, sort_keys[i].setting))
      key = i;

  sk_order_list_set_sort (self->orders, sort_keys[key].sort, descending);
  self->applying_sort = TRUE;
  if (sort_keys[key].column != N_COLUMNS)
    gtk_column_view_sort_by_column (self->column_view,
                                    self->columns[sort_keys[key].column],
                                    descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  self->applying_sort = FALSE;
}

/* Selection and actions */

static void
update_actions (SkInboxView *self)
{
  SkInboxActionFlags flags = 0;
  gboolean any = self->n_selected > 0;

  if (self->facts != NULL)
    flags = sk_inbox_selection_get_actions (self->facts);
  else if (any)
    flags = SK_INBOX_CAN_HOLD | SK_INBOX_CAN_RELEASE | SK_INBOX_CAN_ADD_TAG |
            SK_INBOX_CAN_REMOVE_TAG | SK_INBOX_CAN_ARCHIVE | SK_INBOX_CAN_UNARCHIVE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.hold", (flags & SK_INBOX_CAN_HOLD) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.hold-with-reason", (flags & SK_INBOX_CAN_HOLD) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.release", (flags & SK_INBOX_CAN_RELEASE) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.tag", (flags & SK_INBOX_CAN_ADD_TAG) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.add-tag", (flags & SK_INBOX_CAN_ADD_TAG) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.remove-tag", (flags & SK_INBOX_CAN_REMOVE_TAG) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.archive", (flags & SK_INBOX_CAN_ARCHIVE) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.unarchive", (flags & SK_INBOX_CAN_UNARCHIVE) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.unselect", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.undo-last", self->undo_steps != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.clear-filters", is_filtering (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.mark-shipped",
                                 self->n_selected == 1 &&
                                 sk_order_pane_get_can_ship (self->order_pane));

  gtk_widget_set_sensitive (GTK_WIDGET (self->hold_button), (flags & SK_INBOX_CAN_HOLD) != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->tag_button), (flags & SK_INBOX_CAN_ADD_TAG) != 0);
}

/* @user_changed: the selection itself changed (not just the rows under
 * it); only then may a folded pane pop up again. */
static void
update_selection (SkInboxView *self,
                  gboolean     user_changed)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (set);
  g_autofree char *summary = NULL;

  g_clear_pointer (&self->facts, sk_inbox_selection_free);
  self->n_selected = (guint) MIN (n, G_MAXUINT);

  if (n > 0 && n <= MAX_EXAMINED)
    {
      g_autoptr(GPtrArray) orders = selected_orders (self);

      self->facts = sk_inbox_selection_new ();
      for (guint i = 0; i < orders->len; i++)
        sk_inbox_selection_add (self->facts, g_ptr_array_index (orders, i));
      summary = sk_inbox_selection_summary (self->facts);
    }
  else if (n > 0)
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order selected",
                                            "%u orders selected", self->n_selected),
                               self->n_selected);

  if (n == 1)
    {
      g_autoptr(SkOrder) order = g_list_model_get_item (G_LIST_MODEL (self->orders),
                                                        gtk_bitset_get_minimum (set));

      sk_order_pane_show_order (self->order_pane, order != NULL ? sk_order_get_id (order) : 0);
    }
  else if (n > 1)
    sk_order_pane_show_summary (self->order_pane, self->n_selected);
  else
    sk_order_pane_show_order (self->order_pane, 0);

  gtk_label_set_label (self->selection_label, summary != NULL ? summary : "");
  gtk_revealer_set_reveal_child (self->selection_revealer, n > 0);
  if (user_changed || n == 0)
    adw_flap_set_reveal_flap (self->flap, n > 0);
  update_actions (self);
}

static void
on_selection_changed (SkInboxView *self)
{
  update_selection (self, TRUE);
}

static void
on_orders_items_changed (SkInboxView *self,
                         guint        position,
                         guint        removed,
                         guint        added)
{
  /* GTK keeps the first visible row in place when rows are inserted above
   * it; an inbox read from the top shows new orders instead. */
  if (self->at_top && added > 0 && g_list_model_get_n_items (G_LIST_MODEL (self->orders)) > 0)
    scroll_to (self, 0);
  update_page (self);
  if (self->n_selected > 0 || removed > 0)
    update_selection (self, FALSE);
}

/* Applying actions */

typedef struct {
  SkInboxView *self;
  SkOrderAction action;
  char *arg;
  char *number;
  GPtrArray *undo;       /* SkInboxStep, or NULL for an undo itself */
  GPtrArray *steps;      /* when undoing: the steps, run one by one */
  guint step;
  guint changed;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->self);
  g_free (data->arg);
  g_free (data->number);
  g_clear_pointer (&data->undo, g_ptr_array_unref);
  g_clear_pointer (&data->steps, g_ptr_array_unref);
  g_free (data);
}

static void
toast_result (SkInboxView *self,
              ApplyData   *data,
              gboolean     offer_undo)
{
  g_autofree char *text = sk_inbox_action_toast (data->action, data->arg,
                                                 data->changed, data->number);
  g_autoptr(AdwToast) toast = adw_toast_new (text);

  if (offer_undo)
    {
      self->undo_serial++;
      g_clear_pointer (&self->undo_steps, g_ptr_array_unref);
      self->undo_steps = g_steal_pointer (&data->undo);
      adw_toast_set_button_label (toast, _("_Undo"));
      /* The toast lives in an ancestor (the window's overlay), which does
       * not see this widget's actions: see sk_inbox_view_root(). */
      adw_toast_set_action_name (toast, "inbox-toast.undo");
      adw_toast_set_action_target_value (toast, g_variant_new_uint32 (self->undo_serial));
    }
  show_toast (self, toast);
  update_actions (self);
}

static void
on_action_applied (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ApplyData *data = user_data;
  SkInboxView *self = data->self;
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  if (!sk_store_apply_action_finish (SK_STORE (source), result, &changed, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_toast (self, error);
      apply_data_free (data);
      return;
    }

  data->changed = changed;
  toast_result (self, data, changed > 0 && data->undo != NULL && data->undo->len > 0);
  /* The listed rows refresh through the store's changed signal; the
   * enabled actions depend on them. */
  update_selection (self, FALSE);
  apply_data_free (data);
}

static void
apply_action (SkInboxView   *self,
              SkOrderAction  action,
              const char    *arg)
{
  g_autoptr(GPtrArray) orders = selected_orders (self);
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), orders->len);
  ApplyData *data;

  if (orders->len == 0)
    return;

  for (guint i = 0; i < orders->len; i++)
    {
      gint64 id = sk_order_get_id (g_ptr_array_index (orders, i));

      g_array_append_val (ids, id);
    }

  data = g_new0 (ApplyData, 1);
  data->self = g_object_ref (self);
  data->action = action;
  data->arg = g_strdup (arg);
  if (orders->len == 1)
    data->number = g_strdup (sk_order_get_number (g_ptr_array_index (orders, 0)));
  /* Planned before the change: the listed rows are refreshed in place. */
  data->undo = sk_inbox_plan_undo (action, arg, orders);

  sk_store_apply_action_async (sk_context_get_store (self->context),
                               (const gint64 *) (gpointer) ids->data, ids->len,
                               action, arg, "user", self->cancellable,
                               on_action_applied, data);
}

static void run_undo_step (ApplyData *data);

static void
on_undo_step_applied (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ApplyData *data = user_data;
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  if (!sk_store_apply_action_finish (SK_STORE (source), result, &changed, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_toast (data->self, error);
      apply_data_free (data);
      return;
    }

  data->changed += changed;
  data->step++;
  if (data->step < data->steps->len)
    {
      run_undo_step (data);
      return;
    }

  toast_result (data->self, data, FALSE);
  update_selection (data->self, FALSE);
  apply_data_free (data);
}

static void
run_undo_step (ApplyData *data)
{
  SkInboxStep *step = g_ptr_array_index (data->steps, data->step);

  data->action = step->action;
  g_free (data->arg);
  data->arg = g_strdup (step->arg);
  sk_store_apply_action_async (sk_context_get_store (data->self->context),
                               (const gint64 *) (gpointer) step->order_ids->data,
                               step->order_ids->len, step->action, step->arg, "user",
                               data->self->cancellable, on_undo_step_applied, data);
}

static void
undo (SkInboxView *self)
{
  SkInboxStep *first;
  ApplyData *data;

  if (self->undo_steps == NULL || self->undo_steps->len == 0)
    return;

  data = g_new0 (ApplyData, 1);
  data->self = g_object_ref (self);
  data->steps = g_steal_pointer (&self->undo_steps);
  first = g_ptr_array_index (data->steps, 0);
  if (data->steps->len == 1 && first->order_ids->len == 1)
    {
      /* One order: name it in the toast, as the action's toast did. */
      guint position = sk_order_list_find (self->orders,
                                           g_array_index (first->order_ids, gint64, 0));
      g_autoptr(SkOrder) order = NULL;

      if (position != G_MAXUINT)
        order = g_list_model_get_item (G_LIST_MODEL (self->orders), position);
      if (order != NULL)
        data->number = g_strdup (sk_order_get_number (order));
    }
  self->undo_serial++;
  update_actions (self);
  run_undo_step (data);
}

/* Signal callbacks */

static void
on_store_changed (SkInboxView   *self,
                  SkStoreChange *change)
{
  gint64 shown = sk_order_pane_get_order_id (self->order_pane);

  if (change->flags & SK_STORE_CHANGE_CHANNELS)
    {
      reload_channels (self);
      update_page (self);
    }
  if (change->flags & SK_STORE_CHANGE_EXCEPTIONS)
    refresh_problems (self);

  if (shown != 0 && change->updated_orders != NULL)
    for (guint i = 0; i < change->updated_orders->len; i++)
      if (g_array_index (change->updated_orders, gint64, i) == shown)
        {
          sk_order_pane_reload (self->order_pane);
          break;
        }
}

static void
on_list_scrolled (SkInboxView *self)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->list_scroller);

  self->at_top = gtk_adjustment_get_value (vadj) <= gtk_adjustment_get_lower (vadj) + 1.0;
}

static void
on_search_entry_search_changed (SkInboxView *self)
{
  sk_order_list_set_search (self->orders, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_page (self);
  update_actions (self);
}

static void
on_search_entry_stop_search (SkInboxView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_search_entry_activate (SkInboxView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->orders)) == 0)
    return;
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), 0, TRUE);
  scroll_to (self, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
on_filters_changed (SkInboxView *self)
{
  guint n = sk_inbox_filters_get_active_count (self->filters);

  sk_inbox_filters_apply (self->filters, self->orders);
  if (n > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "filters-active");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "filters-active");
  update_page (self);
  update_actions (self);
}

static void
on_hold_reason_entry_changed (SkInboxView *self)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->hold_reason_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->hold_confirm_button), *reason != '\0');
}

static void
on_hold_confirm_button_clicked (SkInboxView *self)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->hold_reason_entry))));

  if (*reason == '\0')
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->hold_reason_entry), "");
  gtk_menu_button_popdown (self->hold_button);
  apply_action (self, SK_ORDER_ACTION_HOLD, reason);
}

static void
on_hold_popover_show (SkInboxView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->hold_reason_entry));
}

static void
on_tag_entry_activate (SkInboxView *self)
{
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));

  if (*tag == '\0')
    return;
  gtk_menu_button_popdown (self->tag_button);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  apply_action (self, SK_ORDER_ACTION_ADD_TAG, tag);
}

static GtkWidget *
tag_remove_row (const char *tag)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *tip = g_strdup_printf (_("Remove the tag “%s” from the selected orders"), tag);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tag);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "inbox.remove-tag");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (tag));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
on_tag_popover_show (SkInboxView *self)
{
  const char * const *tags = self->facts != NULL ? sk_inbox_selection_get_tags (self->facts) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tag_remove_list))) != NULL)
    gtk_list_box_remove (self->tag_remove_list, child);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    gtk_list_box_append (self->tag_remove_list, tag_remove_row (tags[i]));
  gtk_widget_set_visible (self->tag_remove_box, tags != NULL && tags[0] != NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->tag_entry));
}

/* Actions */

static void
action_search (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  sk_inbox_view_focus_search (SK_INBOX_VIEW (widget));
}

static void
select_relative (SkInboxView *self,
                 int          delta)
{
  g_autoptr(GtkBitset) set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->orders));
  guint target;

  if (n == 0)
    return;

  if (gtk_bitset_is_empty (set))
    target = delta > 0 ? 0 : n - 1;
  else if (delta > 0)
    target = MIN (gtk_bitset_get_maximum (set) + 1, n - 1);
  else
    target = gtk_bitset_get_minimum (set) > 0 ? gtk_bitset_get_minimum (set) - 1 : 0;

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), target, TRUE);
  scroll_to (self, target);
}

static void
action_next (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  select_relative (SK_INBOX_VIEW (widget), 1);
}

static void
action_previous (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  select_relative (SK_INBOX_VIEW (widget), -1);
}

static void
action_hold (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  gtk_revealer_set_reveal_child (self->selection_revealer, TRUE);
  gtk_menu_button_popup (self->hold_button);
}

static void
action_hold_with_reason (GtkWidget  *widget,
                         const char *name,
                         GVariant   *param)
{
  g_autofree char *reason = g_strstrip (g_variant_dup_string (param, NULL));

  if (*reason == '\0')
    return;
  apply_action (SK_INBOX_VIEW (widget), SK_ORDER_ACTION_HOLD, reason);
}

static void
action_release (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  apply_action (SK_INBOX_VIEW (widget), SK_ORDER_ACTION_RELEASE, NULL);
}

static void
action_tag (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  gtk_revealer_set_reveal_child (self->selection_revealer, TRUE);
  gtk_menu_button_popup (self->tag_button);
}

static void
action_add_tag (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  g_autofree char *tag = g_strstrip (g_variant_dup_string (param, NULL));

  if (*tag == '\0')
    return;
  apply_action (SK_INBOX_VIEW (widget), SK_ORDER_ACTION_ADD_TAG, tag);
}

static void
action_remove_tag (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);
  const char *tag = g_variant_get_string (param, NULL);

  gtk_menu_button_popdown (self->tag_button);
  apply_action (self, SK_ORDER_ACTION_REMOVE_TAG, tag);
}

static void
action_archive (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  apply_action (SK_INBOX_VIEW (widget), SK_ORDER_ACTION_ARCHIVE, NULL);
}

static void
action_unarchive (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  apply_action (SK_INBOX_VIEW (widget), SK_ORDER_ACTION_UNARCHIVE, NULL);
}

static void
action_undo (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  /* Only the newest action can be undone: older toasts' buttons do nothing. */
  if (g_variant_get_uint32 (param) == self->undo_serial)
    undo (self);
}

static void
on_toast_undo_activate (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  SkInboxView *self = user_data;

  if (g_variant_get_uint32 (param) == self->undo_serial)
    undo (self);
}

/* S: the pane's "Mark as Shipped…" for the one selected order. */
static void
action_mark_shipped (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  if (self->n_selected != 1)
    return;
  adw_flap_set_reveal_flap (self->flap, TRUE);
  sk_order_pane_mark_shipped (self->order_pane);
}

static void
action_undo_last (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  if (self->last_toast != NULL)
    adw_toast_dismiss (self->last_toast);
  undo (self);
}

static void
action_unselect (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

static void
action_clear_filters (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  sk_inbox_filters_reset (self->filters);
  sk_order_list_set_search (self->orders, NULL);
  update_page (self);
  update_actions (self);
}

static void
action_show_problem (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  if (self->problem_channel_id != 0)
    gtk_widget_activate_action (widget, "app.show-channel", "x", self->problem_channel_id);
}

/* GObject */

static void
sk_inbox_view_constructed (GObject *object)
{
  SkInboxView *self = SK_INBOX_VIEW (object);
  SkStore *store;

  G_OBJECT_CLASS (sk_inbox_view_parent_class)->constructed (object);

  g_assert (SK_IS_CONTEXT (self->context));
  store = sk_context_get_store (self->context);

  for (guint i = 0; i < N_COLUMNS; i++)
    setup_column (self, i);

  reload_channels (self);

  self->orders = sk_order_list_new (store);
  sk_order_list_freeze (self->orders);
  restore_sort (self);
  sk_inbox_filters_apply (self->filters, self->orders);
  sk_order_list_thaw (self->orders);

  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->orders)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->orders, "items-changed",
                           G_CALLBACK (on_orders_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_column_sorter_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->flap, "notify::reveal-flap",
                           G_CALLBACK (on_flap_layout_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::folded",
                           G_CALLBACK (on_flap_layout_changed), self, G_CONNECT_SWAPPED);

  self->at_top = TRUE;
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->list_scroller), "value-changed",
                           G_CALLBACK (on_list_scrolled), self, G_CONNECT_SWAPPED);

  sk_order_pane_set_context (self->order_pane, self->context);
  g_signal_connect_object (self->order_pane, "notify::can-ship",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  refresh_problems (self);
  update_page (self);
  update_selection (self, FALSE);
}

static void
sk_inbox_view_dispose (GObject *object)
{
  SkInboxView *self = SK_INBOX_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  /* Nothing may reach the half-disposed widgets below. */
  if (self->orders != NULL)
    g_signal_handlers_disconnect_by_data (self->orders, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (sk_context_get_store (self->context), self);
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_INBOX_VIEW);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->toast_actions);
  g_clear_object (&self->selection);
  g_clear_object (&self->orders);
  g_clear_object (&self->last_toast);
  g_clear_pointer (&self->undo_steps, g_ptr_array_unref);
  g_clear_pointer (&self->facts, sk_inbox_selection_free);

  G_OBJECT_CLASS (sk_inbox_view_parent_class)->dispose (object);
}

static void
sk_inbox_view_finalize (GObject *object)
{
  SkInboxView *self = SK_INBOX_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  g_clear_pointer (&self->channel_names, g_hash_table_unref);

  G_OBJECT_CLASS (sk_inbox_view_parent_class)->finalize (object);
}

static void
sk_inbox_view_root (GtkWidget *widget)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  GTK_WIDGET_CLASS (sk_inbox_view_parent_class)->root (widget);

  self->toast_overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (self->toast_overlay != NULL)
    gtk_widget_insert_action_group (self->toast_overlay, "inbox-toast",
                                    G_ACTION_GROUP (self->toast_actions));
}

static void
sk_inbox_view_unroot (GtkWidget *widget)
{
  SkInboxView *self = SK_INBOX_VIEW (widget);

  if (self->toast_overlay != NULL)
    gtk_widget_insert_action_group (self->toast_overlay, "inbox-toast", NULL);
  self->toast_overlay = NULL;

  GTK_WIDGET_CLASS (sk_inbox_view_parent_class)->unroot (widget);
}

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sk_inbox_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SkInboxView *self = SK_INBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_inbox_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SkInboxView *self = SK_INBOX_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_inbox_view_class_init (SkInboxViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sk_inbox_view_constructed;
  object_class->dispose = sk_inbox_view_dispose;
  object_class->finalize = sk_inbox_view_finalize;
  object_class->get_property = sk_inbox_view_get_property;
  object_class->set_property = sk_inbox_view_set_property;
  widget_class->root = sk_inbox_view_root;
  widget_class->unroot = sk_inbox_view_unroot;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, SK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SK_TYPE_INBOX_FILTERS);
  g_type_ensure (SK_TYPE_ORDER_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-inbox-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inboxview");

  gtk_widget_class_bind_template_child (widget_class, SkInboxView, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, problems_label);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, problems_button);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, toolbar_separator);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, filters);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, flap);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, column_view);
  gtk_widget_class_bind_template_child_full (widget_class, "number_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_NUMBER]));
  gtk_widget_class_bind_template_child_full (widget_class, "channel_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_CHANNEL]));
  gtk_widget_class_bind_template_child_full (widget_class, "date_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_DATE]));
  gtk_widget_class_bind_template_child_full (widget_class, "customer_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_CUSTOMER]));
  gtk_widget_class_bind_template_child_full (widget_class, "destination_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_DESTINATION]));
  gtk_widget_class_bind_template_child_full (widget_class, "items_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_ITEMS]));
  gtk_widget_class_bind_template_child_full (widget_class, "total_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_TOTAL]));
  gtk_widget_class_bind_template_child_full (widget_class, "payment_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_PAYMENT]));
  gtk_widget_class_bind_template_child_full (widget_class, "fulfillment_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_FULFILLMENT]));
  gtk_widget_class_bind_template_child_full (widget_class, "hold_column", FALSE,
      G_STRUCT_OFFSET (SkInboxView, columns[COL_HOLD]));
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, error_page);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, selection_revealer);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, selection_label);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, hold_button);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, hold_reason_entry);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, hold_confirm_button);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, tag_button);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, tag_remove_list);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, tag_remove_box);
  gtk_widget_class_bind_template_child (widget_class, SkInboxView, order_pane);

  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_filters_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_reason_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_confirm_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_popover_show);

  gtk_widget_class_install_action (widget_class, "inbox.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "inbox.next", NULL, action_next);
  gtk_widget_class_install_action (widget_class, "inbox.previous", NULL, action_previous);
  gtk_widget_class_install_action (widget_class, "inbox.hold", NULL, action_hold);
  gtk_widget_class_install_action (widget_class, "inbox.hold-with-reason", "s", action_hold_with_reason);
  gtk_widget_class_install_action (widget_class, "inbox.release", NULL, action_release);
  gtk_widget_class_install_action (widget_class, "inbox.tag", NULL, action_tag);
  gtk_widget_class_install_action (widget_class, "inbox.add-tag", "s", action_add_tag);
  gtk_widget_class_install_action (widget_class, "inbox.remove-tag", "s", action_remove_tag);
  gtk_widget_class_install_action (widget_class, "inbox.archive", NULL, action_archive);
  gtk_widget_class_install_action (widget_class, "inbox.unarchive", NULL, action_unarchive);
  gtk_widget_class_install_action (widget_class, "inbox.undo", "u", action_undo);
  gtk_widget_class_install_action (widget_class, "inbox.undo-last", NULL, action_undo_last);
  gtk_widget_class_install_action (widget_class, "inbox.unselect", NULL, action_unselect);
  gtk_widget_class_install_action (widget_class, "inbox.clear-filters", NULL, action_clear_filters);
  gtk_widget_class_install_action (widget_class, "inbox.show-problem", NULL, action_show_problem);
  gtk_widget_class_install_action (widget_class, "inbox.mark-shipped", NULL, action_mark_shipped);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "inbox.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "inbox.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "inbox.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "inbox.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "inbox.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, 0, "inbox.hold", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_H, GDK_SHIFT_MASK, "inbox.release", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, 0, "inbox.tag", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, 0, "inbox.archive", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "inbox.archive", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_E, GDK_SHIFT_MASK, "inbox.unarchive", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "inbox.undo-last", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "inbox.unselect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "inbox.mark-shipped", NULL);
}

static void
sk_inbox_view_init (SkInboxView *self)
{
  const GActionEntry toast_entries[] = {
    { "undo", on_toast_undo_activate, "u" },
  };

  self->toast_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->toast_actions), toast_entries,
                                   G_N_ELEMENTS (toast_entries), self);
  self->cancellable = g_cancellable_new ();
  self->channel_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
}

GtkWidget *
sk_inbox_view_new (SkContext *context)
{
  g_return_val_if_fail (SK_IS_CONTEXT (context), NULL);

  return g_object_new (SK_TYPE_INBOX_VIEW, "context", context, NULL);
}

SkContext *
sk_inbox_view_get_context (SkInboxView *self)
{
  g_return_val_if_fail (SK_IS_INBOX_VIEW (self), NULL);

  return self->context;
}

GListModel *
sk_inbox_view_get_model (SkInboxView *self)
{
  g_return_val_if_fail (SK_IS_INBOX_VIEW (self), NULL);

  return G_LIST_MODEL (self->orders);
}

GtkSelectionModel *
sk_inbox_view_get_selection (SkInboxView *self)
{
  g_return_val_if_fail (SK_IS_INBOX_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

SkOrderPane *
sk_inbox_view_get_order_pane (SkInboxView *self)
{
  g_return_val_if_fail (SK_IS_INBOX_VIEW (self), NULL);

  return self->order_pane;
}

void
sk_inbox_view_focus_search (SkInboxView *self)
{
  g_return_if_fail (SK_IS_INBOX_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

void
sk_inbox_view_set_search_text (SkInboxView *self,
                               const char  *text)
{
  g_return_if_fail (SK_IS_INBOX_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
}

const char *
sk_inbox_view_get_visible_page (SkInboxView *self)
{
  g_return_val_if_fail (SK_IS_INBOX_VIEW (self), NULL);

  return gtk_stack_get_visible_child_name (self->content_stack);
}

AdwToast *
sk_inbox_view_get_last_toast (SkInboxView *self)
{
  g_return_val_if_fail (SK_IS_INBOX_VIEW (self), NULL);

  return self->last_toast;
}
