/* test-csv.c: CSV order import: reader, mapping, values, batches, the
 * idempotent import through the CSV channel, and the sync manager leaving
 * that channel alone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sk-csv-channel.h"
#include "sk-csv-import.h"
#include "sk-csv-mapping.h"
#include "sk-csv-reader.h"
#include "sk-error.h"
#include "sk-order.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"
#include "sk-sync-manager.h"
#include "sk-test-util.h"

/* Helpers */

static SkCsvTable *
parse_text (const char *text,
            char        delimiter)
{
  g_autoptr(GError) error = NULL;
  SkCsvTable *table = sk_csv_table_parse (text, strlen (text), delimiter, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

static SkCsvTable *
parse_fixture (const char *name)
{
  g_autofree char *relative = g_build_filename ("csv", name, NULL);
  g_autoptr(GBytes) bytes = sk_test_load_fixture (relative);
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  SkCsvTable *table = sk_csv_table_parse (data, length, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

static SkCsvRecord *
record_at (SkCsvTable *table,
           guint       index)
{
  g_assert_cmpuint (index, <, table->records->len);
  return g_ptr_array_index (table->records, index);
}

static int
column_of (SkCsvTable *table,
           const char *name)
{
  for (guint c = 0; c < table->n_columns; c++)
    if (g_str_equal (table->header[c], name))
      return (int) c;
  g_assert_not_reached ();
  return -1;
}

static void
assert_field (SkCsvMapping *mapping,
              SkCsvTable   *table,
              SkCsvField    field,
              const char   *header)
{
  int column = sk_csv_mapping_get_column (mapping, field);

  if (header == NULL)
    {
      if (column >= 0)
        g_error ("%s should not be mapped, but is in “%s”",
                 sk_csv_field_get_key (field), table->header[column]);
      return;
    }
  if (column < 0)
    g_error ("%s should be in “%s”, but is not mapped", sk_csv_field_get_key (field), header);
  g_assert_cmpstr (table->header[column], ==, header);
}

static SkOrder *
find_order (SkCsvBatch *batch,
            const char *id)
{
  for (guint i = 0; i < batch->orders->len; i++)
    {
      SkOrder *order = g_ptr_array_index (batch->orders, i);

      if (g_str_equal (sk_order_get_external_id (order), id))
        return order;
    }
  return NULL;
}

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt);
}

/* A mapping for the fixtures: the guess, with times in UTC. */
static SkCsvMapping *
fixture_mapping (SkCsvTable *table)
{
  SkCsvMapping *mapping = sk_csv_mapping_guess (table);

  sk_csv_mapping_set_timezone (mapping, "UTC");
  return mapping;
}

/* Reader */

static void
test_reader_quotes (void)
{
  g_autoptr(SkCsvTable) table = NULL;
  SkCsvRecord *record;

  table = parse_text ("id,title,note\n"
                      "1,\"Mug, black\",\"He said \"\"hi\"\"\"\n"
                      "2, \"spaced, quoted\",plain \"inner\" quotes\n"
                      "3,\"\",last\n", 0);
  g_assert_cmpint (table->delimiter, ==, ',');
  g_assert_cmpuint (table->n_columns, ==, 3);
  g_assert_cmpuint (table->records->len, ==, 3);
  g_assert_cmpuint (table->errors->len, ==, 0);

  record = record_at (table, 0);
  g_assert_cmpuint (record->n_fields, ==, 3);
  g_assert_cmpstr (record->fields[1], ==, "Mug, black");
  g_assert_cmpstr (record->fields[2], ==, "He said \"hi\"");
  g_assert_cmpuint (record->line, ==, 2);

  record = record_at (table, 1);
  g_assert_cmpstr (record->fields[1], ==, "spaced, quoted");
  g_assert_cmpstr (record->fields[2], ==, "plain \"inner\" quotes");

  record = record_at (table, 2);
  g_assert_cmpstr (record->fields[1], ==, "");
  g_assert_cmpstr (sk_csv_record_get (record, 2), ==, "last");
  g_assert_cmpstr (sk_csv_record_get (record, 7), ==, "");
}

static void
test_reader_embedded_newlines (void)
{
  g_autoptr(SkCsvTable) table = NULL;
  SkCsvRecord *record;

  table = parse_text ("id,note\r\n"
                      "1,\"first line\r\nsecond line\nthird\"\r\n"
                      "2,after\r\n", 0);
  g_assert_cmpuint (table->records->len, ==, 2);
  record = record_at (table, 0);
  g_assert_cmpstr (record->fields[1], ==, "first line\nsecond line\nthird");
  g_assert_cmpuint (record->line, ==, 2);
  /* The raw bytes are the row as written, line breaks and all. */
  g_assert_cmpstr (record->raw, ==, "1,\"first line\r\nsecond line\nthird\"");
  record = record_at (table, 1);
  g_assert_cmpuint (record->line, ==, 5);
  g_assert_cmpstr (record->fields[1], ==, "after");
  g_assert_cmpuint (table->n_lines, ==, 5);
}

static void
test_reader_bom_crlf (void)
{
  g_autoptr(SkCsvTable) table = NULL;

  table = parse_text ("\xEF\xBB\xBFOrder,Total\r\nA-1,12.50\r\n\r\nA-2,3.00\r\n", 0);
  g_assert_cmpstr (table->header[0], ==, "Order");
  g_assert_cmpuint (table->records->len, ==, 2);
  g_assert_cmpstr (record_at (table, 0)->fields[1], ==, "12.50");
  /* The blank line is skipped but counted. */
  g_assert_cmpuint (record_at (table, 1)->line, ==, 4);

  /* A lone CR (old Mac files) ends a line too. */
  g_clear_pointer (&table, sk_csv_table_unref);
  table = parse_text ("a,b\r1,2\r3,4", 0);
  g_assert_cmpuint (table->records->len, ==, 2);
  g_assert_cmpstr (record_at (table, 1)->fields[1], ==, "4");
  g_assert_cmpuint (record_at (table, 1)->line, ==, 3);
}

static void
test_reader_delimiters (void)
{
  g_autoptr(SkCsvTable) table = NULL;

  table = parse_text ("Bestellnummer;Artikel;Preis\n1001;\"Tasse; groß\";12,50\n", 0);
  g_assert_cmpint (table->delimiter, ==, ';');
  g_assert_cmpuint (table->n_columns, ==, 3);
  g_assert_cmpstr (record_at (table, 0)->fields[1], ==, "Tasse; groß");
  g_assert_cmpstr (record_at (table, 0)->fields[2], ==, "12,50");

  g_clear_pointer (&table, sk_csv_table_unref);
  table = parse_text ("id\ttitle\tprice\n1\tMug, black\t12.50\n", 0);
  g_assert_cmpint (table->delimiter, ==, '\t');
  g_assert_cmpstr (record_at (table, 0)->fields[1], ==, "Mug, black");

  /* A given delimiter wins over the sniffing. */
  g_clear_pointer (&table, sk_csv_table_unref);
  table = parse_text ("a;b,c\n1;2,3\n", ',');
  g_assert_cmpint (table->delimiter, ==, ',');
  g_assert_cmpstr (table->header[0], ==, "a;b");
}

static void
test_reader_unterminated (void)
{
  g_autoptr(SkCsvTable) table = NULL;
  SkCsvRowError *error;

  table = parse_text ("id,note\n1,fine\n2,\"broken\n3,swallowed\n4,too\n", 0);
  g_assert_cmpuint (table->records->len, ==, 1);
  g_assert_cmpuint (table->errors->len, ==, 1);
  error = g_ptr_array_index (table->errors, 0);
  g_assert_cmpuint (error->line, ==, 3);
  g_assert_nonnull (strstr (error->message, "lines 3 to 5"));

  /* A file that is nothing but an open quote cannot be read at all. */
  {
    g_autoptr(GError) gerror = NULL;
    g_autoptr(SkCsvTable) none = sk_csv_table_parse ("\"id,note\n1,2\n", 12, 0, &gerror);

    g_assert_null (none);
    g_assert_error (gerror, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
    g_assert_nonnull (strstr (gerror->message, "Line 1"));
  }
}

static void
test_reader_invalid_utf8 (void)
{
  g_autoptr(SkCsvTable) table = NULL;
  SkCsvRowError *error;
  SkCsvRecord *record;

  table = parse_text ("id,name\n1,ok\n2,caf\xE9 latte\n3,fine\n", 0);
  g_assert_cmpuint (table->records->len, ==, 3);
  g_assert_cmpuint (table->errors->len, ==, 1);
  error = g_ptr_array_index (table->errors, 0);
  g_assert_cmpuint (error->line, ==, 3);
  record = record_at (table, 1);
  g_assert_false (record->valid_utf8);
  g_assert_true (g_utf8_validate (record->fields[1], -1, NULL));
  /* The raw row keeps the original byte for the dead letter. */
  g_assert_cmpint ((guchar) record->raw[5], ==, 0xE9);
  g_assert_true (record_at (table, 2)->valid_utf8);
}

static void
test_reader_utf16_and_empty (void)
{
  /* "id,total\n1,2.50\n" in UTF-16LE with its BOM (Excel's Unicode text). */
  static const char utf16[] = "\xFF\xFEi\0d\0,\0t\0o\0t\0a\0l\0\n\0" "1\0,\0" "2\0.\0" "5\0" "0\0\n\0";
  g_autoptr(SkCsvTable) table = NULL;
  g_autoptr(GError) error = NULL;

  table = sk_csv_table_parse (utf16, sizeof utf16 - 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (table->header[1], ==, "total");
  g_assert_cmpstr (record_at (table, 0)->fields[1], ==, "2.50");

  g_clear_pointer (&table, sk_csv_table_unref);
  table = sk_csv_table_parse ("\xEF\xBB\xBF\r\n\r\n", 7, 0, &error);
  g_assert_null (table);
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
}

/* Mapping */

static void
test_mapping_guess_english (void)
{
  g_autoptr(SkCsvTable) table = parse_fixture ("pos-export-en.csv");
  g_autoptr(SkCsvMapping) mapping = sk_csv_mapping_guess (table);
  g_autoptr(SkCsvTable) shopify = NULL;
  g_autoptr(SkCsvMapping) shopify_mapping = NULL;

  assert_field (mapping, table, SK_CSV_FIELD_ORDER_ID, "Receipt Number");
  assert_field (mapping, table, SK_CSV_FIELD_NUMBER, NULL);
  assert_field (mapping, table, SK_CSV_FIELD_DATE, "Date");
  assert_field (mapping, table, SK_CSV_FIELD_CUSTOMER_NAME, "Customer Name");
  assert_field (mapping, table, SK_CSV_FIELD_EMAIL, "Customer Email");
  assert_field (mapping, table, SK_CSV_FIELD_SKU, "SKU");
  assert_field (mapping, table, SK_CSV_FIELD_TITLE, "Item");
  assert_field (mapping, table, SK_CSV_FIELD_QUANTITY, "Qty");
  assert_field (mapping, table, SK_CSV_FIELD_UNIT_PRICE, "Price");
  assert_field (mapping, table, SK_CSV_FIELD_DISCOUNT, "Discount");
  assert_field (mapping, table, SK_CSV_FIELD_TAX, "Tax");
  assert_field (mapping, table, SK_CSV_FIELD_TOTAL, "Total");
  assert_field (mapping, table, SK_CSV_FIELD_CURRENCY, "Currency");
  assert_field (mapping, table, SK_CSV_FIELD_PAYMENT_STATUS, "Payment Status");
  assert_field (mapping, table, SK_CSV_FIELD_SHIP_CITY, "Ship To City");
  assert_field (mapping, table, SK_CSV_FIELD_SHIP_COUNTRY, "Ship To Country");
  assert_field (mapping, table, SK_CSV_FIELD_NOTE, "Notes");
  g_assert_cmpint (mapping->decimal, ==, '.');
  g_assert_true (sk_csv_mapping_validate (mapping, NULL));

  /* Shopify's order export: "Id" is the order, "Name" (#1001) is not a
   * customer, totals stand on the first row of each order. */
  shopify = parse_text ("Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,"
                        "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
                        "Created at,Lineitem quantity,Lineitem name,Lineitem price,"
                        "Lineitem sku,Billing Name,Shipping Name,Shipping City,"
                        "Shipping Zip,Shipping Country,Notes,Id\n"
                        "#1001,a@example.com,paid,,,USD,10.00,0.00,0.00,10.00,,0.00,,"
                        "2026-11-21 10:00:00 -0500,1,Mug,10.00,MUG,Ann,Ann,Reno,89501,US,,5001\n",
                        0);
  shopify_mapping = sk_csv_mapping_guess (shopify);
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_ORDER_ID, "Id");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_NUMBER, NULL);
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_PAYMENT_STATUS, "Financial Status");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_FULFILLMENT_STATUS, "Fulfillment Status");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_DATE, "Created at");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_SUBTOTAL, "Subtotal");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_SHIPPING, "Shipping");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_TAX, "Taxes");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_DISCOUNT, "Discount Amount");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_QUANTITY, "Lineitem quantity");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_TITLE, "Lineitem name");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_UNIT_PRICE, "Lineitem price");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_SKU, "Lineitem sku");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_CUSTOMER_NAME, "Billing Name");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_SHIP_NAME, "Shipping Name");
  assert_field (shopify_mapping, shopify, SK_CSV_FIELD_SHIP_POSTCODE, "Shipping Zip");
  g_assert_cmpint (sk_csv_mapping_get_field (shopify_mapping, column_of (shopify, "Shipping Method")),
                   ==, SK_CSV_FIELD_IGNORE);
  g_assert_cmpint (sk_csv_mapping_get_field (shopify_mapping, column_of (shopify, "Discount Code")),
                   ==, SK_CSV_FIELD_IGNORE);
  {
    /* Without the amount column, a discount code is still not an amount. */
    g_autoptr(SkCsvTable) codes = parse_text ("Order,Discount Code,Total\n1,SUMMER10,9.00\n", 0);
    g_autoptr(SkCsvMapping) codes_mapping = sk_csv_mapping_guess (codes);

    assert_field (codes_mapping, codes, SK_CSV_FIELD_DISCOUNT, NULL);
  }
}

static void
test_mapping_guess_german (void)
{
  g_autoptr(SkCsvTable) table = parse_fixture ("pos-export-de.csv");
  g_autoptr(SkCsvMapping) mapping = sk_csv_mapping_guess (table);
  g_autoptr(SkCsvTable) simple = NULL;
  g_autoptr(SkCsvMapping) simple_mapping = NULL;

  g_assert_cmpint (table->delimiter, ==, ';');
  assert_field (mapping, table, SK_CSV_FIELD_ORDER_ID, "Bonnummer");
  assert_field (mapping, table, SK_CSV_FIELD_DATE, "Datum");
  assert_field (mapping, table, SK_CSV_FIELD_CUSTOMER_NAME, "Kunde");
  assert_field (mapping, table, SK_CSV_FIELD_EMAIL, "E-Mail");
  assert_field (mapping, table, SK_CSV_FIELD_SKU, "Artikelnummer");
  assert_field (mapping, table, SK_CSV_FIELD_TITLE, "Artikel");
  assert_field (mapping, table, SK_CSV_FIELD_QUANTITY, "Menge");
  assert_field (mapping, table, SK_CSV_FIELD_UNIT_PRICE, "Einzelpreis");
  assert_field (mapping, table, SK_CSV_FIELD_LINE_DISCOUNT, "Positionsrabatt");
  assert_field (mapping, table, SK_CSV_FIELD_LINE_TOTAL, "Positionssumme");
  assert_field (mapping, table, SK_CSV_FIELD_TOTAL, "Bonsumme");
  assert_field (mapping, table, SK_CSV_FIELD_CURRENCY, "Währung");
  assert_field (mapping, table, SK_CSV_FIELD_PAYMENT_STATUS, "Zahlungsstatus");
  assert_field (mapping, table, SK_CSV_FIELD_NOTE, "Notiz");
  /* A tax rate is not a tax amount, a cashier is nobody's field. */
  assert_field (mapping, table, SK_CSV_FIELD_TAX, NULL);
  g_assert_cmpint (sk_csv_mapping_get_field (mapping, column_of (table, "MwSt-Satz")), ==, SK_CSV_FIELD_IGNORE);
  g_assert_cmpint (sk_csv_mapping_get_field (mapping, column_of (table, "Kassierer")), ==, SK_CSV_FIELD_IGNORE);
  g_assert_cmpint (mapping->decimal, ==, ',');

  simple = parse_text ("Bestellnummer;Datum;Artikelnummer;Menge;Preis;Stückpreis (brutto)\n"
                       "A1;21/11/2026;X;1;12,50;12,50\n", 0);
  simple_mapping = sk_csv_mapping_guess (simple);
  assert_field (simple_mapping, simple, SK_CSV_FIELD_ORDER_ID, "Bestellnummer");
  assert_field (simple_mapping, simple, SK_CSV_FIELD_SKU, "Artikelnummer");
  assert_field (simple_mapping, simple, SK_CSV_FIELD_QUANTITY, "Menge");
  assert_field (simple_mapping, simple, SK_CSV_FIELD_UNIT_PRICE, "Preis");
  g_assert_cmpint (simple_mapping->decimal, ==, ',');
  /* 21/11 can only be day first. */
  g_assert_cmpint (simple_mapping->date_order, ==, SK_CSV_DATE_DAY_FIRST);

  {
    g_autofree char *normalized = sk_csv_normalize_header ("Bestell-Nr.");

    g_assert_cmpstr (normalized, ==, "bestellnr");
  }
}

static void
test_mapping_set_column (void)
{
  g_autoptr(SkCsvMapping) mapping = sk_csv_mapping_new ();

  sk_csv_mapping_set_column (mapping, SK_CSV_FIELD_TOTAL, 3);
  g_assert_cmpint (sk_csv_mapping_get_field (mapping, 3), ==, SK_CSV_FIELD_TOTAL);
  /* One column holds one field: the total moves out. */
  sk_csv_mapping_set_column (mapping, SK_CSV_FIELD_LINE_TOTAL, 3);
  g_assert_cmpint (sk_csv_mapping_get_column (mapping, SK_CSV_FIELD_TOTAL), ==, -1);
  g_assert_cmpint (sk_csv_mapping_get_field (mapping, 3), ==, SK_CSV_FIELD_LINE_TOTAL);
  sk_csv_mapping_set_column (mapping, SK_CSV_FIELD_IGNORE, 3);
  g_assert_cmpint (sk_csv_mapping_get_column (mapping, SK_CSV_FIELD_LINE_TOTAL), ==, -1);

  g_assert_false (sk_csv_mapping_validate (mapping, NULL));
  sk_csv_mapping_set_column (mapping, SK_CSV_FIELD_ORDER_ID, 0);
  sk_csv_mapping_set_column (mapping, SK_CSV_FIELD_TOTAL, 1);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (sk_csv_mapping_validate (mapping, &error));
    g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY);
  }
  sk_csv_mapping_set_currency (mapping, "eur");
  g_assert_cmpstr (mapping->currency, ==, "EUR");
  g_assert_true (sk_csv_mapping_validate (mapping, NULL));
}

static void
test_mapping_save_load (void)
{
  g_autoptr(SkCsvTable) table = parse_text ("Receipt,Sale Date,Amount,Cashier\nR1,2026-11-21,12.50,Ann\n", 0);
  g_autoptr(SkCsvTable) reordered = NULL;
  g_autoptr(SkCsvMapping) mapping = sk_csv_mapping_guess (table);
  g_autoptr(SkCsvMapping) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;

  assert_field (mapping, table, SK_CSV_FIELD_ORDER_ID, "Receipt");
  assert_field (mapping, table, SK_CSV_FIELD_DATE, "Sale Date");
  /* The user says: "Amount" is the total, the cashier is the note. */
  sk_csv_mapping_set_column (mapping, SK_CSV_FIELD_TOTAL, 2);
  sk_csv_mapping_set_column (mapping, SK_CSV_FIELD_NOTE, 3);
  sk_csv_mapping_set_column (mapping, SK_CSV_FIELD_DATE, -1);
  mapping->decimal = ',';
  mapping->date_order = SK_CSV_DATE_MONTH_FIRST;
  mapping->paid_at_sale = TRUE;
  sk_csv_mapping_set_currency (mapping, "CHF");
  sk_csv_mapping_set_timezone (mapping, "Europe/Zurich");

  g_assert_false (sk_csv_mapping_is_saved ("{\"other\": 1}"));
  settings = sk_csv_mapping_save (mapping, table, "{\"other\": 1}");
  g_assert_true (sk_csv_mapping_is_saved (settings));
  g_assert_nonnull (strstr (settings, "\"other\""));

  /* The next file has its columns in another order. */
  reordered = parse_text ("Cashier,Amount,Sale Date,Receipt\nBen,3.00,2026-11-22,R2\n", 0);
  loaded = sk_csv_mapping_load (settings, reordered, &error);
  g_assert_no_error (error);
  assert_field (loaded, reordered, SK_CSV_FIELD_ORDER_ID, "Receipt");
  assert_field (loaded, reordered, SK_CSV_FIELD_TOTAL, "Amount");
  assert_field (loaded, reordered, SK_CSV_FIELD_NOTE, "Cashier");
  /* Saved as not in the file: not guessed back in. */
  assert_field (loaded, reordered, SK_CSV_FIELD_DATE, NULL);
  g_assert_cmpint (loaded->decimal, ==, ',');
  g_assert_cmpint (loaded->date_order, ==, SK_CSV_DATE_MONTH_FIRST);
  g_assert_true (loaded->paid_at_sale);
  g_assert_cmpstr (loaded->currency, ==, "CHF");
  g_assert_cmpstr (loaded->timezone, ==, "Europe/Zurich");

  g_clear_pointer (&loaded, sk_csv_mapping_free);
  loaded = sk_csv_mapping_load ("not json", reordered, &error);
  g_assert_null (loaded);
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
}

/* Values */

static void
assert_money (const char *text,
              const char *currency,
              char        decimal,
              gboolean    round,
              gint64      expected)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = G_MININT64;

  if (!sk_csv_parse_money (text, currency, decimal, round, &minor, &error))
    g_error ("“%s” (%s, '%c'): %s", text, currency, decimal, error->message);
  g_assert_cmpint (minor, ==, expected);
}

static void
assert_money_error (const char *text,
                    const char *currency,
                    char        decimal,
                    const char *message_part)
{
  g_autoptr(GError) error = NULL;
  gint64 minor = 0;

  if (sk_csv_parse_money (text, currency, decimal, FALSE, &minor, &error))
    g_error ("“%s” read as %" G_GINT64_FORMAT ", expected an error", text, minor);
  g_assert_nonnull (error);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s”: “%s” does not say “%s”", text, error->message, message_part);
}

static void
test_values_money (void)
{
  assert_money ("12,50", "EUR", ',', FALSE, 1250);
  assert_money ("1.234,50", "EUR", ',', FALSE, 123450);
  assert_money ("1.234.567,8", "EUR", ',', FALSE, 123456780);
  assert_money ("1 234,50", "EUR", ',', FALSE, 123450);
  assert_money ("1\xC2\xA0" "234,50", "EUR", ',', FALSE, 123450);   /* no-break space */
  assert_money ("€ 12,50", "EUR", ',', FALSE, 1250);
  assert_money ("12,50 €", "EUR", ',', FALSE, 1250);
  assert_money ("-3,45", "EUR", ',', FALSE, -345);
  assert_money ("-€3,45", "EUR", ',', FALSE, -345);
  assert_money ("3,45-", "EUR", ',', FALSE, -345);
  assert_money ("1.234", "EUR", ',', FALSE, 123400);
  assert_money ("12", "EUR", ',', FALSE, 1200);
  assert_money (",5", "EUR", ',', FALSE, 50);
  assert_money ("12.50", "USD", '.', FALSE, 1250);
  assert_money ("$1,234.50", "USD", '.', FALSE, 123450);
  assert_money ("12.50 USD", "USD", '.', FALSE, 1250);
  assert_money ("EUR 7.10", "EUR", '.', FALSE, 710);
  assert_money ("1.000", "JPY", ',', FALSE, 1000);
  assert_money ("1,000", "JPY", '.', FALSE, 1000);
  assert_money ("1,234", "KWD", ',', FALSE, 1234);
  /* Unit prices may carry more decimals: half to even. */
  assert_money ("12,505", "EUR", ',', TRUE, 1250);
  assert_money ("12,515", "EUR", ',', TRUE, 1252);
  assert_money ("10.0840", "EUR", '.', TRUE, 1008);

  assert_money_error ("abc", "EUR", ',', "not an amount");
  assert_money_error ("", "EUR", ',', "missing");
  assert_money_error ("12,505", "EUR", ',', "more decimals");
  assert_money_error ("12.50", "EUR", ',', "Point");
  assert_money_error ("12,50", "USD", '.', "Comma");
  assert_money_error ("12,5,0", "EUR", ',', NULL);
  assert_money_error ("1.23.4,00", "EUR", ',', NULL);
  assert_money_error ("12.50 USD", "EUR", '.', "USD");
  assert_money_error ("£3.00", "EUR", '.', "GBP");
  assert_money_error ("1,5", "JPY", ',', "none");
  assert_money_error ("1e3", "EUR", '.', NULL);
  assert_money_error ("12.50", "XYZ", '.', "currency");
  assert_money_error ("99999999999999999999", "EUR", '.', NULL);
}

static void
test_values_dates (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GError) error = NULL;
  gint64 when = 0;

  g_assert_true (sk_csv_parse_datetime ("21/11/2026 14:03", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 14, 3));
  g_assert_true (sk_csv_parse_datetime ("11/21/2026 2:03 PM", NULL, SK_CSV_DATE_MONTH_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 14, 3));
  g_assert_true (sk_csv_parse_datetime ("03/04/2026", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 4, 3, 0, 0));
  g_assert_true (sk_csv_parse_datetime ("03/04/2026", NULL, SK_CSV_DATE_MONTH_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 3, 4, 0, 0));
  /* d.m.y is day first whatever the setting. */
  g_assert_true (sk_csv_parse_datetime ("21.11.2026 14:03", NULL, SK_CSV_DATE_MONTH_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 14, 3));
  g_assert_true (sk_csv_parse_datetime ("21.11.26 14:03 Uhr", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 14, 3));
  g_assert_true (sk_csv_parse_datetime ("2026-11-21 14:03", NULL, SK_CSV_DATE_MONTH_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 14, 3));
  g_assert_true (sk_csv_parse_datetime ("2026-11-21T14:03:59.250+01:00", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 13, 3) + 59);
  g_assert_true (sk_csv_parse_datetime ("2026-11-21 10:00:00 -0500", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 15, 0));
  g_assert_true (sk_csv_parse_datetime ("2026-11-21T14:03:00Z", NULL, SK_CSV_DATE_DAY_FIRST, berlin, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 14, 3));
  /* Without an offset: the source's time zone (CET in November). */
  g_assert_true (sk_csv_parse_datetime ("2026-11-21 14:03", NULL, SK_CSV_DATE_DAY_FIRST, berlin, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 13, 3));
  /* A time of day in its own column. */
  g_assert_true (sk_csv_parse_datetime ("21/11/2026", "14:03", SK_CSV_DATE_DAY_FIRST, NULL, &when, NULL));
  g_assert_cmpint (when, ==, utc (2026, 11, 21, 14, 3));

  g_assert_false (sk_csv_parse_datetime ("11/21/2026 14:03", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME);
  g_assert_nonnull (strstr (error->message, "Month First"));
  g_clear_error (&error);
  g_assert_false (sk_csv_parse_datetime ("21/11/2026", NULL, SK_CSV_DATE_MONTH_FIRST, NULL, &when, &error));
  g_assert_nonnull (strstr (error->message, "Day First"));
  g_clear_error (&error);
  g_assert_false (sk_csv_parse_datetime ("yesterday", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, &error));
  g_clear_error (&error);
  g_assert_false (sk_csv_parse_datetime ("2026-02-30", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, &error));
  g_clear_error (&error);
  g_assert_false (sk_csv_parse_datetime ("2026-11-21 25:00", NULL, SK_CSV_DATE_DAY_FIRST, NULL, &when, &error));
  g_clear_error (&error);
  g_assert_false (sk_csv_parse_datetime ("21/11/2026", "noon", SK_CSV_DATE_DAY_FIRST, NULL, &when, &error));
  g_clear_error (&error);
}

static void
test_values_other (void)
{
  g_autoptr(GError) error = NULL;
  gint64 quantity = 0;
  char code[4];

  g_assert_true (sk_csv_parse_quantity ("2", ',', &quantity, NULL));
  g_assert_cmpint (quantity, ==, 2);
  g_assert_true (sk_csv_parse_quantity (" 3,0 ", ',', &quantity, NULL));
  g_assert_cmpint (quantity, ==, 3);
  g_assert_true (sk_csv_parse_quantity ("-1", '.', &quantity, NULL));
  g_assert_cmpint (quantity, ==, -1);
  g_assert_false (sk_csv_parse_quantity ("1,5", ',', &quantity, &error));
  g_assert_nonnull (strstr (error->message, "whole"));
  g_clear_error (&error);
  g_assert_false (sk_csv_parse_quantity ("two", '.', &quantity, NULL));

  g_assert_true (sk_csv_parse_currency ("eur", code, NULL));
  g_assert_cmpstr (code, ==, "EUR");
  g_assert_true (sk_csv_parse_currency ("€", code, NULL));
  g_assert_cmpstr (code, ==, "EUR");
  g_assert_false (sk_csv_parse_currency ("XYZ", code, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY);

  g_assert_cmpint (sk_csv_parse_payment_status ("bezahlt"), ==, SK_PAYMENT_STATUS_PAID);
  g_assert_cmpint (sk_csv_parse_payment_status ("Partially refunded"), ==, SK_PAYMENT_STATUS_PARTIALLY_REFUNDED);
  g_assert_cmpint (sk_csv_parse_payment_status ("erstattet"), ==, SK_PAYMENT_STATUS_REFUNDED);
  g_assert_cmpint (sk_csv_parse_payment_status ("maybe"), ==, SK_PAYMENT_STATUS_UNKNOWN);
  g_assert_cmpint (sk_csv_parse_order_status ("Storniert"), ==, SK_ORDER_STATUS_CANCELLED);
  g_assert_cmpint (sk_csv_parse_fulfillment_status ("versendet"), ==, SK_FULFILLMENT_STATUS_FULFILLED);
  g_assert_cmpstr (sk_csv_country_code ("Deutschland"), ==, "DE");
  g_assert_cmpstr (sk_csv_country_code ("United States"), ==, "US");
  g_assert_cmpstr (sk_csv_country_code ("at"), ==, "AT");
  g_assert_null (sk_csv_country_code ("Atlantis"));
}

/* Batches */

static void
test_build_german (void)
{
  g_autoptr(SkCsvTable) table = parse_fixture ("pos-export-de.csv");
  g_autoptr(SkCsvMapping) mapping = fixture_mapping (table);
  g_autoptr(SkCsvBatch) batch = NULL;
  SkOrderLine *line;
  SkOrder *order;

  g_assert_true (sk_csv_mapping_validate (mapping, NULL));
  batch = sk_csv_batch_build (table, mapping);
  g_assert_cmpuint (batch->errors->len, ==, 0);
  g_assert_cmpuint (batch->dead_letters->len, ==, 0);
  g_assert_cmpuint (batch->n_rows, ==, 10);
  g_assert_cmpuint (batch->orders->len, ==, 8);
  g_assert_cmpstr (sk_order_get_external_id (g_ptr_array_index (batch->orders, 0)), ==, "B-2026-001");

  order = find_order (batch, "B-2026-001");
  g_assert_cmpstr (sk_order_get_currency (order), ==, "EUR");
  g_assert_cmpint (sk_order_get_total (order), ==, 1780);
  g_assert_cmpint (sk_order_get_created_at (order), ==, utc (2026, 11, 21, 9, 12));
  g_assert_cmpint (sk_order_get_payment_status (order), ==, SK_PAYMENT_STATUS_PAID);
  g_assert_cmpstr (sk_order_get_payment_code (order), ==, "bezahlt");
  g_assert_cmpint (sk_order_get_item_count (order), ==, 2);

  /* Two rows, one order. */
  order = find_order (batch, "B-2026-002");
  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, 2);
  line = g_ptr_array_index (sk_order_get_lines (order), 0);
  g_assert_cmpstr (line->title, ==, "Tasse \"Moin\"; 0,3 l");
  g_assert_cmpstr (line->sku, ==, "TAS-MOIN");
  g_assert_cmpint (line->unit_price, ==, 1250);
  line = g_ptr_array_index (sk_order_get_lines (order), 1);
  g_assert_cmpint (line->unit_price, ==, 1490);
  g_assert_cmpint (sk_order_get_subtotal (order), ==, 2740);
  g_assert_cmpint (sk_order_get_total (order), ==, 2740);
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, "Jonas Weber");
  g_assert_cmpstr (sk_order_get_email (order), ==, "jonas.weber@example.org");

  order = find_order (batch, "B-2026-003");
  g_assert_cmpstr (sk_order_get_note (order), ==, "Gutschein-Nr. 4711\ngültig bis 21.11.2029");

  /* 1.049,00 less a line discount of 50,00. */
  order = find_order (batch, "B-2026-004");
  line = g_ptr_array_index (sk_order_get_lines (order), 0);
  g_assert_cmpint (line->unit_price, ==, 104900);
  g_assert_cmpint (line->total_discount, ==, 5000);
  g_assert_cmpint (sk_order_get_subtotal (order), ==, 99900);
  g_assert_cmpint (sk_order_get_total_discounts (order), ==, 5000);
  g_assert_cmpint (sk_order_get_total (order), ==, 99900);

  order = find_order (batch, "B-2026-005");
  g_assert_cmpint (sk_order_get_total (order), ==, -890);
  g_assert_cmpint (sk_order_get_payment_status (order), ==, SK_PAYMENT_STATUS_REFUNDED);

  order = find_order (batch, "B-2026-007");
  g_assert_cmpint (sk_order_get_total (order), ==, 4500);
  g_assert_cmpint (sk_order_get_item_count (order), ==, 4);

  order = find_order (batch, "B-2026-008");
  g_assert_cmpint (sk_order_get_payment_status (order), ==, SK_PAYMENT_STATUS_VOIDED);
  g_assert_cmpint (sk_order_get_status (order), ==, SK_ORDER_STATUS_CANCELLED);
}

static void
test_build_errors (void)
{
  g_autoptr(SkCsvTable) table = parse_fixture ("pos-export-en.csv");
  g_autoptr(SkCsvMapping) mapping = fixture_mapping (table);
  g_autoptr(SkCsvBatch) batch = sk_csv_batch_build (table, mapping);
  g_autofree char *summary = NULL;
  SkCsvRowError *error;
  SkDeadLetter *letter;
  SkOrderLine *line;
  SkOrder *order;

  /* The good orders read; the bad rows are listed by line. */
  g_assert_cmpuint (batch->orders->len, ==, 4);
  g_assert_nonnull (find_order (batch, "1001"));
  g_assert_nonnull (find_order (batch, "1002"));
  g_assert_nonnull (find_order (batch, "1003"));
  g_assert_nonnull (find_order (batch, "1006"));
  g_assert_cmpuint (batch->n_rows, ==, 8);
  g_assert_cmpuint (batch->n_bad_rows, ==, 3);
  g_assert_cmpuint (batch->n_bad_orders, ==, 2);
  g_assert_cmpuint (batch->errors->len, ==, 3);

  error = g_ptr_array_index (batch->errors, 0);
  g_assert_cmpuint (error->line, ==, 7);
  g_assert_null (error->order_id);
  g_assert_nonnull (strstr (error->message, "order ID is missing"));
  error = g_ptr_array_index (batch->errors, 1);
  g_assert_cmpuint (error->line, ==, 8);
  g_assert_cmpstr (error->order_id, ==, "1004");
  g_assert_nonnull (strstr (error->message, "Column “Price”"));
  g_assert_nonnull (strstr (error->message, "“abc” is not an amount"));
  error = g_ptr_array_index (batch->errors, 2);
  g_assert_cmpuint (error->line, ==, 9);
  g_assert_cmpstr (error->order_id, ==, "1005");
  g_assert_nonnull (strstr (error->message, "“XYZ”"));

  /* Dead letters keep the header and the rows as they were. */
  g_assert_cmpuint (batch->dead_letters->len, ==, 3);
  letter = g_ptr_array_index (batch->dead_letters, 1);
  g_assert_cmpstr (letter->external_id, ==, "1004");
  g_assert_nonnull (strstr (letter->reason, "Line 8"));
  g_assert_nonnull (strstr (g_bytes_get_data (letter->raw, NULL), "Receipt Number,Date,"));
  g_assert_nonnull (strstr (g_bytes_get_data (letter->raw, NULL), "\n1004,2026-11-21 11:45,Sam Lee"));
  letter = g_ptr_array_index (batch->dead_letters, 0);
  g_assert_true (g_str_has_prefix (letter->external_id, "no-id-"));

  order = find_order (batch, "1001");
  g_assert_cmpint (sk_order_get_created_at (order), ==, utc (2026, 11, 21, 14, 15));
  g_assert_cmpint (sk_order_get_total (order), ==, 3031);
  g_assert_cmpint (sk_order_get_total_tax (order), ==, 231);
  g_assert_cmpstr (sk_order_get_ship_city (order), ==, "Portland");
  g_assert_cmpstr (sk_order_get_ship_country (order), ==, "US");

  order = find_order (batch, "1002");
  line = g_ptr_array_index (sk_order_get_lines (order), 0);
  g_assert_cmpint (line->unit_price, ==, 102450);
  g_assert_cmpstr (sk_order_get_customer_name (order), ==, "O'Neil, Pat");
  g_assert_cmpstr (sk_order_get_note (order), ==, "Gift wrap, please.\nCard: \"Happy birthday!\"");
  g_assert_cmpint (sk_order_get_total_discounts (order), ==, 2450);
  g_assert_cmpint (sk_order_get_total (order), ==, 108000);
  g_assert_cmpstr (sk_order_get_ship_country (order), ==, "US");

  order = find_order (batch, "1003");
  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, 2);
  g_assert_cmpint (sk_order_get_subtotal (order), ==, 2150);
  g_assert_cmpint (sk_order_get_total (order), ==, 2328);

  summary = sk_csv_format_summary (batch, NULL);
  g_assert_nonnull (strstr (summary, "4 orders ready to import"));
  g_assert_nonnull (strstr (summary, "3 rows with errors"));
  g_assert_nonnull (strstr (summary, "Line 7:"));
}

static void
test_build_grouping_and_totals (void)
{
  g_autoptr(SkCsvTable) table = NULL;
  g_autoptr(SkCsvMapping) mapping = NULL;
  g_autoptr(SkCsvBatch) batch = NULL;
  SkCsvRowError *error;
  SkOrder *order;

  /* Rows of one order far apart; order fields on the first row only (as
   * Shopify writes them); a computed total; a line total that gives the
   * unit price; an order total that changes between its rows. */
  table = parse_text ("order,sku,qty,price,line total,shipping,tax,total,currency\n"
                      "A,S1,2,5.00,,4.90,1.00,,EUR\n"
                      "B,S2,3,,7.50,,,,EUR\n"
                      "A,S3,1,2.50,,,,,\n"
                      "C,S1,1,5.00,,,,5.00,EUR\n"
                      "C,S2,1,2.50,,,,7.50,EUR\n"
                      "D,S2,3,,10.00,,,,EUR\n", 0);
  mapping = sk_csv_mapping_guess (table);
  assert_field (mapping, table, SK_CSV_FIELD_LINE_TOTAL, "line total");
  batch = sk_csv_batch_build (table, mapping);

  g_assert_cmpuint (batch->orders->len, ==, 2);
  order = find_order (batch, "A");
  g_assert_cmpuint (sk_order_get_lines (order)->len, ==, 2);
  g_assert_cmpint (sk_order_get_subtotal (order), ==, 1250);
  g_assert_cmpint (sk_order_get_total_shipping (order), ==, 490);
  g_assert_cmpint (sk_order_get_total_tax (order), ==, 100);
  g_assert_cmpint (sk_order_get_total (order), ==, 1840);
  order = find_order (batch, "B");
  g_assert_cmpint (((SkOrderLine *) g_ptr_array_index (sk_order_get_lines (order), 0))->unit_price, ==, 250);
  g_assert_cmpint (sk_order_get_total (order), ==, 750);

  g_assert_cmpuint (batch->errors->len, ==, 2);
  error = g_ptr_array_index (batch->errors, 0);
  g_assert_cmpuint (error->line, ==, 6);
  g_assert_nonnull (strstr (error->message, "differs from 5.00 on line 5"));
  error = g_ptr_array_index (batch->errors, 1);
  g_assert_cmpuint (error->line, ==, 7);
  g_assert_nonnull (strstr (error->message, "does not divide evenly"));

  /* Prices with tax in them: a computed total does not add it again. */
  g_clear_pointer (&batch, sk_csv_batch_free);
  mapping->tax_included = TRUE;
  batch = sk_csv_batch_build (table, mapping);
  g_assert_cmpint (sk_order_get_total (find_order (batch, "A")), ==, 1740);
}

/* Import through the channel */

typedef struct {
  char *tmpdir;
  SkStore *store;
  SkHttp *http;
  SkChannel *channel;
  gint64 channel_id;
} ImportFixture;

static void
import_set_up (ImportFixture *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SkChannelRecord) record = sk_csv_channel_record_new ("Shop Counter (POS)");

  g_assert_cmpstr (record->kind, ==, "csv");
  g_assert_cmpstr (record->account, ==, "shop-counter-pos");

  f->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "storekeep.db", NULL);
  f->store = sk_store_open (path, &error);
  g_assert_no_error (error);
  sk_store_add_channel (f->store, record, &error);
  g_assert_no_error (error);
  f->channel_id = record->id;
  f->http = sk_http_new ();
  f->channel = sk_channel_new_for_record (f->store, f->http, record, &error);
  g_assert_no_error (error);
  g_assert_true (SK_IS_CSV_CHANNEL (f->channel));
}

static void
import_tear_down (ImportFixture *f,
                  gconstpointer  data)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->channel);
  g_clear_object (&f->http);
  g_clear_object (&f->store);
  sk_test_tmpdir_free (f->tmpdir);
}

typedef struct {
  gboolean done;
  gboolean ok;
  SkSyncSummary summary;
  GError *error;
} ImportResult;

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ImportResult *r = user_data;

  r->ok = sk_csv_channel_import_finish (SK_CSV_CHANNEL (source), result, &r->summary, &r->error);
  r->done = TRUE;
}

static SkSyncSummary
import_text (ImportFixture *f,
             const char    *text,
             gboolean       fixed_utc)
{
  g_autoptr(SkCsvTable) table = parse_text (text, 0);
  g_autoptr(SkCsvMapping) mapping = fixture_mapping (table);
  g_autoptr(SkCsvBatch) batch = NULL;
  ImportResult r = { 0, };

  if (!fixed_utc)
    sk_csv_mapping_set_timezone (mapping, NULL);
  batch = sk_csv_batch_build (table, mapping);
  sk_csv_channel_import_async (SK_CSV_CHANNEL (f->channel),
                               sk_csv_batch_to_page (batch, f->channel_id),
                               NULL, on_imported, &r);
  sk_test_wait_for (&r.done, 20000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  return r.summary;
}

static char *
load_fixture_text (const char *name)
{
  g_autofree char *relative = g_build_filename ("csv", name, NULL);
  g_autoptr(GBytes) bytes = sk_test_load_fixture (relative);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_import_idempotent (ImportFixture *f,
                        gconstpointer  data)
{
  g_autofree char *text = load_fixture_text ("pos-export-en.csv");
  g_autofree char *edited = NULL;
  g_autoptr(SkOrder) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  SkSyncSummary summary;
  gint64 updated_before;

  summary = import_text (f, text, TRUE);
  g_assert_cmpuint (summary.inserted, ==, 4);
  g_assert_cmpuint (summary.updated, ==, 0);
  g_assert_cmpuint (summary.dead_lettered, ==, 3);
  g_assert_cmpint (sk_store_count_orders (f->store, f->channel_id, NULL), ==, 4);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, NULL), ==, 3);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpint (sk_channel_get_last_success (f->channel), >, 0);
  g_assert_cmpint (sk_channel_get_dead_letters (f->channel), ==, 3);

  letters = sk_store_list_dead_letters (f->store, f->channel_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < letters->len; i++)
    {
      SkDeadLetterRecord *letter = g_ptr_array_index (letters, i);

      g_assert_true (g_str_has_prefix (letter->reason, "Line "));
      g_assert_nonnull (strstr (g_bytes_get_data (letter->raw, NULL), "Receipt Number"));
    }

  stored = sk_store_find_order (f->store, f->channel_id, "1002", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sk_order_get_total (stored), ==, 108000);
  g_assert_cmpuint (sk_order_get_lines (stored)->len, ==, 1);
  g_assert_cmpint (((SkOrderLine *) g_ptr_array_index (sk_order_get_lines (stored), 0))->unit_price, ==, 102450);
  g_clear_object (&stored);

  /* The same file again: nothing new, nothing updated, no new letters. */
  summary = import_text (f, text, TRUE);
  g_assert_cmpuint (summary.inserted, ==, 0);
  g_assert_cmpuint (summary.updated, ==, 0);
  g_assert_cmpuint (summary.unchanged, ==, 4);
  g_assert_cmpint (sk_store_count_orders (f->store, f->channel_id, NULL), ==, 4);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, NULL), ==, 3);

  /* Order 1006 was paid meanwhile: one order updated. */
  stored = sk_store_find_order (f->store, f->channel_id, "1006", NULL);
  updated_before = sk_order_get_updated_at (stored);
  g_clear_object (&stored);
  edited = g_strdup (text);
  g_assert_nonnull (strstr (edited, "USD,pending,Austin"));
  /* Same length, so the rest of the file stays as it was; cells are trimmed. */
  memcpy (strstr (edited, "USD,pending,Austin"), "USD,paid   ", 11);
  summary = import_text (f, edited, TRUE);
  g_assert_cmpuint (summary.inserted, ==, 0);
  g_assert_cmpuint (summary.updated, ==, 1);
  g_assert_cmpuint (summary.unchanged, ==, 3);
  stored = sk_store_find_order (f->store, f->channel_id, "1006", NULL);
  g_assert_cmpint (sk_order_get_payment_status (stored), ==, SK_PAYMENT_STATUS_PAID);
  g_assert_cmpint (sk_order_get_updated_at (stored), >, updated_before);

  /* And importing the edited file once more changes nothing. */
  summary = import_text (f, edited, TRUE);
  g_assert_cmpuint (summary.updated, ==, 0);
  g_assert_cmpuint (summary.unchanged, ==, 4);
}

static void
test_import_fixed_bad_row (ImportFixture *f,
                           gconstpointer  data)
{
  g_autofree char *text = load_fixture_text ("pos-export-en.csv");
  g_autofree char *fixed = NULL;
  SkSyncSummary summary;

  summary = import_text (f, text, TRUE);
  g_assert_cmpuint (summary.inserted, ==, 4);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, NULL), ==, 3);

  /* The price of 1004 is fixed in the file: the order imports and its
   * letter is resolved. */
  fixed = g_strdup (text);
  memcpy (strstr (fixed, ",1,abc,"), ",1,9.5,", 7);
  summary = import_text (f, fixed, TRUE);
  g_assert_cmpuint (summary.inserted, ==, 1);
  g_assert_cmpuint (summary.unchanged, ==, 4);
  g_assert_cmpint (sk_store_count_orders (f->store, f->channel_id, NULL), ==, 5);
  g_assert_cmpint (sk_store_count_dead_letters (f->store, f->channel_id, NULL), ==, 2);
}

static void
test_import_without_dates (ImportFixture *f,
                           gconstpointer  data)
{
  static const char text[] = "Receipt;Item;Price;Currency\nR1;Coffee;3,20;EUR\nR2;Tea;2,80;EUR\n";
  g_autoptr(SkOrder) stored = NULL;
  SkSyncSummary summary;
  gint64 created;

  summary = import_text (f, text, FALSE);
  g_assert_cmpuint (summary.inserted, ==, 2);
  stored = sk_store_find_order (f->store, f->channel_id, "R1", NULL);
  created = sk_order_get_created_at (stored);
  g_assert_cmpint (created, >, 0);
  g_assert_cmpint (sk_order_get_total (stored), ==, 320);

  /* Dated at the first import; the second import keeps that date. */
  summary = import_text (f, text, FALSE);
  g_assert_cmpuint (summary.inserted, ==, 0);
  g_assert_cmpuint (summary.updated, ==, 0);
  g_assert_cmpuint (summary.unchanged, ==, 2);
  g_clear_object (&stored);
  stored = sk_store_find_order (f->store, f->channel_id, "R1", NULL);
  g_assert_cmpint (sk_order_get_created_at (stored), ==, created);
}

static void
test_import_german (ImportFixture *f,
                    gconstpointer  data)
{
  g_autofree char *text = load_fixture_text ("pos-export-de.csv");
  g_autoptr(SkOrder) stored = NULL;
  SkSyncSummary summary;

  summary = import_text (f, text, TRUE);
  g_assert_cmpuint (summary.inserted, ==, 8);
  g_assert_cmpuint (summary.dead_lettered, ==, 0);
  stored = sk_store_find_order (f->store, f->channel_id, "B-2026-004", NULL);
  g_assert_cmpint (sk_order_get_total (stored), ==, 99900);
  g_assert_cmpstr (sk_order_get_currency (stored), ==, "EUR");

  summary = import_text (f, text, TRUE);
  g_assert_cmpuint (summary.inserted, ==, 0);
  g_assert_cmpuint (summary.updated, ==, 0);
  g_assert_cmpuint (summary.unchanged, ==, 8);
}

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ImportResult *r = user_data;

  r->ok = sk_channel_sync_finish (SK_CHANNEL (source), result, &r->summary, &r->error);
  r->done = TRUE;
}

static void
test_import_empty_run (ImportFixture *f,
                       gconstpointer  data)
{
  ImportResult r = { 0, };

  /* The channel's own sync, without a file, does nothing and succeeds. */
  g_assert_cmpuint (sk_channel_get_min_interval (f->channel), ==, 0);
  sk_channel_sync_async (f->channel, NULL, on_synced, &r);
  sk_test_wait_for (&r.done, 5000);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (r.summary.inserted, ==, 0);
  g_assert_cmpint (sk_channel_get_state (f->channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (f->channel), ==, 0);
}

/* The sync manager leaves CSV channels alone */

static char *
counting_lookup (const SkChannelRecord *record,
                 gpointer               user_data,
                 GError               **error)
{
  guint *calls = user_data;

  g_atomic_int_inc (calls);
  g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS, "no secret");
  return NULL;
}

static void
on_synced_all (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, NULL));
  *done = TRUE;
}

static void
on_channel_failed (SkSyncManager *manager,
                   SkChannel     *channel,
                   GError        *error,
                   gboolean       needs_user,
                   gpointer       user_data)
{
  g_error ("%s failed: %s", sk_channel_get_name (channel), error->message);
}

static void
test_manager_skips_csv (ImportFixture *f,
                        gconstpointer  data)
{
  g_autoptr(SkSyncManager) manager = sk_sync_manager_new (f->store, f->http);
  guint calls = 0;
  gboolean done = FALSE;
  SkChannel *channel;

  sk_sync_manager_set_secret_lookup (manager, counting_lookup, &calls, NULL);
  g_signal_connect (manager, "channel-failed", G_CALLBACK (on_channel_failed), NULL);
  channel = sk_sync_manager_find_channel (manager, f->channel_id);
  g_assert_true (SK_IS_CSV_CHANNEL (channel));

  sk_sync_manager_start (manager);
  sk_sync_manager_sync_now_async (manager, 0, NULL, on_synced_all, &done);
  sk_test_wait_for (&done, 5000);
  done = FALSE;
  sk_sync_manager_sync_now_async (manager, f->channel_id, NULL, on_synced_all, &done);
  sk_test_wait_for (&done, 5000);

  /* Let any timer that was (wrongly) set at 0 s run. */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (50000);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpuint (g_atomic_int_get (&calls), ==, 0);
  g_assert_cmpint (sk_channel_get_state (channel), ==, SK_CHANNEL_STATE_IDLE);
  g_assert_cmpuint (sk_channel_get_consecutive_failures (channel), ==, 0);
  g_assert_null (sk_channel_get_last_error (channel));
  sk_sync_manager_stop (manager);
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/csv/reader/quotes", test_reader_quotes);
  g_test_add_func ("/csv/reader/embedded-newlines", test_reader_embedded_newlines);
  g_test_add_func ("/csv/reader/bom-crlf", test_reader_bom_crlf);
  g_test_add_func ("/csv/reader/delimiters", test_reader_delimiters);
  g_test_add_func ("/csv/reader/unterminated-quote", test_reader_unterminated);
  g_test_add_func ("/csv/reader/invalid-utf8", test_reader_invalid_utf8);
  g_test_add_func ("/csv/reader/utf16-and-empty", test_reader_utf16_and_empty);
  g_test_add_func ("/csv/mapping/guess-english", test_mapping_guess_english);
  g_test_add_func ("/csv/mapping/guess-german", test_mapping_guess_german);
  g_test_add_func ("/csv/mapping/set-column", test_mapping_set_column);
  g_test_add_func ("/csv/mapping/save-load", test_mapping_save_load);
  g_test_add_func ("/csv/values/money", test_values_money);
  g_test_add_func ("/csv/values/dates", test_values_dates);
  g_test_add_func ("/csv/values/other", test_values_other);
  g_test_add_func ("/csv/build/german-pos", test_build_german);
  g_test_add_func ("/csv/build/errors-with-lines", test_build_errors);
  g_test_add_func ("/csv/build/grouping-and-totals", test_build_grouping_and_totals);
  g_test_add ("/csv/import/idempotent", ImportFixture, NULL,
              import_set_up, test_import_idempotent, import_tear_down);
  g_test_add ("/csv/import/fixed-bad-row", ImportFixture, NULL,
              import_set_up, test_import_fixed_bad_row, import_tear_down);
  g_test_add ("/csv/import/without-dates", ImportFixture, NULL,
              import_set_up, test_import_without_dates, import_tear_down);
  g_test_add ("/csv/import/german", ImportFixture, NULL,
              import_set_up, test_import_german, import_tear_down);
  g_test_add ("/csv/import/empty-run", ImportFixture, NULL,
              import_set_up, test_import_empty_run, import_tear_down);
  g_test_add ("/csv/import/manager-skips-csv", ImportFixture, NULL,
              import_set_up, test_manager_skips_csv, import_tear_down);

  return g_test_run ();
}
