/* sk-stock-csv-dialog.c: import a stock count from a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-inventory-logic.h"
#include "sk-stock-csv-dialog.h"

/* A file may change thousands of levels; the list shows the first ones
 * and says how many more there are. */
#define MAX_ROWS_SHOWN 300

struct _SkStockCsvDialog
{
  AdwWindow parent_instance;

  SkContext *context;
  SkInventory *inventory;
  GFile *file;
  SkStockCsvPreview *preview;
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  gboolean reading;
  gboolean applying;

  GtkButton *apply_button;
  GtkSpinner *spinner;
  GtkStack *stack;
  GtkLabel *summary_label;
  GtkLabel *file_label;
  GtkSwitch *unchanged_switch;
  GtkWidget *errors_box;
  GtkListBox *errors_list;
  GtkWidget *changes_box;
  GtkListBox *changes_list;
  GtkLabel *more_label;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (SkStockCsvDialog, sk_stock_csv_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_list_box (GtkListBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_list_box_remove (box, child);
}

static GCancellable *
restart_cancellable (SkStockCsvDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

static guint
n_to_record (SkStockCsvDialog *self)
{
  if (self->preview == NULL)
    return 0;
  return self->preview->n_changed +
         (gtk_switch_get_active (self->unchanged_switch) ? self->preview->n_unchanged : 0);
}

static void
update_state (SkStockCsvDialog *self)
{
  gboolean busy = self->reading || self->applying;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), !busy && n_to_record (self) > 0);
}

static void
show_error (SkStockCsvDialog *self,
            const GError     *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* The preview */

static GtkWidget *
change_row (const SkStockCsvRow *row)
{
  g_autofree char *title = g_strdup_printf ("%s · %s", row->sku, row->location_name);
  /* Translators: under a row of a stock count file: its title and line */
  g_autofree char *subtitle = g_strdup_printf (_("%s · line %u"),
                                               row->title != NULL ? row->title : "", row->line);
  g_autofree char *from = sk_inventory_format_count (row->current);
  g_autofree char *to = sk_inventory_format_count (row->counted);
  g_autofree char *levels = g_strdup_printf ("%s → %s", from, to);
  g_autofree char *delta = sk_inventory_format_change (row->delta);
  GtkWidget *widget = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *levels_label = gtk_label_new (levels);
  GtkWidget *delta_label = gtk_label_new (delta);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (levels_label), 1.0);
  gtk_label_set_xalign (GTK_LABEL (delta_label), 1.0);
  gtk_widget_add_css_class (levels_label, "numeric");
  gtk_widget_add_css_class (delta_label, "numeric");
  gtk_widget_add_css_class (delta_label, "caption");
  gtk_widget_add_css_class (delta_label, row->delta > 0 ? "success" : "error");
  gtk_box_append (GTK_BOX (box), levels_label);
  gtk_box_append (GTK_BOX (box), delta_label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (widget), box);
  return widget;
}

static GtkWidget *
error_row (const SkCsvRowError *error)
{
  GtkWidget *row = adw_action_row_new ();
  /* Translators: the line of a file a problem is on */
  g_autofree char *title = g_strdup_printf (_("Line %u"), error->line);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
fill_preview (SkStockCsvDialog *self)
{
  const SkStockCsvPreview *preview = self->preview;
  g_autofree char *basename = g_file_get_basename (self->file);
  g_autofree char *changed = NULL;
  g_autofree char *unchanged = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *summary = NULL;
  guint shown = 0;
  guint n_changed = 0;

  clear_list_box (self->changes_list);
  clear_list_box (self->errors_list);
  for (guint i = 0; i < preview->rows->len; i++)
    {
      const SkStockCsvRow *row = g_ptr_array_index (preview->rows, i);

      if (row->delta == 0)
        continue;
      n_changed++;
      if (shown < MAX_ROWS_SHOWN)
        {
          gtk_list_box_append (self->changes_list, change_row (row));
          shown++;
        }
    }
  for (guint i = 0; i < preview->errors->len; i++)
    gtk_list_box_append (self->errors_list, error_row (g_ptr_array_index (preview->errors, i)));

  gtk_widget_set_visible (self->changes_box, n_changed > 0);
  gtk_widget_set_visible (self->errors_box, preview->errors->len > 0);
  if (n_changed > shown)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more",
                                                            "and %u more", n_changed - shown),
                                               n_changed - shown);

      gtk_label_set_label (self->more_label, more);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->more_label), n_changed > shown);

  changed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u level changes",
                                          "%u levels change", preview->n_changed),
                             preview->n_changed);
  unchanged = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u stays the same",
                                            "%u stay the same", preview->n_unchanged),
                               preview->n_unchanged);
  if (preview->errors->len > 0)
    errors = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line has an error",
                                           "%u lines have errors", preview->errors->len),
                              preview->errors->len);
  /* Translators: "3 levels change · 10 stay the same · 2 lines have errors" */
  summary = g_strjoin (" · ", changed, unchanged, errors, NULL);
  gtk_label_set_label (self->summary_label, summary);
  gtk_label_set_label (self->file_label, basename);
  gtk_stack_set_visible_child_name (self->stack, "preview");
}

static void
on_table_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SkStockCsvDialog) self = user_data;
  g_autoptr(SkCsvTable) table = NULL;
  g_autoptr(GError) error = NULL;
  SkStockCsvPreview *preview;

  table = sk_csv_table_read_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading = FALSE;
  if (table != NULL)
    {
      preview = sk_stock_csv_preview (sk_context_get_store (self->context), table, &error);
      if (preview != NULL)
        {
          g_clear_pointer (&self->preview, sk_stock_csv_preview_free);
          self->preview = preview;
          fill_preview (self);
        }
    }
  if (error != NULL)
    show_error (self, error);
  update_state (self);
}

/* Applying */

typedef struct {
  SkStockCsvDialog *self;
  GPtrArray *edits;
  GArray *changes;       /* gint64, per edit */
  guint n_changed;
  guint n_unchanged;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->self);
  g_clear_pointer (&data->edits, g_ptr_array_unref);
  g_clear_pointer (&data->changes, g_array_unref);
  g_free (data);
}

static void
on_applied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ApplyData *data = user_data;
  SkStockCsvDialog *self = data->self;
  g_autoptr(GError) error = NULL;

  self->applying = FALSE;
  if (!sk_inventory_apply_edits_finish (SK_INVENTORY (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      update_state (self);
      apply_data_free (data);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0, data->edits, data->changes->data,
                 data->n_changed, data->n_unchanged);
  apply_data_free (data);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The change each count makes, from the preview (a SKU and location is
 * counted once per file: twice is an error line). */
static GArray *
count_changes (const SkStockCsvPreview *preview,
               GPtrArray               *edits)
{
  GArray *changes = g_array_sized_new (FALSE, TRUE, sizeof (gint64), edits->len);

  for (guint i = 0; i < edits->len; i++)
    {
      const SkStockEdit *edit = g_ptr_array_index (edits, i);
      gint64 change = 0;

      for (guint j = 0; j < preview->rows->len; j++)
        {
          const SkStockCsvRow *row = g_ptr_array_index (preview->rows, j);

          if (row->sku_id == edit->sku_id && row->location_id == edit->location_id)
            {
              change = row->delta;
              break;
            }
        }
      g_array_append_val (changes, change);
    }
  return changes;
}

/* Signal callbacks */

static void
on_chooser_response (GtkNativeDialog  *chooser,
                     int               response,
                     SkStockCsvDialog *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_hide (chooser);
  if (file != NULL)
    sk_stock_csv_dialog_set_file (self, file);
}

static void
on_choose_button_clicked (SkStockCsvDialog *self)
{
  sk_stock_csv_dialog_choose_file (self);
}

static void
on_apply_button_clicked (SkStockCsvDialog *self)
{
  sk_stock_csv_dialog_apply (self);
}

static void
on_unchanged_switch_active (SkStockCsvDialog *self)
{
  update_state (self);
}

/* GObject */

static void
sk_stock_csv_dialog_dispose (GObject *object)
{
  SkStockCsvDialog *self = SK_STOCK_CSV_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_STOCK_CSV_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->file);
  g_clear_object (&self->inventory);
  g_clear_object (&self->context);
  g_clear_pointer (&self->preview, sk_stock_csv_preview_free);

  G_OBJECT_CLASS (sk_stock_csv_dialog_parent_class)->dispose (object);
}

static void
sk_stock_csv_dialog_class_init (SkStockCsvDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sk_stock_csv_dialog_dispose;

  signals[SIGNAL_APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_POINTER, G_TYPE_POINTER, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
      "/io/github/storekeep/Storekeep/ui/sk-stock-csv-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, file_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, unchanged_switch);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, errors_box);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, errors_list);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, changes_box);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, changes_list);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, more_label);
  gtk_widget_class_bind_template_child (widget_class, SkStockCsvDialog, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_button_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_unchanged_switch_active);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sk_stock_csv_dialog_init (SkStockCsvDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

SkStockCsvDialog *
sk_stock_csv_dialog_new (GtkWindow   *parent,
                         SkContext   *context,
                         SkInventory *inventory)
{
  SkStockCsvDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (SK_IS_INVENTORY (inventory), NULL);

  self = g_object_new (SK_TYPE_STOCK_CSV_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  self->inventory = g_object_ref (inventory);
  return self;
}

void
sk_stock_csv_dialog_choose_file (SkStockCsvDialog *self)
{
  g_return_if_fail (SK_IS_STOCK_CSV_DIALOG (self));

  if (self->chooser == NULL)
    {
      g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      self->chooser = gtk_file_chooser_native_new (_("Choose a Stock Count File"), GTK_WINDOW (self),
                                                   GTK_FILE_CHOOSER_ACTION_OPEN,
                                                   _("_Open"), _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
      gtk_file_filter_set_name (csv, _("CSV and Text Files"));
      gtk_file_filter_add_mime_type (csv, "text/csv");
      gtk_file_filter_add_mime_type (csv, "text/tab-separated-values");
      gtk_file_filter_add_mime_type (csv, "text/plain");
      gtk_file_filter_add_suffix (csv, "csv");
      gtk_file_filter_add_suffix (csv, "tsv");
      gtk_file_filter_add_suffix (csv, "txt");
      gtk_file_filter_set_name (all, _("All Files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
      g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response),
                               self, 0);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
sk_stock_csv_dialog_set_file (SkStockCsvDialog *self,
                              GFile            *file)
{
  g_return_if_fail (SK_IS_STOCK_CSV_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->applying)
    return;
  g_set_object (&self->file, file);
  g_clear_pointer (&self->preview, sk_stock_csv_preview_free);
  self->reading = TRUE;
  update_state (self);
  sk_csv_table_read_async (file, 0, restart_cancellable (self), on_table_read, g_object_ref (self));
}

gboolean
sk_stock_csv_dialog_get_busy (SkStockCsvDialog *self)
{
  g_return_val_if_fail (SK_IS_STOCK_CSV_DIALOG (self), FALSE);

  return self->reading || self->applying;
}

const SkStockCsvPreview *
sk_stock_csv_dialog_get_preview (SkStockCsvDialog *self)
{
  g_return_val_if_fail (SK_IS_STOCK_CSV_DIALOG (self), NULL);

  return self->preview;
}

void
sk_stock_csv_dialog_set_include_unchanged (SkStockCsvDialog *self,
                                           gboolean          include)
{
  g_return_if_fail (SK_IS_STOCK_CSV_DIALOG (self));

  gtk_switch_set_active (self->unchanged_switch, include);
}

gboolean
sk_stock_csv_dialog_apply (SkStockCsvDialog *self)
{
  g_autofree char *basename = NULL;
  g_autofree char *reason = NULL;
  ApplyData *data;

  g_return_val_if_fail (SK_IS_STOCK_CSV_DIALOG (self), FALSE);

  if (self->reading || self->applying || n_to_record (self) == 0)
    return FALSE;

  data = g_new0 (ApplyData, 1);
  data->self = g_object_ref (self);
  data->edits = sk_stock_csv_preview_get_edits (self->preview,
                                                gtk_switch_get_active (self->unchanged_switch));
  data->changes = count_changes (self->preview, data->edits);
  data->n_changed = self->preview->n_changed;
  data->n_unchanged = gtk_switch_get_active (self->unchanged_switch) ? self->preview->n_unchanged : 0;

  basename = g_file_get_basename (self->file);
  /* Translators: the reason recorded with each count of an imported file */
  reason = g_strdup_printf (_("Stock count from “%s”"), basename);
  self->applying = TRUE;
  update_state (self);
  sk_inventory_apply_edits_async (self->inventory, data->edits, reason, restart_cancellable (self),
                                  on_applied, data);
  return TRUE;
}
