/* sk-sku-pane.c: everything about one SKU, beside the stock list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-inventory.h"
#include "sk-inventory-logic.h"
#include "sk-sku-pane.h"

#define HISTORY_PAGE 50
#define MAX_QUANTITY 1000000000

/* The rule editor of one channel. */
typedef struct {
  SkSkuPane *self;            /* unowned */
  gint64 channel_id;
  char *channel_name;
  SkListingRule rule;         /* what applies now */
  int source;                 /* 0 built-in, 1 channel, 2 this SKU */
  gboolean dirty;
  gboolean filling;
  gint64 preview;
  AdwExpanderRow *expander;
  GtkSpinButton *buffer;
  GtkSpinButton *percent;
  GtkCheckButton *has_maximum;
  GtkSpinButton *maximum;
  GtkSpinButton *stop_below;
  AdwActionRow *preview_row;
  GtkWidget *apply_button;
  GtkWidget *reset_button;
} RuleEditor;

struct _SkSkuPane
{
  AdwBin parent_instance;

  SkContext *context;
  gint64 sku_id;
  SkSku *sku;
  GHashTable *location_names;   /* gint64* → char* */
  GPtrArray *editors;           /* RuleEditor */
  gint64 oldest_movement;       /* id of the last row listed, for paging */
  guint n_movements;
  gboolean reorder_dirty;       /* the reorder point row was edited */
  gboolean reorder_filling;

  GtkStack *stack;
  AdwStatusPage *summary_page;
  AdwStatusPage *error_page;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkLabel *state_pill;
  GtkLabel *kit_pill;
  GtkLabel *archived_pill;
  GtkLabel *on_hand_value;
  GtkLabel *reserved_value;
  GtkLabel *available_value;
  AdwActionRow *reorder_row;
  GtkCheckButton *reorder_check;
  GtkSpinButton *reorder_spin;
  GtkWidget *reorder_apply;
  GtkWidget *locations_box;
  GtkListBox *locations_list;
  GtkWidget *kit_box;
  GtkListBox *components_list;
  GtkLabel *no_listings_label;
  GtkBox *channels_box;
  GtkLabel *no_history_label;
  GtkListBox *history_list;
  GtkButton *more_button;
};

G_DEFINE_FINAL_TYPE (SkSkuPane, sk_sku_pane, ADW_TYPE_BIN)

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static SkStore *
store (SkSkuPane *self)
{
  return sk_context_get_store (self->context);
}

static void
rule_editor_free (RuleEditor *editor)
{
  g_free (editor->channel_name);
  g_free (editor);
}

static void
clear_list_box (GtkListBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_list_box_remove (box, child);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
show_error_toast (SkSkuPane    *self,
                  const GError *error)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  g_warning ("%s", error->message);
  if (overlay == NULL)
    return;
  toast = adw_toast_new (error->message);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
set_count (GtkLabel *label,
           gint64    count)
{
  g_autofree char *text = sk_inventory_format_count (count);

  gtk_label_set_label (label, text);
}

static GtkWidget *
count_label (gint64   count,
             gboolean strong)
{
  g_autofree char *text = sk_inventory_format_count (count);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  if (strong)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
plain_row (const char *title,
           const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* Header and totals */

static void
fill_header (SkSkuPane *self)
{
  const SkSku *sku = self->sku;
  g_autoptr(GString) subtitle = g_string_new (sku->sku);
  SkStockState state = sk_inventory_stock_state (sku->available, sku->reorder_point);
  SkPill pill = sk_inventory_stock_pill (state);
  const char *classes[] = { "status-pill", sk_inbox_pill_css_class (pill.style), NULL };

  gtk_label_set_label (self->title_label, sku->title);
  if (sku->variant_title != NULL && *sku->variant_title != '\0')
    g_string_append_printf (subtitle, " · %s", sku->variant_title);
  if (sku->barcode != NULL && *sku->barcode != '\0')
    /* Translators: a SKU's barcode in the pane header */
    g_string_append_printf (subtitle, " · %s", sku->barcode);
  gtk_label_set_label (self->subtitle_label, subtitle->str);

  gtk_label_set_label (self->state_pill, pill.label);
  gtk_widget_set_css_classes (GTK_WIDGET (self->state_pill), classes);
  gtk_widget_set_visible (GTK_WIDGET (self->state_pill), state != SK_STOCK_STATE_OK);
  if (state == SK_STOCK_STATE_LOW)
    {
      g_autofree char *point = sk_inventory_format_count (sku->reorder_point);
      g_autofree char *tip = g_strdup_printf (_("At or below its reorder point of %s"), point);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_pill), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_pill), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->kit_pill), sku->is_kit);
  gtk_widget_set_visible (GTK_WIDGET (self->archived_pill), sku->archived);

  set_count (self->on_hand_value, sku->on_hand);
  set_count (self->reserved_value, sku->reserved);
  set_count (self->available_value, sku->available);
  gtk_widget_remove_css_class (GTK_WIDGET (self->available_value), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->available_value), "warning");
  if (state == SK_STOCK_STATE_OUT || state == SK_STOCK_STATE_NEGATIVE)
    gtk_widget_add_css_class (GTK_WIDGET (self->available_value), "error");
  else if (state == SK_STOCK_STATE_LOW)
    gtk_widget_add_css_class (GTK_WIDGET (self->available_value), "warning");
}

/* The reorder point */

static void
update_reorder (SkSkuPane *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->reorder_spin),
                            gtk_check_button_get_active (self->reorder_check));
  gtk_widget_set_sensitive (self->reorder_apply, self->reorder_dirty);
}

/* What is stored, unless the user is changing it. */
static void
fill_reorder (SkSkuPane *self)
{
  if (self->reorder_dirty)
    return;
  self->reorder_filling = TRUE;
  gtk_check_button_set_active (self->reorder_check, self->sku->reorder_point >= 0);
  gtk_spin_button_set_value (self->reorder_spin, (double) MAX (self->sku->reorder_point, 0));
  self->reorder_filling = FALSE;
  update_reorder (self);
}

static void
on_reorder_changed (SkSkuPane *self)
{
  if (self->reorder_filling)
    return;
  self->reorder_dirty = TRUE;
  update_reorder (self);
}

static void
on_reorder_check_toggled (SkSkuPane *self)
{
  on_reorder_changed (self);
}

static void
on_reorder_spin_value_changed (SkSkuPane *self)
{
  on_reorder_changed (self);
}

static void load (SkSkuPane *self, gboolean keep_editors);
static gboolean any_editor_dirty (SkSkuPane *self);

static gboolean
apply_reorder (SkSkuPane *self)
{
  g_autoptr(GError) error = NULL;
  gint64 point;

  if (self->sku_id == 0)
    return FALSE;
  gtk_spin_button_update (self->reorder_spin);
  point = gtk_check_button_get_active (self->reorder_check)
          ? gtk_spin_button_get_value_as_int (self->reorder_spin) : -1;
  /* Not dirty first: the reload shows what was stored. */
  self->reorder_dirty = FALSE;
  if (!sk_store_set_sku_reorder_point (store (self), self->sku_id, point, &error))
    {
      self->reorder_dirty = TRUE;
      update_reorder (self);
      show_error_toast (self, error);
      return FALSE;
    }
  load (self, any_editor_dirty (self));
  return TRUE;
}

static void
on_reorder_apply_clicked (SkSkuPane *self)
{
  apply_reorder (self);
}

static void
reload_location_names (SkSkuPane *self)
{
  g_autoptr(GPtrArray) locations = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_remove_all (self->location_names);
  locations = sk_store_list_locations (store (self), TRUE, &error);
  if (locations == NULL)
    {
      g_warning ("Could not list the locations: %s", error->message);
      return;
    }
  for (guint i = 0; i < locations->len; i++)
    {
      const SkLocation *location = g_ptr_array_index (locations, i);

      g_hash_table_insert (self->location_names, g_memdup2 (&location->id, sizeof (gint64)),
                           g_strdup (location->name));
    }
}

static void
fill_locations (SkSkuPane *self)
{
  g_autoptr(GPtrArray) levels = NULL;
  g_autoptr(GError) error = NULL;

  clear_list_box (self->locations_list);
  gtk_widget_set_visible (self->locations_box, !self->sku->is_kit);
  if (self->sku->is_kit)
    return;

  levels = sk_store_list_stock_levels (store (self), self->sku_id, &error);
  if (levels == NULL)
    {
      show_error_toast (self, error);
      return;
    }
  for (guint i = 0; i < levels->len; i++)
    {
      const SkStockLevel *level = g_ptr_array_index (levels, i);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      g_autofree char *reserved = sk_inventory_format_count (level->reserved);
      gint64 unsellable = level->damaged + level->quarantine;
      GtkWidget *row;

      if (i == 0)
        g_string_append (subtitle, C_("location", "Default"));
      if (level->reserved != 0)
        {
          if (subtitle->len > 0)
            g_string_append (subtitle, " · ");
          /* Translators: reserved at a location, "2 reserved" */
          g_string_append_printf (subtitle, _("%s reserved"), reserved);
        }
      if (unsellable != 0)
        {
          g_autofree char *n = sk_inventory_format_count (unsellable);

          if (subtitle->len > 0)
            g_string_append (subtitle, " · ");
          /* Translators: at a location: returned goods that cannot be sold */
          g_string_append_printf (subtitle, _("%s damaged or in quarantine"), n);
        }
      row = plain_row (level->location_name, subtitle->str);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count_label (level->on_hand, TRUE));
      gtk_list_box_append (self->locations_list, row);
    }
}

static void
fill_components (SkSkuPane *self)
{
  g_autoptr(GPtrArray) components = NULL;
  g_autoptr(GError) error = NULL;

  clear_list_box (self->components_list);
  gtk_widget_set_visible (self->kit_box, self->sku->is_kit);
  if (!self->sku->is_kit)
    return;

  components = sk_store_list_kit_components (store (self), self->sku_id, &error);
  if (components == NULL)
    {
      show_error_toast (self, error);
      return;
    }
  for (guint i = 0; i < components->len; i++)
    {
      const SkKitComponent *c = g_ptr_array_index (components, i);
      g_autofree char *title = g_strdup_printf ("%s · %s", c->sku, c->title);
      g_autofree char *text = sk_inventory_component_text (c->quantity, c->available);
      GtkWidget *row = plain_row (title, text);

      gtk_list_box_append (self->components_list, row);
    }
}

/* Rule editors */

static SkListingRule
editor_rule (RuleEditor *editor)
{
  SkListingRule rule = editor->rule;

  rule.buffer = gtk_spin_button_get_value_as_int (editor->buffer);
  rule.percent = gtk_spin_button_get_value_as_int (editor->percent);
  rule.maximum = gtk_check_button_get_active (editor->has_maximum)
                 ? gtk_spin_button_get_value_as_int (editor->maximum) : -1;
  rule.stop_below = gtk_spin_button_get_value_as_int (editor->stop_below);
  return rule;
}

static void
update_preview (RuleEditor *editor)
{
  SkSkuPane *self = editor->self;
  SkListingRule rule = editor_rule (editor);
  gint64 available = self->sku != NULL ? self->sku->available : 0;
  g_autofree char *text = NULL;
  g_autofree char *description = sk_inventory_describe_rule (&editor->rule, editor->source);

  editor->preview = sk_inventory_channel_quantity (available, &rule);
  text = sk_inventory_rule_preview (available, editor->preview);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->preview_row), text);
  adw_expander_row_set_subtitle (editor->expander, description);
  gtk_widget_set_sensitive (GTK_WIDGET (editor->maximum),
                            gtk_check_button_get_active (editor->has_maximum));
  gtk_widget_set_sensitive (editor->apply_button, editor->dirty);
  gtk_widget_set_visible (editor->reset_button, editor->source == 2);
}

static void
on_rule_value_changed (RuleEditor *editor)
{
  if (editor->filling)
    return;
  editor->dirty = TRUE;
  update_preview (editor);
}

static void
fill_editor (RuleEditor *editor)
{
  editor->filling = TRUE;
  gtk_spin_button_set_value (editor->buffer, (double) editor->rule.buffer);
  gtk_spin_button_set_value (editor->percent, (double) editor->rule.percent);
  gtk_check_button_set_active (editor->has_maximum, editor->rule.maximum >= 0);
  gtk_spin_button_set_value (editor->maximum, (double) MAX (editor->rule.maximum, 0));
  gtk_spin_button_set_value (editor->stop_below, (double) editor->rule.stop_below);
  editor->filling = FALSE;
  editor->dirty = FALSE;
  update_preview (editor);
}

static gboolean
apply_editor (RuleEditor *editor)
{
  SkSkuPane *self = editor->self;
  SkListingRule rule;
  g_autoptr(GError) error = NULL;

  gtk_spin_button_update (editor->buffer);
  gtk_spin_button_update (editor->percent);
  gtk_spin_button_update (editor->maximum);
  gtk_spin_button_update (editor->stop_below);
  rule = editor_rule (editor);
  rule.id = 0;
  rule.channel_id = editor->channel_id;
  rule.sku_id = self->sku_id;
  /* Not dirty first: the store's changed signal reloads the pane. */
  editor->dirty = FALSE;
  if (!sk_store_set_listing_rule (store (self), &rule, &error))
    {
      editor->dirty = TRUE;
      show_error_toast (self, error);
      return FALSE;
    }
  editor->rule = rule;
  editor->source = 2;
  update_preview (editor);
  return TRUE;
}

static void
on_apply_clicked (RuleEditor *editor)
{
  apply_editor (editor);
}

static void
on_reset_clicked (RuleEditor *editor)
{
  SkSkuPane *self = editor->self;
  g_autoptr(GError) error = NULL;

  editor->dirty = FALSE;
  if (!sk_store_delete_listing_rule (store (self), editor->channel_id, self->sku_id, &error))
    show_error_toast (self, error);
  sk_sku_pane_reload (self);
}

/* An editor opened near the bottom: bring all of it into view once the
 * expander has grown. */
static gboolean
scroll_to_editor (gpointer data)
{
  GtkWidget *expander = data;
  SkSkuPane *self = SK_SKU_PANE (gtk_widget_get_ancestor (expander, SK_TYPE_SKU_PANE));
  GtkWidget *scroller;
  GtkWidget *content;
  GtkAdjustment *vadj;
  graphene_rect_t bounds;
  double bottom;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  scroller = gtk_stack_get_child_by_name (self->stack, "sku");
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  if (!gtk_widget_compute_bounds (expander, content, &bounds))
    return G_SOURCE_REMOVE;
  bottom = bounds.origin.y + bounds.size.height + 12 - gtk_adjustment_get_page_size (vadj);
  if (bottom > gtk_adjustment_get_value (vadj))
    gtk_adjustment_set_value (vadj, MIN (bottom, bounds.origin.y));
  return G_SOURCE_REMOVE;
}

static void
on_expander_expanded (AdwExpanderRow *expander)
{
  if (adw_expander_row_get_expanded (expander))
    /* After the expander's reveal animation. */
    g_timeout_add_full (G_PRIORITY_DEFAULT, 300, scroll_to_editor,
                        g_object_ref (expander), g_object_unref);
}

static GtkSpinButton *
rule_spin (RuleEditor *editor,
           double      upper)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, upper, 1);

  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  /* The same width for all, whatever their range. */
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);
  gtk_widget_add_css_class (spin, "numeric");
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (on_rule_value_changed), editor);
  return GTK_SPIN_BUTTON (spin);
}

static GtkWidget *
rule_row (const char    *title,
          const char    *subtitle,
          GtkSpinButton *spin)
{
  GtkWidget *row = plain_row (title, subtitle);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (spin));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (spin));
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static GtkWidget *
build_editor (SkSkuPane  *self,
              RuleEditor *editor)
{
  GtkWidget *row;
  GtkWidget *box;

  editor->expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (editor->expander), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (editor->expander), _("Listing Rule"));
  g_signal_connect (editor->expander, "notify::expanded", G_CALLBACK (on_expander_expanded), NULL);

  editor->buffer = rule_spin (editor, MAX_QUANTITY);
  adw_expander_row_add_row (editor->expander,
                            rule_row (_("Safety buffer"), _("Units kept back from this channel"),
                                      editor->buffer));
  editor->percent = rule_spin (editor, 100);
  adw_expander_row_add_row (editor->expander,
                            rule_row (_("Percentage shown"), _("Of what is left after the buffer"),
                                      editor->percent));

  editor->has_maximum = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (editor->has_maximum), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (editor->has_maximum), _("Limit what this channel shows"));
  g_signal_connect_swapped (editor->has_maximum, "toggled", G_CALLBACK (on_rule_value_changed), editor);
  editor->maximum = rule_spin (editor, MAX_QUANTITY);
  row = plain_row (_("Maximum"), _("Never show more than this"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (editor->has_maximum));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (editor->maximum));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (editor->has_maximum));
  gtk_accessible_update_property (GTK_ACCESSIBLE (editor->maximum), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Maximum"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (editor->has_maximum), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Limit what this channel shows"), -1);
  adw_expander_row_add_row (editor->expander, row);

  editor->stop_below = rule_spin (editor, MAX_QUANTITY);
  adw_expander_row_add_row (editor->expander,
                            rule_row (_("Stop listing below"),
                                      _("Show 0 when fewer are available; 0 for never"),
                                      editor->stop_below));

  editor->preview_row = ADW_ACTION_ROW (plain_row ("", NULL));
  adw_action_row_set_title_lines (editor->preview_row, 3);
  gtk_widget_add_css_class (GTK_WIDGET (editor->preview_row), "rule-preview");
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  editor->reset_button = gtk_button_new_with_mnemonic (_("_Channel Default"));
  gtk_widget_set_tooltip_text (editor->reset_button,
                               _("Remove this SKU’s own rule: the channel’s rule applies again"));
  g_signal_connect_swapped (editor->reset_button, "clicked", G_CALLBACK (on_reset_clicked), editor);
  editor->apply_button = gtk_button_new_with_mnemonic (_("_Apply"));
  gtk_widget_add_css_class (editor->apply_button, "suggested-action");
  gtk_widget_set_tooltip_text (editor->apply_button,
                               _("Use these numbers for this SKU on this channel"));
  g_signal_connect_swapped (editor->apply_button, "clicked", G_CALLBACK (on_apply_clicked), editor);
  gtk_box_append (GTK_BOX (box), editor->reset_button);
  gtk_box_append (GTK_BOX (box), editor->apply_button);
  adw_action_row_add_suffix (editor->preview_row, box);
  adw_expander_row_add_row (editor->expander, GTK_WIDGET (editor->preview_row));

  fill_editor (editor);
  return GTK_WIDGET (editor->expander);
}

static GtkWidget *
listing_row (const SkListing *listing)
{
  g_autofree char *refs = sk_inventory_listing_refs (listing);
  g_autofree char *status = sk_inventory_listing_status (listing);
  g_autoptr(GString) subtitle = g_string_new (refs);
  GtkWidget *row;
  GtkWidget *label;
  gboolean sending = listing->target_quantity >= 0 &&
                     listing->target_quantity != listing->confirmed_quantity;

  if (subtitle->len > 0)
    g_string_append (subtitle, " · ");
  g_string_append (subtitle, sk_inventory_match_label (listing->match_state));
  if (listing->updated_at > 0)
    {
      g_autofree char *when = sk_inbox_format_date (listing->updated_at, now_unix (), NULL);

      /* Translators: when Storekeep last heard about a listing */
      g_string_append_printf (subtitle, " · %s", when);
    }
  row = plain_row (listing->title != NULL && *listing->title != '\0' ? listing->title
                                                                       : _("Untitled listing"),
                   subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  label = gtk_label_new (status);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "status-pill");
  gtk_widget_add_css_class (label, sending ? "pill-accent" : "pill-neutral");
  gtk_widget_add_css_class (label, "numeric");
  if (sending)
    gtk_widget_set_tooltip_text (label, _("A stock update waits in the outbox and goes out on the next sync"));
  else if (listing->confirmed_quantity >= 0)
    gtk_widget_set_tooltip_text (label, _("What the channel last confirmed"));
  if (listing->match_why != NULL && *listing->match_why != '\0')
    gtk_widget_set_tooltip_text (row, listing->match_why);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static gboolean
any_editor_dirty (SkSkuPane *self)
{
  for (guint i = 0; i < self->editors->len; i++)
    if (((RuleEditor *) g_ptr_array_index (self->editors, i))->dirty)
      return TRUE;
  return FALSE;
}

static RuleEditor *
find_editor (SkSkuPane *self,
             gint64     channel_id)
{
  for (guint i = 0; i < self->editors->len; i++)
    {
      RuleEditor *editor = g_ptr_array_index (self->editors, i);

      if (editor->channel_id == channel_id)
        return editor;
    }
  return NULL;
}

static void
fill_channels (SkSkuPane *self)
{
  g_autoptr(GPtrArray) listings = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group = NULL;
  gint64 channel_id = 0;

  clear_box (self->channels_box);
  g_ptr_array_set_size (self->editors, 0);

  listings = sk_store_list_sku_listings (store (self), self->sku_id, &error);
  if (listings == NULL)
    {
      show_error_toast (self, error);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->no_listings_label), listings->len == 0);

  for (guint i = 0; i < listings->len; i++)
    {
      const SkListing *listing = g_ptr_array_index (listings, i);

      if (group == NULL || listing->channel_id != channel_id)
        {
          RuleEditor *editor = g_new0 (RuleEditor, 1);

          channel_id = listing->channel_id;
          group = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                           listing->channel_name != NULL ? listing->channel_name : "");
          gtk_box_append (self->channels_box, group);

          editor->self = self;
          editor->channel_id = channel_id;
          editor->channel_name = g_strdup (listing->channel_name);
          if (!sk_store_get_effective_rule (store (self), channel_id, self->sku_id,
                                            &editor->rule, &editor->source, &error))
            {
              show_error_toast (self, error);
              g_clear_error (&error);
              sk_listing_rule_init (&editor->rule);
              editor->source = 0;
            }
          g_ptr_array_add (self->editors, editor);
          /* The rule comes after the channel's listings: added below. */
          g_object_set_data (G_OBJECT (group), "sk-editor", editor);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), listing_row (listing));
    }

  /* Each channel's rule editor last in its group. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->channels_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      RuleEditor *editor = g_object_get_data (G_OBJECT (child), "sk-editor");

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (child), build_editor (self, editor));
    }
}

/* History */

static GtkWidget *
movement_row (SkSkuPane        *self,
              const SkMovement *movement)
{
  const char *other = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *change = sk_inventory_format_change (movement->quantity);
  g_autofree char *balance = sk_inventory_format_count (movement->balance);
  g_autofree char *balance_text = NULL;
  g_autofree char *tip = NULL;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *change_label;
  GtkWidget *balance_label;

  if (movement->other_location_id != 0)
    other = g_hash_table_lookup (self->location_names, &movement->other_location_id);
  title = sk_inventory_movement_title (movement, other);
  subtitle = sk_inventory_movement_subtitle (movement, now_unix (), NULL);
  row = plain_row (title, subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  change_label = gtk_label_new (change);
  gtk_label_set_xalign (GTK_LABEL (change_label), 1.0);
  gtk_widget_add_css_class (change_label, "numeric");
  gtk_widget_add_css_class (change_label, "heading");
  if (movement->quantity > 0)
    gtk_widget_add_css_class (change_label, "success");
  else if (movement->quantity < 0)
    gtk_widget_add_css_class (change_label, "error");
  /* Translators: the level after a movement, "= 10" */
  balance_text = g_strdup_printf (C_("balance", "= %s"), balance);
  balance_label = gtk_label_new (balance_text);
  gtk_label_set_xalign (GTK_LABEL (balance_label), 1.0);
  gtk_widget_add_css_class (balance_label, "numeric");
  gtk_widget_add_css_class (balance_label, "dim-label");
  gtk_widget_add_css_class (balance_label, "caption");
  tip = g_strdup_printf (_("%s here after this"), balance);
  gtk_widget_set_tooltip_text (balance_label, tip);
  gtk_box_append (GTK_BOX (box), change_label);
  gtk_box_append (GTK_BOX (box), balance_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  return row;
}

static void
load_history_page (SkSkuPane *self)
{
  g_autoptr(GPtrArray) movements = NULL;
  g_autoptr(GError) error = NULL;

  movements = sk_store_list_movements (store (self), self->sku_id, 0, self->oldest_movement,
                                       HISTORY_PAGE, &error);
  if (movements == NULL)
    {
      show_error_toast (self, error);
      return;
    }
  for (guint i = 0; i < movements->len; i++)
    {
      const SkMovement *movement = g_ptr_array_index (movements, i);

      gtk_list_box_append (self->history_list, movement_row (self, movement));
      self->oldest_movement = movement->id;
      self->n_movements++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), movements->len == HISTORY_PAGE);
  gtk_widget_set_visible (GTK_WIDGET (self->history_list), self->n_movements > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->no_history_label), self->n_movements == 0);
}

static void
fill_history (SkSkuPane *self)
{
  clear_list_box (self->history_list);
  self->oldest_movement = 0;
  self->n_movements = 0;
  load_history_page (self);
}

static void
on_more_button_clicked (SkSkuPane *self)
{
  load_history_page (self);
}

/* Loading */

static void
load (SkSkuPane *self,
      gboolean   keep_editors)
{
  g_autoptr(GError) error = NULL;
  SkSku *sku;

  if (self->context == NULL || self->sku_id == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  sku = sk_store_get_sku (store (self), self->sku_id, &error);
  if (sku == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  g_clear_pointer (&self->sku, sk_sku_free);
  self->sku = sku;

  reload_location_names (self);
  fill_header (self);
  fill_reorder (self);
  fill_locations (self);
  fill_components (self);
  if (keep_editors)
    for (guint i = 0; i < self->editors->len; i++)
      update_preview (g_ptr_array_index (self->editors, i));
  else
    fill_channels (self);
  fill_history (self);
  gtk_stack_set_visible_child_name (self->stack, "sku");
}

/* GObject */

static void
sk_sku_pane_dispose (GObject *object)
{
  SkSkuPane *self = SK_SKU_PANE (object);

  /* The bin's child is a template child (the stack): let go of it once. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_SKU_PANE);
  g_clear_pointer (&self->editors, g_ptr_array_unref);
  g_clear_pointer (&self->sku, sk_sku_free);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (sk_sku_pane_parent_class)->dispose (object);
}

static void
sk_sku_pane_finalize (GObject *object)
{
  SkSkuPane *self = SK_SKU_PANE (object);

  g_clear_pointer (&self->location_names, g_hash_table_unref);

  G_OBJECT_CLASS (sk_sku_pane_parent_class)->finalize (object);
}

static void
sk_sku_pane_class_init (SkSkuPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_sku_pane_dispose;
  object_class->finalize = sk_sku_pane_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-sku-pane.ui");
  gtk_widget_class_set_css_name (widget_class, "skupane");

  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, summary_page);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, error_page);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, state_pill);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, kit_pill);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, archived_pill);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, on_hand_value);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, reserved_value);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, available_value);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, reorder_row);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, reorder_check);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, reorder_spin);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, reorder_apply);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, locations_box);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, locations_list);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, kit_box);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, components_list);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, no_listings_label);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, channels_box);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, no_history_label);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, history_list);
  gtk_widget_class_bind_template_child (widget_class, SkSkuPane, more_button);
  gtk_widget_class_bind_template_callback (widget_class, on_more_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_reorder_check_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_reorder_spin_value_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reorder_apply_clicked);
}

static void
sk_sku_pane_init (SkSkuPane *self)
{
  self->location_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->editors = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_editor_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

void
sk_sku_pane_set_context (SkSkuPane *self,
                         SkContext *context)
{
  g_return_if_fail (SK_IS_SKU_PANE (self));
  g_return_if_fail (context == NULL || SK_IS_CONTEXT (context));

  g_set_object (&self->context, context);
  load (self, FALSE);
}

void
sk_sku_pane_show_sku (SkSkuPane *self,
                      gint64     sku_id)
{
  g_return_if_fail (SK_IS_SKU_PANE (self));

  if (sku_id == self->sku_id && sku_id != 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "sku") == 0)
    return;
  self->sku_id = sku_id;
  self->reorder_dirty = FALSE;
  load (self, FALSE);
  if (sku_id != 0)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (
        GTK_SCROLLED_WINDOW (gtk_stack_get_child_by_name (self->stack, "sku"))), 0);
}

void
sk_sku_pane_show_summary (SkSkuPane *self,
                          guint      n_selected)
{
  g_autofree char *title = NULL;

  g_return_if_fail (SK_IS_SKU_PANE (self));

  self->sku_id = 0;
  self->reorder_dirty = FALSE;
  clear_box (self->channels_box);
  g_ptr_array_set_size (self->editors, 0);
  title = sk_inventory_selection_summary (n_selected);
  adw_status_page_set_title (self->summary_page, title != NULL ? title : "");
  gtk_stack_set_visible_child_name (self->stack, "summary");
}

gint64
sk_sku_pane_get_sku_id (SkSkuPane *self)
{
  g_return_val_if_fail (SK_IS_SKU_PANE (self), 0);

  return self->sku_id;
}

void
sk_sku_pane_reload (SkSkuPane *self)
{
  g_return_if_fail (SK_IS_SKU_PANE (self));

  if (self->sku_id == 0)
    return;
  load (self, any_editor_dirty (self));
}

gint64
sk_sku_pane_get_rule_preview (SkSkuPane *self,
                              gint64     channel_id)
{
  RuleEditor *editor;

  g_return_val_if_fail (SK_IS_SKU_PANE (self), -1);

  editor = find_editor (self, channel_id);
  return editor != NULL ? editor->preview : -1;
}

gboolean
sk_sku_pane_edit_rule (SkSkuPane           *self,
                       gint64               channel_id,
                       const SkListingRule *rule)
{
  RuleEditor *editor;

  g_return_val_if_fail (SK_IS_SKU_PANE (self), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  editor = find_editor (self, channel_id);
  if (editor == NULL)
    return FALSE;
  adw_expander_row_set_expanded (editor->expander, TRUE);
  gtk_spin_button_set_value (editor->buffer, (double) rule->buffer);
  gtk_spin_button_set_value (editor->percent, (double) rule->percent);
  gtk_check_button_set_active (editor->has_maximum, rule->maximum >= 0);
  if (rule->maximum >= 0)
    gtk_spin_button_set_value (editor->maximum, (double) rule->maximum);
  gtk_spin_button_set_value (editor->stop_below, (double) rule->stop_below);
  return TRUE;
}

gboolean
sk_sku_pane_apply_rule (SkSkuPane *self,
                        gint64     channel_id)
{
  RuleEditor *editor;

  g_return_val_if_fail (SK_IS_SKU_PANE (self), FALSE);

  editor = find_editor (self, channel_id);
  return editor != NULL && apply_editor (editor);
}

guint
sk_sku_pane_get_n_movements (SkSkuPane *self)
{
  g_return_val_if_fail (SK_IS_SKU_PANE (self), 0);

  return self->n_movements;
}

void
sk_sku_pane_edit_reorder_point (SkSkuPane *self,
                                gint64     reorder_point)
{
  g_return_if_fail (SK_IS_SKU_PANE (self));

  gtk_check_button_set_active (self->reorder_check, reorder_point >= 0);
  if (reorder_point >= 0)
    gtk_spin_button_set_value (self->reorder_spin, (double) reorder_point);
}

gboolean
sk_sku_pane_apply_reorder_point (SkSkuPane *self)
{
  g_return_val_if_fail (SK_IS_SKU_PANE (self), FALSE);

  return apply_reorder (self);
}
