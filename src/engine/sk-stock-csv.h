/* sk-stock-csv.h: stock levels as a CSV file (a cycle count)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export writes one row per SKU and active location (kits have no stock of
 * their own and are left out), RFC 4180, UTF-8, CRLF line ends:
 *
 *   SKU,Location,On hand,Reserved,Available,Title
 *   TS-42,Main warehouse,12,2,10,Trail shoe 42
 *
 * Import reads the same shape back (src/engine/sk-csv-reader.h): a header
 * row naming at least a SKU column and a count column ("On hand",
 * "Counted", "Count" or "Quantity", any case); "Location" is optional (the
 * default location when absent or empty); other columns are ignored. The
 * preview checks every row against the store and lists what would change
 * and what is wrong, by line: an unknown SKU, a kit, an unknown location,
 * a count that is not a whole number of zero or more, a SKU and location
 * counted twice. Applying is a cycle count of each good row
 * (sk_inventory_apply_edits_async with the edits from the preview), one
 * transaction, so a file is recorded entirely or not at all.
 */
#pragma once

#include <gio/gio.h>

#include "sk-csv-reader.h"
#include "sk-store-inventory.h"

G_BEGIN_DECLS

typedef struct {
  guint   line;           /* 1-based line of the file */
  gint64  sku_id;
  char   *sku;
  char   *title;
  gint64  location_id;
  char   *location_name;
  gint64  current;        /* on hand now */
  gint64  counted;        /* in the file */
  gint64  delta;          /* counted − current */
} SkStockCsvRow;

typedef struct {
  GPtrArray *rows;        /* SkStockCsvRow, in file order */
  GPtrArray *errors;      /* SkCsvRowError, by line */
  guint      n_changed;   /* rows whose count differs from on hand */
  guint      n_unchanged;
} SkStockCsvPreview;

void               sk_stock_csv_preview_free (SkStockCsvPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkStockCsvPreview, sk_stock_csv_preview_free)

/* Check @table against the store (reader connection, main thread).
 * Fails (SK_CORE_ERROR_INVALID_PAYLOAD) only when the header has no SKU
 * or no count column; everything else is a row error in the preview. */
SkStockCsvPreview *sk_stock_csv_preview       (SkStore      *store,
                                               SkCsvTable   *table,
                                               GError      **error);
/* Parse @data (sk_csv_table_parse, delimiter sniffed) and preview it;
 * the table's unreadable rows are among the preview's errors. */
SkStockCsvPreview *sk_stock_csv_preview_data  (SkStore      *store,
                                               const char   *data,
                                               gsize         length,
                                               GError      **error);
/* The cycle counts to record (SkStockEdit of kind COUNT): the rows that
 * change a level, and with @include_unchanged also those that confirm
 * one (a count is history even when it changes nothing). */
GPtrArray         *sk_stock_csv_preview_get_edits (const SkStockCsvPreview *preview,
                                               gboolean      include_unchanged);

/* The file for @location_id (0: every active location), as UTF-8 text. */
char              *sk_stock_csv_export        (SkStore      *store,
                                               gint64        location_id,
                                               GError      **error);

/* One field as RFC 4180 wants it: quoted when it holds a delimiter, a
 * quote, a line break or leading/trailing blanks; quotes doubled. */
void               sk_stock_csv_append_field  (GString      *line,
                                               const char   *field);

G_END_DECLS
