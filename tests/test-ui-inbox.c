/* test-ui-inbox.c: the main window and the order inbox, driven for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Syncs the embedded demo shop on 127.0.0.1 into a temporary store, builds
 * the window on it and works the inbox as a person would: search, select,
 * hold with a reason, undo, tag, mark an order shipped and watch the
 * shipment go out to a loopback Shopify; and runs the real application
 * with --demo. Needs a display (xvfb in CI) and the
 * compiled GSettings schema (GSETTINGS_SCHEMA_DIR, set by meson). Saves
 * screenshots of each state into $G_TEST_BUILDDIR/screenshots/.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "sk-application.h"
#include "sk-channel-section.h"
#include "sk-context.h"
#include "sk-csv-channel.h"
#include "sk-demo-shop.h"
#include "sk-inbox-view.h"
#include "sk-order-list.h"
#include "sk-order-pane.h"
#include "sk-outbox-dispatcher.h"
#include "sk-preferences-window.h"
#include "sk-ship-popover.h"
#include "sk-shopify-normalize.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-store-outbox.h"
#include "sk-store-problems.h"
#include "sk-test-server.h"
#include "sk-test-util.h"
#include "sk-window.h"

#define N_DEMO_ORDERS 120

typedef struct {
  char *tmpdir;
  SkDemoShop *shop;
  SkStore *store;
  SkHttp *http;
  SkSyncManager *sync;
  SkContext *context;
  SkWindow *window;
  SkInboxView *inbox;
  gint64 channel_id;
  AdwToast *toast_before;   /* unowned, compared by address only */
} Fixture;

static gboolean have_display;

/* Waiting */

static gboolean
widget_is_visible (gpointer widget)
{
  return gtk_widget_get_visible (GTK_WIDGET (widget));
}

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
  /* Revealer and stack transitions last 250 ms. */
  pump (400);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *build_dir = g_getenv ("G_TEST_BUILDDIR");
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  GskRenderer *renderer;
  int width, height;

  wait_for_frames (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  dir = g_build_filename (build_dir != NULL ? build_dir : ".", "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* Fixture */

static char *
demo_secret (const SkChannelRecord *record,
             gpointer               user_data,
             GError               **error)
{
  return g_strdup (SK_DEMO_SHOP_TOKEN);
}

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
add_demo_channel (Fixture *fixture)
{
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  fixture->shop = sk_demo_shop_new (7, N_DEMO_ORDERS);
  g_assert_true (sk_demo_shop_start (fixture->shop, &error));
  g_assert_no_error (error);

  record->kind = g_strdup ("shopify");
  record->name = g_strdup ("Demo Outfitters");
  record->account = g_strdup (sk_demo_shop_get_domain (fixture->shop));
  record->base_url = g_strdup (sk_demo_shop_get_base_url (fixture->shop));
  record->secret_ref = g_strdup ("test");
  record->settings = g_strdup ("{}");
  g_assert_true (sk_store_add_channel (fixture->store, record, &error));
  g_assert_no_error (error);
  fixture->channel_id = record->id;

  sk_sync_manager_set_secret_lookup (fixture->sync, demo_secret, NULL, NULL);
  sk_sync_manager_reload (fixture->sync);
  sk_sync_manager_sync_now_async (fixture->sync, 0, NULL, on_synced, &done);
  sk_test_wait_for (&done, 60000);
  g_assert_cmpint (sk_store_count_orders (fixture->store, 0, NULL), ==, N_DEMO_ORDERS);
}

static void
open_window (Fixture *fixture)
{
  fixture->context = sk_context_new (fixture->store, fixture->sync, NULL, NULL);
  g_assert_nonnull (sk_context_get_settings (fixture->context));
  fixture->window = sk_window_new (NULL, fixture->context);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->inbox = sk_window_get_inbox_view (fixture->window);
  wait_for_frames (GTK_WIDGET (fixture->window));
}

static void
fixture_setup_empty (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!have_display)
    return;

  fixture->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (fixture->tmpdir, "storekeep.db", NULL);
  fixture->store = sk_store_open (path, &error);
  g_assert_no_error (error);
  fixture->http = sk_http_new ();
  fixture->sync = sk_sync_manager_new (fixture->store, fixture->http);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  if (!have_display)
    return;

  fixture_setup_empty (fixture, data);
  add_demo_channel (fixture);
  open_window (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  pump (50);
  g_clear_object (&fixture->context);
  if (fixture->sync != NULL)
    sk_sync_manager_cancel_all (fixture->sync);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->http);
  if (fixture->store != NULL)
    sk_store_close (fixture->store);
  g_clear_object (&fixture->store);
  if (fixture->shop != NULL)
    sk_demo_shop_stop (fixture->shop);
  g_clear_object (&fixture->shop);
  g_clear_pointer (&fixture->tmpdir, sk_test_tmpdir_free);
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
orders (Fixture *fixture)
{
  return sk_inbox_view_get_model (fixture->inbox);
}

static SkOrder *
order_at (Fixture *fixture,
          guint    position)
{
  return g_list_model_get_item (orders (fixture), position);
}

static GtkWidget *
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static SkOrder *
load (Fixture *fixture,
      gint64   id)
{
  g_autoptr(GError) error = NULL;
  SkOrder *order = sk_store_load_order (fixture->store, id, &error);

  g_assert_no_error (error);
  return order;
}

typedef struct {
  Fixture *fixture;
  gint64 id;
  gboolean on_hold;
  const char *tag;
  gboolean has_tag;
} OrderState;

static gboolean
order_on_hold_is (gpointer data)
{
  OrderState *state = data;
  g_autoptr(SkOrder) order = load (state->fixture, state->id);

  return sk_order_get_on_hold (order) == state->on_hold;
}

static gboolean
order_has_tag_is (gpointer data)
{
  OrderState *state = data;
  g_autoptr(SkOrder) order = load (state->fixture, state->id);

  return sk_order_has_tag (order, state->tag) == state->has_tag;
}

static guint
count_events (Fixture    *fixture,
              gint64      id,
              const char *what,
              const char *why)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  events = sk_store_list_events (fixture->store, "order", id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      SkEvent *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (event->what, what) == 0 &&
          (why == NULL || g_strcmp0 (event->why, why) == 0))
        n++;
    }
  return n;
}

typedef struct {
  GListModel *model;
  guint n;
  gboolean fewer;
} CountState;

static gboolean
count_reached (gpointer data)
{
  CountState *state = data;
  guint n = g_list_model_get_n_items (state->model);

  return state->fewer ? n < state->n : n == state->n;
}

static const char *
last_toast_title (Fixture *fixture)
{
  AdwToast *toast = sk_inbox_view_get_last_toast (fixture->inbox);

  return toast != NULL ? adw_toast_get_title (toast) : NULL;
}

typedef struct {
  Fixture *fixture;
  AdwToast *previous;
} ToastState;

static gboolean
new_toast (gpointer data)
{
  ToastState *state = data;
  AdwToast *toast = sk_inbox_view_get_last_toast (state->fixture->inbox);

  return toast != NULL && toast != state->previous;
}

/* Wait for a toast other than @previous (the last one before the action). */
static void
wait_for_new_toast (Fixture  *fixture,
                    AdwToast *previous)
{
  ToastState state = { fixture, previous };

  sk_test_wait_until (new_toast, &state, 10000);
}

#define LAST_TOAST(f) sk_inbox_view_get_last_toast ((f)->inbox)

/* Activate the Undo button of the last toast, as a click does. */
static void
click_undo (Fixture *fixture)
{
  AdwToast *toast = sk_inbox_view_get_last_toast (fixture->inbox);

  g_assert_nonnull (toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Undo");
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (fixture->inbox),
                                                     adw_toast_get_action_name (toast),
                                                     adw_toast_get_action_target_value (toast)));
}

static void
select_position (Fixture *fixture,
                 guint    position)
{
  GtkSelectionModel *selection = sk_inbox_view_get_selection (fixture->inbox);

  g_assert_true (gtk_selection_model_select_item (selection, position, TRUE));
  pump (50);
}

/* Tests */

static void
test_fills (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SkOrder) first = NULL;
  g_autoptr(SkOrder) second = NULL;

  if (skip_without_display ())
    return;

  g_assert_cmpuint (g_list_model_get_n_items (orders (fixture)), ==,
                    sk_demo_shop_get_n_orders (fixture->shop));
  g_assert_cmpstr (sk_inbox_view_get_visible_page (fixture->inbox), ==, "list");
  g_assert_cmpstr (sk_window_get_view (fixture->window), ==, "inbox");

  /* Newest first by default. */
  first = order_at (fixture, 0);
  second = order_at (fixture, 1);
  g_assert_cmpint (sk_order_get_created_at (first), >=, sk_order_get_created_at (second));

  /* Nothing selected: no pane, actions off. */
  g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (child (fixture->inbox, SK_TYPE_INBOX_VIEW, "flap"))));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child (fixture->inbox, SK_TYPE_INBOX_VIEW,
                                                                      "selection_revealer"))));

  save_screenshot (GTK_WIDGET (fixture->window), "inbox.png");

  /* Every column fits: no sideways scrolling at the default size. */
  {
    GtkWidget *scroller = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "list_scroller");
    GtkAdjustment *hadj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));

    g_test_message ("hadjustment upper %g page %g", gtk_adjustment_get_upper (hadj),
                    gtk_adjustment_get_page_size (hadj));
    g_assert_cmpfloat (gtk_adjustment_get_upper (hadj), <=, gtk_adjustment_get_page_size (hadj) + 0.5);
  }
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SkOrder) target = NULL;
  g_auto(GStrv) words = NULL;
  CountState fewer = { 0 };
  CountState none = { 0 };
  CountState all = { 0 };
  const char *name;
  guint n;

  if (skip_without_display ())
    return;

  n = g_list_model_get_n_items (orders (fixture));
  target = order_at (fixture, 17);
  name = sk_order_get_customer_name (target);
  g_assert_nonnull (name);
  words = g_strsplit (name, " ", -1);

  /* Ctrl+F's action puts the focus into the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  g_assert_true (gtk_widget_has_focus (child (fixture->inbox, SK_TYPE_INBOX_VIEW, "search_entry")) ||
                 gtk_widget_is_focus (gtk_root_get_focus (GTK_ROOT (fixture->window))));

  sk_inbox_view_set_search_text (fixture->inbox, name);
  fewer.model = orders (fixture);
  fewer.n = n;
  fewer.fewer = TRUE;
  sk_test_wait_until (count_reached, &fewer, 5000);
  g_assert_cmpuint (g_list_model_get_n_items (orders (fixture)), >, 0);
  g_assert_cmpuint (sk_order_list_find (SK_ORDER_LIST (orders (fixture)),
                                        sk_order_get_id (target)), !=, G_MAXUINT);
  for (guint i = 0; i < g_list_model_get_n_items (orders (fixture)); i++)
    {
      g_autoptr(SkOrder) hit = order_at (fixture, i);

      g_test_message ("hit: %s %s", sk_order_get_number (hit), sk_order_get_customer_name (hit));
    }
  save_screenshot (GTK_WIDGET (fixture->window), "search.png");

  /* Nothing matches: the empty state says so and offers to clear. */
  sk_inbox_view_set_search_text (fixture->inbox, "qqqzzzxxv");
  none.model = orders (fixture);
  none.n = 0;
  sk_test_wait_until (count_reached, &none, 5000);
  g_assert_cmpstr (sk_inbox_view_get_visible_page (fixture->inbox), ==, "no-results");
  save_screenshot (GTK_WIDGET (fixture->window), "no-results.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.clear-filters", NULL));
  all.model = orders (fixture);
  all.n = n;
  sk_test_wait_until (count_reached, &all, 5000);
  g_assert_cmpstr (sk_inbox_view_get_visible_page (fixture->inbox), ==, "list");
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *filters;
  GtkWidget *hold_switch;
  CountState none = { 0 };
  CountState some = { 0 };
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  guint n;

  if (skip_without_display ())
    return;

  n = g_list_model_get_n_items (orders (fixture));
  filters = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "filters");
  hold_switch = child (filters, g_type_from_name ("SkInboxFilters"), "hold_switch");

  /* Only orders on hold: none yet. */
  gtk_switch_set_active (GTK_SWITCH (hold_switch), TRUE);
  none.model = orders (fixture);
  none.n = 0;
  sk_test_wait_until (count_reached, &none, 5000);
  g_assert_cmpstr (sk_inbox_view_get_visible_page (fixture->inbox), ==, "no-results");

  /* Hold one behind the view's back: the list follows the store. */
  gtk_switch_set_active (GTK_SWITCH (hold_switch), FALSE);
  some.model = orders (fixture);
  some.n = n;
  sk_test_wait_until (count_reached, &some, 5000);
  order = order_at (fixture, 3);
  id = sk_order_get_id (order);
  g_assert_true (sk_store_apply_action_sync (fixture->store, &id, 1, SK_ORDER_ACTION_HOLD,
                                             "Test hold", "user", NULL, &error));
  g_assert_no_error (error);
  gtk_switch_set_active (GTK_SWITCH (hold_switch), TRUE);
  some.n = 1;
  sk_test_wait_until (count_reached, &some, 5000);
  g_clear_object (&order);
  order = order_at (fixture, 0);
  g_assert_cmpint (sk_order_get_id (order), ==, id);
  g_assert_true (gtk_widget_has_css_class (child (fixture->inbox, SK_TYPE_INBOX_VIEW, "filter_button"),
                                           "filters-active"));
  gtk_menu_button_popup (GTK_MENU_BUTTON (child (fixture->inbox, SK_TYPE_INBOX_VIEW, "filter_button")));
  save_screenshot (filters, "filters.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (child (fixture->inbox, SK_TYPE_INBOX_VIEW, "filter_button")));
  gtk_switch_set_active (GTK_SWITCH (hold_switch), FALSE);
  some.n = n;
  sk_test_wait_until (count_reached, &some, 5000);
}

static void
test_pane (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SkOrder) listed = NULL;
  g_autoptr(SkOrder) full = NULL;
  SkOrderPane *pane;
  GtkWidget *number_label;
  GtkWidget *lines_list;
  GtkWidget *row;
  guint n_rows = 0;

  if (skip_without_display ())
    return;

  listed = order_at (fixture, 2);
  full = load (fixture, sk_order_get_id (listed));
  g_assert_cmpuint (sk_order_get_lines (full)->len, >, 0);

  select_position (fixture, 2);
  pane = sk_inbox_view_get_order_pane (fixture->inbox);
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (child (fixture->inbox, SK_TYPE_INBOX_VIEW, "flap"))));
  g_assert_cmpint (sk_order_pane_get_order_id (pane), ==, sk_order_get_id (listed));

  number_label = child (pane, SK_TYPE_ORDER_PANE, "number_label");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (number_label)), ==, sk_order_get_number (listed));

  lines_list = child (pane, SK_TYPE_ORDER_PANE, "lines_list");
  for (row = gtk_widget_get_first_child (lines_list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      n_rows++;
  g_assert_cmpuint (n_rows, ==, sk_order_get_lines (full)->len);
  {
    SkOrderLine *line = g_ptr_array_index (sk_order_get_lines (full), 0);
    GtkWidget *first_row = gtk_widget_get_first_child (lines_list);

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first_row)), ==, line->title);
  }
  /* The import is in its history. */
  g_assert_cmpuint (sk_order_pane_get_history_count (pane), >=, 1);

  save_screenshot (GTK_WIDGET (fixture->window), "pane.png");

  /* J moves to the next order. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.next", NULL));
  pump (50);
  {
    g_autoptr(SkOrder) next = order_at (fixture, 3);

    g_assert_cmpint (sk_order_pane_get_order_id (pane), ==, sk_order_get_id (next));
  }

  /* Two orders: a summary instead of one order. */
  gtk_selection_model_select_range (sk_inbox_view_get_selection (fixture->inbox), 0, 2, TRUE);
  pump (50);
  g_assert_cmpint (sk_order_pane_get_order_id (pane), ==, 0);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (child (fixture->inbox, SK_TYPE_INBOX_VIEW,
                                                                         "selection_label"))),
                                   "2 orders selected"));
  save_screenshot (GTK_WIDGET (fixture->window), "multi-selection.png");

  /* A narrow window: the pane folds over the list. */
  gtk_selection_model_unselect_all (sk_inbox_view_get_selection (fixture->inbox));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 700);
  wait_for_frames (GTK_WIDGET (fixture->window));
  g_test_message ("window width %d", gtk_widget_get_width (GTK_WIDGET (fixture->window)));
  if (gtk_widget_get_width (GTK_WIDGET (fixture->window)) < 700)
    {
      GtkWidget *flap = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "flap");

      g_assert_true (adw_flap_get_folded (ADW_FLAP (flap)));
      save_screenshot (GTK_WIDGET (fixture->window), "inbox-narrow.png");
      select_position (fixture, 2);
      g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
      save_screenshot (GTK_WIDGET (fixture->window), "pane-narrow.png");
    }
}

static void
test_hold_and_undo (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SkOrder) listed = NULL;
  OrderState state = { fixture };
  SkOrderPane *pane;
  GtkWidget *hold_button;
  GtkWidget *entry;
  GtkWidget *confirm;
  guint history_before;
  const char *reason = "Check the delivery address";

  if (skip_without_display ())
    return;

  listed = order_at (fixture, 4);
  state.id = sk_order_get_id (listed);
  g_assert_false (sk_order_get_on_hold (listed));
  select_position (fixture, 4);
  pane = sk_inbox_view_get_order_pane (fixture->inbox);
  history_before = sk_order_pane_get_history_count (pane);

  /* H opens the hold popover; no reason, no hold. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.hold", NULL));
  hold_button = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "hold_button");
  entry = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "hold_reason_entry");
  confirm = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "hold_confirm_button");
  sk_test_wait_until (widget_is_visible, gtk_menu_button_get_popover (GTK_MENU_BUTTON (hold_button)), 10000);
  g_assert_false (gtk_widget_get_sensitive (confirm));
  gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
  g_assert_false (gtk_widget_get_sensitive (confirm));
  gtk_editable_set_text (GTK_EDITABLE (entry), reason);
  g_assert_true (gtk_widget_get_sensitive (confirm));
  save_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (hold_button))),
                   "hold-popover.png");

  fixture->toast_before = LAST_TOAST (fixture);
  gtk_widget_activate (confirm);
  state.on_hold = TRUE;
  sk_test_wait_until (order_on_hold_is, &state, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  {
    g_autoptr(SkOrder) held = load (fixture, state.id);

    g_assert_cmpstr (sk_order_get_hold_reason (held), ==, reason);
  }
  g_assert_cmpuint (count_events (fixture, state.id, "hold", reason), ==, 1);
  g_assert_nonnull (strstr (last_toast_title (fixture), "put on hold"));
  g_assert_nonnull (strstr (last_toast_title (fixture), sk_order_get_number (listed)));
  pump (200);
  g_assert_cmpuint (sk_order_pane_get_history_count (pane), ==, history_before + 1);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (pane, SK_TYPE_ORDER_PANE, "hold_revealer"))));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (pane, SK_TYPE_ORDER_PANE, "hold_reason_label"))),
                   ==, reason);
  /* The listed row follows. */
  {
    g_autoptr(SkOrder) row = order_at (fixture, 4);

    g_assert_true (sk_order_get_on_hold (row));
  }
  save_screenshot (GTK_WIDGET (fixture->window), "hold.png");

  /* Undo releases it again, and says so in the history. */
  fixture->toast_before = LAST_TOAST (fixture);
  click_undo (fixture);
  state.on_hold = FALSE;
  sk_test_wait_until (order_on_hold_is, &state, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  g_assert_cmpuint (count_events (fixture, state.id, "release", NULL), ==, 1);
  g_assert_nonnull (strstr (last_toast_title (fixture), "released"));
  g_assert_null (adw_toast_get_button_label (sk_inbox_view_get_last_toast (fixture->inbox)));
  pump (200);
  g_assert_cmpuint (sk_order_pane_get_history_count (pane), ==, history_before + 2);

  /* Release undone holds again with the old reason. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.hold-with-reason",
                                             "s", "Waiting for stock"));
  state.on_hold = TRUE;
  sk_test_wait_until (order_on_hold_is, &state, 10000);
  pump (100);
  fixture->toast_before = LAST_TOAST (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.release", NULL));
  state.on_hold = FALSE;
  sk_test_wait_until (order_on_hold_is, &state, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  click_undo (fixture);
  state.on_hold = TRUE;
  sk_test_wait_until (order_on_hold_is, &state, 10000);
  {
    g_autoptr(SkOrder) held = load (fixture, state.id);

    g_assert_cmpstr (sk_order_get_hold_reason (held), ==, "Waiting for stock");
  }
  g_assert_cmpuint (count_events (fixture, state.id, "hold", "Waiting for stock"), ==, 2);
}

static void
test_hold_many (Fixture       *fixture,
                gconstpointer  data)
{
  OrderState state = { fixture };
  g_autoptr(SkOrder) a = NULL;
  g_autoptr(SkOrder) c = NULL;

  if (skip_without_display ())
    return;

  a = order_at (fixture, 0);
  c = order_at (fixture, 2);
  gtk_selection_model_select_range (sk_inbox_view_get_selection (fixture->inbox), 0, 3, TRUE);
  pump (50);
  fixture->toast_before = LAST_TOAST (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.hold-with-reason",
                                             "s", "Stocktake"));
  state.id = sk_order_get_id (c);
  state.on_hold = TRUE;
  sk_test_wait_until (order_on_hold_is, &state, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  g_assert_cmpstr (last_toast_title (fixture), ==, "3 orders put on hold");
  save_screenshot (GTK_WIDGET (fixture->window), "hold-many.png");

  fixture->toast_before = LAST_TOAST (fixture);
  click_undo (fixture);
  state.id = sk_order_get_id (a);
  state.on_hold = FALSE;
  sk_test_wait_until (order_on_hold_is, &state, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  g_assert_cmpstr (last_toast_title (fixture), ==, "3 orders released");
}

static void
test_tags (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SkOrder) listed = NULL;
  OrderState state = { fixture };
  SkOrderPane *pane;
  GtkWidget *tag_entry;
  GtkWidget *tags_box;

  if (skip_without_display ())
    return;

  listed = order_at (fixture, 6);
  state.id = sk_order_get_id (listed);
  state.tag = "gift-wrap";
  select_position (fixture, 6);
  pane = sk_inbox_view_get_order_pane (fixture->inbox);

  /* Typed into the pane's tag entry. */
  tag_entry = child (pane, SK_TYPE_ORDER_PANE, "tag_entry");
  gtk_editable_set_text (GTK_EDITABLE (tag_entry), "  gift-wrap ");
  fixture->toast_before = LAST_TOAST (fixture);
  g_signal_emit_by_name (tag_entry, "activate");
  state.has_tag = TRUE;
  sk_test_wait_until (order_has_tag_is, &state, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tag_entry)), ==, "");
  g_assert_nonnull (strstr (last_toast_title (fixture), "gift-wrap"));
  g_assert_cmpuint (count_events (fixture, state.id, "tags", NULL), ==, 1);
  pump (200);
  tags_box = child (pane, SK_TYPE_ORDER_PANE, "tags_box");
  g_assert_true (gtk_widget_get_visible (tags_box));
  g_assert_nonnull (gtk_widget_get_first_child (tags_box));
  save_screenshot (GTK_WIDGET (fixture->window), "tags.png");

  /* Undo removes it and logs that too. */
  fixture->toast_before = LAST_TOAST (fixture);
  click_undo (fixture);
  state.has_tag = FALSE;
  sk_test_wait_until (order_has_tag_is, &state, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  g_assert_cmpuint (count_events (fixture, state.id, "tags", NULL), ==, 2);

  /* Add and remove through the actions (the chip's close button). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.add-tag", "s", "vip"));
  state.tag = "vip";
  state.has_tag = TRUE;
  sk_test_wait_until (order_has_tag_is, &state, 10000);
  pump (100);

  /* T opens the tags popover, which offers to remove the tags present. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.tag", NULL));
  pump (300);
  {
    GtkWidget *tag_button = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "tag_button");
    GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (tag_button)));
    GtkWidget *remove_list = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "tag_remove_list");
    GtkWidget *row = gtk_widget_get_first_child (remove_list);
    gboolean found = FALSE;

    g_assert_true (gtk_widget_get_visible (popover));
    g_assert_true (gtk_widget_get_visible (child (fixture->inbox, SK_TYPE_INBOX_VIEW, "tag_remove_box")));
    for (; row != NULL; row = gtk_widget_get_next_sibling (row))
      if (ADW_IS_PREFERENCES_ROW (row) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "vip") == 0)
        found = TRUE;
    g_assert_true (found);
    save_screenshot (popover, "tag-popover.png");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (tag_button));
  }
  fixture->toast_before = LAST_TOAST (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.remove-tag", "s", "vip"));
  state.has_tag = FALSE;
  sk_test_wait_until (order_has_tag_is, &state, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  g_assert_nonnull (strstr (last_toast_title (fixture), "removed"));
  click_undo (fixture);
  state.has_tag = TRUE;
  sk_test_wait_until (order_has_tag_is, &state, 10000);
}

static void
test_archive (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SkOrder) listed = NULL;
  CountState count = { 0 };
  gint64 id;
  guint n;

  if (skip_without_display ())
    return;

  n = g_list_model_get_n_items (orders (fixture));
  listed = order_at (fixture, 1);
  id = sk_order_get_id (listed);
  select_position (fixture, 1);
  fixture->toast_before = LAST_TOAST (fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.archive", NULL));

  /* Archived orders leave the inbox. */
  count.model = orders (fixture);
  count.n = n - 1;
  sk_test_wait_until (count_reached, &count, 10000);
  wait_for_new_toast (fixture, fixture->toast_before);
  g_assert_cmpuint (sk_order_list_find (SK_ORDER_LIST (orders (fixture)), id), ==, G_MAXUINT);
  g_assert_cmpuint (count_events (fixture, id, "archive", NULL), ==, 1);

  click_undo (fixture);
  count.n = n;
  sk_test_wait_until (count_reached, &count, 10000);
  g_assert_cmpuint (sk_order_list_find (SK_ORDER_LIST (orders (fixture)), id), !=, G_MAXUINT);
  g_assert_cmpuint (count_events (fixture, id, "unarchive", NULL), ==, 1);
}

static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *column_view;
  GListModel *columns;
  g_autoptr(GtkColumnViewColumn) number_column = NULL;
  g_autoptr(SkOrder) first = NULL;
  g_autoptr(SkOrder) second = NULL;
  GSettings *settings;
  g_autofree char *sort = NULL;

  if (skip_without_display ())
    return;

  column_view = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "column_view");
  columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (column_view));
  number_column = g_list_model_get_item (columns, 0);
  g_assert_cmpstr (gtk_column_view_column_get_title (number_column), ==, "Order");

  /* As a click on the header does. */
  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (column_view), number_column, GTK_SORT_ASCENDING);
  pump (50);
  settings = sk_context_get_settings (fixture->context);
  sort = g_settings_get_string (settings, "inbox-sort");
  g_assert_cmpstr (sort, ==, "number");
  g_assert_false (g_settings_get_boolean (settings, "inbox-sort-descending"));
  first = order_at (fixture, 0);
  second = order_at (fixture, 1);
  g_assert_cmpint (g_ascii_strtoll (sk_order_get_number (first) + 1, NULL, 10), <,
                   g_ascii_strtoll (sk_order_get_number (second) + 1, NULL, 10));

  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (column_view), number_column, GTK_SORT_DESCENDING);
  pump (50);
  g_assert_true (g_settings_get_boolean (settings, "inbox-sort-descending"));
  g_clear_object (&first);
  g_clear_object (&second);
  first = order_at (fixture, 0);
  second = order_at (fixture, 1);
  g_assert_cmpint (g_ascii_strtoll (sk_order_get_number (first) + 1, NULL, 10), >,
                   g_ascii_strtoll (sk_order_get_number (second) + 1, NULL, 10));
}

static void
test_problems_row (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *revealer;
  GtkWidget *label;
  gboolean is_new = FALSE;
  const char *message = "Shopify refused the access token for demo-outfitters.myshopify.com. "
                        "Enter a new token in the channel’s settings.";

  if (skip_without_display ())
    return;

  revealer = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "problems_revealer");
  label = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "problems_label");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  g_assert_true (sk_store_open_problem (fixture->store, "channel-auth", "test:auth",
                                        fixture->channel_id, message, &is_new, &error));
  g_assert_no_error (error);
  g_assert_true (is_new);
  pump (300);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, message);
  save_screenshot (GTK_WIDGET (fixture->window), "problems.png");

  /* "Show" goes to the channel's health. */
  if (sk_window_get_channels_view (fixture->window) != NULL)
    {
      sk_window_show_channel (fixture->window, fixture->channel_id);
      g_assert_cmpstr (sk_window_get_view (fixture->window), ==, "channels");
      sk_window_show_view (fixture->window, "inbox");
    }

  g_assert_true (sk_store_resolve_problem (fixture->store, "test:auth", &error));
  g_assert_no_error (error);
  pump (300);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
}

static gboolean
stack_is_busy (gpointer data)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (data), "busy") == 0;
}

static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SkOrder) before = NULL;
  g_autoptr(SkOrder) newest = NULL;
  GtkWidget *scroller;
  GtkWidget *sync_stack;
  CountState grown = { 0 };
  gboolean done = FALSE;
  guint n;

  if (skip_without_display ())
    return;

  n = g_list_model_get_n_items (orders (fixture));
  before = order_at (fixture, 0);
  sync_stack = child (fixture->window, SK_TYPE_WINDOW, "sync_stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sync_stack)), ==, "idle");
  sk_demo_shop_advance (fixture->shop, 3, 2);
  sk_sync_manager_sync_now_async (fixture->sync, 0, NULL, on_synced, &done);
  /* The header's sync button spins while a channel syncs. */
  sk_test_wait_until (stack_is_busy, sync_stack, 10000);
  sk_test_wait_for (&done, 30000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (sync_stack)), ==, "idle");
  grown.model = orders (fixture);
  grown.n = n + 3;
  sk_test_wait_until (count_reached, &grown, 10000);

  /* New orders on top, and the list still shows the top. */
  newest = order_at (fixture, 0);
  g_assert_cmpint (sk_order_get_id (newest), !=, sk_order_get_id (before));
  g_assert_cmpint (sk_order_get_created_at (newest), >=, sk_order_get_created_at (before));
  wait_for_frames (GTK_WIDGET (fixture->window));
  scroller = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "list_scroller");
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller))),
                     <=, 1.0);
}

static void
test_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  if (skip_without_display ())
    return;

  builder = gtk_builder_new_from_resource ("/io/github/storekeep/Storekeep/gtk/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_no_channels (Fixture       *fixture,
                  gconstpointer  data)
{
  if (skip_without_display ())
    return;

  open_window (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (orders (fixture)), ==, 0);
  g_assert_cmpstr (sk_inbox_view_get_visible_page (fixture->inbox), ==, "no-channels");
  /* Nothing to search. */
  g_assert_false (gtk_widget_get_visible (child (fixture->inbox, SK_TYPE_INBOX_VIEW, "toolbar")));
  save_screenshot (GTK_WIDGET (fixture->window), "no-channels.png");

  /* "Connect a Shop…" opens the Channels page and its connect dialog. */
  if (sk_window_get_channels_view (fixture->window) != NULL)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();
      guint before = g_list_model_get_n_items (toplevels);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect-shop", NULL));
      pump (200);
      g_assert_cmpstr (sk_window_get_view (fixture->window), ==, "channels");
      g_assert_cmpuint (g_list_model_get_n_items (toplevels), >, before);
      for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
        {
          g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

          if (window != GTK_WINDOW (fixture->window))
            gtk_window_destroy (window);
        }
    }
}

static void
test_window_state (Fixture       *fixture,
                   gconstpointer  data)
{
  GSettings *settings;

  if (skip_without_display ())
    return;

  open_window (fixture);
  settings = sk_context_get_settings (fixture->context);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 640);
  pump (200);
  if (sk_window_get_channels_view (fixture->window) != NULL)
    {
      sk_window_show_view (fixture->window, "channels");
      g_assert_cmpint (g_settings_get_enum (settings, "last-view"), ==, 1);
    }
  gtk_window_close (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  pump (100);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);

  /* A new window comes back at that size, on that page. */
  fixture->window = sk_window_new (NULL, fixture->context);
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
    g_assert_cmpint (width, ==, 900);
    g_assert_cmpint (height, ==, 640);
  }
  if (sk_window_get_channels_view (fixture->window) != NULL)
    g_assert_cmpstr (sk_window_get_view (fixture->window), ==, "channels");
}


/* Shipping */

static GtkWidget *find_descendant (GtkWidget *widget,
                                   GType      type);

/* The first listed order that can ship, with at least @min_lines lines;
 * G_MAXUINT when there is none. */
static guint
find_shippable (Fixture *fixture,
                guint    min_lines)
{
  guint n = g_list_model_get_n_items (orders (fixture));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkOrder) listed = order_at (fixture, i);
      g_autoptr(SkOrder) full = load (fixture, sk_order_get_id (listed));

      if (sk_order_get_status (full) != SK_ORDER_STATUS_CANCELLED &&
          sk_order_get_fulfillment_status (full) == SK_FULFILLMENT_STATUS_UNFULFILLED &&
          sk_order_get_lines (full) != NULL && sk_order_get_lines (full)->len >= min_lines)
        return i;
    }
  return G_MAXUINT;
}

typedef struct {
  SkOrderPane *pane;
  const char *needle;
} PaneText;

static gboolean
pane_toast_shown (gpointer data)
{
  return sk_order_pane_get_last_toast (data) != NULL;
}

/* The first "Sent to Channels" row says @needle. */
static gboolean
outbox_row_says (gpointer data)
{
  PaneText *state = data;
  g_autofree char *text = sk_order_pane_dup_outbox_text (state->pane, 0);

  return text != NULL && strstr (text, state->needle) != NULL;
}

typedef struct {
  gboolean done;
  gboolean ok;
  guint sent;
  GError *error;
} Pass;

static void
on_dispatched (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Pass *pass = data;

  pass->ok = sk_outbox_dispatcher_dispatch_finish (SK_OUTBOX_DISPATCHER (source), result,
                                                   &pass->sent, &pass->error);
  pass->done = TRUE;
}

static guint
dispatch (SkOutboxDispatcher *dispatcher)
{
  Pass pass = { 0 };

  sk_outbox_dispatcher_dispatch_async (dispatcher, NULL, on_dispatched, &pass);
  sk_test_wait_for (&pass.done, 30000);
  g_assert_no_error (pass.error);
  g_assert_true (pass.ok);
  return pass.sent;
}

static GBytes *
json_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len = 0;
  char *text;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}

/* Shopify's fulfillment orders for @order: one open fulfillment order
 * holding every line, as GET orders/ID/fulfillment_orders.json answers. */
static GBytes *
fulfillment_orders_for (SkOrder *order)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *lines = sk_order_get_lines (order);
  gint64 fo_id = 9100000001;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fulfillment_orders");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, fo_id);
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_int_value (builder, g_ascii_strtoll (sk_order_get_external_id (order), NULL, 10));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "open");
  json_builder_set_member_name (builder, "supported_actions");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "create_fulfillment");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "fulfillment_order_line_items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < lines->len; i++)
    {
      SkOrderLine *line = g_ptr_array_index (lines, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, fo_id + 1 + i);
      json_builder_set_member_name (builder, "fulfillment_order_id");
      json_builder_add_int_value (builder, fo_id);
      json_builder_set_member_name (builder, "line_item_id");
      json_builder_add_int_value (builder, g_ascii_strtoll (line->external_id, NULL, 10));
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, line->quantity);
      json_builder_set_member_name (builder, "fulfillable_quantity");
      json_builder_add_int_value (builder, line->quantity);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_bytes (builder);
}

/* The created fulfillment: the real fixture's, under "fulfillment". */
static GBytes *
created_fulfillment (void)
{
  g_autoptr(JsonNode) list = sk_test_load_json ("outbox/shopify-fulfillments.json");
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fulfillment");
  json_builder_add_value (builder, json_node_copy (json_array_get_element (json_node_get_array (list), 0)));
  json_builder_end_object (builder);
  return json_bytes (builder);
}

static void
point_channel_at (Fixture    *fixture,
                  const char *base_url)
{
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = sk_store_get_channel (fixture->store, fixture->channel_id, &error);
  g_assert_no_error (error);
  g_free (record->base_url);
  record->base_url = g_strdup (base_url);
  g_assert_true (sk_store_update_channel (fixture->store, record, &error));
  g_assert_no_error (error);
}

static void
test_ship (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(SkOrder) after = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(SkOutboxDispatcher) dispatcher = NULL;
  g_autoptr(SkOutboxRow) row = NULL;
  g_autoptr(SkTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_toast = NULL;
  g_autofree char *fo_path = NULL;
  g_autofree char *check_path = NULL;
  SkShipment *shipment;
  SkOrderPane *pane;
  GtkWidget *popover;
  GtkWidget *confirm;
  PaneText text = { 0 };
  gboolean partial;
  guint position;
  gint64 row_id;
  const char *number = "1Z999AA10123456784";

  if (skip_without_display ())
    return;

  /* An order with two items or more: ship only the first. */
  position = find_shippable (fixture, 2);
  partial = position != G_MAXUINT;
  if (!partial)
    position = find_shippable (fixture, 1);
  g_assert_cmpuint (position, !=, G_MAXUINT);
  {
    g_autoptr(SkOrder) listed = order_at (fixture, position);

    order = load (fixture, sk_order_get_id (listed));
  }
  select_position (fixture, position);
  pane = sk_inbox_view_get_order_pane (fixture->inbox);
  text.pane = pane;
  g_assert_cmpint (sk_order_pane_get_order_id (pane), ==, sk_order_get_id (order));
  g_assert_true (sk_order_pane_get_can_ship (pane));
  g_assert_cmpuint (sk_order_pane_get_outbox_count (pane), ==, 0);

  /* S opens the popover, with every item ticked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.mark-shipped", NULL));
  popover = sk_order_pane_get_ship_popover (pane);
  g_assert_nonnull (popover);
  /* Shown at the next frames: slow under load. */
  sk_test_wait_until (widget_is_visible, popover, 10000);
  g_assert_cmpuint (sk_ship_popover_get_n_lines (SK_SHIP_POPOVER (popover)), ==,
                    sk_order_get_lines (order)->len);
  confirm = child (popover, SK_TYPE_SHIP_POPOVER, "confirm_button");
  g_assert_false (gtk_widget_get_sensitive (confirm));

  sk_ship_popover_set_carrier (SK_SHIP_POPOVER (popover), "UPS");
  sk_ship_popover_set_tracking (SK_SHIP_POPOVER (popover), number,
                                "https://www.ups.com/track?tracknum=1Z999AA10123456784");
  if (partial)
    for (guint i = 1; i < sk_order_get_lines (order)->len; i++)
      sk_ship_popover_set_line_quantity (SK_SHIP_POPOVER (popover), (int) i, 0);
  g_assert_true (gtk_widget_get_sensitive (confirm));
  save_screenshot (popover, "ship-popover.png");

  gtk_widget_activate (confirm);
  sk_test_wait_until (pane_toast_shown, pane, 10000);
  expected_toast = g_strdup_printf ("Order %s marked as shipped; Shopify will be told",
                                    sk_order_get_number (order));
  g_assert_cmpstr (adw_toast_get_title (sk_order_pane_get_last_toast (pane)), ==, expected_toast);
  g_assert_false (gtk_widget_get_visible (popover));

  /* In the store: the shipment, its lines and one outbox row. */
  shipments = sk_store_list_shipments (fixture->store, sk_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shipments->len, ==, 1);
  shipment = g_ptr_array_index (shipments, 0);
  g_assert_cmpstr (shipment->carrier, ==, "UPS");
  g_assert_cmpstr (shipment->tracking_number, ==, number);
  g_assert_cmpstr (shipment->actor, ==, "user");
  if (partial)
    {
      SkShipmentLine *line = g_ptr_array_index (shipment->lines, 0);

      g_assert_cmpuint (shipment->lines->len, ==, 1);
      g_assert_cmpint (line->position, ==, 0);
      g_assert_cmpint (line->quantity, ==,
                       ((SkOrderLine *) g_ptr_array_index (sk_order_get_lines (order), 0))->quantity);
    }
  else
    g_assert_cmpuint (shipment->lines->len, ==, sk_order_get_lines (order)->len);

  outbox = sk_store_list_order_outbox (fixture->store, sk_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  row_id = ((SkOutboxRow *) g_ptr_array_index (outbox, 0))->id;
  g_assert_cmpint (((SkOutboxRow *) g_ptr_array_index (outbox, 0))->state, ==, SK_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (count_events (fixture, sk_order_get_id (order), "shipped", NULL), ==, 1);
  after = load (fixture, sk_order_get_id (order));
  g_assert_cmpint (sk_order_get_fulfillment_status (after), ==,
                   partial ? SK_FULFILLMENT_STATUS_PARTIAL : SK_FULFILLMENT_STATUS_FULFILLED);

  /* The pane lists it, waiting; a partly shipped order can ship again. */
  text.needle = "Waiting to be sent";
  sk_test_wait_until (outbox_row_says, &text, 5000);
  g_assert_cmpuint (sk_order_pane_get_shipment_count (pane), ==, 1);
  g_assert_cmpuint (sk_order_pane_get_outbox_count (pane), ==, 1);
  g_assert_true (sk_order_pane_get_can_ship (pane) == partial);
  {
    g_autofree char *first = sk_order_pane_dup_outbox_text (pane, 0);

    g_assert_nonnull (strstr (first, number));
    g_assert_nonnull (strstr (first, "Demo Outfitters"));
  }
  save_screenshot (GTK_WIDGET (fixture->window), "pane-shipment-pending.png");

  /* The demo shop takes fulfillments, but not while it answers 500: the
   * row is not sent, and the pane says it will try again. */
  sk_demo_shop_inject_fault (fixture->shop, SK_DEMO_FAULT_500, 20);
  dispatcher = sk_outbox_dispatcher_new (fixture->store, fixture->sync, NULL);
  sk_outbox_dispatcher_set_secret_lookup (dispatcher, demo_secret, NULL, NULL);
  sk_outbox_dispatcher_set_backoff (dispatcher, 1, 1);
  sk_context_set_outbox_dispatcher (fixture->context, dispatcher);
  g_assert_cmpuint (dispatch (dispatcher), ==, 0);
  row = sk_store_get_outbox_row (fixture->store, row_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (row->state, !=, SK_OUTBOX_STATE_SENT);
  g_test_message ("against the demo shop: %s, %s", sk_outbox_state_to_string (row->state),
                  row->last_error);
  if (row->state == SK_OUTBOX_STATE_FAILED)
    {
      text.needle = "refused";
      sk_test_wait_until (outbox_row_says, &text, 5000);
      save_screenshot (GTK_WIDGET (fixture->window), "pane-shipment-refused.png");
      /* Where the notification leads: the channel, with the refusal. */
      if (sk_window_get_channels_view (fixture->window) != NULL)
        {
          GtkWidget *section;
          GtkWidget *outbox_row;

          sk_window_show_channel (fixture->window, fixture->channel_id);
          wait_for_frames (GTK_WIDGET (fixture->window));
          section = find_descendant (sk_window_get_channels_view (fixture->window),
                                     SK_TYPE_CHANNEL_SECTION);
          g_assert_nonnull (section);
          outbox_row = child (section, SK_TYPE_CHANNEL_SECTION, "outbox_row");
          g_assert_true (gtk_widget_get_visible (outbox_row));
          g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (outbox_row)));
          g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (outbox_row)),
                                    "1 refused"));
          save_screenshot (GTK_WIDGET (fixture->window), "channel-shipment-refused.png");
          sk_window_show_view (fixture->window, "inbox");
          wait_for_frames (GTK_WIDGET (fixture->window));
        }
      /* Try Again: pending and due at once. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pane), "pane.retry-outbox", "x", row_id));
      text.needle = "Waiting to be sent";
      sk_test_wait_until (outbox_row_says, &text, 5000);
    }
  else
    {
      g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_PENDING);
      text.needle = "Not sent yet";
      sk_test_wait_until (outbox_row_says, &text, 5000);
      pump (1200);   /* the 1 s backoff */
    }
  sk_demo_shop_inject_fault (fixture->shop, SK_DEMO_FAULT_500, 0);

  /* A loopback Shopify that takes fulfillments: sent. */
  server = sk_test_server_new ();
  fo_path = g_strdup_printf ("/admin/api/" SK_SHOPIFY_API_VERSION "/orders/%s/fulfillment_orders.json",
                             sk_order_get_external_id (order));
  check_path = g_strdup_printf ("/admin/api/" SK_SHOPIFY_API_VERSION "/orders/%s/fulfillments.json",
                                sk_order_get_external_id (order));
  {
    g_autoptr(GBytes) fos = fulfillment_orders_for (order);
    g_autoptr(GBytes) none = g_bytes_new_static ("{\"fulfillments\":[]}", 19);
    g_autoptr(GBytes) created = created_fulfillment ();

    sk_test_server_add_route (server, fo_path, NULL, NULL, 200, NULL, fos);
    sk_test_server_add_route (server, check_path, NULL, NULL, 200, NULL, none);
    sk_test_server_add_route (server, "/admin/api/" SK_SHOPIFY_API_VERSION "/fulfillments.json",
                              NULL, NULL, 201, NULL, created);
  }
  point_channel_at (fixture, sk_test_server_get_url (server));
  g_assert_cmpuint (dispatch (dispatcher), ==, 1);
  g_clear_pointer (&row, sk_outbox_row_free);
  row = sk_store_get_outbox_row (fixture->store, row_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (row->state, ==, SK_OUTBOX_STATE_SENT);
  g_assert_cmpint (row->sent_at, >, 0);
  g_assert_cmpuint (sk_test_server_count_path (server, "/admin/api/" SK_SHOPIFY_API_VERSION
                                                       "/fulfillments.json"), ==, 1);
  {
    guint n = sk_test_server_get_n_requests (server);
    g_autoptr(SkTestRequest) post = sk_test_server_dup_request (server, n - 1);
    gsize len = 0;
    const char *body = g_bytes_get_data (post->body, &len);
    g_autofree char *copy = g_strndup (body, len);

    g_assert_cmpstr (post->method, ==, "POST");
    g_assert_nonnull (strstr (copy, number));
    g_assert_nonnull (strstr (copy, "\"company\":\"UPS\""));
  }

  text.needle = "Sent ";
  sk_test_wait_until (outbox_row_says, &text, 5000);
  g_assert_cmpuint (sk_order_pane_get_outbox_count (pane), ==, 1);
  g_assert_cmpuint (count_events (fixture, sk_order_get_id (order), "outbox-sent", NULL), ==, 1);
  {
    GtkWidget *scroller = child (pane, SK_TYPE_ORDER_PANE, "scroller");
    GtkWidget *outbox_box = child (pane, SK_TYPE_ORDER_PANE, "outbox_box");
    GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
    double x, y;

    /* Scroll the pane so the shipments and what was sent show. */
    wait_for_frames (GTK_WIDGET (fixture->window));
    if (gtk_widget_translate_coordinates (outbox_box,
                                          gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                          0, 0, &x, &y))
      gtk_adjustment_set_value (vadj, y - 260);
  }
  save_screenshot (GTK_WIDGET (fixture->window), "pane-shipment-sent.png");
  sk_context_set_outbox_dispatcher (fixture->context, NULL);
}

/* Everything shipped (elsewhere): nothing left to mark. */
static void
test_ship_nothing_left (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SkOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SkShipment) everything = NULL;
  SkOrderPane *pane;
  guint position;

  if (skip_without_display ())
    return;

  position = find_shippable (fixture, 1);
  g_assert_cmpuint (position, !=, G_MAXUINT);
  {
    g_autoptr(SkOrder) listed = order_at (fixture, position);

    order = load (fixture, sk_order_get_id (listed));
  }
  select_position (fixture, position);
  pane = sk_inbox_view_get_order_pane (fixture->inbox);
  g_assert_true (sk_order_pane_get_can_ship (pane));
  g_assert_true (gtk_widget_get_sensitive (child (pane, SK_TYPE_ORDER_PANE, "ship_button")));

  /* Shipped elsewhere (another window, the engine): the pane follows, and
   * S does nothing any more. */
  everything = sk_shipment_new (sk_order_get_id (order), "DHL", "JD014600003828", NULL);
  g_assert_true (sk_store_record_shipment_sync (fixture->store, everything, "user", NULL,
                                                NULL, NULL, &error));
  g_assert_no_error (error);
  pump (300);
  g_assert_false (sk_order_pane_get_can_ship (pane));
  g_assert_false (gtk_widget_get_sensitive (child (pane, SK_TYPE_ORDER_PANE, "ship_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->inbox), "inbox.mark-shipped", NULL);
  pump (300);
  g_assert_false (gtk_widget_get_visible (sk_order_pane_get_ship_popover (pane)));
  g_assert_false (sk_order_pane_mark_shipped (pane));
  g_assert_cmpuint (sk_order_pane_get_shipment_count (pane), ==, 1);
}

/* CSV in the app */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Close the import dialog as its close button does; it takes its file
 * chooser along. */
static void
close_csv_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (g_str_equal (G_OBJECT_TYPE_NAME (window), "SkCsvImportDialog"))
        gtk_window_destroy (window);
    }
  pump (200);
}

static gboolean
is_csv_dialog_open (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (g_str_equal (G_OBJECT_TYPE_NAME (window), "SkCsvImportDialog"))
        return TRUE;
    }
  return FALSE;
}

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *channels_view;
  GtkWidget *section;
  GtkWidget *empty_button = NULL;

  if (skip_without_display ())
    return;

  /* No shop yet: the empty inbox offers the import too. */
  open_window (fixture);
  g_assert_cmpstr (sk_inbox_view_get_visible_page (fixture->inbox), ==, "no-channels");
  {
    GtkWidget *stack = child (fixture->inbox, SK_TYPE_INBOX_VIEW, "content_stack");
    GtkWidget *page = gtk_stack_get_child_by_name (GTK_STACK (stack), "no-channels");
    GtkWidget *box = adw_status_page_get_child (ADW_STATUS_PAGE (page));

    for (GtkWidget *w = gtk_widget_get_first_child (box); w != NULL; w = gtk_widget_get_next_sibling (w))
      if (GTK_IS_BUTTON (w) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "win.import-csv") == 0)
        empty_button = w;
  }
  g_assert_nonnull (empty_button);
  g_assert_true (gtk_widget_get_visible (empty_button));

  /* The window's action opens the import dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.import-csv", NULL));
  sk_test_wait_until (is_csv_dialog_open, NULL, 5000);
  close_csv_dialogs ();

  /* A CSV source on the Channels page: Import File… instead of Sync Now,
   * Pause and Edit. */
  record = sk_csv_channel_record_new ("Shop Counter");
  g_assert_true (sk_store_add_channel (fixture->store, record, &error));
  g_assert_no_error (error);
  sk_sync_manager_reload (fixture->sync);
  channels_view = sk_window_get_channels_view (fixture->window);
  g_assert_nonnull (channels_view);
  sk_window_show_channel (fixture->window, record->id);
  wait_for_frames (GTK_WIDGET (fixture->window));
  section = find_descendant (channels_view, SK_TYPE_CHANNEL_SECTION);
  g_assert_nonnull (section);
  g_assert_cmpint (sk_channel_section_get_channel_id (SK_CHANNEL_SECTION (section)), ==, record->id);
  g_assert_true (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "import_button")));
  g_assert_false (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "sync_button")));
  g_assert_false (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "pause_button")));
  g_assert_false (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "edit_button")));
  g_assert_true (gtk_widget_get_visible (child (section, SK_TYPE_CHANNEL_SECTION, "remove_button")));
  {
    GtkWidget *account = child (section, SK_TYPE_CHANNEL_SECTION, "account_label");

    g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (account)), "CSV import"));
  }
  save_screenshot (GTK_WIDGET (fixture->window), "channels-csv.png");

  gtk_widget_activate (child (section, SK_TYPE_CHANNEL_SECTION, "import_button"));
  sk_test_wait_until (is_csv_dialog_open, NULL, 5000);
  close_csv_dialogs ();
}

/* Preferences */

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  GSettings *settings;
  GtkWidget *window;
  GtkWidget *row;
  SkChannel *channel;

  if (skip_without_display ())
    return;

  settings = sk_context_get_settings (fixture->context);
  channel = sk_sync_manager_find_channel (fixture->sync, fixture->channel_id);
  g_assert_nonnull (channel);
  /* The context applies the setting to the sync manager. */
  g_assert_cmpuint (sk_sync_manager_get_min_interval (fixture->sync), ==,
                    g_settings_get_uint (settings, "sync-interval"));

  window = sk_preferences_window_new (GTK_WINDOW (fixture->window), fixture->context);
  gtk_window_present (GTK_WINDOW (window));
  row = child (window, SK_TYPE_PREFERENCES_WINDOW, "interval_row");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==,
                    sk_preferences_sync_interval_index (g_settings_get_uint (settings, "sync-interval")));
  save_screenshot (window, "preferences.png");

  /* Every 5 minutes: saved, and the manager waits that long from now on. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);
  g_assert_cmpuint (g_settings_get_uint (settings, "sync-interval"), ==, 300);
  g_assert_cmpuint (sk_sync_manager_get_min_interval (fixture->sync), ==, 300);
  g_assert_cmpuint (sk_sync_manager_get_interval (fixture->sync, channel), >=, 300);

  /* And the other way: a value from elsewhere shows as the nearest one. */
  g_settings_set_uint (settings, "sync-interval", 45);
  g_assert_cmpuint (sk_sync_manager_get_min_interval (fixture->sync), ==, 45);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), <=, 1);
  g_settings_set_uint (settings, "sync-interval", 900);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 3);
  g_assert_cmpuint (sk_sync_manager_get_interval (fixture->sync, channel), >=, 900);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The real application with --demo: two channels, both in the inbox */

typedef struct {
  GApplication *app;
  gboolean checked;
} DemoRun;

static gboolean
demo_window_ready (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));

  return SK_IS_WINDOW (window);
}

static gboolean
demo_channels_synced (gpointer data)
{
  SkSyncManager *sync = data;
  GListModel *channels = sk_sync_manager_get_channels (sync);
  guint n = g_list_model_get_n_items (channels);

  if (n < 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkChannel) channel = g_list_model_get_item (channels, i);

      if (sk_channel_get_last_success (channel) == 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_demo (gpointer data)
{
  DemoRun *run = data;
  SkWindow *window;
  SkContext *context;
  SkSyncManager *sync;
  GListModel *channels;
  GListModel *model;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  gboolean seen_shopify = FALSE;
  gboolean seen_woo = FALSE;
  guint n;

  sk_test_wait_until (demo_window_ready, run->app, 20000);
  window = SK_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (run->app)));
  context = sk_window_get_context (window);
  g_assert_true (sk_context_get_demo (context));
  g_assert_nonnull (sk_context_get_outbox_dispatcher (context));
  g_assert_true (sk_outbox_dispatcher_get_running (sk_context_get_outbox_dispatcher (context)));
  sync = sk_context_get_sync_manager (context);
  channels = sk_sync_manager_get_channels (sync);
  g_assert_cmpuint (g_list_model_get_n_items (channels), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SkChannel) channel = g_list_model_get_item (channels, i);
      const SkChannelRecord *record = sk_channel_get_record (channel);
      gint64 *key = g_new (gint64, 1);

      *key = record->id;
      g_hash_table_insert (names, key, g_strdup (record->name));
      if (g_str_equal (record->kind, "shopify"))
        {
          g_assert_cmpstr (record->name, ==, "Demo Outfitters");
          seen_shopify = TRUE;
        }
      else if (g_str_equal (record->kind, "amazon"))
        {
          g_assert_cmpstr (record->name, ==, SK_DEMO_AMAZON_SELLER_NAME);
          g_assert_cmpstr (record->account, ==, SK_DEMO_AMAZON_SELLER_ID);
        }
      else
        {
          g_assert_cmpstr (record->kind, ==, "woocommerce");
          g_assert_cmpstr (record->name, ==, SK_DEMO_WOO_SITE_NAME);
          g_assert_cmpstr (record->account, ==, SK_DEMO_WOO_SITE);
          seen_woo = TRUE;
        }
    }
  g_assert_true (seen_shopify && seen_woo);

  /* Both sync with the secret of their own dialect. */
  sk_test_wait_until (demo_channels_synced, sync, 120000);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SkChannel) channel = g_list_model_get_item (channels, i);

      g_assert_cmpint (sk_channel_get_state (channel), !=, SK_CHANNEL_STATE_NEEDS_ATTENTION);
      g_assert_cmpint (sk_store_count_orders (sk_context_get_store (context),
                                              sk_channel_get_id (channel), NULL), >, 0);
    }

  /* The inbox mixes them, each under its channel's name. */
  model = sk_inbox_view_get_model (sk_window_get_inbox_view (window));
  n = MIN (g_list_model_get_n_items (model), 200);
  seen_shopify = seen_woo = FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkOrder) order = g_list_model_get_item (model, i);
      gint64 channel_id = sk_order_get_channel_id (order);
      const char *name = g_hash_table_lookup (names, &channel_id);

      g_assert_nonnull (name);
      seen_shopify = seen_shopify || g_str_equal (name, "Demo Outfitters");
      seen_woo = seen_woo || g_str_equal (name, SK_DEMO_WOO_SITE_NAME);
    }
  g_assert_true (seen_shopify);
  g_assert_true (seen_woo);
  save_screenshot (GTK_WIDGET (window), "demo-two-channels.png");

  sk_window_show_view (window, "channels");
  save_screenshot (GTK_WIDGET (window), "demo-channels.png");

  run->checked = TRUE;
  g_application_quit (run->app);
  return G_SOURCE_REMOVE;
}

static void
test_demo_app (void)
{
  g_autoptr(SkApplication) app = NULL;
  char *argv[] = { (char *) "storekeep", (char *) "--demo", NULL };
  DemoRun run = { 0 };
  int status;

  if (skip_without_display ())
    return;

  app = sk_application_new ();
  run.app = G_APPLICATION (app);
  g_idle_add (check_demo, &run);
  status = g_application_run (G_APPLICATION (app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.checked);
}

/* Icons are SVG, and telling an SVG from other data takes the system's
 * MIME database, which G_TEST_OPTION_ISOLATE_DIRS hides: point GIO at it
 * before the test directories replace XDG_DATA_DIRS. */
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
      /* Xvfb has no window manager to move the focus between windows and
       * popovers; a blinking cursor then warns that it lost focus unseen. */
      g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
      /* The file chooser of the CSV import would keep recent files in a
       * test's folder, which is gone by the time it saves them. */
      g_object_set (gtk_settings_get_default (), "gtk-recent-files-enabled", FALSE, NULL);
      /* What AdwApplication does for the app. */
      gtk_css_provider_load_from_resource (css, "/io/github/storekeep/Storekeep/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  g_test_add ("/ui/inbox/fills", Fixture, NULL, fixture_setup, test_fills, fixture_teardown);
  g_test_add ("/ui/inbox/search", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
  g_test_add ("/ui/inbox/filters", Fixture, NULL, fixture_setup, test_filters, fixture_teardown);
  g_test_add ("/ui/inbox/pane", Fixture, NULL, fixture_setup, test_pane, fixture_teardown);
  g_test_add ("/ui/inbox/hold-and-undo", Fixture, NULL, fixture_setup, test_hold_and_undo, fixture_teardown);
  g_test_add ("/ui/inbox/hold-many", Fixture, NULL, fixture_setup, test_hold_many, fixture_teardown);
  g_test_add ("/ui/inbox/tags", Fixture, NULL, fixture_setup, test_tags, fixture_teardown);
  g_test_add ("/ui/inbox/archive", Fixture, NULL, fixture_setup, test_archive, fixture_teardown);
  g_test_add ("/ui/inbox/sort", Fixture, NULL, fixture_setup, test_sort, fixture_teardown);
  g_test_add ("/ui/inbox/problems-row", Fixture, NULL, fixture_setup, test_problems_row, fixture_teardown);
  g_test_add ("/ui/inbox/live", Fixture, NULL, fixture_setup, test_live, fixture_teardown);
  g_test_add_func ("/ui/window/help-overlay", test_help_overlay);
  g_test_add ("/ui/inbox/no-channels", Fixture, NULL, fixture_setup_empty, test_no_channels, fixture_teardown);
  g_test_add ("/ui/window/state", Fixture, NULL, fixture_setup_empty, test_window_state, fixture_teardown);
  g_test_add ("/ui/inbox/ship", Fixture, NULL, fixture_setup, test_ship, fixture_teardown);
  g_test_add ("/ui/inbox/ship-nothing-left", Fixture, NULL, fixture_setup, test_ship_nothing_left,
              fixture_teardown);
  g_test_add ("/ui/window/preferences", Fixture, NULL, fixture_setup, test_preferences, fixture_teardown);
  g_test_add ("/ui/window/csv", Fixture, NULL, fixture_setup_empty, test_csv, fixture_teardown);
  /* Last: it runs the application's own main loop. */
  g_test_add_func ("/ui/app/demo-two-channels", test_demo_app);

  return g_test_run ();
}
