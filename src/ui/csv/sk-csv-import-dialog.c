/* sk-csv-import-dialog.c: import orders from a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three pages: choose a file; settings and columns on the left with the
 * preview and the rows with errors on the right; the outcome. Reading the
 * file and building the preview run on worker threads (a new build
 * cancels the one before), so editing a column of a large file never
 * blocks the window. The logic lives in the engine (sk-csv-*.h); this file
 * only shows it.
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-csv-ui"

#include <glib/gi18n-lib.h>

#include "sk-csv-channel.h"
#include "sk-csv-import-dialog.h"
#include "sk-csv-import.h"
#include "sk-error.h"
#include "sk-inbox-logic.h"
#include "sk-money.h"
#include "sk-order.h"
#include "sk-store-channels.h"

/* Orders shown in the preview, and errors listed, at most. */
#define PREVIEW_MAX 200
#define ERRORS_MAX 200
/* Rows looked at for a column's example value. */
#define SAMPLE_ROWS 20

struct _SkCsvImportDialog
{
  AdwWindow             parent_instance;

  SkContext            *ctx;
  GCancellable         *cancellable;      /* the running read or build */
  GCancellable         *import_cancellable;
  GtkFileChooserNative *chooser;
  GFile                *file;
  SkCsvTable           *table;
  SkCsvMapping         *mapping;
  SkCsvBatch           *batch;            /* built from table and mapping */
  char                 *mapping_error;    /* why the mapping cannot build */
  GPtrArray            *sources;          /* SkChannelRecord, kind "csv" */
  GListStore           *preview;          /* SkOrder */
  GtkStringList        *field_labels;     /* index = SkCsvField */
  GPtrArray            *column_rows;      /* AdwComboRow, one per column */
  gboolean              reading;
  gboolean              building;
  gboolean              importing;
  gboolean              busy;
  gboolean              ready;
  gboolean              updating;         /* widgets being filled from the mapping */
  char                 *summary;

  GtkWidget            *cancel_button;
  GtkWidget            *import_button;
  GtkSpinner           *spinner;
  GtkStack             *stack;
  AdwStatusPage        *start_page;
  AdwActionRow         *file_row;
  AdwComboRow          *source_row;
  AdwEntryRow          *name_row;
  AdwComboRow          *decimal_row;
  AdwComboRow          *dates_row;
  AdwEntryRow          *currency_row;
  GtkSwitch            *tax_switch;
  GtkSwitch            *sale_switch;
  AdwPreferencesGroup  *columns_group;
  GtkLabel             *preview_caption;
  GtkLabel             *status_label;
  GtkStack             *preview_stack;
  GtkColumnView        *preview_view;
  AdwStatusPage        *empty_page;
  GtkWidget            *errors_box;
  GtkLabel             *errors_title;
  GtkListBox           *errors_list;
  AdwStatusPage        *done_page;
  GtkWidget            *done_errors_scroll;
  GtkListBox           *done_errors_list;
};

enum {
  PROP_0,
  PROP_BUSY,
  PROP_READY,
  PROP_SUMMARY,
  N_PROPS
};

enum {
  SIGNAL_IMPORTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkCsvImportDialog, sk_csv_import_dialog, ADW_TYPE_WINDOW)

static void schedule_build (SkCsvImportDialog *self);

/* State */

static gboolean
is_ready (SkCsvImportDialog *self)
{
  return self->table != NULL && self->batch != NULL && !self->building &&
         self->mapping_error == NULL;
}

static const SkChannelRecord *
selected_source (SkCsvImportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->source_row);

  if (self->sources == NULL || selected >= self->sources->len)
    return NULL;   /* "New Source" */
  return g_ptr_array_index (self->sources, selected);
}

static void
update_actions (SkCsvImportDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  gboolean have_source = selected_source (self) != NULL || name[0] != '\0';
  gboolean have_rows = self->batch != NULL &&
                       self->batch->orders->len + self->batch->dead_letters->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "csv.import",
                                 is_ready (self) && !self->busy && have_source && have_rows);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "csv.choose-file", !self->importing);
}

static void
update_busy (SkCsvImportDialog *self)
{
  gboolean busy = self->reading || self->building || self->importing;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !self->importing);
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  update_actions (self);
  if (self->ready != is_ready (self))
    {
      self->ready = is_ready (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
}

static void
set_status (SkCsvImportDialog *self,
            const char        *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
show_page (SkCsvImportDialog *self,
           const char        *name)
{
  gboolean done = g_str_equal (name, "done");

  /* The last page has its own buttons. */
  gtk_widget_set_visible (self->import_button, !done);
  gtk_widget_set_visible (self->cancel_button, !done);
  gtk_stack_set_visible_child_name (self->stack, name);
}

static GCancellable *
restart_cancellable (SkCsvImportDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  return self->cancellable;
}

/* The preview table */

typedef char *(*CellText) (SkOrder *order);

typedef struct {
  const char *title;    /* N_() */
  CellText    text;
  int         width;    /* fixed width, -1: shares what is left */
  gboolean    numeric;
  gboolean    pill;
} PreviewColumn;

static char *
cell_number (SkOrder *order)
{
  return g_strdup (sk_order_get_number (order));
}

static char *
cell_date (SkOrder *order)
{
  g_autoptr(GDateTime) when = NULL;

  if (sk_order_get_created_at (order) <= 0)
    return g_strdup (_("When imported"));
  when = g_date_time_new_from_unix_local (sk_order_get_created_at (order));
  /* Translators: an order date with its time in the import preview; a
   * g_date_time_format() pattern */
  return g_date_time_format (when, C_("order date", "%b %-d, %Y %H:%M"));
}

static char *
cell_customer (SkOrder *order)
{
  if (sk_order_get_customer_name (order) != NULL)
    return g_strdup (sk_order_get_customer_name (order));
  if (sk_order_get_email (order) != NULL)
    return g_strdup (sk_order_get_email (order));
  return g_strdup ("—");
}

static char *
cell_items (SkOrder *order)
{
  GPtrArray *lines = sk_order_get_lines (order);
  SkOrderLine *first;
  g_autofree char *quantity = NULL;
  g_autofree char *text = NULL;

  if (lines == NULL || lines->len == 0)
    return g_strdup ("—");
  first = g_ptr_array_index (lines, 0);
  quantity = g_strdup_printf ("%" G_GINT64_FORMAT, first->quantity);
  /* Translators: one line of an order: quantity × title */
  text = g_strdup_printf (_("%s × %s"), quantity,
                          first->title != NULL && *first->title != '\0' ? first->title : first->sku);
  if (lines->len == 1)
    return g_steal_pointer (&text);
  /* Translators: the first item of an order, then how many other lines it has */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u more", "%s and %u more",
                                       lines->len - 1),
                          text, lines->len - 1);
}

static char *
cell_payment (SkOrder *order)
{
  return g_strdup (sk_inbox_payment_pill (sk_order_get_payment_status (order)).label);
}

static char *
cell_total (SkOrder *order)
{
  return sk_money_format_display (sk_order_get_total (order), sk_order_get_currency (order));
}

static const PreviewColumn preview_columns[] = {
  { N_("Order"), cell_number, 100, FALSE, FALSE },
  { N_("Date"), cell_date, 166, FALSE, FALSE },
  { N_("Customer"), cell_customer, 130, FALSE, FALSE },
  { N_("Items"), cell_items, -1, FALSE, FALSE },
  { N_("Payment"), cell_payment, 100, FALSE, TRUE },
  { N_("Total"), cell_total, 96, TRUE, FALSE },
};

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               const PreviewColumn      *column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column->numeric ? 1.0f : 0.0f);
  if (!column->pill)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
    }
  if (column->numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (column->pill)
    {
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_set_hexpand (label, FALSE);
    }
  gtk_list_item_set_child (item, label);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              const PreviewColumn      *column)
{
  SkOrder *order = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = column->text (order);

  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, text);
  if (column->pill)
    {
      static const SkPillStyle styles[] = {
        SK_PILL_NEUTRAL, SK_PILL_SUCCESS, SK_PILL_WARNING, SK_PILL_ERROR, SK_PILL_ACCENT, SK_PILL_DIM,
      };
      SkPill pill = sk_inbox_payment_pill (sk_order_get_payment_status (order));

      for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
        gtk_widget_remove_css_class (label, sk_inbox_pill_css_class (styles[i]));
      gtk_widget_add_css_class (label, "status-pill");
      gtk_widget_add_css_class (label, sk_inbox_pill_css_class (pill.style));
    }
}

static void
setup_preview (SkCsvImportDialog *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  self->preview = g_list_store_new (SK_TYPE_ORDER);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->preview)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));

  for (guint i = 0; i < G_N_ELEMENTS (preview_columns); i++)
    {
      const PreviewColumn *spec = &preview_columns[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), (gpointer) spec);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), (gpointer) spec);
      column = gtk_column_view_column_new (_(spec->title), factory);
      gtk_column_view_column_set_expand (column, spec->width < 0);
      gtk_column_view_column_set_fixed_width (column, spec->width);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->preview_view, column);
    }
}

/* Errors */

static GtkWidget *
error_row_new (const SkCsvRowError *error)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  g_autofree char *title = NULL;

  /* Translators: where a problem is in an imported file */
  title = error->order_id != NULL ? g_strdup_printf (_("Line %u · Order %s"), error->line, error->order_id)
                                  : g_strdup_printf (_("Line %u"), error->line);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
fill_errors (GtkListBox *list,
             SkCsvBatch *batch)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  if (batch == NULL)
    return;

  for (guint i = 0; i < batch->errors->len && i < ERRORS_MAX; i++)
    gtk_list_box_append (list, error_row_new (g_ptr_array_index (batch->errors, i)));
  if (batch->errors->len > ERRORS_MAX)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;
      guint more = batch->errors->len - ERRORS_MAX;

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "And %u more problem",
                                            "And %u more problems", more), more);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_list_box_append (list, row);
    }
}

/* The preview */

static void
update_preview (SkCsvImportDialog *self)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autofree char *caption = NULL;
  SkCsvBatch *batch = self->batch;

  if (self->mapping_error != NULL || batch == NULL)
    {
      g_list_store_remove_all (self->preview);
      adw_status_page_set_title (self->empty_page, _("A Few Choices Are Missing"));
      adw_status_page_set_description (self->empty_page, self->mapping_error);
      gtk_stack_set_visible_child_name (self->preview_stack, "empty");
      gtk_label_set_text (self->preview_caption,
                          self->mapping_error != NULL ? _("Storekeep needs a few more choices to read this file.") : "");
      gtk_widget_set_visible (self->errors_box, FALSE);
      return;
    }

  orders = sk_csv_batch_preview (batch, PREVIEW_MAX);
  g_list_store_splice (self->preview, 0, g_list_model_get_n_items (G_LIST_MODEL (self->preview)),
                       orders->pdata, orders->len);

  if (batch->orders->len == 0)
    {
      adw_status_page_set_title (self->empty_page, _("No Orders Could Be Read"));
      adw_status_page_set_description (self->empty_page,
                                       batch->errors->len > 0
                                         ? _("Every row has a problem. The list below says which, and what to change.")
                                         : _("The file has a header but no rows."));
      gtk_stack_set_visible_child_name (self->preview_stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->preview_stack, "table");

  caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order ready to import",
                                          "%u orders ready to import", batch->orders->len),
                             batch->orders->len);
  if (batch->orders->len > PREVIEW_MAX)
    {
      g_autofree char *more = g_strdup_printf (_("%s; the first %u are shown."), caption, PREVIEW_MAX);

      g_free (caption);
      caption = g_steal_pointer (&more);
    }
  gtk_label_set_text (self->preview_caption, caption);

  gtk_widget_set_visible (self->errors_box, batch->n_bad_rows > 0 || batch->errors->len > 0);
  if (batch->errors->len > 0)
    {
      g_autofree char *title = NULL;
      guint rows = MAX (batch->n_bad_rows, 1);

      if (batch->n_bad_orders > 0)
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u Row With Errors — Its Order Is Left Out",
                                              "%u Rows With Errors — Their Orders Are Left Out", rows),
                                 rows);
      else
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Row With Errors",
                                              "%u Rows With Errors", rows),
                                 rows);
      gtk_label_set_text (self->errors_title, title);
    }
  fill_errors (self->errors_list, batch);
}

static void
on_built (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SkCsvImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  SkCsvBatch *batch = sk_csv_batch_build_finish (result, &error);

  if (batch == NULL)
    {
      /* Replaced by a newer build, or the dialog closed. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->building = FALSE;
      set_status (self, error->message);
      update_busy (self);
      return;
    }

  g_clear_pointer (&self->batch, sk_csv_batch_free);
  self->batch = batch;
  self->building = FALSE;
  update_preview (self);
  update_busy (self);
}

static void
schedule_build (SkCsvImportDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (self->table == NULL || self->mapping == NULL)
    return;

  set_status (self, NULL);
  g_clear_pointer (&self->mapping_error, g_free);
  if (sk_csv_mapping_get_column (self->mapping, SK_CSV_FIELD_CURRENCY) < 0 &&
      !sk_currency_is_valid (self->mapping->currency))
    gtk_widget_add_css_class (GTK_WIDGET (self->currency_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->currency_row), "error");
  if (!sk_csv_mapping_validate (self->mapping, &error))
    {
      restart_cancellable (self);
      self->mapping_error = g_strdup (error->message);
      self->building = FALSE;
      g_clear_pointer (&self->batch, sk_csv_batch_free);
      update_preview (self);
      update_busy (self);
      return;
    }

  self->building = TRUE;
  update_busy (self);
  sk_csv_batch_build_async (self->table, self->mapping, restart_cancellable (self),
                            on_built, g_object_ref (self));
}

/* Settings and columns, from the mapping and back */

static void
sync_column_rows (SkCsvImportDialog *self)
{
  gboolean was_updating = self->updating;

  self->updating = TRUE;
  for (guint c = 0; c < self->column_rows->len; c++)
    adw_combo_row_set_selected (g_ptr_array_index (self->column_rows, c),
                                sk_csv_mapping_get_field (self->mapping, (int) c));
  self->updating = was_updating;
}

static void
sync_widgets (SkCsvImportDialog *self)
{
  self->updating = TRUE;
  adw_combo_row_set_selected (self->decimal_row, self->mapping->decimal == ',' ? 1 : 0);
  adw_combo_row_set_selected (self->dates_row,
                              self->mapping->date_order == SK_CSV_DATE_MONTH_FIRST ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row), self->mapping->currency);
  gtk_switch_set_active (self->tax_switch, self->mapping->tax_included);
  gtk_switch_set_active (self->sale_switch, self->mapping->paid_at_sale);
  sync_column_rows (self);
  self->updating = FALSE;
}

static void
on_column_row_selected (AdwComboRow       *row,
                        GParamSpec        *pspec,
                        SkCsvImportDialog *self)
{
  int column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "sk-column"));
  SkCsvField field = adw_combo_row_get_selected (row);

  if (self->updating || self->mapping == NULL || field >= SK_CSV_N_FIELDS)
    return;
  sk_csv_mapping_set_column (self->mapping, field, column);
  /* Another column may have held that field: show it moved. */
  sync_column_rows (self);
  schedule_build (self);
}

/* The first value of @column in the first rows, for a row's subtitle. */
static char *
column_sample (SkCsvTable *table,
               guint       column)
{
  for (guint r = 0; r < table->records->len && r < SAMPLE_ROWS; r++)
    {
      const char *value = sk_csv_record_get (g_ptr_array_index (table->records, r), (int) column);
      g_autofree char *flat = NULL;

      if (*value == '\0')
        continue;
      flat = g_strdelimit (g_strdup (value), "\r\n\t", ' ');
      if (g_utf8_strlen (flat, -1) > 40)
        {
          char *end = g_utf8_offset_to_pointer (flat, 39);

          *end = '\0';
          /* Translators: an example value of a column, then "…" when it is cut */
          return g_strdup_printf (_("e.g. %s…"), flat);
        }
      /* Translators: an example value of a column */
      return g_strdup_printf (_("e.g. %s"), flat);
    }
  return g_strdup (_("Empty in the first rows"));
}

static void
rebuild_column_rows (SkCsvImportDialog *self)
{
  for (guint c = 0; c < self->column_rows->len; c++)
    adw_preferences_group_remove (self->columns_group, g_ptr_array_index (self->column_rows, c));
  g_ptr_array_set_size (self->column_rows, 0);

  for (guint c = 0; c < self->table->n_columns; c++)
    {
      GtkWidget *row = adw_combo_row_new ();
      g_autofree char *sample = column_sample (self->table, c);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->table->header[c]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sample);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (self->field_labels));
      g_object_set_data (G_OBJECT (row), "sk-column", GINT_TO_POINTER ((int) c));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_column_row_selected),
                               self, 0);
      adw_preferences_group_add (self->columns_group, row);
      g_ptr_array_add (self->column_rows, row);
    }
}

static void
on_format_changed (GObject           *object,
                   GParamSpec        *pspec,
                   SkCsvImportDialog *self)
{
  if (self->updating || self->mapping == NULL)
    return;
  self->mapping->decimal = adw_combo_row_get_selected (self->decimal_row) == 1 ? ',' : '.';
  self->mapping->date_order = adw_combo_row_get_selected (self->dates_row) == 1
                                ? SK_CSV_DATE_MONTH_FIRST : SK_CSV_DATE_DAY_FIRST;
  self->mapping->tax_included = gtk_switch_get_active (self->tax_switch);
  self->mapping->paid_at_sale = gtk_switch_get_active (self->sale_switch);
  schedule_build (self);
}

static void
on_currency_row_changed (GtkEditable       *editable,
                         SkCsvImportDialog *self)
{
  g_autofree char *text = NULL;

  if (self->updating || self->mapping == NULL)
    return;
  text = g_ascii_strup (g_strstrip (g_strdup (gtk_editable_get_text (editable))), -1);
  sk_csv_mapping_set_currency (self->mapping, sk_currency_is_valid (text) ? text : NULL);
  schedule_build (self);
}

/* Sources */

static void
load_sources (SkCsvImportDialog *self,
              gint64             select_id)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  g_clear_pointer (&self->sources, g_ptr_array_unref);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_channel_record_free);
  records = sk_store_list_channels (sk_context_get_store (self->ctx), &error);
  if (records == NULL)
    g_warning ("Could not list the channels: %s", error->message);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      SkChannelRecord *record = g_ptr_array_index (records, i);

      if (g_strcmp0 (record->kind, SK_CSV_CHANNEL_KIND) != 0)
        continue;
      if (record->id == select_id)
        selected = self->sources->len;
      gtk_string_list_append (names, record->name);
      g_ptr_array_add (self->sources, sk_channel_record_copy (record));
    }
  gtk_string_list_append (names, _("New Source…"));

  self->updating = TRUE;
  adw_combo_row_set_model (self->source_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->source_row, selected);
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->name_row), selected_source (self) == NULL);
}

/* The mapping for the selected source and the current file. */
static void
apply_source (SkCsvImportDialog *self)
{
  const SkChannelRecord *source = selected_source (self);
  g_autoptr(GError) error = NULL;
  SkCsvMapping *mapping = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->name_row), source == NULL);
  if (self->table == NULL)
    return;

  if (source != NULL)
    {
      mapping = sk_csv_mapping_load (source->settings, self->table, &error);
      if (mapping == NULL)
        set_status (self, error->message);
    }
  if (mapping == NULL)
    mapping = sk_csv_mapping_guess (self->table);

  sk_csv_mapping_free (self->mapping);
  self->mapping = mapping;
  sync_widgets (self);
  schedule_build (self);
}

static void
on_source_row_selected (AdwComboRow       *row,
                        GParamSpec        *pspec,
                        SkCsvImportDialog *self)
{
  if (self->updating)
    return;
  apply_source (self);
  update_actions (self);
}

static void
on_name_row_changed (GtkEditable       *editable,
                     SkCsvImportDialog *self)
{
  update_actions (self);
}

/* Reading a file */

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ';':
      return _("semicolon-separated");
    case '\t':
      return _("tab-separated");
    default:
      return _("comma-separated");
    }
}

static void
show_file (SkCsvImportDialog *self)
{
  g_autofree char *name = g_file_get_basename (self->file);
  g_autofree char *rows = NULL;
  g_autofree char *subtitle = NULL;
  guint n = self->table->records->len;

  rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", n), n);
  /* Translators: under the file name: "42 rows, semicolon-separated" */
  subtitle = g_strdup_printf (_("%s, %s"), rows, delimiter_name (self->table->delimiter));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), name);
  adw_action_row_set_subtitle (self->file_row, subtitle);
}

static void
on_table_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SkCsvImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  SkCsvTable *table = sk_csv_table_read_finish (result, &error);
  const SkChannelRecord *source_record;

  if (table == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading = FALSE;

  if (table == NULL)
    {
      adw_status_page_set_icon_name (self->start_page, "dialog-warning-symbolic");
      adw_status_page_set_title (self->start_page, _("This File Cannot Be Read"));
      adw_status_page_set_description (self->start_page, error->message);
      show_page (self, "start");
      update_busy (self);
      return;
    }

  g_clear_pointer (&self->table, sk_csv_table_unref);
  g_clear_pointer (&self->batch, sk_csv_batch_free);
  self->table = table;
  show_file (self);
  rebuild_column_rows (self);

  /* Keep the source chosen for the last file; else the first CSV source. */
  source_record = selected_source (self);
  load_sources (self, source_record != NULL ? source_record->id : 0);
  set_status (self, NULL);
  show_page (self, "mapping");
  apply_source (self);
  update_busy (self);
}

void
sk_csv_import_dialog_set_file (SkCsvImportDialog *self,
                               GFile             *file)
{
  g_return_if_fail (SK_IS_CSV_IMPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->importing)
    return;
  g_set_object (&self->file, file);
  g_clear_pointer (&self->summary, g_free);
  self->reading = TRUE;
  self->building = FALSE;
  update_busy (self);
  sk_csv_table_read_async (file, 0, restart_cancellable (self), on_table_read, g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog   *chooser,
                     int                response,
                     SkCsvImportDialog *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_hide (chooser);
  if (file != NULL)
    sk_csv_import_dialog_set_file (self, file);
}

static void
choose_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SkCsvImportDialog *self = SK_CSV_IMPORT_DIALOG (widget);

  if (self->chooser == NULL)
    {
      g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      self->chooser = gtk_file_chooser_native_new (_("Choose a CSV File"), GTK_WINDOW (self),
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

static gboolean
on_drop (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         SkCsvImportDialog *self)
{
  if (!G_VALUE_HOLDS (value, G_TYPE_FILE) || self->importing)
    return FALSE;
  sk_csv_import_dialog_set_file (self, g_value_get_object (value));
  return TRUE;
}

/* Importing */

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SkCsvImportDialog) self = user_data;
  SkCsvChannel *channel = SK_CSV_CHANNEL (source);
  g_autoptr(GError) error = NULL;
  SkSyncSummary summary = { 0, };
  gint64 channel_id = sk_channel_get_id (SK_CHANNEL (channel));
  g_autofree char *counts = NULL;

  if (!sk_csv_channel_import_finish (channel, result, &summary, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->importing = FALSE;
      set_status (self, error->message);
      update_busy (self);
      return;
    }
  self->importing = FALSE;

  g_free (self->summary);
  self->summary = sk_csv_format_summary (self->batch, &summary);
  adw_status_page_set_title (self->done_page,
                             summary.inserted + summary.updated > 0 ? _("Orders Imported")
                                                                    : _("Nothing New to Import"));
  adw_status_page_set_icon_name (self->done_page,
                                 self->batch->n_bad_rows > 0 ? "dialog-warning-symbolic"
                                                             : "emblem-ok-symbolic");
  counts = sk_csv_format_counts (self->batch, &summary);
  adw_status_page_set_description (self->done_page, counts);
  fill_errors (self->done_errors_list, self->batch);
  gtk_widget_set_visible (self->done_errors_scroll, self->batch->errors->len > 0);
  show_page (self, "done");
  load_sources (self, channel_id);
  update_busy (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0, channel_id);
}

/* The stored record of the source, created or with the mapping saved. */
static SkChannelRecord *
save_source (SkCsvImportDialog  *self,
             GError            **error)
{
  const SkChannelRecord *selected = selected_source (self);
  SkStore *store = sk_context_get_store (self->ctx);
  g_autoptr(SkChannelRecord) record = NULL;
  g_autofree char *settings = NULL;

  if (selected != NULL)
    record = sk_channel_record_copy (selected);
  else
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

      record = sk_csv_channel_record_new (name);
    }

  settings = sk_csv_mapping_save (self->mapping, self->table, record->settings);
  g_free (record->settings);
  record->settings = g_steal_pointer (&settings);

  if (record->id == 0)
    {
      if (!sk_store_add_channel (store, record, error))
        {
          if (g_error_matches (*error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT))
            {
              g_clear_error (error);
              g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                                   _("A source with this name exists already. Choose it under “Source”, or give the new one another name."));
            }
          return NULL;
        }
    }
  else if (!sk_store_update_channel (store, record, error))
    return NULL;

  return g_steal_pointer (&record);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SkCsvImportDialog *self = SK_CSV_IMPORT_DIALOG (widget);
  SkSyncManager *sync = sk_context_get_sync_manager (self->ctx);
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(SkChannel) channel = NULL;
  g_autoptr(GError) error = NULL;

  if (!is_ready (self) || self->busy)
    return;

  record = save_source (self, &error);
  if (record == NULL)
    {
      set_status (self, error->message);
      return;
    }

  /* The sync manager's own channel when it has it (its health then shows
   * the import); a new source reaches the manager only when the store's
   * change is delivered, so a channel of our own does meanwhile. */
  channel = sk_sync_manager_find_channel (sync, record->id);
  if (channel != NULL && SK_IS_CSV_CHANNEL (channel))
    g_object_ref (channel);
  else
    channel = sk_channel_new_for_record (sk_context_get_store (self->ctx),
                                         sk_sync_manager_get_http (sync), record, &error);
  if (channel == NULL)
    {
      set_status (self, error->message);
      return;
    }

  set_status (self, NULL);
  self->importing = TRUE;
  update_busy (self);
  g_clear_object (&self->import_cancellable);
  self->import_cancellable = g_cancellable_new ();
  sk_csv_channel_import_async (SK_CSV_CHANNEL (channel),
                               sk_csv_batch_to_page (self->batch, record->id),
                               self->import_cancellable, on_imported, g_object_ref (self));
}

/* GObject */

static gboolean
sk_csv_import_dialog_close_request (GtkWindow *window)
{
  SkCsvImportDialog *self = SK_CSV_IMPORT_DIALOG (window);

  /* An import already handed to the store finishes there, whole. */
  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (sk_csv_import_dialog_parent_class)->close_request (window);
}

static void
sk_csv_import_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SkCsvImportDialog *self = SK_CSV_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_READY:
      g_value_set_boolean (value, is_ready (self));
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_csv_import_dialog_dispose (GObject *object)
{
  SkCsvImportDialog *self = SK_CSV_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), SK_TYPE_CSV_IMPORT_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->ctx);

  G_OBJECT_CLASS (sk_csv_import_dialog_parent_class)->dispose (object);
}

static void
sk_csv_import_dialog_finalize (GObject *object)
{
  SkCsvImportDialog *self = SK_CSV_IMPORT_DIALOG (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->table, sk_csv_table_unref);
  g_clear_pointer (&self->mapping, sk_csv_mapping_free);
  g_clear_pointer (&self->batch, sk_csv_batch_free);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_object (&self->preview);
  g_clear_object (&self->field_labels);
  g_free (self->mapping_error);
  g_free (self->summary);

  G_OBJECT_CLASS (sk_csv_import_dialog_parent_class)->finalize (object);
}

static void
sk_csv_import_dialog_class_init (SkCsvImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = sk_csv_import_dialog_get_property;
  object_class->dispose = sk_csv_import_dialog_dispose;
  object_class->finalize = sk_csv_import_dialog_finalize;
  window_class->close_request = sk_csv_import_dialog_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SkCsvImportDialog::imported:
   * @channel_id: the source the orders went into
   */
  signals[SIGNAL_IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storekeep/Storekeep/ui/sk-csv-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, start_page);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, decimal_row);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, dates_row);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, currency_row);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, tax_switch);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, sale_switch);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, preview_caption);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, preview_view);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, errors_box);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, errors_title);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, errors_list);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, done_errors_scroll);
  gtk_widget_class_bind_template_child (widget_class, SkCsvImportDialog, done_errors_list);
  gtk_widget_class_bind_template_callback (widget_class, on_source_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_name_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_currency_row_changed);

  gtk_widget_class_install_action (widget_class, "csv.choose-file", NULL, choose_file_action);
  gtk_widget_class_install_action (widget_class, "csv.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "csv.choose-file", NULL);
}

static void
sk_csv_import_dialog_init (SkCsvImportDialog *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->column_rows = g_ptr_array_new ();
  self->field_labels = gtk_string_list_new (NULL);
  for (guint f = 0; f < SK_CSV_N_FIELDS; f++)
    gtk_string_list_append (self->field_labels, sk_csv_field_get_label (f));
  setup_preview (self);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), _("Shop Counter (POS)"));
  update_busy (self);
}

/* Public API */

SkCsvImportDialog *
sk_csv_import_dialog_new (GtkWindow *parent,
                          SkContext *ctx)
{
  SkCsvImportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SK_IS_CONTEXT (ctx), NULL);

  self = g_object_new (SK_TYPE_CSV_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->ctx = g_object_ref (ctx);
  load_sources (self, 0);
  update_actions (self);
  return self;
}

void
sk_csv_import_dialog_present (GtkWindow *parent,
                              SkContext *ctx)
{
  SkCsvImportDialog *self;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (SK_IS_CONTEXT (ctx));

  self = sk_csv_import_dialog_new (parent, ctx);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "csv.choose-file", NULL);
}

gboolean
sk_csv_import_dialog_get_busy (SkCsvImportDialog *self)
{
  g_return_val_if_fail (SK_IS_CSV_IMPORT_DIALOG (self), FALSE);

  return self->busy;
}

gboolean
sk_csv_import_dialog_get_ready (SkCsvImportDialog *self)
{
  g_return_val_if_fail (SK_IS_CSV_IMPORT_DIALOG (self), FALSE);

  return is_ready (self);
}

guint
sk_csv_import_dialog_get_n_orders (SkCsvImportDialog *self)
{
  g_return_val_if_fail (SK_IS_CSV_IMPORT_DIALOG (self), 0);

  return self->batch != NULL ? self->batch->orders->len : 0;
}

guint
sk_csv_import_dialog_get_n_error_rows (SkCsvImportDialog *self)
{
  g_return_val_if_fail (SK_IS_CSV_IMPORT_DIALOG (self), 0);

  return self->batch != NULL ? self->batch->n_bad_rows : 0;
}

const char *
sk_csv_import_dialog_get_summary (SkCsvImportDialog *self)
{
  g_return_val_if_fail (SK_IS_CSV_IMPORT_DIALOG (self), NULL);

  return self->summary;
}
