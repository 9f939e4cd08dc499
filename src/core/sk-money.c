/* sk-money.c: exact money, integer minor units plus an ISO 4217 code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Amounts are parsed digit by digit into 64-bit integers and formatted the
 * same way; nothing here goes through floating point, except reading back
 * the double json-glib made of a JSON number with a fraction (see
 * sk_money_parse_node()). SkJsonDoc keeps a JSON number's text, and
 * sk_money_parse_json_number() reads that instead.
 */
#define G_LOG_DOMAIN "sk-core"

#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-money.h"
#include "sk-money-private.h"

typedef struct {
  char code[4];
  int  exponent;
} CurrencyInfo;

/* ISO 4217 codes with their minor units, sorted by code for bsearch().
 * Funds codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW) are included;
 * metals and other non-currencies (XAU, XDR, XTS, XXX…) are not. A few codes
 * withdrawn in recent years (BYR, CUC, HRK, MRO, SLL, STD, VEF, ZWL) stay so
 * that old orders keep importing. */
static const CurrencyInfo currencies[] = {
  { "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "ANG", 2 },
  { "AOA", 2 }, { "ARS", 2 }, { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 },
  { "BAM", 2 }, { "BBD", 2 }, { "BDT", 2 }, { "BGN", 2 }, { "BHD", 3 },
  { "BIF", 0 }, { "BMD", 2 }, { "BND", 2 }, { "BOB", 2 }, { "BOV", 2 },
  { "BRL", 2 }, { "BSD", 2 }, { "BTN", 2 }, { "BWP", 2 }, { "BYN", 2 },
  { "BYR", 0 }, { "BZD", 2 }, { "CAD", 2 }, { "CDF", 2 }, { "CHE", 2 },
  { "CHF", 2 }, { "CHW", 2 }, { "CLF", 4 }, { "CLP", 0 }, { "CNY", 2 },
  { "COP", 2 }, { "COU", 2 }, { "CRC", 2 }, { "CUC", 2 }, { "CUP", 2 },
  { "CVE", 2 }, { "CZK", 2 }, { "DJF", 0 }, { "DKK", 2 }, { "DOP", 2 },
  { "DZD", 2 }, { "EGP", 2 }, { "ERN", 2 }, { "ETB", 2 }, { "EUR", 2 },
  { "FJD", 2 }, { "FKP", 2 }, { "GBP", 2 }, { "GEL", 2 }, { "GHS", 2 },
  { "GIP", 2 }, { "GMD", 2 }, { "GNF", 0 }, { "GTQ", 2 }, { "GYD", 2 },
  { "HKD", 2 }, { "HNL", 2 }, { "HRK", 2 }, { "HTG", 2 }, { "HUF", 2 },
  { "IDR", 2 }, { "ILS", 2 }, { "INR", 2 }, { "IQD", 3 }, { "IRR", 2 },
  { "ISK", 0 }, { "JMD", 2 }, { "JOD", 3 }, { "JPY", 0 }, { "KES", 2 },
  { "KGS", 2 }, { "KHR", 2 }, { "KMF", 0 }, { "KPW", 2 }, { "KRW", 0 },
  { "KWD", 3 }, { "KYD", 2 }, { "KZT", 2 }, { "LAK", 2 }, { "LBP", 2 },
  { "LKR", 2 }, { "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 }, { "MAD", 2 },
  { "MDL", 2 }, { "MGA", 2 }, { "MKD", 2 }, { "MMK", 2 }, { "MNT", 2 },
  { "MOP", 2 }, { "MRO", 2 }, { "MRU", 2 }, { "MUR", 2 }, { "MVR", 2 },
  { "MWK", 2 }, { "MXN", 2 }, { "MXV", 2 }, { "MYR", 2 }, { "MZN", 2 },
  { "NAD", 2 }, { "NGN", 2 }, { "NIO", 2 }, { "NOK", 2 }, { "NPR", 2 },
  { "NZD", 2 }, { "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 }, { "PGK", 2 },
  { "PHP", 2 }, { "PKR", 2 }, { "PLN", 2 }, { "PYG", 0 }, { "QAR", 2 },
  { "RON", 2 }, { "RSD", 2 }, { "RUB", 2 }, { "RWF", 0 }, { "SAR", 2 },
  { "SBD", 2 }, { "SCR", 2 }, { "SDG", 2 }, { "SEK", 2 }, { "SGD", 2 },
  { "SHP", 2 }, { "SLE", 2 }, { "SLL", 2 }, { "SOS", 2 }, { "SRD", 2 },
  { "SSP", 2 }, { "STD", 2 }, { "STN", 2 }, { "SVC", 2 }, { "SYP", 2 },
  { "SZL", 2 }, { "THB", 2 }, { "TJS", 2 }, { "TMT", 2 }, { "TND", 3 },
  { "TOP", 2 }, { "TRY", 2 }, { "TTD", 2 }, { "TWD", 2 }, { "TZS", 2 },
  { "UAH", 2 }, { "UGX", 0 }, { "USD", 2 }, { "USN", 2 }, { "UYI", 0 },
  { "UYU", 2 }, { "UYW", 4 }, { "UZS", 2 }, { "VED", 2 }, { "VEF", 2 },
  { "VES", 2 }, { "VND", 0 }, { "VUV", 0 }, { "WST", 2 }, { "XAF", 0 },
  { "XCD", 2 }, { "XCG", 2 }, { "XOF", 0 }, { "XPF", 0 }, { "YER", 2 },
  { "ZAR", 2 }, { "ZMW", 2 }, { "ZWG", 2 }, { "ZWL", 2 },
};

typedef struct {
  char        code[4];
  const char *symbol;
} CurrencySymbol;

/* Symbols for the currencies most shops sell in, as CLDR writes them in
 * English; every other currency is shown with its code. Sorted by code. */
static const CurrencySymbol symbols[] = {
  { "AUD", "A$" },
  { "BRL", "R$" },
  { "CAD", "CA$" },
  { "CNY", "CN¥" },
  { "EUR", "€" },
  { "GBP", "£" },
  { "HKD", "HK$" },
  { "ILS", "₪" },
  { "INR", "₹" },
  { "JPY", "¥" },
  { "KRW", "₩" },
  { "MXN", "MX$" },
  { "NZD", "NZ$" },
  { "PHP", "₱" },
  { "TWD", "NT$" },
  { "USD", "$" },
  { "VND", "₫" },
};

/* Powers of ten up to the largest exponent in the table. */
static const gint64 powers_of_ten[] = { 1, 10, 100, 1000, 10000 };

#define MAX_QUOTED 48

static int
compare_code (const void *key, const void *item)
{
  return strcmp (key, item);
}

static gboolean
is_code_shaped (const char *code)
{
  return code != NULL &&
         g_ascii_isupper (code[0]) && g_ascii_isupper (code[1]) &&
         g_ascii_isupper (code[2]) && code[3] == '\0';
}

int
sk_currency_exponent (const char *code)
{
  const CurrencyInfo *info;

  if (!is_code_shaped (code))
    return -1;
  info = bsearch (code, currencies, G_N_ELEMENTS (currencies),
                  sizeof currencies[0], compare_code);
  return info != NULL ? info->exponent : -1;
}

gboolean
sk_currency_is_valid (const char *code)
{
  return sk_currency_exponent (code) >= 0;
}

const char *
_sk_currency_symbol (const char *currency)
{
  const CurrencySymbol *sym;

  if (!is_code_shaped (currency))
    return NULL;
  sym = bsearch (currency, symbols, G_N_ELEMENTS (symbols),
                 sizeof symbols[0], compare_code);
  return sym != NULL ? sym->symbol : NULL;
}

/* The text as it appears in a message: valid UTF-8, quoted, shortened. */
static char *
quote_for_message (const char *text, gssize len)
{
  g_autofree char *valid = NULL;
  GString *s;

  if (len < 0)
    len = strlen (text);
  valid = g_utf8_make_valid (text, len);
  s = g_string_new ("\"");
  if (g_utf8_strlen (valid, -1) > MAX_QUOTED)
    {
      const char *cut = g_utf8_offset_to_pointer (valid, MAX_QUOTED);

      g_string_append_len (s, valid, cut - valid);
      g_string_append (s, "…");
    }
  else
    g_string_append (s, valid);
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static gboolean
set_money_error (GError **error, const char *text, gssize len, const char *what)
{
  g_autofree char *quoted = quote_for_message (text, len);

  g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
               "%s %s", quoted, what);
  return FALSE;
}

/* value = value * 10 + digit, within 0..G_MAXINT64. */
static gboolean
push_digit (guint64 *value, int digit)
{
  if (*value > ((guint64) G_MAXINT64 - (guint64) digit) / 10)
    return FALSE;
  *value = *value * 10 + (guint64) digit;
  return TRUE;
}

gboolean
sk_money_parse_decimal (const char  *text,
                        int          exponent,
                        gboolean     round,
                        gint64      *out_minor,
                        GError     **error)
{
  const char *start;
  const char *end;
  const char *p;
  const char *int_digits;
  const char *frac_digits = NULL;
  gsize n_int;
  gsize n_frac = 0;
  gboolean negative = FALSE;
  guint64 value = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (exponent >= 0 && exponent < (int) G_N_ELEMENTS (powers_of_ten), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  start = text;
  end = text + strlen (text);
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  p = start;
  if (p < end && (*p == '-' || *p == '+'))
    negative = (*p++ == '-');
  int_digits = p;
  while (p < end && g_ascii_isdigit (*p))
    p++;
  n_int = p - int_digits;
  if (p < end && *p == '.')
    {
      frac_digits = ++p;
      while (p < end && g_ascii_isdigit (*p))
        p++;
      n_frac = p - frac_digits;
    }
  if (p != end || n_int + n_frac == 0)
    return set_money_error (error, text, -1, "is not an amount.");

  for (gsize i = 0; i < n_int; i++)
    if (!push_digit (&value, int_digits[i] - '0'))
      return set_money_error (error, text, -1, "is too large to be an amount.");
  for (int i = 0; i < exponent; i++)
    if (!push_digit (&value, (gsize) i < n_frac ? frac_digits[i] - '0' : 0))
      return set_money_error (error, text, -1, "is too large to be an amount.");

  if (n_frac > (gsize) exponent)
    {
      int first = frac_digits[exponent] - '0';
      gboolean rest_nonzero = FALSE;

      for (gsize i = exponent + 1; i < n_frac; i++)
        rest_nonzero |= frac_digits[i] != '0';

      if (first != 0 || rest_nonzero)
        {
          if (!round)
            {
              g_autofree char *what = NULL;

              if (exponent == 0)
                what = g_strdup ("is not a whole amount, and this currency has no decimals.");
              else
                what = g_strdup_printf ("has more than %d decimal places.", exponent);
              return set_money_error (error, text, -1, what);
            }
          /* Half to even, on the magnitude, so it is symmetric around 0. */
          if (first > 5 || (first == 5 && (rest_nonzero || (value & 1) != 0)))
            {
              if (value == (guint64) G_MAXINT64)
                return set_money_error (error, text, -1, "is too large to be an amount.");
              value++;
            }
        }
    }

  if (out_minor != NULL)
    *out_minor = negative ? -(gint64) value : (gint64) value;
  return TRUE;
}

/* "1.5e-05" → "0.000015", "1e+20" → "100000000000000000000": the plain
 * decimal of what %g printed. Returns NULL if @s is not of that form. */
static char *
expand_exponent (const char *s)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  GString *out;
  const char *p = s;
  gboolean negative = FALSE;
  gint64 point;   /* position of the decimal point within digits */
  gint64 exp10;
  char *endp;

  if (*p == '-' || *p == '+')
    negative = (*p++ == '-');
  while (g_ascii_isdigit (*p))
    g_string_append_c (digits, *p++);
  point = digits->len;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      g_string_append_c (digits, *p);
  if (digits->len == 0)
    return NULL;
  if (*p == 'e' || *p == 'E')
    {
      exp10 = g_ascii_strtoll (p + 1, &endp, 10);
      if (endp == p + 1 || *endp != '\0' || exp10 > 400 || exp10 < -400)
        return NULL;
    }
  else if (*p == '\0')
    exp10 = 0;
  else
    return NULL;
  point += exp10;

  out = g_string_new (negative ? "-" : "");
  if (point <= 0)
    {
      g_string_append (out, "0.");
      for (gint64 i = point; i < 0; i++)
        g_string_append_c (out, '0');
      g_string_append_len (out, digits->str, digits->len);
    }
  else if ((gsize) point >= digits->len)
    {
      g_string_append_len (out, digits->str, digits->len);
      for (gint64 i = digits->len; i < point; i++)
        g_string_append_c (out, '0');
    }
  else
    {
      g_string_append_len (out, digits->str, point);
      g_string_append_c (out, '.');
      g_string_append (out, digits->str + point);
    }
  return g_string_free (out, FALSE);
}

static char *
describe_node (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return g_strdup ("{…}");
    case JSON_NODE_ARRAY:
      return g_strdup ("[…]");
    case JSON_NODE_NULL:
      return g_strdup ("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return quote_for_message (json_node_get_string (node), -1);
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g",
                                          json_node_get_double (node)));
      }
    default:
      return g_strdup ("(a value)");
    }
}

static gboolean
check_currency (const char *currency, int *out_exponent, GError **error)
{
  *out_exponent = sk_currency_exponent (currency);
  if (*out_exponent < 0)
    {
      g_autofree char *quoted = quote_for_message (currency ? currency : "", -1);

      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY,
                   "%s is not an ISO 4217 currency code.", quoted);
      return FALSE;
    }
  return TRUE;
}

gboolean
sk_money_parse_int (gint64       units,
                    const char  *currency,
                    gint64      *out_minor,
                    GError     **error)
{
  gint64 scale;
  int exponent;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_currency (currency, &exponent, error))
    return FALSE;
  scale = powers_of_ten[exponent];
  if (units > G_MAXINT64 / scale || units < -(G_MAXINT64 / scale))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%" G_GINT64_FORMAT " is too large to be an amount.", units);
      return FALSE;
    }
  if (out_minor != NULL)
    *out_minor = units * scale;
  return TRUE;
}

gboolean
sk_money_parse_double (double       value,
                       const char  *currency,
                       gboolean     round,
                       gint64      *out_minor,
                       GError     **error)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *plain = NULL;
  int exponent;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_currency (currency, &exponent, error))
    return FALSE;

  /* json-glib keeps a JSON number with a fraction only as a double. Its
   * shortest decimal with 15 significant digits is the number that was
   * written for any amount a shop can have. */
  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (value != value || value > G_MAXDOUBLE || value < -G_MAXDOUBLE ||
      (plain = expand_exponent (buf)) == NULL)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%s is not an amount.", buf);
      return FALSE;
    }

  /* More than 15 significant digits were written, and the double is not
   * what its 15 digits say: the %.17g and %.15g readings of it differ, so
   * the JSON reader already changed the number. Refuse rather than guess.
   * (strtod here only compares two doubles; the amount itself comes from
   * the decimal text below.) */
  if (g_ascii_strtod (buf, NULL) != value)
    {
      char full[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (full, sizeof full, "%.17g", value);
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%s has more digits than a JSON number can carry exactly, so the amount is not known.",
                   full);
      return FALSE;
    }
  return sk_money_parse_decimal (plain, exponent, round, out_minor, error);
}

gboolean
sk_money_parse_json_number (const SkJsonValue  *value,
                            const char         *currency,
                            gboolean            round,
                            gint64             *out_minor,
                            GError            **error)
{
  g_autofree char *plain = NULL;
  int exponent;

  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (value->type == SK_JSON_INT || value->type == SK_JSON_DOUBLE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (value->type == SK_JSON_INT)
    return sk_money_parse_int (value->integer, currency, out_minor, error);
  if (value->text == NULL)
    return sk_money_parse_double (value->number, currency, round, out_minor, error);

  if (!check_currency (currency, &exponent, error))
    return FALSE;
  /* "1.5e3" → "1500": the digits move, nothing is computed. */
  if (strpbrk (value->text, "eE") == NULL)
    return sk_money_parse_decimal (value->text, exponent, round, out_minor, error);
  plain = expand_exponent (value->text);
  if (plain == NULL)
    return set_money_error (error, value->text, -1, "is not an amount.");
  return sk_money_parse_decimal (plain, exponent, round, out_minor, error);
}

gboolean
sk_money_parse_node (JsonNode    *node,
                     const char  *currency,
                     gboolean     round,
                     gint64      *out_minor,
                     GError     **error)
{
  g_autofree char *described = NULL;
  int exponent;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_currency (currency, &exponent, error))
    return FALSE;

  if (node == NULL)
    {
      g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                           "null is not an amount.");
      return FALSE;
    }

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return sk_money_parse_decimal (json_node_get_string (node), exponent,
                                         round, out_minor, error);
        case G_TYPE_INT64:
          return sk_money_parse_int (json_node_get_int (node), currency, out_minor, error);
        case G_TYPE_DOUBLE:
          return sk_money_parse_double (json_node_get_double (node), currency, round,
                                        out_minor, error);
        default:
          break;
        }
    }

  described = describe_node (node);
  g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
               "%s is not an amount.", described);
  return FALSE;
}

gboolean
sk_money_parse_member (JsonObject  *object,
                       const char  *name,
                       const char  *currency,
                       gboolean     optional,
                       gint64      *out_minor,
                       GError     **error)
{
  JsonNode *node;
  int exponent;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_currency (currency, &exponent, error))
    return FALSE;

  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (optional)
        {
          if (out_minor != NULL)
            *out_minor = 0;
          return TRUE;
        }
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%s is missing.", name);
      return FALSE;
    }

  if (!sk_money_parse_node (node, currency, FALSE, out_minor, error))
    {
      g_prefix_error (error, "%s ", name);
      return FALSE;
    }
  return TRUE;
}

char *
sk_money_format_plain (gint64      minor,
                       const char *currency)
{
  int exponent = sk_currency_exponent (currency);
  guint64 magnitude;
  guint64 scale;

  g_return_val_if_fail (exponent >= 0, NULL);

  magnitude = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;
  scale = (guint64) powers_of_ten[exponent];
  if (exponent == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, minor < 0 ? "-" : "", magnitude);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                          minor < 0 ? "-" : "", magnitude / scale,
                          exponent, magnitude % scale);
}

/* Insert @sep between groups of the integer digits as @grouping says
 * (localeconv() style: sizes from the right, the last one repeating,
 * CHAR_MAX or 0 ending the grouping). */
static void
append_grouped (GString    *out,
                const char *digits,
                const char *sep,
                const char *grouping)
{
  gsize n = strlen (digits);
  gsize cuts[64];
  guint n_cuts = 0;
  gsize pos = n;
  const char *g = grouping;
  int size = 0;
  gsize from = 0;

  if (sep == NULL || *sep == '\0' || grouping == NULL || *grouping == '\0')
    {
      g_string_append (out, digits);
      return;
    }

  while (n_cuts < G_N_ELEMENTS (cuts))
    {
      if (*g != '\0')
        size = (unsigned char) *g++;
      if (size <= 0 || size == CHAR_MAX || (gsize) size >= pos)
        break;
      pos -= size;
      cuts[n_cuts++] = pos;
    }

  for (guint i = n_cuts; i > 0; i--)
    {
      g_string_append_len (out, digits + from, cuts[i - 1] - from);
      g_string_append (out, sep);
      from = cuts[i - 1];
    }
  g_string_append (out, digits + from);
}

char *
_sk_money_format_with_conventions (gint64                    minor,
                                   const char               *currency,
                                   const SkMoneyConventions *conv)
{
  int exponent = sk_currency_exponent (currency);
  const char *symbol;
  g_autofree char *int_digits = NULL;
  guint64 magnitude;
  guint64 scale;
  GString *out;
  GString *number;
  gboolean precedes;
  gboolean space;

  g_return_val_if_fail (exponent >= 0, NULL);
  g_return_val_if_fail (conv != NULL, NULL);

  magnitude = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;
  scale = (guint64) powers_of_ten[exponent];
  int_digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / scale);

  number = g_string_new (NULL);
  append_grouped (number, int_digits, conv->thousands_sep, conv->grouping);
  if (exponent > 0)
    g_string_append_printf (number, "%s%0*" G_GUINT64_FORMAT,
                            conv->decimal_point, exponent, magnitude % scale);

  symbol = _sk_currency_symbol (currency);
  precedes = conv->cs_precedes;
  /* A code always stands apart from the number: "CHF 12.00", "12,00 CHF". */
  space = conv->sep_by_space || symbol == NULL;
  if (symbol == NULL)
    symbol = currency;

  out = g_string_new (NULL);
  if (minor < 0)
    g_string_append (out, conv->negative_sign && *conv->negative_sign ? conv->negative_sign : "-");
  if (precedes)
    {
      g_string_append (out, symbol);
      if (space)
        g_string_append_c (out, ' ');
      g_string_append_len (out, number->str, number->len);
    }
  else
    {
      g_string_append_len (out, number->str, number->len);
      /* A no-break space keeps "12,00 €" on one line. */
      if (space)
        g_string_append (out, "\u00a0");
      g_string_append (out, symbol);
    }
  g_string_free (number, TRUE);
  return g_string_free (out, FALSE);
}

/* A locale string in UTF-8, or NULL if it cannot be had. */
static char *
locale_string (const char *s)
{
  if (s == NULL)
    return NULL;
  if (g_utf8_validate (s, -1, NULL))
    return g_strdup (s);
  return g_locale_to_utf8 (s, -1, NULL, NULL, NULL);
}

char *
sk_money_format_display (gint64      minor,
                         const char *currency)
{
  const struct lconv *lc = localeconv ();
  g_autofree char *decimal_point = NULL;
  g_autofree char *thousands_sep = NULL;
  g_autofree char *negative_sign = NULL;
  SkMoneyConventions conv = {
    ".", ",", "\3", TRUE, FALSE, "-",
  };

  g_return_val_if_fail (sk_currency_is_valid (currency), NULL);

  /* The C locale leaves every monetary convention unspecified: keep the
   * defaults above ("$1,000.00"). */
  if (lc != NULL && lc->mon_decimal_point != NULL && *lc->mon_decimal_point != '\0')
    {
      decimal_point = locale_string (lc->mon_decimal_point);
      thousands_sep = locale_string (lc->mon_thousands_sep);
      negative_sign = locale_string (lc->negative_sign);
      if (decimal_point != NULL)
        conv.decimal_point = decimal_point;
      conv.thousands_sep = thousands_sep ? thousands_sep : "";
      conv.grouping = lc->mon_grouping ? lc->mon_grouping : "";
      if (lc->p_cs_precedes != CHAR_MAX)
        conv.cs_precedes = lc->p_cs_precedes != 0;
      if (lc->p_sep_by_space != CHAR_MAX)
        conv.sep_by_space = lc->p_sep_by_space != 0;
      if (negative_sign != NULL && *negative_sign != '\0')
        conv.negative_sign = negative_sign;
    }

  return _sk_money_format_with_conventions (minor, currency, &conv);
}
