/* sk-inventory-view-private.h: friend API between the parts of the inventory view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sk-inventory-view.h"
#include "sk-stock-popover.h"

G_BEGIN_DECLS

typedef enum {
  COL_SKU,
  COL_PRODUCT,
  COL_LOCATION,   /* on hand at one location: editable */
  COL_ON_HAND,    /* on hand at all locations */
  COL_RESERVED,
  COL_AVAILABLE,
  COL_CHANNEL,    /* what one channel shows */
  COL_STATE,
} ColumnKind;

typedef struct {
  SkInventoryView *self;   /* unowned: the factory lives no longer than the view */
  ColumnKind kind;
  gint64 id;               /* location or channel */
} ColumnInfo;

/* The count typed in a cell, waiting for its reason. */
typedef struct {
  gint64 sku_id;
  char *sku;
  gint64 location_id;
  gint64 from;
  gint64 to;
} PendingCount;

struct _SkInventoryView
{
  GtkWidget parent_instance;

  SkContext *context;
  SkInventory *inventory;
  SkSkuList *skus;
  GtkMultiSelection *selection;
  GPtrArray *locations;          /* SkLocation, active, default first */
  GPtrArray *channels;           /* SkChannelRecord */
  GPtrArray *location_columns;   /* GtkColumnViewColumn per location, or the total */
  GPtrArray *channel_columns;    /* GtkColumnViewColumn per channel */
  char *location_layout;         /* what the location columns show now */
  int channels_shown;            /* -1 unknown, 0 hidden, 1 shown */
  GHashTable *bound;             /* GtkListItem* bound now → ColumnInfo* */
  gint64 location_filter;
  gint64 n_unmatched;
  guint n_selected;
  guint n_busy;
  gboolean applying_sort;
  gboolean filling_locations;
  GCancellable *cancellable;
  AdwToast *last_toast;
  GPtrArray *undo_edits;         /* SkStockEdit: the inverse of the last change */
  char *undo_reason;
  char *undo_text;
  guint undo_serial;
  PendingCount pending;
  SkStockPopover *reason_popover;
  GtkWidget *pending_cell;       /* weak: where the reason popover points */
  GtkFileChooserNative *export_chooser;

  GtkRevealer *unmatched_revealer;
  GtkLabel *unmatched_label;
  GtkStack *main_stack;
  GtkWidget *toolbar;
  GtkWidget *toolbar_separator;
  GtkSearchEntry *search_entry;
  GtkDropDown *filter_dropdown;
  GtkDropDown *location_dropdown;
  AdwFlap *flap;
  GtkStack *content_stack;
  GtkScrolledWindow *list_scroller;
  GtkColumnView *column_view;
  GtkColumnViewColumn *sku_column;
  GtkColumnViewColumn *product_column;
  GtkColumnViewColumn *reserved_column;
  GtkColumnViewColumn *available_column;
  GtkColumnViewColumn *state_column;
  AdwStatusPage *no_results_page;
  AdwStatusPage *error_page;
  GtkRevealer *selection_revealer;
  GtkLabel *selection_label;
  GtkMenuButton *adjust_button;
  GtkMenuButton *receive_button;
  GtkMenuButton *transfer_button;
  SkStockPopover *adjust_popover;
  SkStockPopover *receive_popover;
  SkStockPopover *transfer_popover;
  SkSkuPane *sku_pane;
  SkUnmatchedQueue *unmatched_queue;
};

SkStore     *_sk_inventory_view_get_store       (SkInventoryView *self);
/* The context's inventory engine, else one of the view's own. */
SkInventory *_sk_inventory_view_get_inventory   (SkInventoryView *self);
void         _sk_inventory_view_show_toast      (SkInventoryView *self,
                                                 AdwToast        *toast);
void         _sk_inventory_view_show_error_toast (SkInventoryView *self,
                                                  const GError    *error);
void         _sk_inventory_view_update_actions  (SkInventoryView *self);
void         _sk_inventory_view_on_toast_undo   (AdwToast        *toast,
                                                 SkInventoryView *self);

/* sk-inventory-view-columns.c: locations, channels, columns and cells */
const char  *_sk_inventory_view_location_name   (SkInventoryView *self,
                                                 gint64           location_id);
/* The location shown, else the default one. */
gint64       _sk_inventory_view_working_location (SkInventoryView *self);
/* TRUE when the locations or channels changed. */
gboolean     _sk_inventory_view_reload_locations_and_channels (SkInventoryView *self);
/* The template's columns' factories and sorters. */
void         _sk_inventory_view_setup_columns   (SkInventoryView *self);
/* @force: the locations or channels changed. */
void         _sk_inventory_view_rebuild_columns (SkInventoryView *self,
                                                 gboolean         force);
void         _sk_inventory_view_rebind_all      (SkInventoryView *self);
void         _sk_inventory_view_on_column_sorter_changed (SkInventoryView *self);
void         _sk_inventory_view_on_flap_layout_changed   (SkInventoryView *self);

/* sk-inventory-view-actions.c: the inline count, the adjust, receive and
 * transfer forms, recording edits and undo */
void         _sk_inventory_view_pending_clear   (PendingCount    *pending);
/* Asks the reason for a count typed in @cell. */
void         _sk_inventory_view_begin_count     (SkInventoryView *self,
                                                 GtkWidget       *cell,
                                                 SkSkuItem       *item,
                                                 gint64           location_id,
                                                 gint64           from,
                                                 gint64           to);
void         _sk_inventory_view_point_at_cell   (SkInventoryView *self);
void         _sk_inventory_view_on_reason_popover_closed  (SkInventoryView *self);
void         _sk_inventory_view_on_reason_popover_apply   (SkInventoryView *self);
void         _sk_inventory_view_on_stock_popover_show     (SkInventoryView *self,
                                                           SkStockPopover  *popover);
void         _sk_inventory_view_on_adjust_popover_apply   (SkInventoryView *self);
void         _sk_inventory_view_on_receive_popover_apply  (SkInventoryView *self);
void         _sk_inventory_view_on_transfer_popover_apply (SkInventoryView *self);
void         _sk_inventory_view_action_edit_count (GtkWidget  *widget,
                                                   const char *name,
                                                   GVariant   *param);
void         _sk_inventory_view_action_adjust     (GtkWidget  *widget,
                                                   const char *name,
                                                   GVariant   *param);
void         _sk_inventory_view_action_receive    (GtkWidget  *widget,
                                                   const char *name,
                                                   GVariant   *param);
void         _sk_inventory_view_action_transfer   (GtkWidget  *widget,
                                                   const char *name,
                                                   GVariant   *param);
void         _sk_inventory_view_action_undo_last  (GtkWidget  *widget,
                                                   const char *name,
                                                   GVariant   *param);

/* sk-inventory-view-files.c: cycle-count files in and out */
void         _sk_inventory_view_action_import_counts (GtkWidget  *widget,
                                                      const char *name,
                                                      GVariant   *param);
void         _sk_inventory_view_action_export_counts (GtkWidget  *widget,
                                                      const char *name,
                                                      GVariant   *param);

G_END_DECLS
