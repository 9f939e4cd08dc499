/* test-time.c: ISO 8601 timestamps to Unix seconds and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sk-error.h"
#include "sk-time.h"
#include "sk-test-util.h"

typedef struct {
  const char *text;
  gint64      unix_utc;
} TimeCase;

static void
test_parse_offsets (void)
{
  static const TimeCase cases[] = {
    { "2008-01-10T11:00:00-05:00", 1199980800 },   /* Shopify */
    { "2008-01-10T16:00:00Z", 1199980800 },
    { "2008-01-10T16:00:00+00:00", 1199980800 },
    { "2008-01-10T17:00:00+01:00", 1199980800 },
    { "2017-03-22T16:28:08Z", 1490200088 },
    { "2017-03-22T16:28:08z", 1490200088 },
    { "2017-03-22T16:28:08.123Z", 1490200088 },    /* fractions dropped */
    { "2017-03-22T16:28:08.999999-00:00", 1490200088 },
    { "2020-02-29T23:59:59+05:30", 1583000999 },   /* leap day, half-hour zone */
    { "2024-10-02T08:59:11-05:00", 1727877551 },
    { "1970-01-01T00:00:00Z", 0 },
    { "1969-12-31T23:59:59Z", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t = 42;

      g_test_message ("%s", cases[i].text);
      g_assert_true (sk_time_parse_iso8601 (cases[i].text, NULL, &t, &error));
      g_assert_no_error (error);
      g_assert_cmpint (t, ==, cases[i].unix_utc);
    }
}

static void
test_parse_no_offset (void)
{
  g_autoptr(GTimeZone) plus2 = g_time_zone_new_identifier ("+02:00");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  gint64 t = 0;

  /* WooCommerce's *_gmt fields: no offset, read as UTC by default. */
  g_assert_true (sk_time_parse_iso8601 ("2017-03-22T16:28:08", NULL, &t, &error));
  g_assert_no_error (error);
  g_assert_cmpint (t, ==, 1490200088);
  g_assert_true (sk_time_parse_iso8601 ("2017-03-22T16:28:08", utc, &t, &error));
  g_assert_cmpint (t, ==, 1490200088);

  /* In another default zone the same wall time is another instant... */
  g_assert_nonnull (plus2);
  g_assert_true (sk_time_parse_iso8601 ("2017-03-22T16:28:08", plus2, &t, &error));
  g_assert_no_error (error);
  g_assert_cmpint (t, ==, 1490200088 - 2 * 3600);

  /* ...but an explicit offset always wins over the default zone. */
  g_assert_true (sk_time_parse_iso8601 ("2017-03-22T16:28:08Z", plus2, &t, &error));
  g_assert_cmpint (t, ==, 1490200088);
  g_assert_true (sk_time_parse_iso8601 ("2008-01-10T11:00:00-05:00", plus2, &t, &error));
  g_assert_cmpint (t, ==, 1199980800);
}

static void
test_parse_invalid (void)
{
  static const char *invalid[] = {
    "", " ", "yesterday", "2017-03-22", "16:28:08",
    "2025-10-07T11: 28: 07-05: 00",   /* seen in a copy of a Shopify sample */
    "2017-13-01T00:00:00Z", "2017-02-30T00:00:00Z", "2017-03-22T25:00:00Z",
    "2017-03-22T16:28:08+99:00", "2017-03-22T16:28:08 garbage",
    "1490200088",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", invalid[i]);
      gint64 t = 42;

      g_test_message ("invalid: %s", invalid[i]);
      g_assert_false (sk_time_parse_iso8601 (invalid[i], NULL, &t, &error));
      g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME);
      g_assert_true (g_str_has_prefix (error->message, quoted));
      g_assert_cmpint (t, ==, 42);
    }
}

static void
test_parse_member (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *obj;
  gint64 t;

  json_parser_load_from_data (parser,
                              "{\"created_at\": \"2008-01-10T11:00:00-05:00\","
                              " \"closed_at\": null, \"empty\": \"\","
                              " \"number\": 1199980800, \"bad\": \"2008-01-10T11:00\"}",
                              -1, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (json_parser_get_root (parser));

  g_assert_true (sk_time_parse_member (obj, "created_at", NULL, FALSE, &t, &error));
  g_assert_cmpint (t, ==, 1199980800);

  /* Absent, null or "": 0 when optional. */
  t = 42;
  g_assert_true (sk_time_parse_member (obj, "absent", NULL, TRUE, &t, &error));
  g_assert_cmpint (t, ==, 0);
  t = 42;
  g_assert_true (sk_time_parse_member (obj, "closed_at", NULL, TRUE, &t, &error));
  g_assert_cmpint (t, ==, 0);
  t = 42;
  g_assert_true (sk_time_parse_member (obj, "empty", NULL, TRUE, &t, &error));
  g_assert_cmpint (t, ==, 0);
  g_assert_no_error (error);

  /* Otherwise errors that name the member. */
  g_assert_false (sk_time_parse_member (obj, "absent", NULL, FALSE, &t, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME);
  g_assert_cmpstr (error->message, ==, "absent is missing.");
  g_clear_error (&error);
  g_assert_false (sk_time_parse_member (obj, "closed_at", NULL, FALSE, &t, &error));
  g_assert_cmpstr (error->message, ==, "closed_at is missing.");
  g_clear_error (&error);
  g_assert_false (sk_time_parse_member (obj, "number", NULL, TRUE, &t, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME);
  g_assert_true (g_str_has_prefix (error->message, "number "));
  g_clear_error (&error);
  g_assert_false (sk_time_parse_member (obj, "bad", NULL, TRUE, &t, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME);
  g_assert_cmpstr (error->message, ==, "bad \"2008-01-10T11:00\" is not a date and time.");
}

static void
test_format (void)
{
  static const TimeCase cases[] = {
    { "1970-01-01T00:00:00Z", 0 },
    { "2008-01-10T16:00:00Z", 1199980800 },
    { "2017-03-22T16:28:08Z", 1490200088 },
    { "1969-12-31T23:59:59Z", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sk_time_format_iso8601 (cases[i].unix_utc);
      gint64 back = 0;

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_true (sk_time_parse_iso8601 (text, NULL, &back, NULL));
      g_assert_cmpint (back, ==, cases[i].unix_utc);
    }
}

static gint64
fixed_now (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
test_now (void)
{
  gint64 fixed = 1199980800;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 now;

  now = sk_time_now ();
  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now, <=, before + 5);

  sk_time_set_now_func (fixed_now, &fixed);
  g_assert_cmpint (sk_time_now (), ==, 1199980800);
  fixed += 60;
  g_assert_cmpint (sk_time_now (), ==, 1199980860);

  sk_time_set_now_func (NULL, NULL);
  g_assert_cmpint (sk_time_now (), >=, before);
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/time/parse/offsets", test_parse_offsets);
  g_test_add_func ("/time/parse/no-offset", test_parse_no_offset);
  g_test_add_func ("/time/parse/invalid", test_parse_invalid);
  g_test_add_func ("/time/parse/member", test_parse_member);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/now", test_now);

  return g_test_run ();
}
