/* sk-csv-mapping.h: which CSV column holds which order field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A mapping says, for one source of CSV files, which column holds each
 * order field and how its values are written (decimal separator, date
 * order, time zone, a fixed currency). It is guessed from the header names
 * (English and German), refined from the data (decimal comma, day-first
 * dates), edited by people, and saved per source as JSON in the channel
 * record's settings under "csv", with columns named by their header so a
 * later file with its columns in another order still maps.
 *
 * One row is one line item; rows with the same order id are one order.
 * Order fields (totals, customer, statuses …) may be repeated on every row
 * of an order or given on its first row only.
 *
 * The value readers below are what the import uses for each field; money
 * never goes through double.
 */
#pragma once

#include <gio/gio.h>

#include "sk-csv-reader.h"
#include "sk-types.h"

G_BEGIN_DECLS

typedef enum {
  SK_CSV_FIELD_IGNORE,          /* the column is not imported */
  SK_CSV_FIELD_ORDER_ID,        /* required: groups rows, keys the import */
  SK_CSV_FIELD_NUMBER,          /* shown to people; the id when absent */
  SK_CSV_FIELD_DATE,            /* date, or date and time */
  SK_CSV_FIELD_TIME,            /* time of day, when in its own column */
  SK_CSV_FIELD_CUSTOMER_NAME,
  SK_CSV_FIELD_EMAIL,
  SK_CSV_FIELD_PHONE,
  SK_CSV_FIELD_CURRENCY,
  SK_CSV_FIELD_SKU,
  SK_CSV_FIELD_TITLE,
  SK_CSV_FIELD_QUANTITY,
  SK_CSV_FIELD_UNIT_PRICE,
  SK_CSV_FIELD_LINE_TOTAL,      /* the line after its discount; gives the unit price when that is missing */
  SK_CSV_FIELD_LINE_DISCOUNT,
  SK_CSV_FIELD_LINE_TAX,
  SK_CSV_FIELD_SUBTOTAL,
  SK_CSV_FIELD_SHIPPING,
  SK_CSV_FIELD_TAX,             /* the order's tax */
  SK_CSV_FIELD_DISCOUNT,        /* the order's discount, besides line discounts */
  SK_CSV_FIELD_TOTAL,
  SK_CSV_FIELD_ORDER_STATUS,
  SK_CSV_FIELD_PAYMENT_STATUS,
  SK_CSV_FIELD_FULFILLMENT_STATUS,
  SK_CSV_FIELD_NOTE,
  SK_CSV_FIELD_SHIP_NAME,
  SK_CSV_FIELD_SHIP_ADDRESS1,
  SK_CSV_FIELD_SHIP_ADDRESS2,
  SK_CSV_FIELD_SHIP_POSTCODE,
  SK_CSV_FIELD_SHIP_CITY,
  SK_CSV_FIELD_SHIP_REGION,
  SK_CSV_FIELD_SHIP_COUNTRY,
  SK_CSV_N_FIELDS
} SkCsvField;

typedef enum {
  SK_CSV_DATE_DAY_FIRST,        /* 21/11/2026 */
  SK_CSV_DATE_MONTH_FIRST,      /* 11/21/2026 */
} SkCsvDateOrder;

typedef struct {
  int             columns[SK_CSV_N_FIELDS];  /* column of each field, -1: not in the file */
  char            delimiter;     /* ',', ';', '\t'; 0: sniffed from each file */
  char            decimal;       /* '.' or ',' */
  SkCsvDateOrder  date_order;    /* for d/m/y or m/d/y dates; d.m.y is always day first */
  char            currency[4];   /* for rows without a currency; "" when none */
  char           *timezone;      /* IANA id of times without an offset; NULL: this computer's */
  gboolean        tax_included;  /* prices include tax: a computed total does not add it */
  gboolean        paid_at_sale;  /* no status columns: counter sales, paid and handed over */
} SkCsvMapping;

/* Fields */
const char     *sk_csv_field_get_key          (SkCsvField field);   /* "order_id" */
SkCsvField      sk_csv_field_from_key         (const char *key);    /* IGNORE when unknown */
const char     *sk_csv_field_get_label        (SkCsvField field);   /* translated: "Order ID" */
/* TRUE for fields of the order (repeated on its rows), FALSE for line fields. */
gboolean        sk_csv_field_is_order_level   (SkCsvField field);

/* Mappings */
SkCsvMapping   *sk_csv_mapping_new            (void);
SkCsvMapping   *sk_csv_mapping_copy           (const SkCsvMapping *mapping);
void            sk_csv_mapping_free           (SkCsvMapping       *mapping);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkCsvMapping, sk_csv_mapping_free)

/* Guess the columns from the header names of @table, and the decimal
 * separator, date order and currency from its first rows. */
SkCsvMapping   *sk_csv_mapping_guess          (const SkCsvTable   *table);
/* Only the columns, from header names alone (a -1 per field not found). */
void            sk_csv_mapping_guess_columns  (SkCsvMapping       *mapping,
                                               const char * const *header,
                                               guint               n_columns);

/* Put @field in @column (-1: nowhere). A field already in @column moves
 * out of it, so a column holds one field at most. */
void            sk_csv_mapping_set_column     (SkCsvMapping       *mapping,
                                               SkCsvField          field,
                                               int                 column);
int             sk_csv_mapping_get_column     (const SkCsvMapping *mapping,
                                               SkCsvField          field);
/* The field in @column, or IGNORE. */
SkCsvField      sk_csv_mapping_get_field      (const SkCsvMapping *mapping,
                                               int                 column);
void            sk_csv_mapping_set_currency   (SkCsvMapping       *mapping,
                                               const char         *code);
void            sk_csv_mapping_set_timezone   (SkCsvMapping       *mapping,
                                               const char         *identifier);
/* The order id column is mapped, a currency is known, some amount is
 * mapped; otherwise a sentence that says what to choose. */
gboolean        sk_csv_mapping_validate       (const SkCsvMapping *mapping,
                                               GError            **error);

/* The mapping saved in @settings (a channel record's settings JSON) applied
 * to @table: options as saved, columns found by their header name, fields
 * whose column is not in this file guessed. Without a saved mapping, the
 * guess. NULL and an error only when @settings is not a JSON object. */
SkCsvMapping   *sk_csv_mapping_load           (const char         *settings,
                                               const SkCsvTable   *table,
                                               GError            **error);
/* TRUE when @settings holds a saved CSV mapping. */
gboolean        sk_csv_mapping_is_saved       (const char         *settings);
/* @settings with the "csv" member replaced by @mapping (other members
 * kept); columns written by their names in @table. Free with g_free(). */
char           *sk_csv_mapping_save           (const SkCsvMapping *mapping,
                                               const SkCsvTable   *table,
                                               const char         *settings);

/* Value readers. Each fails with SK_CORE_ERROR and a sentence about the
 * value (without the column), for the import to prefix. */

/* "1.234,50", "€ 12,50", "-3.45", "12.50 EUR" → minor units of @currency.
 * @round rounds extra decimals half to even (unit prices), otherwise they
 * are an error. */
gboolean        sk_csv_parse_money            (const char         *text,
                                               const char         *currency,
                                               char                decimal,
                                               gboolean            round,
                                               gint64             *out_minor,
                                               GError            **error);
/* "2", "2.0", "-1" → whole items. */
gboolean        sk_csv_parse_quantity         (const char         *text,
                                               char                decimal,
                                               gint64             *out_quantity,
                                               GError            **error);
/* ISO 8601 ("2026-11-21T14:03:00+01:00", "2026-11-21 14:03",
 * "2026-11-21"), "21/11/2026 14:03" or "11/21/2026 2:03 PM" by @order,
 * "21.11.2026 14:03"; @time_text, when not NULL or empty, is the time of
 * day from its own column. Times without an offset are in @tz (NULL: UTC). */
gboolean        sk_csv_parse_datetime         (const char         *date_text,
                                               const char         *time_text,
                                               SkCsvDateOrder      order,
                                               GTimeZone          *tz,
                                               gint64             *out_unix,
                                               GError            **error);
/* "eur", "€", "EUR" → "EUR" in @out; FALSE for anything else. */
gboolean        sk_csv_parse_currency         (const char         *text,
                                               char                out[4],
                                               GError            **error);
/* English and German status words; UNKNOWN for others (not an error). */
SkOrderStatus        sk_csv_parse_order_status       (const char *text);
SkPaymentStatus      sk_csv_parse_payment_status     (const char *text);
SkFulfillmentStatus  sk_csv_parse_fulfillment_status (const char *text);
/* "DE", "de", "Germany", "Deutschland", "DEU" → "DE"; NULL when unknown. */
const char     *sk_csv_country_code           (const char         *text);

/* "Bestell-Nr." → "bestellnr": lower case, umlauts spelled out, letters
 * and digits only. Free with g_free(). */
char           *sk_csv_normalize_header       (const char         *name);

G_END_DECLS
