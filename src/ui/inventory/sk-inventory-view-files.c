/* sk-inventory-view-files.c: stock count files in and out of the inventory view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import a cycle-count file (with a preview and line-numbered errors, in
 * SkStockCsvDialog) as one undoable change, and export the stock levels.
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-inventory-logic.h"
#include "sk-inventory-view-private.h"
#include "sk-stock-csv.h"
#include "sk-stock-csv-dialog.h"

/* Stock count files */

static void
on_counts_applied (SkStockCsvDialog *dialog,
                   GPtrArray        *edits,
                   const gint64     *changes,
                   guint             n_changed,
                   guint             n_unchanged,
                   SkInventoryView  *self)
{
  g_autoptr(AdwToast) toast = NULL;
  g_autofree char *text = sk_inventory_counts_toast (n_changed, n_unchanged);
  GPtrArray *plan = sk_inventory_plan_undo (edits, changes);

  toast = adw_toast_new (text);
  if (plan != NULL && plan->len > 0)
    {
      self->undo_serial++;
      g_clear_pointer (&self->undo_edits, g_ptr_array_unref);
      self->undo_edits = g_steal_pointer (&plan);
      g_free (self->undo_reason);
      self->undo_reason = g_strdup (_("Undo: stock count file"));
      g_free (self->undo_text);
      self->undo_text = g_strdup (text);
      adw_toast_set_button_label (toast, _("_Undo"));
      g_object_set_data (G_OBJECT (toast), "sk-serial", GUINT_TO_POINTER (self->undo_serial));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (_sk_inventory_view_on_toast_undo), self, 0);
    }
  g_clear_pointer (&plan, g_ptr_array_unref);
  _sk_inventory_view_show_toast (self, toast);
  _sk_inventory_view_update_actions (self);
}

static void
on_export_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SkInventoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwToast) toast = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autoptr(GError) sentence = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      sentence = g_error_new (G_IO_ERROR, error->code,
                              _("The stock levels could not be saved: %s. Choose another folder and try again."),
                              error->message);
      _sk_inventory_view_show_error_toast (self, sentence);
      return;
    }
  name = g_file_get_basename (G_FILE (source));
  /* Translators: toast after exporting the stock levels; %s is a file name */
  text = g_strdup_printf (_("Stock levels saved to “%s”"), name);
  toast = adw_toast_new (text);
  _sk_inventory_view_show_toast (self, toast);
}

static void
export_to_file (SkInventoryView *self,
                GFile           *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *data;

  data = sk_stock_csv_export (_sk_inventory_view_get_store (self), self->location_filter, &error);
  if (data == NULL)
    {
      _sk_inventory_view_show_error_toast (self, error);
      return;
    }
  bytes = g_bytes_new_take (data, strlen (data));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, on_export_written, g_object_ref (self));
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    SkInventoryView *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_hide (chooser);
  if (file != NULL)
    export_to_file (self, file);
}

void
_sk_inventory_view_action_import_counts (GtkWidget  *widget,
                                         const char *name,
                                         GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SkStockCsvDialog *dialog;

  dialog = sk_stock_csv_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                    self->context, _sk_inventory_view_get_inventory (self));
  g_signal_connect_object (dialog, "applied", G_CALLBACK (on_counts_applied), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  sk_stock_csv_dialog_choose_file (dialog);
}

void
_sk_inventory_view_action_export_counts (GtkWidget  *widget,
                                         const char *name,
                                         GVariant   *param)
{
  SkInventoryView *self = SK_INVENTORY_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *file_name = NULL;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();

  if (self->export_chooser == NULL)
    {
      self->export_chooser = gtk_file_chooser_native_new (_("Export Stock Levels"),
                                                          GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                          GTK_FILE_CHOOSER_ACTION_SAVE,
                                                          _("_Save"), _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->export_chooser), TRUE);
      gtk_file_filter_set_name (csv, _("CSV Files"));
      gtk_file_filter_add_mime_type (csv, "text/csv");
      gtk_file_filter_add_suffix (csv, "csv");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_chooser), csv);
      g_signal_connect_object (self->export_chooser, "response",
                               G_CALLBACK (on_export_response), self, 0);
    }
  /* Translators: the suggested name of an exported stock file; %s is a date */
  file_name = g_strdup_printf (_("stock-levels-%s.csv"), date);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), file_name);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}
