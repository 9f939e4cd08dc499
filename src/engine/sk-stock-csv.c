/* sk-stock-csv.c: stock levels as a CSV file (a cycle count)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading uses the project's RFC 4180 reader (sk-csv-reader.h); this file
 * maps the columns, checks each row against the store and writes the
 * export.
 */
#define G_LOG_DOMAIN "sk-inventory"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-stock-csv.h"

static void
stock_csv_row_free (gpointer data)
{
  SkStockCsvRow *row = data;

  g_free (row->sku);
  g_free (row->title);
  g_free (row->location_name);
  g_free (row);
}

void
sk_stock_csv_preview_free (SkStockCsvPreview *preview)
{
  if (preview == NULL)
    return;
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_clear_pointer (&preview->errors, g_ptr_array_unref);
  g_free (preview);
}

/* Columns */

typedef struct
{
  int sku;
  int location;
  int count;
} Columns;

static gboolean
header_is (const char          *name,
           const char * const  *choices)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (folded, choices[i]))
      return TRUE;
  return FALSE;
}

static gboolean
find_columns (SkCsvTable  *table,
              Columns     *columns,
              GError     **error)
{
  static const char * const sku_names[] = { "sku", "sku code", "item sku", NULL };
  static const char * const location_names[] = { "location", "warehouse", NULL };
  static const char * const count_names[] = { "on hand", "on_hand", "counted", "count",
                                              "quantity", "qty", NULL };

  columns->sku = columns->location = columns->count = -1;
  for (guint i = 0; i < table->n_columns; i++)
    {
      const char *name = table->header[i];

      if (columns->sku < 0 && header_is (name, sku_names))
        columns->sku = (int) i;
      else if (columns->location < 0 && header_is (name, location_names))
        columns->location = (int) i;
      else if (columns->count < 0 && header_is (name, count_names))
        columns->count = (int) i;
    }
  if (columns->sku < 0 || columns->count < 0)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                   _("Line %u: the file needs a “SKU” column and an “On hand” (or “Counted”) column. Add them to the first row, or export a file from Storekeep to see the layout."),
                   table->header_line);
      return FALSE;
    }
  return TRUE;
}

/* A whole number ≥ 0, with optional blanks around it. */
static gboolean
parse_count (const char *text,
             gint64     *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  guint64 value = 0;

  if (*copy == '\0' || !g_ascii_string_to_unsigned (copy, 10, 0, G_MAXINT64 / 2, &value, NULL))
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

/* The preview */

typedef struct
{
  SkStore *store;
  SkStockCsvPreview *preview;
  GHashTable *locations;   /* casefolded name → SkLocation */
  GHashTable *seen;        /* "sku_id:location_id" → line */
  SkLocation *fallback;    /* the default location */
} Check;

static void
add_error (Check      *check,
           guint       line,
           const char *message)
{
  g_ptr_array_add (check->preview->errors, sk_csv_row_error_new (line, NULL, message));
}

static SkLocation *
lookup_location (Check      *check,
                 const char *name)
{
  g_autofree char *folded = NULL;

  if (name == NULL || *name == '\0')
    return check->fallback;
  folded = g_utf8_casefold (name, -1);
  return g_hash_table_lookup (check->locations, folded);
}

static gboolean
load_locations (Check   *check,
                GError **error)
{
  g_autoptr(GPtrArray) locations = sk_store_list_locations (check->store, FALSE, error);

  if (locations == NULL)
    return FALSE;
  for (guint i = 0; i < locations->len; i++)
    {
      SkLocation *location = sk_location_copy (g_ptr_array_index (locations, i));

      if (location->is_default && check->fallback == NULL)
        check->fallback = location;
      g_hash_table_replace (check->locations, g_utf8_casefold (location->name, -1), location);
    }
  return TRUE;
}

static void
check_row (Check              *check,
           const SkCsvRecord  *record,
           const Columns      *columns)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkSku) sku = NULL;
  g_autofree char *sku_text = g_strstrip (g_strdup (sk_csv_record_get (record, columns->sku)));
  g_autofree char *location_text = NULL;
  g_autofree char *message = NULL;
  g_autofree char *key = NULL;
  const char *count_text = sk_csv_record_get (record, columns->count);
  SkStockLevel level = { 0, };
  SkLocation *location;
  SkStockCsvRow *row;
  gpointer first;
  gint64 counted;

  if (columns->location >= 0)
    location_text = g_strstrip (g_strdup (sk_csv_record_get (record, columns->location)));

  if (*sku_text == '\0')
    {
      add_error (check, record->line, _("The SKU is empty. Enter the SKU of the item counted, or remove the row."));
      return;
    }
  sku = sk_store_find_sku (check->store, sku_text, &error);
  if (sku == NULL)
    {
      message = error ? g_strdup (error->message)
                      : g_strdup_printf (_("“%s” is not a SKU in the inventory. Check the spelling, or add the SKU first."), sku_text);
      add_error (check, record->line, message);
      return;
    }
  if (sku->is_kit)
    {
      message = g_strdup_printf (_("“%s” is a kit: it has no stock of its own. Count its components instead."), sku_text);
      add_error (check, record->line, message);
      return;
    }
  location = lookup_location (check, location_text);
  if (location == NULL)
    {
      message = location_text && *location_text
                ? g_strdup_printf (_("There is no location called “%s”. Use the name of a location in the inventory, or leave it empty for the default location."), location_text)
                : g_strdup (_("There is no location to count into yet. Add a location in the inventory first."));
      add_error (check, record->line, message);
      return;
    }
  if (!parse_count (count_text, &counted))
    {
      message = g_strdup_printf (_("The count “%s” of “%s” is not a whole number of zero or more. Enter what is on the shelf, like 12."),
                                 count_text, sku_text);
      add_error (check, record->line, message);
      return;
    }

  key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, sku->id, location->id);
  if (g_hash_table_lookup_extended (check->seen, key, NULL, &first))
    {
      message = g_strdup_printf (_("“%s” at %s is counted twice: line %u counts it too. Keep one of the two rows."),
                                 sku_text, location->name, GPOINTER_TO_UINT (first));
      add_error (check, record->line, message);
      return;
    }
  g_hash_table_insert (check->seen, g_steal_pointer (&key), GUINT_TO_POINTER (record->line));

  if (!sk_store_get_stock_level (check->store, sku->id, location->id, &level, &error))
    {
      add_error (check, record->line, error->message);
      return;
    }

  row = g_new0 (SkStockCsvRow, 1);
  row->line = record->line;
  row->sku_id = sku->id;
  row->sku = g_strdup (sku->sku);
  row->title = g_strdup (sku->title);
  row->location_id = location->id;
  row->location_name = g_strdup (location->name);
  row->current = level.on_hand;
  row->counted = counted;
  row->delta = counted - level.on_hand;
  g_ptr_array_add (check->preview->rows, row);
  if (row->delta != 0)
    check->preview->n_changed++;
  else
    check->preview->n_unchanged++;
}

static int
compare_errors (gconstpointer a,
                gconstpointer b)
{
  const SkCsvRowError *x = *(SkCsvRowError * const *) a;
  const SkCsvRowError *y = *(SkCsvRowError * const *) b;

  return (x->line > y->line) - (x->line < y->line);
}

SkStockCsvPreview *
sk_stock_csv_preview (SkStore     *store,
                      SkCsvTable  *table,
                      GError     **error)
{
  g_autoptr(SkStockCsvPreview) preview = NULL;
  Check check = { 0, };
  Columns columns;
  gboolean ok;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  if (!find_columns (table, &columns, error))
    return NULL;

  preview = g_new0 (SkStockCsvPreview, 1);
  preview->rows = g_ptr_array_new_with_free_func (stock_csv_row_free);
  preview->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_csv_row_error_free);
  for (guint i = 0; table->errors != NULL && i < table->errors->len; i++)
    g_ptr_array_add (preview->errors, sk_csv_row_error_copy (g_ptr_array_index (table->errors, i)));

  check.store = store;
  check.preview = preview;
  check.locations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) sk_location_free);
  check.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ok = load_locations (&check, error);
  for (guint i = 0; ok && i < table->records->len; i++)
    check_row (&check, g_ptr_array_index (table->records, i), &columns);
  g_hash_table_unref (check.locations);
  g_hash_table_unref (check.seen);
  if (!ok)
    return NULL;

  g_ptr_array_sort (preview->errors, compare_errors);
  return g_steal_pointer (&preview);
}

SkStockCsvPreview *
sk_stock_csv_preview_data (SkStore     *store,
                           const char  *data,
                           gsize        length,
                           GError     **error)
{
  g_autoptr(SkCsvTable) table = NULL;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  table = sk_csv_table_parse (data ? data : "", length, 0, error);
  if (table == NULL)
    return NULL;
  return sk_stock_csv_preview (store, table, error);
}

GPtrArray *
sk_stock_csv_preview_get_edits (const SkStockCsvPreview *preview,
                                gboolean                 include_unchanged)
{
  GPtrArray *edits;

  g_return_val_if_fail (preview != NULL, NULL);

  edits = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);
  for (guint i = 0; i < preview->rows->len; i++)
    {
      SkStockCsvRow *row = g_ptr_array_index (preview->rows, i);

      if (row->delta == 0 && !include_unchanged)
        continue;
      g_ptr_array_add (edits, sk_stock_edit_new (SK_MOVEMENT_COUNT, row->sku_id,
                                                 row->location_id, row->counted));
    }
  return edits;
}

/* Export */

void
sk_stock_csv_append_field (GString    *line,
                           const char *field)
{
  gsize len;
  gboolean quote;

  g_return_if_fail (line != NULL);

  if (field == NULL)
    field = "";
  len = strlen (field);
  quote = strpbrk (field, ",;\t\"\r\n") != NULL ||
          (len > 0 && (g_ascii_isspace (field[0]) || g_ascii_isspace (field[len - 1])));
  if (!quote)
    {
      g_string_append_len (line, field, len);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
append_number (GString *line,
               gint64   value)
{
  g_string_append_printf (line, "%" G_GINT64_FORMAT, value);
}

char *
sk_stock_csv_export (SkStore  *store,
                     gint64    location_id,
                     GError  **error)
{
  g_autoptr(GPtrArray) levels = NULL;
  GString *out;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);

  levels = sk_store_list_all_stock_levels (store, location_id, error);
  if (levels == NULL)
    return NULL;

  out = g_string_sized_new (64 + levels->len * 48);
  /* The header is data, not prose: it stays English so files exchange
   * between people and programs; the import also reads these names. */
  g_string_append (out, "SKU,Location,On hand,Reserved,Available,Title\r\n");
  for (guint i = 0; i < levels->len; i++)
    {
      SkStockLevel *level = g_ptr_array_index (levels, i);

      sk_stock_csv_append_field (out, level->sku);
      g_string_append_c (out, ',');
      sk_stock_csv_append_field (out, level->location_name);
      g_string_append_c (out, ',');
      append_number (out, level->on_hand);
      g_string_append_c (out, ',');
      append_number (out, level->reserved);
      g_string_append_c (out, ',');
      append_number (out, level->available);
      g_string_append_c (out, ',');
      sk_stock_csv_append_field (out, level->title);
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}
