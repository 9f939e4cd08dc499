/* sk-unmatched-queue.c: channel listings waiting to be matched to a SKU
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-inventory-logic.h"
#include "sk-sku-list.h"
#include "sk-store-inventory.h"
#include "sk-unmatched-queue.h"

#define MAX_RESULTS 8

struct _SkUnmatchedQueue
{
  AdwBin parent_instance;

  SkContext *context;
  SkSkuList *skus;            /* what "Match to SKU…" searches */
  GArray *listing_ids;        /* gint64, as listed */
  AdwToast *last_toast;
  GtkPopover *open_popover;   /* unowned, while one is shown */
  gboolean reload_pending;

  GtkStack *stack;
  GtkListBox *list;
  AdwStatusPage *error_page;
  GtkLabel *title_label;
};

G_DEFINE_FINAL_TYPE (SkUnmatchedQueue, sk_unmatched_queue, ADW_TYPE_BIN)

static SkStore *
store (SkUnmatchedQueue *self)
{
  return sk_context_get_store (self->context);
}

static void
show_toast (SkUnmatchedQueue *self,
            AdwToast         *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_set_object (&self->last_toast, toast);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), g_object_ref (toast));
}

static void
show_error_toast (SkUnmatchedQueue *self,
                  const GError     *error)
{
  g_autoptr(AdwToast) toast = adw_toast_new (error->message);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  show_toast (self, toast);
}

static GtkWidget *
find_row (SkUnmatchedQueue *self,
          gint64            listing_id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      gint64 *id = g_object_get_data (G_OBJECT (row), "sk-listing-id");

      if (id != NULL && *id == listing_id)
        return row;
    }
  return NULL;
}

/* Undo */

typedef struct {
  SkUnmatchedQueue *self;   /* owned */
  gint64 listing_id;
} UndoData;

static void
undo_data_free (gpointer data,
                GClosure *closure)
{
  UndoData *undo = data;

  g_clear_object (&undo->self);
  g_free (undo);
}

static void
on_undo_clicked (AdwToast *toast,
                 UndoData *undo)
{
  g_autoptr(GError) error = NULL;

  if (!sk_store_unmatch_listing (store (undo->self), undo->listing_id, &error))
    show_error_toast (undo->self, error);
  else
    sk_unmatched_queue_reload (undo->self);
}

static void
toast_with_undo (SkUnmatchedQueue *self,
                 const char       *title,
                 gint64            listing_id)
{
  g_autoptr(AdwToast) toast = adw_toast_new (title);
  UndoData *undo = g_new0 (UndoData, 1);

  undo->self = g_object_ref (self);
  undo->listing_id = listing_id;
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_clicked),
                         undo, undo_data_free, 0);
  show_toast (self, toast);
}

/* The "Match to SKU…" popover */

static void
fill_results (SkUnmatchedQueue *self,
              GtkListBox       *results,
              GtkWidget        *none_label)
{
  GtkWidget *child;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->skus));
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (results))) != NULL)
    gtk_list_box_remove (results, child);
  for (guint i = 0; i < n && i < MAX_RESULTS * 4; i++)
    {
      g_autoptr(SkSkuItem) item = g_list_model_get_item (G_LIST_MODEL (self->skus), i);
      g_autoptr(GString) subtitle = NULL;
      g_autofree char *available = NULL;
      g_autofree char *count_text = NULL;
      const char *variant;
      GtkWidget *row;
      GtkWidget *count;
      gint64 id;

      /* Kits hold no stock: a listing sells one through its components,
       * but is matched to the kit SKU itself, so kits are offered too. */
      if (item == NULL || sk_sku_item_get_id (item) == 0)
        continue;
      if (shown++ == MAX_RESULTS)
        break;
      id = sk_sku_item_get_id (item);
      subtitle = g_string_new (sk_sku_item_get_title (item));
      variant = sk_sku_item_get_variant_title (item);
      if (variant != NULL && *variant != '\0')
        g_string_append_printf (subtitle, " · %s", variant);
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sk_sku_item_get_sku (item));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      available = sk_inventory_format_count (sk_sku_item_get_available (item));
      /* Translators: beside a SKU in the match search, "10 available" */
      count_text = g_strdup_printf (_("%s available"), available);
      count = gtk_label_new (count_text);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "sk-sku-id", g_memdup2 (&id, sizeof id), g_free);
      gtk_list_box_append (results, row);
    }
  gtk_widget_set_visible (none_label, gtk_widget_get_first_child (GTK_WIDGET (results)) == NULL);
}

static void
on_match_search_changed (GtkSearchEntry *entry,
                         GtkWidget      *popover)
{
  SkUnmatchedQueue *self = g_object_get_data (G_OBJECT (popover), "sk-queue");

  sk_sku_list_set_search (self->skus, gtk_editable_get_text (GTK_EDITABLE (entry)));
  fill_results (self, g_object_get_data (G_OBJECT (popover), "sk-results"),
                g_object_get_data (G_OBJECT (popover), "sk-none"));
}

static void
on_match_search_activate (GtkSearchEntry *entry,
                          GtkWidget      *popover)
{
  GtkListBox *results = g_object_get_data (G_OBJECT (popover), "sk-results");
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (results, 0);

  if (first != NULL)
    g_signal_emit_by_name (results, "row-activated", first);
}

static void
on_result_activated (GtkListBox    *results,
                     GtkListBoxRow *row,
                     GtkWidget     *popover)
{
  SkUnmatchedQueue *self = g_object_get_data (G_OBJECT (popover), "sk-queue");
  gint64 *listing_id = g_object_get_data (G_OBJECT (popover), "sk-listing-id");
  gint64 *sku_id = g_object_get_data (G_OBJECT (row), "sk-sku-id");

  if (sku_id == NULL || listing_id == NULL)
    return;
  gtk_popover_popdown (GTK_POPOVER (popover));
  sk_unmatched_queue_match (self, *listing_id, *sku_id);
}

static void
on_popover_shown (GtkWidget        *popover,
                  SkUnmatchedQueue *self)
{
  GtkWidget *entry = g_object_get_data (G_OBJECT (popover), "sk-entry");

  self->open_popover = GTK_POPOVER (popover);
  on_match_search_changed (GTK_SEARCH_ENTRY (entry), popover);
  gtk_widget_grab_focus (entry);
}

static gboolean
reload_idle (gpointer data)
{
  SkUnmatchedQueue *self = data;

  if (self->reload_pending && self->open_popover == NULL)
    sk_unmatched_queue_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_popover_closed (GtkWidget        *popover,
                   SkUnmatchedQueue *self)
{
  if (self->open_popover == GTK_POPOVER (popover))
    self->open_popover = NULL;
  /* Not from inside the popover's own signal: the reload destroys it. */
  if (self->reload_pending)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle, g_object_ref (self), g_object_unref);
}

static GtkWidget *
match_popover_new (SkUnmatchedQueue *self,
                   const SkListing  *listing)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *heading = gtk_label_new (_("Match to SKU"));
  GtkWidget *entry = gtk_search_entry_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *results = gtk_list_box_new ();
  GtkWidget *none = gtk_label_new (_("No SKU matches. Try part of the SKU, the title or the barcode."));
  g_autofree char *search = sk_inventory_match_search_text (listing);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_size_request (box, 340, -1);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_editable_set_text (GTK_EDITABLE (entry), search);
  g_object_set (entry, "placeholder-text", _("Search SKUs, titles, barcodes"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search the SKUs"), -1);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (results), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (results, "boxed-list");
  /* Room for the list's outline and shadow inside the scrolled window. */
  gtk_widget_set_margin_start (results, 1);
  gtk_widget_set_margin_end (results, 1);
  gtk_widget_set_margin_top (results, 1);
  gtk_widget_set_margin_bottom (results, 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (results), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("SKUs found"), -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), results);
  gtk_label_set_wrap (GTK_LABEL (none), TRUE);
  gtk_label_set_xalign (GTK_LABEL (none), 0);
  gtk_widget_add_css_class (none, "dim-label");

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), none);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  g_object_set_data (G_OBJECT (popover), "sk-queue", self);
  g_object_set_data (G_OBJECT (popover), "sk-entry", entry);
  g_object_set_data (G_OBJECT (popover), "sk-results", results);
  g_object_set_data (G_OBJECT (popover), "sk-none", none);
  g_object_set_data_full (G_OBJECT (popover), "sk-listing-id",
                          g_memdup2 (&listing->id, sizeof listing->id), g_free);
  g_signal_connect (entry, "search-changed", G_CALLBACK (on_match_search_changed), popover);
  g_signal_connect (entry, "activate", G_CALLBACK (on_match_search_activate), popover);
  g_signal_connect (results, "row-activated", G_CALLBACK (on_result_activated), popover);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_popover_shown), self, 0);
  g_signal_connect_object (popover, "closed", G_CALLBACK (on_popover_closed), self, 0);
  return popover;
}

/* Rows */

static void
on_ignore_clicked (GtkButton        *button,
                   SkUnmatchedQueue *self)
{
  gint64 *listing_id = g_object_get_data (G_OBJECT (button), "sk-listing-id");

  sk_unmatched_queue_ignore (self, *listing_id);
}

static GtkWidget *
listing_row (SkUnmatchedQueue *self,
             const SkListing  *listing)
{
  g_autofree char *subtitle = sk_inventory_unmatched_subtitle (listing);
  g_autofree char *shown = NULL;
  const char *title = listing->title != NULL && *listing->title != '\0' ? listing->title
                                                                         : _("Untitled listing");
  g_autofree char *match_tip = g_strdup_printf (_("Choose the SKU “%s” sells"), title);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *match = gtk_menu_button_new ();
  GtkWidget *ignore = gtk_button_new_with_mnemonic (_("_Ignore"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* Why the catalog pull could not match it, such as a barcode two
   * variants share, on a line of its own. */
  if (listing->match_why != NULL && *listing->match_why != '\0')
    shown = g_strconcat (subtitle, "\n", listing->match_why, NULL);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown != NULL ? shown : subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  gtk_menu_button_set_label (GTK_MENU_BUTTON (match), _("Match to SKU…"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (match), TRUE);
  gtk_menu_button_set_always_show_arrow (GTK_MENU_BUTTON (match), FALSE);
  gtk_widget_set_valign (match, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (match, match_tip);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (match), match_popover_new (self, listing));

  gtk_widget_set_valign (ignore, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (ignore, "flat");
  gtk_widget_set_tooltip_text (ignore, _("Not stock, such as a gift card or a service: never match it and never send it a number"));
  g_object_set_data_full (G_OBJECT (ignore), "sk-listing-id",
                          g_memdup2 (&listing->id, sizeof listing->id), g_free);
  g_signal_connect_object (ignore, "clicked", G_CALLBACK (on_ignore_clicked), self, 0);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), ignore);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), match);
  g_object_set_data_full (G_OBJECT (row), "sk-listing-id",
                          g_memdup2 (&listing->id, sizeof listing->id), g_free);
  g_object_set_data (G_OBJECT (row), "sk-match-button", match);
  return row;
}

/* Store */

static void
on_store_changed (SkUnmatchedQueue *self,
                  SkStoreChange    *change)
{
  if (!(change->flags & (SK_STORE_CHANGE_INVENTORY | SK_STORE_CHANGE_CHANNELS)))
    return;
  if (self->open_popover != NULL)
    self->reload_pending = TRUE;
  else
    sk_unmatched_queue_reload (self);
}

/* GObject */

static void
sk_unmatched_queue_dispose (GObject *object)
{
  SkUnmatchedQueue *self = SK_UNMATCHED_QUEUE (object);

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (store (self), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_UNMATCHED_QUEUE);
  g_clear_object (&self->skus);
  g_clear_object (&self->context);
  g_clear_object (&self->last_toast);

  G_OBJECT_CLASS (sk_unmatched_queue_parent_class)->dispose (object);
}

static void
sk_unmatched_queue_finalize (GObject *object)
{
  SkUnmatchedQueue *self = SK_UNMATCHED_QUEUE (object);

  g_clear_pointer (&self->listing_ids, g_array_unref);

  G_OBJECT_CLASS (sk_unmatched_queue_parent_class)->finalize (object);
}

static void
sk_unmatched_queue_class_init (SkUnmatchedQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_unmatched_queue_dispose;
  object_class->finalize = sk_unmatched_queue_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-unmatched-queue.ui");
  gtk_widget_class_bind_template_child (widget_class, SkUnmatchedQueue, stack);
  gtk_widget_class_bind_template_child (widget_class, SkUnmatchedQueue, list);
  gtk_widget_class_bind_template_child (widget_class, SkUnmatchedQueue, error_page);
  gtk_widget_class_bind_template_child (widget_class, SkUnmatchedQueue, title_label);
}

static void
sk_unmatched_queue_init (SkUnmatchedQueue *self)
{
  self->listing_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

void
sk_unmatched_queue_set_context (SkUnmatchedQueue *self,
                                SkContext        *context)
{
  g_return_if_fail (SK_IS_UNMATCHED_QUEUE (self));
  g_return_if_fail (SK_IS_CONTEXT (context));
  g_return_if_fail (self->context == NULL);

  self->context = g_object_ref (context);
  self->skus = sk_sku_list_new (store (self));
  g_signal_connect_object (store (self), "changed", G_CALLBACK (on_store_changed),
                           self, G_CONNECT_SWAPPED);
  sk_unmatched_queue_reload (self);
}

void
sk_unmatched_queue_reload (SkUnmatchedQueue *self)
{
  g_autoptr(GPtrArray) listings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GtkWidget *child;

  g_return_if_fail (SK_IS_UNMATCHED_QUEUE (self));

  self->reload_pending = FALSE;
  if (self->context == NULL)
    return;

  listings = sk_store_list_unmatched_listings (store (self), 0, &error);
  if (listings == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_array_set_size (self->listing_ids, 0);
  for (guint i = 0; i < listings->len; i++)
    {
      const SkListing *listing = g_ptr_array_index (listings, i);

      gtk_list_box_append (self->list, listing_row (self, listing));
      g_array_append_val (self->listing_ids, listing->id);
    }
  if (listings->len > 0)
    /* Translators: the heading of the unmatched queue with how many wait */
    title = g_strdup_printf (_("Unmatched Listings (%u)"), listings->len);
  gtk_label_set_label (self->title_label, title != NULL ? title : _("Unmatched Listings"));
  gtk_stack_set_visible_child_name (self->stack, listings->len > 0 ? "list" : "empty");
}

guint
sk_unmatched_queue_get_n_listings (SkUnmatchedQueue *self)
{
  g_return_val_if_fail (SK_IS_UNMATCHED_QUEUE (self), 0);

  return self->listing_ids->len;
}

GArray *
sk_unmatched_queue_get_listing_ids (SkUnmatchedQueue *self)
{
  g_return_val_if_fail (SK_IS_UNMATCHED_QUEUE (self), NULL);

  return g_array_ref (self->listing_ids);
}

GtkWidget *
sk_unmatched_queue_open_match (SkUnmatchedQueue *self,
                               gint64            listing_id,
                               const char       *search)
{
  GtkWidget *row;
  GtkMenuButton *button;
  GtkPopover *popover;

  g_return_val_if_fail (SK_IS_UNMATCHED_QUEUE (self), NULL);

  row = find_row (self, listing_id);
  if (row == NULL)
    return NULL;
  button = g_object_get_data (G_OBJECT (row), "sk-match-button");
  popover = gtk_menu_button_get_popover (button);
  if (search != NULL)
    gtk_editable_set_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (popover), "sk-entry")),
                           search);
  gtk_menu_button_popup (button);
  return GTK_WIDGET (popover);
}

gboolean
sk_unmatched_queue_match (SkUnmatchedQueue *self,
                          gint64            listing_id,
                          gint64            sku_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSku) sku = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (SK_IS_UNMATCHED_QUEUE (self), FALSE);

  if (!sk_store_match_listing (store (self), listing_id, sku_id, &error))
    {
      show_error_toast (self, error);
      return FALSE;
    }
  sku = sk_store_get_sku (store (self), sku_id, NULL);
  /* Translators: toast after matching a channel listing to a SKU */
  text = g_strdup_printf (_("Matched to %s: its stock now goes to the channel"),
                          sku != NULL ? sku->sku : "");
  toast_with_undo (self, text, listing_id);
  sk_unmatched_queue_reload (self);
  return TRUE;
}

gboolean
sk_unmatched_queue_ignore (SkUnmatchedQueue *self,
                           gint64            listing_id)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SK_IS_UNMATCHED_QUEUE (self), FALSE);

  if (!sk_store_ignore_listing (store (self), listing_id, &error))
    {
      show_error_toast (self, error);
      return FALSE;
    }
  toast_with_undo (self, _("Listing ignored: Storekeep will not send it stock"), listing_id);
  sk_unmatched_queue_reload (self);
  return TRUE;
}

AdwToast *
sk_unmatched_queue_get_last_toast (SkUnmatchedQueue *self)
{
  g_return_val_if_fail (SK_IS_UNMATCHED_QUEUE (self), NULL);

  return self->last_toast;
}
