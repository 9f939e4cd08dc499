/* sk-demo-json.h: a small, fast JSON writer for the demo shop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes compact JSON straight into a GString, with the number, money and
 * date formats of Shopify's Admin REST API and WooCommerce's REST API.
 * json-glib's builder and generator were several times slower for the demo
 * shop's pages of 250 orders.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small streaming JSON writer onto a GString: compact output, commas and
 * escaping handled. @key is the member name inside an object and NULL for
 * array elements and the top-level value. Nesting is limited to 32. */
typedef struct {
  GString *out;
  guint    depth;
  guint32  has_items;  /* bit n: the container at depth n has a member */
} SkDemoJson;

void      sk_demo_json_init          (SkDemoJson  *w,
                                      GString     *out);
void      sk_demo_json_begin_object  (SkDemoJson  *w,
                                      const char  *key);
void      sk_demo_json_end_object    (SkDemoJson  *w);
void      sk_demo_json_begin_array   (SkDemoJson  *w,
                                      const char  *key);
void      sk_demo_json_end_array     (SkDemoJson  *w);
/* A NULL @value writes null. */
void      sk_demo_json_string        (SkDemoJson  *w,
                                      const char  *key,
                                      const char  *value);
void      sk_demo_json_int           (SkDemoJson  *w,
                                      const char  *key,
                                      gint64       value);
void      sk_demo_json_uint          (SkDemoJson  *w,
                                      const char  *key,
                                      guint64      value);
void      sk_demo_json_bool          (SkDemoJson  *w,
                                      const char  *key,
                                      gboolean     value);
void      sk_demo_json_null          (SkDemoJson  *w,
                                      const char  *key);
/* @json is written as it is: a pre-formatted value ("0.06", "[]"). */
void      sk_demo_json_raw           (SkDemoJson  *w,
                                      const char  *key,
                                      const char  *json);
/* Minor units as an exact decimal with @exponent places: as a JSON string
 * ("409.94", "1200" for JPY) or, for the fields Shopify sends as numbers,
 * as a JSON number (409.94). */
void      sk_demo_json_decimal       (SkDemoJson  *w,
                                      const char  *key,
                                      gint64       minor,
                                      int          exponent);
void      sk_demo_json_decimal_number (SkDemoJson *w,
                                      const char  *key,
                                      gint64       minor,
                                      int          exponent);
/* {"shop_money":{"amount":"…","currency_code":"…"},"presentment_money":{…}} */
void      sk_demo_json_money_set     (SkDemoJson  *w,
                                      const char  *key,
                                      gint64       minor,
                                      const char  *currency);
/* "2024-03-07T16:14:08-05:00": @unix_utc shown at @offset_minutes east of
 * UTC; 0 for @unix_utc writes null. */
void      sk_demo_json_time          (SkDemoJson  *w,
                                      const char  *key,
                                      gint64       unix_utc,
                                      int          offset_minutes);

/* "2024-03-07T16:14:08": the same without the offset, as WooCommerce
 * writes its dates (the *_gmt ones with @offset_minutes 0). */
void      sk_demo_json_time_local    (SkDemoJson  *w,
                                      const char  *key,
                                      gint64       unix_utc,
                                      int          offset_minutes);

G_END_DECLS
