/* test-ui-inventory.c: the inventory editor, driven for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a temporary store with a few SKUs (one a kit), two locations, two
 * channels with listings, a listing rule and unmatched listings, through
 * the store API; puts the inventory view in a window with a toast overlay
 * and works it as a person would: search and filter, type a count and give
 * a reason, undo, receive, transfer, adjust several SKUs, edit a listing
 * rule and watch its preview, match and ignore unmatched listings, import
 * a stock count file. Needs a display (xvfb in CI) and the compiled
 * GSettings schema. Saves screenshots into $G_TEST_BUILDDIR/screenshots/.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include <adwaita.h>

#include "sk-catalog.h"
#include "sk-context.h"
#include "sk-demo-shop.h"
#include "sk-count-cell.h"
#include "sk-inventory.h"
#include "sk-inventory-view.h"
#include "sk-sku-list.h"
#include "sk-sku-pane.h"
#include "sk-stock-csv-dialog.h"
#include "sk-stock-popover.h"
#include "sk-store-channels.h"
#include "sk-store-inventory.h"
#include "sk-test-util.h"
#include "sk-unmatched-queue.h"

typedef struct {
  char *tmpdir;
  SkDemoShop *demo;
  SkStore *store;
  SkHttp *http;
  SkSyncManager *sync;
  SkContext *context;
  SkInventory *inventory;
  GtkWidget *window;
  AdwToastOverlay *overlay;
  SkInventoryView *view;
  gint64 shop;          /* channel "Acme Shop" */
  gint64 market;        /* channel "Acme Market" */
  gint64 main_location;
  gint64 backroom;
  gint64 ts42;
  gint64 ts43;
  gint64 hat;
  gint64 socks;
  gint64 kit;
  gint64 old_listing;   /* unmatched: sells TS-43 under an old SKU */
  gint64 gift_listing;  /* unmatched: a gift card, not stock */
} Fixture;

static gboolean have_display;

/* Waiting and screenshots */

static void
pump (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static gboolean
count_frames (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_enough (gpointer user_data)
{
  return *(guint *) user_data >= 3;
}

static void
wait_for_frames (GtkWidget *widget)
{
  guint frames = 0;
  guint id;

  gtk_widget_queue_draw (widget);
  id = gtk_widget_add_tick_callback (widget, count_frames, &frames, NULL);
  sk_test_wait_until (frames_enough, &frames, 10000);
  gtk_widget_remove_tick_callback (widget, id);
  /* Revealer, flap and stack transitions last 250 ms. */
  pump (400);
}

static GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GskRenderer *renderer;
  GdkTexture *texture;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  return texture;
}

static char *
screenshot_path (const char *name)
{
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *dir = g_build_filename (build_dir != NULL ? build_dir : ".", "screenshots", NULL);

  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = screenshot_path (name);

  wait_for_frames (widget);
  texture = render_widget (widget);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static cairo_surface_t *
texture_surface (GdkTexture *texture)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         gdk_texture_get_width (texture),
                                                         gdk_texture_get_height (texture));

  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* The window with a popover over it: the popover is a surface of its own,
 * so it is drawn onto the window's picture where the popup sits. */
static void
save_screenshot_with_popover (GtkWidget  *window,
                              GtkWidget  *popover,
                              const char *name)
{
  g_autoptr(GdkTexture) window_texture = NULL;
  g_autoptr(GdkTexture) popover_texture = NULL;
  g_autofree char *path = screenshot_path (name);
  GdkSurface *surface;
  cairo_surface_t *target;
  cairo_surface_t *part;
  cairo_t *cr;

  wait_for_frames (window);
  g_assert_true (gtk_widget_get_mapped (popover));
  window_texture = render_widget (window);
  popover_texture = render_widget (popover);
  surface = gtk_native_get_surface (GTK_NATIVE (popover));

  target = texture_surface (window_texture);
  part = texture_surface (popover_texture);
  cr = cairo_create (target);
  cairo_set_source_surface (cr, part, gdk_popup_get_position_x (GDK_POPUP (surface)),
                            gdk_popup_get_position_y (GDK_POPUP (surface)));
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (target, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (part);
  cairo_surface_destroy (target);
  g_test_message ("screenshot: %s", path);
}

/* Building the store */

static gint64
add_channel (Fixture    *f,
             const char *kind,
             const char *name,
             const char *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();

  record->kind = g_strdup (kind);
  record->name = g_strdup (name);
  record->account = g_strdup (account);
  record->base_url = g_strdup ("http://127.0.0.1:1");
  record->secret_ref = g_strdup ("test");
  record->settings = g_strdup ("{}");
  g_assert_true (sk_store_add_channel (f->store, record, &error));
  g_assert_no_error (error);
  return record->id;
}

static gint64
add_location (Fixture        *f,
              const char     *name,
              SkLocationKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkLocation) location = sk_location_new (name, kind);

  g_assert_true (sk_store_add_location (f->store, location, &error));
  g_assert_no_error (error);
  return location->id;
}

static gint64
add_sku (Fixture    *f,
         const char *sku,
         const char *title,
         const char *variant,
         gint64      reorder_point)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSku) record = sk_sku_new (sku, title);

  record->variant_title = g_strdup (variant);
  record->reorder_point = reorder_point;
  g_assert_true (sk_store_add_sku (f->store, record, &error));
  g_assert_no_error (error);
  return record->id;
}

static void
receive (Fixture *f,
         gint64   sku_id,
         gint64   location_id,
         gint64   quantity)
{
  g_autoptr(GPtrArray) edits = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (edits, sk_stock_edit_new (SK_MOVEMENT_RECEIVE, sku_id, location_id, quantity));
  g_assert_true (sk_inventory_apply_edits_sync (f->inventory, edits, "Opening stock", NULL, &error));
  g_assert_no_error (error);
}

static gint64
upsert_listing (Fixture    *f,
                gint64      channel_id,
                const char *product_ref,
                const char *sku,
                const char *title,
                gint64      channel_quantity)
{
  g_autoptr(GPtrArray) listings = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
  g_autoptr(GError) error = NULL;
  SkListing *listing = sk_listing_new (product_ref, NULL);
  SkListingUpsertResult result;

  listing->sku = g_strdup (sku);
  listing->title = g_strdup (title);
  listing->channel_quantity = channel_quantity;
  g_ptr_array_add (listings, listing);
  g_assert_true (sk_store_upsert_listings_sync (f->store, channel_id, listings,
                                                SK_LISTING_UPSERT_NONE, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (listing->id, >, 0);
  return listing->id;
}

static void
build_store (Fixture *f)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_kit_component_free);
  g_autoptr(GError) error = NULL;
  SkListingRule rule;

  f->shop = add_channel (f, "shopify", "Acme Shop", "acme.myshopify.com");
  f->market = add_channel (f, "woocommerce", "Acme Market", "market.acme.example");
  f->main_location = add_location (f, "Main warehouse", SK_LOCATION_KIND_WAREHOUSE);
  f->backroom = add_location (f, "Shop backroom", SK_LOCATION_KIND_STORE);

  f->ts42 = add_sku (f, "TS-42", "Trail shoe", "42 / Blue", 5);
  f->ts43 = add_sku (f, "TS-43", "Trail shoe", "43 / Blue", 10);
  f->hat = add_sku (f, "HAT-1", "Wool hat", NULL, -1);
  f->socks = add_sku (f, "SOCK-1", "Hiking socks", "Size M", 2);
  f->kit = add_sku (f, "KIT-1", "Hiking set", "Shoe and hat", -1);
  g_ptr_array_add (parts, sk_kit_component_new (f->ts42, 1));
  g_ptr_array_add (parts, sk_kit_component_new (f->hat, 1));
  g_assert_true (sk_store_set_kit_components (f->store, f->kit, parts, &error));
  g_assert_no_error (error);

  f->inventory = sk_inventory_new (f->store);
  receive (f, f->ts42, f->main_location, 12);
  receive (f, f->ts42, f->backroom, 3);
  receive (f, f->ts43, f->main_location, 8);
  receive (f, f->hat, f->main_location, 4);

  upsert_listing (f, f->shop, "100", "TS-42", "Trail shoe – 42 / Blue", 15);
  upsert_listing (f, f->shop, "200", "HAT-1", "Wool hat", 4);
  upsert_listing (f, f->market, "300", "TS-42", "Trail Shoe Blue 42", 15);
  upsert_listing (f, f->market, "310", "KIT-1", "Hiking set", 4);
  f->old_listing = upsert_listing (f, f->shop, "400", "TS43-OLD", "Trail shoe – 43 / Blue (old)", 8);
  f->gift_listing = upsert_listing (f, f->market, "500", "GIFT-25", "Gift card 25 €", -1);

  /* The market keeps two back. */
  sk_listing_rule_init (&rule);
  rule.channel_id = f->market;
  rule.buffer = 2;
  g_assert_true (sk_store_set_listing_rule (f->store, &rule, &error));
  g_assert_no_error (error);

  g_assert_true (sk_inventory_run_sync (f->inventory, NULL, 0, FALSE, TRUE, NULL, &error));
  g_assert_no_error (error);
  /* From now on it follows the store, as in the app. */
  sk_inventory_start (f->inventory);
}

static void
open_window (Fixture *f)
{
  f->context = sk_context_new (f->store, f->sync, NULL, NULL);
  /* As the application does: the view finds the engine there. */
  sk_context_set_inventory (f->context, f->inventory);
  f->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  f->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  f->view = SK_INVENTORY_VIEW (sk_inventory_view_new (f->context));
  g_assert_true (sk_inventory_view_get_inventory (f->view) == f->inventory);
  adw_toast_overlay_set_child (f->overlay, GTK_WIDGET (f->view));
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->overlay));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_for_frames (f->window);
}

static void
fixture_setup_empty (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!have_display)
    return;

  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);
  f->http = sk_http_new ();
  f->sync = sk_sync_manager_new (f->store, f->http);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  if (!have_display)
    return;

  fixture_setup_empty (f, data);
  build_store (f);
  open_window (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  pump (50);
  if (f->store != NULL)
    {
      /* Whatever a test did, the ledger and the levels agree. */
      g_assert_true (sk_store_check_stock_consistency (f->store, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&f->context);
  g_clear_object (&f->inventory);
  if (f->sync != NULL)
    sk_sync_manager_cancel_all (f->sync);
  g_clear_object (&f->sync);
  g_clear_object (&f->http);
  if (f->store != NULL)
    sk_store_close (f->store);
  g_clear_object (&f->store);
  if (f->demo != NULL)
    sk_demo_shop_stop (f->demo);
  g_clear_object (&f->demo);
  g_clear_pointer (&f->tmpdir, sk_test_tmpdir_free);
}

static gboolean
skip_without_display (void)
{
  if (!have_display)
    g_test_skip ("No display: run under xvfb-run");
  return !have_display;
}

/* Helpers */

static GListModel *
skus (Fixture *f)
{
  return sk_inventory_view_get_model (f->view);
}

static SkSkuItem *
item_of (Fixture *f,
         gint64   sku_id)
{
  guint position = sk_sku_list_find (SK_SKU_LIST (skus (f)), sku_id);

  g_assert_cmpuint (position, !=, G_MAXUINT);
  return g_list_model_get_item (skus (f), position);
}

static gint64
on_hand_at (Fixture *f,
            gint64   sku_id,
            gint64   location_id)
{
  g_autoptr(GError) error = NULL;
  SkStockLevel level = { 0 };
  gint64 on_hand;

  g_assert_true (sk_store_get_stock_level (f->store, sku_id, location_id, &level, &error));
  g_assert_no_error (error);
  on_hand = level.on_hand;
  g_free (level.location_name);
  g_free (level.sku);
  g_free (level.title);
  return on_hand;
}

typedef struct {
  Fixture *f;
  gint64 sku_id;
  gint64 location_id;
  gint64 on_hand;
} LevelState;

static gboolean
level_reached (gpointer data)
{
  LevelState *state = data;

  return on_hand_at (state->f, state->sku_id, state->location_id) == state->on_hand;
}

static void
wait_for_level (Fixture *f,
                gint64   sku_id,
                gint64   location_id,
                gint64   on_hand)
{
  LevelState state = { f, sku_id, location_id, on_hand };

  sk_test_wait_until (level_reached, &state, 10000);
}

static GPtrArray *
movements (Fixture *f,
           gint64   sku_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = sk_store_list_movements (f->store, sku_id, 0, 0, 100, &error);

  g_assert_no_error (error);
  return rows;
}

static SkMovement *
newest (GPtrArray *rows)
{
  g_assert_cmpuint (rows->len, >, 0);
  return g_ptr_array_index (rows, 0);
}

typedef struct {
  Fixture *f;
  AdwToast *previous;
} ToastState;

static gboolean
new_toast (gpointer data)
{
  ToastState *state = data;
  AdwToast *toast = sk_inventory_view_get_last_toast (state->f->view);

  return toast != NULL && toast != state->previous;
}

static void
wait_for_new_toast (Fixture  *f,
                    AdwToast *previous)
{
  ToastState state = { f, previous };

  sk_test_wait_until (new_toast, &state, 10000);
}

static gboolean
not_busy (gpointer data)
{
  return !sk_inventory_view_get_busy (data) &&
         !sk_inventory_get_busy (sk_inventory_view_get_inventory (data));
}

static void
wait_until_idle (Fixture *f)
{
  sk_test_wait_until (not_busy, f->view, 10000);
  pump (50);
}

/* Click the Undo button of the last toast. */
static void
click_undo (Fixture *f)
{
  AdwToast *toast = sk_inventory_view_get_last_toast (f->view);

  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_signal_emit_by_name (toast, "button-clicked");
}

static void
select_sku (Fixture *f,
            gint64   sku_id)
{
  g_assert_true (sk_inventory_view_select_sku (f->view, sku_id));
  pump (50);
}

static void
select_skus (Fixture      *f,
             const gint64 *ids,
             guint         n)
{
  GtkSelectionModel *selection = sk_inventory_view_get_selection (f->view);

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; i < n; i++)
    {
      guint position = sk_sku_list_find (SK_SKU_LIST (skus (f)), ids[i]);

      g_assert_cmpuint (position, !=, G_MAXUINT);
      gtk_selection_model_select_item (selection, position, FALSE);
    }
  pump (50);
}

static gboolean
has_column (Fixture    *f,
            const char *title)
{
  GtkColumnView *column_view = GTK_COLUMN_VIEW (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                                               SK_TYPE_INVENTORY_VIEW,
                                                                               "column_view"));
  GListModel *columns = gtk_column_view_get_columns (column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Tests */

static void
test_fills (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SkSkuItem) ts42 = NULL;
  g_autoptr(SkSkuItem) kit = NULL;
  g_autoptr(SkSkuItem) first = NULL;
  gint64 target = -1;
  gint64 confirmed = -1;
  GtkWidget *cell;

  if (skip_without_display ())
    return;

  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 5);
  g_assert_cmpstr (sk_inventory_view_get_visible_page (f->view), ==, "list");
  /* Sorted by SKU. */
  first = g_list_model_get_item (skus (f), 0);
  g_assert_cmpstr (sk_sku_item_get_sku (first), ==, "HAT-1");

  /* A column per location and per channel. */
  g_assert_true (has_column (f, "Main warehouse"));
  g_assert_true (has_column (f, "Shop backroom"));
  g_assert_true (has_column (f, "Acme Shop"));
  g_assert_true (has_column (f, "Acme Market"));

  ts42 = item_of (f, f->ts42);
  g_assert_cmpint (sk_sku_item_get_on_hand (ts42), ==, 15);
  g_assert_cmpint (sk_sku_item_get_available (ts42), ==, 15);
  g_assert_cmpint (sk_sku_item_get_on_hand_at (ts42, f->backroom), ==, 3);
  /* The market keeps two back. */
  g_assert_true (sk_sku_item_get_channel_quantity (ts42, f->market, &target, &confirmed));
  g_assert_cmpint (target, ==, 13);
  g_assert_cmpint (confirmed, ==, 15);
  kit = item_of (f, f->kit);
  g_assert_cmpint (sk_sku_item_get_available (kit), ==, 4);

  /* The count cells show the levels; a kit's is not editable. */
  cell = sk_inventory_view_get_count_cell (f->view, f->ts42, f->main_location);
  g_assert_nonnull (cell);
  g_assert_cmpstr (sk_count_cell_get_text (SK_COUNT_CELL (cell)), ==, "12");
  cell = sk_inventory_view_get_count_cell (f->view, f->kit, f->main_location);
  g_assert_nonnull (cell);
  g_assert_false (sk_count_cell_get_editable (SK_COUNT_CELL (cell)));
  /* It cannot be typed over: nothing is asked or recorded. */
  sk_count_cell_start_editing (SK_COUNT_CELL (cell));
  g_assert_false (sk_count_cell_get_editing (SK_COUNT_CELL (cell)));
  g_assert_cmpstr (sk_count_cell_get_text (SK_COUNT_CELL (cell)), ==, "—");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (sk_inventory_view_get_reason_popover (f->view))));

  /* Two listings wait for a match. */
  g_assert_cmpint (sk_inventory_view_get_n_unmatched (f->view), ==, 2);

  save_screenshot (f->window, "inventory.png");
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SkSkuItem) item = NULL;

  if (skip_without_display ())
    return;

  /* The hat, and the kit whose variant names a hat. */
  sk_inventory_view_set_search_text (f->view, "hat");
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 2);
  sk_inventory_view_set_search_text (f->view, "wool");
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 1);
  item = g_list_model_get_item (skus (f), 0);
  g_assert_cmpstr (sk_sku_item_get_sku (item), ==, "HAT-1");

  /* Every word must match: title and variant. */
  sk_inventory_view_set_search_text (f->view, "trail 43");
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 1);

  sk_inventory_view_set_search_text (f->view, "zzz");
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 0);
  g_assert_cmpstr (sk_inventory_view_get_visible_page (f->view), ==, "no-results");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.clear-filters", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 5);
  g_assert_cmpstr (sk_inventory_view_get_visible_page (f->view), ==, "list");

  /* Filters */
  sk_inventory_view_set_filter (f->view, SK_SKU_FILTER_OUT_OF_STOCK);
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 1);
  g_clear_object (&item);
  item = g_list_model_get_item (skus (f), 0);
  g_assert_cmpstr (sk_sku_item_get_sku (item), ==, "SOCK-1");

  sk_inventory_view_set_filter (f->view, SK_SKU_FILTER_LOW_STOCK);
  /* TS-43 (8 ≤ 10) and SOCK-1 (0 ≤ 2). */
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 2);

  sk_inventory_view_set_filter (f->view, SK_SKU_FILTER_KITS);
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 1);

  sk_inventory_view_set_filter (f->view, SK_SKU_FILTER_UNLISTED);
  /* TS-43 is listed only under an unmatched listing; SOCK-1 nowhere. */
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 2);

  sk_inventory_view_set_filter (f->view, SK_SKU_FILTER_ALL);
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 5);

  /* One location: one count column, named after it. */
  sk_inventory_view_set_location_filter (f->view, f->backroom);
  pump (50);
  g_assert_true (has_column (f, "Shop backroom"));
  g_assert_false (has_column (f, "Main warehouse"));
  g_assert_nonnull (sk_inventory_view_get_count_cell (f->view, f->ts42, f->backroom));
  g_assert_null (sk_inventory_view_get_count_cell (f->view, f->ts42, f->main_location));
  sk_inventory_view_set_location_filter (f->view, 0);
  pump (50);
  g_assert_true (has_column (f, "Main warehouse"));
}

static void
test_inline_adjust (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) undone = NULL;
  g_autoptr(SkSkuItem) item = NULL;
  SkStockPopover *popover;
  SkMovement *m;
  GtkWidget *cell;
  AdwToast *previous;

  if (skip_without_display ())
    return;

  before = movements (f, f->ts42);
  item = item_of (f, f->ts42);

  /* A typing mistake is refused with a sentence, and nothing recorded. */
  cell = sk_inventory_view_get_count_cell (f->view, f->ts42, f->main_location);
  g_assert_nonnull (cell);
  previous = sk_inventory_view_get_last_toast (f->view);
  sk_count_cell_start_editing (SK_COUNT_CELL (cell));
  sk_count_cell_set_typed (SK_COUNT_CELL (cell), "1O");
  sk_count_cell_stop_editing (SK_COUNT_CELL (cell), TRUE);
  wait_for_new_toast (f, previous);
  g_assert_true (g_str_has_prefix (adw_toast_get_title (sk_inventory_view_get_last_toast (f->view)),
                                   "“1O” is not a whole number"));
  g_assert_cmpstr (sk_count_cell_get_text (SK_COUNT_CELL (cell)), ==, "12");
  popover = sk_inventory_view_get_reason_popover (f->view);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* Escape leaves the count as it was. */
  sk_count_cell_start_editing (SK_COUNT_CELL (cell));
  g_assert_true (sk_count_cell_get_editing (SK_COUNT_CELL (cell)));
  sk_count_cell_set_typed (SK_COUNT_CELL (cell), "3");
  sk_count_cell_stop_editing (SK_COUNT_CELL (cell), FALSE);
  pump (50);
  g_assert_cmpstr (sk_count_cell_get_text (SK_COUNT_CELL (cell)), ==, "12");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));

  /* F2 on the selected row edits its count; Enter asks why. */
  select_sku (f, f->ts42);
  wait_for_frames (f->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.edit-count", NULL));
  cell = sk_inventory_view_get_count_cell (f->view, f->ts42, f->main_location);
  g_assert_true (sk_count_cell_get_editing (SK_COUNT_CELL (cell)));
  sk_count_cell_set_typed (SK_COUNT_CELL (cell), "10");
  save_screenshot (f->window, "count-editing.png");
  g_assert_true (sk_count_cell_get_editing (SK_COUNT_CELL (cell)));
  sk_count_cell_stop_editing (SK_COUNT_CELL (cell), TRUE);
  pump (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  save_screenshot_with_popover (f->window, GTK_WIDGET (popover), "adjust-popover.png");
  g_assert_cmpint (on_hand_at (f, f->ts42, f->main_location), ==, 12);

  previous = sk_inventory_view_get_last_toast (f->view);
  g_assert_true (sk_stock_popover_choose_reason (popover, "Damaged"));
  wait_for_level (f, f->ts42, f->main_location, 10);
  wait_for_new_toast (f, previous);
  wait_until_idle (f);

  after = movements (f, f->ts42);
  g_assert_cmpuint (after->len, ==, before->len + 1);
  m = newest (after);
  g_assert_cmpint (m->kind, ==, SK_MOVEMENT_ADJUST);
  g_assert_cmpint (m->quantity, ==, -2);
  g_assert_cmpint (m->location_id, ==, f->main_location);
  g_assert_cmpstr (m->reason, ==, "Damaged");
  g_assert_cmpstr (m->actor, ==, "user");
  /* The row shows it without being replaced. */
  g_assert_cmpint (sk_sku_item_get_available (item), ==, 13);
  g_assert_cmpstr (sk_count_cell_get_text (SK_COUNT_CELL (sk_inventory_view_get_count_cell (f->view, f->ts42, f->main_location))),
                   ==, "10");
  g_assert_cmpstr (adw_toast_get_title (sk_inventory_view_get_last_toast (f->view)), ==,
                   "TS-42 at Main warehouse: \xe2\x88\x92" "2 (Damaged)");

  /* Undo records the inverse; nothing is deleted. */
  previous = sk_inventory_view_get_last_toast (f->view);
  click_undo (f);
  wait_for_level (f, f->ts42, f->main_location, 12);
  wait_for_new_toast (f, previous);
  wait_until_idle (f);
  undone = movements (f, f->ts42);
  g_assert_cmpuint (undone->len, ==, before->len + 2);
  m = newest (undone);
  g_assert_cmpint (m->kind, ==, SK_MOVEMENT_ADJUST);
  g_assert_cmpint (m->quantity, ==, 2);
  g_assert_cmpstr (m->reason, ==, "Undo: Damaged");
  g_assert_cmpint (sk_sku_item_get_available (item), ==, 15);
  g_assert_true (g_str_has_prefix (adw_toast_get_title (sk_inventory_view_get_last_toast (f->view)), "Undone: "));
  /* An undo is not undone again. */
  g_assert_null (adw_toast_get_button_label (sk_inventory_view_get_last_toast (f->view)));

  /* A relative change, with a typed reason. */
  cell = sk_inventory_view_get_count_cell (f->view, f->hat, f->main_location);
  sk_count_cell_start_editing (SK_COUNT_CELL (cell));
  sk_count_cell_set_typed (SK_COUNT_CELL (cell), "+3");
  sk_count_cell_stop_editing (SK_COUNT_CELL (cell), TRUE);
  pump (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (popover),
                                                                      SK_TYPE_STOCK_POPOVER,
                                                                      "reason_entry")),
                         "Box found behind the shelf");
  g_assert_true (sk_stock_popover_submit (popover));
  wait_for_level (f, f->hat, f->main_location, 7);
  wait_until_idle (f);
  {
    g_autoptr(GPtrArray) hat = movements (f, f->hat);

    g_assert_cmpstr (newest (hat)->reason, ==, "Box found behind the shelf");
  }
}

static void
test_receive_transfer (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = NULL;
  SkStockPopover *popover;
  AdwToast *previous;
  SkMovement *m;

  if (skip_without_display ())
    return;

  select_sku (f, f->ts43);

  /* Receive: R opens the form at the default location. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.receive", NULL));
  pump (100);
  popover = sk_inventory_view_get_stock_popover (f->view, SK_STOCK_POPOVER_RECEIVE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpint (sk_stock_popover_get_location (popover), ==, f->main_location);
  sk_stock_popover_set_quantity (popover, 5);
  previous = sk_inventory_view_get_last_toast (f->view);
  g_assert_true (sk_stock_popover_submit (popover));
  wait_for_level (f, f->ts43, f->main_location, 13);
  wait_for_new_toast (f, previous);
  wait_until_idle (f);
  g_assert_cmpstr (adw_toast_get_title (sk_inventory_view_get_last_toast (f->view)), ==,
                   "Received 5 × TS-43 at Main warehouse");
  rows = movements (f, f->ts43);
  m = newest (rows);
  g_assert_cmpint (m->kind, ==, SK_MOVEMENT_RECEIVE);
  g_assert_cmpint (m->quantity, ==, 5);

  /* Transfer three to the backroom. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.transfer", NULL));
  pump (100);
  popover = sk_inventory_view_get_stock_popover (f->view, SK_STOCK_POPOVER_TRANSFER);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpint (sk_stock_popover_get_location (popover), ==, f->main_location);
  g_assert_cmpint (sk_stock_popover_get_to_location (popover), ==, f->backroom);
  sk_stock_popover_set_quantity (popover, 3);
  save_screenshot_with_popover (f->window, GTK_WIDGET (popover), "transfer-popover.png");
  previous = sk_inventory_view_get_last_toast (f->view);
  g_assert_true (sk_stock_popover_submit (popover));
  wait_for_level (f, f->ts43, f->backroom, 3);
  wait_for_new_toast (f, previous);
  wait_until_idle (f);
  g_assert_cmpint (on_hand_at (f, f->ts43, f->main_location), ==, 10);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = movements (f, f->ts43);
  g_assert_cmpint (((SkMovement *) g_ptr_array_index (rows, 0))->kind, ==, SK_MOVEMENT_TRANSFER_IN);
  g_assert_cmpint (((SkMovement *) g_ptr_array_index (rows, 1))->kind, ==, SK_MOVEMENT_TRANSFER_OUT);

  /* More than there is: refused with a sentence, nothing moves. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.transfer", NULL));
  pump (100);
  sk_stock_popover_set_quantity (popover, 500);
  previous = sk_inventory_view_get_last_toast (f->view);
  g_assert_true (sk_stock_popover_submit (popover));
  wait_for_new_toast (f, previous);
  wait_until_idle (f);
  g_assert_null (adw_toast_get_button_label (sk_inventory_view_get_last_toast (f->view)));
  g_assert_cmpint (on_hand_at (f, f->ts43, f->main_location), ==, 10);

  /* Undo moves the three back (Ctrl+Z undoes the last change that worked). */
  previous = sk_inventory_view_get_last_toast (f->view);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.undo-last", NULL));
  wait_for_level (f, f->ts43, f->backroom, 0);
  wait_for_new_toast (f, previous);
  wait_until_idle (f);
  g_assert_cmpint (on_hand_at (f, f->ts43, f->main_location), ==, 13);
}

static void
test_bulk_adjust (Fixture       *f,
                  gconstpointer  data)
{
  const gint64 ids[] = { f->ts42, f->hat, f->kit };
  SkStockPopover *popover;
  AdwToast *previous;

  if (skip_without_display ())
    return;

  /* The kit is left out: it holds no stock. */
  select_skus (f, ids, G_N_ELEMENTS (ids));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.adjust", NULL));
  pump (100);
  popover = sk_inventory_view_get_stock_popover (f->view, SK_STOCK_POPOVER_ADJUST);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  /* No change typed yet: a reason alone records nothing. */
  g_assert_false (sk_stock_popover_choose_reason (popover, "Found"));
  sk_stock_popover_set_quantity (popover, -1);
  previous = sk_inventory_view_get_last_toast (f->view);
  g_assert_true (sk_stock_popover_choose_reason (popover, "Lost or stolen"));
  wait_for_level (f, f->hat, f->main_location, 3);
  wait_for_new_toast (f, previous);
  wait_until_idle (f);
  g_assert_cmpint (on_hand_at (f, f->ts42, f->main_location), ==, 11);
  g_assert_cmpstr (adw_toast_get_title (sk_inventory_view_get_last_toast (f->view)), ==,
                   "Adjusted 2 SKUs by \xe2\x88\x92" "1 at Main warehouse (Lost or stolen)");

  previous = sk_inventory_view_get_last_toast (f->view);
  click_undo (f);
  wait_for_level (f, f->hat, f->main_location, 4);
  wait_for_new_toast (f, previous);
  wait_until_idle (f);
  g_assert_cmpint (on_hand_at (f, f->ts42, f->main_location), ==, 12);
}

typedef struct {
  Fixture *f;
  gint64 listing_id;
  gint64 target;
} TargetState;

static gboolean
target_reached (gpointer data)
{
  TargetState *state = data;
  g_autoptr(SkListing) listing = sk_store_get_listing (state->f->store, state->listing_id, NULL);

  return listing != NULL && listing->target_quantity == state->target;
}

static void
test_pane_rules (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SkListing) market = NULL;
  g_autoptr(GError) error = NULL;
  SkSkuPane *pane = sk_inventory_view_get_sku_pane (f->view);
  SkListingRule rule;
  SkListingRule effective;
  TargetState state;
  int source = -1;

  if (skip_without_display ())
    return;

  select_sku (f, f->ts42);
  wait_for_frames (f->window);
  g_assert_cmpint (sk_sku_pane_get_sku_id (pane), ==, f->ts42);
  /* Two receipts, one per location. */
  g_assert_cmpuint (sk_sku_pane_get_n_movements (pane), ==, 2);
  /* The market's rule keeps two back of 15. */
  g_assert_cmpint (sk_sku_pane_get_rule_preview (pane, f->market), ==, 13);
  g_assert_cmpint (sk_sku_pane_get_rule_preview (pane, f->shop), ==, 15);
  g_assert_cmpint (sk_sku_pane_get_rule_preview (pane, 9999), ==, -1);

  /* Typing a rule previews it at once, before anything is saved. */
  sk_listing_rule_init (&rule);
  rule.buffer = 5;
  rule.percent = 50;
  rule.maximum = 4;
  g_assert_true (sk_sku_pane_edit_rule (pane, f->market, &rule));
  /* floor ((15 − 5) × 50 %) = 5, at most 4 */
  g_assert_cmpint (sk_sku_pane_get_rule_preview (pane, f->market), ==, 4);
  rule.maximum = -1;
  g_assert_true (sk_sku_pane_edit_rule (pane, f->market, &rule));
  g_assert_cmpint (sk_sku_pane_get_rule_preview (pane, f->market), ==, 5);
  g_assert_true (sk_store_get_effective_rule (f->store, f->market, f->ts42, &effective, &source, &error));
  g_assert_cmpint (source, ==, 1);
  save_screenshot (f->window, "sku-pane.png");

  /* Apply: the SKU's own rule, and the engine sends the market 5. */
  g_assert_true (sk_sku_pane_apply_rule (pane, f->market));
  g_assert_true (sk_store_get_effective_rule (f->store, f->market, f->ts42, &effective, &source, &error));
  g_assert_no_error (error);
  g_assert_cmpint (source, ==, 2);
  g_assert_cmpint (effective.buffer, ==, 5);
  g_assert_cmpint (effective.percent, ==, 50);
  g_assert_cmpint (effective.maximum, ==, -1);

  market = sk_store_find_listing (f->store, f->market, "300", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (market);
  state = (TargetState) { f, market->id, 5 };
  sk_test_wait_until (target_reached, &state, 10000);
  wait_until_idle (f);
  /* The pane reloaded with the saved rule. */
  g_assert_cmpint (sk_sku_pane_get_rule_preview (pane, f->market), ==, 5);
  {
    g_autoptr(SkSkuItem) item = item_of (f, f->ts42);
    gint64 target = -1;

    g_assert_true (sk_sku_item_get_channel_quantity (item, f->market, &target, NULL));
    g_assert_cmpint (target, ==, 5);
  }
}

static gboolean
low_stock_is (Fixture  *f,
              gint64    sku_id,
              gboolean  low)
{
  guint position = sk_sku_list_find (SK_SKU_LIST (skus (f)), sku_id);
  g_autoptr(SkSkuItem) item = NULL;

  if (position == G_MAXUINT)
    return FALSE;
  item = g_list_model_get_item (skus (f), position);
  return sk_sku_item_get_low_stock (item) == low;
}

static gboolean
hat_low (gpointer data)
{
  Fixture *f = data;

  return low_stock_is (f, f->hat, TRUE);
}

static gboolean
hat_not_low (gpointer data)
{
  Fixture *f = data;

  return low_stock_is (f, f->hat, FALSE);
}

/* The pane edits the reorder point: the list flags the SKU, and the
 * change is the user's (a catalog pull leaves it alone). */
static void
test_pane_reorder_point (Fixture       *f,
                         gconstpointer  data)
{
  SkSkuPane *pane = sk_inventory_view_get_sku_pane (f->view);
  g_autoptr(SkSku) hat = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_display ())
    return;

  /* The hat: 4 available, no reorder point. */
  select_sku (f, f->hat);
  wait_for_frames (f->window);
  g_assert_true (low_stock_is (f, f->hat, FALSE));

  sk_sku_pane_edit_reorder_point (pane, 5);
  /* Nothing is saved before Apply. */
  hat = sk_store_get_sku (f->store, f->hat, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hat->reorder_point, ==, -1);
  g_clear_pointer (&hat, sk_sku_free);
  g_assert_true (sk_sku_pane_apply_reorder_point (pane));
  hat = sk_store_get_sku (f->store, f->hat, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hat->reorder_point, ==, 5);
  g_clear_pointer (&hat, sk_sku_free);
  sk_test_wait_until (hat_low, f, 10000);
  wait_until_idle (f);
  save_screenshot (f->window, "sku-pane-reorder-point.png");

  /* Turned off: no alert. */
  sk_sku_pane_edit_reorder_point (pane, -1);
  g_assert_true (sk_sku_pane_apply_reorder_point (pane));
  hat = sk_store_get_sku (f->store, f->hat, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hat->reorder_point, ==, -1);
  sk_test_wait_until (hat_not_low, f, 10000);
}

static void
test_unmatched (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(SkListing) listing = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  SkUnmatchedQueue *queue = sk_inventory_view_get_unmatched_queue (f->view);
  GtkWidget *popover;
  GtkRevealer *banner;
  AdwToast *toast;

  if (skip_without_display ())
    return;

  banner = GTK_REVEALER (gtk_widget_get_template_child (GTK_WIDGET (f->view), SK_TYPE_INVENTORY_VIEW,
                                                        "unmatched_revealer"));
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.show-unmatched", NULL));
  g_assert_cmpstr (sk_inventory_view_get_visible_page (f->view), ==, "unmatched");
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  g_assert_cmpuint (sk_unmatched_queue_get_n_listings (queue), ==, 2);
  ids = sk_unmatched_queue_get_listing_ids (queue);
  g_assert_true (g_array_index (ids, gint64, 0) == f->old_listing ||
                 g_array_index (ids, gint64, 1) == f->old_listing);
  save_screenshot (f->window, "unmatched.png");

  /* Match to SKU…: search, then pick. */
  popover = sk_unmatched_queue_open_match (queue, f->old_listing, "trail 43");
  g_assert_nonnull (popover);
  wait_for_frames (f->window);
  save_screenshot_with_popover (f->window, popover, "unmatched-match.png");
  gtk_popover_popdown (GTK_POPOVER (popover));
  g_assert_true (sk_unmatched_queue_match (queue, f->old_listing, f->ts43));
  g_assert_cmpuint (sk_unmatched_queue_get_n_listings (queue), ==, 1);
  listing = sk_store_get_listing (f->store, f->old_listing, &error);
  g_assert_no_error (error);
  g_assert_cmpint (listing->sku_id, ==, f->ts43);
  g_assert_cmpint (listing->match_state, ==, SK_MATCH_STATE_MANUAL);
  pump (100);
  g_assert_cmpint (sk_inventory_view_get_n_unmatched (f->view), ==, 1);

  /* Undo puts it back into the queue. */
  toast = sk_unmatched_queue_get_last_toast (queue);
  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_signal_emit_by_name (toast, "button-clicked");
  pump (100);
  g_assert_cmpuint (sk_unmatched_queue_get_n_listings (queue), ==, 2);
  g_clear_pointer (&listing, sk_listing_free);
  listing = sk_store_get_listing (f->store, f->old_listing, &error);
  g_assert_cmpint (listing->sku_id, ==, 0);

  /* Match again, and ignore the gift card: the queue is empty. */
  g_assert_true (sk_unmatched_queue_match (queue, f->old_listing, f->ts43));
  g_assert_true (sk_unmatched_queue_ignore (queue, f->gift_listing));
  g_assert_cmpuint (sk_unmatched_queue_get_n_listings (queue), ==, 0);
  g_clear_pointer (&listing, sk_listing_free);
  listing = sk_store_get_listing (f->store, f->gift_listing, &error);
  g_assert_cmpint (listing->match_state, ==, SK_MATCH_STATE_IGNORED);
  pump (100);
  g_assert_cmpint (sk_inventory_view_get_n_unmatched (f->view), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "inventory.show-list", NULL));
  g_assert_cmpstr (sk_inventory_view_get_visible_page (f->view), ==, "list");
  g_assert_false (gtk_revealer_get_reveal_child (banner));
}

static void
on_counts_applied (SkStockCsvDialog *dialog,
                   GPtrArray        *edits,
                   const gint64     *changes,
                   guint             n_changed,
                   guint             n_unchanged,
                   gpointer          user_data)
{
  guint *applied = user_data;

  g_assert_cmpuint (edits->len, ==, 2);
  *applied = n_changed;
}

static gboolean
dialog_ready (gpointer data)
{
  return !sk_stock_csv_dialog_get_busy (data) && sk_stock_csv_dialog_get_preview (data) != NULL;
}

static gboolean
nonzero (gpointer data)
{
  return *(guint *) data != 0;
}

static void
test_csv_import (Fixture       *f,
                 gconstpointer  data)
{
  const char *csv =
    "SKU,Location,Counted\r\n"
    "TS-42,Main warehouse,9\r\n"
    "NOPE-1,,3\r\n"
    "TS-43,Shop backroom,2\r\n"
    "HAT-1,Main warehouse,4\r\n"
    "KIT-1,,1\r\n";
  g_autofree char *path = g_build_filename (f != NULL && f->tmpdir != NULL ? f->tmpdir : ".", "count.csv", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const SkStockCsvPreview *preview;
  SkStockCsvDialog *dialog;
  guint applied = 0;

  if (skip_without_display ())
    return;

  g_assert_true (g_file_set_contents (path, csv, -1, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  dialog = sk_stock_csv_dialog_new (GTK_WINDOW (f->window), f->context, f->inventory);
  g_signal_connect (dialog, "applied", G_CALLBACK (on_counts_applied), &applied);
  gtk_window_present (GTK_WINDOW (dialog));
  sk_stock_csv_dialog_set_file (dialog, file);
  sk_test_wait_until (dialog_ready, dialog, 10000);
  preview = sk_stock_csv_dialog_get_preview (dialog);
  g_assert_cmpuint (preview->n_changed, ==, 2);
  g_assert_cmpuint (preview->n_unchanged, ==, 1);
  /* The unknown SKU and the kit, by line. */
  g_assert_cmpuint (preview->errors->len, ==, 2);
  g_assert_cmpuint (((SkCsvRowError *) g_ptr_array_index (preview->errors, 0))->line, ==, 3);
  g_assert_cmpuint (((SkCsvRowError *) g_ptr_array_index (preview->errors, 1))->line, ==, 6);
  save_screenshot (GTK_WIDGET (dialog), "stock-csv-preview.png");

  g_assert_true (sk_stock_csv_dialog_apply (dialog));
  sk_test_wait_until (nonzero, &applied, 10000);
  g_assert_cmpuint (applied, ==, 2);
  wait_for_level (f, f->ts42, f->main_location, 9);
  g_assert_cmpint (on_hand_at (f, f->ts43, f->backroom), ==, 2);
  rows = movements (f, f->ts42);
  g_assert_cmpint (newest (rows)->kind, ==, SK_MOVEMENT_COUNT);
  g_assert_cmpstr (newest (rows)->reason, ==, "Stock count from “count.csv”");
  g_assert_cmpint (newest (rows)->counted, ==, 9);
  wait_until_idle (f);
  g_assert_cmpint (g_unlink (path), ==, 0);
}


/* The demo shop's two catalogs, pulled over loopback the way the app pulls
 * them, in the view. */

static char *
demo_secret (const SkChannelRecord *record,
             gpointer               user_data,
             GError               **error)
{
  if (g_strcmp0 (record->kind, "woocommerce") == 0)
    return g_strdup (SK_DEMO_WOO_SECRET);
  return g_strdup (SK_DEMO_SHOP_TOKEN);
}

static void
on_pulled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sk_catalog_scheduler_pull_now_finish (SK_CATALOG_SCHEDULER (source), result,
                                                       NULL, &error));
  g_assert_no_error (error);
  (*(guint *) user_data)++;
}

static gboolean
two_pulled (gpointer data)
{
  return *(guint *) data == 2;
}

static void
test_demo_catalog (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SkCatalogScheduler) catalog = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSkuItem) first = NULL;
  gint64 channels[2];
  guint pulled = 0;
  guint n;

  if (skip_without_display ())
    return;

  f->demo = sk_demo_shop_new (20241122, 20);
  g_assert_true (sk_demo_shop_start (f->demo, &error));
  g_assert_no_error (error);
  channels[0] = add_channel (f, "shopify", "Demo Outfitters", sk_demo_shop_get_domain (f->demo));
  channels[1] = add_channel (f, "woocommerce", SK_DEMO_WOO_SITE_NAME, sk_demo_shop_get_woo_site (f->demo));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SkChannelRecord) record = sk_store_get_channel (f->store, channels[i], &error);

      g_assert_no_error (error);
      g_free (record->base_url);
      record->base_url = g_strdup (sk_demo_shop_get_base_url (f->demo));
      g_assert_true (sk_store_update_channel (f->store, record, &error));
      g_assert_no_error (error);
    }
  sk_sync_manager_set_secret_lookup (f->sync, demo_secret, NULL, NULL);
  sk_sync_manager_reload (f->sync);

  f->inventory = sk_inventory_new (f->store);
  sk_inventory_start (f->inventory);
  open_window (f);

  catalog = sk_catalog_scheduler_new (f->sync);
  sk_catalog_scheduler_set_interval (catalog, 0);
  for (guint i = 0; i < 2; i++)
    sk_catalog_scheduler_pull_now_async (catalog, channels[i], NULL, on_pulled, &pulled);
  sk_test_wait_until (two_pulled, &pulled, 60000);
  wait_until_idle (f);
  pump (200);

  /* The first catalog filled the master; the list shows it by itself. */
  n = g_list_model_get_n_items (skus (f));
  g_test_message ("%u SKUs from the demo catalogs", n);
  g_assert_cmpuint (n, >, 5);
  g_assert_cmpstr (sk_inventory_view_get_visible_page (f->view), ==, "list");
  g_assert_true (has_column (f, "Demo Outfitters"));
  g_assert_true (has_column (f, SK_DEMO_WOO_SITE_NAME));
  first = g_list_model_get_item (skus (f), 0);
  g_assert_cmpuint (sk_sku_item_get_n_listings (first), >, 0);
  save_screenshot (f->window, "inventory-demo.png");

  /* Select one: its pane lists its channels. */
  select_sku (f, sk_sku_item_get_id (first));
  save_screenshot (f->window, "inventory-demo-pane.png");

  /* The WooCommerce catalog's low stock thresholds became reorder
   * points: the demo's low items are flagged, the rest not. */
  {
    const char *low[] = { "TENT-2P-BLU", "JKT-DOWN-M-GRY", "FILT-SQZ", "FUEL-230" };
    const char *fine[] = { "TENT-2P-GRN", "JKT-DOWN-L-GRY", "MEAL-CHL" };

    for (guint i = 0; i < G_N_ELEMENTS (low); i++)
      {
        g_autoptr(SkSku) sku = sk_store_find_sku (f->store, low[i], &error);

        g_assert_no_error (error);
        g_assert_nonnull (sku);
        g_test_message ("%s: %" G_GINT64_FORMAT " available, reorder point %" G_GINT64_FORMAT,
                        low[i], sku->available, sku->reorder_point);
        g_assert_cmpint (sku->reorder_point, >=, 0);
        g_assert_cmpint (sku->available, <=, sku->reorder_point);
        g_assert_true (low_stock_is (f, sku->id, TRUE));
      }
    for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
      {
        g_autoptr(SkSku) sku = sk_store_find_sku (f->store, fine[i], &error);

        g_assert_no_error (error);
        g_assert_nonnull (sku);
        g_assert_cmpint (sku->reorder_point, >=, 0);
        g_assert_true (low_stock_is (f, sku->id, FALSE));
      }
  }
  sk_inventory_view_set_filter (f->view, SK_SKU_FILTER_LOW_STOCK);
  wait_until_idle (f);
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), >=, 4);
  {
    g_autoptr(SkSku) tent = sk_store_find_sku (f->store, "TENT-2P-BLU", NULL);

    g_assert_nonnull (tent);
    select_sku (f, tent != NULL ? tent->id : 0);
  }
  save_screenshot (f->window, "inventory-demo-low.png");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  if (skip_without_display ())
    return;

  f->inventory = sk_inventory_new (f->store);
  open_window (f);
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 0);
  g_assert_cmpstr (sk_inventory_view_get_visible_page (f->view), ==, "empty");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->view),
                                                                                    SK_TYPE_INVENTORY_VIEW,
                                                                                    "toolbar"))));
  save_screenshot (f->window, "inventory-empty.png");

  /* A first SKU arrives: the list appears by itself. */
  add_sku (f, "NEW-1", "First product", NULL, -1);
  pump (200);
  g_assert_cmpuint (g_list_model_get_n_items (skus (f)), ==, 1);
  g_assert_cmpstr (sk_inventory_view_get_visible_page (f->view), ==, "list");
}

/* Icons and the file chooser need the system's MIME database, which
 * G_TEST_OPTION_ISOLATE_DIRS hides: point GIO at it before the test
 * directories replace XDG_DATA_DIRS (as test-ui-inbox does). */
static void
keep_system_mime_database (void)
{
  const char * const *system_dirs = g_get_system_data_dirs ();
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; system_dirs[i] != NULL; i++)
    g_ptr_array_add (dirs, g_build_filename (system_dirs[i], "mime", NULL));
  g_ptr_array_add (dirs, NULL);
  g_content_type_set_mime_dirs ((const char * const *) dirs->pdata);
}

int
main (int   argc,
      char *argv[])
{
  keep_system_mime_database ();
  /* G_TEST_OPTION_ISOLATE_DIRS hides the system's GSettings schemas, which
   * GIO's GNOME proxy resolver needs; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);
  /* Untranslated words and the C locale's dates. */
  setlocale (LC_ALL, "C.UTF-8");

  gtk_disable_setlocale ();
  have_display = gtk_init_check ();
  if (have_display)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
      g_object_set (gtk_settings_get_default (), "gtk-recent-files-enabled", FALSE, NULL);
      /* What AdwApplication does for the app. */
      gtk_css_provider_load_from_resource (css, "/io/github/storekeep/Storekeep/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  g_test_add ("/ui/inventory/fills", Fixture, NULL, fixture_setup, test_fills, fixture_teardown);
  g_test_add ("/ui/inventory/search", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
  g_test_add ("/ui/inventory/inline-adjust", Fixture, NULL, fixture_setup, test_inline_adjust, fixture_teardown);
  g_test_add ("/ui/inventory/receive-transfer", Fixture, NULL, fixture_setup, test_receive_transfer, fixture_teardown);
  g_test_add ("/ui/inventory/bulk-adjust", Fixture, NULL, fixture_setup, test_bulk_adjust, fixture_teardown);
  g_test_add ("/ui/inventory/pane-rules", Fixture, NULL, fixture_setup, test_pane_rules, fixture_teardown);
  g_test_add ("/ui/inventory/pane-reorder-point", Fixture, NULL, fixture_setup, test_pane_reorder_point, fixture_teardown);
  g_test_add ("/ui/inventory/unmatched", Fixture, NULL, fixture_setup, test_unmatched, fixture_teardown);
  g_test_add ("/ui/inventory/csv-import", Fixture, NULL, fixture_setup, test_csv_import, fixture_teardown);
  g_test_add ("/ui/inventory/empty", Fixture, NULL, fixture_setup_empty, test_empty, fixture_teardown);
  g_test_add ("/ui/inventory/demo-catalog", Fixture, NULL, fixture_setup_empty, test_demo_catalog, fixture_teardown);

  return g_test_run ();
}
