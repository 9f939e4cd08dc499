/* sk-money.h: exact money, integer minor units plus an ISO 4217 code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-json.h"

G_BEGIN_DECLS

typedef struct {
  gint64 minor;         /* amount in minor units: 40994 for USD 409.94 */
  char   currency[4];   /* ISO 4217 code, NUL terminated, upper case */
} SkMoney;

/* Number of decimal places of a currency (USD 2, JPY 0, KWD 3); -1 when the
 * code is not an ISO 4217 code we know. */
int       sk_currency_exponent        (const char  *code);
gboolean  sk_currency_is_valid        (const char  *code);

/* Parse a decimal string ("409.94", "-3.45", "1.2", "30", "  7.10 ") exactly
 * into minor units of @exponent decimals. More decimals than the exponent are
 * accepted only when they are zeros ("30.000" for USD) unless @round is TRUE,
 * in which case they are rounded half-to-even (WooCommerce sends unrounded
 * line prices). Exponents, hex, NaN, empty strings and overflow are errors
 * (SK_CORE_ERROR_INVALID_MONEY). Never goes through double. */
gboolean  sk_money_parse_decimal      (const char  *text,
                                       int          exponent,
                                       gboolean     round,
                                       gint64      *out_minor,
                                       GError     **error);

/* Parse a JSON value: a string as above, an integer, or a JSON number.
 * json-glib keeps only a double of a JSON number with a fraction, never its
 * text; it is turned back into a decimal with 15 significant digits (%.15g,
 * exact for any number written with at most 15, as every real amount is)
 * and parsed as a string, through sk_money_parse_double(). A number written
 * with more digits than that may not come back as written, and is refused
 * when the 15 digits do not give back the same double (12345678901234567.89
 * is read as 12345678901234568); one that does but was rounded on the way
 * in (19.999999999999999 is the double 20) cannot be told apart: read such
 * payloads with SkJsonDoc and sk_money_parse_json_number(), which keeps the
 * text. NULL or a JSON null is an error. */
gboolean  sk_money_parse_node         (JsonNode    *node,
                                       const char  *currency,
                                       gboolean     round,
                                       gint64      *out_minor,
                                       GError     **error);

/* The same for a JSON integer (whole units of @currency: 30 is USD 30.00)
 * and for a JSON number with a fraction that was read as a double (see
 * sk_money_parse_node() for the precision it keeps and what it refuses). */
gboolean  sk_money_parse_int          (gint64       units,
                                       const char  *currency,
                                       gint64      *out_minor,
                                       GError     **error);
gboolean  sk_money_parse_double       (double       value,
                                       const char  *currency,
                                       gboolean     round,
                                       gint64      *out_minor,
                                       GError     **error);

/* A number of an SkJsonDoc (SK_JSON_INT or SK_JSON_DOUBLE). A number
 * with a fraction or an exponent is read from its text as the document
 * wrote it, digit by digit like sk_money_parse_decimal() (an exponent is
 * shifted into place exactly): "19.999999999999999" USD has too many
 * decimals (unless @round), "12345678901234567.89" USD is exact, and one
 * beyond 64 bits of minor units is refused as too large. A double without
 * text (imported from json-glib) goes through sk_money_parse_double(). */
gboolean  sk_money_parse_json_number  (const SkJsonValue *value,
                                       const char        *currency,
                                       gboolean           round,
                                       gint64            *out_minor,
                                       GError           **error);

/* Read member @name of @object (absent or null gives 0 and TRUE when
 * @optional, an error otherwise). */
gboolean  sk_money_parse_member       (JsonObject  *object,
                                       const char  *name,
                                       const char  *currency,
                                       gboolean     optional,
                                       gint64      *out_minor,
                                       GError     **error);

/* "409.94", "-3.45", "1000" (JPY): the plain decimal, no symbol, for JSON
 * payloads and CSV. Free with g_free(). */
char     *sk_money_format_plain       (gint64       minor,
                                       const char  *currency);

/* For people: "$409.94", "409,94 €", "¥1,000", using the current locale's
 * separators and the currency's symbol. Free with g_free(). */
char     *sk_money_format_display     (gint64       minor,
                                       const char  *currency);

G_END_DECLS
