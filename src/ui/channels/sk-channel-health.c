/* sk-channel-health.c: what the Channels page says about a channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define G_LOG_DOMAIN "sk-channels"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-channel-health.h"

const char *
sk_channel_state_icon_name (SkChannelState state)
{
  switch (state)
    {
    case SK_CHANNEL_STATE_IDLE:
      return "emblem-ok-symbolic";
    case SK_CHANNEL_STATE_SYNCING:
      return "emblem-synchronizing-symbolic";
    case SK_CHANNEL_STATE_FAILING:
      return "dialog-warning-symbolic";
    case SK_CHANNEL_STATE_NEEDS_ATTENTION:
      return "dialog-error-symbolic";
    case SK_CHANNEL_STATE_PAUSED:
      return "media-playback-pause-symbolic";
    default:
      return "dialog-question-symbolic";
    }
}

const char *
sk_channel_state_style_class (SkChannelState state)
{
  switch (state)
    {
    case SK_CHANNEL_STATE_IDLE:
      return "success";
    case SK_CHANNEL_STATE_FAILING:
      return "warning";
    case SK_CHANNEL_STATE_NEEDS_ATTENTION:
      return "error";
    case SK_CHANNEL_STATE_SYNCING:
      return "accent";
    case SK_CHANNEL_STATE_PAUSED:
    default:
      return NULL;
    }
}

const char *
sk_channel_state_label (SkChannelState state)
{
  switch (state)
    {
    case SK_CHANNEL_STATE_IDLE:
      return _("Up to date");
    case SK_CHANNEL_STATE_SYNCING:
      return _("Syncing…");
    case SK_CHANNEL_STATE_FAILING:
      return _("Failing, will retry");
    case SK_CHANNEL_STATE_NEEDS_ATTENTION:
      return _("Needs your attention");
    case SK_CHANNEL_STATE_PAUSED:
      return _("Paused");
    default:
      return _("Unknown");
    }
}

const char *
sk_channel_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "shopify") == 0)
    return "Shopify";
  if (g_strcmp0 (kind, "woocommerce") == 0)
    return "WooCommerce";
  if (g_strcmp0 (kind, "amazon") == 0)
    return "Amazon";
  if (g_strcmp0 (kind, "csv") == 0)
    return _("CSV import");
  return kind != NULL ? kind : _("Unknown");
}

char *
sk_format_relative_time (gint64 then,
                         gint64 now)
{
  gint64 delta;

  if (then <= 0)
    return g_strdup (_("Never"));

  delta = now - then;
  if (delta < 60)
    return g_strdup (_("Just now"));
  if (delta < 3600)
    {
      int minutes = (int) (delta / 60);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d minute ago", "%d minutes ago",
                                           minutes), minutes);
    }
  if (delta < 24 * 3600)
    {
      int hours = (int) (delta / 3600);

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d hour ago", "%d hours ago",
                                           hours), hours);
    }
  if (delta < 48 * 3600)
    return g_strdup (_("Yesterday"));
  if (delta < 7 * 24 * 3600)
    {
      int days = (int) (delta / (24 * 3600));

      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d day ago", "%d days ago",
                                           days), days);
    }

  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (then);
    g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

    if (local == NULL)
      return g_strdup (_("Long ago"));
    /* Translators: a date, see g_date_time_format() */
    return g_date_time_format (local, _("%e %B %Y"));
  }
}

/* Grouped in the locale's way ("1,200"); glibc's printf knows the ' flag. */
static char *
format_count (gint64 n)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

char *
sk_channel_progress_text (const SkSyncProgress *progress)
{
  g_autofree char *orders = NULL;

  g_return_val_if_fail (progress != NULL, NULL);

  if (progress->pages == 0 && progress->orders == 0)
    return NULL;

  orders = format_count (progress->orders);
  if (progress->expected_orders > 0)
    {
      g_autofree char *expected = format_count (progress->expected_orders);

      /* Translators: "Page 3 · 150 of 1,200 orders" */
      return g_strdup_printf (_("Page %u · %s of %s orders"),
                              progress->pages, orders, expected);
    }

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Page %u · %s order",
                                       "Page %u · %s orders",
                                       progress->orders),
                          progress->pages, orders);
}

double
sk_channel_progress_fraction (const SkSyncProgress *progress)
{
  g_return_val_if_fail (progress != NULL, -1);

  if (progress->expected_orders <= 0)
    return -1;
  return CLAMP ((double) progress->orders / (double) progress->expected_orders, 0.0, 1.0);
}

char *
sk_channel_health_summary (SkChannel *channel,
                           gint64     now)
{
  SkChannelState state;

  g_return_val_if_fail (SK_IS_CHANNEL (channel), NULL);

  state = sk_channel_get_state (channel);
  switch (state)
    {
    case SK_CHANNEL_STATE_IDLE:
      {
        g_autofree char *when = sk_format_relative_time (sk_channel_get_last_success (channel), now);

        if (sk_channel_get_last_success (channel) <= 0)
          return g_strdup (_("Not synced yet"));
        /* Translators: "Up to date · synced 2 minutes ago" */
        return g_strdup_printf (_("Up to date · synced %s"), when);
      }

    case SK_CHANNEL_STATE_SYNCING:
      {
        SkSyncProgress progress = { 0, 0, -1 };
        g_autofree char *text = NULL;

        sk_channel_get_progress (channel, &progress);
        text = sk_channel_progress_text (&progress);
        if (text == NULL)
          return g_strdup (_("Syncing…"));
        /* Translators: "Syncing · Page 3 · 150 orders" */
        return g_strdup_printf (_("Syncing · %s"), text);
      }

    case SK_CHANNEL_STATE_FAILING:
    case SK_CHANNEL_STATE_NEEDS_ATTENTION:
      if (sk_channel_get_last_error (channel) != NULL)
        return g_strdup (sk_channel_get_last_error (channel));
      return g_strdup (sk_channel_state_label (state));

    case SK_CHANNEL_STATE_PAUSED:
    default:
      return g_strdup (sk_channel_state_label (state));
    }
}

gboolean
sk_channel_has_problem (SkChannel *channel)
{
  SkChannelState state;

  g_return_val_if_fail (SK_IS_CHANNEL (channel), FALSE);

  state = sk_channel_get_state (channel);
  return state == SK_CHANNEL_STATE_FAILING ||
         state == SK_CHANNEL_STATE_NEEDS_ATTENTION ||
         sk_channel_get_dead_letters (channel) > 0;
}

static void
append_newline (GString *out,
                int      depth)
{
  g_string_append_c (out, '\n');
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

char *
sk_json_reindent (const char *text,
                  gsize       len)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  int depth = 0;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  valid = g_utf8_make_valid (text != NULL ? text : "", (gssize) len);

  /* Not JSON (an HTML error page…): show it as it came. */
  {
    const char *first = valid;

    while (g_ascii_isspace (*first))
      first++;
    if (*first != '{' && *first != '[')
      return g_steal_pointer (&valid);
  }

  out = g_string_sized_new (len + len / 4);

  for (const char *p = valid; *p != '\0'; p++)
    {
      char c = *p;

      if (in_string)
        {
          g_string_append_c (out, c);
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          g_string_append_c (out, c);
          break;

        case '{':
        case '[':
          g_string_append_c (out, c);
          /* Keep empty containers on one line. */
          {
            const char *q = p + 1;

            while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
              q++;
            if ((c == '{' && *q == '}') || (c == '[' && *q == ']'))
              {
                g_string_append_c (out, *q);
                p = q;
                break;
              }
          }
          depth++;
          append_newline (out, depth);
          break;

        case '}':
        case ']':
          depth = MAX (depth - 1, 0);
          append_newline (out, depth);
          g_string_append_c (out, c);
          break;

        case ',':
          g_string_append_c (out, c);
          append_newline (out, depth);
          break;

        case ':':
          g_string_append (out, ": ");
          break;

        case ' ':
        case '\t':
        case '\n':
        case '\r':
          break;

        default:
          g_string_append_c (out, c);
          break;
        }
    }

  return g_string_free (out, FALSE);
}
