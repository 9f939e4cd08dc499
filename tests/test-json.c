/* test-json.c: the strict JSON reader behind the normalizers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sk-error.h"
#include "sk-json.h"
#include "sk-test-util.h"

static const SkJsonValue *
parse_ok (SkJsonDoc *doc, const char *json)
{
  g_autoptr(GError) error = NULL;
  const SkJsonValue *v = sk_json_doc_parse (doc, json, strlen (json), NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (v);
  return v;
}

static void
test_values (void)
{
  g_autoptr(SkJsonDoc) doc = sk_json_doc_new ();
  const SkJsonValue *v;
  const SkJsonValue *m;

  v = parse_ok (doc, " {\"a\": 1, \"b\": [true, false, null], \"c\": \"x\", \"d\": -2.5e1,"
                     " \"big\": 9007199254740993, \"max\": 9223372036854775807,"
                     " \"min\": -9223372036854775808, \"over\": 9223372036854775808,"
                     " \"e\": {}, \"f\": []} ");
  g_assert_cmpint (v->type, ==, SK_JSON_OBJECT);
  g_assert_cmpuint (v->length, ==, 10);
  g_assert_cmpstr (v->members[0].key, ==, "a");
  g_assert_cmpint (sk_json_object_get (v, "a")->integer, ==, 1);
  m = sk_json_object_get (v, "b");
  g_assert_cmpint (m->type, ==, SK_JSON_ARRAY);
  g_assert_cmpuint (m->length, ==, 3);
  g_assert_true (m->elements[0].boolean);
  g_assert_false (m->elements[1].boolean);
  g_assert_cmpint (m->elements[2].type, ==, SK_JSON_NULL);
  g_assert_cmpstr (sk_json_object_get (v, "c")->string, ==, "x");
  g_assert_cmpint (sk_json_object_get (v, "d")->type, ==, SK_JSON_DOUBLE);
  g_assert_cmpfloat (sk_json_object_get (v, "d")->number, ==, -25.0);
  g_assert_cmpint (sk_json_object_get (v, "big")->integer, ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (sk_json_object_get (v, "max")->integer, ==, G_MAXINT64);
  g_assert_cmpint (sk_json_object_get (v, "min")->integer, ==, G_MININT64);
  /* Beyond 64 bits: a double, never a wrapped integer. */
  g_assert_cmpint (sk_json_object_get (v, "over")->type, ==, SK_JSON_DOUBLE);
  g_assert_cmpuint (sk_json_object_get (v, "e")->length, ==, 0);
  g_assert_cmpuint (sk_json_object_get (v, "f")->length, ==, 0);
  g_assert_null (sk_json_object_get (v, "missing"));
  g_assert_null (sk_json_object_get (m, "a"));    /* not an object */

  /* A repeated name: the last one, as json-glib. */
  v = parse_ok (doc, "{\"a\": 1, \"a\": 2}");
  g_assert_cmpint (sk_json_object_get (v, "a")->integer, ==, 2);

  /* Scalars at the top. */
  g_assert_cmpint (parse_ok (doc, "0")->integer, ==, 0);
  g_assert_cmpint (parse_ok (doc, "-0")->integer, ==, 0);
  g_assert_cmpstr (parse_ok (doc, "\"\"")->string, ==, "");
}

/* A number with a fraction or an exponent keeps its text, byte for byte,
 * for readers that must not go through a double (money). */
static void
test_number_text (void)
{
  g_autoptr(SkJsonDoc) doc = sk_json_doc_new ();
  g_autoptr(JsonNode) node = NULL;
  const SkJsonValue *v;
  const SkJsonValue *m;

  v = parse_ok (doc, "{\"a\": 19.999999999999999, \"b\": 12345678901234567.89, \"c\": -2.5E+1,"
                     " \"d\": 9223372036854775808, \"e\": 7, \"f\": \"1.50\", \"g\": [0.1]}");
  m = sk_json_object_get (v, "a");
  g_assert_cmpint (m->type, ==, SK_JSON_DOUBLE);
  g_assert_cmpstr (m->text, ==, "19.999999999999999");
  g_assert_cmpfloat (m->number, ==, 20.0);   /* what a double makes of it */
  g_assert_cmpstr (sk_json_object_get (v, "b")->text, ==, "12345678901234567.89");
  g_assert_cmpstr (sk_json_object_get (v, "c")->text, ==, "-2.5E+1");
  g_assert_cmpfloat (sk_json_object_get (v, "c")->number, ==, -25.0);
  g_assert_cmpstr (sk_json_object_get (v, "d")->text, ==, "9223372036854775808");
  g_assert_null (sk_json_object_get (v, "e")->text);
  g_assert_null (sk_json_object_get (v, "f")->text);
  g_assert_cmpstr (sk_json_object_get (v, "g")->elements[0].text, ==, "0.1");
  g_assert_null (v->text);

  /* A scalar at the top, and the end of the data right after it. */
  g_assert_cmpstr (parse_ok (doc, "1.25")->text, ==, "1.25");
  g_assert_cmpstr (parse_ok (doc, " 3e2 ")->text, ==, "3e2");

  /* json-glib keeps only the double. */
  node = json_from_string ("{\"a\": 19.99}", NULL);
  v = sk_json_doc_import (doc, node);
  g_assert_cmpint (sk_json_object_get (v, "a")->type, ==, SK_JSON_DOUBLE);
  g_assert_null (sk_json_object_get (v, "a")->text);
}

static void
test_strings (void)
{
  g_autoptr(SkJsonDoc) doc = sk_json_doc_new ();

  g_assert_cmpstr (parse_ok (doc, "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"")->string, ==,
                   "a\"b\\c/d\b\f\n\r\t");
  g_assert_cmpstr (parse_ok (doc, "\"caf\\u00e9 \\u20AC\"")->string, ==, "café €");
  g_assert_cmpstr (parse_ok (doc, "\"\\ud83d\\ude00\"")->string, ==, "😀");
  g_assert_cmpstr (parse_ok (doc, "\"Noël 😀 ✓\"")->string, ==, "Noël 😀 ✓");
  /* C strings cannot hold U+0000. */
  g_assert_cmpstr (parse_ok (doc, "\"a\\u0000b\"")->string, ==, "a\xef\xbf\xbd" "b");
}

static void
test_refused (void)
{
  static const struct {
    const char *json;
    const char *message;
  } cases[] = {
    { "", "a value was expected at byte 0 (the end)" },
    { "  ", NULL },
    { "{", NULL },
    { "{\"a\": 1", "“,” or “}” was expected at byte 7 (the end)" },
    { "{\"a\": 1,}", "a member name was expected at byte 8 (“}”)" },
    { "[1, 2,]", NULL },
    { "[1 2]", "“,” or “]” was expected at byte 3 (“2”)" },
    { "{a: 1}", NULL },
    { "{\"a\" 1}", "“:” was expected at byte 5 (“1”)" },
    { "01", "a number with a leading zero at byte 1 (“1”)" },
    { "-", NULL },
    { "1.", "a number without digits after its decimal point at byte 2 (the end)" },
    { "1e", NULL },
    { ".5", NULL },
    { "+1", NULL },
    { "NaN", NULL },
    { "Infinity", NULL },
    { "tru", NULL },
    { "nul", NULL },
    { "// comment\n1", NULL },
    { "1 2", "more data after the value at byte 2 (“2”)" },
    { "\"abc", "an unterminated string at byte 4 (the end)" },
    { "\"a\tb\"", "a control character in a string at byte 2" },
    { "\"\\x\"", NULL },
    { "\"\\u12\"", NULL },
    { "\"\\ud83d\"", "a lone surrogate escape at byte 7 (“\"”)" },
    { "\"\\ude00\"", NULL },
    { "\"caf\xe9\"", "text that is not valid UTF-8 at byte 4" },
    { "\"\xc0\xaf\"", NULL },                /* overlong "/" */
    { "\"\xed\xa0\x80\"", NULL },            /* a surrogate in UTF-8 */
    { "\"\xf4\x90\x80\x80\"", NULL },        /* above U+10FFFF */
    { "\xef\xbb\xbf{}", NULL },              /* a byte order mark is not JSON */
  };
  g_autoptr(SkJsonDoc) doc = sk_json_doc_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = g_strescape (cases[i].json, NULL);

      g_test_message ("refused: %s", escaped);
      g_assert_null (sk_json_doc_parse (doc, cases[i].json, strlen (cases[i].json), NULL, &error));
      g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_depth (void)
{
  g_autoptr(SkJsonDoc) doc = sk_json_doc_new ();
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  g_assert_null (sk_json_doc_parse (doc, deep->str, deep->len, NULL, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_assert_true (g_str_has_prefix (error->message, "values nested too deeply"));
}

static const SkJsonFilter inner_filter[] = {
  { "keep", NULL },
  { NULL, NULL },
};

static const SkJsonFilter outer_filter[] = {
  { "id", NULL },
  { "items", inner_filter },
  { "whole", NULL },
  { NULL, NULL },
};

static void
test_filter (void)
{
  g_autoptr(SkJsonDoc) doc = sk_json_doc_new ();
  g_autoptr(GError) error = NULL;
  const char *json =
    "{\"id\": 5, \"skip\": {\"deep\": [1, {\"x\": \"]}\"}]}, "
    " \"items\": [{\"keep\": 1, \"drop\": 2}, {\"drop\": [3]}, 7],"
    " \"whole\": {\"a\": {\"b\": 1}}, \"tail\": \"t\"}";
  const SkJsonValue *v = sk_json_doc_parse (doc, json, strlen (json), outer_filter, &error);
  const SkJsonValue *items;
  const SkJsonValue *whole;

  g_assert_no_error (error);
  g_assert_cmpuint (v->length, ==, 3);
  g_assert_null (sk_json_object_get (v, "skip"));
  g_assert_null (sk_json_object_get (v, "tail"));
  items = sk_json_object_get (v, "items");
  g_assert_cmpuint (items->length, ==, 3);
  g_assert_cmpuint (items->elements[0].length, ==, 1);
  g_assert_cmpint (sk_json_object_get (&items->elements[0], "keep")->integer, ==, 1);
  g_assert_cmpuint (items->elements[1].length, ==, 0);
  g_assert_cmpint (items->elements[2].integer, ==, 7);
  whole = sk_json_object_get (v, "whole");
  g_assert_cmpint (sk_json_object_get (sk_json_object_get (whole, "a"), "b")->integer, ==, 1);

  /* What is left out must still be JSON. */
  g_assert_null (sk_json_doc_parse (doc, "{\"skip\": [1,]}", 14, outer_filter, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
  g_clear_error (&error);
  g_assert_null (sk_json_doc_parse (doc, "{\"skip\": \"\xff\"}", 13, outer_filter, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
}

static void
test_prefix (void)
{
  g_autoptr(SkJsonDoc) doc = sk_json_doc_new ();
  g_autoptr(GError) error = NULL;
  const char *data = "  {\"a\": [1, 2]} , {\"b\": 3}]";
  gsize consumed = 0;
  const SkJsonValue *v;

  v = sk_json_doc_parse_prefix (doc, data, strlen (data), NULL, &consumed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, strlen ("  {\"a\": [1, 2]}"));
  g_assert_cmpuint (sk_json_object_get (v, "a")->length, ==, 2);
  g_assert_null (sk_json_doc_parse_prefix (doc, data, 10, NULL, &consumed, &error));
  g_assert_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD);
}

/* Every fixture, read here and by json-glib, gives the same values; the
 * document is reused from one to the next. */
static gboolean
same_value (const SkJsonValue *a, const SkJsonValue *b)
{
  if (a->type != b->type || a->length != b->length)
    return FALSE;
  switch (a->type)
    {
    case SK_JSON_NULL:
      return TRUE;
    case SK_JSON_BOOLEAN:
      return a->boolean == b->boolean;
    case SK_JSON_INT:
      return a->integer == b->integer;
    case SK_JSON_DOUBLE:
      return a->number == b->number;
    case SK_JSON_STRING:
      return g_str_equal (a->string, b->string);
    case SK_JSON_OBJECT:
      for (guint i = 0; i < a->length; i++)
        if (!g_str_equal (a->members[i].key, b->members[i].key) ||
            !same_value (&a->members[i].value, &b->members[i].value))
          return FALSE;
      return TRUE;
    case SK_JSON_ARRAY:
      for (guint i = 0; i < a->length; i++)
        if (!same_value (&a->elements[i], &b->elements[i]))
          return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

static void
test_same_as_json_glib (void)
{
  g_autofree char *dir_path = sk_test_fixture_path ("orders/shopify");
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(SkJsonDoc) ours = sk_json_doc_new ();
  g_autoptr(SkJsonDoc) theirs = sk_json_doc_new ();
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *relative = g_build_filename ("orders/shopify", name, NULL);
      g_autoptr(GBytes) bytes = sk_test_load_fixture (relative);
      g_autoptr(JsonNode) node = sk_test_load_json (relative);
      g_autoptr(GError) error = NULL;
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      const SkJsonValue *a = sk_json_doc_parse (ours, data, len, NULL, &error);
      const SkJsonValue *b = sk_json_doc_import (theirs, node);

      g_test_message ("%s", name);
      g_assert_no_error (error);
      g_assert_true (same_value (a, b));
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

int
main (int argc, char **argv)
{
  sk_test_init (&argc, &argv);

  g_test_add_func ("/json/values", test_values);
  g_test_add_func ("/json/strings", test_strings);
  g_test_add_func ("/json/number-text", test_number_text);
  g_test_add_func ("/json/refused", test_refused);
  g_test_add_func ("/json/depth", test_depth);
  g_test_add_func ("/json/filter", test_filter);
  g_test_add_func ("/json/prefix", test_prefix);
  g_test_add_func ("/json/same-as-json-glib", test_same_as_json_glib);

  return g_test_run ();
}
