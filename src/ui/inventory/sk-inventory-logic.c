/* sk-inventory-logic.c: what the inventory editor shows, decided without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inventory-ui"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-inventory-logic.h"

/* Larger typed counts are refused: no shelf holds a billion of anything,
 * and the sums over locations stay far from overflowing. */
#define MAX_COUNT G_GINT64_CONSTANT (1000000000)

#define MINUS_SIGN "\xe2\x88\x92"   /* U+2212 */

static gboolean
is_set (const char *text)
{
  return text != NULL && *text != '\0';
}

/* States */

SkStockState
sk_inventory_stock_state (gint64 available,
                          gint64 reorder_point)
{
  if (available < 0)
    return SK_STOCK_STATE_NEGATIVE;
  if (available == 0)
    return SK_STOCK_STATE_OUT;
  if (reorder_point >= 0 && available <= reorder_point)
    return SK_STOCK_STATE_LOW;
  return SK_STOCK_STATE_OK;
}

SkPill
sk_inventory_stock_pill (SkStockState state)
{
  switch (state)
    {
    case SK_STOCK_STATE_LOW:
      return (SkPill) { C_("stock state", "Low stock"), SK_PILL_WARNING };
    case SK_STOCK_STATE_OUT:
      return (SkPill) { C_("stock state", "Out of stock"), SK_PILL_ERROR };
    case SK_STOCK_STATE_NEGATIVE:
      return (SkPill) { C_("stock state", "Oversold"), SK_PILL_ERROR };
    case SK_STOCK_STATE_OK:
    default:
      return (SkPill) { "", SK_PILL_NEUTRAL };
    }
}

/* Numbers */

char *
sk_inventory_format_count (gint64 count)
{
  if (count < 0)
    return g_strdup_printf (MINUS_SIGN "%" G_GUINT64_FORMAT, (guint64) 0 - (guint64) count);
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

char *
sk_inventory_format_change (gint64 change)
{
  if (change > 0)
    return g_strdup_printf ("+%" G_GINT64_FORMAT, change);
  return sk_inventory_format_count (change);
}

gboolean
sk_inventory_parse_count (const char  *text,
                          gint64       current,
                          gint64      *out_level,
                          GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *p = copy;
  int sign = 0;
  gint64 value = 0;
  gint64 level;

  g_return_val_if_fail (out_level != NULL, FALSE);

  if (*p == '+')
    {
      sign = 1;
      p++;
    }
  else if (*p == '-')
    {
      sign = -1;
      p++;
    }
  else if (g_str_has_prefix (p, MINUS_SIGN))
    {
      sign = -1;
      p += strlen (MINUS_SIGN);
    }
  while (*p == ' ')
    p++;

  if (*p == '\0')
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                   _("Type a count such as 12, or +3 or −2 to change the count."));
      return FALSE;
    }
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                       _("“%s” is not a whole number. Type a count such as 12, or +3 or −2 to change the count."),
                       copy);
          return FALSE;
        }
      value = value * 10 + (*p - '0');
      if (value > MAX_COUNT)
        {
          g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                       _("“%s” is too large for a count. Check the number and type it again."),
                       copy);
          return FALSE;
        }
    }

  level = sign == 0 ? value : current + sign * value;
  if (level < 0)
    {
      g_autofree char *here = sk_inventory_format_count (current);

      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                   _("A count cannot go below zero, and there are %s here. Type a smaller change."),
                   here);
      return FALSE;
    }
  if (level > MAX_COUNT)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                   _("“%s” is too large for a count. Check the number and type it again."),
                   copy);
      return FALSE;
    }
  *out_level = level;
  return TRUE;
}

const char * const *
sk_inventory_adjust_reasons (void)
{
  static const char *reasons[5];

  /* Translated once, in the locale of the first call (the app's). */
  if (reasons[0] == NULL)
    {
      reasons[1] = C_("adjust reason", "Found");
      reasons[2] = C_("adjust reason", "Damaged");
      reasons[3] = C_("adjust reason", "Lost or stolen");
      reasons[4] = NULL;
      reasons[0] = C_("adjust reason", "Correction");
    }
  return (const char * const *) reasons;
}

/* The ledger */

char *
sk_inventory_movement_title (const SkMovement *movement,
                             const char       *other_location_name)
{
  g_autofree char *counted = NULL;

  g_return_val_if_fail (movement != NULL, NULL);

  switch (movement->kind)
    {
    case SK_MOVEMENT_RECEIVE:
      return g_strdup (C_("movement", "Received"));
    case SK_MOVEMENT_ADJUST:
      return g_strdup (C_("movement", "Adjusted"));
    case SK_MOVEMENT_COUNT:
      counted = sk_inventory_format_count (movement->counted >= 0 ? movement->counted
                                                                  : movement->balance);
      /* Translators: a cycle count in a SKU's history; %s is the counted level */
      return g_strdup_printf (C_("movement", "Counted %s"), counted);
    case SK_MOVEMENT_TRANSFER_OUT:
      if (is_set (other_location_name))
        /* Translators: a transfer in a SKU's history; %s is a location */
        return g_strdup_printf (C_("movement", "Moved to %s"), other_location_name);
      return g_strdup (C_("movement", "Moved out"));
    case SK_MOVEMENT_TRANSFER_IN:
      if (is_set (other_location_name))
        /* Translators: a transfer in a SKU's history; %s is a location */
        return g_strdup_printf (C_("movement", "Moved from %s"), other_location_name);
      return g_strdup (C_("movement", "Moved in"));
    case SK_MOVEMENT_SALE:
      if (is_set (movement->order_number))
        /* Translators: a sale in a SKU's history; %s is an order number */
        return g_strdup_printf (C_("movement", "Sold · %s"), movement->order_number);
      return g_strdup (C_("movement", "Sold"));
    case SK_MOVEMENT_RETURN:
      switch (movement->condition)
        {
        case SK_STOCK_CONDITION_DAMAGED:
          return g_strdup (C_("movement", "Returned damaged"));
        case SK_STOCK_CONDITION_QUARANTINE:
          return g_strdup (C_("movement", "Returned to quarantine"));
        case SK_STOCK_CONDITION_RESELLABLE:
        default:
          return g_strdup (C_("movement", "Returned"));
        }
    default:
      return g_strdup (C_("movement", "Changed"));
    }
}

char *
sk_inventory_actor_label (const char *actor)
{
  if (g_strcmp0 (actor, "engine:inventory") == 0)
    return g_strdup (_("Inventory engine"));
  return sk_inbox_actor_label (actor);
}

char *
sk_inventory_movement_subtitle (const SkMovement *movement,
                                gint64            now_unix,
                                GTimeZone        *tz)
{
  g_autofree char *actor = NULL;
  g_autofree char *when = NULL;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (movement != NULL, NULL);

  actor = sk_inventory_actor_label (movement->actor);
  when = sk_inbox_format_date (movement->at, now_unix, tz);
  if (is_set (movement->location_name))
    g_string_append (text, movement->location_name);
  for (guint i = 0; i < 3; i++)
    {
      const char *part = i == 0 ? actor : i == 1 ? when : movement->reason;

      if (!is_set (part))
        continue;
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, part);
    }
  return g_string_free (text, FALSE);
}

/* Undo */

GPtrArray *
sk_inventory_plan_undo (GPtrArray    *edits,
                        const gint64 *count_changes)
{
  g_autoptr(GPtrArray) plan = NULL;

  g_return_val_if_fail (edits != NULL, NULL);

  plan = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_stock_edit_free);
  for (guint i = edits->len; i > 0; i--)
    {
      const SkStockEdit *edit = g_ptr_array_index (edits, i - 1);
      SkStockEdit *inverse = NULL;
      gint64 change;

      switch (edit->kind)
        {
        case SK_MOVEMENT_RECEIVE:
        case SK_MOVEMENT_ADJUST:
          change = edit->quantity;
          if (change != 0)
            inverse = sk_stock_edit_new (SK_MOVEMENT_ADJUST, edit->sku_id,
                                         edit->location_id, -change);
          break;

        case SK_MOVEMENT_COUNT:
          change = count_changes != NULL ? count_changes[i - 1] : 0;
          if (change != 0)
            inverse = sk_stock_edit_new (SK_MOVEMENT_ADJUST, edit->sku_id,
                                         edit->location_id, -change);
          break;

        case SK_MOVEMENT_TRANSFER_OUT:
          if (edit->quantity > 0)
            {
              inverse = sk_stock_edit_new (SK_MOVEMENT_TRANSFER_OUT, edit->sku_id,
                                           edit->to_location_id, edit->quantity);
              inverse->to_location_id = edit->location_id;
            }
          break;

        case SK_MOVEMENT_TRANSFER_IN:
        case SK_MOVEMENT_SALE:
        case SK_MOVEMENT_RETURN:
        default:
          return NULL;
        }
      if (inverse != NULL)
        g_ptr_array_add (plan, inverse);
    }
  return g_steal_pointer (&plan);
}

/* Toasts */

char *
sk_inventory_adjust_toast (const char *sku,
                           const char *location,
                           gint64      change,
                           const char *reason)
{
  g_autofree char *delta = sk_inventory_format_change (change);

  if (is_set (reason))
    /* Translators: SKU at location: change (reason), "TS-42 at Main warehouse: −2 (Damaged)" */
    return g_strdup_printf (_("%s at %s: %s (%s)"), sku, location, delta, reason);
  /* Translators: SKU at location: change, "TS-42 at Main warehouse: −2" */
  return g_strdup_printf (_("%s at %s: %s"), sku, location, delta);
}

char *
sk_inventory_receive_toast (guint       n_skus,
                            const char *sku,
                            gint64      quantity,
                            const char *location)
{
  g_autofree char *count = sk_inventory_format_count (quantity);

  if (n_skus == 1)
    /* Translators: "Received 5 × TS-42 at Main warehouse" */
    return g_strdup_printf (_("Received %s × %s at %s"), count, sku, location);
  /* Translators: "Received 5 each of 3 SKUs at Main warehouse"; the plural follows the SKUs */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Received %s each of %u SKU at %s",
                                       "Received %s each of %u SKUs at %s", n_skus),
                          count, n_skus, location);
}

char *
sk_inventory_transfer_toast (guint       n_skus,
                             const char *sku,
                             gint64      quantity,
                             const char *from,
                             const char *to)
{
  g_autofree char *count = sk_inventory_format_count (quantity);

  if (n_skus == 1)
    /* Translators: "Moved 3 × TS-42 from Main warehouse to Shop backroom" */
    return g_strdup_printf (_("Moved %s × %s from %s to %s"), count, sku, from, to);
  /* Translators: "Moved 3 each of 2 SKUs from Main warehouse to Shop backroom" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moved %s each of %u SKU from %s to %s",
                                       "Moved %s each of %u SKUs from %s to %s", n_skus),
                          count, n_skus, from, to);
}

char *
sk_inventory_bulk_toast (guint       n_skus,
                         gint64      change,
                         const char *location,
                         const char *reason)
{
  g_autofree char *delta = sk_inventory_format_change (change);

  /* Translators: "Adjusted 4 SKUs by −2 at Main warehouse (Damaged)" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Adjusted %u SKU by %s at %s (%s)",
                                       "Adjusted %u SKUs by %s at %s (%s)", n_skus),
                          n_skus, delta, location, reason != NULL ? reason : "");
}

char *
sk_inventory_counts_toast (guint n_changed,
                           guint n_unchanged)
{
  if (n_changed == 0 && n_unchanged == 0)
    return g_strdup (_("The file changed no stock levels"));
  if (n_unchanged == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stock count recorded: %u level changed",
                                         "Stock count recorded: %u levels changed", n_changed),
                            n_changed);
  /* Translators: the second half of "Stock count recorded: 3 levels changed, 10 confirmed" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stock count recorded: %u level changed, %u confirmed",
                                       "Stock count recorded: %u levels changed, %u confirmed", n_changed),
                          n_changed, n_unchanged);
}

/* Channels and listings */

char *
sk_inventory_channel_cell (gboolean   listed,
                           gint64     target,
                           gint64     confirmed,
                           char     **out_tooltip,
                           gboolean  *out_pending)
{
  g_autofree char *shown = NULL;
  g_autofree char *sending = NULL;
  char *tooltip = NULL;
  char *text;
  gboolean pending = FALSE;

  if (!listed)
    {
      text = g_strdup ("—");
      tooltip = g_strdup (_("Not listed on this channel"));
    }
  else if (target < 0 && confirmed < 0)
    {
      text = g_strdup ("?");
      tooltip = g_strdup (_("Not known yet: Storekeep works it out on its next pass"));
    }
  else if (target < 0 || target == confirmed)
    {
      text = sk_inventory_format_count (confirmed);
      /* Translators: tooltip of a channel's quantity in the stock list */
      tooltip = g_strdup_printf (_("The channel shows %s"), text);
    }
  else
    {
      pending = TRUE;
      sending = sk_inventory_format_count (target);
      if (confirmed >= 0)
        {
          shown = sk_inventory_format_count (confirmed);
          text = g_strdup_printf ("%s → %s", shown, sending);
          /* Translators: tooltip: what the channel shows, and what Storekeep sends it */
          tooltip = g_strdup_printf (_("The channel shows %s; Storekeep is sending it %s"),
                                     shown, sending);
        }
      else
        {
          text = g_strdup_printf ("→ %s", sending);
          tooltip = g_strdup_printf (_("Storekeep is sending the channel %s"), sending);
        }
    }

  if (out_tooltip != NULL)
    *out_tooltip = tooltip;
  else
    g_free (tooltip);
  if (out_pending != NULL)
    *out_pending = pending;
  return text;
}

char *
sk_inventory_listing_status (const SkListing *listing)
{
  g_autofree char *shown = NULL;
  g_autofree char *sending = NULL;
  gint64 target;
  gint64 confirmed;

  g_return_val_if_fail (listing != NULL, NULL);

  if (listing->match_state == SK_MATCH_STATE_IGNORED)
    return g_strdup (_("Not stock: Storekeep sends it no numbers"));
  if (listing->sku_id == 0)
    return g_strdup (_("Not matched to a SKU"));

  target = listing->target_quantity;
  confirmed = listing->confirmed_quantity;
  if (confirmed >= 0)
    shown = sk_inventory_format_count (confirmed);
  if (target >= 0 && target != confirmed)
    sending = sk_inventory_format_count (target);

  if (shown != NULL && sending != NULL)
    /* Translators: a listing's quantity: what the channel shows, what is on its way */
    return g_strdup_printf (_("Shows %s · sending %s"), shown, sending);
  if (shown != NULL)
    /* Translators: a listing's quantity as the channel confirmed it */
    return g_strdup_printf (_("Shows %s"), shown);
  if (sending != NULL)
    /* Translators: a listing's quantity on its way to the channel */
    return g_strdup_printf (_("Sending %s"), sending);
  return g_strdup (_("Quantity not known yet"));
}

const char *
sk_inventory_match_label (SkMatchState state)
{
  switch (state)
    {
    case SK_MATCH_STATE_AUTO:
      return C_("match state", "Matched by SKU or barcode");
    case SK_MATCH_STATE_MANUAL:
      return C_("match state", "Matched by you");
    case SK_MATCH_STATE_IGNORED:
      return C_("match state", "Ignored");
    case SK_MATCH_STATE_UNMATCHED:
    default:
      return C_("match state", "Not matched");
    }
}

char *
sk_inventory_listing_refs (const SkListing *listing)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (listing != NULL, NULL);

  if (is_set (listing->product_ref))
    /* Translators: the channel's own product id, "Product 632910392" */
    g_string_append_printf (text, _("Product %s"), listing->product_ref);
  if (is_set (listing->variant_ref))
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: the channel's own variant id, "Variant 808950810" */
      g_string_append_printf (text, _("Variant %s"), listing->variant_ref);
    }
  return g_string_free (text, FALSE);
}

char *
sk_inventory_unmatched_subtitle (const SkListing *listing)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (listing != NULL, NULL);

  if (is_set (listing->channel_name))
    g_string_append (text, listing->channel_name);
  if (is_set (listing->sku))
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: the SKU a channel gave its listing */
      g_string_append_printf (text, _("SKU “%s”"), listing->sku);
    }
  else
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, _("No SKU"));
    }
  if (is_set (listing->barcode))
    {
      g_string_append (text, " · ");
      /* Translators: a listing's barcode (GTIN, EAN, UPC) */
      g_string_append_printf (text, _("Barcode %s"), listing->barcode);
    }
  return g_string_free (text, FALSE);
}

char *
sk_inventory_match_search_text (const SkListing *listing)
{
  g_return_val_if_fail (listing != NULL, NULL);

  if (is_set (listing->sku))
    return g_strdup (listing->sku);
  if (is_set (listing->barcode))
    return g_strdup (listing->barcode);
  if (is_set (listing->title))
    {
      /* The first word or two of the title find the product family. */
      g_auto(GStrv) words = g_strsplit_set (listing->title, " –-/,", -1);
      GString *text = g_string_new (NULL);
      guint taken = 0;

      for (guint i = 0; words[i] != NULL && taken < 2; i++)
        if (*words[i] != '\0')
          {
            if (text->len > 0)
              g_string_append_c (text, ' ');
            g_string_append (text, words[i]);
            taken++;
          }
      return g_string_free (text, FALSE);
    }
  return g_strdup ("");
}

/* Rules */

char *
sk_inventory_rule_preview (gint64 available,
                           gint64 quantity)
{
  g_autofree char *shown = sk_inventory_format_count (quantity);
  g_autofree char *have = sk_inventory_format_count (MAX (available, 0));

  /* Translators: the live preview of a listing rule, "The channel will show 7 of 10 available." */
  return g_strdup_printf (_("The channel will show %s of %s available."), shown, have);
}

char *
sk_inventory_unmatched_banner (gint64 n_unmatched)
{
  if (n_unmatched <= 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u channel listing is not matched to a SKU. Storekeep sends it no stock until you match it.",
                                       "%u channel listings are not matched to a SKU. Storekeep sends them no stock until you match them.",
                                       (gulong) MIN (n_unmatched, G_MAXUINT)),
                          (guint) MIN (n_unmatched, G_MAXUINT));
}

char *
sk_inventory_component_text (gint64 per_kit,
                             gint64 available)
{
  g_autofree char *have = sk_inventory_format_count (available);
  g_autofree char *enough = NULL;
  gint64 kits = per_kit > 0 ? MAX (available, 0) / per_kit : 0;

  enough = sk_inventory_format_count (kits);
  /* Translators: beside a kit's component: "2 per kit · 10 available · enough for 5" */
  return g_strdup_printf (_("%ld per kit · %s available · enough for %s"),
                          (long) per_kit, have, enough);
}

char *
sk_inventory_selection_summary (guint n_selected)
{
  if (n_selected == 0)
    return NULL;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u SKU selected", "%u SKUs selected",
                                       n_selected),
                          n_selected);
}

gboolean
sk_inventory_use_location_columns (guint n_locations)
{
  return n_locations <= SK_INVENTORY_MAX_LOCATION_COLUMNS;
}

/* Pages */

SkInventoryPage
sk_inventory_choose_page (guint    n_items,
                          gboolean filtering,
                          gboolean has_error)
{
  if (has_error)
    return SK_INVENTORY_PAGE_ERROR;
  if (n_items > 0)
    return SK_INVENTORY_PAGE_LIST;
  return filtering ? SK_INVENTORY_PAGE_NO_RESULTS : SK_INVENTORY_PAGE_EMPTY;
}

const char *
sk_inventory_page_name (SkInventoryPage page)
{
  switch (page)
    {
    case SK_INVENTORY_PAGE_EMPTY:
      return "empty";
    case SK_INVENTORY_PAGE_NO_RESULTS:
      return "no-results";
    case SK_INVENTORY_PAGE_ERROR:
      return "error";
    case SK_INVENTORY_PAGE_LIST:
    default:
      return "list";
    }
}

char *
sk_inventory_no_results_text (const char *search,
                              gboolean    filtered)
{
  g_autofree char *words = g_strstrip (g_strdup (search != NULL ? search : ""));

  if (*words != '\0' && filtered)
    return g_strdup_printf (_("No SKUs match “%s” with the filter chosen."), words);
  if (*words != '\0')
    return g_strdup_printf (_("No SKUs match “%s”."), words);
  return g_strdup (_("No SKUs match the filter."));
}
