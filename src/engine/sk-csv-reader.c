/* sk-csv-reader.c: an RFC 4180 reader for order exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass over the bytes with a small state machine. RFC 4180 is read
 * leniently where real exports bend it: a quote inside an unquoted field is
 * kept as a character, text after a closing quote is appended to the field,
 * a lone CR ends a line, and rows shorter than the header read as empty
 * cells. What cannot be read (an unterminated quote, bytes that are not
 * UTF-8) is reported with the line it starts on.
 */
#define G_LOG_DOMAIN "sk-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-csv-reader.h"
#include "sk-error.h"

/* Row errors */

SkCsvRowError *
sk_csv_row_error_new (guint       line,
                      const char *order_id,
                      const char *message)
{
  SkCsvRowError *error = g_new0 (SkCsvRowError, 1);

  error->line = line;
  error->order_id = g_strdup (order_id);
  error->message = g_strdup (message);
  return error;
}

SkCsvRowError *
sk_csv_row_error_copy (const SkCsvRowError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  return sk_csv_row_error_new (error->line, error->order_id, error->message);
}

void
sk_csv_row_error_free (SkCsvRowError *error)
{
  if (error == NULL)
    return;
  g_free (error->order_id);
  g_free (error->message);
  g_free (error);
}

char *
sk_csv_row_error_format (const SkCsvRowError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  /* Translators: a problem in an imported file; %u is its line number,
   * %s a sentence that says what is wrong */
  return g_strdup_printf (_("Line %u: %s"), error->line, error->message);
}

/* Records and tables */

static void
record_free (SkCsvRecord *record)
{
  g_strfreev (record->fields);
  g_free (record->raw);
  g_free (record);
}

static void
table_clear (gpointer data)
{
  SkCsvTable *table = data;

  g_strfreev (table->header);
  g_clear_pointer (&table->records, g_ptr_array_unref);
  g_clear_pointer (&table->errors, g_ptr_array_unref);
}

SkCsvTable *
sk_csv_table_ref (SkCsvTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);

  return g_atomic_rc_box_acquire (table);
}

void
sk_csv_table_unref (SkCsvTable *table)
{
  if (table != NULL)
    g_atomic_rc_box_release_full (table, table_clear);
}

const char *
sk_csv_record_get (const SkCsvRecord *record,
                   int                column)
{
  g_return_val_if_fail (record != NULL, "");

  if (column < 0 || (guint) column >= record->n_fields)
    return "";
  return record->fields[column];
}

/* Delimiter sniffing: the candidate seen most often outside quotes in the
 * first lines wins; a tie goes to the comma, then the semicolon. */

#define SNIFF_LINES 5

char
sk_csv_sniff_delimiter (const char *data,
                        gsize       length)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0, };
  gboolean quoted = FALSE;
  guint lines = 0;
  char best = ',';
  guint best_count = 0;

  for (gsize i = 0; i < length && lines < SNIFF_LINES; i++)
    {
      char c = data[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        {
          if (c == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          lines++;
        }
      else if (!quoted)
        for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
          if (c == candidates[k])
            counts[k]++;
    }

  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    if (counts[k] > best_count)
      {
        best = candidates[k];
        best_count = counts[k];
      }
  return best;
}

/* The parser */

typedef struct {
  const char *data;
  gsize       length;
  char        delimiter;
  gsize       pos;
  guint       line;          /* line of the byte at @pos */
  GString    *field;
  GPtrArray  *fields;        /* char * */
  SkCsvTable *table;
} Parser;

typedef enum {
  RECORD_OK,
  RECORD_EOF,
  RECORD_UNTERMINATED,
} RecordEnd;

static void
finish_field (Parser *p)
{
  g_ptr_array_add (p->fields, g_strndup (p->field->str, p->field->len));
  g_string_truncate (p->field, 0);
}

/* Consume a line end at p->pos if there is one. */
static gboolean
eat_line_end (Parser *p)
{
  char c;

  if (p->pos >= p->length)
    return FALSE;
  c = p->data[p->pos];
  if (c == '\n')
    p->pos++;
  else if (c == '\r')
    {
      p->pos++;
      if (p->pos < p->length && p->data[p->pos] == '\n')
        p->pos++;
    }
  else
    return FALSE;
  p->line++;
  return TRUE;
}

static gboolean
field_blank (GString *field)
{
  for (gsize i = 0; i < field->len; i++)
    if (field->str[i] != ' ' && field->str[i] != '\t')
      return FALSE;
  return TRUE;
}

/* Read one record's fields into p->fields; *raw_end is where its bytes end
 * (before the line end). */
static RecordEnd
read_record (Parser *p,
             gsize  *raw_end)
{
  gboolean quoted = FALSE;
  gboolean at_field_start = TRUE;

  g_ptr_array_set_size (p->fields, 0);
  g_string_truncate (p->field, 0);

  if (p->pos >= p->length)
    return RECORD_EOF;

  while (p->pos < p->length)
    {
      char c = p->data[p->pos];

      if (quoted)
        {
          if (c == '"')
            {
              if (p->pos + 1 < p->length && p->data[p->pos + 1] == '"')
                {
                  g_string_append_c (p->field, '"');
                  p->pos += 2;
                }
              else
                {
                  quoted = FALSE;
                  p->pos++;
                }
            }
          else if (c == '\r' || c == '\n')
            {
              /* A line break inside a field is kept as "\n". */
              eat_line_end (p);
              g_string_append_c (p->field, '\n');
            }
          else
            {
              g_string_append_c (p->field, c);
              p->pos++;
            }
          continue;
        }

      if (c == '"' && (at_field_start || field_blank (p->field)))
        {
          /* Spaces before an opening quote (a, "b") are dropped. */
          g_string_truncate (p->field, 0);
          quoted = TRUE;
          at_field_start = FALSE;
          p->pos++;
        }
      else if (c == p->delimiter)
        {
          finish_field (p);
          at_field_start = TRUE;
          p->pos++;
        }
      else if (c == '\r' || c == '\n')
        {
          *raw_end = p->pos;
          finish_field (p);
          eat_line_end (p);
          return RECORD_OK;
        }
      else
        {
          g_string_append_c (p->field, c);
          at_field_start = FALSE;
          p->pos++;
        }
    }

  *raw_end = p->length;
  if (quoted)
    return RECORD_UNTERMINATED;
  finish_field (p);
  return RECORD_OK;
}

static gboolean
fields_blank (GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const char *s = g_ptr_array_index (fields, i);

      for (; *s != '\0'; s++)
        if (!g_ascii_isspace (*s))
          return FALSE;
    }
  return TRUE;
}

static char **
steal_fields (GPtrArray *fields,
              gboolean   make_valid)
{
  char **strv = g_new0 (char *, fields->len + 1);

  for (guint i = 0; i < fields->len; i++)
    {
      char *s = g_ptr_array_index (fields, i);

      if (make_valid && !g_utf8_validate (s, -1, NULL))
        {
          strv[i] = g_utf8_make_valid (s, -1);
          g_free (s);
        }
      else
        strv[i] = s;
      fields->pdata[i] = NULL;
    }
  g_ptr_array_set_size (fields, 0);
  return strv;
}

static void
add_header (Parser    *p,
            guint      line,
            gboolean   valid)
{
  SkCsvTable *table = p->table;

  table->header_line = line;
  table->n_columns = p->fields->len;
  table->header = steal_fields (p->fields, !valid);
  for (guint i = 0; i < table->n_columns; i++)
    {
      g_strstrip (table->header[i]);
      if (table->header[i][0] == '\0')
        {
          g_free (table->header[i]);
          /* Translators: the name of a CSV column without a header; %u counts from 1 */
          table->header[i] = g_strdup_printf (_("Column %u"), i + 1);
        }
    }
}

static void
add_record (Parser *p,
            guint   line,
            gsize   raw_start,
            gsize   raw_end)
{
  SkCsvRecord *record = g_new0 (SkCsvRecord, 1);
  gsize raw_len = raw_end - raw_start;

  record->line = line;
  record->raw = g_strndup (p->data + raw_start, raw_len);
  record->raw_len = raw_len;
  record->valid_utf8 = g_utf8_validate_len (record->raw, raw_len, NULL);
  record->n_fields = p->fields->len;
  record->fields = steal_fields (p->fields, !record->valid_utf8);
  g_ptr_array_add (p->table->records, record);

  if (!record->valid_utf8)
    g_ptr_array_add (p->table->errors,
                     sk_csv_row_error_new (line, NULL,
                                           _("This row contains characters that are not UTF-8 text, so it was not imported. Save the file with the UTF-8 character set and import it again.")));
}

static void
parse (Parser *p)
{
  guint unterminated_line = 0;

  for (;;)
    {
      guint line = p->line;
      gsize raw_start = p->pos;
      gsize raw_end = 0;
      RecordEnd end = read_record (p, &raw_end);

      if (end == RECORD_EOF)
        break;
      if (end == RECORD_UNTERMINATED)
        {
          unterminated_line = line;
          break;
        }
      if (fields_blank (p->fields))
        continue;
      if (p->table->header == NULL)
        add_header (p, line, g_utf8_validate_len (p->data + raw_start, raw_end - raw_start, NULL));
      else
        add_record (p, line, raw_start, raw_end);
    }
  p->table->n_lines = p->line;
  if (p->pos > 0 && (p->data[p->pos - 1] == '\n' || p->data[p->pos - 1] == '\r'))
    p->table->n_lines--;

  if (unterminated_line > 0)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("A quoted field starts on this line but its closing quote is missing, so lines %u to %u could not be read. Check the quotes on this line."),
                                 unterminated_line, MAX (unterminated_line, p->table->n_lines));
      g_ptr_array_add (p->table->errors, sk_csv_row_error_new (unterminated_line, NULL, message));
    }
}

static gboolean
set_error (GError    **error,
           const char *message)
{
  g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD, message);
  return FALSE;
}

/* UTF-16 with a byte order mark (Excel's "Unicode Text") becomes UTF-8. */
static char *
convert_utf16 (const char  *data,
               gsize        length,
               gsize       *out_length,
               GError     **error)
{
  const char *from = ((guchar) data[0] == 0xFF) ? "UTF-16LE" : "UTF-16BE";
  g_autoptr(GError) local = NULL;
  char *converted;

  converted = g_convert (data + 2, length - 2, "UTF-8", from, NULL, out_length, &local);
  if (converted == NULL)
    set_error (error, _("This file is UTF-16 text that Storekeep could not convert. Save it as CSV with the UTF-8 character set and import it again."));
  return converted;
}

SkCsvTable *
sk_csv_table_parse (const char  *data,
                    gsize        length,
                    char         delimiter,
                    GError     **error)
{
  g_autoptr(SkCsvTable) table = NULL;
  g_autofree char *converted = NULL;
  Parser p = { 0, };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (delimiter == 0 || delimiter == ',' || delimiter == ';' || delimiter == '\t', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE) ||
                      ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      converted = convert_utf16 (data, length, &length, error);
      if (converted == NULL)
        return NULL;
      data = converted;
    }
  else if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  table = g_atomic_rc_box_new0 (SkCsvTable);
  table->records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  table->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_csv_row_error_free);
  table->delimiter = delimiter != 0 ? delimiter : sk_csv_sniff_delimiter (data, length);

  p.data = data;
  p.length = length;
  p.delimiter = table->delimiter;
  p.line = 1;
  p.field = g_string_new (NULL);
  p.fields = g_ptr_array_new_with_free_func (g_free);
  p.table = table;
  parse (&p);
  g_string_free (p.field, TRUE);
  g_ptr_array_unref (p.fields);

  if (table->header == NULL)
    {
      if (table->errors->len > 0)
        {
          SkCsvRowError *first = g_ptr_array_index (table->errors, 0);
          g_autofree char *text = sk_csv_row_error_format (first);

          set_error (error, text);
        }
      else
        set_error (error, _("This file is empty. Choose the file your point of sale or spreadsheet exported."));
      return NULL;
    }

  return g_steal_pointer (&table);
}

/* Files */

typedef struct {
  GFile *file;
  char   delimiter;
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_clear_object (&job->file);
  g_free (job);
}

SkCsvTable *
sk_csv_table_read_sync (GFile         *file,
                        char           delimiter,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info != NULL && g_file_info_get_size (info) > SK_CSV_MAX_FILE_SIZE)
    {
      set_error (error, _("This file is larger than 256 MB, more than Storekeep imports at once. Export a shorter period and import the parts one after the other."));
      return NULL;
    }

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &local))
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                     _("Storekeep could not read this file: %s Check that it still exists and that you may open it."),
                     local->message);
      return NULL;
    }
  if (length > SK_CSV_MAX_FILE_SIZE)
    {
      set_error (error, _("This file is larger than 256 MB, more than Storekeep imports at once. Export a shorter period and import the parts one after the other."));
      return NULL;
    }

  return sk_csv_table_parse (contents, length, delimiter, error);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  ReadJob *job = data;
  GError *error = NULL;
  SkCsvTable *table;

  table = sk_csv_table_read_sync (job->file, job->delimiter, cancellable, &error);
  if (table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, table, (GDestroyNotify) sk_csv_table_unref);
}

void
sk_csv_table_read_async (GFile              *file,
                         char                delimiter,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ReadJob, 1);
  job->file = g_object_ref (file);
  job->delimiter = delimiter;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_csv_table_read_async);
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  g_task_run_in_thread (task, read_thread);
}

SkCsvTable *
sk_csv_table_read_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_csv_table_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
