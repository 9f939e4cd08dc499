/* sk-store-orders.c: reading one order, its history, and local actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-store-orders.h"
#include "sk-store-private.h"

void
sk_event_free (SkEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->actor);
  g_free (event->subject_type);
  g_free (event->what);
  g_free (event->from_value);
  g_free (event->to_value);
  g_free (event->why);
  g_free (event);
}

/* Reading orders */

void
_sk_store_order_fill_from_row (SkOrder      *order,
                               sqlite3_stmt *stmt)
{
  sk_order_set_id (order, sqlite3_column_int64 (stmt, 0));
  sk_order_set_channel_id (order, sqlite3_column_int64 (stmt, 1));
  sk_order_set_external_id (order, (const char *) sqlite3_column_text (stmt, 2));
  sk_order_set_number (order, (const char *) sqlite3_column_text (stmt, 3));
  sk_order_set_customer_id (order, (const char *) sqlite3_column_text (stmt, 4));
  sk_order_set_created_at (order, sqlite3_column_int64 (stmt, 5));
  sk_order_set_updated_at (order, sqlite3_column_int64 (stmt, 6));
  sk_order_set_processed_at (order, sqlite3_column_int64 (stmt, 7));
  sk_order_set_cancelled_at (order, sqlite3_column_int64 (stmt, 8));
  sk_order_set_closed_at (order, sqlite3_column_int64 (stmt, 9));
  sk_order_set_currency (order, (const char *) sqlite3_column_text (stmt, 10));
  sk_order_set_subtotal (order, sqlite3_column_int64 (stmt, 11));
  sk_order_set_total_tax (order, sqlite3_column_int64 (stmt, 12));
  sk_order_set_total_shipping (order, sqlite3_column_int64 (stmt, 13));
  sk_order_set_total_discounts (order, sqlite3_column_int64 (stmt, 14));
  sk_order_set_total_refunded (order, sqlite3_column_int64 (stmt, 15));
  sk_order_set_total (order, sqlite3_column_int64 (stmt, 16));
  sk_order_set_status (order,
                       sk_order_status_from_string ((const char *) sqlite3_column_text (stmt, 17)),
                       (const char *) sqlite3_column_text (stmt, 20));
  sk_order_set_payment_status (order,
                               sk_payment_status_from_string ((const char *) sqlite3_column_text (stmt, 18)),
                               (const char *) sqlite3_column_text (stmt, 21));
  sk_order_set_fulfillment_status (order,
                                   sk_fulfillment_status_from_string ((const char *) sqlite3_column_text (stmt, 19)),
                                   (const char *) sqlite3_column_text (stmt, 22));
  sk_order_set_customer_name (order, (const char *) sqlite3_column_text (stmt, 23));
  sk_order_set_email (order, (const char *) sqlite3_column_text (stmt, 24));
  sk_order_set_phone (order, (const char *) sqlite3_column_text (stmt, 25));
  sk_order_set_ship_summary (order,
                             (const char *) sqlite3_column_text (stmt, 27),
                             (const char *) sqlite3_column_text (stmt, 26));
  sk_order_set_item_count (order, sqlite3_column_int64 (stmt, 28));
  sk_order_set_note (order, (const char *) sqlite3_column_text (stmt, 29));
  sk_order_set_tags_from_string (order, (const char *) sqlite3_column_text (stmt, 30));
  sk_order_set_hold (order, sqlite3_column_int (stmt, 31) != 0,
                     (const char *) sqlite3_column_text (stmt, 32));
  sk_order_set_archived (order, sqlite3_column_int (stmt, 33) != 0);
}

static gboolean
step_error (SkStore       *self,
            sqlite3_stmt  *stmt,
            int            rc,
            GError       **error)
{
  sqlite3_reset (stmt);
  return sk_store_reader_set_error (self, rc, error);
}

static gboolean
load_addresses (SkStore  *self,
                SkOrder  *order,
                GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sk_store_reader_prepare (self,
                                  "SELECT kind, name, company, line1, line2, city, region,"
                                  " region_code, postcode, country, country_code, phone"
                                  " FROM addresses WHERE order_id = ?",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sk_order_get_id (order));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SkAddress *a = sk_address_new ();

      a->name = _sk_store_column_dup (stmt, 1);
      a->company = _sk_store_column_dup (stmt, 2);
      a->line1 = _sk_store_column_dup (stmt, 3);
      a->line2 = _sk_store_column_dup (stmt, 4);
      a->city = _sk_store_column_dup (stmt, 5);
      a->region = _sk_store_column_dup (stmt, 6);
      a->region_code = _sk_store_column_dup (stmt, 7);
      a->postcode = _sk_store_column_dup (stmt, 8);
      a->country = _sk_store_column_dup (stmt, 9);
      a->country_code = _sk_store_column_dup (stmt, 10);
      a->phone = _sk_store_column_dup (stmt, 11);
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "billing") == 0)
        sk_order_take_billing_address (order, a);
      else
        sk_order_take_shipping_address (order, a);
    }
  if (rc != SQLITE_DONE)
    return step_error (self, stmt, rc, error);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_lines (SkStore  *self,
            SkOrder  *order,
            GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sk_store_reader_prepare (self,
                                  "SELECT external_id, product_id, variant_id, sku, title,"
                                  " variant_title, quantity, unit_price, total_discount, total_tax"
                                  " FROM order_lines WHERE order_id = ? ORDER BY position",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sk_order_get_id (order));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SkOrderLine) line = sk_order_line_new ();

      line->external_id = _sk_store_column_dup (stmt, 0);
      line->product_id = _sk_store_column_dup (stmt, 1);
      line->variant_id = _sk_store_column_dup (stmt, 2);
      line->sku = _sk_store_column_dup (stmt, 3);
      line->title = _sk_store_column_dup (stmt, 4);
      line->variant_title = _sk_store_column_dup (stmt, 5);
      line->quantity = sqlite3_column_int64 (stmt, 6);
      line->unit_price = sqlite3_column_int64 (stmt, 7);
      line->total_discount = sqlite3_column_int64 (stmt, 8);
      line->total_tax = sqlite3_column_int64 (stmt, 9);
      sk_order_add_line (order, line);
    }
  if (rc != SQLITE_DONE)
    return step_error (self, stmt, rc, error);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_refunds (SkStore  *self,
              SkOrder  *order,
              GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sk_store_reader_prepare (self,
                                  "SELECT external_id, created_at, amount, note FROM refunds"
                                  " WHERE order_id = ? ORDER BY created_at, id",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sk_order_get_id (order));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SkRefund) refund = sk_refund_new ();

      refund->external_id = _sk_store_column_dup (stmt, 0);
      refund->created_at = sqlite3_column_int64 (stmt, 1);
      refund->amount = sqlite3_column_int64 (stmt, 2);
      refund->note = _sk_store_column_dup (stmt, 3);
      sk_order_add_refund (order, refund);
    }
  if (rc != SQLITE_DONE)
    return step_error (self, stmt, rc, error);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_fulfillments (SkStore  *self,
                   SkOrder  *order,
                   GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sk_store_reader_prepare (self,
                                  "SELECT external_id, created_at, status_code, tracking_company,"
                                  " tracking_number, tracking_url FROM fulfillments"
                                  " WHERE order_id = ? ORDER BY created_at, id",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sk_order_get_id (order));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(SkFulfillment) f = sk_fulfillment_new ();

      f->external_id = _sk_store_column_dup (stmt, 0);
      f->created_at = sqlite3_column_int64 (stmt, 1);
      f->status_code = _sk_store_column_dup (stmt, 2);
      f->tracking_company = _sk_store_column_dup (stmt, 3);
      f->tracking_number = _sk_store_column_dup (stmt, 4);
      f->tracking_url = _sk_store_column_dup (stmt, 5);
      sk_order_add_fulfillment (order, f);
    }
  if (rc != SQLITE_DONE)
    return step_error (self, stmt, rc, error);
  sqlite3_reset (stmt);
  return TRUE;
}

SkOrder *
sk_store_load_order (SkStore  *self,
                     gint64    order_id,
                     GError  **error)
{
  g_autoptr(SkOrder) order = NULL;
  sqlite3_stmt *stmt;
  gint64 item_count;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT " SK_STORE_ORDER_COLUMNS " FROM orders o"
                                  " LEFT JOIN customers c ON c.id = o.customer_id"
                                  " WHERE o.id = ?",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      order = sk_order_new ();
      _sk_store_order_fill_from_row (order, stmt);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This order is no longer in Storekeep. It may have been removed with its channel."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      sk_store_reader_set_error (self, rc, error);
      return NULL;
    }

  /* sk_order_add_line counts quantities: keep the stored count. */
  item_count = sk_order_get_item_count (order);
  if (!load_addresses (self, order, error) ||
      !load_lines (self, order, error) ||
      !load_refunds (self, order, error) ||
      !load_fulfillments (self, order, error))
    return NULL;
  sk_order_set_item_count (order, item_count);

  return g_steal_pointer (&order);
}

SkOrder *
sk_store_find_order (SkStore     *self,
                     gint64       channel_id,
                     const char  *external_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);
  g_return_val_if_fail (external_id != NULL, NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT id FROM orders WHERE channel_id = ? AND external_id = ?",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  _sk_store_bind_text (stmt, 2, external_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sk_store_reader_set_error (self, rc, error);
      return NULL;
    }
  if (id == 0)
    return NULL;
  return sk_store_load_order (self, id, error);
}

gint64
sk_store_count_orders (SkStore  *self,
                       gint64    channel_id,
                       GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), -1);

  if (channel_id > 0)
    stmt = sk_store_reader_prepare (self, "SELECT count(*) FROM orders WHERE channel_id = ?", error);
  else
    stmt = sk_store_reader_prepare (self, "SELECT count(*) FROM orders", error);
  if (stmt == NULL)
    return -1;
  if (channel_id > 0)
    sqlite3_bind_int64 (stmt, 1, channel_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    sk_store_reader_set_error (self, rc, error);
  return count;
}

GPtrArray *
sk_store_list_events (SkStore     *self,
                      const char  *subject_type,
                      gint64       subject_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);
  g_return_val_if_fail (subject_type != NULL, NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT id, at, actor, subject_type, subject_id, what,"
                                  " from_value, to_value, why FROM events"
                                  " WHERE subject_type = ? AND subject_id = ? ORDER BY at, id",
                                  error);
  if (stmt == NULL)
    return NULL;
  _sk_store_bind_text (stmt, 1, subject_type);
  sqlite3_bind_int64 (stmt, 2, subject_id);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SkEvent *event = g_new0 (SkEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->at = sqlite3_column_int64 (stmt, 1);
      event->actor = _sk_store_column_dup (stmt, 2);
      event->subject_type = _sk_store_column_dup (stmt, 3);
      event->subject_id = sqlite3_column_int64 (stmt, 4);
      event->what = _sk_store_column_dup (stmt, 5);
      event->from_value = _sk_store_column_dup (stmt, 6);
      event->to_value = _sk_store_column_dup (stmt, 7);
      event->why = _sk_store_column_dup (stmt, 8);
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      step_error (self, stmt, rc, error);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&events);
}

/* Local actions */

typedef struct
{
  gint64 *ids;
  guint n_ids;
  SkOrderAction action;
  char *arg;
  char *actor;
  guint changed;
} ActionJob;

static void
action_job_free (gpointer data)
{
  ActionJob *job = data;

  g_free (job->ids);
  g_free (job->arg);
  g_free (job->actor);
  g_free (job);
}

typedef struct
{
  gint64 id;
  gboolean on_hold;
  char *hold_reason;
  gboolean archived;
  char *tags;
  char *local_tags;
} LocalState;

static void
local_state_clear (LocalState *state)
{
  g_free (state->hold_reason);
  g_free (state->tags);
  g_free (state->local_tags);
  memset (state, 0, sizeof *state);
}

static gboolean
load_local_state (SkStoreTxn  *txn,
                  gint64       order_id,
                  LocalState  *state,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT on_hold, hold_reason, archived, tags, local_tags"
                               " FROM orders WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->id = order_id;
      state->on_hold = sqlite3_column_int (stmt, 0) != 0;
      state->hold_reason = _sk_store_column_dup (stmt, 1);
      state->archived = sqlite3_column_int (stmt, 2) != 0;
      state->tags = _sk_store_column_dup (stmt, 3);
      state->local_tags = _sk_store_column_dup (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sk_store_txn_set_error (txn, rc, error);
  return TRUE;
}

static gboolean
update_order_local (SkStoreTxn  *txn,
                    const char  *sql,
                    gint64       order_id,
                    const char  *text1,
                    const char  *text2,
                    GError     **error)
{
  sqlite3_stmt *stmt = sk_store_txn_prepare (txn, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    _sk_store_bind_text (stmt, 2, text1);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    _sk_store_bind_text (stmt, 3, text2);
  return _sk_store_txn_step_done (txn, stmt, error);
}

/* Tags as the ", "-joined, sorted, unique text SkOrder uses, with @tag
 * added or removed. */
static char *
edit_tags (const char *tags,
           const char *tag,
           gboolean    add)
{
  g_autoptr(SkOrder) scratch = sk_order_new ();
  g_autoptr(SkOrder) result = sk_order_new ();
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  const char * const *current;

  sk_order_set_tags_from_string (scratch, tags);
  current = sk_order_get_tags (scratch);
  for (guint i = 0; current != NULL && current[i] != NULL; i++)
    if (add || !g_str_equal (current[i], tag))
      g_ptr_array_add (list, (gpointer) current[i]);
  if (add)
    g_ptr_array_add (list, (gpointer) tag);
  g_ptr_array_add (list, NULL);

  sk_order_set_tags (result, (const char * const *) list->pdata);
  return sk_order_dup_tags_string (result);
}

static gboolean
has_tag (const char *tags,
         const char *tag)
{
  g_autoptr(SkOrder) scratch = sk_order_new ();

  sk_order_set_tags_from_string (scratch, tags);
  return sk_order_has_tag (scratch, tag);
}

static gboolean
apply_to_order (SkStoreTxn   *txn,
                ActionJob    *job,
                LocalState   *state,
                gboolean     *out_changed,
                GError      **error)
{
  const char *actor = job->actor;
  gint64 id = state->id;

  *out_changed = FALSE;

  switch (job->action)
    {
    case SK_ORDER_ACTION_HOLD:
      if (state->on_hold)
        return TRUE;
      if (!update_order_local (txn, "UPDATE orders SET on_hold = 1, hold_reason = ?2 WHERE id = ?1",
                               id, job->arg, NULL, error) ||
          !_sk_store_txn_add_event (txn, actor, "order", id, "hold",
                                    NULL, job->arg, job->arg, error))
        return FALSE;
      break;

    case SK_ORDER_ACTION_RELEASE:
      if (!state->on_hold)
        return TRUE;
      if (!update_order_local (txn, "UPDATE orders SET on_hold = 0, hold_reason = NULL WHERE id = ?1",
                               id, NULL, NULL, error) ||
          !_sk_store_txn_add_event (txn, actor, "order", id, "release",
                                    state->hold_reason, NULL, job->arg, error))
        return FALSE;
      break;

    case SK_ORDER_ACTION_ADD_TAG:
    case SK_ORDER_ACTION_REMOVE_TAG:
      {
        gboolean add = job->action == SK_ORDER_ACTION_ADD_TAG;
        g_autofree char *tags = NULL;
        g_autofree char *local_tags = NULL;

        if (has_tag (state->tags, job->arg) == add)
          return TRUE;
        tags = edit_tags (state->tags, job->arg, add);
        local_tags = edit_tags (state->local_tags, job->arg, add);
        if (!update_order_local (txn, "UPDATE orders SET tags = ?2, local_tags = ?3 WHERE id = ?1",
                                 id, tags, local_tags, error) ||
            !_sk_store_txn_add_event (txn, actor, "order", id, "tags",
                                      state->tags, tags, NULL, error))
          return FALSE;
      }
      break;

    case SK_ORDER_ACTION_ARCHIVE:
    case SK_ORDER_ACTION_UNARCHIVE:
      {
        gboolean archive = job->action == SK_ORDER_ACTION_ARCHIVE;

        if (state->archived == archive)
          return TRUE;
        if (!update_order_local (txn, archive ? "UPDATE orders SET archived = 1 WHERE id = ?1"
                                              : "UPDATE orders SET archived = 0 WHERE id = ?1",
                                 id, NULL, NULL, error) ||
            !_sk_store_txn_add_event (txn, actor, "order", id,
                                      archive ? "archive" : "unarchive",
                                      NULL, NULL, job->arg, error))
          return FALSE;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  *out_changed = TRUE;
  return TRUE;
}

static gboolean
apply_action_job (SkStoreTxn  *txn,
                  gpointer     data,
                  GError     **error)
{
  ActionJob *job = data;

  job->changed = 0;
  for (guint i = 0; i < job->n_ids; i++)
    {
      LocalState state = { 0, };
      gboolean changed = FALSE;
      gboolean ok;

      ok = load_local_state (txn, job->ids[i], &state, error) &&
           (state.id == 0 || apply_to_order (txn, job, &state, &changed, error));
      local_state_clear (&state);
      if (!ok)
        {
          job->changed = 0;
          return FALSE;
        }
      if (changed)
        {
          job->changed++;
          sk_store_txn_note_order (txn, job->ids[i], FALSE);
        }
    }
  return TRUE;
}

static ActionJob *
action_job_new (const gint64   *order_ids,
                guint           n_orders,
                SkOrderAction   action,
                const char     *arg,
                const char     *actor,
                GError        **error)
{
  ActionJob *job;
  g_autofree char *clean = g_strstrip (g_strdup (arg ? arg : ""));

  switch (action)
    {
    case SK_ORDER_ACTION_HOLD:
      if (*clean == '\0')
        {
          g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                               _("Say why the order is on hold, so whoever ships it knows what to wait for."));
          return NULL;
        }
      break;
    case SK_ORDER_ACTION_ADD_TAG:
    case SK_ORDER_ACTION_REMOVE_TAG:
      if (*clean == '\0' || strchr (clean, ',') != NULL)
        {
          g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                               _("A tag needs a name without commas. Type one, then try again."));
          return NULL;
        }
      break;
    case SK_ORDER_ACTION_RELEASE:
    case SK_ORDER_ACTION_ARCHIVE:
    case SK_ORDER_ACTION_UNARCHIVE:
      break;
    default:
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_FAILED,
                           _("Storekeep does not know this action. Update Storekeep, then try again."));
      return NULL;
    }

  job = g_new0 (ActionJob, 1);
  job->ids = g_memdup2 (order_ids, sizeof (gint64) * n_orders);
  job->n_ids = n_orders;
  job->action = action;
  job->arg = *clean != '\0' ? g_steal_pointer (&clean) : NULL;
  job->actor = g_strdup (actor ? actor : "user");
  return job;
}

static void
on_action_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!sk_store_run_finish (SK_STORE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
sk_store_apply_action_async (SkStore             *self,
                             const gint64        *order_ids,
                             guint                n_orders,
                             SkOrderAction        action,
                             const char          *arg,
                             const char          *actor,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ActionJob *job;

  g_return_if_fail (SK_IS_STORE (self));
  g_return_if_fail (order_ids != NULL || n_orders == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_store_apply_action_async);
  g_task_set_check_cancellable (task, FALSE);

  job = action_job_new (order_ids, n_orders, action, arg, actor, &error);
  if (job == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, job, action_job_free);
  sk_store_run_async (self, apply_action_job, job, NULL, cancellable,
                      on_action_done, g_object_ref (task));
}

gboolean
sk_store_apply_action_finish (SkStore       *self,
                              GAsyncResult  *result,
                              guint         *out_changed,
                              GError       **error)
{
  ActionJob *job;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_store_apply_action_async, FALSE);

  if (out_changed != NULL)
    *out_changed = 0;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (out_changed != NULL)
    *out_changed = job->changed;
  return TRUE;
}

gboolean
sk_store_apply_action_sync (SkStore        *self,
                            const gint64   *order_ids,
                            guint           n_orders,
                            SkOrderAction   action,
                            const char     *arg,
                            const char     *actor,
                            guint          *out_changed,
                            GError        **error)
{
  ActionJob *job;
  gboolean ok;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (order_ids != NULL || n_orders == 0, FALSE);

  if (out_changed != NULL)
    *out_changed = 0;
  job = action_job_new (order_ids, n_orders, action, arg, actor, error);
  if (job == NULL)
    return FALSE;
  ok = sk_store_run_sync (self, apply_action_job, job, error);
  if (ok && out_changed != NULL)
    *out_changed = job->changed;
  action_job_free (job);
  return ok;
}
