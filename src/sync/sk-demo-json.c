/* sk-demo-json.c: a small, fast JSON writer for the demo shop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include "sk-demo-json.h"

/* The JSON writer */

/* g_string_append_len() goes through the general g_string_insert_len() in
 * GLib 2.74; this is the hot path of the demo shop. */
static inline void
out_append_len (GString    *out,
                const char *text,
                gsize       len)
{
  if (G_UNLIKELY (out->len + len >= out->allocated_len))
    {
      g_string_append_len (out, text, (gssize) len);
      return;
    }
  memcpy (out->str + out->len, text, len);
  out->len += len;
  out->str[out->len] = '\0';
}

static inline void
out_append (GString    *out,
            const char *text)
{
  out_append_len (out, text, strlen (text));
}

void
sk_demo_json_init (SkDemoJson *w,
                   GString    *out)
{
  g_return_if_fail (w != NULL);
  g_return_if_fail (out != NULL);

  w->out = out;
  w->depth = 0;
  w->has_items = 0;
}

static inline void
json_key (SkDemoJson *w,
          const char *key)
{
  guint32 bit = 1u << w->depth;

  if (w->has_items & bit)
    g_string_append_c (w->out, ',');
  else
    w->has_items |= bit;
  if (key != NULL)
    {
      g_string_append_c (w->out, '"');
      out_append (w->out, key);
      out_append_len (w->out, "\":", 2);
    }
}

static void
json_open (SkDemoJson *w,
           const char *key,
           char        bracket)
{
  g_assert (w->depth < 31);

  json_key (w, key);
  g_string_append_c (w->out, bracket);
  w->depth++;
  w->has_items &= ~(1u << w->depth);
}

void
sk_demo_json_begin_object (SkDemoJson *w,
                           const char *key)
{
  json_open (w, key, '{');
}

void
sk_demo_json_end_object (SkDemoJson *w)
{
  g_return_if_fail (w->depth > 0);

  w->depth--;
  g_string_append_c (w->out, '}');
}

void
sk_demo_json_begin_array (SkDemoJson *w,
                          const char *key)
{
  json_open (w, key, '[');
}

void
sk_demo_json_end_array (SkDemoJson *w)
{
  g_return_if_fail (w->depth > 0);

  w->depth--;
  g_string_append_c (w->out, ']');
}

static void
append_escaped (GString    *out,
                const char *s)
{
  const char *start = s;
  const char *p;

  g_string_append_c (out, '"');
  for (p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      out_append_len (out, start, p - start);
      switch (c)
        {
        case '"':
          out_append_len (out, "\\\"", 2);
          break;
        case '\\':
          out_append_len (out, "\\\\", 2);
          break;
        case '\n':
          out_append_len (out, "\\n", 2);
          break;
        case '\r':
          out_append_len (out, "\\r", 2);
          break;
        case '\t':
          out_append_len (out, "\\t", 2);
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
      start = p + 1;
    }
  out_append_len (out, start, p - start);
  g_string_append_c (out, '"');
}

void
sk_demo_json_string (SkDemoJson *w,
                     const char *key,
                     const char *value)
{
  json_key (w, key);
  if (value == NULL)
    out_append_len (w->out, "null", 4);
  else
    append_escaped (w->out, value);
}

static void
append_uint (GString *out,
             guint64  v)
{
  char buf[24];
  char *p = buf + sizeof buf;

  do
    {
      *--p = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  out_append_len (out, p, buf + sizeof buf - p);
}

static void
append_int (GString *out,
            gint64   v)
{
  if (v < 0)
    {
      g_string_append_c (out, '-');
      append_uint (out, (guint64) (-(v + 1)) + 1);
    }
  else
    append_uint (out, (guint64) v);
}

void
sk_demo_json_int (SkDemoJson *w,
                  const char *key,
                  gint64      value)
{
  json_key (w, key);
  append_int (w->out, value);
}

void
sk_demo_json_uint (SkDemoJson *w,
                   const char *key,
                   guint64     value)
{
  json_key (w, key);
  append_uint (w->out, value);
}

void
sk_demo_json_bool (SkDemoJson *w,
                   const char *key,
                   gboolean    value)
{
  json_key (w, key);
  if (value)
    out_append_len (w->out, "true", 4);
  else
    out_append_len (w->out, "false", 5);
}

void
sk_demo_json_null (SkDemoJson *w,
                   const char *key)
{
  json_key (w, key);
  out_append_len (w->out, "null", 4);
}

void
sk_demo_json_raw (SkDemoJson *w,
                  const char *key,
                  const char *json)
{
  json_key (w, key);
  out_append (w->out, json);
}

static const guint64 powers_of_ten[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

static void
append_decimal (GString *out,
                gint64   minor,
                int      exponent)
{
  guint64 mag;
  guint64 frac;
  char digits[8];

  g_assert (exponent >= 0 && exponent < (int) G_N_ELEMENTS (powers_of_ten));

  if (minor < 0)
    {
      g_string_append_c (out, '-');
      mag = (guint64) (-(minor + 1)) + 1;
    }
  else
    mag = (guint64) minor;

  append_uint (out, mag / powers_of_ten[exponent]);
  if (exponent == 0)
    return;
  frac = mag % powers_of_ten[exponent];
  for (int i = exponent - 1; i >= 0; i--)
    {
      digits[i] = (char) ('0' + frac % 10);
      frac /= 10;
    }
  g_string_append_c (out, '.');
  out_append_len (out, digits, exponent);
}

void
sk_demo_json_decimal (SkDemoJson *w,
                      const char *key,
                      gint64      minor,
                      int         exponent)
{
  json_key (w, key);
  g_string_append_c (w->out, '"');
  append_decimal (w->out, minor, exponent);
  g_string_append_c (w->out, '"');
}

void
sk_demo_json_decimal_number (SkDemoJson *w,
                             const char *key,
                             gint64      minor,
                             int         exponent)
{
  json_key (w, key);
  append_decimal (w->out, minor, exponent);
}

static int
currency_exponent (const char *code)
{
  return g_str_equal (code, "JPY") ? 0 : 2;
}

void
sk_demo_json_money_set (SkDemoJson *w,
                        const char *key,
                        gint64      minor,
                        const char *currency)
{
  int exponent = currency_exponent (currency);

  sk_demo_json_begin_object (w, key);
  sk_demo_json_begin_object (w, "shop_money");
  sk_demo_json_decimal (w, "amount", minor, exponent);
  sk_demo_json_string (w, "currency_code", currency);
  sk_demo_json_end_object (w);
  sk_demo_json_begin_object (w, "presentment_money");
  sk_demo_json_decimal (w, "amount", minor, exponent);
  sk_demo_json_string (w, "currency_code", currency);
  sk_demo_json_end_object (w);
  sk_demo_json_end_object (w);
}

/* Howard Hinnant's days → civil date. */
static void
civil_from_days (gint64  z,
                 int    *year,
                 int    *month,
                 int    *day)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *day = (int) (doy - (153 * mp + 2) / 5 + 1);
  *month = (int) (mp < 10 ? mp + 3 : mp - 9);
  *year = (int) (yoe + era * 400 + (*month <= 2));
}

static inline void
put2 (char *p,
      int   v)
{
  p[0] = (char) ('0' + v / 10);
  p[1] = (char) ('0' + v % 10);
}

static void
append_time (GString  *out,
             gint64    unix_utc,
             int       offset_minutes,
             gboolean  with_offset)
{
  char buf[25];
  gint64 local = unix_utc + (gint64) offset_minutes * 60;
  gint64 days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  gint64 secs = local - days * 86400;
  int year, month, day;
  int off = ABS (offset_minutes);

  civil_from_days (days, &year, &month, &day);
  put2 (buf, (year / 100) % 100);
  put2 (buf + 2, year % 100);
  buf[4] = '-';
  put2 (buf + 5, month);
  buf[7] = '-';
  put2 (buf + 8, day);
  buf[10] = 'T';
  put2 (buf + 11, (int) (secs / 3600));
  buf[13] = ':';
  put2 (buf + 14, (int) (secs / 60 % 60));
  buf[16] = ':';
  put2 (buf + 17, (int) (secs % 60));
  buf[19] = offset_minutes < 0 ? '-' : '+';
  put2 (buf + 20, off / 60);
  buf[22] = ':';
  put2 (buf + 23, off % 60);
  out_append_len (out, buf, with_offset ? sizeof buf : 19);
}

void
sk_demo_json_time (SkDemoJson *w,
                   const char *key,
                   gint64      unix_utc,
                   int         offset_minutes)
{
  json_key (w, key);
  if (unix_utc == 0)
    {
      out_append_len (w->out, "null", 4);
      return;
    }
  g_string_append_c (w->out, '"');
  append_time (w->out, unix_utc, offset_minutes, TRUE);
  g_string_append_c (w->out, '"');
}

void
sk_demo_json_time_local (SkDemoJson *w,
                         const char *key,
                         gint64      unix_utc,
                         int         offset_minutes)
{
  json_key (w, key);
  if (unix_utc == 0)
    {
      out_append_len (w->out, "null", 4);
      return;
    }
  g_string_append_c (w->out, '"');
  append_time (w->out, unix_utc, offset_minutes, FALSE);
  g_string_append_c (w->out, '"');
}
