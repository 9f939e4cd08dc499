/* sk-normalize.c: the field readers the order normalizers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-sync"

#include "config.h"

#include <string.h>

#include "sk-error.h"
#include "sk-normalize-private.h"

/* How much of a string value an error message quotes. */
#define MAX_QUOTED 48

char *
_sk_normalize_describe_value (const SkJsonValue *v)
{
  switch (v->type)
    {
    case SK_JSON_OBJECT:
      return g_strdup ("{…}");
    case SK_JSON_ARRAY:
      return g_strdup ("[…]");
    case SK_JSON_NULL:
      return g_strdup ("null");
    case SK_JSON_BOOLEAN:
      return g_strdup (v->boolean ? "true" : "false");
    case SK_JSON_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, v->integer);
    case SK_JSON_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", v->number));
      }
    case SK_JSON_STRING:
    default:
      if (g_utf8_strlen (v->string, -1) > MAX_QUOTED)
        return g_strdup_printf ("\"%.*s…\"",
                                (int) (g_utf8_offset_to_pointer (v->string, MAX_QUOTED) - v->string),
                                v->string);
      return g_strdup_printf ("\"%s\"", v->string);
    }
}

gboolean
_sk_normalize_type_error (GError            **error,
            const char         *prefix,
            const char         *name,
            const SkJsonValue  *v,
            const char         *expected)
{
  g_autofree char *described = _sk_normalize_describe_value (v);

  g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
               "%s%s %s is not %s.", prefix, name, described, expected);
  return FALSE;
}

gboolean
_sk_normalize_missing_error (GError **error, const char *prefix, const char *name)
{
  g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
               "%s%s is missing.", prefix, name);
  return FALSE;
}

/* Member @name of @obj, NULL when absent or null. */
const SkJsonValue *
_sk_normalize_get_member (const SkJsonValue *obj, const char *name)
{
  const SkJsonValue *v = sk_json_object_get (obj, name);

  return v != NULL && v->type != SK_JSON_NULL ? v : NULL;
}

gboolean
_sk_normalize_get_array (const SkJsonValue   *obj,
           const char          *name,
           const char          *prefix,
           const SkJsonValue  **out,
           GError             **error)
{
  const SkJsonValue *v = _sk_normalize_get_member (obj, name);

  *out = NULL;
  if (v == NULL)
    return TRUE;
  if (v->type != SK_JSON_ARRAY)
    return _sk_normalize_type_error (error, prefix, name, v, "a list");
  *out = v;
  return TRUE;
}

gboolean
_sk_normalize_add_amount (gint64     *sum,
            gint64      value,
            const char *prefix,
            const char *name,
            GError    **error)
{
  if (__builtin_add_overflow (*sum, value, sum))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_MONEY,
                   "%s%s adds up to more than an amount can hold.", prefix, name);
      return FALSE;
    }
  return TRUE;
}

char *
_sk_normalize_join_name (const char *first, const char *last)
{
  g_autofree char *joined = g_strjoin (" ", first ? first : "", last ? last : "", NULL);

  g_strstrip (joined);
  return *joined != '\0' ? g_steal_pointer (&joined) : NULL;
}

void
_sk_normalize_add_dead_letter (SkImportPage *page,
                 const char   *external_id,
                 const char   *reason,
                 const char   *raw,
                 gsize         raw_len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (raw, raw_len);

  g_ptr_array_add (page->dead_letters,
                   sk_dead_letter_new (page->resource ? page->resource : "orders",
                                       external_id, reason, bytes));
}

/* The start of a body, for a message: printable, valid UTF-8, short. */
char *
_sk_normalize_body_excerpt (const char *data, gsize len)
{
  g_autofree char *valid = g_utf8_make_valid (data, MIN (len, 200));
  GString *s = g_string_new (NULL);

  for (const char *p = valid; *p != '\0' && g_utf8_strlen (s->str, -1) < 40;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || !g_unichar_isprint (c))
        {
          if (s->len > 0 && s->str[s->len - 1] != ' ')
            g_string_append_c (s, ' ');
        }
      else
        g_string_append_unichar (s, c);
    }
  g_strstrip (s->str);
  if (len > 40)
    g_string_append (s, "…");
  return g_string_free (s, FALSE);
}
