/* sk-inbox-logic.c: what the order inbox shows, decided without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-inbox-logic.h"
#include "sk-money.h"

/* Pills */

SkPill
sk_inbox_payment_pill (SkPaymentStatus status)
{
  switch (status)
    {
    case SK_PAYMENT_STATUS_PENDING:
      return (SkPill) { C_("payment status", "Pending"), SK_PILL_WARNING };
    case SK_PAYMENT_STATUS_AUTHORIZED:
      return (SkPill) { C_("payment status", "Authorized"), SK_PILL_ACCENT };
    case SK_PAYMENT_STATUS_PARTIALLY_PAID:
      return (SkPill) { C_("payment status", "Partly paid"), SK_PILL_WARNING };
    case SK_PAYMENT_STATUS_PAID:
      return (SkPill) { C_("payment status", "Paid"), SK_PILL_SUCCESS };
    case SK_PAYMENT_STATUS_PARTIALLY_REFUNDED:
      return (SkPill) { C_("payment status", "Partly refunded"), SK_PILL_NEUTRAL };
    case SK_PAYMENT_STATUS_REFUNDED:
      return (SkPill) { C_("payment status", "Refunded"), SK_PILL_NEUTRAL };
    case SK_PAYMENT_STATUS_VOIDED:
      return (SkPill) { C_("payment status", "Voided"), SK_PILL_DIM };
    case SK_PAYMENT_STATUS_FAILED:
      return (SkPill) { C_("payment status", "Failed"), SK_PILL_ERROR };
    case SK_PAYMENT_STATUS_UNKNOWN:
    default:
      return (SkPill) { C_("payment status", "Unknown"), SK_PILL_DIM };
    }
}

SkPill
sk_inbox_fulfillment_pill (SkFulfillmentStatus status)
{
  switch (status)
    {
    case SK_FULFILLMENT_STATUS_UNFULFILLED:
      return (SkPill) { C_("fulfillment status", "Unfulfilled"), SK_PILL_WARNING };
    case SK_FULFILLMENT_STATUS_PARTIAL:
      return (SkPill) { C_("fulfillment status", "Partly shipped"), SK_PILL_ACCENT };
    case SK_FULFILLMENT_STATUS_FULFILLED:
      return (SkPill) { C_("fulfillment status", "Fulfilled"), SK_PILL_SUCCESS };
    case SK_FULFILLMENT_STATUS_RESTOCKED:
      return (SkPill) { C_("fulfillment status", "Restocked"), SK_PILL_NEUTRAL };
    case SK_FULFILLMENT_STATUS_NOT_REQUIRED:
      return (SkPill) { C_("fulfillment status", "No shipping"), SK_PILL_DIM };
    case SK_FULFILLMENT_STATUS_UNKNOWN:
    default:
      return (SkPill) { C_("fulfillment status", "Unknown"), SK_PILL_DIM };
    }
}

SkPill
sk_inbox_order_status_pill (SkOrderStatus status)
{
  switch (status)
    {
    case SK_ORDER_STATUS_PENDING:
      return (SkPill) { C_("order status", "Pending"), SK_PILL_WARNING };
    case SK_ORDER_STATUS_OPEN:
      return (SkPill) { C_("order status", "Open"), SK_PILL_ACCENT };
    case SK_ORDER_STATUS_COMPLETED:
      return (SkPill) { C_("order status", "Completed"), SK_PILL_SUCCESS };
    case SK_ORDER_STATUS_CANCELLED:
      return (SkPill) { C_("order status", "Cancelled"), SK_PILL_ERROR };
    case SK_ORDER_STATUS_UNKNOWN:
    default:
      return (SkPill) { C_("order status", "Unknown"), SK_PILL_DIM };
    }
}

const char *
sk_inbox_pill_css_class (SkPillStyle style)
{
  static const char *classes[] = {
    "pill-neutral", "pill-success", "pill-warning",
    "pill-error", "pill-accent", "pill-dim",
  };

  if ((guint) style >= G_N_ELEMENTS (classes))
    return classes[0];
  return classes[style];
}

/* Dates */

static GDateTime *
local_date_time (gint64     unix_utc,
                 GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_utc);
  g_autoptr(GTimeZone) local = NULL;

  if (utc == NULL)
    return NULL;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  return g_date_time_to_timezone (utc, tz);
}

/* Days between the calendar dates of @a and @b (b - a). */
static int
day_difference (GDateTime *a,
                GDateTime *b)
{
  GDate da, db;

  g_date_clear (&da, 1);
  g_date_clear (&db, 1);
  g_date_set_dmy (&da, g_date_time_get_day_of_month (a),
                  g_date_time_get_month (a), g_date_time_get_year (a));
  g_date_set_dmy (&db, g_date_time_get_day_of_month (b),
                  g_date_time_get_month (b), g_date_time_get_year (b));
  return g_date_days_between (&da, &db);
}

char *
sk_inbox_format_date (gint64     unix_utc,
                      gint64     now_unix,
                      GTimeZone *tz)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *format;
  int days;

  if (unix_utc <= 0)
    return g_strdup ("");

  when = local_date_time (unix_utc, tz);
  now = local_date_time (now_unix, tz);
  if (when == NULL || now == NULL)
    return g_strdup ("");

  days = day_difference (when, now);
  if (days == 0)
    /* Translators: an order date today; a g_date_time_format() pattern */
    format = C_("order date", "Today %H:%M");
  else if (days == 1)
    /* Translators: an order date yesterday; a g_date_time_format() pattern */
    format = C_("order date", "Yesterday %H:%M");
  else if (g_date_time_get_year (when) == g_date_time_get_year (now))
    /* Translators: an order date this year; a g_date_time_format() pattern */
    format = C_("order date", "%b %-d");
  else
    /* Translators: an order date in another year; a g_date_time_format() pattern */
    format = C_("order date", "%b %-d, %Y");

  return g_date_time_format (when, format);
}

char *
sk_inbox_format_date_long (gint64     unix_utc,
                           GTimeZone *tz)
{
  g_autoptr(GDateTime) when = NULL;

  if (unix_utc <= 0)
    return g_strdup ("");
  when = local_date_time (unix_utc, tz);
  if (when == NULL)
    return g_strdup ("");
  /* Translators: the date of an order in its pane; a g_date_time_format() pattern */
  return g_date_time_format (when, C_("order date", "%A, %B %-d, %Y at %H:%M"));
}

static gboolean
is_set (const char *s)
{
  return s != NULL && *s != '\0';
}

char *
sk_inbox_format_destination (const char *city,
                             const char *country_code)
{
  if (is_set (city) && is_set (country_code))
    /* Translators: a destination in the order list: city, country code */
    return g_strdup_printf (C_("destination", "%s, %s"), city, country_code);
  if (is_set (city))
    return g_strdup (city);
  if (is_set (country_code))
    return g_strdup (country_code);
  return g_strdup ("");
}

static void
append_line (GString    *out,
             const char *line)
{
  if (!is_set (line))
    return;
  if (out->len > 0)
    g_string_append_c (out, '\n');
  g_string_append (out, line);
}

static gboolean
country_is (const SkAddress *address,
            const char      *code)
{
  return address->country_code != NULL && g_ascii_strcasecmp (address->country_code, code) == 0;
}

char *
sk_inbox_format_address (const SkAddress *address)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GString) city_line = g_string_new (NULL);

  if (address == NULL)
    return g_string_free (out, FALSE);

  append_line (out, address->name);
  append_line (out, address->company);
  append_line (out, address->line1);
  append_line (out, address->line2);

  if (country_is (address, "US") || country_is (address, "CA") || country_is (address, "AU"))
    {
      /* "Louisville, KY 40202" */
      g_string_append (city_line, is_set (address->city) ? address->city : "");
      if (is_set (address->region_code) || is_set (address->region))
        g_string_append_printf (city_line, "%s%s", city_line->len > 0 ? ", " : "",
                                is_set (address->region_code) ? address->region_code
                                                              : address->region);
      if (is_set (address->postcode))
        g_string_append_printf (city_line, "%s%s", city_line->len > 0 ? " " : "",
                                address->postcode);
    }
  else if (country_is (address, "GB") || country_is (address, "IE"))
    {
      /* Town, then the postcode on its own line. */
      append_line (out, address->city);
      append_line (out, address->region);
      g_string_append (city_line, is_set (address->postcode) ? address->postcode : "");
    }
  else
    {
      /* "10115 Berlin", most of Europe and elsewhere */
      if (is_set (address->postcode))
        g_string_append (city_line, address->postcode);
      if (is_set (address->city))
        g_string_append_printf (city_line, "%s%s", city_line->len > 0 ? " " : "",
                                address->city);
      if (is_set (address->region) && g_strcmp0 (address->region, address->city) != 0)
        g_string_append_printf (city_line, "%s%s", city_line->len > 0 ? ", " : "",
                                address->region);
    }
  append_line (out, city_line->str);
  append_line (out, is_set (address->country) ? address->country
                                              : address->country_code);
  append_line (out, address->phone);
  return g_string_free (out, FALSE);
}

void
sk_inbox_date_preset_range (SkDatePreset preset,
                            gint64       now_unix,
                            GTimeZone   *tz,
                            gint64      *out_from,
                            gint64      *out_to)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) from = NULL;
  int back_days;

  g_return_if_fail (out_from != NULL && out_to != NULL);

  *out_from = 0;
  *out_to = 0;

  switch (preset)
    {
    case SK_DATE_PRESET_TODAY:
      back_days = 0;
      break;
    case SK_DATE_PRESET_7_DAYS:
      back_days = 6;
      break;
    case SK_DATE_PRESET_30_DAYS:
      back_days = 29;
      break;
    case SK_DATE_PRESET_ALL:
    default:
      return;
    }

  now = local_date_time (now_unix, tz);
  if (now == NULL)
    return;
  midnight = g_date_time_new (g_date_time_get_timezone (now),
                              g_date_time_get_year (now),
                              g_date_time_get_month (now),
                              g_date_time_get_day_of_month (now), 0, 0, 0);
  from = g_date_time_add_days (midnight, -back_days);
  *out_from = g_date_time_to_unix (from);
}

/* Selections */

struct _SkInboxSelection
{
  guint n_orders;
  guint n_on_hold;
  guint n_archived;
  guint n_with_tags;
  GHashTable *totals;   /* currency → gint64* */
  GHashTable *tags;     /* set */
  char **sorted_tags;
};

SkInboxSelection *
sk_inbox_selection_new (void)
{
  SkInboxSelection *self = g_new0 (SkInboxSelection, 1);

  self->totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
sk_inbox_selection_free (SkInboxSelection *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->totals);
  g_hash_table_unref (self->tags);
  g_free (self->sorted_tags);
  g_free (self);
}

void
sk_inbox_selection_add (SkInboxSelection *self,
                        SkOrder          *order)
{
  const char * const *tags;
  const char *currency;
  gint64 *sum;

  g_return_if_fail (self != NULL);
  g_return_if_fail (SK_IS_ORDER (order));

  self->n_orders++;
  if (sk_order_get_on_hold (order))
    self->n_on_hold++;
  if (sk_order_get_archived (order))
    self->n_archived++;

  tags = sk_order_get_tags (order);
  if (tags != NULL && tags[0] != NULL)
    {
      self->n_with_tags++;
      for (guint i = 0; tags[i] != NULL; i++)
        if (!g_hash_table_contains (self->tags, tags[i]))
          {
            g_hash_table_add (self->tags, g_strdup (tags[i]));
            g_clear_pointer (&self->sorted_tags, g_free);
          }
    }

  currency = sk_order_get_currency (order);
  if (currency == NULL)
    currency = "";
  sum = g_hash_table_lookup (self->totals, currency);
  if (sum == NULL)
    {
      sum = g_new0 (gint64, 1);
      g_hash_table_insert (self->totals, g_strdup (currency), sum);
    }
  *sum += sk_order_get_total (order);
}

guint
sk_inbox_selection_get_count (SkInboxSelection *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_orders;
}

SkInboxActionFlags
sk_inbox_selection_get_actions (SkInboxSelection *self)
{
  SkInboxActionFlags flags = 0;

  g_return_val_if_fail (self != NULL, 0);

  if (self->n_orders == 0)
    return 0;

  flags |= SK_INBOX_CAN_ADD_TAG;
  if (self->n_on_hold < self->n_orders)
    flags |= SK_INBOX_CAN_HOLD;
  if (self->n_on_hold > 0)
    flags |= SK_INBOX_CAN_RELEASE;
  if (self->n_with_tags > 0)
    flags |= SK_INBOX_CAN_REMOVE_TAG;
  if (self->n_archived < self->n_orders)
    flags |= SK_INBOX_CAN_ARCHIVE;
  if (self->n_archived > 0)
    flags |= SK_INBOX_CAN_UNARCHIVE;
  return flags;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

const char * const *
sk_inbox_selection_get_tags (SkInboxSelection *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->sorted_tags == NULL)
    {
      guint n = 0;

      self->sorted_tags = (char **) g_hash_table_get_keys_as_array (self->tags, &n);
      g_qsort_with_data (self->sorted_tags, n, sizeof (char *), compare_strings, NULL);
    }
  return (const char * const *) self->sorted_tags;
}

char *
sk_inbox_selection_summary (SkInboxSelection *self)
{
  g_autofree char *count = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n_currencies;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->n_orders == 0)
    return NULL;

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u order selected",
                                        "%u orders selected",
                                        self->n_orders),
                           self->n_orders);

  n_currencies = g_hash_table_size (self->totals);
  if (n_currencies == 1)
    {
      g_autofree char *money = NULL;

      g_hash_table_iter_init (&iter, self->totals);
      g_hash_table_iter_next (&iter, &key, &value);
      if (*(const char *) key == '\0')
        return g_steal_pointer (&count);
      money = sk_money_format_display (*(gint64 *) value, key);
      /* Translators: "3 orders selected · $120.00" */
      return g_strdup_printf (C_("selection summary", "%s · %s"), count, money);
    }

  /* Translators: "3 orders selected · 2 currencies" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s · %u currency",
                                       "%s · %u currencies",
                                       n_currencies),
                          count, n_currencies);
}

/* Undo plans */

void
sk_inbox_step_free (SkInboxStep *step)
{
  if (step == NULL)
    return;
  g_free (step->arg);
  g_clear_pointer (&step->order_ids, g_array_unref);
  g_free (step);
}

static SkInboxStep *
step_new (SkOrderAction  action,
          const char    *arg)
{
  SkInboxStep *step = g_new0 (SkInboxStep, 1);

  step->action = action;
  step->arg = g_strdup (arg);
  step->order_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return step;
}

static void
step_add (SkInboxStep *step,
          SkOrder     *order)
{
  gint64 id = sk_order_get_id (order);

  g_array_append_val (step->order_ids, id);
}

/* Releasing several orders is undone by one hold per previous reason. */
static GPtrArray *
plan_rehold (GPtrArray *before)
{
  GPtrArray *steps = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_inbox_step_free);

  for (guint i = 0; i < before->len; i++)
    {
      SkOrder *order = g_ptr_array_index (before, i);
      const char *reason = sk_order_get_hold_reason (order);
      SkInboxStep *step = NULL;

      if (!sk_order_get_on_hold (order))
        continue;
      if (!is_set (reason))
        reason = _("Put back on hold (undo)");

      for (guint j = 0; j < steps->len && step == NULL; j++)
        {
          SkInboxStep *candidate = g_ptr_array_index (steps, j);

          if (g_strcmp0 (candidate->arg, reason) == 0)
            step = candidate;
        }
      if (step == NULL)
        {
          step = step_new (SK_ORDER_ACTION_HOLD, reason);
          g_ptr_array_add (steps, step);
        }
      step_add (step, order);
    }
  return steps;
}

GPtrArray *
sk_inbox_plan_undo (SkOrderAction  action,
                    const char    *arg,
                    GPtrArray     *before)
{
  g_autoptr(GPtrArray) steps = NULL;
  SkInboxStep *step;

  g_return_val_if_fail (before != NULL, NULL);

  if (action == SK_ORDER_ACTION_RELEASE)
    return plan_rehold (before);

  steps = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_inbox_step_free);
  switch (action)
    {
    case SK_ORDER_ACTION_HOLD:
      step = step_new (SK_ORDER_ACTION_RELEASE, _("Undo"));
      break;
    case SK_ORDER_ACTION_ADD_TAG:
      step = step_new (SK_ORDER_ACTION_REMOVE_TAG, arg);
      break;
    case SK_ORDER_ACTION_REMOVE_TAG:
      step = step_new (SK_ORDER_ACTION_ADD_TAG, arg);
      break;
    case SK_ORDER_ACTION_ARCHIVE:
      step = step_new (SK_ORDER_ACTION_UNARCHIVE, NULL);
      break;
    case SK_ORDER_ACTION_UNARCHIVE:
      step = step_new (SK_ORDER_ACTION_ARCHIVE, NULL);
      break;
    case SK_ORDER_ACTION_RELEASE:
    default:
      g_return_val_if_reached (g_steal_pointer (&steps));
    }

  for (guint i = 0; i < before->len; i++)
    {
      SkOrder *order = g_ptr_array_index (before, i);
      gboolean changes;

      switch (action)
        {
        case SK_ORDER_ACTION_HOLD:
          changes = !sk_order_get_on_hold (order);
          break;
        case SK_ORDER_ACTION_ADD_TAG:
          changes = !sk_order_has_tag (order, arg);
          break;
        case SK_ORDER_ACTION_REMOVE_TAG:
          changes = sk_order_has_tag (order, arg);
          break;
        case SK_ORDER_ACTION_ARCHIVE:
          changes = !sk_order_get_archived (order);
          break;
        case SK_ORDER_ACTION_UNARCHIVE:
          changes = sk_order_get_archived (order);
          break;
        case SK_ORDER_ACTION_RELEASE:
        default:
          changes = FALSE;
          break;
        }
      if (changes)
        step_add (step, order);
    }

  if (step->order_ids->len > 0)
    g_ptr_array_add (steps, step);
  else
    sk_inbox_step_free (step);
  return g_steal_pointer (&steps);
}

/* Toasts */

static char *
toast_for_one (SkOrderAction  action,
               const char    *arg,
               const char    *number)
{
  switch (action)
    {
    case SK_ORDER_ACTION_HOLD:
      return g_strdup_printf (_("Order %s put on hold"), number);
    case SK_ORDER_ACTION_RELEASE:
      return g_strdup_printf (_("Order %s released"), number);
    case SK_ORDER_ACTION_ADD_TAG:
      return g_strdup_printf (_("Tag “%s” added to order %s"), arg, number);
    case SK_ORDER_ACTION_REMOVE_TAG:
      return g_strdup_printf (_("Tag “%s” removed from order %s"), arg, number);
    case SK_ORDER_ACTION_ARCHIVE:
      return g_strdup_printf (_("Order %s archived"), number);
    case SK_ORDER_ACTION_UNARCHIVE:
      return g_strdup_printf (_("Order %s moved back to the inbox"), number);
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
toast_for_none (SkOrderAction  action,
                const char    *arg)
{
  switch (action)
    {
    case SK_ORDER_ACTION_HOLD:
      return g_strdup (_("Nothing changed: the orders were already on hold"));
    case SK_ORDER_ACTION_RELEASE:
      return g_strdup (_("Nothing changed: none of the orders was on hold"));
    case SK_ORDER_ACTION_ADD_TAG:
      return g_strdup_printf (_("Nothing changed: the orders already have the tag “%s”"), arg);
    case SK_ORDER_ACTION_REMOVE_TAG:
      return g_strdup_printf (_("Nothing changed: no order had the tag “%s”"), arg);
    case SK_ORDER_ACTION_ARCHIVE:
      return g_strdup (_("Nothing changed: the orders were already archived"));
    case SK_ORDER_ACTION_UNARCHIVE:
      return g_strdup (_("Nothing changed: the orders were not archived"));
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
sk_inbox_action_toast (SkOrderAction  action,
                       const char    *arg,
                       guint          n_changed,
                       const char    *number)
{
  if (arg == NULL)
    arg = "";

  if (n_changed == 0)
    return toast_for_none (action, arg);
  if (n_changed == 1 && is_set (number))
    return toast_for_one (action, arg, number);

  switch (action)
    {
    case SK_ORDER_ACTION_HOLD:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order put on hold",
                                           "%u orders put on hold", n_changed), n_changed);
    case SK_ORDER_ACTION_RELEASE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order released",
                                           "%u orders released", n_changed), n_changed);
    case SK_ORDER_ACTION_ADD_TAG:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tag “%s” added to %u order",
                                           "Tag “%s” added to %u orders", n_changed),
                              arg, n_changed);
    case SK_ORDER_ACTION_REMOVE_TAG:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tag “%s” removed from %u order",
                                           "Tag “%s” removed from %u orders", n_changed),
                              arg, n_changed);
    case SK_ORDER_ACTION_ARCHIVE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order archived",
                                           "%u orders archived", n_changed), n_changed);
    case SK_ORDER_ACTION_UNARCHIVE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u order moved back to the inbox",
                                           "%u orders moved back to the inbox", n_changed),
                              n_changed);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Pages */

SkInboxPage
sk_inbox_choose_page (guint    n_items,
                      guint    n_channels,
                      gboolean filtering,
                      gboolean has_error)
{
  if (has_error)
    return SK_INBOX_PAGE_ERROR;
  if (n_items > 0)
    return SK_INBOX_PAGE_LIST;
  if (filtering)
    return SK_INBOX_PAGE_NO_RESULTS;
  if (n_channels == 0)
    return SK_INBOX_PAGE_NO_CHANNELS;
  return SK_INBOX_PAGE_NO_ORDERS;
}

const char *
sk_inbox_page_name (SkInboxPage page)
{
  static const char *names[] = {
    "list", "no-channels", "no-orders", "no-results", "error",
  };

  if ((guint) page >= G_N_ELEMENTS (names))
    return names[0];
  return names[page];
}

char *
sk_inbox_no_results_text (const char *search,
                          guint       n_filters)
{
  if (is_set (search) && n_filters > 0)
    return g_strdup_printf (_("No orders match “%s” with the filters you chose."), search);
  if (is_set (search))
    return g_strdup_printf (_("No orders match “%s”. Try fewer or shorter words."), search);
  return g_strdup (_("No orders match the filters you chose."));
}

char *
sk_inbox_problems_text (GPtrArray *problems)
{
  const SkProblem *first;

  if (problems == NULL || problems->len == 0)
    return NULL;

  first = g_ptr_array_index (problems, 0);
  if (problems->len == 1)
    return g_strdup (first->message);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s (and %u more problem)",
                                       "%s (and %u more problems)",
                                       problems->len - 1),
                          first->message, problems->len - 1);
}

/* History */

char *
sk_inbox_actor_label (const char *actor)
{
  if (!is_set (actor))
    return g_strdup (_("Storekeep"));
  if (g_str_equal (actor, "user"))
    return g_strdup (C_("actor", "You"));
  if (g_str_has_prefix (actor, "sync:"))
    {
      const char *kind = actor + strlen ("sync:");

      if (g_str_equal (kind, "shopify"))
        return g_strdup (_("Shopify sync"));
      /* Translators: %s is a channel kind such as "woocommerce" */
      return g_strdup_printf (_("Sync from %s"), kind);
    }
  if (g_str_has_prefix (actor, "engine:"))
    /* Translators: %s names an automatic rule such as "routing" */
    return g_strdup_printf (_("Automatic %s"), actor + strlen ("engine:"));
  return g_strdup (actor);
}

static const char *
status_label (const char *what,
              const char *nick)
{
  if (nick == NULL)
    return NULL;
  if (g_str_equal (what, "payment-status"))
    return sk_inbox_payment_pill (sk_payment_status_from_string (nick)).label;
  if (g_str_equal (what, "fulfillment-status"))
    return sk_inbox_fulfillment_pill (sk_fulfillment_status_from_string (nick)).label;
  if (g_str_equal (what, "status"))
    return sk_inbox_order_status_pill (sk_order_status_from_string (nick)).label;
  return nick;
}

static char *
describe_change (const char *title,
                 const char *what,
                 const char *from,
                 const char *to)
{
  const char *from_label = status_label (what, from);
  const char *to_label = status_label (what, to);

  if (is_set (from_label) && is_set (to_label))
    /* Translators: "Payment: Pending → Paid" */
    return g_strdup_printf (C_("history", "%s: %s → %s"), title, from_label, to_label);
  if (is_set (to_label))
    /* Translators: "Payment: Paid" */
    return g_strdup_printf (C_("history", "%s: %s"), title, to_label);
  return g_strdup (title);
}

/* "a, b" → sorted set; what one tag list has that the other lacks. */
static char *
single_difference (const char *from,
                   const char *to)
{
  g_auto(GStrv) a = g_strsplit (from != NULL ? from : "", ",", -1);
  g_auto(GStrv) b = g_strsplit (to != NULL ? to : "", ",", -1);
  char *found = NULL;
  guint n_found = 0;

  for (guint i = 0; b[i] != NULL; i++)
    {
      gboolean present = FALSE;

      g_strstrip (b[i]);
      if (*b[i] == '\0')
        continue;
      for (guint j = 0; a[j] != NULL && !present; j++)
        present = g_str_equal (g_strstrip (a[j]), b[i]);
      if (!present)
        {
          n_found++;
          g_free (found);
          found = g_strdup (b[i]);
        }
    }
  if (n_found != 1)
    g_clear_pointer (&found, g_free);
  return found;
}

static char *
describe_tags (const SkEvent *event)
{
  g_autofree char *added = single_difference (event->from_value, event->to_value);
  g_autofree char *removed = single_difference (event->to_value, event->from_value);

  if (added != NULL && removed == NULL)
    return g_strdup_printf (_("Tag “%s” added"), added);
  if (removed != NULL && added == NULL)
    return g_strdup_printf (_("Tag “%s” removed"), removed);
  if (is_set (event->to_value))
    return g_strdup_printf (_("Tags changed to %s"), event->to_value);
  return g_strdup (_("All tags removed"));
}

static char *
describe_refund (const SkEvent *event,
                 const char    *currency)
{
  g_autofree char *to = NULL;

  if (currency == NULL || event->to_value == NULL)
    return g_strdup (_("Refund recorded"));
  /* The store logs refunded totals as integer minor units. */
  to = sk_money_format_display (g_ascii_strtoll (event->to_value, NULL, 10), currency);
  return g_strdup_printf (_("Refunded in total: %s"), to);
}

char *
sk_inbox_event_title (const SkEvent *event,
                      const char    *currency)
{
  const char *what;

  g_return_val_if_fail (event != NULL, NULL);

  what = event->what != NULL ? event->what : "";

  if (g_str_equal (what, "imported"))
    return g_strdup (_("Imported from the channel"));
  if (g_str_equal (what, "hold"))
    return g_strdup (_("Put on hold"));
  if (g_str_equal (what, "release"))
    return g_strdup (_("Released from hold"));
  if (g_str_equal (what, "archive"))
    return g_strdup (_("Archived"));
  if (g_str_equal (what, "unarchive"))
    return g_strdup (_("Moved back to the inbox"));
  if (g_str_equal (what, "tags"))
    return describe_tags (event);
  if (g_str_equal (what, "refunded"))
    return describe_refund (event, currency);
  if (g_str_equal (what, "payment-status"))
    return describe_change (_("Payment"), what, event->from_value, event->to_value);
  if (g_str_equal (what, "fulfillment-status"))
    return describe_change (_("Fulfillment"), what, event->from_value, event->to_value);
  if (g_str_equal (what, "status"))
    return describe_change (_("Status"), what, event->from_value, event->to_value);
  return describe_change (what, what, event->from_value, event->to_value);
}

char *
sk_inbox_event_subtitle (const SkEvent *event,
                         gint64         now_unix,
                         GTimeZone     *tz)
{
  g_autofree char *actor = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  actor = sk_inbox_actor_label (event->actor);
  when = sk_inbox_format_date (event->at, now_unix, tz);
  if (is_set (event->why))
    /* Translators: who · when · why, under an entry of an order's history */
    return g_strdup_printf (C_("history", "%s · %s · %s"), actor, when, event->why);
  /* Translators: who · when, under an entry of an order's history */
  return g_strdup_printf (C_("history", "%s · %s"), actor, when);
}
