/* test-ui-csv.c: the CSV import dialog, driven for real
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sets the file directly (the native chooser is for people), waits for the
 * preview, imports, and imports the same file again. Needs a display (xvfb
 * in CI). Saves screenshots into $G_TEST_BUILDDIR/screenshots/.
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>

#include "sk-context.h"
#include "sk-csv-channel.h"
#include "sk-csv-import-dialog.h"
#include "sk-csv-mapping.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"
#include "sk-test-util.h"

typedef struct {
  char *tmpdir;
  SkStore *store;
  SkHttp *http;
  SkSyncManager *sync;
  SkContext *context;
  SkCsvImportDialog *dialog;
} Fixture;

static gboolean have_display;

/* Waiting and pictures */

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
  /* Stack transitions last 200 ms. */
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

static gboolean
dialog_ready (gpointer user_data)
{
  SkCsvImportDialog *dialog = user_data;

  return sk_csv_import_dialog_get_ready (dialog) && !sk_csv_import_dialog_get_busy (dialog);
}

static gboolean
dialog_done (gpointer user_data)
{
  SkCsvImportDialog *dialog = user_data;

  return sk_csv_import_dialog_get_summary (dialog) != NULL && !sk_csv_import_dialog_get_busy (dialog);
}

static gboolean
dialog_idle (gpointer user_data)
{
  return !sk_csv_import_dialog_get_busy (user_data);
}

/* Fixture */

static void
fixture_setup (Fixture       *fixture,
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
  fixture->context = sk_context_new (fixture->store, fixture->sync, NULL, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  pump (50);
  g_clear_object (&fixture->context);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->http);
  if (fixture->store != NULL)
    sk_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->tmpdir, sk_test_tmpdir_free);
}

static gboolean
skip_without_display (void)
{
  if (!have_display)
    g_test_skip ("No display: run under xvfb-run");
  return !have_display;
}

static void
open_dialog (Fixture    *fixture,
             const char *fixture_name)
{
  g_autofree char *relative = g_build_filename ("csv", fixture_name, NULL);
  g_autofree char *path = sk_test_fixture_path (relative);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (fixture->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  fixture->dialog = sk_csv_import_dialog_new (NULL, fixture->context);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  sk_csv_import_dialog_set_file (fixture->dialog, file);
  sk_test_wait_until (dialog_ready, fixture->dialog, 20000);
}

static void
import (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "csv.import", NULL));
  sk_test_wait_until (dialog_done, fixture->dialog, 20000);
}

static SkChannelRecord *
only_csv_source (Fixture *fixture)
{
  g_autoptr(GPtrArray) records = sk_store_list_channels (fixture->store, NULL);
  SkChannelRecord *found = NULL;

  g_assert_nonnull (records);
  for (guint i = 0; i < records->len; i++)
    {
      SkChannelRecord *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (record->kind, SK_CSV_CHANNEL_KIND) != 0)
        continue;
      g_assert_null (found);
      found = sk_channel_record_copy (record);
    }
  g_assert_nonnull (found);
  return found;
}

/* Tests */

static void
test_preview_and_import (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SkChannelRecord) source = NULL;
  const char *summary;

  if (skip_without_display ())
    return;

  open_dialog (fixture, "pos-export-de.csv");
  g_assert_cmpuint (sk_csv_import_dialog_get_n_orders (fixture->dialog), ==, 8);
  g_assert_cmpuint (sk_csv_import_dialog_get_n_error_rows (fixture->dialog), ==, 0);
  save_screenshot (GTK_WIDGET (fixture->dialog), "csv-preview.png");
  save_screenshot (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->dialog),
                                                              SK_TYPE_CSV_IMPORT_DIALOG, "columns_group")),
                   "csv-columns.png");

  import (fixture);
  summary = sk_csv_import_dialog_get_summary (fixture->dialog);
  g_assert_nonnull (strstr (summary, "8 new orders imported"));
  g_assert_cmpint (sk_store_count_orders (fixture->store, 0, NULL), ==, 8);
  save_screenshot (GTK_WIDGET (fixture->dialog), "csv-done.png");

  /* The new source keeps the columns chosen for it. */
  source = only_csv_source (fixture);
  g_assert_cmpstr (source->name, ==, "Shop Counter (POS)");
  g_assert_true (sk_csv_mapping_is_saved (source->settings));
  g_assert_nonnull (strstr (source->settings, "\"Bonnummer\""));
}

static void
test_errors_and_reimport (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SkChannelRecord) source = NULL;
  const char *summary;

  if (skip_without_display ())
    return;

  open_dialog (fixture, "pos-export-en.csv");
  g_assert_cmpuint (sk_csv_import_dialog_get_n_orders (fixture->dialog), ==, 4);
  g_assert_cmpuint (sk_csv_import_dialog_get_n_error_rows (fixture->dialog), ==, 3);
  save_screenshot (GTK_WIDGET (fixture->dialog), "csv-errors.png");

  import (fixture);
  summary = sk_csv_import_dialog_get_summary (fixture->dialog);
  g_assert_nonnull (strstr (summary, "4 new orders imported"));
  g_assert_nonnull (strstr (summary, "3 rows with errors"));
  g_assert_nonnull (strstr (summary, "Line 7:"));
  save_screenshot (GTK_WIDGET (fixture->dialog), "csv-done-errors.png");
  source = only_csv_source (fixture);
  g_assert_cmpint (sk_store_count_dead_letters (fixture->store, source->id, NULL), ==, 3);

  /* The same file again, in a new dialog: the saved source is chosen and
   * nothing is imported twice. */
  open_dialog (fixture, "pos-export-en.csv");
  import (fixture);
  summary = sk_csv_import_dialog_get_summary (fixture->dialog);
  g_assert_nonnull (strstr (summary, "0 new orders imported"));
  g_assert_nonnull (strstr (summary, "4 already up to date"));
  g_assert_cmpint (sk_store_count_orders (fixture->store, 0, NULL), ==, 4);
  g_assert_cmpint (sk_store_count_dead_letters (fixture->store, source->id, NULL), ==, 3);
  g_clear_pointer (&source, sk_channel_record_free);
  source = only_csv_source (fixture);
}

static AdwComboRow *
find_column_row (GtkWidget  *widget,
                 const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwComboRow *found;

      if (ADW_IS_COMBO_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return ADW_COMBO_ROW (child);
      found = find_column_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_remap_column (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *group;
  AdwComboRow *price;
  AdwComboRow *total;

  if (skip_without_display ())
    return;

  open_dialog (fixture, "pos-export-en.csv");
  g_assert_cmpuint (sk_csv_import_dialog_get_n_error_rows (fixture->dialog), ==, 3);
  group = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->dialog),
                                                     SK_TYPE_CSV_IMPORT_DIALOG, "columns_group"));
  price = find_column_row (group, "Price");
  total = find_column_row (group, "Total");
  g_assert_nonnull (price);
  g_assert_nonnull (total);
  g_assert_cmpuint (adw_combo_row_get_selected (price), ==, SK_CSV_FIELD_UNIT_PRICE);

  /* Ignoring the price column: "abc" on line 8 is no longer read. */
  adw_combo_row_set_selected (price, SK_CSV_FIELD_IGNORE);
  sk_test_wait_until (dialog_ready, fixture->dialog, 20000);
  g_assert_cmpuint (sk_csv_import_dialog_get_n_orders (fixture->dialog), ==, 5);
  g_assert_cmpuint (sk_csv_import_dialog_get_n_error_rows (fixture->dialog), ==, 2);

  /* Choosing "Order Total" for the price column moves it out of "Total";
   * the two prices of order 1003 then disagree about its total (line 6). */
  adw_combo_row_set_selected (price, SK_CSV_FIELD_TOTAL);
  sk_test_wait_until (dialog_ready, fixture->dialog, 20000);
  g_assert_cmpuint (adw_combo_row_get_selected (total), ==, SK_CSV_FIELD_IGNORE);
  g_assert_cmpuint (sk_csv_import_dialog_get_n_error_rows (fixture->dialog), ==, 4);
  save_screenshot (GTK_WIDGET (fixture->dialog), "csv-remapped.png");
}

static void
test_needs_choices (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char text[] = "Receipt;Item;Price\nR1;Coffee;3,20\n";
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  if (skip_without_display ())
    return;

  /* No currency column, and the C locale has no currency: Storekeep asks. */
  path = g_build_filename (fixture->tmpdir, "no-currency.csv", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  file = g_file_new_for_path (path);
  fixture->dialog = sk_csv_import_dialog_new (NULL, fixture->context);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  sk_csv_import_dialog_set_file (fixture->dialog, file);
  sk_test_wait_until (dialog_idle, fixture->dialog, 20000);
  pump (100);
  g_assert_false (sk_csv_import_dialog_get_ready (fixture->dialog));
  save_screenshot (GTK_WIDGET (fixture->dialog), "csv-needs-currency.png");
}

/* G_TEST_OPTION_ISOLATE_DIRS hides the system's shared MIME database, and
 * GdkPixbuf then cannot tell an SVG icon from anything else. */
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
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  sk_test_init (&argc, &argv);
  setlocale (LC_ALL, "C.UTF-8");

  gtk_disable_setlocale ();
  have_display = gtk_init_check ();
  if (have_display)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
      gtk_css_provider_load_from_resource (css, "/io/github/storekeep/Storekeep/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }

  g_test_add ("/ui/csv/preview-and-import", Fixture, NULL, fixture_setup,
              test_preview_and_import, fixture_teardown);
  g_test_add ("/ui/csv/errors-and-reimport", Fixture, NULL, fixture_setup,
              test_errors_and_reimport, fixture_teardown);
  g_test_add ("/ui/csv/remap-column", Fixture, NULL, fixture_setup,
              test_remap_column, fixture_teardown);
  g_test_add ("/ui/csv/needs-choices", Fixture, NULL, fixture_setup,
              test_needs_choices, fixture_teardown);

  return g_test_run ();
}
