/* sk-time.h: timestamps, stored as Unix seconds in UTC
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parse ISO 8601 ("2008-01-10T11:00:00-05:00", "2017-03-22T16:28:08Z",
 * "2017-03-22T16:28:08" as WooCommerce's *_gmt fields send it) into Unix
 * seconds UTC. A timestamp without an offset is read in @default_tz, or in
 * UTC when @default_tz is NULL. Fractions of a second are dropped. */
gboolean  sk_time_parse_iso8601   (const char  *text,
                                   GTimeZone   *default_tz,
                                   gint64      *out_unix,
                                   GError     **error);

/* Member @name of @object: absent, null or "" gives 0 and TRUE when
 * @optional. */
gboolean  sk_time_parse_member    (JsonObject  *object,
                                   const char  *name,
                                   GTimeZone   *default_tz,
                                   gboolean     optional,
                                   gint64      *out_unix,
                                   GError     **error);

/* "2008-01-10T16:00:00Z". Free with g_free(). */
char     *sk_time_format_iso8601  (gint64       unix_utc);

/* Seconds since the epoch, now, UTC; overridable by tests and the demo shop
 * through sk_time_set_now_func(). */
gint64    sk_time_now             (void);
typedef gint64 (*SkTimeNowFunc) (gpointer user_data);
void      sk_time_set_now_func    (SkTimeNowFunc func,
                                   gpointer      user_data);

G_END_DECLS
