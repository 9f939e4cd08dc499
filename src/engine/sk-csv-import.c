/* sk-csv-import.c: CSV rows into orders, a preview, and the import page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are grouped by order id first (an order's rows need not be next to
 * each other), then each group is read in two passes: the order's fields
 * (currency first, as every amount needs it), then its lines. An order
 * field may stand on every row of the order or only on some; two rows of
 * one order that disagree on its currency or an amount are an error, the
 * usual sign of a per-line column mapped as an order total.
 *
 * Amounts the file does not give are computed: the subtotal from the
 * lines, the total from subtotal, shipping, tax (unless prices include it)
 * and the order discount. All arithmetic is on integers, checked for
 * overflow.
 */
#define G_LOG_DOMAIN "sk-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-csv-import.h"
#include "sk-error.h"
#include "sk-money.h"
#include "sk-order.h"

#define ACTOR "import:csv"
/* Errors named in a dead letter's reason before "and N more". */
#define REASON_ERRORS 3
/* Errors named in the summary. */
#define SUMMARY_ERRORS 3

/* A group of rows with one order id. */
typedef struct {
  char      *id;
  GPtrArray *records;      /* SkCsvRecord, borrowed from the table */
  gboolean   unreadable;   /* a row of it was not UTF-8: already reported */
  guint      unreadable_line;
} Group;

static void
group_free (Group *group)
{
  g_free (group->id);
  g_ptr_array_unref (group->records);
  g_free (group);
}

/* What one build needs at hand. */
typedef struct {
  SkCsvTable         *table;
  const SkCsvMapping *mapping;
  GTimeZone          *tz;
  SkCsvBatch         *batch;
  GHashTable         *bad_lines;   /* line numbers with an error */
  char               *header_raw;  /* the header as a CSV line, for dead letters */
} Build;

/* Reading one order */

typedef struct {
  Build       *build;
  Group       *group;
  SkOrder     *order;
  char         currency[4];
  GPtrArray   *errors;      /* SkCsvRowError for this order */
} OrderReader;

static void
add_error (OrderReader *reader,
           guint        line,
           const char  *message)
{
  g_ptr_array_add (reader->errors, sk_csv_row_error_new (line, reader->group->id, message));
}

static const char *
column_name (Build     *build,
             SkCsvField field)
{
  int column = build->mapping->columns[field];

  return (column >= 0 && (guint) column < build->table->n_columns) ? build->table->header[column] : "";
}

/* "Column “Preis”: “abc” is not an amount. …" */
static void
add_value_error (OrderReader  *reader,
                 guint         line,
                 SkCsvField    field,
                 const GError *error)
{
  g_autofree char *message = NULL;

  /* Translators: a problem with one cell of an imported file; the first
   * %s is the column's header, the second a sentence about its value */
  message = g_strdup_printf (_("Column “%s”: %s"), column_name (reader->build, field), error->message);
  add_error (reader, line, message);
}

/* The trimmed value of @field on @record; "" when the field is not mapped. */
static char *
value_of (Build             *build,
          const SkCsvRecord *record,
          SkCsvField         field)
{
  return g_strstrip (g_strdup (sk_csv_record_get (record, build->mapping->columns[field])));
}

static gboolean
mapped (Build     *build,
        SkCsvField field)
{
  return build->mapping->columns[field] >= 0;
}

/* The first non-empty value of an order field, and its line. */
static char *
first_value (OrderReader *reader,
             SkCsvField   field,
             guint       *out_line)
{
  if (!mapped (reader->build, field))
    return NULL;
  for (guint i = 0; i < reader->group->records->len; i++)
    {
      SkCsvRecord *record = g_ptr_array_index (reader->group->records, i);
      char *value = value_of (reader->build, record, field);

      if (*value != '\0')
        {
          if (out_line != NULL)
            *out_line = record->line;
          return value;
        }
      g_free (value);
    }
  return NULL;
}

static gboolean
read_currency (OrderReader *reader)
{
  guint first_line = 0;

  for (guint i = 0; mapped (reader->build, SK_CSV_FIELD_CURRENCY) && i < reader->group->records->len; i++)
    {
      SkCsvRecord *record = g_ptr_array_index (reader->group->records, i);
      g_autofree char *value = value_of (reader->build, record, SK_CSV_FIELD_CURRENCY);
      g_autoptr(GError) error = NULL;
      char code[4] = { 0, };

      if (*value == '\0')
        continue;
      if (!sk_csv_parse_currency (value, code, &error))
        {
          add_value_error (reader, record->line, SK_CSV_FIELD_CURRENCY, error);
          return FALSE;
        }
      if (reader->currency[0] == '\0')
        {
          memcpy (reader->currency, code, 4);
          first_line = record->line;
        }
      else if (!g_str_equal (reader->currency, code))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("The currency %s differs from %s on line %u of the same order. One order has one currency."),
                                     code, reader->currency, first_line);
          add_error (reader, record->line, message);
          return FALSE;
        }
    }

  if (reader->currency[0] == '\0')
    {
      if (!sk_currency_is_valid (reader->build->mapping->currency))
        {
          SkCsvRecord *record = g_ptr_array_index (reader->group->records, 0);

          add_error (reader, record->line,
                     _("The currency of this order is missing. Fill in the currency column, or enter the currency of the file in the import settings."));
          return FALSE;
        }
      memcpy (reader->currency, reader->build->mapping->currency, 4);
    }
  return TRUE;
}

/* An order amount: the first value, and every other value must agree.
 * *out_present is FALSE when no row has one. */
static gboolean
read_order_money (OrderReader *reader,
                  SkCsvField   field,
                  gint64      *out_minor,
                  gboolean    *out_present)
{
  gboolean present = FALSE;
  guint first_line = 0;
  gint64 first = 0;

  *out_minor = 0;
  *out_present = FALSE;
  if (!mapped (reader->build, field))
    return TRUE;

  for (guint i = 0; i < reader->group->records->len; i++)
    {
      SkCsvRecord *record = g_ptr_array_index (reader->group->records, i);
      g_autofree char *value = value_of (reader->build, record, field);
      g_autoptr(GError) error = NULL;
      gint64 minor;

      if (*value == '\0')
        continue;
      if (!sk_csv_parse_money (value, reader->currency, reader->build->mapping->decimal,
                               FALSE, &minor, &error))
        {
          add_value_error (reader, record->line, field, error);
          return FALSE;
        }
      if (!present)
        {
          present = TRUE;
          first = minor;
          first_line = record->line;
        }
      else if (minor != first)
        {
          g_autofree char *a = sk_money_format_plain (minor, reader->currency);
          g_autofree char *b = sk_money_format_plain (first, reader->currency);
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("Column “%s”: %s differs from %s on line %u of the same order. If this column holds an amount for each item, choose a line field for it."),
                                     column_name (reader->build, field), a, b, first_line);
          add_error (reader, record->line, message);
          return FALSE;
        }
    }

  *out_minor = first;
  *out_present = present;
  return TRUE;
}

static gboolean
checked_add (gint64 a, gint64 b, gint64 *out)
{
  return !__builtin_add_overflow (a, b, out);
}

static gboolean
checked_mul (gint64 a, gint64 b, gint64 *out)
{
  return !__builtin_mul_overflow (a, b, out);
}

static void
add_overflow_error (OrderReader *reader,
                    guint        line)
{
  add_error (reader, line, _("The amounts of this order are too large to add up. Check the prices and quantities."));
}

/* One row's money value of a line field; *out_present FALSE when empty. */
static gboolean
read_line_money (OrderReader       *reader,
                 const SkCsvRecord *record,
                 SkCsvField         field,
                 gboolean           round,
                 gint64            *out_minor,
                 gboolean          *out_present)
{
  g_autofree char *value = value_of (reader->build, record, field);
  g_autoptr(GError) error = NULL;

  *out_minor = 0;
  *out_present = *value != '\0';
  if (!*out_present)
    return TRUE;
  if (!sk_csv_parse_money (value, reader->currency, reader->build->mapping->decimal,
                           round, out_minor, &error))
    {
      add_value_error (reader, record->line, field, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
row_has_line (Build             *build,
              const SkCsvRecord *record)
{
  static const SkCsvField line_fields[] = {
    SK_CSV_FIELD_SKU, SK_CSV_FIELD_TITLE, SK_CSV_FIELD_QUANTITY,
    SK_CSV_FIELD_UNIT_PRICE, SK_CSV_FIELD_LINE_TOTAL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (line_fields); i++)
    {
      g_autofree char *value = value_of (build, record, line_fields[i]);

      if (*value != '\0')
        return TRUE;
    }
  return FALSE;
}

/* One line item from one row. */
static SkOrderLine *
read_line (OrderReader       *reader,
           const SkCsvRecord *record)
{
  Build *build = reader->build;
  g_autoptr(SkOrderLine) line = sk_order_line_new ();
  g_autofree char *sku = value_of (build, record, SK_CSV_FIELD_SKU);
  g_autofree char *title = value_of (build, record, SK_CSV_FIELD_TITLE);
  g_autofree char *quantity = value_of (build, record, SK_CSV_FIELD_QUANTITY);
  g_autoptr(GError) error = NULL;
  gboolean have_price, have_total, present;
  gint64 line_total = 0;
  gint64 gross;

  line->sku = *sku != '\0' ? g_strdup (sku) : NULL;
  line->title = g_strdup (*title != '\0' ? title : sku);
  line->quantity = 1;
  if (*quantity != '\0' && !sk_csv_parse_quantity (quantity, build->mapping->decimal,
                                                   &line->quantity, &error))
    {
      add_value_error (reader, record->line, SK_CSV_FIELD_QUANTITY, error);
      return NULL;
    }

  if (!read_line_money (reader, record, SK_CSV_FIELD_LINE_DISCOUNT, FALSE,
                        &line->total_discount, &present) ||
      !read_line_money (reader, record, SK_CSV_FIELD_LINE_TAX, FALSE, &line->total_tax, &present) ||
      !read_line_money (reader, record, SK_CSV_FIELD_UNIT_PRICE, TRUE, &line->unit_price, &have_price) ||
      !read_line_money (reader, record, SK_CSV_FIELD_LINE_TOTAL, FALSE, &line_total, &have_total))
    return NULL;
  /* Exports write discounts as "-2.00" as often as "2.00". */
  if (line->total_discount < 0)
    line->total_discount = -line->total_discount;

  if (!have_price && have_total)
    {
      /* The unit price from the line total, when it divides exactly. */
      if (!checked_add (line_total, line->total_discount, &gross))
        {
          add_overflow_error (reader, record->line);
          return NULL;
        }
      if (line->quantity == 0 || gross % line->quantity != 0)
        {
          g_autofree char *total_text = sk_money_format_plain (line_total, reader->currency);
          g_autofree char *quantity_text = g_strdup_printf ("%" G_GINT64_FORMAT, line->quantity);
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("The line total %s does not divide evenly by the quantity %s. Choose “Unit Price” for the column with the price of one item."),
                                     total_text, quantity_text);
          add_error (reader, record->line, message);
          return NULL;
        }
      line->unit_price = gross / line->quantity;
    }
  else if (!have_price && (mapped (build, SK_CSV_FIELD_UNIT_PRICE) || mapped (build, SK_CSV_FIELD_LINE_TOTAL)))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Column “%s”: the price of this item is missing."),
                                 column_name (build, mapped (build, SK_CSV_FIELD_UNIT_PRICE)
                                                       ? SK_CSV_FIELD_UNIT_PRICE
                                                       : SK_CSV_FIELD_LINE_TOTAL));
      add_error (reader, record->line, message);
      return NULL;
    }

  return g_steal_pointer (&line);
}

static void
read_text_fields (OrderReader *reader)
{
  g_autofree char *number = first_value (reader, SK_CSV_FIELD_NUMBER, NULL);
  g_autofree char *name = first_value (reader, SK_CSV_FIELD_CUSTOMER_NAME, NULL);
  g_autofree char *email = first_value (reader, SK_CSV_FIELD_EMAIL, NULL);
  g_autofree char *phone = first_value (reader, SK_CSV_FIELD_PHONE, NULL);
  g_autofree char *note = first_value (reader, SK_CSV_FIELD_NOTE, NULL);

  sk_order_set_external_id (reader->order, reader->group->id);
  sk_order_set_number (reader->order, number != NULL ? number : reader->group->id);
  sk_order_set_customer_name (reader->order, name);
  sk_order_set_email (reader->order, email);
  sk_order_set_phone (reader->order, phone);
  sk_order_set_note (reader->order, note);
  sk_order_set_currency (reader->order, reader->currency);
}

static void
read_address (OrderReader *reader)
{
  g_autoptr(SkAddress) address = sk_address_new ();
  const char *code;

  address->name = first_value (reader, SK_CSV_FIELD_SHIP_NAME, NULL);
  address->line1 = first_value (reader, SK_CSV_FIELD_SHIP_ADDRESS1, NULL);
  address->line2 = first_value (reader, SK_CSV_FIELD_SHIP_ADDRESS2, NULL);
  address->postcode = first_value (reader, SK_CSV_FIELD_SHIP_POSTCODE, NULL);
  address->city = first_value (reader, SK_CSV_FIELD_SHIP_CITY, NULL);
  address->region = first_value (reader, SK_CSV_FIELD_SHIP_REGION, NULL);
  address->country = first_value (reader, SK_CSV_FIELD_SHIP_COUNTRY, NULL);

  if (address->name == NULL && address->line1 == NULL && address->line2 == NULL &&
      address->postcode == NULL && address->city == NULL && address->region == NULL &&
      address->country == NULL)
    return;

  code = sk_csv_country_code (address->country);
  address->country_code = g_strdup (code);
  sk_order_set_ship_summary (reader->order, address->city, code);
  sk_order_take_shipping_address (reader->order, g_steal_pointer (&address));
}

static gboolean
read_date (OrderReader *reader)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  guint line = 0;
  gint64 when = 0;

  if (!mapped (reader->build, SK_CSV_FIELD_DATE))
    return TRUE;
  date = first_value (reader, SK_CSV_FIELD_DATE, &line);
  if (date == NULL)
    {
      SkCsvRecord *record = g_ptr_array_index (reader->group->records, 0);
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Column “%s”: the date of this order is missing."),
                                 column_name (reader->build, SK_CSV_FIELD_DATE));
      add_error (reader, record->line, message);
      return FALSE;
    }
  time = first_value (reader, SK_CSV_FIELD_TIME, NULL);
  if (!sk_csv_parse_datetime (date, time, reader->build->mapping->date_order,
                              reader->build->tz, &when, &error))
    {
      add_value_error (reader, line,
                       error->message != NULL && time != NULL && strstr (error->message, time) != NULL
                         ? SK_CSV_FIELD_TIME : SK_CSV_FIELD_DATE,
                       error);
      return FALSE;
    }
  sk_order_set_created_at (reader->order, when);
  sk_order_set_processed_at (reader->order, when);
  return TRUE;
}

static void
read_statuses (OrderReader *reader)
{
  gboolean at_sale = reader->build->mapping->paid_at_sale;
  g_autofree char *status = first_value (reader, SK_CSV_FIELD_ORDER_STATUS, NULL);
  g_autofree char *payment = first_value (reader, SK_CSV_FIELD_PAYMENT_STATUS, NULL);
  g_autofree char *fulfillment = first_value (reader, SK_CSV_FIELD_FULFILLMENT_STATUS, NULL);
  SkOrderStatus order_status;

  /* Without a status column: a voided payment is a cancelled sale. */
  if (status != NULL)
    order_status = sk_csv_parse_order_status (status);
  else if (payment != NULL && sk_csv_parse_payment_status (payment) == SK_PAYMENT_STATUS_VOIDED)
    order_status = SK_ORDER_STATUS_CANCELLED;
  else
    order_status = at_sale ? SK_ORDER_STATUS_COMPLETED : SK_ORDER_STATUS_OPEN;
  sk_order_set_status (reader->order, order_status, status);

  sk_order_set_payment_status (reader->order,
                               payment != NULL ? sk_csv_parse_payment_status (payment)
                                               : at_sale ? SK_PAYMENT_STATUS_PAID
                                                         : SK_PAYMENT_STATUS_UNKNOWN,
                               payment);
  sk_order_set_fulfillment_status (reader->order,
                                   fulfillment != NULL ? sk_csv_parse_fulfillment_status (fulfillment)
                                                       : at_sale ? SK_FULFILLMENT_STATUS_FULFILLED
                                                                 : SK_FULFILLMENT_STATUS_UNKNOWN,
                                   fulfillment);
}

/* Lines, then the amounts the file gives or the lines imply. */
static gboolean
read_amounts (OrderReader *reader)
{
  const SkCsvMapping *mapping = reader->build->mapping;
  guint first_line = ((SkCsvRecord *) g_ptr_array_index (reader->group->records, 0))->line;
  gint64 subtotal = 0, line_tax = 0, line_discounts = 0;
  gint64 given_subtotal, shipping, tax, discount, total;
  gboolean have_subtotal, have_shipping, have_tax, have_discount, have_total;
  gboolean ok = TRUE;

  for (guint i = 0; i < reader->group->records->len; i++)
    {
      SkCsvRecord *record = g_ptr_array_index (reader->group->records, i);
      g_autoptr(SkOrderLine) line = NULL;
      gint64 gross;

      if (!row_has_line (reader->build, record))
        continue;
      line = read_line (reader, record);
      if (line == NULL)
        {
          ok = FALSE;
          continue;
        }
      if (!checked_mul (line->unit_price, line->quantity, &gross) ||
          !checked_add (gross, -line->total_discount, &gross) ||
          !checked_add (subtotal, gross, &subtotal) ||
          !checked_add (line_tax, line->total_tax, &line_tax) ||
          !checked_add (line_discounts, line->total_discount, &line_discounts))
        {
          add_overflow_error (reader, record->line);
          return FALSE;
        }
      sk_order_add_line (reader->order, line);
    }

  if (!read_order_money (reader, SK_CSV_FIELD_SUBTOTAL, &given_subtotal, &have_subtotal) ||
      !read_order_money (reader, SK_CSV_FIELD_SHIPPING, &shipping, &have_shipping) ||
      !read_order_money (reader, SK_CSV_FIELD_TAX, &tax, &have_tax) ||
      !read_order_money (reader, SK_CSV_FIELD_DISCOUNT, &discount, &have_discount) ||
      !read_order_money (reader, SK_CSV_FIELD_TOTAL, &total, &have_total) || !ok)
    return FALSE;

  if (discount < 0)
    discount = -discount;
  if (have_subtotal)
    subtotal = given_subtotal;
  if (!have_tax)
    tax = line_tax;

  if (!have_total)
    {
      if (!mapped (reader->build, SK_CSV_FIELD_UNIT_PRICE) &&
          !mapped (reader->build, SK_CSV_FIELD_LINE_TOTAL) && !have_subtotal)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("Column “%s”: the total of this order is missing."),
                                     column_name (reader->build, SK_CSV_FIELD_TOTAL));
          add_error (reader, first_line, message);
          return FALSE;
        }
      if (!checked_add (subtotal, shipping, &total) ||
          !checked_add (total, mapping->tax_included ? 0 : tax, &total) ||
          !checked_add (total, -discount, &total))
        {
          add_overflow_error (reader, first_line);
          return FALSE;
        }
    }

  if (!checked_add (discount, line_discounts, &discount))
    {
      add_overflow_error (reader, first_line);
      return FALSE;
    }

  sk_order_set_subtotal (reader->order, subtotal);
  sk_order_set_total_shipping (reader->order, shipping);
  sk_order_set_total_tax (reader->order, tax);
  sk_order_set_total_discounts (reader->order, discount);
  sk_order_set_total (reader->order, total);
  return TRUE;
}

/* NULL when the order has errors (added to reader->errors). */
static SkOrder *
read_order (OrderReader *reader)
{
  gboolean date_ok, amounts_ok;

  reader->order = sk_order_new ();
  if (reader->group->unreadable || !read_currency (reader))
    return NULL;

  read_text_fields (reader);
  read_address (reader);
  read_statuses (reader);
  /* Both, so every problem of the order is listed at once. */
  date_ok = read_date (reader);
  amounts_ok = read_amounts (reader);
  if (!date_ok || !amounts_ok)
    return NULL;

  return g_object_ref (reader->order);
}

/* Dead letters */

static void
append_csv_field (GString    *line,
                  const char *field,
                  char        delimiter)
{
  if (strchr (field, delimiter) == NULL && strpbrk (field, "\"\r\n") == NULL)
    {
      g_string_append (line, field);
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

static char *
header_line (const SkCsvTable *table)
{
  GString *line = g_string_new (NULL);

  for (guint c = 0; c < table->n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (line, table->delimiter);
      append_csv_field (line, table->header[c], table->delimiter);
    }
  return g_string_free (line, FALSE);
}

/* The header and @records as they were in the file. */
static GBytes *
raw_rows (Build     *build,
          GPtrArray *records)
{
  GString *raw = g_string_new (build->header_raw);

  for (guint i = 0; i < records->len; i++)
    {
      SkCsvRecord *record = g_ptr_array_index (records, i);

      g_string_append_c (raw, '\n');
      g_string_append_len (raw, record->raw, (gssize) record->raw_len);
    }
  return g_string_free_to_bytes (raw);
}

static char *
reason_of (GPtrArray *errors)
{
  GString *reason = g_string_new (NULL);
  guint shown = 0;

  for (guint i = 0; i < errors->len; i++)
    {
      SkCsvRowError *error = g_ptr_array_index (errors, i);
      g_autofree char *text = NULL;

      if (shown == REASON_ERRORS)
        {
          guint more = errors->len - i;

          g_string_append_c (reason, ' ');
          g_string_append_printf (reason,
                                  g_dngettext (GETTEXT_PACKAGE, "And %u more problem.",
                                               "And %u more problems.", more),
                                  more);
          break;
        }
      text = sk_csv_row_error_format (error);
      if (reason->len > 0)
        g_string_append_c (reason, ' ');
      g_string_append (reason, text);
      shown++;
    }
  return g_string_free (reason, FALSE);
}

/* An id for a row without one, stable across imports of the same row, so
 * importing the file again counts an attempt instead of a new letter. */
static char *
row_key (const SkCsvRecord *record)
{
  g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                         (const guchar *) record->raw,
                                                         record->raw_len);

  return g_strdup_printf ("no-id-%.12s", digest);
}

static void
note_bad_line (Build *build,
               guint  line)
{
  g_hash_table_add (build->bad_lines, GUINT_TO_POINTER (line));
}

static void
add_row_letter (Build             *build,
                const SkCsvRecord *record,
                const char        *reason)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(GBytes) raw = NULL;
  g_autofree char *key = row_key (record);
  g_autoptr(SkCsvRowError) error = sk_csv_row_error_new (record->line, NULL, reason);
  g_autofree char *text = sk_csv_row_error_format (error);

  g_ptr_array_add (one, (gpointer) record);
  raw = raw_rows (build, one);
  g_ptr_array_add (build->batch->dead_letters, sk_dead_letter_new ("orders", key, text, raw));
}

/* Grouping */

static GPtrArray *
group_records (Build *build)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  int id_column = build->mapping->columns[SK_CSV_FIELD_ORDER_ID];

  for (guint i = 0; i < build->table->records->len; i++)
    {
      SkCsvRecord *record = g_ptr_array_index (build->table->records, i);
      g_autofree char *id = value_of (build, record, SK_CSV_FIELD_ORDER_ID);
      Group *group;

      build->batch->n_rows++;
      if (*id == '\0' || (!record->valid_utf8 && strstr (id, "\xEF\xBF\xBD") != NULL))
        {
          /* Rows that are not UTF-8 were reported by the reader. */
          if (record->valid_utf8)
            {
              g_autofree char *message = NULL;

              message = g_strdup_printf (_("Column “%s”: the order ID is missing, so this row belongs to no order."),
                                         id_column >= 0 ? build->table->header[id_column] : "");
              g_ptr_array_add (build->batch->errors, sk_csv_row_error_new (record->line, NULL, message));
              add_row_letter (build, record, message);
            }
          else
            add_row_letter (build, record,
                            _("This row contains characters that are not UTF-8 text, so it was not imported. Save the file with the UTF-8 character set and import it again."));
          note_bad_line (build, record->line);
          continue;
        }

      group = g_hash_table_lookup (by_id, id);
      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->id = g_steal_pointer (&id);
          group->records = g_ptr_array_new ();
          g_hash_table_insert (by_id, group->id, group);
          g_ptr_array_add (groups, group);
        }
      g_ptr_array_add (group->records, record);
      if (!record->valid_utf8 && !group->unreadable)
        {
          group->unreadable = TRUE;
          group->unreadable_line = record->line;
          note_bad_line (build, record->line);
        }
    }
  return groups;
}

static int
compare_errors (gconstpointer a,
                gconstpointer b)
{
  const SkCsvRowError *x = *(const SkCsvRowError * const *) a;
  const SkCsvRowError *y = *(const SkCsvRowError * const *) b;

  return (x->line > y->line) - (x->line < y->line);
}

static void
read_group (Build *build,
            Group *group)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_csv_row_error_free);
  OrderReader reader = { build, group, NULL, { 0, }, errors };
  g_autoptr(SkOrder) order = read_order (&reader);
  g_autofree char *reason = NULL;
  g_autoptr(GBytes) raw = NULL;

  g_clear_object (&reader.order);
  if (order != NULL)
    {
      g_ptr_array_add (build->batch->orders, g_steal_pointer (&order));
      return;
    }

  build->batch->n_bad_orders++;
  if (group->unreadable)
    {
      /* The reader listed the row; the letter names it. */
      g_autoptr(SkCsvRowError) unreadable = NULL;

      g_ptr_array_set_size (errors, 0);
      unreadable = sk_csv_row_error_new (group->unreadable_line, group->id,
                                         _("This row contains characters that are not UTF-8 text, so its order was not imported. Save the file with the UTF-8 character set and import it again."));
      g_ptr_array_add (errors, g_steal_pointer (&unreadable));
      reason = reason_of (errors);
    }
  else
    {
      reason = reason_of (errors);
      for (guint i = 0; i < errors->len; i++)
        {
          SkCsvRowError *error = g_ptr_array_index (errors, i);

          note_bad_line (build, error->line);
          g_ptr_array_add (build->batch->errors, sk_csv_row_error_copy (error));
        }
    }
  raw = raw_rows (build, group->records);
  g_ptr_array_add (build->batch->dead_letters, sk_dead_letter_new ("orders", group->id, reason, raw));
}

static GTimeZone *
mapping_time_zone (const SkCsvMapping *mapping)
{
  GTimeZone *tz = NULL;

  if (mapping->timezone != NULL)
    tz = g_time_zone_new_identifier (mapping->timezone);
  return tz != NULL ? tz : g_time_zone_new_local ();
}

SkCsvBatch *
sk_csv_batch_build (SkCsvTable         *table,
                    const SkCsvMapping *mapping)
{
  g_autoptr(GPtrArray) groups = NULL;
  Build build = { 0, };

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (mapping != NULL, NULL);

  build.table = table;
  build.mapping = mapping;
  build.tz = mapping_time_zone (mapping);
  build.bad_lines = g_hash_table_new (NULL, NULL);
  build.header_raw = header_line (table);
  build.batch = g_new0 (SkCsvBatch, 1);
  build.batch->orders = g_ptr_array_new_with_free_func (g_object_unref);
  build.batch->dead_letters = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_dead_letter_free);
  build.batch->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_csv_row_error_free);

  /* What the reader could not read comes first. */
  for (guint i = 0; i < table->errors->len; i++)
    {
      SkCsvRowError *error = g_ptr_array_index (table->errors, i);

      g_ptr_array_add (build.batch->errors, sk_csv_row_error_copy (error));
      note_bad_line (&build, error->line);
    }

  if (mapping->columns[SK_CSV_FIELD_ORDER_ID] >= 0)
    {
      groups = group_records (&build);
      for (guint i = 0; i < groups->len; i++)
        read_group (&build, g_ptr_array_index (groups, i));
    }
  else
    build.batch->n_rows = table->records->len;

  g_ptr_array_sort (build.batch->errors, compare_errors);
  build.batch->n_bad_rows = g_hash_table_size (build.bad_lines);

  g_hash_table_unref (build.bad_lines);
  g_time_zone_unref (build.tz);
  g_free (build.header_raw);
  return build.batch;
}

void
sk_csv_batch_free (SkCsvBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->orders, g_ptr_array_unref);
  g_clear_pointer (&batch->dead_letters, g_ptr_array_unref);
  g_clear_pointer (&batch->errors, g_ptr_array_unref);
  g_free (batch);
}

/* Building on a worker thread */

typedef struct {
  SkCsvTable   *table;
  SkCsvMapping *mapping;
} BuildJob;

static void
build_job_free (BuildJob *job)
{
  sk_csv_table_unref (job->table);
  sk_csv_mapping_free (job->mapping);
  g_free (job);
}

static void
build_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  BuildJob *job = data;
  SkCsvBatch *batch;

  if (g_task_return_error_if_cancelled (task))
    return;
  batch = sk_csv_batch_build (job->table, job->mapping);
  g_task_return_pointer (task, batch, (GDestroyNotify) sk_csv_batch_free);
}

void
sk_csv_batch_build_async (SkCsvTable         *table,
                          const SkCsvMapping *mapping,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  BuildJob *job;

  g_return_if_fail (table != NULL);
  g_return_if_fail (mapping != NULL);

  job = g_new0 (BuildJob, 1);
  job->table = sk_csv_table_ref (table);
  job->mapping = sk_csv_mapping_copy (mapping);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_csv_batch_build_async);
  g_task_set_task_data (task, job, (GDestroyNotify) build_job_free);
  g_task_run_in_thread (task, build_thread);
}

SkCsvBatch *
sk_csv_batch_build_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_csv_batch_build_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Preview, page, summary */

GPtrArray *
sk_csv_batch_preview (const SkCsvBatch *batch,
                      guint             max_orders)
{
  GPtrArray *orders;

  g_return_val_if_fail (batch != NULL, NULL);

  orders = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < batch->orders->len && i < max_orders; i++)
    g_ptr_array_add (orders, g_object_ref (g_ptr_array_index (batch->orders, i)));
  return orders;
}

SkImportPage *
sk_csv_batch_to_page (const SkCsvBatch *batch,
                      gint64            channel_id)
{
  SkImportPage *page;

  g_return_val_if_fail (batch != NULL, NULL);

  page = sk_import_page_new (channel_id, "orders", ACTOR);
  for (guint i = 0; i < batch->orders->len; i++)
    {
      SkOrder *order = g_ptr_array_index (batch->orders, i);

      sk_order_set_channel_id (order, channel_id);
      g_ptr_array_add (page->orders, g_object_ref (order));
    }
  for (guint i = 0; i < batch->dead_letters->len; i++)
    {
      SkDeadLetter *letter = g_ptr_array_index (batch->dead_letters, i);

      g_ptr_array_add (page->dead_letters,
                       sk_dead_letter_new (letter->resource, letter->external_id,
                                           letter->reason, letter->raw));
    }
  return page;
}

static void
append_part (GString    *text,
             const char *part)
{
  if (text->len > 0)
    g_string_append (text, _(", "));
  g_string_append (text, part);
}

static char *
format_summary (const SkCsvBatch    *batch,
                const SkSyncSummary *summary,
                gboolean             with_errors)
{
  GString *text = g_string_new (NULL);
  g_autofree char *part = NULL;

  if (summary == NULL)
    {
      guint n = batch->orders->len;

      part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order ready to import",
                                           "%u orders ready to import", n), n);
      append_part (text, part);
    }
  else
    {
      part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new order imported",
                                           "%u new orders imported", summary->inserted),
                              summary->inserted);
      append_part (text, part);
      if (summary->updated > 0)
        {
          g_free (part);
          part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order updated",
                                               "%u orders updated", summary->updated),
                                  summary->updated);
          append_part (text, part);
        }
      if (summary->unchanged + summary->stale > 0)
        {
          guint n = summary->unchanged + summary->stale;

          g_free (part);
          part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u already up to date",
                                               "%u already up to date", n), n);
          append_part (text, part);
        }
    }

  if (batch->n_bad_rows > 0)
    {
      g_free (part);
      part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row with errors",
                                           "%u rows with errors", batch->n_bad_rows),
                              batch->n_bad_rows);
      append_part (text, part);
    }
  if (batch->n_bad_rows > 0 && with_errors)
    {
      g_string_append (text, _(": "));
      for (guint i = 0; i < batch->errors->len && i < SUMMARY_ERRORS; i++)
        {
          g_autofree char *error = sk_csv_row_error_format (g_ptr_array_index (batch->errors, i));

          if (i > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, error);
        }
      if (batch->errors->len > SUMMARY_ERRORS)
        {
          guint more = batch->errors->len - SUMMARY_ERRORS;

          g_string_append_c (text, ' ');
          g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "And %u more problem.",
                                                     "And %u more problems.", more),
                                  more);
        }
    }
  else
    g_string_append_c (text, '.');

  return g_string_free (text, FALSE);
}

char *
sk_csv_format_summary (const SkCsvBatch    *batch,
                       const SkSyncSummary *summary)
{
  g_return_val_if_fail (batch != NULL, NULL);

  return format_summary (batch, summary, TRUE);
}

char *
sk_csv_format_counts (const SkCsvBatch    *batch,
                      const SkSyncSummary *summary)
{
  g_return_val_if_fail (batch != NULL, NULL);

  return format_summary (batch, summary, FALSE);
}
