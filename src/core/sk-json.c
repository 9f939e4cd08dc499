/* sk-json.c: a strict, fast JSON reader into a read-only document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recursive descent over the bytes. Values go into one arena per
 * document; the members of an object (the elements of an array) are
 * collected on a stack while they are read and copied into the arena as one
 * array when the object ends, so nothing is allocated per value.
 */
#define G_LOG_DOMAIN "sk-core"

#include "config.h"

#include <string.h>

#include "sk-error.h"
#include "sk-json.h"

#define MAX_DEPTH  256
#define BLOCK_SIZE (64 * 1024)

typedef struct _Block Block;
struct _Block {
  Block *next;
  gsize  size;
  gsize  used;
  char   data[];
};

struct _SkJsonDoc {
  Block       *blocks;        /* the newest first */
  gsize        total;         /* bytes in all blocks */
  GArray      *members;       /* SkJsonMember: a stack while reading */
  GArray      *elements;      /* SkJsonValue: likewise */
  GString     *scratch;
  SkJsonValue  root;
};

typedef struct {
  SkJsonDoc  *doc;
  const char *start;
  const char *p;
  const char *end;
  guint       depth;
  GError    **error;
} Reader;

static gboolean read_value (Reader *r, const SkJsonFilter *filter, SkJsonValue *out);

/* The arena */

static gpointer
arena_alloc (SkJsonDoc *doc, gsize size)
{
  Block *b = doc->blocks;
  gpointer p;

  size = (size + 7) & ~(gsize) 7;
  if (b == NULL || b->size - b->used < size)
    {
      gsize block_size = MAX (BLOCK_SIZE, size);

      b = g_malloc (sizeof (Block) + block_size);
      b->size = block_size;
      b->used = 0;
      b->next = doc->blocks;
      doc->blocks = b;
      doc->total += block_size;
    }
  p = b->data + b->used;
  b->used += size;
  return p;
}

static const char *
arena_strndup (SkJsonDoc *doc, const char *s, gsize len)
{
  char *copy = arena_alloc (doc, len + 1);

  memcpy (copy, s, len);
  copy[len] = '\0';
  return copy;
}

/* Forget the values, keep the memory: one block as big as all of them. */
static void
arena_reset (SkJsonDoc *doc)
{
  if (doc->blocks != NULL && doc->blocks->next != NULL)
    {
      gsize total = doc->total;

      while (doc->blocks != NULL)
        {
          Block *next = doc->blocks->next;

          g_free (doc->blocks);
          doc->blocks = next;
        }
      doc->blocks = g_malloc (sizeof (Block) + total);
      doc->blocks->size = total;
      doc->blocks->next = NULL;
      doc->total = total;
    }
  if (doc->blocks != NULL)
    doc->blocks->used = 0;
  g_array_set_size (doc->members, 0);
  g_array_set_size (doc->elements, 0);
}

static void
fail (Reader *r, const char *what)
{
  /* Only the first error counts: the caller unwinds after it. */
  if (r->error != NULL && *r->error != NULL)
    return;
  if (r->p >= r->end)
    g_set_error (r->error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                 "%s at byte %" G_GSIZE_FORMAT " (the end)", what,
                 (gsize) (r->end - r->start));
  else if (*r->p >= 0x21 && *r->p <= 0x7e)
    g_set_error (r->error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                 "%s at byte %" G_GSIZE_FORMAT " (“%c”)", what,
                 (gsize) (r->p - r->start), *r->p);
  else
    g_set_error (r->error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                 "%s at byte %" G_GSIZE_FORMAT, what, (gsize) (r->p - r->start));
}

static inline void
skip_ws (Reader *r)
{
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* At "\u": the four hex digits as a code unit, r->p past them. */
static gboolean
read_hex4 (Reader *r, gunichar *out)
{
  gunichar value = 0;

  r->p += 2;
  if (r->end - r->p < 4)
    {
      fail (r, "an incomplete \\u escape");
      return FALSE;
    }
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (r->p[i]);

      if (h < 0)
        {
          fail (r, "an invalid \\u escape");
          return FALSE;
        }
      value = value * 16 + h;
    }
  r->p += 4;
  *out = value;
  return TRUE;
}

/* At a backslash: appends the character to @out (when not NULL). */
static gboolean
read_escape (Reader *r, GString *out)
{
  char simple;
  gunichar c;

  g_assert (*r->p == '\\');
  if (r->p + 1 >= r->end)
    {
      r->p = r->end;
      fail (r, "an unterminated string");
      return FALSE;
    }
  switch (r->p[1])
    {
    case '"':  simple = '"'; break;
    case '\\': simple = '\\'; break;
    case '/':  simple = '/'; break;
    case 'b':  simple = '\b'; break;
    case 'f':  simple = '\f'; break;
    case 'n':  simple = '\n'; break;
    case 'r':  simple = '\r'; break;
    case 't':  simple = '\t'; break;
    case 'u':
      if (!read_hex4 (r, &c))
        return FALSE;
      if (c >= 0xd800 && c <= 0xdbff)
        {
          gunichar low;

          if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
            {
              fail (r, "a lone surrogate escape");
              return FALSE;
            }
          if (!read_hex4 (r, &low))
            return FALSE;
          if (low < 0xdc00 || low > 0xdfff)
            {
              fail (r, "a lone surrogate escape");
              return FALSE;
            }
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        }
      else if (c >= 0xdc00 && c <= 0xdfff)
        {
          fail (r, "a lone surrogate escape");
          return FALSE;
        }
      /* C strings cannot hold U+0000. */
      if (out != NULL)
        g_string_append_unichar (out, c != 0 ? c : 0xfffd);
      return TRUE;
    default:
      r->p++;
      fail (r, "an invalid escape");
      return FALSE;
    }
  if (out != NULL)
    g_string_append_c (out, simple);
  r->p += 2;
  return TRUE;
}

/* Bytes a string cannot simply contain: the quote, the backslash, control
 * characters, and the start of anything that is not ASCII (checked as
 * UTF-8 one sequence at a time). */
static const guint8 string_special[256] = {
  [0x00 ... 0x1f] = 1,
  ['"'] = 1,
  ['\\'] = 1,
  [0x80 ... 0xff] = 1,
};

/* The length of the UTF-8 sequence at @p (before @end), 0 if it is not a
 * valid one: no overlong forms, no surrogates, nothing above U+10FFFF. */
static gsize
utf8_sequence (const guchar *p, const guchar *end)
{
  guchar c = p[0];
  guchar lo = 0x80;
  guchar hi = 0xbf;
  gsize n;

  if (c < 0xc2)
    return 0;
  else if (c < 0xe0)
    n = 2;
  else if (c < 0xf0)
    {
      n = 3;
      if (c == 0xe0)
        lo = 0xa0;
      else if (c == 0xed)
        hi = 0x9f;
    }
  else if (c < 0xf5)
    {
      n = 4;
      if (c == 0xf0)
        lo = 0x90;
      else if (c == 0xf4)
        hi = 0x8f;
    }
  else
    return 0;

  if ((gsize) (end - p) < n || p[1] < lo || p[1] > hi)
    return 0;
  for (gsize i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xbf)
      return 0;
  return n;
}

/* At '"': r->p past the closing quote, and the unescaped text in the
 * arena as *@out (NULL to only check the string). */
static gboolean
read_string (Reader *r, const char **out)
{
  GString *scratch = r->doc->scratch;
  const char *run;
  gboolean escaped = FALSE;

  r->p++;
  run = r->p;
  for (;;)
    {
      const char *p = r->p;
      const char *end = r->end;

      for (;;)
        {
          gsize n;

          while (p < end && !string_special[(guchar) *p])
            p++;
          if (p >= end || (guchar) *p < 0x80)
            break;
          n = utf8_sequence ((const guchar *) p, (const guchar *) end);
          if (n == 0)
            {
              r->p = p;
              fail (r, "text that is not valid UTF-8");
              return FALSE;
            }
          p += n;
        }
      r->p = p;
      if (p >= end)
        {
          fail (r, "an unterminated string");
          return FALSE;
        }
      if (*p == '"')
        {
          if (out != NULL)
            {
              if (!escaped)
                *out = arena_strndup (r->doc, run, p - run);
              else
                {
                  g_string_append_len (scratch, run, p - run);
                  *out = arena_strndup (r->doc, scratch->str, scratch->len);
                }
            }
          r->p++;
          return TRUE;
        }
      if (*p != '\\')
        {
          fail (r, "a control character in a string");
          return FALSE;
        }
      if (out != NULL)
        {
          if (!escaped)
            g_string_truncate (scratch, 0);
          g_string_append_len (scratch, run, p - run);
        }
      escaped = TRUE;
      if (!read_escape (r, out != NULL ? scratch : NULL))
        return FALSE;
      run = r->p;
    }
}

/* At '-' or a digit: checks the number's syntax and leaves r->p after it.
 * @integer: no fraction or exponent; @magnitude: its absolute value when
 * that fits in 64 bits (@overflow otherwise). */
static gboolean
scan_number (Reader   *r,
             gboolean *negative,
             gboolean *integer,
             guint64  *magnitude,
             gboolean *overflow)
{
  const char *p = r->p;
  const char *end = r->end;

  *negative = FALSE;
  *integer = TRUE;
  *magnitude = 0;
  *overflow = FALSE;

  if (*p == '-')
    {
      *negative = TRUE;
      p++;
    }
  if (p < end && *p == '0')
    {
      p++;
      if (p < end && g_ascii_isdigit (*p))
        {
          r->p = p;
          fail (r, "a number with a leading zero");
          return FALSE;
        }
    }
  else if (p < end && g_ascii_isdigit (*p))
    {
      for (; p < end && g_ascii_isdigit (*p); p++)
        {
          guint digit = *p - '0';

          if (*magnitude > (G_MAXUINT64 - digit) / 10)
            *overflow = TRUE;
          else
            *magnitude = *magnitude * 10 + digit;
        }
    }
  else
    {
      r->p = p;
      fail (r, "an invalid number");
      return FALSE;
    }

  if (p < end && *p == '.')
    {
      *integer = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          r->p = p;
          fail (r, "a number without digits after its decimal point");
          return FALSE;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      *integer = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          r->p = p;
          fail (r, "a number without digits in its exponent");
          return FALSE;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  r->p = p;
  return TRUE;
}

static gboolean
read_word (Reader *r, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (r->end - r->p) < n || memcmp (r->p, word, n) != 0)
    {
      fail (r, "an unexpected character");
      return FALSE;
    }
  r->p += n;
  return TRUE;
}

/* The filter entry for @key, or NULL when the member is to be skipped. */
static const SkJsonFilter *
find_filter (const SkJsonFilter *filter, const char *key)
{
  for (; filter->key != NULL; filter++)
    if (filter->key[0] == key[0] && strcmp (filter->key, key) == 0)
      return filter;
  return NULL;
}

/* Check one value's syntax without building anything. */
static gboolean
skip_value (Reader *r)
{
  gboolean ok = FALSE;

  if (r->p >= r->end)
    {
      fail (r, "a value was expected");
      return FALSE;
    }
  if (++r->depth > MAX_DEPTH)
    {
      fail (r, "values nested too deeply");
      return FALSE;
    }

  switch (*r->p)
    {
    case '{':
    case '[':
      {
        char close = *r->p == '{' ? '}' : ']';
        gboolean object = close == '}';

        r->p++;
        skip_ws (r);
        if (r->p < r->end && *r->p == close)
          {
            r->p++;
            ok = TRUE;
            break;
          }
        for (;;)
          {
            skip_ws (r);
            if (object)
              {
                if (r->p >= r->end || *r->p != '"')
                  {
                    fail (r, "a member name was expected");
                    break;
                  }
                if (!read_string (r, NULL))
                  break;
                skip_ws (r);
                if (r->p >= r->end || *r->p != ':')
                  {
                    fail (r, "“:” was expected");
                    break;
                  }
                r->p++;
                skip_ws (r);
              }
            if (!skip_value (r))
              break;
            skip_ws (r);
            if (r->p < r->end && *r->p == ',')
              {
                r->p++;
                continue;
              }
            if (r->p < r->end && *r->p == close)
              {
                r->p++;
                ok = TRUE;
                break;
              }
            fail (r, object ? "“,” or “}” was expected" : "“,” or “]” was expected");
            break;
          }
      }
      break;
    case '"':
      ok = read_string (r, NULL);
      break;
    case 't':
      ok = read_word (r, "true");
      break;
    case 'f':
      ok = read_word (r, "false");
      break;
    case 'n':
      ok = read_word (r, "null");
      break;
    default:
      if (*r->p == '-' || g_ascii_isdigit (*r->p))
        {
          gboolean negative, integer, overflow;
          guint64 magnitude;

          ok = scan_number (r, &negative, &integer, &magnitude, &overflow);
        }
      else
        fail (r, "an unexpected character");
      break;
    }

  r->depth--;
  return ok;
}

static gboolean
read_number (Reader *r, SkJsonValue *out)
{
  const char *begin = r->p;
  gboolean negative;
  gboolean integer;
  guint64 magnitude;
  gboolean overflow;
  gsize len;

  if (!scan_number (r, &negative, &integer, &magnitude, &overflow))
    return FALSE;

  if (integer && !overflow)
    {
      if (!negative && magnitude <= (guint64) G_MAXINT64)
        {
          out->type = SK_JSON_INT;
          out->integer = (gint64) magnitude;
          return TRUE;
        }
      if (negative && magnitude <= (guint64) G_MAXINT64 + 1)
        {
          out->type = SK_JSON_INT;
          out->integer = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
          return TRUE;
        }
    }

  /* A fraction, an exponent, or an integer beyond 64 bits: the nearest
   * double, and the text itself, which money is read from. */
  out->type = SK_JSON_DOUBLE;
  len = r->p - begin;
  out->text = arena_strndup (r->doc, begin, len);
  out->number = g_ascii_strtod (out->text, NULL);
  return TRUE;
}

static gboolean
read_object (Reader *r, const SkJsonFilter *filter, SkJsonValue *out)
{
  GArray *stack = r->doc->members;
  guint base = stack->len;
  guint n;

  r->p++;
  skip_ws (r);
  if (r->p < r->end && *r->p == '}')
    r->p++;
  else
    for (;;)
      {
        const SkJsonFilter *entry = NULL;
        SkJsonMember member;

        skip_ws (r);
        if (r->p >= r->end || *r->p != '"')
          {
            fail (r, "a member name was expected");
            return FALSE;
          }
        if (!read_string (r, &member.key))
          return FALSE;
        if (filter != NULL)
          entry = find_filter (filter, member.key);

        skip_ws (r);
        if (r->p >= r->end || *r->p != ':')
          {
            fail (r, "“:” was expected");
            return FALSE;
          }
        r->p++;
        skip_ws (r);
        if (filter != NULL && entry == NULL)
          {
            if (!skip_value (r))
              return FALSE;
          }
        else
          {
            if (!read_value (r, entry ? entry->children : NULL, &member.value))
              return FALSE;
            g_array_append_val (stack, member);
          }

        skip_ws (r);
        if (r->p < r->end && *r->p == ',')
          {
            r->p++;
            continue;
          }
        if (r->p < r->end && *r->p == '}')
          {
            r->p++;
            break;
          }
        fail (r, "“,” or “}” was expected");
        return FALSE;
      }

  n = stack->len - base;
  out->type = SK_JSON_OBJECT;
  out->length = n;
  out->members = NULL;
  if (n > 0)
    {
      SkJsonMember *members = arena_alloc (r->doc, n * sizeof (SkJsonMember));

      memcpy (members, &g_array_index (stack, SkJsonMember, base), n * sizeof (SkJsonMember));
      out->members = members;
      g_array_set_size (stack, base);
    }
  return TRUE;
}

static gboolean
read_array (Reader *r, const SkJsonFilter *filter, SkJsonValue *out)
{
  GArray *stack = r->doc->elements;
  guint base = stack->len;
  guint n;

  r->p++;
  skip_ws (r);
  if (r->p < r->end && *r->p == ']')
    r->p++;
  else
    for (;;)
      {
        SkJsonValue element;

        skip_ws (r);
        if (!read_value (r, filter, &element))
          return FALSE;
        g_array_append_val (stack, element);

        skip_ws (r);
        if (r->p < r->end && *r->p == ',')
          {
            r->p++;
            continue;
          }
        if (r->p < r->end && *r->p == ']')
          {
            r->p++;
            break;
          }
        fail (r, "“,” or “]” was expected");
        return FALSE;
      }

  n = stack->len - base;
  out->type = SK_JSON_ARRAY;
  out->length = n;
  out->elements = NULL;
  if (n > 0)
    {
      SkJsonValue *elements = arena_alloc (r->doc, n * sizeof (SkJsonValue));

      memcpy (elements, &g_array_index (stack, SkJsonValue, base), n * sizeof (SkJsonValue));
      out->elements = elements;
      g_array_set_size (stack, base);
    }
  return TRUE;
}

static gboolean
read_value (Reader *r, const SkJsonFilter *filter, SkJsonValue *out)
{
  gboolean ok = FALSE;

  out->length = 0;
  out->text = NULL;
  if (r->p >= r->end)
    {
      fail (r, "a value was expected");
      return FALSE;
    }
  if (++r->depth > MAX_DEPTH)
    {
      fail (r, "values nested too deeply");
      return FALSE;
    }

  switch (*r->p)
    {
    case '{':
      ok = read_object (r, filter, out);
      break;
    case '[':
      ok = read_array (r, filter, out);
      break;
    case '"':
      out->type = SK_JSON_STRING;
      ok = read_string (r, &out->string);
      break;
    case 't':
    case 'f':
      out->type = SK_JSON_BOOLEAN;
      out->boolean = *r->p == 't';
      ok = read_word (r, out->boolean ? "true" : "false");
      break;
    case 'n':
      out->type = SK_JSON_NULL;
      ok = read_word (r, "null");
      break;
    default:
      if (*r->p == '-' || g_ascii_isdigit (*r->p))
        ok = read_number (r, out);
      else
        fail (r, "an unexpected character");
      break;
    }

  r->depth--;
  return ok;
}

/* The document */

SkJsonDoc *
sk_json_doc_new (void)
{
  SkJsonDoc *doc = g_new0 (SkJsonDoc, 1);

  doc->members = g_array_sized_new (FALSE, FALSE, sizeof (SkJsonMember), 64);
  doc->elements = g_array_sized_new (FALSE, FALSE, sizeof (SkJsonValue), 64);
  doc->scratch = g_string_sized_new (256);
  return doc;
}

void
sk_json_doc_free (SkJsonDoc *doc)
{
  if (doc == NULL)
    return;
  while (doc->blocks != NULL)
    {
      Block *next = doc->blocks->next;

      g_free (doc->blocks);
      doc->blocks = next;
    }
  g_array_unref (doc->members);
  g_array_unref (doc->elements);
  g_string_free (doc->scratch, TRUE);
  g_free (doc);
}

static const SkJsonValue *
parse (SkJsonDoc           *doc,
       const char          *data,
       gsize                len,
       const SkJsonFilter  *filter,
       gsize               *consumed,
       GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  Reader r;
  gboolean ok;

  arena_reset (doc);
  if (data == NULL)
    data = "";

  r.doc = doc;
  r.start = r.p = data;
  r.end = data + len;
  r.depth = 0;
  r.error = &local_error;

  skip_ws (&r);
  ok = read_value (&r, filter, &doc->root);
  if (ok && consumed != NULL)
    *consumed = r.p - data;
  else if (ok)
    {
      skip_ws (&r);
      if (r.p != r.end)
        {
          fail (&r, "more data after the value");
          ok = FALSE;
        }
    }
  if (!ok)
    {
      /* fail() always set one. */
      g_assert (local_error != NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      arena_reset (doc);
      return NULL;
    }
  return &doc->root;
}

const SkJsonValue *
sk_json_doc_parse (SkJsonDoc           *doc,
                   const char          *data,
                   gsize                len,
                   const SkJsonFilter  *filter,
                   GError             **error)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse (doc, data, len, filter, NULL, error);
}

const SkJsonValue *
sk_json_doc_parse_prefix (SkJsonDoc           *doc,
                          const char          *data,
                          gsize                len,
                          const SkJsonFilter  *filter,
                          gsize               *consumed,
                          GError             **error)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (consumed != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse (doc, data, len, filter, consumed, error);
}

static void
import_node (SkJsonDoc *doc, JsonNode *node, SkJsonValue *out)
{
  out->length = 0;
  out->text = NULL;
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *key;
        JsonNode *member;
        SkJsonMember *members;
        guint i = 0;

        out->type = SK_JSON_OBJECT;
        out->length = json_object_get_size (object);
        members = arena_alloc (doc, MAX (out->length, 1) * sizeof (SkJsonMember));
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &key, &member) && i < out->length)
          {
            members[i].key = arena_strndup (doc, key, strlen (key));
            import_node (doc, member, &members[i].value);
            i++;
          }
        out->length = i;
        out->members = members;
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        SkJsonValue *elements;

        out->type = SK_JSON_ARRAY;
        out->length = json_array_get_length (array);
        elements = arena_alloc (doc, MAX (out->length, 1) * sizeof (SkJsonValue));
        for (guint i = 0; i < out->length; i++)
          import_node (doc, json_array_get_element (array, i), &elements[i]);
        out->elements = elements;
      }
      break;
    case JSON_NODE_NULL:
      out->type = SK_JSON_NULL;
      break;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          out->type = SK_JSON_INT;
          out->integer = json_node_get_int (node);
          break;
        case G_TYPE_DOUBLE:
          out->type = SK_JSON_DOUBLE;
          out->number = json_node_get_double (node);
          break;
        case G_TYPE_BOOLEAN:
          out->type = SK_JSON_BOOLEAN;
          out->boolean = json_node_get_boolean (node);
          break;
        case G_TYPE_STRING:
          out->type = SK_JSON_STRING;
          out->string = arena_strndup (doc, json_node_get_string (node),
                                       strlen (json_node_get_string (node)));
          break;
        default:
          out->type = SK_JSON_NULL;
          break;
        }
      break;
    }
}

const SkJsonValue *
sk_json_doc_import (SkJsonDoc *doc,
                    JsonNode  *node)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);

  arena_reset (doc);
  import_node (doc, node, &doc->root);
  return &doc->root;
}

const SkJsonValue *
sk_json_object_get (const SkJsonValue *object,
                    const char        *key)
{
  if (object == NULL || object->type != SK_JSON_OBJECT)
    return NULL;
  for (guint i = object->length; i > 0; i--)
    {
      const SkJsonMember *m = &object->members[i - 1];

      if (m->key[0] == key[0] && strcmp (m->key, key) == 0)
        return &m->value;
    }
  return NULL;
}
