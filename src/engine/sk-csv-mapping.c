/* sk-csv-mapping.c: which CSV column holds which order field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header names are compared after normalization ("Bestell-Nr." and
 * "bestellnr" are the same), first exactly, then as a prefix ("Preis
 * (brutto)" is a price) for fields still without a column. Each field
 * lists its names best first; fields are placed in the order of the enum,
 * so the order id takes "Bestellnummer" only when no id column exists, and
 * the number takes it otherwise.
 */
#define G_LOG_DOMAIN "sk-csv"

#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-csv-mapping.h"
#include "sk-error.h"
#include "sk-money.h"

#define SETTINGS_MEMBER "csv"
#define MAPPING_VERSION 1
/* Rows looked at to guess the decimal separator and the date order. */
#define GUESS_ROWS 200
/* A prefix shorter than this is too vague to match ("tax" in "taxable"). */
#define MIN_PREFIX 4

typedef struct {
  const char         *key;
  const char         *label;
  gboolean            order_level;
  const char * const *names;
} FieldInfo;

#define NAMES(...) (const char * const []) { __VA_ARGS__, NULL }

static const FieldInfo fields[SK_CSV_N_FIELDS] = {
  [SK_CSV_FIELD_IGNORE] = { "ignore", N_("Ignore"), FALSE, NAMES ("") },
  [SK_CSV_FIELD_ORDER_ID] = { "order_id", N_("Order ID"), TRUE,
    NAMES ("orderid", "bestellid", "auftragsid", "transactionid", "transaktionsid",
           "receiptid", "belegid", "bonid", "saleid", "id", "ordernumber", "ordernr",
           "orderno", "order", "bestellnummer", "bestellnr", "bestellung",
           "auftragsnummer", "auftragsnr", "auftrag", "belegnummer", "belegnr", "beleg",
           "bonnummer", "bonnr", "bon", "receiptnumber", "receiptno", "receipt",
           "salenumber", "transaction", "transaktion", "vorgangsnummer", "vorgang",
           "ticketnumber", "ticket", "invoicenumber", "rechnungsnummer", "rechnungsnr") },
  [SK_CSV_FIELD_NUMBER] = { "number", N_("Order Number"), TRUE,
    NAMES ("ordernumber", "ordernr", "orderno", "ordername", "bestellnummer", "bestellnr",
           "auftragsnummer", "auftragsnr", "belegnummer", "belegnr", "bonnummer", "bonnr",
           "receiptnumber", "receiptno", "invoicenumber", "rechnungsnummer", "number",
           "nummer", "nr", "no") },
  [SK_CSV_FIELD_DATE] = { "date", N_("Date"), TRUE,
    NAMES ("date", "orderdate", "createdat", "created", "datetime", "timestamp", "paidat",
           "processedat", "saledate", "transactiondate", "receiptdate", "datum",
           "bestelldatum", "auftragsdatum", "belegdatum", "verkaufsdatum", "rechnungsdatum",
           "zeitpunkt", "zeitstempel", "buchungsdatum", "datumuhrzeit") },
  [SK_CSV_FIELD_TIME] = { "time", N_("Time"), TRUE,
    NAMES ("time", "ordertime", "saletime", "uhrzeit", "zeit", "belegzeit") },
  [SK_CSV_FIELD_CUSTOMER_NAME] = { "customer_name", N_("Customer Name"), TRUE,
    NAMES ("customer", "customername", "billingname", "buyer", "buyername", "client",
           "clientname", "fullname", "kunde", "kundenname", "kaeufer", "kaeufername",
           "rechnungsname", "auftraggeber") },
  [SK_CSV_FIELD_EMAIL] = { "email", N_("Email"), TRUE,
    NAMES ("email", "emailaddress", "mail", "customeremail", "buyeremail", "emailadresse",
           "kundenemail") },
  [SK_CSV_FIELD_PHONE] = { "phone", N_("Phone"), TRUE,
    NAMES ("phone", "phonenumber", "telephone", "billingphone", "mobile", "telefon",
           "telefonnummer", "tel", "handy", "mobil") },
  [SK_CSV_FIELD_CURRENCY] = { "currency", N_("Currency"), TRUE,
    NAMES ("currency", "currencycode", "waehrung", "waehrungscode", "cur", "curr", "ccy") },
  [SK_CSV_FIELD_SKU] = { "sku", N_("Item SKU"), FALSE,
    NAMES ("sku", "lineitemsku", "itemsku", "productsku", "variantsku", "artikelnummer",
           "artikelnr", "artnr", "articlenumber", "itemnumber", "itemcode", "productcode",
           "productnumber", "produktnummer", "code", "plu", "ean", "gtin", "barcode") },
  [SK_CSV_FIELD_TITLE] = { "title", N_("Item Title"), FALSE,
    NAMES ("title", "lineitemname", "itemname", "item", "product", "productname",
           "producttitle", "description", "artikel", "artikelname", "artikelbezeichnung",
           "bezeichnung", "produkt", "produktname", "beschreibung",
           "positionsbezeichnung", "ware") },
  [SK_CSV_FIELD_QUANTITY] = { "quantity", N_("Quantity"), FALSE,
    NAMES ("quantity", "qty", "lineitemquantity", "units", "menge", "anzahl", "stueck",
           "stk", "stueckzahl") },
  [SK_CSV_FIELD_UNIT_PRICE] = { "unit_price", N_("Unit Price"), FALSE,
    NAMES ("unitprice", "price", "lineitemprice", "itemprice", "priceeach", "unitamount",
           "preis", "einzelpreis", "stueckpreis", "vkpreis", "verkaufspreis", "epreis") },
  [SK_CSV_FIELD_LINE_TOTAL] = { "line_total", N_("Line Total"), FALSE,
    NAMES ("linetotal", "lineitemtotal", "itemtotal", "lineamount", "linesubtotal",
           "gesamtpreis", "positionssumme", "zeilensumme", "positionsbetrag",
           "positionsgesamt", "summeposition") },
  [SK_CSV_FIELD_LINE_DISCOUNT] = { "line_discount", N_("Line Discount"), FALSE,
    NAMES ("linediscount", "lineitemdiscount", "itemdiscount", "positionsrabatt",
           "artikelrabatt", "rabattposition") },
  [SK_CSV_FIELD_LINE_TAX] = { "line_tax", N_("Line Tax"), FALSE,
    NAMES ("linetax", "lineitemtax", "itemtax", "positionssteuer", "positionsmwst",
           "artikelsteuer") },
  [SK_CSV_FIELD_SUBTOTAL] = { "subtotal", N_("Subtotal"), TRUE,
    NAMES ("subtotal", "subtotalprice", "merchandisetotal", "zwischensumme", "warenwert") },
  [SK_CSV_FIELD_SHIPPING] = { "shipping", N_("Shipping"), TRUE,
    NAMES ("shipping", "shippingcost", "shippingcosts", "shippingprice", "shippingamount",
           "shippingfee", "delivery", "deliveryfee", "versand", "versandkosten", "porto",
           "lieferkosten", "frachtkosten") },
  [SK_CSV_FIELD_TAX] = { "tax", N_("Tax"), TRUE,
    NAMES ("tax", "taxes", "totaltax", "taxamount", "vat", "vatamount", "salestax", "mwst",
           "mwstbetrag", "ust", "ustbetrag", "steuer", "steuerbetrag", "mehrwertsteuer",
           "umsatzsteuer") },
  [SK_CSV_FIELD_DISCOUNT] = { "discount", N_("Order Discount"), TRUE,
    NAMES ("discount", "discounts", "discountamount", "totaldiscount", "totaldiscounts",
           "rabatt", "rabattbetrag", "nachlass", "preisnachlass", "ermaessigung") },
  [SK_CSV_FIELD_TOTAL] = { "total", N_("Order Total"), TRUE,
    NAMES ("total", "ordertotal", "totalprice", "totalamount", "grandtotal", "amountpaid",
           "gesamt", "gesamtbetrag", "gesamtsumme", "summe", "endbetrag", "bruttobetrag",
           "rechnungsbetrag", "bonsumme", "belegsumme", "rechnungssumme", "betrag", "amount",
           "umsatz", "brutto") },
  [SK_CSV_FIELD_ORDER_STATUS] = { "order_status", N_("Order Status"), TRUE,
    NAMES ("status", "orderstatus", "bestellstatus", "auftragsstatus") },
  [SK_CSV_FIELD_PAYMENT_STATUS] = { "payment_status", N_("Payment Status"), TRUE,
    NAMES ("paymentstatus", "financialstatus", "paid", "zahlungsstatus", "bezahlstatus",
           "bezahlt", "zahlstatus") },
  [SK_CSV_FIELD_FULFILLMENT_STATUS] = { "fulfillment_status", N_("Fulfillment Status"), TRUE,
    NAMES ("fulfillmentstatus", "shippingstatus", "deliverystatus", "versandstatus",
           "lieferstatus") },
  [SK_CSV_FIELD_NOTE] = { "note", N_("Note"), TRUE,
    NAMES ("note", "notes", "comment", "comments", "remark", "remarks", "notiz", "notizen",
           "bemerkung", "bemerkungen", "kommentar", "anmerkung", "hinweis") },
  [SK_CSV_FIELD_SHIP_NAME] = { "ship_name", N_("Ship To: Name"), TRUE,
    NAMES ("shippingname", "shiptoname", "recipient", "recipientname", "empfaenger",
           "lieferadressename", "lieferempfaenger") },
  [SK_CSV_FIELD_SHIP_ADDRESS1] = { "ship_address1", N_("Ship To: Street"), TRUE,
    NAMES ("shippingaddress1", "shippingstreet", "shippingaddress", "shiptostreet",
           "shiptoaddress", "shiptoaddress1", "shipaddress",
           "address", "address1", "addressline1", "street", "strasse", "strassehausnummer",
           "adresse", "anschrift", "lieferadresse", "lieferstrasse") },
  [SK_CSV_FIELD_SHIP_ADDRESS2] = { "ship_address2", N_("Ship To: Address Line 2"), TRUE,
    NAMES ("shippingaddress2", "shiptoaddress2", "address2", "addressline2", "adresszusatz", "zusatz") },
  [SK_CSV_FIELD_SHIP_POSTCODE] = { "ship_postcode", N_("Ship To: Postcode"), TRUE,
    NAMES ("shippingzip", "shippingpostcode", "shippingpostalcode", "shiptozip",
           "shiptopostcode", "shiptopostalcode", "zip", "zipcode",
           "postcode", "postalcode", "plz", "postleitzahl", "lieferplz") },
  [SK_CSV_FIELD_SHIP_CITY] = { "ship_city", N_("Ship To: City"), TRUE,
    NAMES ("shippingcity", "shiptocity", "city", "town", "stadt", "ort", "wohnort", "lieferort") },
  [SK_CSV_FIELD_SHIP_REGION] = { "ship_region", N_("Ship To: Region"), TRUE,
    NAMES ("shippingprovince", "shippingstate", "shippingregion", "shiptostate",
           "shiptoregion", "province", "state",
           "region", "county", "bundesland", "provinz", "kanton") },
  [SK_CSV_FIELD_SHIP_COUNTRY] = { "ship_country", N_("Ship To: Country"), TRUE,
    NAMES ("shippingcountry", "shippingcountrycode", "shiptocountry", "country", "countrycode", "land",
           "lieferland", "laenderkennzeichen", "laendercode") },
};

/* Columns that look like a field by name but hold something else (a tax
 * rate is not a tax amount, a payment method is not a status): never
 * guessed as anything. */
static const char * const not_fields[] = {
  "taxrate", "vatrate", "taxpercent", "mwstsatz", "ustsatz", "steuersatz", "mwstprozent",
  "shippingmethod", "shippingline", "versandart", "paymentmethod", "zahlungsart",
  "zahlungsmethode", "cashier", "kassierer", "kasse", "register", "currencysymbol",
  "discountcode", "couponcode", "voucher", "vouchercode", "rabattcode", "gutscheincode",
  "taxname", "tax1name", "tax2name", NULL
};

static const SkCsvField money_fields[] = {
  SK_CSV_FIELD_UNIT_PRICE, SK_CSV_FIELD_LINE_TOTAL, SK_CSV_FIELD_LINE_DISCOUNT,
  SK_CSV_FIELD_LINE_TAX, SK_CSV_FIELD_SUBTOTAL, SK_CSV_FIELD_SHIPPING, SK_CSV_FIELD_TAX,
  SK_CSV_FIELD_DISCOUNT, SK_CSV_FIELD_TOTAL,
};

/* Fields */

const char *
sk_csv_field_get_key (SkCsvField field)
{
  g_return_val_if_fail (field < SK_CSV_N_FIELDS, NULL);

  return fields[field].key;
}

SkCsvField
sk_csv_field_from_key (const char *key)
{
  for (guint f = 0; f < SK_CSV_N_FIELDS; f++)
    if (g_strcmp0 (fields[f].key, key) == 0)
      return f;
  return SK_CSV_FIELD_IGNORE;
}

const char *
sk_csv_field_get_label (SkCsvField field)
{
  g_return_val_if_fail (field < SK_CSV_N_FIELDS, NULL);

  return _(fields[field].label);
}

gboolean
sk_csv_field_is_order_level (SkCsvField field)
{
  g_return_val_if_fail (field < SK_CSV_N_FIELDS, FALSE);

  return fields[field].order_level;
}

/* Header names */

char *
sk_csv_normalize_header (const char *name)
{
  g_autofree char *lower = NULL;
  g_autofree char *ascii = NULL;
  g_autoptr(GString) spelled = NULL;
  GString *out;

  g_return_val_if_fail (name != NULL, NULL);

  lower = g_utf8_strdown (name, -1);
  spelled = g_string_new (NULL);
  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case 0x00E4: g_string_append (spelled, "ae"); break;  /* ä */
        case 0x00F6: g_string_append (spelled, "oe"); break;  /* ö */
        case 0x00FC: g_string_append (spelled, "ue"); break;  /* ü */
        case 0x00DF: g_string_append (spelled, "ss"); break;  /* ß */
        case '#': g_string_append (spelled, "nr"); break;
        default: g_string_append_unichar (spelled, c);
        }
    }

  ascii = g_str_to_ascii (spelled->str, "C");
  out = g_string_new (NULL);
  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, g_ascii_tolower (*p));

  return g_string_free (out, FALSE);
}

/* Mappings */

SkCsvMapping *
sk_csv_mapping_new (void)
{
  SkCsvMapping *mapping = g_new0 (SkCsvMapping, 1);

  for (guint f = 0; f < SK_CSV_N_FIELDS; f++)
    mapping->columns[f] = -1;
  mapping->decimal = '.';
  mapping->date_order = SK_CSV_DATE_DAY_FIRST;
  return mapping;
}

SkCsvMapping *
sk_csv_mapping_copy (const SkCsvMapping *mapping)
{
  SkCsvMapping *copy;

  g_return_val_if_fail (mapping != NULL, NULL);

  copy = g_memdup2 (mapping, sizeof *mapping);
  copy->timezone = g_strdup (mapping->timezone);
  return copy;
}

void
sk_csv_mapping_free (SkCsvMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_free (mapping->timezone);
  g_free (mapping);
}

void
sk_csv_mapping_set_column (SkCsvMapping *mapping,
                           SkCsvField    field,
                           int           column)
{
  g_return_if_fail (mapping != NULL);
  g_return_if_fail (field < SK_CSV_N_FIELDS);

  if (field == SK_CSV_FIELD_IGNORE)
    {
      /* "Ignore" for a column: take whatever field was there out of it. */
      for (guint f = 1; f < SK_CSV_N_FIELDS; f++)
        if (mapping->columns[f] == column)
          mapping->columns[f] = -1;
      return;
    }

  if (column >= 0)
    for (guint f = 1; f < SK_CSV_N_FIELDS; f++)
      if (mapping->columns[f] == column)
        mapping->columns[f] = -1;
  mapping->columns[field] = MAX (column, -1);
}

int
sk_csv_mapping_get_column (const SkCsvMapping *mapping,
                           SkCsvField          field)
{
  g_return_val_if_fail (mapping != NULL, -1);
  g_return_val_if_fail (field < SK_CSV_N_FIELDS, -1);

  return field == SK_CSV_FIELD_IGNORE ? -1 : mapping->columns[field];
}

SkCsvField
sk_csv_mapping_get_field (const SkCsvMapping *mapping,
                          int                 column)
{
  g_return_val_if_fail (mapping != NULL, SK_CSV_FIELD_IGNORE);

  if (column < 0)
    return SK_CSV_FIELD_IGNORE;
  for (guint f = 1; f < SK_CSV_N_FIELDS; f++)
    if (mapping->columns[f] == column)
      return f;
  return SK_CSV_FIELD_IGNORE;
}

void
sk_csv_mapping_set_currency (SkCsvMapping *mapping,
                             const char   *code)
{
  g_return_if_fail (mapping != NULL);

  memset (mapping->currency, 0, sizeof mapping->currency);
  if (code != NULL && strlen (code) == 3)
    for (guint i = 0; i < 3; i++)
      mapping->currency[i] = g_ascii_toupper (code[i]);
}

void
sk_csv_mapping_set_timezone (SkCsvMapping *mapping,
                             const char   *identifier)
{
  g_return_if_fail (mapping != NULL);

  g_free (mapping->timezone);
  mapping->timezone = (identifier != NULL && *identifier != '\0') ? g_strdup (identifier) : NULL;
}

gboolean
sk_csv_mapping_validate (const SkCsvMapping *mapping,
                         GError            **error)
{
  gboolean have_amount = FALSE;

  g_return_val_if_fail (mapping != NULL, FALSE);

  if (mapping->columns[SK_CSV_FIELD_ORDER_ID] < 0)
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                           _("No column holds the order ID. Choose “Order ID” for the column that names each order (a receipt or order number will do)."));
      return FALSE;
    }
  if (mapping->columns[SK_CSV_FIELD_CURRENCY] < 0 && !sk_currency_is_valid (mapping->currency))
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY,
                           _("The file has no currency column. Enter the currency of its amounts, like EUR or USD."));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (money_fields); i++)
    have_amount |= mapping->columns[money_fields[i]] >= 0;
  if (!have_amount)
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                           _("No column holds an amount. Choose “Order Total” or “Unit Price” for the column with the prices."));
      return FALSE;
    }
  return TRUE;
}

/* Guessing */

static int
find_column (char      **normalized,
             guint       n_columns,
             const int  *taken,
             const char *name,
             gboolean    prefix)
{
  gsize len = strlen (name);

  if (prefix && len < MIN_PREFIX)
    return -1;
  for (guint c = 0; c < n_columns; c++)
    {
      if (taken[c])
        continue;
      if (prefix ? g_str_has_prefix (normalized[c], name) : g_str_equal (normalized[c], name))
        return (int) c;
    }
  return -1;
}

void
sk_csv_mapping_guess_columns (SkCsvMapping       *mapping,
                              const char * const *header,
                              guint               n_columns)
{
  g_auto(GStrv) normalized = NULL;
  g_autofree int *taken = NULL;

  g_return_if_fail (mapping != NULL);
  g_return_if_fail (header != NULL || n_columns == 0);

  normalized = g_new0 (char *, n_columns + 1);
  taken = g_new0 (int, MAX (n_columns, 1));
  for (guint c = 0; c < n_columns; c++)
    {
      normalized[c] = sk_csv_normalize_header (header[c]);
      taken[c] = g_strv_contains (not_fields, normalized[c]);
    }

  for (guint f = 1; f < SK_CSV_N_FIELDS; f++)
    mapping->columns[f] = -1;

  for (int pass = 0; pass < 2; pass++)
    for (guint f = 1; f < SK_CSV_N_FIELDS; f++)
      {
        if (mapping->columns[f] >= 0)
          continue;
        for (guint n = 0; fields[f].names[n] != NULL; n++)
          {
            int column = find_column (normalized, n_columns, taken, fields[f].names[n], pass == 1);

            if (column >= 0)
              {
                mapping->columns[f] = column;
                taken[column] = TRUE;
                break;
              }
          }
      }
}

/* "12,50" and "1.234,5" write a decimal comma; "1,234" says nothing. */
static void
vote_decimal (const char *value,
              guint      *comma,
              guint      *point)
{
  const char *last_sep = NULL;
  gsize digits_after = 0;

  for (const char *p = value; *p != '\0'; p++)
    if (*p == ',' || *p == '.')
      last_sep = p;
  if (last_sep == NULL)
    return;
  for (const char *p = last_sep + 1; g_ascii_isdigit (*p); p++)
    digits_after++;
  if (digits_after == 0 || digits_after == 3)
    return;
  if (*last_sep == ',')
    (*comma)++;
  else
    (*point)++;
}

/* "21/11/2026": the day comes first; "11/21/2026": the month does. */
static void
vote_date_order (const char *value,
                 guint      *day_first,
                 guint      *month_first)
{
  guint64 a, b;
  char *end;

  while (g_ascii_isspace (*value))
    value++;
  if (!g_ascii_isdigit (*value))
    return;
  a = g_ascii_strtoull (value, &end, 10);
  if (end - value <= 2 && *end == '.')
    {
      /* 21.11.2026 is always day first. */
      (*day_first)++;
      return;
    }
  if (end - value > 2 || (*end != '/' && *end != '-'))
    return;
  value = end + 1;
  b = g_ascii_strtoull (value, &end, 10);
  if (end == value || end - value > 2)
    return;
  if (a > 12 && b <= 12)
    (*day_first)++;
  else if (b > 12 && a <= 12)
    (*month_first)++;
}

static SkCsvDateOrder
locale_date_order (void)
{
  const char *format = nl_langinfo (D_FMT);

  return (format != NULL && g_str_has_prefix (format, "%m")) ? SK_CSV_DATE_MONTH_FIRST
                                                             : SK_CSV_DATE_DAY_FIRST;
}

static void
locale_currency (char out[4])
{
  const struct lconv *conv = localeconv ();
  const char *symbol = conv != NULL ? conv->int_curr_symbol : NULL;
  char code[4] = { 0, };

  memset (out, 0, 4);
  if (symbol == NULL || strlen (symbol) < 3)
    return;
  memcpy (code, symbol, 3);
  if (sk_currency_is_valid (code))
    memcpy (out, code, 4);
}

static void
guess_options (SkCsvMapping     *mapping,
               const SkCsvTable *table)
{
  guint comma = 0, point = 0, day_first = 0, month_first = 0, euro = 0, pound = 0;
  guint n_rows = MIN (table->records->len, GUESS_ROWS);
  int date_column = mapping->columns[SK_CSV_FIELD_DATE];

  for (guint r = 0; r < n_rows; r++)
    {
      SkCsvRecord *record = g_ptr_array_index (table->records, r);

      for (guint i = 0; i < G_N_ELEMENTS (money_fields); i++)
        {
          const char *value = sk_csv_record_get (record, mapping->columns[money_fields[i]]);

          vote_decimal (value, &comma, &point);
          euro += strstr (value, "€") != NULL;
          pound += strstr (value, "£") != NULL;
        }
      if (date_column >= 0)
        vote_date_order (sk_csv_record_get (record, date_column), &day_first, &month_first);
    }

  if (comma != point)
    mapping->decimal = comma > point ? ',' : '.';
  else
    mapping->decimal = table->delimiter == ';' ? ',' : '.';

  if (day_first != month_first)
    mapping->date_order = day_first > month_first ? SK_CSV_DATE_DAY_FIRST : SK_CSV_DATE_MONTH_FIRST;
  else
    mapping->date_order = locale_date_order ();

  if (euro > 0 && euro >= pound)
    sk_csv_mapping_set_currency (mapping, "EUR");
  else if (pound > 0)
    sk_csv_mapping_set_currency (mapping, "GBP");
  else
    locale_currency (mapping->currency);
}

SkCsvMapping *
sk_csv_mapping_guess (const SkCsvTable *table)
{
  SkCsvMapping *mapping;

  g_return_val_if_fail (table != NULL, NULL);

  mapping = sk_csv_mapping_new ();
  sk_csv_mapping_guess_columns (mapping, (const char * const *) table->header, table->n_columns);
  guess_options (mapping, table);
  return mapping;
}

/* Saving and loading */

static JsonObject *
parse_settings (const char  *settings,
                JsonNode   **out_root,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  *out_root = NULL;
  if (settings == NULL || *settings == '\0')
    settings = "{}";
  if (!json_parser_load_from_data (parser, settings, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                           _("The saved settings of this source are damaged. Choose the columns again; saving the import replaces them."));
      return NULL;
    }
  *out_root = json_node_copy (root);
  return json_node_get_object (*out_root);
}

static JsonObject *
get_csv_member (JsonObject *settings)
{
  JsonNode *node = json_object_get_member (settings, SETTINGS_MEMBER);

  return (node != NULL && JSON_NODE_HOLDS_OBJECT (node)) ? json_node_get_object (node) : NULL;
}

gboolean
sk_csv_mapping_is_saved (const char *settings)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_settings (settings, &root, NULL);

  return object != NULL && get_csv_member (object) != NULL;
}

static int
column_named (const SkCsvTable *table,
              const char       *name)
{
  if (name == NULL)
    return -1;
  for (guint c = 0; c < table->n_columns; c++)
    if (g_str_equal (table->header[c], name))
      return (int) c;
  return -1;
}

static const char *
get_string (JsonObject *object,
            const char *name,
            const char *fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

static gboolean
get_boolean (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static void
load_options (SkCsvMapping *mapping,
              JsonObject   *csv)
{
  const char *text;

  text = get_string (csv, "delimiter", "");
  if (g_str_equal (text, ",") || g_str_equal (text, ";") || g_str_equal (text, "\t"))
    mapping->delimiter = text[0];
  text = get_string (csv, "decimal", ".");
  mapping->decimal = g_str_equal (text, ",") ? ',' : '.';
  text = get_string (csv, "date_order", "dmy");
  mapping->date_order = g_str_equal (text, "mdy") ? SK_CSV_DATE_MONTH_FIRST : SK_CSV_DATE_DAY_FIRST;
  text = get_string (csv, "currency", "");
  sk_csv_mapping_set_currency (mapping, sk_currency_is_valid (text) ? text : NULL);
  sk_csv_mapping_set_timezone (mapping, get_string (csv, "timezone", NULL));
  mapping->tax_included = get_boolean (csv, "tax_included");
  mapping->paid_at_sale = get_boolean (csv, "paid_at_sale");
}

SkCsvMapping *
sk_csv_mapping_load (const char        *settings,
                     const SkCsvTable  *table,
                     GError           **error)
{
  g_autoptr(SkCsvMapping) mapping = NULL;
  g_autoptr(SkCsvMapping) guess = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree int *taken = NULL;
  JsonObject *object;
  JsonObject *csv;
  JsonObject *columns = NULL;

  g_return_val_if_fail (table != NULL, NULL);

  object = parse_settings (settings, &root, error);
  if (object == NULL)
    return NULL;

  guess = sk_csv_mapping_guess (table);
  csv = get_csv_member (object);
  if (csv == NULL)
    return g_steal_pointer (&guess);

  mapping = sk_csv_mapping_new ();
  load_options (mapping, csv);
  if (json_object_has_member (csv, "columns") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (csv, "columns")))
    columns = json_object_get_object_member (csv, "columns");

  /* Saved names first; a field whose column is not in this file, and was
   * not saved as absent, takes the guess if that column is still free. */
  taken = g_new0 (int, MAX (table->n_columns, 1));
  for (guint f = 1; f < SK_CSV_N_FIELDS; f++)
    {
      JsonNode *node = columns != NULL ? json_object_get_member (columns, fields[f].key) : NULL;
      int column;

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      column = column_named (table, json_node_get_string (node));
      if (column >= 0 && !taken[column])
        {
          mapping->columns[f] = column;
          taken[column] = TRUE;
        }
    }
  for (guint f = 1; f < SK_CSV_N_FIELDS; f++)
    {
      int column = guess->columns[f];
      JsonNode *node = columns != NULL ? json_object_get_member (columns, fields[f].key) : NULL;

      if (mapping->columns[f] >= 0 || column < 0 || taken[column])
        continue;
      /* null: the user said this field is not in these files. */
      if (node != NULL && JSON_NODE_HOLDS_NULL (node))
        continue;
      mapping->columns[f] = column;
      taken[column] = TRUE;
    }

  return g_steal_pointer (&mapping);
}

char *
sk_csv_mapping_save (const SkCsvMapping *mapping,
                     const SkCsvTable   *table,
                     const char         *settings)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  JsonObject *object;
  JsonObject *csv;
  JsonObject *columns;
  const char *date_order;
  char delimiter[2] = { 0, };
  char decimal[2] = { 0, };

  g_return_val_if_fail (mapping != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);

  object = parse_settings (settings, &root, NULL);
  if (object == NULL)
    {
      /* Damaged settings are replaced, as the load said they would be. */
      root = json_node_init_object (json_node_alloc (), json_object_new ());
      object = json_node_get_object (root);
    }

  csv = json_object_new ();
  json_object_set_int_member (csv, "version", MAPPING_VERSION);
  delimiter[0] = mapping->delimiter;
  if (mapping->delimiter != 0)
    json_object_set_string_member (csv, "delimiter", delimiter);
  decimal[0] = mapping->decimal;
  json_object_set_string_member (csv, "decimal", decimal);
  date_order = mapping->date_order == SK_CSV_DATE_MONTH_FIRST ? "mdy" : "dmy";
  json_object_set_string_member (csv, "date_order", date_order);
  if (mapping->currency[0] != '\0')
    json_object_set_string_member (csv, "currency", mapping->currency);
  if (mapping->timezone != NULL)
    json_object_set_string_member (csv, "timezone", mapping->timezone);
  json_object_set_boolean_member (csv, "tax_included", mapping->tax_included);
  json_object_set_boolean_member (csv, "paid_at_sale", mapping->paid_at_sale);

  columns = json_object_new ();
  for (guint f = 1; f < SK_CSV_N_FIELDS; f++)
    {
      int column = mapping->columns[f];

      if (column >= 0 && (guint) column < table->n_columns)
        json_object_set_string_member (columns, fields[f].key, table->header[column]);
      else
        json_object_set_null_member (columns, fields[f].key);
    }
  json_object_set_object_member (csv, "columns", columns);
  json_object_set_object_member (object, SETTINGS_MEMBER, csv);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Values */

static gboolean
value_error (GError    **error,
             SkCoreError code,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
value_error (GError    **error,
             SkCoreError code,
             const char *format,
             ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  *error = g_error_new_valist (SK_CORE_ERROR, code, format, args);
  va_end (args);
  return FALSE;
}

/* Spaces of every kind (no-break, narrow, thin) become plain ones, and
 * the ends are trimmed. */
static char *
plain_spaces (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F || c == 0x2009)
        g_string_append_c (s, ' ');
      else
        g_string_append_unichar (s, c);
    }
  return g_strstrip (g_string_free (s, FALSE));
}

static const struct {
  const char *symbol;
  const char *code;   /* NULL: more than one currency writes it */
} currency_symbols[] = {
  { "€", "EUR" }, { "£", "GBP" }, { "¥", "JPY" }, { "US$", "USD" }, { "$", NULL },
  { "zł", "PLN" }, { "Fr.", "CHF" }, { "kr", NULL },
};

/* Take a symbol or a code off either end of @s (in place). FALSE with an
 * error when it names another currency than @currency. */
static gboolean
strip_currency (char        *s,
                const char  *currency,
                const char  *original,
                GError     **error)
{
  gsize len = strlen (s);

  for (guint i = 0; i < G_N_ELEMENTS (currency_symbols); i++)
    {
      const char *symbol = currency_symbols[i].symbol;
      gsize n = strlen (symbol);
      const char *code = currency_symbols[i].code;

      if (len < n)
        continue;
      if (strncmp (s, symbol, n) == 0 || strcmp (s + len - n, symbol) == 0)
        {
          if (code != NULL && g_ascii_strcasecmp (code, currency) != 0)
            return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                                _("“%s” is in %s, but the order is in %s."), original, code, currency);
          if (strncmp (s, symbol, n) == 0)
            memmove (s, s + n, len - n + 1);
          else
            s[len - n] = '\0';
          g_strstrip (s);
          return TRUE;
        }
    }

  /* "EUR 12.50", "12.50 EUR" */
  if (len > 3 && g_ascii_isalpha (s[0]) && g_ascii_isalpha (s[1]) && g_ascii_isalpha (s[2]) &&
      !g_ascii_isalpha (s[3]))
    {
      char code[4] = { g_ascii_toupper (s[0]), g_ascii_toupper (s[1]), g_ascii_toupper (s[2]), 0 };

      if (sk_currency_is_valid (code) && g_strcmp0 (code, currency) != 0)
        return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                            _("“%s” is in %s, but the order is in %s."), original, code, currency);
      if (g_strcmp0 (code, currency) == 0)
        {
          memmove (s, s + 3, len - 2);
          g_strstrip (s);
        }
    }
  else if (len > 3 && g_ascii_isalpha (s[len - 1]) && g_ascii_isalpha (s[len - 2]) &&
           g_ascii_isalpha (s[len - 3]) && !g_ascii_isalpha (s[len - 4]))
    {
      char code[4] = { g_ascii_toupper (s[len - 3]), g_ascii_toupper (s[len - 2]),
                       g_ascii_toupper (s[len - 1]), 0 };

      if (sk_currency_is_valid (code) && g_strcmp0 (code, currency) != 0)
        return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                            _("“%s” is in %s, but the order is in %s."), original, code, currency);
      if (g_strcmp0 (code, currency) == 0)
        {
          s[len - 3] = '\0';
          g_strstrip (s);
        }
    }
  return TRUE;
}

static gboolean
is_grouping (char c,
             char decimal)
{
  return c == ' ' || c == '\'' || c == (decimal == ',' ? '.' : ',');
}

/* "1.234.567" with '.' grouping → "1234567"; NULL when the groups are not
 * of three digits. */
static char *
ungroup (const char *digits,
         gsize       len,
         char        decimal)
{
  GString *out = g_string_new (NULL);
  char group_char = 0;
  gsize group_len = 0;
  gboolean first_group = TRUE;

  for (gsize i = 0; i < len; i++)
    {
      char c = digits[i];

      if (g_ascii_isdigit (c))
        {
          g_string_append_c (out, c);
          group_len++;
          continue;
        }
      if (!is_grouping (c, decimal) || (group_char != 0 && c != group_char) ||
          group_len == 0 || (first_group ? group_len > 3 : group_len != 3))
        goto fail;
      group_char = c;
      group_len = 0;
      first_group = FALSE;
    }
  if (group_char != 0 && group_len != 3)
    goto fail;
  return g_string_free (out, FALSE);

fail:
  g_string_free (out, TRUE);
  return NULL;
}

static const char *
amount_example (char decimal)
{
  return decimal == ',' ? "1.234,50" : "1,234.50";
}

gboolean
sk_csv_parse_money (const char  *text,
                    const char  *currency,
                    char         decimal,
                    gboolean     round,
                    gint64      *out_minor,
                    GError     **error)
{
  g_autofree char *s = NULL;
  g_autofree char *int_part = NULL;
  g_autofree char *plain = NULL;
  const char *body;
  const char *sep;
  gboolean negative = FALSE;
  int exponent;
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (decimal == '.' || decimal == ',', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  exponent = sk_currency_exponent (currency);
  if (exponent < 0)
    return value_error (error, SK_CORE_ERROR_INVALID_CURRENCY,
                        _("“%s” is not a currency code Storekeep knows. Use a three-letter code like EUR or USD."),
                        currency != NULL ? currency : "");

  s = plain_spaces (text);
  if (*s == '\0')
    return value_error (error, SK_CORE_ERROR_INVALID_MONEY, _("The amount is missing."));

  /* Signs may stand before or after a symbol, or trail ("12,50-"). */
  if (*s == '-' || *s == '+')
    {
      negative = *s == '-';
      memmove (s, s + 1, strlen (s));
      g_strstrip (s);
    }
  if (!strip_currency (s, currency, text, error))
    return FALSE;
  len = strlen (s);
  if (len > 0 && (*s == '-' || *s == '+') && !negative)
    {
      negative = *s == '-';
      memmove (s, s + 1, len);
      g_strstrip (s);
    }
  else if (len > 1 && s[len - 1] == '-' && !negative)
    {
      negative = TRUE;
      s[len - 1] = '\0';
      g_strstrip (s);
    }

  body = s;
  len = strlen (body);
  sep = strchr (body, decimal);
  if (len > 0 && (sep == NULL || strchr (sep + 1, decimal) == NULL))
    int_part = ungroup (body, sep != NULL ? (gsize) (sep - body) : len, decimal);
  if (int_part == NULL)
    {
      char other = decimal == ',' ? '.' : ',';
      const char *last = strrchr (body, other);

      /* "12.50" read with a decimal comma: say which setting to change. */
      if (last != NULL && strchr (body, decimal) == NULL && strlen (last + 1) > 0 &&
          strlen (last + 1) != 3 && strspn (last + 1, "0123456789") == strlen (last + 1))
        return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                            decimal == ','
                              ? _("“%s” has a point before the cents, but this source is set to a decimal comma. Choose “Point” as the decimal separator.")
                              : _("“%s” has a comma before the cents, but this source is set to a decimal point. Choose “Comma” as the decimal separator."),
                            text);
      return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                          _("“%s” is not an amount. Write amounts like %s."),
                          text, amount_example (decimal));
    }

  if (sep != NULL && strspn (sep + 1, "0123456789") != strlen (sep + 1))
    return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                        _("“%s” is not an amount. Write amounts like %s."),
                        text, amount_example (decimal));

  plain = g_strdup_printf ("%s%s%s%s", negative ? "-" : "", int_part,
                           sep != NULL ? "." : "", sep != NULL ? sep + 1 : "");
  if (!sk_money_parse_decimal (plain, exponent, round, out_minor, NULL))
    {
      if (exponent == 0)
        return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                            _("“%s” has decimals, but amounts in %s have none."), text, currency);
      if (sep != NULL && strlen (sep + 1) > (gsize) exponent)
        return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                            _("“%s” has more decimals than amounts in %s have."), text, currency);
      return value_error (error, SK_CORE_ERROR_INVALID_MONEY,
                          _("“%s” is not an amount Storekeep can store."), text);
    }
  return TRUE;
}

gboolean
sk_csv_parse_quantity (const char  *text,
                       char         decimal,
                       gint64      *out_quantity,
                       GError     **error)
{
  g_autofree char *s = NULL;
  char *sep;
  gint64 value;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  s = plain_spaces (text);
  sep = strchr (s, decimal);
  if (sep != NULL)
    {
      /* "2.0" and "2,000" (three zero decimals) are two items. */
      if (sep[1] == '\0' || strspn (sep + 1, "0") != strlen (sep + 1))
        return value_error (error, SK_CORE_ERROR_INVALID_PAYLOAD,
                            _("“%s” is not a whole number of items."), text);
      *sep = '\0';
    }
  if (*s == '+')
    memmove (s, s + 1, strlen (s));
  if (!g_ascii_string_to_signed (s, 10, -1000000000, 1000000000, &value, NULL))
    return value_error (error, SK_CORE_ERROR_INVALID_PAYLOAD,
                        _("“%s” is not a quantity. Write quantities as whole numbers, like 2."), text);
  if (out_quantity != NULL)
    *out_quantity = value;
  return TRUE;
}

/* Dates */

typedef struct {
  const char *p;
} Scanner;

static void
skip_spaces (Scanner *s)
{
  while (*s->p == ' ')
    s->p++;
}

static gboolean
scan_number (Scanner *s,
             guint    max_digits,
             guint   *out,
             guint   *out_digits)
{
  guint value = 0;
  guint n = 0;

  while (g_ascii_isdigit (*s->p) && n < max_digits)
    {
      value = value * 10 + (guint) (*s->p - '0');
      s->p++;
      n++;
    }
  if (n == 0 || g_ascii_isdigit (*s->p))
    return FALSE;
  *out = value;
  if (out_digits != NULL)
    *out_digits = n;
  return TRUE;
}

typedef struct {
  guint year, month, day;
  guint hour, minute;
  double seconds;
  gboolean have_time;
  gboolean have_offset;
  int offset;              /* seconds east of UTC */
  gboolean day_first_dots; /* written d.m.y */
} DateParts;

static gboolean
scan_date (Scanner        *s,
           SkCsvDateOrder  order,
           DateParts      *parts,
           gboolean       *out_order_matters)
{
  guint a, b, c, a_digits, c_digits;
  char sep;

  *out_order_matters = FALSE;
  if (!scan_number (s, 4, &a, &a_digits))
    return FALSE;
  sep = *s->p;
  if (sep != '-' && sep != '/' && sep != '.')
    return FALSE;
  s->p++;
  if (!scan_number (s, 2, &b, NULL) || *s->p != sep)
    return FALSE;
  s->p++;
  if (!scan_number (s, 4, &c, &c_digits))
    return FALSE;

  if (a_digits == 4)
    {
      parts->year = a;
      parts->month = b;
      parts->day = c;
      return c_digits <= 2;
    }
  if (a_digits > 2 || (c_digits != 2 && c_digits != 4))
    return FALSE;
  parts->year = c_digits == 2 ? 2000 + c : c;
  if (sep == '.' || order == SK_CSV_DATE_DAY_FIRST)
    {
      parts->day = a;
      parts->month = b;
    }
  else
    {
      parts->month = a;
      parts->day = b;
    }
  *out_order_matters = sep != '.';
  return TRUE;
}

static gboolean
scan_offset (Scanner   *s,
             DateParts *parts)
{
  int sign;
  guint hours, minutes = 0, digits;

  if (*s->p == 'Z' || *s->p == 'z')
    {
      s->p++;
      parts->have_offset = TRUE;
      parts->offset = 0;
      return TRUE;
    }
  if (*s->p != '+' && *s->p != '-')
    return TRUE;
  sign = *s->p == '-' ? -1 : 1;
  s->p++;
  if (!scan_number (s, 4, &hours, &digits))
    return FALSE;
  if (digits == 4)
    {
      minutes = hours % 100;
      hours /= 100;
    }
  else if (digits != 2)
    return FALSE;
  else if (*s->p == ':')
    {
      s->p++;
      if (!scan_number (s, 2, &minutes, &digits) || digits != 2)
        return FALSE;
    }
  if (hours > 14 || minutes > 59)
    return FALSE;
  parts->have_offset = TRUE;
  parts->offset = sign * (int) (hours * 3600 + minutes * 60);
  return TRUE;
}

/* "14:03", "14:03:59", "14:03:59.123", "2:03 PM", then an optional offset. */
static gboolean
scan_time (Scanner   *s,
           DateParts *parts)
{
  guint hour, minute, second = 0;

  if (!scan_number (s, 2, &hour, NULL) || *s->p != ':')
    return FALSE;
  s->p++;
  if (!scan_number (s, 2, &minute, NULL))
    return FALSE;
  if (*s->p == ':')
    {
      s->p++;
      if (!scan_number (s, 2, &second, NULL))
        return FALSE;
      if (*s->p == '.' || *s->p == ',')
        {
          s->p++;
          while (g_ascii_isdigit (*s->p))
            s->p++;
        }
    }
  skip_spaces (s);
  if (g_ascii_strncasecmp (s->p, "am", 2) == 0 || g_ascii_strncasecmp (s->p, "pm", 2) == 0)
    {
      gboolean pm = g_ascii_tolower (*s->p) == 'p';

      if (hour < 1 || hour > 12)
        return FALSE;
      hour = (hour % 12) + (pm ? 12 : 0);
      s->p += 2;
      skip_spaces (s);
    }
  else if (g_ascii_strncasecmp (s->p, "uhr", 3) == 0)
    {
      s->p += 3;
      skip_spaces (s);
    }
  if (!scan_offset (s, parts))
    return FALSE;
  if (hour > 23 || minute > 59 || second > 60)
    return FALSE;
  parts->hour = hour;
  parts->minute = minute;
  parts->seconds = MIN (second, 59);
  parts->have_time = TRUE;
  return TRUE;
}

gboolean
sk_csv_parse_datetime (const char      *date_text,
                       const char      *time_text,
                       SkCsvDateOrder   order,
                       GTimeZone       *tz,
                       gint64          *out_unix,
                       GError         **error)
{
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) dt = NULL;
  DateParts parts = { 0, };
  gboolean order_matters = FALSE;
  Scanner s;

  g_return_val_if_fail (date_text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  date = plain_spaces (date_text);
  time = time_text != NULL ? plain_spaces (time_text) : g_strdup ("");
  if (*date == '\0')
    return value_error (error, SK_CORE_ERROR_INVALID_TIME, _("The date is missing."));

  s.p = date;
  if (!scan_date (&s, order, &parts, &order_matters))
    goto bad;
  if (*s.p == 'T' || *s.p == 't' || *s.p == ',')
    s.p++;
  skip_spaces (&s);
  if (*s.p != '\0' && !scan_time (&s, &parts))
    goto bad;
  skip_spaces (&s);
  if (*s.p != '\0')
    goto bad;

  if (!parts.have_time && *time != '\0')
    {
      s.p = time;
      if (!scan_time (&s, &parts))
        return value_error (error, SK_CORE_ERROR_INVALID_TIME,
                            _("“%s” is not a time of day. Write times like 14:03."), time_text);
      skip_spaces (&s);
      if (*s.p != '\0')
        return value_error (error, SK_CORE_ERROR_INVALID_TIME,
                            _("“%s” is not a time of day. Write times like 14:03."), time_text);
    }

  if (parts.month < 1 || parts.month > 12 || parts.year < 1970 || parts.year > 9999 ||
      !g_date_valid_dmy ((GDateDay) parts.day, (GDateMonth) parts.month, (GDateYear) parts.year))
    {
      if (order_matters)
        return value_error (error, SK_CORE_ERROR_INVALID_TIME,
                            order == SK_CSV_DATE_DAY_FIRST
                              ? _("“%s” is not a date with the day first. If the file writes the month first, choose “Month First” for dates.")
                              : _("“%s” is not a date with the month first. If the file writes the day first, choose “Day First” for dates."),
                            date_text);
      goto bad;
    }

  if (parts.have_offset)
    zone = g_time_zone_new_offset (parts.offset);
  else
    zone = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  dt = g_date_time_new (zone, (int) parts.year, (int) parts.month, (int) parts.day,
                        (int) parts.hour, (int) parts.minute, parts.seconds);
  if (dt == NULL)
    goto bad;
  if (out_unix != NULL)
    *out_unix = g_date_time_to_unix (dt);
  return TRUE;

bad:
  return value_error (error, SK_CORE_ERROR_INVALID_TIME,
                      _("“%s” is not a date Storekeep can read. Write dates like 2026-11-21 14:03 or 21.11.2026 14:03."),
                      date_text);
}

gboolean
sk_csv_parse_currency (const char  *text,
                       char         out[4],
                       GError     **error)
{
  g_autofree char *s = NULL;
  char code[4] = { 0, };

  g_return_val_if_fail (text != NULL, FALSE);

  s = plain_spaces (text);
  for (guint i = 0; i < G_N_ELEMENTS (currency_symbols); i++)
    if (currency_symbols[i].code != NULL && g_str_equal (s, currency_symbols[i].symbol))
      {
        memcpy (out, currency_symbols[i].code, 4);
        return TRUE;
      }
  if (strlen (s) == 3)
    for (guint i = 0; i < 3; i++)
      code[i] = g_ascii_toupper (s[i]);
  if (!sk_currency_is_valid (code))
    return value_error (error, SK_CORE_ERROR_INVALID_CURRENCY,
                        _("“%s” is not a currency code Storekeep knows. Use a three-letter code like EUR or USD."),
                        text);
  memcpy (out, code, 4);
  return TRUE;
}

/* Status words */

typedef struct {
  const char *word;    /* normalized */
  int         status;
} StatusWord;

static int
lookup_status (const StatusWord *words,
               guint             n_words,
               const char       *text,
               int               unknown)
{
  g_autofree char *word = NULL;

  if (text == NULL)
    return unknown;
  word = sk_csv_normalize_header (text);
  for (guint i = 0; i < n_words; i++)
    if (g_str_equal (words[i].word, word))
      return words[i].status;
  return unknown;
}

SkOrderStatus
sk_csv_parse_order_status (const char *text)
{
  static const StatusWord words[] = {
    { "open", SK_ORDER_STATUS_OPEN }, { "offen", SK_ORDER_STATUS_OPEN },
    { "new", SK_ORDER_STATUS_OPEN }, { "neu", SK_ORDER_STATUS_OPEN },
    { "processing", SK_ORDER_STATUS_OPEN }, { "inbearbeitung", SK_ORDER_STATUS_OPEN },
    { "pending", SK_ORDER_STATUS_PENDING }, { "ausstehend", SK_ORDER_STATUS_PENDING },
    { "onhold", SK_ORDER_STATUS_PENDING }, { "wartend", SK_ORDER_STATUS_PENDING },
    { "completed", SK_ORDER_STATUS_COMPLETED }, { "complete", SK_ORDER_STATUS_COMPLETED },
    { "closed", SK_ORDER_STATUS_COMPLETED }, { "done", SK_ORDER_STATUS_COMPLETED },
    { "abgeschlossen", SK_ORDER_STATUS_COMPLETED }, { "erledigt", SK_ORDER_STATUS_COMPLETED },
    { "fertig", SK_ORDER_STATUS_COMPLETED },
    { "cancelled", SK_ORDER_STATUS_CANCELLED }, { "canceled", SK_ORDER_STATUS_CANCELLED },
    { "void", SK_ORDER_STATUS_CANCELLED }, { "voided", SK_ORDER_STATUS_CANCELLED },
    { "storniert", SK_ORDER_STATUS_CANCELLED }, { "storno", SK_ORDER_STATUS_CANCELLED },
    { "abgebrochen", SK_ORDER_STATUS_CANCELLED },
  };

  return lookup_status (words, G_N_ELEMENTS (words), text, SK_ORDER_STATUS_UNKNOWN);
}

SkPaymentStatus
sk_csv_parse_payment_status (const char *text)
{
  static const StatusWord words[] = {
    { "paid", SK_PAYMENT_STATUS_PAID }, { "bezahlt", SK_PAYMENT_STATUS_PAID },
    { "captured", SK_PAYMENT_STATUS_PAID }, { "settled", SK_PAYMENT_STATUS_PAID },
    { "completed", SK_PAYMENT_STATUS_PAID }, { "succeeded", SK_PAYMENT_STATUS_PAID },
    { "yes", SK_PAYMENT_STATUS_PAID }, { "ja", SK_PAYMENT_STATUS_PAID },
    { "pending", SK_PAYMENT_STATUS_PENDING }, { "unpaid", SK_PAYMENT_STATUS_PENDING },
    { "offen", SK_PAYMENT_STATUS_PENDING }, { "unbezahlt", SK_PAYMENT_STATUS_PENDING },
    { "ausstehend", SK_PAYMENT_STATUS_PENDING }, { "no", SK_PAYMENT_STATUS_PENDING },
    { "nein", SK_PAYMENT_STATUS_PENDING },
    { "authorized", SK_PAYMENT_STATUS_AUTHORIZED }, { "authorised", SK_PAYMENT_STATUS_AUTHORIZED },
    { "autorisiert", SK_PAYMENT_STATUS_AUTHORIZED },
    { "partiallypaid", SK_PAYMENT_STATUS_PARTIALLY_PAID }, { "teilbezahlt", SK_PAYMENT_STATUS_PARTIALLY_PAID },
    { "teilweisebezahlt", SK_PAYMENT_STATUS_PARTIALLY_PAID },
    { "refunded", SK_PAYMENT_STATUS_REFUNDED }, { "erstattet", SK_PAYMENT_STATUS_REFUNDED },
    { "rueckerstattet", SK_PAYMENT_STATUS_REFUNDED }, { "zurueckerstattet", SK_PAYMENT_STATUS_REFUNDED },
    { "partiallyrefunded", SK_PAYMENT_STATUS_PARTIALLY_REFUNDED },
    { "teilerstattet", SK_PAYMENT_STATUS_PARTIALLY_REFUNDED },
    { "teilweiseerstattet", SK_PAYMENT_STATUS_PARTIALLY_REFUNDED },
    { "voided", SK_PAYMENT_STATUS_VOIDED }, { "void", SK_PAYMENT_STATUS_VOIDED },
    { "storniert", SK_PAYMENT_STATUS_VOIDED },
    { "failed", SK_PAYMENT_STATUS_FAILED }, { "declined", SK_PAYMENT_STATUS_FAILED },
    { "fehlgeschlagen", SK_PAYMENT_STATUS_FAILED }, { "abgelehnt", SK_PAYMENT_STATUS_FAILED },
  };

  return lookup_status (words, G_N_ELEMENTS (words), text, SK_PAYMENT_STATUS_UNKNOWN);
}

SkFulfillmentStatus
sk_csv_parse_fulfillment_status (const char *text)
{
  static const StatusWord words[] = {
    { "fulfilled", SK_FULFILLMENT_STATUS_FULFILLED }, { "shipped", SK_FULFILLMENT_STATUS_FULFILLED },
    { "delivered", SK_FULFILLMENT_STATUS_FULFILLED }, { "pickedup", SK_FULFILLMENT_STATUS_FULFILLED },
    { "versendet", SK_FULFILLMENT_STATUS_FULFILLED }, { "versandt", SK_FULFILLMENT_STATUS_FULFILLED },
    { "geliefert", SK_FULFILLMENT_STATUS_FULFILLED }, { "abgeholt", SK_FULFILLMENT_STATUS_FULFILLED },
    { "ausgehaendigt", SK_FULFILLMENT_STATUS_FULFILLED },
    { "unfulfilled", SK_FULFILLMENT_STATUS_UNFULFILLED }, { "open", SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "offen", SK_FULFILLMENT_STATUS_UNFULFILLED }, { "pending", SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "nichtversendet", SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "unversendet", SK_FULFILLMENT_STATUS_UNFULFILLED },
    { "partial", SK_FULFILLMENT_STATUS_PARTIAL }, { "partiallyfulfilled", SK_FULFILLMENT_STATUS_PARTIAL },
    { "teilweise", SK_FULFILLMENT_STATUS_PARTIAL }, { "teilversendet", SK_FULFILLMENT_STATUS_PARTIAL },
    { "teilgeliefert", SK_FULFILLMENT_STATUS_PARTIAL },
    { "restocked", SK_FULFILLMENT_STATUS_RESTOCKED }, { "zurueckgelegt", SK_FULFILLMENT_STATUS_RESTOCKED },
    { "notrequired", SK_FULFILLMENT_STATUS_NOT_REQUIRED },
    { "nichterforderlich", SK_FULFILLMENT_STATUS_NOT_REQUIRED },
  };

  return lookup_status (words, G_N_ELEMENTS (words), text, SK_FULFILLMENT_STATUS_UNKNOWN);
}

/* Countries: the names shops most often write, in English and German. */
static const struct {
  const char *name;   /* normalized */
  const char *code;
} countries[] = {
  { "germany", "DE" }, { "deutschland", "DE" }, { "deu", "DE" },
  { "austria", "AT" }, { "oesterreich", "AT" }, { "aut", "AT" },
  { "switzerland", "CH" }, { "schweiz", "CH" }, { "che", "CH" },
  { "unitedstates", "US" }, { "unitedstatesofamerica", "US" }, { "usa", "US" },
  { "vereinigtestaaten", "US" },
  { "unitedkingdom", "GB" }, { "greatbritain", "GB" }, { "uk", "GB" }, { "gbr", "GB" },
  { "grossbritannien", "GB" }, { "vereinigteskoenigreich", "GB" },
  { "france", "FR" }, { "frankreich", "FR" }, { "fra", "FR" },
  { "italy", "IT" }, { "italien", "IT" }, { "ita", "IT" },
  { "spain", "ES" }, { "spanien", "ES" }, { "esp", "ES" },
  { "netherlands", "NL" }, { "niederlande", "NL" }, { "nld", "NL" }, { "holland", "NL" },
  { "belgium", "BE" }, { "belgien", "BE" }, { "bel", "BE" },
  { "luxembourg", "LU" }, { "luxemburg", "LU" }, { "lux", "LU" },
  { "denmark", "DK" }, { "daenemark", "DK" }, { "dnk", "DK" },
  { "sweden", "SE" }, { "schweden", "SE" }, { "swe", "SE" },
  { "norway", "NO" }, { "norwegen", "NO" }, { "nor", "NO" },
  { "poland", "PL" }, { "polen", "PL" }, { "pol", "PL" },
  { "czechia", "CZ" }, { "czechrepublic", "CZ" }, { "tschechien", "CZ" }, { "cze", "CZ" },
  { "ireland", "IE" }, { "irland", "IE" }, { "irl", "IE" },
  { "portugal", "PT" }, { "prt", "PT" },
  { "canada", "CA" }, { "kanada", "CA" }, { "can", "CA" },
  { "australia", "AU" }, { "australien", "AU" }, { "aus", "AU" },
  { "japan", "JP" }, { "jpn", "JP" },
};

const char *
sk_csv_country_code (const char *text)
{
  static const char *iso_codes[] = {
    "AD", "AE", "AR", "AT", "AU", "BE", "BG", "BR", "CA", "CH", "CL", "CN", "CO", "CY",
    "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HK", "HR", "HU", "IE", "IL",
    "IN", "IS", "IT", "JP", "KR", "LI", "LT", "LU", "LV", "MC", "MT", "MX", "NL", "NO",
    "NZ", "PL", "PT", "RO", "RS", "SE", "SG", "SI", "SK", "TR", "UA", "US", "ZA",
  };
  g_autofree char *word = NULL;

  if (text == NULL)
    return NULL;
  word = sk_csv_normalize_header (text);
  if (strlen (word) == 2)
    {
      char code[3] = { g_ascii_toupper (word[0]), g_ascii_toupper (word[1]), 0 };

      for (guint i = 0; i < G_N_ELEMENTS (iso_codes); i++)
        if (g_str_equal (iso_codes[i], code))
          return iso_codes[i];
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_str_equal (countries[i].name, word))
      return countries[i].code;
  return NULL;
}
