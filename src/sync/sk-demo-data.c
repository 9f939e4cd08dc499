/* sk-demo-data.c: the demo shop's order book
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each order is a small DemoOrder record (ids, times and the state of its
 * payment, fulfillments, refunds and cancellation), which simulated time
 * moves on. Everything else (the customer and addresses, line items,
 * discounts, taxes, shipping) is drawn again by the catalogue from a PRNG
 * seeded by (seed, row) whenever the order is written, so the record stays
 * small and the JSON is the same every time. Money is integer minor units
 * throughout.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include "sk-demo-data.h"
#include "sk-demo-data-private.h"

static const char *cancel_reasons[] = {
  NULL, "customer", "declined", "fraud", "inventory", "other",
};
enum { CANCEL_NONE, CANCEL_CUSTOMER, CANCEL_DECLINED, CANCEL_FRAUD,
       CANCEL_INVENTORY, CANCEL_OTHER };
G_STATIC_ASSERT ((int) CANCEL_DECLINED == (int) SK_DEMO_CANCEL_DECLINED);

static const char *refund_notes[] = {
  "Returned: wrong size", "Damaged in transit", "Customer changed their mind",
  "Item arrived late",
};

/* One order's record (SkDemoOrder, see sk-demo-data-private.h), and what
 * is derived from it. */

#define FIN_PENDING            SK_DEMO_FIN_PENDING
#define FIN_AUTHORIZED         SK_DEMO_FIN_AUTHORIZED
#define FIN_PAID               SK_DEMO_FIN_PAID
#define FIN_PARTIALLY_REFUNDED SK_DEMO_FIN_PARTIALLY_REFUNDED
#define FIN_REFUNDED           SK_DEMO_FIN_REFUNDED
#define FIN_VOIDED             SK_DEMO_FIN_VOIDED

static const char *financial_codes[] = {
  "pending", "authorized", "paid", "partially_refunded", "refunded", "voided",
};

typedef SkDemoOrder DemoOrder;

struct _SkDemoData {
  guint64    seed;
  gint64     now;
  gint64     start;
  GArray    *orders; /* DemoOrder, by row */
  GArray    *sorted; /* guint rows by (updated_at, id) */
  guint64    id_base;
  SkDemoRng  rng;
  GHashTable *extras; /* row → SkDemoExtra, see sk-demo-data-push.c */
};

#define ORDER_ID_STEP    G_GUINT64_CONSTANT (1009)
#define LINE_ID_BASE     G_GUINT64_CONSTANT (14800000000000)
#define PRODUCT_ID_BASE  G_GUINT64_CONSTANT (7412000000000)
#define VARIANT_ID_BASE  G_GUINT64_CONSTANT (42100000000000)
#define FULFILL_ID_BASE  G_GUINT64_CONSTANT (4700000000000)
#define REFUND_ID_BASE   G_GUINT64_CONSTANT (930000000000)
#define TRANS_ID_BASE    G_GUINT64_CONSTANT (6200000000000)
#define SHIPLINE_ID_BASE G_GUINT64_CONSTANT (4300000000000)
#define LOCATION_ID      G_GUINT64_CONSTANT (71234567890)
#define DAY              (G_GINT64_CONSTANT (86400))
#define HOUR             (G_GINT64_CONSTANT (3600))

/* What the state allows, given the content. */

static gboolean
can_partial_fulfill (const SkDemoContent *c)
{
  return c->n_lines >= 2;
}

static gboolean
can_partial_refund (const SkDemoContent *c)
{
  return c->n_lines >= 2 || c->ship_price > 0;
}

gboolean
_sk_demo_order_fully_fulfilled (const SkDemoOrder *o)
{
  return o->n_fulfillments >= 1 &&
         !(o->first_fulfillment_partial && o->n_fulfillments == 1);
}

static gint64
line_refund (const SkDemoLine *line)
{
  return line->price * line->quantity - line->discount + line->tax[0] + line->tax[1];
}

gint64
_sk_demo_order_refund_amount (const SkDemoOrder   *o,
                              const SkDemoContent *c,
                              guint                j)
{
  gint64 partial = line_refund (&c->lines[0]);

  if (j == 0 && o->first_refund_partial)
    return partial;
  if (j == 0)
    return c->total;
  return c->total - partial;
}

static gint64
refunded_total (const DemoOrder     *o,
                const SkDemoContent *c)
{
  gint64 sum = 0;

  for (guint j = 0; j < o->n_refunds; j++)
    sum += _sk_demo_order_refund_amount (o, c, j);
  return sum;
}

static void
touch (DemoOrder *o,
       gint64     t)
{
  o->updated_at = MAX (o->updated_at, t);
}

static void
do_cancel (DemoOrder *o,
           gint64     t,
           guint      reason)
{
  o->cancelled_at = t;
  o->closed_at = t;
  o->cancel_reason = (guint8) reason;
  if (o->financial == FIN_PAID)
    {
      o->financial = FIN_REFUNDED;
      o->n_refunds = 1;
      o->first_refund_partial = FALSE;
      o->refunded_at[0] = t;
    }
  else
    o->financial = FIN_VOIDED;
  touch (o, t);
}

static void
do_pay (DemoOrder *o,
        gint64     t)
{
  o->financial = FIN_PAID;
  o->paid_at = t;
  touch (o, t);
}

static void
do_fulfill (DemoOrder           *o,
            const SkDemoContent *c,
            gint64               t,
            gboolean             partial)
{
  if (o->n_fulfillments == 0)
    o->first_fulfillment_partial = partial && can_partial_fulfill (c);
  o->fulfilled_at[o->n_fulfillments++] = t;
  if (_sk_demo_order_fully_fulfilled (o) && o->financial == FIN_PAID && o->closed_at == 0)
    o->closed_at = t;
  touch (o, t);
}

static void
do_refund (DemoOrder           *o,
           const SkDemoContent *c,
           gint64               t,
           gboolean             partial)
{
  if (o->n_refunds == 0)
    o->first_refund_partial = partial && can_partial_refund (c);
  o->refunded_at[o->n_refunds++] = t;
  o->financial = (o->n_refunds == 1 && o->first_refund_partial)
    ? FIN_PARTIALLY_REFUNDED : FIN_REFUNDED;
  touch (o, t);
}

static void
do_edit (DemoOrder *o,
         gint64     t)
{
  o->n_edits = (guint8) MIN (o->n_edits + 1, 200);
  o->edited_at = t;
  touch (o, t);
}

/* The history an order has had by @now, from its creation. */
static void
simulate_history (DemoOrder           *o,
                  const SkDemoContent *c,
                  SkDemoRng           *r,
                  gint64               now)
{
  gint64 t = o->created_at;
  gint64 last;

  o->updated_at = t;
  if (c->payment == SK_DEMO_PAY_CAPTURE)
    do_pay (o, t);
  else
    {
      gboolean manual = c->payment == SK_DEMO_PAY_MANUAL;

      o->financial = manual ? FIN_PENDING : FIN_AUTHORIZED;
      t += manual ? _sk_demo_rng_range (r, DAY, 6 * DAY) : _sk_demo_rng_range (r, HOUR, 48 * HOUR);
      if (t > now)
        return;
      if (_sk_demo_rng_chance (r, manual ? 75 : 92))
        do_pay (o, t);
      else
        {
          do_cancel (o, t, manual ? CANCEL_DECLINED
                                  : (_sk_demo_rng_chance (r, 50) ? CANCEL_INVENTORY : CANCEL_FRAUD));
          return;
        }
    }

  if (_sk_demo_rng_chance (r, 3))
    {
      t += _sk_demo_rng_range (r, HOUR, 30 * HOUR);
      if (t <= now)
        do_cancel (o, t, CANCEL_CUSTOMER);
      return;
    }

  t += _sk_demo_rng_range (r, 2 * HOUR, 3 * DAY);
  if (t > now)
    return;
  do_fulfill (o, c, t, _sk_demo_rng_chance (r, 15));
  if (!_sk_demo_order_fully_fulfilled (o))
    {
      t += _sk_demo_rng_range (r, DAY, 5 * DAY);
      if (t > now)
        return;
      do_fulfill (o, c, t, FALSE);
    }

  last = t;
  if (_sk_demo_rng_chance (r, 10))
    {
      t += _sk_demo_rng_range (r, 4 * DAY, 25 * DAY);
      if (t <= now)
        {
          do_refund (o, c, t, _sk_demo_rng_chance (r, 65));
          t += _sk_demo_rng_range (r, DAY, 10 * DAY);
          if (o->financial == FIN_PARTIALLY_REFUNDED && _sk_demo_rng_chance (r, 15) && t <= now)
            do_refund (o, c, t, FALSE);
        }
    }

  if (_sk_demo_rng_chance (r, 6))
    {
      t = last + _sk_demo_rng_range (r, HOUR, 20 * DAY);
      if (t <= now)
        do_edit (o, t);
    }
}

/* The next thing that happens to an existing order. */
static void
step_order (DemoOrder           *o,
            const SkDemoContent *c,
            SkDemoRng           *r,
            gint64               t)
{
  if (o->cancelled_at != 0)
    {
      do_edit (o, t);
      return;
    }
  switch (o->financial)
    {
    case FIN_PENDING:
      if (_sk_demo_rng_chance (r, 80))
        do_pay (o, t);
      else
        do_cancel (o, t, CANCEL_DECLINED);
      break;
    case FIN_AUTHORIZED:
      if (_sk_demo_rng_chance (r, 88))
        do_pay (o, t);
      else
        do_cancel (o, t, CANCEL_INVENTORY);
      break;
    case FIN_PAID:
      if (o->n_fulfillments == 0 && _sk_demo_rng_chance (r, 5))
        do_cancel (o, t, CANCEL_CUSTOMER);
      else if (!_sk_demo_order_fully_fulfilled (o))
        do_fulfill (o, c, t, _sk_demo_rng_chance (r, 25));
      else if (_sk_demo_rng_chance (r, 70))
        do_refund (o, c, t, _sk_demo_rng_chance (r, 70));
      else
        do_edit (o, t);
      break;
    case FIN_PARTIALLY_REFUNDED:
      do_refund (o, c, t, FALSE);
      break;
    default:
      do_edit (o, t);
      break;
    }
  /* whatever happened, the order changed at @t */
  o->updated_at = t;
}

/* The order book */

static int
compare_keys (gint64  a_updated,
              guint64 a_id,
              gint64  b_updated,
              guint64 b_id)
{
  if (a_updated != b_updated)
    return a_updated < b_updated ? -1 : 1;
  if (a_id != b_id)
    return a_id < b_id ? -1 : 1;
  return 0;
}

static inline DemoOrder *
order_at (SkDemoData *self,
          guint       row)
{
  return &g_array_index (self->orders, DemoOrder, row);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  SkDemoData *self = user_data;
  const DemoOrder *oa = order_at (self, *(const guint *) a);
  const DemoOrder *ob = order_at (self, *(const guint *) b);

  return compare_keys (oa->updated_at, oa->id, ob->updated_at, ob->id);
}

static void
add_order (SkDemoData *self,
           gint64      created_at,
           gint64      now)
{
  guint row = self->orders->len;
  DemoOrder o = { 0 };
  SkDemoContent c;
  SkDemoRng r = _sk_demo_rng_for (self->seed, row, SK_DEMO_STREAM_LIFE);

  o.id = self->id_base + (guint64) row * ORDER_ID_STEP + _sk_demo_rng_below (&r, ORDER_ID_STEP);
  o.created_at = created_at;
  g_array_append_val (self->orders, o);
  _sk_demo_derive_content (self->seed, row, &c);
  simulate_history (order_at (self, row), &c, &r, now);
}

SkDemoData *
sk_demo_data_new (guint64 seed,
                  guint   n_orders,
                  gint64  now)
{
  SkDemoData *self = g_new0 (SkDemoData, 1);
  gint64 span = 60 * DAY;
  SkDemoRng r = _sk_demo_rng_for (seed, 0, SK_DEMO_STREAM_TIME);

  self->seed = seed;
  self->now = now;
  self->start = now - span;
  self->rng = _sk_demo_rng_for (seed, 0, SK_DEMO_STREAM_DATA);
  /* half of the first orders have ids below 2^53, the rest above it, as
   * today's Shopify ids are */
  self->id_base = (G_GUINT64_CONSTANT (1) << 53) - (guint64) (n_orders / 2 + 1) * ORDER_ID_STEP;
  self->orders = g_array_sized_new (FALSE, FALSE, sizeof (DemoOrder), n_orders);
  self->sorted = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_orders);
  self->extras = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) _sk_demo_extra_free);

  for (guint i = 0; i < n_orders; i++)
    {
      gint64 slot = span / MAX (n_orders, 1);
      gint64 created = self->start + (gint64) i * span / MAX (n_orders, 1) +
                       (slot > 1 ? _sk_demo_rng_range (&r, 0, slot - 1) : 0);

      add_order (self, MIN (created, now), now);
      g_array_append_val (self->sorted, i);
    }
  g_array_sort_with_data (self->sorted, compare_rows, self);
  return self;
}

void
sk_demo_data_free (SkDemoData *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->orders);
  g_array_unref (self->sorted);
  g_hash_table_unref (self->extras);
  g_free (self);
}

SkDemoExtra *
_sk_demo_data_extra (SkDemoData *self,
                     guint       row,
                     gboolean    create)
{
  DemoOrder *o = order_at (self, row);
  SkDemoExtra *extra;

  if (o->has_extra)
    return g_hash_table_lookup (self->extras, GUINT_TO_POINTER (row));
  if (!create)
    return NULL;
  extra = g_new0 (SkDemoExtra, 1);
  extra->shipments = g_array_new (FALSE, FALSE, sizeof (SkDemoShipment));
  extra->notes = g_ptr_array_new ();
  g_hash_table_insert (self->extras, GUINT_TO_POINTER (row), extra);
  o->has_extra = TRUE;
  return extra;
}

void
_sk_demo_data_touch (SkDemoData *self,
                     guint       row,
                     gint64      now)
{
  DemoOrder *o = order_at (self, row);
  guint lo = 0, hi;

  self->now = MAX (self->now, now);
  for (guint i = 0; i < self->sorted->len; i++)
    if (g_array_index (self->sorted, guint, i) == row)
      {
        g_array_remove_index (self->sorted, i);
        break;
      }
  o->updated_at = MAX (o->updated_at, self->now);
  hi = self->sorted->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_rows (&g_array_index (self->sorted, guint, mid), &row, self) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_array_insert_val (self->sorted, lo, row);
}

gboolean
sk_demo_data_find (SkDemoData *self,
                   guint64     id,
                   guint      *out_row)
{
  guint64 row;

  g_return_val_if_fail (self != NULL, FALSE);

  if (id < self->id_base)
    return FALSE;
  row = (id - self->id_base) / ORDER_ID_STEP;
  if (row >= self->orders->len || order_at (self, (guint) row)->id != id)
    return FALSE;
  if (out_row != NULL)
    *out_row = (guint) row;
  return TRUE;
}

guint64
sk_demo_data_line_id (SkDemoData *self,
                      guint       row,
                      guint       line)
{
  return LINE_ID_BASE + (guint64) row * 8 + line;
}

guint
sk_demo_data_get_n_orders (SkDemoData *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->orders->len;
}

gint64
sk_demo_data_get_now (SkDemoData *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->now;
}

static guint
pick_row_to_update (SkDemoData *self,
                    guint       n_rows)
{
  guint recent = MAX (1, n_rows / 10);

  /* most updates hit recent orders, as in a real shop */
  if (_sk_demo_rng_chance (&self->rng, 70))
    return n_rows - 1 - _sk_demo_rng_below (&self->rng, recent);
  return _sk_demo_rng_below (&self->rng, n_rows);
}

void
sk_demo_data_advance (SkDemoData *self,
                      guint       n_new,
                      guint       n_updates,
                      gint64      now)
{
  guint n_old;
  g_autofree guint8 *changed = NULL;
  g_autoptr(GArray) moved = NULL;
  g_autoptr(GArray) merged = NULL;
  gint64 prev;
  guint i, j;

  g_return_if_fail (self != NULL);

  prev = self->now;
  self->now = MAX (now, prev);
  n_old = self->orders->len;
  n_updates = MIN (n_updates, n_old);
  changed = g_malloc0 (MAX (n_old, 1));
  moved = g_array_new (FALSE, FALSE, sizeof (guint));

  for (i = 0; i < n_updates; i++)
    {
      guint row = pick_row_to_update (self, n_old);
      SkDemoContent c;

      while (changed[row])
        row = (row + 1) % n_old;
      changed[row] = 1;
      _sk_demo_derive_content (self->seed, row, &c);
      step_order (order_at (self, row), &c, &self->rng, self->now);
      g_array_append_val (moved, row);
    }

  for (i = 0; i < n_new; i++)
    {
      gint64 created = prev + (self->now - prev) * (i + 1) / n_new;
      guint row = self->orders->len;

      add_order (self, MAX (created, prev), self->now);
      g_array_append_val (moved, row);
    }

  /* merge the untouched rows (still sorted) with the moved ones */
  g_array_sort_with_data (moved, compare_rows, self);
  merged = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->orders->len);
  for (i = 0, j = 0; i < self->sorted->len || j < moved->len;)
    {
      guint a = G_MAXUINT;
      guint b = j < moved->len ? g_array_index (moved, guint, j) : G_MAXUINT;

      while (i < self->sorted->len)
        {
          a = g_array_index (self->sorted, guint, i);
          if (a < n_old && changed[a])
            {
              a = G_MAXUINT;
              i++;
              continue;
            }
          break;
        }
      if (a == G_MAXUINT && b == G_MAXUINT)
        break;
      if (b == G_MAXUINT || (a != G_MAXUINT && compare_rows (&a, &b, self) <= 0))
        {
          g_array_append_val (merged, a);
          i++;
        }
      else
        {
          g_array_append_val (merged, b);
          j++;
        }
    }
  g_assert (merged->len == self->orders->len);
  g_array_unref (self->sorted);
  self->sorted = g_steal_pointer (&merged);
}

/* Queries */

static gboolean
matches (const DemoOrder    *o,
         const SkDemoFilter *f)
{
  switch (f->status)
    {
    case SK_DEMO_STATUS_OPEN:
      if (o->closed_at != 0 || o->cancelled_at != 0)
        return FALSE;
      break;
    case SK_DEMO_STATUS_CLOSED:
      if (o->closed_at == 0)
        return FALSE;
      break;
    case SK_DEMO_STATUS_CANCELLED:
      if (o->cancelled_at == 0)
        return FALSE;
      break;
    case SK_DEMO_STATUS_ANY:
    default:
      break;
    }
  if (f->created_at_min != 0 && o->created_at < f->created_at_min)
    return FALSE;
  if (f->created_at_max != 0 && o->created_at > f->created_at_max)
    return FALSE;
  return TRUE;
}

/* First position whose key is >= (updated_at, id) (or > when @strict). */
static guint
lower_bound (SkDemoData *self,
             gint64      updated_at,
             guint64     id,
             gboolean    strict)
{
  guint lo = 0, hi = self->sorted->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const DemoOrder *o = order_at (self, g_array_index (self->sorted, guint, mid));
      int cmp = compare_keys (o->updated_at, o->id, updated_at, id);

      if (cmp < 0 || (strict && cmp == 0))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static inline gboolean
below_max (const DemoOrder    *o,
           const SkDemoFilter *f)
{
  return f->updated_at_max == 0 || o->updated_at <= f->updated_at_max;
}

static guint
first_position (SkDemoData         *self,
                const SkDemoFilter *f)
{
  return f->updated_at_min != 0 ? lower_bound (self, f->updated_at_min, 0, FALSE) : 0;
}

guint
sk_demo_data_count (SkDemoData         *self,
                    const SkDemoFilter *filter)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (filter != NULL, 0);

  for (guint pos = first_position (self, filter); pos < self->sorted->len; pos++)
    {
      const DemoOrder *o = order_at (self, g_array_index (self->sorted, guint, pos));

      if (!below_max (o, filter))
        break;
      n += matches (o, filter);
    }
  return n;
}

/* The next matching position from @pos going by @dir (+1/-1), or -1. */
static gint64
scan (SkDemoData         *self,
      const SkDemoFilter *f,
      gint64              pos,
      int                 dir)
{
  gint64 first = first_position (self, f);

  for (; pos >= first && pos < (gint64) self->sorted->len; pos += dir)
    {
      const DemoOrder *o = order_at (self, g_array_index (self->sorted, guint, pos));

      if (!below_max (o, f))
        {
          if (dir > 0)
            return -1;
          continue;
        }
      if (matches (o, f))
        return pos;
    }
  return -1;
}

guint
sk_demo_data_page (SkDemoData         *self,
                   const SkDemoFilter *filter,
                   gboolean            forward,
                   gint64              cursor_updated_at,
                   guint64             cursor_id,
                   guint               limit,
                   guint              *out_rows,
                   gboolean           *more_before,
                   gboolean           *more_after)
{
  guint n = 0;
  gint64 pos, first_pos = -1, last_pos = -1;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (filter != NULL, 0);
  g_return_val_if_fail (limit == 0 || out_rows != NULL, 0);

  if (forward)
    {
      pos = cursor_updated_at == G_MININT64
        ? 0 : lower_bound (self, cursor_updated_at, cursor_id, TRUE);
      pos = MAX (pos, (gint64) first_position (self, filter));
      while (n < limit && (pos = scan (self, filter, pos, +1)) >= 0)
        {
          if (first_pos < 0)
            first_pos = pos;
          last_pos = pos;
          out_rows[n++] = g_array_index (self->sorted, guint, pos);
          pos++;
        }
      if (n == 0)
        first_pos = last_pos = pos < 0 ? (gint64) self->sorted->len : pos;
    }
  else
    {
      pos = (gint64) lower_bound (self, cursor_updated_at, cursor_id, FALSE) - 1;
      while (n < limit && pos >= 0 && (pos = scan (self, filter, pos, -1)) >= 0)
        {
          if (last_pos < 0)
            last_pos = pos;
          first_pos = pos;
          out_rows[n++] = g_array_index (self->sorted, guint, pos);
          pos--;
        }
      /* ascending order */
      for (guint i = 0; i < n / 2; i++)
        {
          guint tmp = out_rows[i];

          out_rows[i] = out_rows[n - 1 - i];
          out_rows[n - 1 - i] = tmp;
        }
      if (n == 0)
        first_pos = last_pos = lower_bound (self, cursor_updated_at, cursor_id, FALSE);
    }

  if (more_before != NULL)
    *more_before = first_pos > 0 && scan (self, filter, first_pos - 1, -1) >= 0;
  if (more_after != NULL)
    *more_after = scan (self, filter, n > 0 ? last_pos + 1 : last_pos, +1) >= 0;
  return n;
}

void
sk_demo_data_get_key (SkDemoData *self,
                      guint       row,
                      gint64     *updated_at,
                      guint64    *id)
{
  const DemoOrder *o;

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < self->orders->len);

  o = order_at (self, row);
  if (updated_at != NULL)
    *updated_at = o->updated_at;
  if (id != NULL)
    *id = o->id;
}

/* Writing an order */

/* A short string built without printf (which costs more than the whole
 * JSON writer). */
typedef struct {
  char  str[128];
  gsize len;
} SmallStr;

static void
small_add (SmallStr   *s,
           const char *text)
{
  gsize n = MIN (strlen (text), sizeof s->str - 1 - s->len);

  memcpy (s->str + s->len, text, n);
  s->len += n;
  s->str[s->len] = '\0';
}

static void
small_add_uint (SmallStr *s,
                guint64   v)
{
  char buf[24];
  char *p = buf + sizeof buf - 1;

  *p = '\0';
  do
    {
      *--p = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  small_add (s, p);
}

typedef struct {
  SkDemoJson            w;
  const DemoOrder      *o;
  const SkDemoContent  *c;
  const SkDemoCustomer *cust;
  guint                 row;
  const char           *cur;
  int                   exp;
  int                   tz;
  const SkDemoExtra    *extra;
} OrderWriter;

static void
write_gid (OrderWriter *ow,
           const char  *type,
           guint64      id)
{
  SmallStr gid = { "", 0 };

  small_add (&gid, "gid://shopify/");
  small_add (&gid, type);
  small_add (&gid, "/");
  small_add_uint (&gid, id);
  sk_demo_json_string (&ow->w, "admin_graphql_api_id", gid.str);
}

static void
write_money (OrderWriter *ow,
             const char  *key,
             const char  *set_key,
             gint64       minor)
{
  if (key != NULL)
    sk_demo_json_decimal (&ow->w, key, minor, ow->exp);
  sk_demo_json_money_set (&ow->w, set_key, minor, ow->cur);
}

static void
write_rate (OrderWriter *ow,
            guint        ppm)
{
  char buf[16] = "0.";
  int len = 8;

  /* 0.06, 0.08875, 0.13: rates are below 100 % */
  g_assert (ppm < 1000000);
  for (int i = 7; i >= 2; i--, ppm /= 10)
    buf[i] = (char) ('0' + ppm % 10);
  while (len > 3 && buf[len - 1] == '0')
    len--;
  buf[len] = '\0';
  sk_demo_json_raw (&ow->w, "rate", buf);
}

static void
write_tax_lines (OrderWriter  *ow,
                 const gint64  amounts[2])
{
  sk_demo_json_begin_array (&ow->w, "tax_lines");
  for (guint j = 0; j < 2; j++)
    {
      if (ow->c->city->tax_ppm[j] == 0)
        continue;
      sk_demo_json_begin_object (&ow->w, NULL);
      sk_demo_json_decimal (&ow->w, "price", amounts[j], ow->exp);
      write_rate (ow, ow->c->city->tax_ppm[j]);
      if (ow->c->city->tax_title[j] != NULL)
        sk_demo_json_string (&ow->w, "title", ow->c->city->tax_title[j]);
      else
        {
          char title[64];

          g_snprintf (title, sizeof title, "%s State Tax", ow->c->city->province_code);
          sk_demo_json_string (&ow->w, "title", title);
        }
      sk_demo_json_end_object (&ow->w);
    }
  sk_demo_json_end_array (&ow->w);
}

static void
write_address (OrderWriter *ow,
               const char  *key,
               gboolean     billing)
{
  const SkDemoCustomer *cu = ow->cust;
  const SkDemoCountry *country = cu->country;
  guint street = billing ? cu->billing_street : cu->street;
  guint house = billing ? cu->billing_house : cu->house;
  SmallStr line1 = { "", 0 };
  SmallStr name = { "", 0 };

  if (g_str_equal (country->code, "JP"))
    {
      small_add (&line1, country->streets[street]);
      small_add_uint (&line1, 1 + house % 30);
      small_add (&line1, "-");
      small_add_uint (&line1, 1 + house % 17);
    }
  else if (country->number_first)
    {
      small_add_uint (&line1, house);
      small_add (&line1, " ");
      small_add (&line1, country->streets[street]);
    }
  else
    {
      small_add (&line1, country->streets[street]);
      small_add (&line1, " ");
      small_add_uint (&line1, house);
    }
  small_add (&name, cu->first->display);
  small_add (&name, " ");
  small_add (&name, cu->last->display);

  sk_demo_json_begin_object (&ow->w, key);
  sk_demo_json_string (&ow->w, "first_name", cu->first->display);
  sk_demo_json_string (&ow->w, "address1", line1.str);
  sk_demo_json_string (&ow->w, "phone", cu->phone);
  sk_demo_json_string (&ow->w, "city", cu->city->city);
  sk_demo_json_string (&ow->w, "zip", cu->zip);
  sk_demo_json_string (&ow->w, "province", cu->city->province);
  sk_demo_json_string (&ow->w, "country", country->name);
  sk_demo_json_string (&ow->w, "last_name", cu->last->display);
  sk_demo_json_string (&ow->w, "address2", (house % 9 == 0) ? "Apt 4" : NULL);
  sk_demo_json_string (&ow->w, "company", (cu->k % 23 == 0) ? "Trailhead Co-op" : NULL);
  sk_demo_json_raw (&ow->w, "latitude", cu->city->latitude);
  sk_demo_json_raw (&ow->w, "longitude", cu->city->longitude);
  sk_demo_json_string (&ow->w, "name", name.str);
  sk_demo_json_string (&ow->w, "country_code", country->code);
  sk_demo_json_string (&ow->w, "province_code", cu->city->province_code);
  sk_demo_json_end_object (&ow->w);
}

static void
write_customer (OrderWriter *ow,
                SkDemoData  *self)
{
  const SkDemoCustomer *cu = ow->cust;
  gint64 since = cu->k < self->orders->len
    ? order_at (self, cu->k)->created_at : ow->o->created_at;

  sk_demo_json_begin_object (&ow->w, "customer");
  sk_demo_json_uint (&ow->w, "id", cu->id);
  sk_demo_json_string (&ow->w, "email", cu->email);
  sk_demo_json_time (&ow->w, "created_at", MIN (since, ow->o->created_at), ow->tz);
  sk_demo_json_time (&ow->w, "updated_at", ow->o->created_at, ow->tz);
  sk_demo_json_string (&ow->w, "first_name", cu->first->display);
  sk_demo_json_string (&ow->w, "last_name", cu->last->display);
  sk_demo_json_string (&ow->w, "state", "disabled");
  sk_demo_json_null (&ow->w, "note");
  sk_demo_json_bool (&ow->w, "verified_email", TRUE);
  sk_demo_json_bool (&ow->w, "tax_exempt", FALSE);
  sk_demo_json_null (&ow->w, "phone");
  sk_demo_json_string (&ow->w, "tags", "");
  sk_demo_json_string (&ow->w, "currency", ow->cur);
  write_gid (ow, "Customer", cu->id);
  sk_demo_json_end_object (&ow->w);
}

/* A member whose value is built in @tmp and escaped. */
static void
write_built_string (OrderWriter *ow,
                    const char  *key,
                    GString     *tmp)
{
  sk_demo_json_string (&ow->w, key, tmp->str);
}

static gboolean
line_fulfilled (const OrderWriter *ow,
                guint              i)
{
  const DemoOrder *o = ow->o;

  if (_sk_demo_order_fully_fulfilled (o))
    return TRUE;
  return o->n_fulfillments == 1 && o->first_fulfillment_partial && i == 0;
}

static gboolean
line_refunded (const OrderWriter *ow,
               guint              i)
{
  const DemoOrder *o = ow->o;

  if (o->n_refunds == 0)
    return FALSE;
  if (o->n_refunds == 2 || !o->first_refund_partial)
    return TRUE;
  return i == 0;
}

static void
write_line_item (OrderWriter *ow,
                 guint        i,
                 GString     *tmp)
{
  const SkDemoLine *line = &ow->c->lines[i];
  const SkDemoProduct *p = _sk_demo_product (line->product);
  gboolean fulfilled = line_fulfilled (ow, i);
  gboolean gone = line_refunded (ow, i) || ow->o->cancelled_at != 0;
  gint64 shipped = ow->extra != NULL ? ow->extra->shipped[i] : 0;
  const char *fulfillment_status = fulfilled || shipped >= line->quantity ? "fulfilled"
                                   : shipped > 0 ? "partial" : NULL;

  sk_demo_json_begin_object (&ow->w, NULL);
  sk_demo_json_uint (&ow->w, "id", LINE_ID_BASE + (guint64) ow->row * 8 + i);
  sk_demo_json_int (&ow->w, "current_quantity", gone ? 0 : line->quantity);
  sk_demo_json_int (&ow->w, "fulfillable_quantity",
                    (gone || fulfilled) ? 0 : MAX (0, line->quantity - shipped));
  sk_demo_json_string (&ow->w, "fulfillment_status", fulfillment_status);
  sk_demo_json_uint (&ow->w, "grams", p->grams);
  g_string_truncate (tmp, 0);
  _sk_demo_append_variant (tmp, p, line->variant, TRUE, FALSE);
  write_built_string (ow, "name", tmp);
  write_money (ow, "price", "price_set", line->price);
  sk_demo_json_uint (&ow->w, "product_id", PRODUCT_ID_BASE + (guint64) line->product * 131);
  sk_demo_json_int (&ow->w, "quantity", line->quantity);
  sk_demo_json_bool (&ow->w, "requires_shipping", TRUE);
  g_string_truncate (tmp, 0);
  _sk_demo_append_variant (tmp, p, line->variant, FALSE, TRUE);
  write_built_string (ow, "sku", tmp);
  sk_demo_json_string (&ow->w, "title", p->title);
  sk_demo_json_decimal (&ow->w, "total_discount", line->discount, ow->exp);
  sk_demo_json_uint (&ow->w, "variant_id",
                     VARIANT_ID_BASE + (guint64) line->product * 64 + line->variant);
  g_string_truncate (tmp, 0);
  if (_sk_demo_append_variant (tmp, p, line->variant, FALSE, FALSE))
    write_built_string (ow, "variant_title", tmp);
  else
    sk_demo_json_null (&ow->w, "variant_title");
  sk_demo_json_string (&ow->w, "vendor", p->vendor);
  write_tax_lines (ow, line->tax);
  sk_demo_json_begin_array (&ow->w, "discount_allocations");
  if (line->discount > 0)
    {
      sk_demo_json_begin_object (&ow->w, NULL);
      sk_demo_json_decimal (&ow->w, "amount", line->discount, ow->exp);
      sk_demo_json_int (&ow->w, "discount_application_index", 0);
      sk_demo_json_end_object (&ow->w);
    }
  sk_demo_json_end_array (&ow->w);
  sk_demo_json_end_object (&ow->w);
}

/* "fulfilled" when every line is, "partial" when something shipped. */
static const char *
order_fulfillment_status (const OrderWriter *ow)
{
  gboolean all = TRUE, some = ow->o->n_fulfillments > 0;

  if (_sk_demo_order_fully_fulfilled (ow->o))
    return "fulfilled";
  for (guint i = 0; i < ow->c->n_lines; i++)
    {
      gint64 shipped = ow->extra != NULL ? ow->extra->shipped[i] : 0;

      some |= shipped > 0;
      all &= line_fulfilled (ow, i) || shipped >= ow->c->lines[i].quantity;
    }
  return all && some ? "fulfilled" : some ? "partial" : NULL;
}

gboolean
_sk_demo_data_line_done (SkDemoData *self,
                         guint       row,
                         guint       i)
{
  OrderWriter ow = { 0 };
  SkDemoContent c;

  _sk_demo_derive_content (self->seed, row, &c);
  ow.o = order_at (self, row);
  ow.c = &c;
  ow.row = row;
  return line_fulfilled (&ow, i) || line_refunded (&ow, i) || ow.o->cancelled_at != 0;
}

static void
write_tracking_number (char                *buf,
                       gsize                size,
                       const SkDemoCarrier *carrier,
                       SkDemoRng           *r)
{
  char raw[40];
  gsize n = 0;

  _sk_demo_fill_pattern (raw, sizeof raw, carrier->format, r);
  for (const char *p = raw; *p != '\0' && n + 1 < size; p++)
    if (*p != ' ')
      buf[n++] = *p;
  buf[n] = '\0';
}

static void
write_fulfillment (OrderWriter *ow,
                   guint        j,
                   GString     *tmp)
{
  const DemoOrder *o = ow->o;
  guint64 id = FULFILL_ID_BASE + (guint64) ow->row * 4 + j;
  SkDemoRng r = _sk_demo_rng_for (o->id, j, SK_DEMO_STREAM_TRACKING);
  const SkDemoCarrier *carrier = _sk_demo_carrier (ow->c->country->carriers[_sk_demo_rng_below (&r, 3) == 0]);
  char number[40];
  char name[32];
  guint from, to;
  gint64 t = o->fulfilled_at[j];

  write_tracking_number (number, sizeof number, carrier, &r);
  g_snprintf (name, sizeof name, "#%u.%u", 1001 + ow->row, j + 1);
  if (o->first_fulfillment_partial)
    {
      from = j == 0 ? 0 : 1;
      to = j == 0 ? 1 : ow->c->n_lines;
    }
  else
    {
      from = 0;
      to = ow->c->n_lines;
    }

  sk_demo_json_begin_object (&ow->w, NULL);
  sk_demo_json_uint (&ow->w, "id", id);
  write_gid (ow, "Fulfillment", id);
  sk_demo_json_time (&ow->w, "created_at", t, ow->tz);
  sk_demo_json_uint (&ow->w, "location_id", LOCATION_ID);
  sk_demo_json_string (&ow->w, "name", name);
  sk_demo_json_uint (&ow->w, "order_id", o->id);
  sk_demo_json_string (&ow->w, "service", "manual");
  sk_demo_json_string (&ow->w, "shipment_status",
                       ow->o->updated_at - t > 4 * DAY ? "delivered" : "in_transit");
  sk_demo_json_string (&ow->w, "status", "success");
  sk_demo_json_string (&ow->w, "tracking_company", carrier->company);
  sk_demo_json_string (&ow->w, "tracking_number", number);
  sk_demo_json_begin_array (&ow->w, "tracking_numbers");
  sk_demo_json_string (&ow->w, NULL, number);
  sk_demo_json_end_array (&ow->w);
  g_string_truncate (tmp, 0);
  g_string_append (tmp, carrier->url_prefix);
  g_string_append (tmp, number);
  write_built_string (ow, "tracking_url", tmp);
  sk_demo_json_time (&ow->w, "updated_at", t, ow->tz);
  sk_demo_json_begin_array (&ow->w, "line_items");
  for (guint i = from; i < to; i++)
    {
      sk_demo_json_begin_object (&ow->w, NULL);
      sk_demo_json_uint (&ow->w, "id", LINE_ID_BASE + (guint64) ow->row * 8 + i);
      sk_demo_json_int (&ow->w, "quantity", ow->c->lines[i].quantity);
      sk_demo_json_end_object (&ow->w);
    }
  sk_demo_json_end_array (&ow->w);
  sk_demo_json_end_object (&ow->w);
}

static void
write_refund (OrderWriter *ow,
              guint        j)
{
  const DemoOrder *o = ow->o;
  const SkDemoContent *c = ow->c;
  guint64 id = REFUND_ID_BASE + (guint64) ow->row * 4 + j;
  guint64 trans = TRANS_ID_BASE + (guint64) ow->row * 8 + 2 + j;
  gint64 t = o->refunded_at[j];
  gboolean partial = j == 0 && o->first_refund_partial;
  guint from = j == 0 ? 0 : 1;
  guint to = partial ? 1 : c->n_lines;
  gboolean shipping = !partial && (c->ship_price > 0 || c->ship_tax[0] + c->ship_tax[1] > 0);
  gint64 amount = _sk_demo_order_refund_amount (o, c, j);

  sk_demo_json_begin_object (&ow->w, NULL);
  sk_demo_json_uint (&ow->w, "id", id);
  write_gid (ow, "Refund", id);
  sk_demo_json_time (&ow->w, "created_at", t, ow->tz);
  sk_demo_json_string (&ow->w, "note",
                       o->cancelled_at != 0 ? "Order cancelled"
                       : refund_notes[(ow->row + j) % G_N_ELEMENTS (refund_notes)]);
  sk_demo_json_uint (&ow->w, "order_id", o->id);
  sk_demo_json_time (&ow->w, "processed_at", t, ow->tz);
  sk_demo_json_bool (&ow->w, "restock", o->cancelled_at == 0);
  sk_demo_json_null (&ow->w, "user_id");

  sk_demo_json_begin_array (&ow->w, "order_adjustments");
  if (shipping)
    {
      sk_demo_json_begin_object (&ow->w, NULL);
      sk_demo_json_uint (&ow->w, "id", id * 2 + 1);
      sk_demo_json_uint (&ow->w, "order_id", o->id);
      sk_demo_json_uint (&ow->w, "refund_id", id);
      write_money (ow, "amount", "amount_set", -c->ship_price);
      write_money (ow, "tax_amount", "tax_amount_set", -(c->ship_tax[0] + c->ship_tax[1]));
      sk_demo_json_string (&ow->w, "kind", "shipping_refund");
      sk_demo_json_string (&ow->w, "reason", "Shipping refund");
      sk_demo_json_end_object (&ow->w);
    }
  sk_demo_json_end_array (&ow->w);

  sk_demo_json_begin_array (&ow->w, "transactions");
  sk_demo_json_begin_object (&ow->w, NULL);
  sk_demo_json_uint (&ow->w, "id", trans);
  write_gid (ow, "OrderTransaction", trans);
  sk_demo_json_decimal (&ow->w, "amount", amount, ow->exp);
  sk_demo_json_null (&ow->w, "authorization");
  sk_demo_json_time (&ow->w, "created_at", t, ow->tz);
  sk_demo_json_string (&ow->w, "currency", ow->cur);
  sk_demo_json_string (&ow->w, "gateway", c->paypal ? "paypal" : c->payment == SK_DEMO_PAY_MANUAL
                       ? "manual" : "shopify_payments");
  sk_demo_json_string (&ow->w, "kind", "refund");
  sk_demo_json_string (&ow->w, "message", "Refund processed");
  sk_demo_json_uint (&ow->w, "order_id", o->id);
  sk_demo_json_uint (&ow->w, "parent_id", TRANS_ID_BASE + (guint64) ow->row * 8 + 1);
  sk_demo_json_time (&ow->w, "processed_at", t, ow->tz);
  sk_demo_json_string (&ow->w, "status", "success");
  sk_demo_json_bool (&ow->w, "test", FALSE);
  sk_demo_json_end_object (&ow->w);
  sk_demo_json_end_array (&ow->w);

  sk_demo_json_begin_array (&ow->w, "refund_line_items");
  for (guint i = from; i < to; i++)
    {
      const SkDemoLine *line = &c->lines[i];
      gint64 subtotal = line->price * line->quantity - line->discount;
      gint64 tax = line->tax[0] + line->tax[1];

      sk_demo_json_begin_object (&ow->w, NULL);
      sk_demo_json_uint (&ow->w, "id", id * 8 + i);
      sk_demo_json_uint (&ow->w, "line_item_id", LINE_ID_BASE + (guint64) ow->row * 8 + i);
      sk_demo_json_uint (&ow->w, "location_id", LOCATION_ID);
      sk_demo_json_int (&ow->w, "quantity", line->quantity);
      sk_demo_json_string (&ow->w, "restock_type", o->cancelled_at != 0 ? "cancel" : "return");
      /* Shopify sends these two as JSON numbers */
      sk_demo_json_decimal_number (&ow->w, "subtotal", subtotal, ow->exp);
      sk_demo_json_money_set (&ow->w, "subtotal_set", subtotal, ow->cur);
      sk_demo_json_decimal_number (&ow->w, "total_tax", tax, ow->exp);
      sk_demo_json_money_set (&ow->w, "total_tax_set", tax, ow->cur);
      sk_demo_json_end_object (&ow->w);
    }
  sk_demo_json_end_array (&ow->w);
  sk_demo_json_end_object (&ow->w);
}

static void
write_tags (OrderWriter *ow,
            GString     *tmp)
{
  g_string_truncate (tmp, 0);
  if (ow->o->n_edits > 0)
    g_string_append (tmp, "follow-up");
  _sk_demo_append_tags (tmp, ow->c->tags);
  write_built_string (ow, "tags", tmp);
}

void
sk_demo_data_write_order (SkDemoData    *self,
                          guint          row,
                          SkDemoJson    *w,
                          SkDemoMalform  malform)
{
  OrderWriter ow;
  SkDemoContent c;
  SkDemoCustomer cust;
  const DemoOrder *o;
  g_autoptr(GString) tmp = g_string_sized_new (128);
  gint64 refunded, current_total, outstanding;
  char buf[64];
  SmallStr order_name = { "", 0 };

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < self->orders->len);
  g_return_if_fail (w != NULL);

  o = order_at (self, row);
  _sk_demo_derive_content (self->seed, row, &c);
  _sk_demo_derive_customer (self->seed, c.customer, &cust);
  ow.w = *w;
  ow.o = o;
  ow.c = &c;
  ow.cust = &cust;
  ow.row = row;
  ow.cur = c.cur->code;
  ow.exp = c.cur->exponent;
  ow.tz = c.tz_offset;
  ow.extra = _sk_demo_data_extra (self, row, FALSE);
  refunded = refunded_total (o, &c);
  current_total = o->financial == FIN_VOIDED ? 0 : c.total - refunded;
  outstanding = (o->financial == FIN_PENDING || o->financial == FIN_AUTHORIZED) ? c.total : 0;

  sk_demo_json_begin_object (&ow.w, NULL);
  if (malform != SK_DEMO_MALFORM_NO_ID)
    sk_demo_json_uint (&ow.w, "id", o->id);
  write_gid (&ow, "Order", o->id);
  sk_demo_json_int (&ow.w, "app_id", 580111);
  small_add (&order_name, "203.0.113.");
  small_add_uint (&order_name, c.ip);
  sk_demo_json_string (&ow.w, "browser_ip", order_name.str);
  sk_demo_json_bool (&ow.w, "buyer_accepts_marketing", cust.accepts_marketing);
  sk_demo_json_string (&ow.w, "cancel_reason", cancel_reasons[o->cancel_reason]);
  sk_demo_json_time (&ow.w, "cancelled_at", o->cancelled_at, ow.tz);
  sk_demo_json_null (&ow.w, "cart_token");
  sk_demo_json_time (&ow.w, "closed_at", o->closed_at, ow.tz);
  for (guint i = 0; i < 9; i++)
    buf[i] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[(c.token[1] >> (i * 5)) & 31];
  buf[9] = '\0';
  sk_demo_json_string (&ow.w, "confirmation_number", buf);
  sk_demo_json_bool (&ow.w, "confirmed", TRUE);
  sk_demo_json_string (&ow.w, "contact_email", cust.email);
  sk_demo_json_time (&ow.w, "created_at", o->created_at, ow.tz);
  sk_demo_json_string (&ow.w, "currency", ow.cur);
  sk_demo_json_decimal (&ow.w, "current_total_price", current_total, ow.exp);
  sk_demo_json_string (&ow.w, "customer_locale", c.country->locale);
  sk_demo_json_string (&ow.w, "email", cust.email);
  sk_demo_json_bool (&ow.w, "estimated_taxes", FALSE);
  sk_demo_json_string (&ow.w, "financial_status", financial_codes[o->financial]);
  sk_demo_json_string (&ow.w, "fulfillment_status", order_fulfillment_status (&ow));
  sk_demo_json_string (&ow.w, "landing_site", "/");
  order_name.len = 0;
  small_add (&order_name, "#");
  small_add_uint (&order_name, 1001 + row);
  sk_demo_json_string (&ow.w, "name", order_name.str);
  if (o->n_edits > 0)
    {
      g_snprintf (buf, sizeof buf, "Customer called about the order (%u).", o->n_edits);
      sk_demo_json_string (&ow.w, "note", buf);
    }
  else
    sk_demo_json_string (&ow.w, "note", c.note);
  sk_demo_json_raw (&ow.w, "note_attributes", "[]");
  sk_demo_json_uint (&ow.w, "number", row + 1);
  sk_demo_json_uint (&ow.w, "order_number", 1001 + row);
  sk_demo_json_begin_array (&ow.w, "payment_gateway_names");
  sk_demo_json_string (&ow.w, NULL, c.paypal ? "paypal" : c.payment == SK_DEMO_PAY_MANUAL
                       ? "Bank Deposit" : "shopify_payments");
  sk_demo_json_end_array (&ow.w);
  sk_demo_json_null (&ow.w, "phone");
  sk_demo_json_string (&ow.w, "presentment_currency", ow.cur);
  sk_demo_json_time (&ow.w, "processed_at", o->created_at, ow.tz);
  sk_demo_json_string (&ow.w, "source_name", "web");
  write_money (&ow, "subtotal_price", "subtotal_price_set", c.subtotal);
  write_tags (&ow, tmp);
  write_tax_lines (&ow, c.tax);
  sk_demo_json_bool (&ow.w, "taxes_included", FALSE);
  sk_demo_json_bool (&ow.w, "test", FALSE);
  for (guint i = 0; i < 32; i++)
    buf[i] = "0123456789abcdef"[(c.token[i / 16] >> ((i % 16) * 4)) & 15];
  buf[32] = '\0';
  sk_demo_json_string (&ow.w, "token", buf);
  write_money (&ow, "total_discounts", "total_discounts_set", c.discounts_total);
  sk_demo_json_decimal (&ow.w, "total_line_items_price", c.line_items_total, ow.exp);
  sk_demo_json_decimal (&ow.w, "total_outstanding", outstanding, ow.exp);
  if (malform == SK_DEMO_MALFORM_BAD_TOTAL)
    {
      /* spoiled everywhere a client might read the total from */
      sk_demo_json_string (&ow.w, "total_price", "12,3O");
      sk_demo_json_raw (&ow.w, "total_price_set",
                        "{\"shop_money\":{\"amount\":\"12,3O\",\"currency_code\":\"USD\"},"
                        "\"presentment_money\":{\"amount\":\"12,3O\",\"currency_code\":\"USD\"}}");
    }
  else
    {
      sk_demo_json_decimal (&ow.w, "total_price", c.total, ow.exp);
      sk_demo_json_money_set (&ow.w, "total_price_set", c.total, ow.cur);
    }
  sk_demo_json_money_set (&ow.w, "total_shipping_price_set", c.ship_price, ow.cur);
  write_money (&ow, "total_tax", "total_tax_set", c.tax_total);
  sk_demo_json_decimal (&ow.w, "total_tip_received", 0, ow.exp);
  sk_demo_json_uint (&ow.w, "total_weight", c.grams);
  sk_demo_json_time (&ow.w, "updated_at", o->updated_at, ow.tz);
  sk_demo_json_null (&ow.w, "user_id");
  write_address (&ow, "billing_address", TRUE);
  write_customer (&ow, self);

  sk_demo_json_begin_array (&ow.w, "discount_applications");
  if (c.discount != NULL)
    {
      const SkDemoDiscount *d = c.discount;

      sk_demo_json_begin_object (&ow.w, NULL);
      sk_demo_json_string (&ow.w, "target_type", "line_item");
      sk_demo_json_string (&ow.w, "type", "discount_code");
      if (d->percent > 0)
        {
          g_snprintf (buf, sizeof buf, "%u.0", d->percent);
          sk_demo_json_string (&ow.w, "value", buf);
        }
      else
        sk_demo_json_decimal (&ow.w, "value", c.cur->fixed_off, ow.exp);
      sk_demo_json_string (&ow.w, "value_type", d->percent > 0 ? "percentage" : "fixed_amount");
      sk_demo_json_string (&ow.w, "allocation_method", "across");
      sk_demo_json_string (&ow.w, "target_selection", "all");
      sk_demo_json_string (&ow.w, "code", d->code);
      sk_demo_json_end_object (&ow.w);
    }
  sk_demo_json_end_array (&ow.w);
  sk_demo_json_begin_array (&ow.w, "discount_codes");
  if (c.discount != NULL)
    {
      const SkDemoDiscount *d = c.discount;

      sk_demo_json_begin_object (&ow.w, NULL);
      sk_demo_json_string (&ow.w, "code", d->code);
      sk_demo_json_decimal (&ow.w, "amount", c.discounts_total, ow.exp);
      sk_demo_json_string (&ow.w, "type", d->percent > 0 ? "percentage" : "fixed_amount");
      sk_demo_json_end_object (&ow.w);
    }
  sk_demo_json_end_array (&ow.w);

  sk_demo_json_begin_array (&ow.w, "fulfillments");
  for (guint j = 0; j < o->n_fulfillments; j++)
    write_fulfillment (&ow, j, tmp);
  if (ow.extra != NULL)
    _sk_demo_extra_write_fulfillments (ow.extra, o->id, LINE_ID_BASE + (guint64) row * 8,
                                       ow.tz, &ow.w);
  sk_demo_json_end_array (&ow.w);

  sk_demo_json_begin_array (&ow.w, "line_items");
  for (guint i = 0; i < c.n_lines; i++)
    write_line_item (&ow, i, tmp);
  sk_demo_json_end_array (&ow.w);

  sk_demo_json_null (&ow.w, "payment_terms");
  sk_demo_json_begin_array (&ow.w, "refunds");
  for (guint j = 0; j < o->n_refunds; j++)
    write_refund (&ow, j);
  sk_demo_json_end_array (&ow.w);
  write_address (&ow, "shipping_address", FALSE);

  sk_demo_json_begin_array (&ow.w, "shipping_lines");
  sk_demo_json_begin_object (&ow.w, NULL);
  sk_demo_json_uint (&ow.w, "id", SHIPLINE_ID_BASE + row);
  sk_demo_json_null (&ow.w, "carrier_identifier");
  sk_demo_json_string (&ow.w, "code", c.shipping == 1 ? "Express" : "Standard");
  sk_demo_json_decimal (&ow.w, "discounted_price", c.ship_price, ow.exp);
  write_money (&ow, "price", "price_set", c.ship_price);
  sk_demo_json_string (&ow.w, "source", "shopify");
  sk_demo_json_string (&ow.w, "title", c.shipping == 2 ? "Free Shipping"
                       : c.shipping == 1 ? "Express Shipping" : "Standard Shipping");
  write_tax_lines (&ow, c.ship_tax);
  sk_demo_json_raw (&ow.w, "discount_allocations", "[]");
  sk_demo_json_end_object (&ow.w);
  sk_demo_json_end_array (&ow.w);
  sk_demo_json_end_object (&ow.w);

  /* hand the comma state back to the caller's writer */
  w->has_items = ow.w.has_items;
  w->depth = ow.w.depth;
}

void
sk_demo_data_write_orders (SkDemoData    *self,
                           const guint   *rows,
                           guint          n_rows,
                           guint          malformed_index,
                           SkDemoMalform  malform,
                           GString       *out)
{
  SkDemoJson w;

  g_return_if_fail (self != NULL);
  g_return_if_fail (n_rows == 0 || rows != NULL);
  g_return_if_fail (out != NULL);

  sk_demo_json_init (&w, out);
  sk_demo_json_begin_object (&w, NULL);
  sk_demo_json_begin_array (&w, "orders");
  for (guint i = 0; i < n_rows; i++)
    sk_demo_data_write_order (self, rows[i], &w,
                              i == malformed_index ? malform : SK_DEMO_MALFORM_NONE);
  sk_demo_json_end_array (&w);
  sk_demo_json_end_object (&w);
}

/* For the WooCommerce dialect (sk-demo-data-woo.c) */

const SkDemoOrder *
_sk_demo_data_order (SkDemoData *self,
                     guint       row)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->orders->len, NULL);

  return order_at (self, row);
}

guint64
_sk_demo_data_seed (SkDemoData *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->seed;
}

guint
_sk_demo_data_sorted_row (SkDemoData *self,
                          guint       position)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (position < self->sorted->len, 0);

  return g_array_index (self->sorted, guint, position);
}

void
sk_demo_data_write_order_fulfillments (SkDemoData *self,
                                       guint       row,
                                       GString    *out)
{
  g_autoptr(GString) tmp = g_string_new (NULL);
  OrderWriter ow = { 0 };
  SkDemoContent c;

  g_return_if_fail (self != NULL);
  g_return_if_fail (row < self->orders->len);

  _sk_demo_derive_content (self->seed, row, &c);
  sk_demo_json_init (&ow.w, out);
  ow.o = order_at (self, row);
  ow.c = &c;
  ow.row = row;
  ow.cur = c.cur->code;
  ow.exp = c.cur->exponent;
  ow.tz = c.tz_offset;
  ow.extra = _sk_demo_data_extra (self, row, FALSE);
  sk_demo_json_begin_object (&ow.w, NULL);
  sk_demo_json_begin_array (&ow.w, "fulfillments");
  for (guint j = 0; j < ow.o->n_fulfillments; j++)
    write_fulfillment (&ow, j, tmp);
  if (ow.extra != NULL)
    _sk_demo_extra_write_fulfillments (ow.extra, ow.o->id, LINE_ID_BASE + (guint64) row * 8,
                                       ow.tz, &ow.w);
  sk_demo_json_end_array (&ow.w);
  sk_demo_json_end_object (&ow.w);
}
