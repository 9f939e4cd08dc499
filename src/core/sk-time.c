/* sk-time.c: timestamps, stored as Unix seconds in UTC
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-core"

#include "config.h"

#include <string.h>

#include "sk-error.h"
#include "sk-time.h"

#define MAX_QUOTED 48

G_LOCK_DEFINE_STATIC (now_func);
static SkTimeNowFunc now_func;
static gpointer now_func_data;

static gboolean
set_time_error (GError **error, const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (g_utf8_strlen (valid, -1) > MAX_QUOTED)
    *g_utf8_offset_to_pointer (valid, MAX_QUOTED) = '\0';
  g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
               "\"%s\" is not a date and time.", valid);
  return FALSE;
}

gboolean
sk_time_parse_iso8601 (const char  *text,
                       GTimeZone   *default_tz,
                       gint64      *out_unix,
                       GError     **error)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *upper = NULL;
  const char *iso = text;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* RFC 3339 allows "t" and "z"; GLib only takes them upper case. */
  if (strpbrk (text, "tz") != NULL)
    iso = upper = g_ascii_strup (text, -1);

  /* g_date_time_new_from_iso8601() fails on a text without an offset when
   * given no default zone: ours is UTC, as the *_gmt fields of WooCommerce
   * need. */
  if (default_tz == NULL)
    default_tz = utc = g_time_zone_new_utc ();

  dt = g_date_time_new_from_iso8601 (iso, default_tz);
  if (dt == NULL)
    return set_time_error (error, text);

  if (out_unix != NULL)
    *out_unix = g_date_time_to_unix (dt);
  return TRUE;
}

gboolean
sk_time_parse_member (JsonObject  *object,
                      const char  *name,
                      GTimeZone   *default_tz,
                      gboolean     optional,
                      gint64      *out_unix,
                      GError     **error)
{
  JsonNode *node;
  const char *text;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
      (JSON_NODE_HOLDS_VALUE (node) &&
       json_node_get_value_type (node) == G_TYPE_STRING &&
       *json_node_get_string (node) == '\0'))
    {
      if (optional)
        {
          if (out_unix != NULL)
            *out_unix = 0;
          return TRUE;
        }
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s is missing.", name);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_TIME,
                   "%s is not a text with a date and time.", name);
      return FALSE;
    }

  text = json_node_get_string (node);
  if (!sk_time_parse_iso8601 (text, default_tz, out_unix, error))
    {
      g_prefix_error (error, "%s ", name);
      return FALSE;
    }
  return TRUE;
}

char *
sk_time_format_iso8601 (gint64 unix_utc)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_utc);

  g_return_val_if_fail (dt != NULL, NULL);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

gint64
sk_time_now (void)
{
  SkTimeNowFunc func;
  gpointer data;

  G_LOCK (now_func);
  func = now_func;
  data = now_func_data;
  G_UNLOCK (now_func);

  if (func != NULL)
    return func (data);
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
sk_time_set_now_func (SkTimeNowFunc func,
                      gpointer      user_data)
{
  G_LOCK (now_func);
  now_func = func;
  now_func_data = user_data;
  G_UNLOCK (now_func);
}
