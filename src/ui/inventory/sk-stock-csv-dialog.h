/* sk-stock-csv-dialog.h: import a stock count from a CSV file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pick a file (GtkFileChooserNative, so the Flatpak portal serves it),
 * see what it would change, level by level, and which lines are wrong
 * (by line number), then apply: one cycle count per good row, all in one
 * transaction through SkInventory (src/engine/sk-stock-csv.h). Lines with
 * errors are left out; fix them and import the file again.
 *
 * Signal "applied" (gpointer edits, gpointer count_changes, guint
 * n_changed, guint n_unchanged): the counts were recorded; @edits is the
 * GPtrArray of SkStockEdit recorded and @count_changes a gint64 array of
 * the change each made (for an undo), both valid during the emission.
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"
#include "sk-inventory.h"
#include "sk-stock-csv.h"

G_BEGIN_DECLS

#define SK_TYPE_STOCK_CSV_DIALOG (sk_stock_csv_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SkStockCsvDialog, sk_stock_csv_dialog, SK, STOCK_CSV_DIALOG, AdwWindow)

SkStockCsvDialog        *sk_stock_csv_dialog_new         (GtkWindow        *parent,
                                                          SkContext        *context,
                                                          SkInventory      *inventory);
/* Open the file chooser. */
void                     sk_stock_csv_dialog_choose_file (SkStockCsvDialog *self);
/* Read @file as if it had been chosen (tests, a dropped file). */
void                     sk_stock_csv_dialog_set_file    (SkStockCsvDialog *self,
                                                          GFile            *file);
/* TRUE while a file is read or the counts are recorded. */
gboolean                 sk_stock_csv_dialog_get_busy    (SkStockCsvDialog *self);
/* The preview of the file read, or NULL. */
const SkStockCsvPreview *sk_stock_csv_dialog_get_preview (SkStockCsvDialog *self);
/* Record unchanged counts too (the switch in the dialog). */
void                     sk_stock_csv_dialog_set_include_unchanged (SkStockCsvDialog *self,
                                                          gboolean          include);
/* What the Apply button does; FALSE when there is nothing to apply. */
gboolean                 sk_stock_csv_dialog_apply       (SkStockCsvDialog *self);

G_END_DECLS
