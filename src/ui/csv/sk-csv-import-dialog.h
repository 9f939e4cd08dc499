/* sk-csv-import-dialog.h: import orders from a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pick a file (GtkFileChooserNative, so the Flatpak portal serves it),
 * choose or create the source it comes from (a CSV channel such as "Shop
 * Counter (POS)"), check what each column holds (prefilled with the
 * source's saved choices or a guess from the header), look at a preview
 * of the first orders and at the rows with errors, then import: the
 * mapping is saved in the source and the orders go through the CSV
 * channel, so importing the same file again imports nothing twice. The
 * last page says what happened ("42 new orders imported, 3 rows with
 * errors: …").
 *
 * Actions: csv.choose-file, csv.import.
 * Signal "imported" (gint64 channel_id) after an import.
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"

G_BEGIN_DECLS

#define SK_TYPE_CSV_IMPORT_DIALOG (sk_csv_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SkCsvImportDialog, sk_csv_import_dialog, SK, CSV_IMPORT_DIALOG, AdwWindow)

/* Open the dialog over @parent and the file chooser with it. */
void               sk_csv_import_dialog_present     (GtkWindow         *parent,
                                                     SkContext         *ctx);

/* The dialog alone, on its first page. */
SkCsvImportDialog *sk_csv_import_dialog_new         (GtkWindow         *parent,
                                                     SkContext         *ctx);
/* Read @file as if it had been chosen (tests, a dropped file). */
void               sk_csv_import_dialog_set_file    (SkCsvImportDialog *self,
                                                     GFile             *file);
/* TRUE while a file is read, a preview built or an import runs. */
gboolean           sk_csv_import_dialog_get_busy    (SkCsvImportDialog *self);
/* TRUE when the preview is up to date and Import would run. */
gboolean           sk_csv_import_dialog_get_ready   (SkCsvImportDialog *self);
/* Orders and rows with errors in the current preview. */
guint              sk_csv_import_dialog_get_n_orders (SkCsvImportDialog *self);
guint              sk_csv_import_dialog_get_n_error_rows (SkCsvImportDialog *self);
/* The sentence of the last import, or NULL before one. */
const char        *sk_csv_import_dialog_get_summary (SkCsvImportDialog *self);

G_END_DECLS
