/* sk-normalize-private.h: the field readers the order normalizers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by the Shopify and WooCommerce normalizers (sk-shopify-normalize.c,
 * sk-woo-normalize.c). Readers take the object, the member name and a
 * prefix giving the path of the object in the order ("line_items[2].");
 * errors (SK_CORE_ERROR_INVALID_PAYLOAD) start with the full path of the
 * field. Absent and null members read as NULL.
 */
#pragma once

#include <glib.h>

#include "sk-json.h"
#include "sk-store-import.h"

G_BEGIN_DECLS

/* A value as an error message quotes it: "\"abc…\"", 12, null, {…}. */
char              *_sk_normalize_describe_value (const SkJsonValue  *v);
/* Sets "PREFIXNAME VALUE is not EXPECTED."; returns FALSE. */
gboolean           _sk_normalize_type_error     (GError            **error,
                                                 const char         *prefix,
                                                 const char         *name,
                                                 const SkJsonValue  *v,
                                                 const char         *expected);
/* Sets "PREFIXNAME is missing."; returns FALSE. */
gboolean           _sk_normalize_missing_error  (GError            **error,
                                                 const char         *prefix,
                                                 const char         *name);
/* The member, or NULL when it is absent or null. */
const SkJsonValue *_sk_normalize_get_member     (const SkJsonValue  *obj,
                                                 const char         *name);
/* *@out: the list, or NULL when absent or null; FALSE when not a list. */
gboolean           _sk_normalize_get_array      (const SkJsonValue  *obj,
                                                 const char         *name,
                                                 const char         *prefix,
                                                 const SkJsonValue **out,
                                                 GError            **error);
/* *@sum += @value, or FALSE (SK_CORE_ERROR_INVALID_MONEY) on overflow. */
gboolean           _sk_normalize_add_amount     (gint64             *sum,
                                                 gint64              value,
                                                 const char         *prefix,
                                                 const char         *name,
                                                 GError            **error);
/* "First Last", either part optional; NULL when both are empty. */
char              *_sk_normalize_join_name      (const char         *first,
                                                 const char         *last);
/* A dead letter for @page with the raw bytes of the bad order. */
void               _sk_normalize_add_dead_letter (SkImportPage      *page,
                                                  const char        *external_id,
                                                  const char        *reason,
                                                  const char        *raw,
                                                  gsize              raw_len);
/* The start of a body, for a message: printable, valid UTF-8, short. */
char              *_sk_normalize_body_excerpt   (const char         *data,
                                                 gsize               len);

G_END_DECLS
