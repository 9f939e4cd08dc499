/* test-money.c: exact money parsing and formatting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "sk-error.h"
#include "sk-money.h"
#include "sk-money-private.h"
#include "sk-test-util.h"

static void
test_exponents (void)
{
  static const char *zero[] = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
    "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
  };
  static const char *three[] = { "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND" };
  static const char *four[] = { "CLF", "UYW" };
  static const char *two[] = {
    "USD", "EUR", "GBP", "CAD", "AUD", "CHF", "SEK", "NOK", "DKK", "PLN",
    "CZK", "HUF", "MXN", "BRL", "INR", "CNY", "HKD", "SGD", "NZD", "ZAR",
    "AED", "ZWL", "XCD", "TRY", "ILS",
  };
  static const char *invalid[] = {
    "", "usd", "Usd", "US", "USDX", "XXX", "XAU", "XTS", "ABC", "U$D", "123",
  };

  for (guint i = 0; i < G_N_ELEMENTS (zero); i++)
    g_assert_cmpint (sk_currency_exponent (zero[i]), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (three); i++)
    g_assert_cmpint (sk_currency_exponent (three[i]), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (four); i++)
    g_assert_cmpint (sk_currency_exponent (four[i]), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (two); i++)
    {
      g_assert_cmpint (sk_currency_exponent (two[i]), ==, 2);
      g_assert_true (sk_currency_is_valid (two[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_cmpint (sk_currency_exponent (invalid[i]), ==, -1);
      g_assert_false (sk_currency_is_valid (invalid[i]));
    }
  g_assert_cmpint (sk_currency_exponent (NULL), ==, -1);
}

typedef struct {
  const char *text;
  int         exponent;
  gint64      minor;
} ParseCase;

static void
test_parse_exact (void)
{
  static const ParseCase cases[] = {
    { "409.94", 2, 40994 },
    { "-3.45", 2, -345 },
    { "1.2", 2, 120 },
    { "30", 2, 3000 },
    { "30.00", 2, 3000 },
    { "30.000", 2, 3000 },       /* extra zeros are exact */
    { "  7.10 ", 2, 710 },
    { "\t7.10\n", 2, 710 },
    { "+5", 2, 500 },
    { "0", 2, 0 },
    { "-0.00", 2, 0 },
    { "0.01", 2, 1 },
    { "007.50", 2, 750 },
    { ".5", 2, 50 },
    { "5.", 2, 500 },
    { "1000", 0, 1000 },         /* JPY */
    { "1000.0", 0, 1000 },
    { "1.234", 3, 1234 },        /* KWD */
    { "-0.001", 3, -1 },
    { "12.3456", 4, 123456 },    /* CLF */
    { "9223372036854775807", 0, G_MAXINT64 },
    { "-9223372036854775807", 0, -G_MAXINT64 },
    { "92233720368547758.07", 2, G_MAXINT64 },
    { "922337203685477.5807", 4, G_MAXINT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 42;

      g_test_message ("%s exponent %d", cases[i].text, cases[i].exponent);
      g_assert_true (sk_money_parse_decimal (cases[i].text, cases[i].exponent,
                                             FALSE, &minor, &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, cases[i].minor);

      /* Rounding changes nothing on an exact amount. */
      minor = 42;
      g_assert_true (sk_money_parse_decimal (cases[i].text, cases[i].exponent,
                                             TRUE, &minor, &error));
      g_assert_cmpint (minor, ==, cases[i].minor);
    }
}

static void
test_parse_rounding (void)
{
  static const ParseCase cases[] = {
    { "0.125", 2, 12 },          /* half: to the even neighbour */
    { "0.135", 2, 14 },
    { "0.145", 2, 14 },
    { "2.675", 2, 268 },
    { "0.1250001", 2, 13 },      /* above half */
    { "0.1249999", 2, 12 },      /* below half */
    { "-0.125", 2, -12 },        /* symmetric around zero */
    { "-0.135", 2, -14 },
    { "-0.1251", 2, -13 },
    { "0.005", 2, 0 },
    { "0.015", 2, 2 },
    { "1.999", 2, 200 },
    { "2.5", 0, 2 },             /* JPY */
    { "3.5", 0, 4 },
    { "1.23450", 3, 1234 },      /* KWD: 1.2345 → 1.234 */
    { "1.23550", 3, 1236 },
    { "19.99000000001", 2, 1999 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 42;

      g_test_message ("%s exponent %d", cases[i].text, cases[i].exponent);
      g_assert_true (sk_money_parse_decimal (cases[i].text, cases[i].exponent,
                                             TRUE, &minor, &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, cases[i].minor);

      /* Without rounding the same text is refused, and says why. */
      g_assert_false (sk_money_parse_decimal (cases[i].text, cases[i].exponent,
                                              FALSE, &minor, &error));
      g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
      g_assert_nonnull (strstr (error->message, cases[i].text));
      g_assert_true (strstr (error->message, "decimal places") != NULL ||
                     strstr (error->message, "whole amount") != NULL);
    }
}

static void
test_parse_junk (void)
{
  static const char *junk[] = {
    "", " ", "abc", "1e5", "1E5", "1.5e-3", "0x10", "NaN", "nan", "inf",
    "-inf", "Infinity", "1,000.00", "1.000,00", "1.2.3", "--1", "+-1", "-",
    "+", ".", "-.", "12 34", "$5", "5$", "5 USD", "١٢", "１２", "1_000",
    "0b101", "true", "null", "12abc",
  };

  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", junk[i]);
      gint64 minor = 42;

      g_test_message ("junk: %s", junk[i]);
      g_assert_false (sk_money_parse_decimal (junk[i], 2, TRUE, &minor, &error));
      g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
      g_assert_cmpint (minor, ==, 42);
      /* The message quotes the value and says it is not an amount. */
      g_assert_true (g_str_has_prefix (error->message, quoted));
      g_assert_nonnull (strstr (error->message, "is not an amount"));
    }
}

static void
test_parse_junk_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_junk = g_strnfill (500, 'x');
  const char invalid_utf8[] = "12\xff\xfe";

  /* Long values are cut short in messages, invalid UTF-8 made valid. */
  g_assert_false (sk_money_parse_decimal (long_junk, 2, FALSE, NULL, &error));
  g_assert_cmpuint (strlen (error->message), <, 120);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  g_assert_false (sk_money_parse_decimal (invalid_utf8, 2, FALSE, NULL, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_parse_overflow (void)
{
  static const ParseCase cases[] = {
    { "9223372036854775808", 0, 0 },
    { "-9223372036854775808", 0, 0 },   /* only ±(2^63 - 1) */
    { "92233720368547758.08", 2, 0 },
    { "99999999999999999999", 2, 0 },
    { "184467440737095516160", 0, 0 },  /* 2^64 * 10: would wrap */
    { "92233720368547758071", 2, 0 },
    { "922337203685477580.7", 2, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 42;

      g_test_message ("overflow: %s", cases[i].text);
      g_assert_false (sk_money_parse_decimal (cases[i].text, cases[i].exponent,
                                              TRUE, &minor, &error));
      g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
      g_assert_nonnull (strstr (error->message, "too large"));
      g_assert_cmpint (minor, ==, 42);
    }

  {
    g_autoptr(GError) error = NULL;
    gint64 minor = 0;

    /* Rounding up past the largest amount overflows too... */
    g_assert_false (sk_money_parse_decimal ("92233720368547758.075", 2, TRUE, &minor, &error));
    g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
    g_clear_error (&error);
    /* ...but rounding down from just above it does not. */
    g_assert_true (sk_money_parse_decimal ("92233720368547758.074", 2, TRUE, &minor, &error));
    g_assert_no_error (error);
    g_assert_cmpint (minor, ==, G_MAXINT64);
  }
}

static JsonNode *
parse_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Member "v" of {"v": @json}. */
static gboolean
parse_value (const char  *json,
             const char  *currency,
             gboolean     round,
             gint64      *out,
             GError     **error)
{
  g_autofree char *doc = g_strdup_printf ("{\"v\": %s}", json);
  g_autoptr(JsonNode) root = parse_json (doc);

  return sk_money_parse_node (json_object_get_member (json_node_get_object (root), "v"),
                              currency, round, out, error);
}

static void
test_parse_node (void)
{
  static const struct {
    const char *json;
    const char *currency;
    gint64      minor;
  } cases[] = {
    { "\"409.94\"", "USD", 40994 },
    { "\"-3.45\"", "USD", -345 },
    { "30.00", "USD", 3000 },        /* a JSON number: json-glib's double */
    { "30", "USD", 3000 },           /* a JSON integer */
    { "30", "JPY", 30 },
    { "30", "KWD", 30000 },
    { "409.94", "USD", 40994 },
    { "195.66", "USD", 19566 },      /* refund_line_items[].subtotal */
    { "0.1", "USD", 10 },
    { "0.07", "USD", 7 },
    { "-0.3", "USD", -30 },
    { "1.005", "KWD", 1005 },
    { "1.5e3", "USD", 150000 },
    { "2E-2", "USD", 2 },
    { "1234567890123.45", "USD", 123456789012345 },
    { "-92233720368547758", "USD", -9223372036854775800 },
    { "\"1000\"", "JPY", 1000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 42;

      g_test_message ("%s %s", cases[i].json, cases[i].currency);
      g_assert_true (parse_value (cases[i].json, cases[i].currency, FALSE, &minor, &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, cases[i].minor);
    }
}

static void
test_parse_node_errors (void)
{
  static const struct {
    const char *json;
    const char *currency;
    gboolean    round;
    int         code;
    const char *message;
  } cases[] = {
    { "true", "USD", FALSE, SK_CORE_ERROR_INVALID_MONEY, "true is not an amount." },
    { "null", "USD", FALSE, SK_CORE_ERROR_INVALID_MONEY, "null is not an amount." },
    { "{\"amount\": \"1.00\"}", "USD", FALSE, SK_CORE_ERROR_INVALID_MONEY, "{…} is not an amount." },
    { "[1]", "USD", FALSE, SK_CORE_ERROR_INVALID_MONEY, "[…] is not an amount." },
    { "\"abc\"", "USD", FALSE, SK_CORE_ERROR_INVALID_MONEY, "\"abc\" is not an amount." },
    { "1e-5", "USD", FALSE, SK_CORE_ERROR_INVALID_MONEY, "\"0.00001\" has more than 2 decimal places." },
    { "1.5", "JPY", FALSE, SK_CORE_ERROR_INVALID_MONEY, NULL },
    { "1e300", "USD", TRUE, SK_CORE_ERROR_INVALID_MONEY, NULL },
    { "92233720368547759", "USD", FALSE, SK_CORE_ERROR_INVALID_MONEY, "92233720368547759 is too large to be an amount." },
    { "\"1.00\"", "XYZ", FALSE, SK_CORE_ERROR_INVALID_CURRENCY, "\"XYZ\" is not an ISO 4217 currency code." },
    { "\"1.00\"", "usd", FALSE, SK_CORE_ERROR_INVALID_CURRENCY, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 42;

      g_test_message ("%s %s", cases[i].json, cases[i].currency);
      g_assert_false (parse_value (cases[i].json, cases[i].currency, cases[i].round,
                                   &minor, &error));
      g_assert_error (error, SK_CORE_ERROR, cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpint (minor, ==, 42);
    }

  {
    g_autoptr(GError) error = NULL;
    gint64 minor = 0;

    /* A tiny double rounds away when asked to. */
    g_assert_true (parse_value ("1e-5", "USD", TRUE, &minor, &error));
    g_assert_no_error (error);
    g_assert_cmpint (minor, ==, 0);
    g_assert_false (sk_money_parse_node (NULL, "USD", FALSE, &minor, &error));
    g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  }
}

/* Member "v" of {"v": @json} read by SkJsonDoc. */
static gboolean
parse_doc_value (SkJsonDoc   *doc,
                 const char  *json,
                 const char  *currency,
                 gboolean     round,
                 gint64      *out,
                 GError     **error)
{
  g_autofree char *text = g_strdup_printf ("{\"v\": %s}", json);
  const SkJsonValue *root = sk_json_doc_parse (doc, text, strlen (text), NULL, NULL);

  g_assert_nonnull (root);
  return sk_money_parse_json_number (sk_json_object_get (root, "v"), currency, round,
                                     out, error);
}

/* JSON numbers from SkJsonDoc are read from their text: exactly what was
 * written, or an error, never a neighbouring amount. */
static void
test_parse_json_number (void)
{
  static const struct {
    const char *json;
    const char *currency;
    gboolean    round;
    gint64      minor;
    const char *message;   /* NULL: parses to @minor */
  } cases[] = {
    { "409.94", "USD", FALSE, 40994, NULL },
    { "30", "USD", FALSE, 3000, NULL },
    { "-0.3", "USD", FALSE, -30, NULL },
    { "1.005", "KWD", FALSE, 1005, NULL },
    { "1.5e3", "USD", FALSE, 150000, NULL },
    { "2E-2", "USD", FALSE, 2, NULL },
    { "12345678901234567.89", "USD", FALSE, G_GINT64_CONSTANT (1234567890123456789), NULL },
    { "19.999999999999999", "USD", TRUE, 2000, NULL },
    { "0.125", "USD", TRUE, 12, NULL },
    { "19.999999999999999", "USD", FALSE, 0,
      "\"19.999999999999999\" has more than 2 decimal places." },
    { "123456789012345678.9", "USD", FALSE, 0,
      "\"123456789012345678.9\" is too large to be an amount." },
    { "92233720368547758.08", "USD", FALSE, 0,
      "\"92233720368547758.08\" is too large to be an amount." },
    { "9223372036854775808", "JPY", FALSE, 0,
      "\"9223372036854775808\" is too large to be an amount." },
    { "1e-5", "USD", FALSE, 0, "\"0.00001\" has more than 2 decimal places." },
    { "1.5", "JPY", FALSE, 0,
      "\"1.5\" is not a whole amount, and this currency has no decimals." },
    { "1.00", "XYZ", FALSE, 0, "\"XYZ\" is not an ISO 4217 currency code." },
  };
  g_autoptr(SkJsonDoc) doc = sk_json_doc_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 minor = 42;
      gboolean ok;

      g_test_message ("%s %s", cases[i].json, cases[i].currency);
      ok = parse_doc_value (doc, cases[i].json, cases[i].currency, cases[i].round, &minor, &error);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (minor, ==, cases[i].minor);
        }
      else
        {
          g_assert_false (ok);
          g_assert_nonnull (error);
          g_assert_cmpstr (error->message, ==, cases[i].message);
          g_assert_cmpint (minor, ==, 42);
        }
    }

  /* Imported from json-glib, a number has no text: the double path. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = json_from_string ("{\"v\": 409.94}", NULL);
    const SkJsonValue *root = sk_json_doc_import (doc, node);
    gint64 minor = 0;

    g_assert_true (sk_money_parse_json_number (sk_json_object_get (root, "v"), "USD", FALSE,
                                               &minor, &error));
    g_assert_no_error (error);
    g_assert_cmpint (minor, ==, 40994);
  }
}

/* json-glib keeps only a double: a number it could not keep exactly (its
 * 15 significant digits give another double) is refused, not rounded. */
static void
test_parse_node_precision (void)
{
  static const char *lost[] = {
    "12345678901234567.89",
    "0.1234567890123456789",
    "1234567890123.456789",
  };
  gint64 minor = 42;

  for (guint i = 0; i < G_N_ELEMENTS (lost); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", lost[i]);
      g_assert_false (parse_value (lost[i], "USD", TRUE, &minor, &error));
      g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
      g_assert_nonnull (strstr (error->message, "more digits than a JSON number can carry exactly"));
      g_assert_cmpint (minor, ==, 42);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (sk_money_parse_double (12345678901234567.89, "USD", FALSE, &minor, &error));
    g_assert_cmpstr (error->message, ==,
                     "12345678901234568 has more digits than a JSON number can carry exactly, so the amount is not known.");
    g_clear_error (&error);

    /* Fifteen significant digits and fewer stay exact. */
    g_assert_true (parse_value ("1234567890123.45", "USD", FALSE, &minor, &error));
    g_assert_no_error (error);
    g_assert_cmpint (minor, ==, 123456789012345);
    g_assert_true (parse_value ("0.07", "USD", FALSE, &minor, &error));
    g_assert_cmpint (minor, ==, 7);
  }
}

static void
test_parse_member (void)
{
  g_autoptr(JsonNode) root = parse_json ("{\"total_price\": \"409.94\", \"nothing\": null, "
                                         "\"junk\": \"12,50\", \"number\": 7.5}");
  JsonObject *obj = json_node_get_object (root);
  g_autoptr(GError) error = NULL;
  gint64 minor = 42;

  g_assert_true (sk_money_parse_member (obj, "total_price", "USD", FALSE, &minor, &error));
  g_assert_cmpint (minor, ==, 40994);
  g_assert_true (sk_money_parse_member (obj, "number", "USD", FALSE, &minor, &error));
  g_assert_cmpint (minor, ==, 750);

  /* Absent or null: 0 when optional... */
  minor = 42;
  g_assert_true (sk_money_parse_member (obj, "absent", "USD", TRUE, &minor, &error));
  g_assert_cmpint (minor, ==, 0);
  minor = 42;
  g_assert_true (sk_money_parse_member (obj, "nothing", "USD", TRUE, &minor, &error));
  g_assert_cmpint (minor, ==, 0);
  g_assert_no_error (error);

  /* ...an error naming the member otherwise. */
  g_assert_false (sk_money_parse_member (obj, "absent", "USD", FALSE, &minor, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  g_assert_cmpstr (error->message, ==, "absent is missing.");
  g_clear_error (&error);
  g_assert_false (sk_money_parse_member (obj, "nothing", "USD", FALSE, &minor, &error));
  g_assert_cmpstr (error->message, ==, "nothing is missing.");
  g_clear_error (&error);

  g_assert_false (sk_money_parse_member (obj, "junk", "USD", TRUE, &minor, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY);
  g_assert_cmpstr (error->message, ==, "junk \"12,50\" is not an amount.");
  g_clear_error (&error);

  g_assert_false (sk_money_parse_member (obj, "total_price", "ZZZ", TRUE, &minor, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_CURRENCY);
}

static void
test_format_plain (void)
{
  static const struct {
    gint64      minor;
    const char *currency;
    const char *text;
  } cases[] = {
    { 40994, "USD", "409.94" },
    { -345, "USD", "-3.45" },
    { 5, "USD", "0.05" },
    { -5, "USD", "-0.05" },
    { 0, "USD", "0.00" },
    { 1000, "JPY", "1000" },
    { -1000, "JPY", "-1000" },
    { 1234, "KWD", "1.234" },
    { 1, "CLF", "0.0001" },
    { G_MAXINT64, "USD", "92233720368547758.07" },
    { G_MININT64, "USD", "-92233720368547758.08" },
    { G_MININT64, "JPY", "-9223372036854775808" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sk_money_format_plain (cases[i].minor, cases[i].currency);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_round_trip (void)
{
  static const char *currencies[] = { "USD", "JPY", "KWD", "CLF" };
  static const gint64 values[] = {
    0, 1, -1, 7, 99, 100, 101, 40994, -345, 123456789, -987654321,
    G_MAXINT64, -G_MAXINT64,
  };

  for (guint c = 0; c < G_N_ELEMENTS (currencies); c++)
    for (guint i = 0; i < G_N_ELEMENTS (values); i++)
      {
        g_autofree char *text = sk_money_format_plain (values[i], currencies[c]);
        g_autoptr(GError) error = NULL;
        gint64 back = 0;

        g_assert_true (sk_money_parse_decimal (text, sk_currency_exponent (currencies[c]),
                                               FALSE, &back, &error));
        g_assert_no_error (error);
        g_assert_cmpint (back, ==, values[i]);
      }
}

static void
test_format_display_c_locale (void)
{
  static const struct {
    gint64      minor;
    const char *currency;
    const char *text;
  } cases[] = {
    { 40994, "USD", "$409.94" },
    { -345, "USD", "-$3.45" },
    { 1000, "JPY", "¥1,000" },
    { 123456789, "EUR", "€1,234,567.89" },
    { 5, "GBP", "£0.05" },
    { 123450, "CHF", "CHF 1,234.50" },
    { 1234, "KWD", "KWD 1.234" },
    { 100000, "CAD", "CA$1,000.00" },
    { -100, "SEK", "-SEK 1.00" },
    { 99900, "INR", "₹999.00" },
    { G_MININT64, "USD", "-$92,233,720,368,547,758.08" },
  };
  const char *saved = setlocale (LC_ALL, NULL);
  g_autofree char *old = g_strdup (saved);

  setlocale (LC_ALL, "C");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sk_money_format_display (cases[i].minor, cases[i].currency);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  setlocale (LC_ALL, old);
}

static void
test_format_display_conventions (void)
{
  /* de_DE: "1.234,56 €"; fr_FR groups with a narrow no-break space; en_IN
   * groups by 3 then by 2. */
  static const SkMoneyConventions de = { ",", ".", "\3\3", FALSE, TRUE, "-" };
  static const SkMoneyConventions fr = { ",", "\u202f", "\3", FALSE, TRUE, "-" };
  static const SkMoneyConventions in = { ".", ",", "\3\2", TRUE, FALSE, "-" };
  static const SkMoneyConventions plain = { ".", "", "", TRUE, TRUE, "-" };
  static const struct {
    const SkMoneyConventions *conv;
    gint64                    minor;
    const char               *currency;
    const char               *text;
  } cases[] = {
    { &de, 40994, "EUR", "409,94\u00a0€" },
    { &de, 123456789, "EUR", "1.234.567,89\u00a0€" },
    { &de, -345, "EUR", "-3,45\u00a0€" },
    { &de, 40994, "USD", "409,94\u00a0$" },
    { &de, 1000, "JPY", "1.000\u00a0¥" },
    { &de, 123450, "CHF", "1.234,50\u00a0CHF" },
    { &fr, 123456789, "EUR", "1\u202f234\u202f567,89\u00a0€" },
    { &in, 1234567800, "INR", "₹1,23,45,678.00" },
    { &in, 100, "INR", "₹1.00" },
    { &plain, 123456789, "USD", "$ 1234567.89" },
    { &plain, 0, "USD", "$ 0.00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = _sk_money_format_with_conventions (cases[i].minor,
                                                                 cases[i].currency,
                                                                 cases[i].conv);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_display_real_locale (void)
{
  locale_t de = newlocale (LC_ALL_MASK, "de_DE.UTF-8", (locale_t) 0);
  locale_t old;
  g_autofree char *text = NULL;

  if (de == (locale_t) 0)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not installed");
      return;
    }
  old = uselocale (de);
  text = sk_money_format_display (123456789, "EUR");
  uselocale (old);
  freelocale (de);
  g_assert_true (g_str_has_prefix (text, "1.234.567,89"));
  g_assert_true (g_str_has_suffix (text, "€"));
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/money/currency/exponents", test_exponents);
  g_test_add_func ("/money/parse/exact", test_parse_exact);
  g_test_add_func ("/money/parse/rounding-half-even", test_parse_rounding);
  g_test_add_func ("/money/parse/junk", test_parse_junk);
  g_test_add_func ("/money/parse/junk-message", test_parse_junk_message);
  g_test_add_func ("/money/parse/overflow", test_parse_overflow);
  g_test_add_func ("/money/parse/node", test_parse_node);
  g_test_add_func ("/money/parse/node-errors", test_parse_node_errors);
  g_test_add_func ("/money/parse/member", test_parse_member);
  g_test_add_func ("/money/parse/json-number", test_parse_json_number);
  g_test_add_func ("/money/parse/node-precision", test_parse_node_precision);
  g_test_add_func ("/money/format/plain", test_format_plain);
  g_test_add_func ("/money/format/round-trip", test_round_trip);
  g_test_add_func ("/money/format/display-c-locale", test_format_display_c_locale);
  g_test_add_func ("/money/format/display-conventions", test_format_display_conventions);
  g_test_add_func ("/money/format/display-real-locale", test_format_display_real_locale);

  return g_test_run ();
}
