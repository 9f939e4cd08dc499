/* sk-json.h: a strict, fast JSON reader into a read-only document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib builds a hash table per object and emits a GObject signal per
 * value; reading a page of Shopify orders with it costs several times more
 * than normalizing them. SkJsonDoc parses into plain arrays in one arena
 * that is reused from one payload to the next, and can leave out the
 * members a reader does not look at. Normalizers read SkJsonValue; a
 * JsonNode from elsewhere can be imported.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  SK_JSON_NULL,
  SK_JSON_BOOLEAN,
  SK_JSON_INT,       /* an integer that fits in 64 bits */
  SK_JSON_DOUBLE,    /* any other number */
  SK_JSON_STRING,
  SK_JSON_OBJECT,
  SK_JSON_ARRAY,
} SkJsonType;

typedef struct _SkJsonValue  SkJsonValue;
typedef struct _SkJsonMember SkJsonMember;

struct _SkJsonValue {
  SkJsonType type;
  guint      length;                 /* members of an object, elements of an array */
  union {
    gboolean            boolean;
    gint64              integer;
    double              number;      /* nearest double: never for money */
    const char         *string;      /* valid UTF-8, NUL-terminated */
    const SkJsonMember *members;     /* in document order */
    const SkJsonValue  *elements;
  };
  /* SK_JSON_DOUBLE: the number exactly as the document wrote it
   * ("19.999999999999999", "1.5e3"), NUL-terminated, so amounts can be
   * read from it digit by digit (sk_money_parse_json_number()). NULL for
   * other types and for numbers imported from json-glib, which keeps only
   * the double. */
  const char *text;
};

struct _SkJsonMember {
  const char  *key;
  SkJsonValue  value;
};

/* Which members of an object to keep: a table ended by { NULL }. A member
 * not in the table is checked for syntax and left out; one that is, is kept
 * with @children as the table for its own members (for an array: for each
 * element's), or whole when @children is NULL. */
typedef struct _SkJsonFilter SkJsonFilter;
struct _SkJsonFilter {
  const char         *key;
  const SkJsonFilter *children;
};

typedef struct _SkJsonDoc SkJsonDoc;

SkJsonDoc          *sk_json_doc_new     (void);
void                sk_json_doc_free    (SkJsonDoc          *doc);

/* Parse exactly one JSON value (RFC 8259) from @len bytes of @data,
 * dropping what @doc held before. The value lives as long as @doc or until
 * the next parse or import. Refuses invalid UTF-8, leading zeros, NaN,
 * trailing commas, comments, control characters in strings and lone
 * surrogate escapes; \u0000 becomes U+FFFD. An integer beyond 64 bits is a
 * double. Errors are SK_CORE_ERROR_INVALID_PAYLOAD, with the byte offset. */
const SkJsonValue  *sk_json_doc_parse   (SkJsonDoc          *doc,
                                         const char         *data,
                                         gsize               len,
                                         const SkJsonFilter *filter,
                                         GError            **error);

/* The same for the first value in @data, which may go on after it:
 * *@consumed is set to where the value ends. */
const SkJsonValue  *sk_json_doc_parse_prefix (SkJsonDoc          *doc,
                                              const char         *data,
                                              gsize               len,
                                              const SkJsonFilter *filter,
                                              gsize              *consumed,
                                              GError            **error);

/* A copy of a json-glib tree, likewise owned by @doc. */
const SkJsonValue  *sk_json_doc_import  (SkJsonDoc          *doc,
                                         JsonNode           *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkJsonDoc, sk_json_doc_free)

/* Member @key of @object (NULL when @object is not an object or has no such
 * member; the last one when a name repeats, as json-glib does). */
const SkJsonValue  *sk_json_object_get  (const SkJsonValue  *object,
                                         const char         *key);

G_END_DECLS
