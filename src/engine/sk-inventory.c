/* sk-inventory.c: reservations, availability, channel quantities and pushes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The decisions of the inventory (see sk-inventory.h). The SQL lives in
 * src/store/sk-store-inventory.h's sk_store_txn_* functions; this file
 * composes them into one pass that runs as a job on the store's writer
 * thread, and a main-thread object that queues passes when the store
 * changes, one at a time, coalescing what arrives meanwhile.
 */
#define G_LOG_DOMAIN "sk-inventory"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-inventory.h"
#include "sk-money.h"

#define ACTOR "engine:inventory"

/* Pure functions */

gint64
sk_inventory_channel_quantity (gint64               available,
                               const SkListingRule *rule)
{
  gint64 q;
  int percent;

  g_return_val_if_fail (rule != NULL, 0);

  if (available <= 0)
    return 0;
  if (rule->stop_below > 0 && available < rule->stop_below)
    return 0;
  q = available - MAX (rule->buffer, 0);
  if (q <= 0)
    return 0;
  percent = CLAMP (rule->percent, 0, 100);
  /* floor (q × percent / 100) without overflowing for huge q. */
  q = (q / 100) * percent + ((q % 100) * percent) / 100;
  if (rule->maximum >= 0 && q > rule->maximum)
    q = rule->maximum;
  return MAX (q, 0);
}

gint64
sk_inventory_kit_available (const SkStockWorkPart *parts,
                            guint                  n_parts)
{
  gint64 best = G_MAXINT64;

  if (n_parts == 0)
    return 0;
  for (guint i = 0; i < n_parts; i++)
    {
      gint64 have = MAX (parts[i].component_available, 0);
      gint64 per_kit = MAX (parts[i].quantity, 1);

      best = MIN (best, have / per_kit);
    }
  return best;
}

char *
sk_inventory_describe_rule (const SkListingRule *rule,
                            int                  source)
{
  GString *s;

  g_return_val_if_fail (rule != NULL, NULL);

  if (source == 0)
    return g_strdup (_("No rule: everything available"));

  s = g_string_new (source == 2 ? _("SKU rule:") : _("Channel rule:"));
  if (rule->buffer > 0)
    {
      g_string_append_c (s, ' ');
      g_string_append_printf (s, _("keep %lld back"), (long long) rule->buffer);
      g_string_append_c (s, ',');
    }
  g_string_append_c (s, ' ');
  g_string_append_printf (s, _("show %d %%"), rule->percent);
  if (rule->maximum >= 0)
    {
      g_string_append (s, ", ");
      g_string_append_printf (s, _("at most %lld"), (long long) rule->maximum);
    }
  if (rule->stop_below > 0)
    {
      g_string_append (s, ", ");
      g_string_append_printf (s, _("none below %lld"), (long long) rule->stop_below);
    }
  return g_string_free (s, FALSE);
}

gboolean
sk_inventory_parse_measure (const char  *text,
                            gint64      *out_thousandths,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (out_thousandths != NULL, FALSE);

  /* Exact decimals with three places are what money parsing does. */
  if (text == NULL ||
      !sk_money_parse_decimal (text, 3, FALSE, out_thousandths, &local_error) ||
      *out_thousandths < 0)
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                   _("“%s” is not a measurement. Enter a number like 1.25, with at most three decimals."),
                   text ? text : "");
      return FALSE;
    }
  return TRUE;
}

char *
sk_inventory_format_measure (gint64 thousandths)
{
  gint64 whole = thousandths / 1000;
  gint64 part = ABS (thousandths % 1000);
  char digits[8];
  int len;

  if (part == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, whole);
  g_snprintf (digits, sizeof digits, "%03d", (int) part);
  len = 3;
  while (len > 0 && digits[len - 1] == '0')
    digits[--len] = '\0';
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%s",
                          thousandths < 0 && whole == 0 ? "-" : "", whole, digits);
}

/* A pass, on the writer thread */

typedef struct
{
  char *kind;
  char *key;
  char *message;
} Opened;

static void
opened_free (gpointer data)
{
  Opened *opened = data;

  g_free (opened->kind);
  g_free (opened->key);
  g_free (opened->message);
  g_free (opened);
}

typedef struct
{
  GPtrArray *edits;     /* SkStockEdit or NULL */
  char *reason;
  GArray *order_ids;    /* gint64 */
  gboolean catch_up;
  gboolean all;
  SkInventoryReport report;
  GPtrArray *opened;    /* Opened */
} PassJob;

static PassJob *
pass_job_new (void)
{
  PassJob *job = g_new0 (PassJob, 1);

  job->order_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->opened = g_ptr_array_new_with_free_func (opened_free);
  return job;
}

static void
pass_job_free (gpointer data)
{
  PassJob *job = data;

  g_clear_pointer (&job->edits, g_ptr_array_unref);
  g_free (job->reason);
  g_array_unref (job->order_ids);
  g_ptr_array_unref (job->opened);
  g_free (job);
}

typedef struct
{
  SkStoreTxn *txn;
  PassJob *job;
  gint64 since;
  gint64 default_location;
} Pass;

static gboolean
open_problem (Pass        *pass,
              const char  *kind,
              const char  *key,
              gint64       channel_id,
              const char  *subject_type,
              gint64       subject_id,
              const char  *message,
              GError     **error)
{
  gboolean is_new = FALSE;

  if (!sk_store_txn_open_inventory_problem (pass->txn, kind, key, channel_id, subject_type,
                                            subject_id, message, &is_new, error))
    return FALSE;
  if (is_new)
    {
      Opened *opened = g_new0 (Opened, 1);

      opened->kind = g_strdup (kind);
      opened->key = g_strdup (key);
      opened->message = g_strdup (message);
      g_ptr_array_add (pass->job->opened, opened);
      pass->job->report.problems_opened++;
    }
  return TRUE;
}

static gboolean
resolve_problem (Pass        *pass,
                 const char  *key,
                 GError     **error)
{
  gboolean was_open = FALSE;

  if (!sk_store_txn_resolve_inventory_problem (pass->txn, key, &was_open, error))
    return FALSE;
  if (was_open)
    pass->job->report.problems_resolved++;
  return TRUE;
}

static gint64
default_location (Pass    *pass,
                  GError **error)
{
  if (pass->default_location == 0)
    pass->default_location = sk_store_txn_ensure_default_location (pass->txn, error);
  return pass->default_location;
}

/* What an order's state means for its stock. */
typedef enum {
  ORDER_OPEN,          /* reserve what has not shipped */
  ORDER_SHIPPED,       /* everything left */
  ORDER_CANCELLED,     /* release; what shipped stays shipped */
  ORDER_REFUNDED,
  ORDER_RESTOCKED,     /* release, and what shipped came back */
  ORDER_NO_SHIPPING,   /* nothing physical */
} OrderState;

static OrderState
order_state (const SkOrderStock *stock)
{
  if (stock->fulfillment_status == SK_FULFILLMENT_STATUS_RESTOCKED)
    return ORDER_RESTOCKED;
  if (stock->status == SK_ORDER_STATUS_CANCELLED)
    return ORDER_CANCELLED;
  if (stock->payment_status == SK_PAYMENT_STATUS_REFUNDED ||
      stock->payment_status == SK_PAYMENT_STATUS_VOIDED)
    return ORDER_REFUNDED;
  if (stock->fulfillment_status == SK_FULFILLMENT_STATUS_NOT_REQUIRED)
    return ORDER_NO_SHIPPING;
  if (stock->fulfillment_status == SK_FULFILLMENT_STATUS_FULFILLED ||
      stock->status == SK_ORDER_STATUS_COMPLETED)
    return ORDER_SHIPPED;
  return ORDER_OPEN;
}

static char *
release_reason (OrderState          state,
                const SkOrderStock *stock)
{
  switch (state)
    {
    case ORDER_SHIPPED:
      return g_strdup (_("The order shipped: its items left the shelf"));
    case ORDER_CANCELLED:
      return g_strdup (_("The order was cancelled"));
    case ORDER_REFUNDED:
      return g_strdup (_("The order was refunded"));
    case ORDER_RESTOCKED:
      return g_strdup (_("The order’s items were restocked"));
    case ORDER_NO_SHIPPING:
      return g_strdup (_("The order needs no shipping"));
    case ORDER_OPEN:
    default:
      return g_strdup_printf (_("The order changed on %s"), stock->channel_name);
    }
}

/* One reservation row as it should be. */
typedef struct
{
  int position;
  gint64 sku_id;
  gint64 via_kit_id;
  gint64 quantity;
  gint64 consumed;      /* at least this much has shipped */
} Wanted;

static SkReservation *
find_reservation (SkOrderStock *stock,
                  int           position,
                  gint64        sku_id)
{
  for (guint i = 0; i < stock->reservations->len; i++)
    {
      SkReservation *r = g_ptr_array_index (stock->reservations, i);

      if (r->position == position && r->sku_id == sku_id)
        return r;
    }
  return NULL;
}

static gboolean
record_order_movement (Pass          *pass,
                       SkOrderStock  *stock,
                       SkMovementKind kind,
                       gint64         sku_id,
                       gint64         location_id,
                       gint64         quantity,
                       GError       **error)
{
  g_autofree char *reason = NULL;
  g_autoptr(GError) local_error = NULL;
  SkMovement m = { 0, };

  if (kind == SK_MOVEMENT_SALE)
    reason = g_strdup_printf (_("Order %s shipped"), stock->number);
  else
    reason = g_strdup_printf (_("Order %s was restocked"), stock->number);
  m.kind = kind;
  m.sku_id = sku_id;
  m.location_id = location_id;
  m.condition = SK_STOCK_CONDITION_RESELLABLE;
  m.quantity = quantity;
  m.counted = -1;
  m.reason = reason;
  m.order_id = stock->order_id;
  m.actor = (char *) ACTOR;
  /* A shipped order is a fact: record it even below zero (the recompute
   * opens a "negative-stock" problem). A location archived since the
   * order reserved there gives way to the default one. */
  if (!sk_store_txn_record_movement (pass->txn, &m, TRUE, &local_error))
    {
      if (!g_error_matches (local_error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND) ||
          (m.location_id = default_location (pass, error)) == 0 ||
          m.location_id == location_id)
        {
          if (local_error != NULL && (error == NULL || *error == NULL))
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_clear_error (&local_error);
      if (!sk_store_txn_record_movement (pass->txn, &m, TRUE, error))
        return FALSE;
    }
  if (kind == SK_MOVEMENT_SALE)
    pass->job->report.sales_recorded++;
  else
    pass->job->report.returns_recorded++;
  return TRUE;
}

static gboolean
settle_row (Pass          *pass,
            SkOrderStock  *stock,
            OrderState     state,
            const Wanted  *w,
            GError       **error)
{
  SkReservation *r = find_reservation (stock, w->position, w->sku_id);
  SkReservation next = { 0, };

  next.order_id = stock->order_id;
  next.position = w->position;
  next.sku_id = w->sku_id;
  next.via_kit_id = w->via_kit_id;
  next.quantity = w->quantity;
  next.consumed = MAX (r ? r->consumed : 0, w->consumed);
  next.returned = r ? r->returned : 0;
  if (state == ORDER_RESTOCKED)
    next.returned = next.consumed;
  next.location_id = r ? r->location_id : 0;

  if (r != NULL && r->quantity == next.quantity && r->consumed == next.consumed &&
      r->returned == next.returned && r->via_kit_id == next.via_kit_id)
    return TRUE;
  if (r == NULL && next.quantity == 0 && next.consumed == 0)
    return TRUE;

  if (next.location_id == 0)
    next.location_id = default_location (pass, error);
  if (next.location_id == 0)
    return FALSE;

  if (next.consumed > (r ? r->consumed : 0) &&
      !record_order_movement (pass, stock, SK_MOVEMENT_SALE, w->sku_id, next.location_id,
                              -(next.consumed - (r ? r->consumed : 0)), error))
    return FALSE;
  if (next.returned > (r ? r->returned : 0) &&
      !record_order_movement (pass, stock, SK_MOVEMENT_RETURN, w->sku_id, next.location_id,
                              next.returned - (r ? r->returned : 0), error))
    return FALSE;

  if (!sk_store_txn_write_reservation (pass->txn, &next, error))
    return FALSE;
  pass->job->report.reservations_changed++;
  return TRUE;
}

static char *
line_label (const SkOrderStockLine *line)
{
  char *label = line->sku ? g_strstrip (g_strdup (line->sku)) : NULL;

  if (label == NULL || *label == '\0')
    {
      g_free (label);
      label = g_strdup (line->title ? line->title : "");
    }
  return label;
}

static gboolean
flag_unmatched (Pass                    *pass,
                SkOrderStock            *stock,
                const SkOrderStockLine  *line,
                GError                 **error)
{
  g_autofree char *label = line_label (line);
  g_autofree char *key = g_strdup_printf ("unmatched-sku:%" G_GINT64_FORMAT ":%s",
                                          stock->channel_id, label);
  g_autofree char *message =
    g_strdup_printf (_("Order %s on %s has “%s”, which matches no SKU in the inventory, so it reserves nothing. Add the SKU, or match the channel’s listing to one."),
                     stock->number, stock->channel_name, label);

  return open_problem (pass, "unmatched-sku", key, stock->channel_id, "order",
                       stock->order_id, message, error);
}

static gboolean
resolve_matched_lines (Pass          *pass,
                       SkOrderStock  *stock,
                       GError       **error)
{
  for (guint i = 0; i < stock->lines->len; i++)
    {
      SkOrderStockLine *line = g_ptr_array_index (stock->lines, i);
      g_autofree char *label = NULL;
      g_autofree char *key = NULL;

      if (line->sku_id == 0)
        continue;
      label = line_label (line);
      key = g_strdup_printf ("unmatched-sku:%" G_GINT64_FORMAT ":%s", stock->channel_id, label);
      if (!resolve_problem (pass, key, error))
        return FALSE;
    }
  return TRUE;
}

static gint64
total_reserved (SkOrderStock *stock)
{
  gint64 total = 0;

  for (guint i = 0; i < stock->reservations->len; i++)
    total += ((SkReservation *) g_ptr_array_index (stock->reservations, i))->quantity;
  return total;
}

static gboolean
log_reservation_change (Pass          *pass,
                        SkOrderStock  *stock,
                        OrderState     state,
                        gint64         before,
                        gint64         after,
                        GError       **error)
{
  g_autofree char *why = NULL;
  char from[32], to[32];

  if (before == after)
    return TRUE;
  g_snprintf (from, sizeof from, "%" G_GINT64_FORMAT, before);
  g_snprintf (to, sizeof to, "%" G_GINT64_FORMAT, after);
  if (after > before)
    why = g_strdup_printf (_("The order is open on %s: its items are held for it"),
                           stock->channel_name);
  else
    why = release_reason (state, stock);
  return sk_store_txn_add_inventory_event (pass->txn, ACTOR, "order", stock->order_id,
                                           after > before ? "reserved" : "released",
                                           from, to, why, error);
}

static void
want_line (GArray                  *wanted,
           const SkOrderStockLine  *line,
           OrderState               state)
{
  gint64 shipped = state == ORDER_SHIPPED ? line->quantity : MIN (line->shipped, line->quantity);
  gint64 open_quantity = state == ORDER_OPEN ? line->quantity - shipped : 0;

  if (state == ORDER_NO_SHIPPING)
    shipped = 0;

  if (!line->is_kit)
    {
      Wanted w = { line->position, line->sku_id, 0, open_quantity, shipped };

      g_array_append_val (wanted, w);
      return;
    }
  for (guint i = 0; line->components != NULL && i < line->components->len; i++)
    {
      SkStockPart *part = &g_array_index (line->components, SkStockPart, i);
      Wanted w = { line->position, part->component_id, line->sku_id,
                   open_quantity * part->quantity, shipped * part->quantity };

      g_array_append_val (wanted, w);
    }
}

static gboolean
apply_order (Pass    *pass,
             gint64   order_id,
             GError **error)
{
  g_autoptr(SkOrderStock) stock = NULL;
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (Wanted));
  GError *local_error = NULL;
  OrderState state;
  guint unmatched = 0;
  gint64 before, after = 0;

  stock = sk_store_txn_load_order_stock (pass->txn, order_id, pass->since, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (stock == NULL || !stock->tracked)
    return TRUE;

  pass->job->report.orders_applied++;
  state = order_state (stock);
  before = total_reserved (stock);

  for (guint i = 0; i < stock->lines->len; i++)
    {
      SkOrderStockLine *line = g_ptr_array_index (stock->lines, i);

      if (line->ignored || line->quantity <= 0)
        continue;
      /* No SKU and no matched listing: a custom item, a gift card, a tip.
       * Not inventory (an unmatched listing is in the listings queue). */
      if (line->sku_id == 0 && (line->sku == NULL || *g_strstrip (line->sku) == '\0'))
        continue;
      if (line->sku_id == 0)
        {
          unmatched++;
          if (state == ORDER_OPEN && !flag_unmatched (pass, stock, line, error))
            return FALSE;
          continue;
        }
      want_line (wanted, line, state);
    }

  /* Rows no line wants any more (the line was edited away): release. */
  for (guint i = 0; i < stock->reservations->len; i++)
    {
      SkReservation *r = g_ptr_array_index (stock->reservations, i);
      gboolean kept = FALSE;

      for (guint j = 0; j < wanted->len && !kept; j++)
        kept = g_array_index (wanted, Wanted, j).position == r->position &&
               g_array_index (wanted, Wanted, j).sku_id == r->sku_id;
      if (!kept)
        {
          Wanted w = { r->position, r->sku_id, r->via_kit_id, 0, r->consumed };

          g_array_append_val (wanted, w);
        }
    }

  for (guint j = 0; j < wanted->len; j++)
    {
      const Wanted *w = &g_array_index (wanted, Wanted, j);

      if (!settle_row (pass, stock, state, w, error))
        return FALSE;
      after += w->quantity;
    }

  if (!log_reservation_change (pass, stock, state, before, after, error) ||
      !sk_store_txn_mark_order_stock (pass->txn, order_id, TRUE, stock->updated_at,
                                      unmatched, error))
    return FALSE;
  if (stock->unmatched > 0 && !resolve_matched_lines (pass, stock, error))
    return FALSE;
  return TRUE;
}

/* One order that cannot be applied (its data contradicts the inventory)
 * must not stop the stock of every other order: it is rolled back alone,
 * flagged, and marked applied until it changes again. Errors of the
 * database itself (disk full, busy) still fail the pass. */
static gboolean
apply_order_isolated (Pass    *pass,
                      gint64   order_id,
                      GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *message = NULL;
  gint64 updated_at = 0;

  if (!sk_store_txn_savepoint (pass->txn, "sk_order_stock", error))
    return FALSE;
  if (apply_order (pass, order_id, &local_error))
    return sk_store_txn_release_savepoint (pass->txn, "sk_order_stock", error);

  if (!sk_store_txn_rollback_savepoint (pass->txn, "sk_order_stock", error))
    return FALSE;
  if (local_error == NULL)
    g_set_error_literal (&local_error, SK_STORE_ERROR, SK_STORE_ERROR_FAILED,
                         _("Storekeep could not update the stock of an order. Report the problem."));
  if (local_error->domain != SK_STORE_ERROR ||
      (local_error->code != SK_STORE_ERROR_CONSTRAINT &&
       local_error->code != SK_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  g_debug ("Order %" G_GINT64_FORMAT " skipped: %s", order_id, local_error->message);
  key = g_strdup_printf ("order-stock:%" G_GINT64_FORMAT, order_id);
  message = g_strdup_printf (_("The stock of an order could not be reserved or taken out: %s"),
                             local_error->message);
  {
    g_autoptr(SkOrderStock) stock = sk_store_txn_load_order_stock (pass->txn, order_id, 0, NULL);

    if (stock != NULL)
      updated_at = stock->updated_at;
  }
  return open_problem (pass, "order-stock", key, 0, "order", order_id, message, error) &&
         sk_store_txn_mark_order_stock (pass->txn, order_id, TRUE, updated_at, 0, error);
}

/* The recompute */

static gboolean
refresh_problem (Pass         *pass,
                 SkStockWork  *work,
                 gboolean      open,
                 const char   *kind,
                 const char   *key,
                 gint64        sku_id,
                 const char   *message,
                 GError      **error)
{
  if (open)
    return open_problem (pass, kind, key, 0, "sku", sku_id, message, error);
  if (!g_hash_table_contains (work->open_problems, key))
    return TRUE;
  return resolve_problem (pass, key, error);
}

static gboolean
check_sku_problems (Pass                  *pass,
                    SkStockWork           *work,
                    const SkStockWorkSku  *sku,
                    gint64                 available,
                    GError               **error)
{
  char key[64];
  g_autofree char *message = NULL;
  gboolean open;

  g_snprintf (key, sizeof key, "stock-out:%" G_GINT64_FORMAT, sku->sku_id);
  open = sku->n_listings > 0 && available <= 0;
  if (open)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "“%s” (%s) is sold out: nothing is available for its %u listing. Receive stock, or correct the count if there is some.",
                                            "“%s” (%s) is sold out: nothing is available for its %u listings. Receive stock, or correct the count if there is some.",
                                            sku->n_listings),
                               sku->title, sku->sku, sku->n_listings);
  if (!refresh_problem (pass, work, open, "stock-out", key, sku->sku_id, message, error))
    return FALSE;
  g_clear_pointer (&message, g_free);

  g_snprintf (key, sizeof key, "low-stock:%" G_GINT64_FORMAT, sku->sku_id);
  open = sku->reorder_point >= 0 && available <= sku->reorder_point && !(sku->n_listings > 0 && available <= 0);
  if (open)
    message = g_strdup_printf (_("“%s” (%s) is low: %lld available, at or below its reorder point of %lld. Reorder it."),
                               sku->title, sku->sku, (long long) available,
                               (long long) sku->reorder_point);
  if (!refresh_problem (pass, work, open, "low-stock", key, sku->sku_id, message, error))
    return FALSE;
  g_clear_pointer (&message, g_free);

  g_snprintf (key, sizeof key, "negative-stock:%" G_GINT64_FORMAT, sku->sku_id);
  open = !sku->is_kit && sku->lowest_level < 0;
  if (open)
    message = g_strdup_printf (_("The stock of “%s” (%s) went below zero (%lld) at a location: orders shipped more than was counted. Count it and correct the level."),
                               sku->title, sku->sku, (long long) sku->lowest_level);
  return refresh_problem (pass, work, open, "negative-stock", key, sku->sku_id, message, error);
}

static gboolean
decide_push (Pass                      *pass,
             const SkStockWorkListing  *l,
             gint64                     available,
             GError                   **error)
{
  g_autofree char *rule = NULL;
  g_autofree char *why = NULL;
  SkStockPushOutcome outcome = SK_STOCK_PUSH_NONE;
  gint64 q = sk_inventory_channel_quantity (available, &l->rule);
  gint64 shows;

  g_assert (q >= 0);

  if (q != l->target_quantity)
    {
      if (!sk_store_txn_set_listing_target (pass->txn, l->listing_id, q, error))
        return FALSE;
      pass->job->report.targets_changed++;
    }

  /* Only what differs from what the channel shows goes out: what it
   * confirmed, or what a push being sent right now will make it show.
   * One pending row per listing carries the newest number. */
  shows = l->sending_quantity >= 0 ? l->sending_quantity : l->confirmed_quantity;
  if (shows == q && l->pending_outbox_id == 0)
    return TRUE;
  if (shows != q && l->pending_outbox_id != 0 && l->pending_quantity == q)
    return TRUE;

  rule = sk_inventory_describe_rule (&l->rule, l->rule_source);
  why = g_strdup_printf (_("%lld available on %s; %s"), (long long) available,
                         l->channel_name, rule);
  if (!sk_store_txn_queue_stock_push (pass->txn, l, shows == q ? -1 : q, why, &outcome, error))
    return FALSE;
  switch (outcome)
    {
    case SK_STOCK_PUSH_QUEUED:
      pass->job->report.pushes_queued++;
      break;
    case SK_STOCK_PUSH_COALESCED:
      pass->job->report.pushes_coalesced++;
      break;
    case SK_STOCK_PUSH_SUPERSEDED:
      pass->job->report.pushes_withdrawn++;
      break;
    case SK_STOCK_PUSH_NONE:
    default:
      break;
    }
  return TRUE;
}

static gboolean
recompute (Pass    *pass,
           GError **error)
{
  g_autoptr(SkStockWork) work = NULL;
  guint p = 0, l = 0;

  work = sk_store_txn_load_stock_work (pass->txn, pass->job->all, error);
  if (work == NULL)
    return FALSE;

  for (guint i = 0; i < work->skus->len; i++)
    {
      const SkStockWorkSku *sku = &g_array_index (work->skus, SkStockWorkSku, i);
      const SkStockWorkPart *parts;
      guint n_parts = 0;
      gint64 available;

      /* parts and listings are sorted by SKU like the SKUs. */
      while (p < work->parts->len && g_array_index (work->parts, SkStockWorkPart, p).kit_id < sku->sku_id)
        p++;
      parts = p < work->parts->len ? &g_array_index (work->parts, SkStockWorkPart, p) : NULL;
      while (p + n_parts < work->parts->len &&
             g_array_index (work->parts, SkStockWorkPart, p + n_parts).kit_id == sku->sku_id)
        n_parts++;

      available = sku->is_kit ? sk_inventory_kit_available (parts, n_parts)
                              : sku->on_hand - sku->reserved;
      if (available != sku->available &&
          !sk_store_txn_set_sku_available (pass->txn, sku->sku_id, available, error))
        return FALSE;
      if (!check_sku_problems (pass, work, sku, available, error))
        return FALSE;

      while (l < work->listings->len && g_array_index (work->listings, SkStockWorkListing, l).sku_id < sku->sku_id)
        l++;
      for (; l < work->listings->len && g_array_index (work->listings, SkStockWorkListing, l).sku_id == sku->sku_id; l++)
        if (!decide_push (pass, &g_array_index (work->listings, SkStockWorkListing, l), available, error))
          return FALSE;

      pass->job->report.skus_recomputed++;
    }

  return sk_store_txn_clear_stock_work (pass->txn, work, error);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gboolean
pass_job_run (SkStoreTxn  *txn,
              gpointer     data,
              GError     **error)
{
  PassJob *job = data;
  Pass pass = { txn, job, 0, 0 };
  g_autoptr(GArray) stale = NULL;
  GError *local_error = NULL;
  gint64 last = 0;

  memset (&job->report, 0, sizeof job->report);
  g_ptr_array_set_size (job->opened, 0);

  pass.since = sk_store_txn_get_stock_setting (txn, "tracking-since", 0, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  for (guint i = 0; job->edits != NULL && i < job->edits->len; i++)
    if (!sk_store_txn_record_stock_edit (txn, g_ptr_array_index (job->edits, i),
                                         job->reason, "user", error))
      return FALSE;

  stale = sk_store_txn_list_stale_orders (txn, job->catch_up, error);
  if (stale == NULL)
    return FALSE;
  g_array_append_vals (stale, job->order_ids->data, job->order_ids->len);
  g_array_sort (stale, compare_ids);
  for (guint i = 0; i < stale->len; i++)
    {
      gint64 id = g_array_index (stale, gint64, i);

      if (i > 0 && id == last)
        continue;
      last = id;
      if (!apply_order_isolated (&pass, id, error))
        return FALSE;
    }

  return recompute (&pass, error);
}

/* SkInventory */

struct _SkInventory
{
  GObject parent_instance;

  SkStore *store;
  gboolean started;
  gboolean running;
  gboolean again;
  gboolean catch_up;
  GArray *pending;          /* gint64 order ids */
  GCancellable *cancellable;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  PROCESSED,
  PROBLEM_OPENED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SkInventory, sk_inventory, G_TYPE_OBJECT)

static void schedule (SkInventory *self);

static void
emit_results (SkInventory *self,
              PassJob     *job)
{
  g_signal_emit (self, signals[PROCESSED], 0, &job->report);
  for (guint i = 0; i < job->opened->len; i++)
    {
      Opened *opened = g_ptr_array_index (job->opened, i);

      g_signal_emit (self, signals[PROBLEM_OPENED], 0, opened->kind, opened->key, opened->message);
    }
}

static void
set_busy (SkInventory *self,
          gboolean     running,
          gboolean     again)
{
  gboolean was = self->running || self->again;

  self->running = running;
  self->again = again;
  if (was != (running || again))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
on_auto_pass_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SkInventory *self = g_task_get_source_object (task);
  PassJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* Nobody waits on this task; it only carries the job. */
  g_task_return_boolean (task, TRUE);
  if (!sk_store_run_finish (SK_STORE (source), result, &error))
    {
      if (!g_error_matches (error, SK_STORE_ERROR, SK_STORE_ERROR_CLOSED) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not update the inventory: %s", error->message);
      set_busy (self, FALSE, FALSE);
      return;
    }

  emit_results (self, job);
  if (self->again || self->pending->len > 0)
    {
      set_busy (self, FALSE, TRUE);
      schedule (self);
    }
  else
    set_busy (self, FALSE, FALSE);
}

static void
schedule (SkInventory *self)
{
  g_autoptr(GTask) task = NULL;
  PassJob *job;

  if (self->running)
    {
      set_busy (self, TRUE, TRUE);
      return;
    }

  job = pass_job_new ();
  g_array_append_vals (job->order_ids, self->pending->data, self->pending->len);
  g_array_set_size (self->pending, 0);
  job->catch_up = self->catch_up;
  self->catch_up = FALSE;

  /* The task holds the job and keeps the object alive until it is done;
   * the store frees nothing of it. */
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, job, pass_job_free);
  set_busy (self, TRUE, FALSE);
  sk_store_run_async (self->store, pass_job_run, job, NULL, self->cancellable,
                      on_auto_pass_done, g_object_ref (task));
}

static void
on_store_changed (SkStore       *store,
                  SkStoreChange *change,
                  SkInventory   *self)
{
  gboolean want = FALSE;

  if (!self->started)
    return;

  if (change->flags & SK_STORE_CHANGE_ORDERS)
    {
      g_array_append_vals (self->pending, change->inserted_orders->data, change->inserted_orders->len);
      g_array_append_vals (self->pending, change->updated_orders->data, change->updated_orders->len);
    }
  want = self->pending->len > 0;
  if (!want && (change->flags & (SK_STORE_CHANGE_ORDERS | SK_STORE_CHANGE_INVENTORY |
                                 SK_STORE_CHANGE_CHANNELS)))
    want = sk_store_has_stock_work (store);
  if (want)
    schedule (self);
}

static void
sk_inventory_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SkInventory *self = SK_INVENTORY (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, sk_inventory_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_inventory_dispose (GObject *object)
{
  SkInventory *self = SK_INVENTORY (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sk_inventory_parent_class)->dispose (object);
}

static void
sk_inventory_finalize (GObject *object)
{
  SkInventory *self = SK_INVENTORY (object);

  g_array_unref (self->pending);

  G_OBJECT_CLASS (sk_inventory_parent_class)->finalize (object);
}

static void
sk_inventory_class_init (SkInventoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sk_inventory_get_property;
  object_class->dispose = sk_inventory_dispose;
  object_class->finalize = sk_inventory_finalize;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SkInventory::processed:
   * @report: (type gpointer): an SkInventoryReport, valid during the emission
   */
  signals[PROCESSED] =
    g_signal_new ("processed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[PROBLEM_OPENED] =
    g_signal_new ("problem-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
sk_inventory_init (SkInventory *self)
{
  self->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
  self->catch_up = TRUE;
}

/* Public API */

SkInventory *
sk_inventory_new (SkStore *store)
{
  SkInventory *self;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);

  self = g_object_new (SK_TYPE_INVENTORY, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, 0);
  return self;
}

SkStore *
sk_inventory_get_store (SkInventory *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY (self), NULL);
  return self->store;
}

void
sk_inventory_start (SkInventory *self)
{
  g_return_if_fail (SK_IS_INVENTORY (self));

  if (self->started)
    return;
  self->started = TRUE;
  schedule (self);
}

gboolean
sk_inventory_get_busy (SkInventory *self)
{
  g_return_val_if_fail (SK_IS_INVENTORY (self), FALSE);
  return self->running || self->again;
}

static void
on_edits_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SkInventory *self = g_task_get_source_object (task);
  PassJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sk_store_run_finish (SK_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  emit_results (self, job);
  g_task_return_boolean (task, TRUE);
}

void
sk_inventory_apply_edits_async (SkInventory         *self,
                                GPtrArray           *edits,
                                const char          *reason,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PassJob *job;

  g_return_if_fail (SK_IS_INVENTORY (self));
  g_return_if_fail (edits != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_inventory_apply_edits_async);
  g_task_set_check_cancellable (task, FALSE);

  job = pass_job_new ();
  job->edits = g_ptr_array_ref (edits);
  job->reason = g_strdup (reason);
  g_task_set_task_data (task, job, pass_job_free);

  sk_store_run_async (self->store, pass_job_run, job, NULL, cancellable,
                      on_edits_done, g_object_ref (task));
}

gboolean
sk_inventory_apply_edits_finish (SkInventory        *self,
                                 GAsyncResult       *result,
                                 SkInventoryReport  *out_report,
                                 GError            **error)
{
  PassJob *job;

  g_return_val_if_fail (SK_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_inventory_apply_edits_async, FALSE);

  if (out_report != NULL)
    memset (out_report, 0, sizeof *out_report);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (out_report != NULL)
    *out_report = job->report;
  return TRUE;
}

static gboolean
run_pass_sync (SkInventory        *self,
               PassJob            *job,
               SkInventoryReport  *out_report,
               GError            **error)
{
  gboolean ok = sk_store_run_sync (self->store, pass_job_run, job, error);

  if (out_report != NULL)
    {
      if (ok)
        *out_report = job->report;
      else
        memset (out_report, 0, sizeof *out_report);
    }
  if (ok)
    emit_results (self, job);
  pass_job_free (job);
  return ok;
}

gboolean
sk_inventory_apply_edits_sync (SkInventory        *self,
                               GPtrArray          *edits,
                               const char         *reason,
                               SkInventoryReport  *out_report,
                               GError            **error)
{
  PassJob *job;

  g_return_val_if_fail (SK_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (edits != NULL, FALSE);

  job = pass_job_new ();
  job->edits = g_ptr_array_ref (edits);
  job->reason = g_strdup (reason);
  return run_pass_sync (self, job, out_report, error);
}

gboolean
sk_inventory_run_sync (SkInventory        *self,
                       const gint64       *order_ids,
                       guint               n_orders,
                       gboolean            catch_up,
                       gboolean            all,
                       SkInventoryReport  *out_report,
                       GError            **error)
{
  PassJob *job;

  g_return_val_if_fail (SK_IS_INVENTORY (self), FALSE);
  g_return_val_if_fail (order_ids != NULL || n_orders == 0, FALSE);

  job = pass_job_new ();
  if (n_orders > 0)
    g_array_append_vals (job->order_ids, order_ids, n_orders);
  job->catch_up = catch_up;
  job->all = all;
  return run_pass_sync (self, job, out_report, error);
}
