/* sk-csv-reader.h: an RFC 4180 reader for order exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a whole CSV file into a table of records: quoted fields with
 * embedded delimiters, line breaks and doubled quotes; CRLF, LF or CR line
 * ends; a UTF-8 byte order mark (UTF-16 files with a BOM are converted);
 * the delimiter (comma, semicolon or tab) sniffed from the first lines
 * unless given. Each record keeps the line it starts on and its raw bytes,
 * so an error can name the line and a dead letter can keep the row as it
 * was. Rows that are not valid UTF-8 are kept (their text made valid) and
 * reported; an unterminated quote ends the table with an error on the line
 * where the quote opened. GTK-free, no I/O but the optional file read.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A problem with one row of a file, for people: "Line 7: …". */
typedef struct {
  guint  line;       /* 1-based line of the file where the row starts */
  char  *order_id;   /* the row's order id when known, else NULL */
  char  *message;    /* a sentence, without the line number */
} SkCsvRowError;

SkCsvRowError *sk_csv_row_error_new    (guint       line,
                                        const char *order_id,
                                        const char *message);
SkCsvRowError *sk_csv_row_error_copy   (const SkCsvRowError *error);
void           sk_csv_row_error_free   (SkCsvRowError *error);
/* "Line 7: The price “abc” is not an amount." Free with g_free(). */
char          *sk_csv_row_error_format (const SkCsvRowError *error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkCsvRowError, sk_csv_row_error_free)

typedef struct {
  guint     line;         /* where the record starts, 1-based */
  guint     n_fields;
  char    **fields;       /* n_fields strings, valid UTF-8, NULL-terminated */
  char     *raw;          /* the record's bytes as in the file, without the line end */
  gsize     raw_len;
  gboolean  valid_utf8;   /* FALSE: bytes were replaced in @fields */
} SkCsvRecord;

typedef struct {
  char        delimiter;   /* ',', ';' or '\t' */
  guint       header_line;
  guint       n_columns;
  char      **header;      /* n_columns names, trimmed; "Column 3" for an empty one */
  GPtrArray  *records;     /* SkCsvRecord, the data rows (blank rows left out) */
  GPtrArray  *errors;      /* SkCsvRowError: rows that could not be read */
  guint       n_lines;     /* lines in the file */
} SkCsvTable;

/* The largest file read (a bigger one is refused with a sentence). */
#define SK_CSV_MAX_FILE_SIZE (256 * 1024 * 1024)

/* @delimiter 0 sniffs it. Fails (SK_CORE_ERROR_INVALID_PAYLOAD) only when
 * nothing can be read: an empty file, no header, an unreadable encoding. */
SkCsvTable *sk_csv_table_parse        (const char    *data,
                                       gsize          length,
                                       char           delimiter,
                                       GError       **error);
SkCsvTable *sk_csv_table_ref          (SkCsvTable    *table);
void        sk_csv_table_unref        (SkCsvTable    *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkCsvTable, sk_csv_table_unref)

/* Which delimiter the first lines of @data use: ',', ';' or '\t'. */
char        sk_csv_sniff_delimiter    (const char    *data,
                                       gsize          length);

/* Read @file and parse it on a worker thread. */
void        sk_csv_table_read_async   (GFile              *file,
                                       char                delimiter,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
SkCsvTable *sk_csv_table_read_finish  (GAsyncResult       *result,
                                       GError            **error);
SkCsvTable *sk_csv_table_read_sync    (GFile              *file,
                                       char                delimiter,
                                       GCancellable       *cancellable,
                                       GError            **error);

/* The record's field @column, or "" when the row is shorter. */
const char *sk_csv_record_get         (const SkCsvRecord *record,
                                       int                column);

G_END_DECLS
