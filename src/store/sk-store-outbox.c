/* sk-store-outbox.c: shipments, and the outbox of what must reach a channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Nothing lost, nothing doubled" for the way back to the channels: the
 * shipment and the outbox row that announces it commit together, and a
 * row moves pending → sending → sent/pending/failed only through the jobs
 * below, each one transaction on the writer thread.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sk-error.h"
#include "sk-store-outbox.h"
#include "sk-store-private.h"
#include "sk-time.h"

#define OUTBOX_PROBLEM_PREFIX "outbox-refused:"

static const char *state_nicks[] = {
  "pending", "sending", "sent", "failed", "superseded",
};

const char *
sk_outbox_state_to_string (SkOutboxState state)
{
  if ((guint) state >= G_N_ELEMENTS (state_nicks))
    return state_nicks[0];
  return state_nicks[state];
}

SkOutboxState
sk_outbox_state_from_string (const char *nick)
{
  for (guint i = 0; nick != NULL && i < G_N_ELEMENTS (state_nicks); i++)
    if (g_str_equal (state_nicks[i], nick))
      return (SkOutboxState) i;
  return SK_OUTBOX_STATE_PENDING;
}

gboolean
sk_store_channel_kind_accepts_fulfillments (const char *kind)
{
  return g_strcmp0 (kind, "shopify") == 0 ||
         g_strcmp0 (kind, "woocommerce") == 0 ||
         g_strcmp0 (kind, "amazon") == 0;
}

/* Shipments */

static void
shipment_line_free (SkShipmentLine *line)
{
  if (line == NULL)
    return;
  g_free (line->external_id);
  g_free (line->sku);
  g_free (line->title);
  g_free (line);
}

static SkShipmentLine *
shipment_line_new (int position, gint64 quantity)
{
  SkShipmentLine *line = g_new0 (SkShipmentLine, 1);

  line->position = position;
  line->quantity = quantity;
  return line;
}

SkShipment *
sk_shipment_new (gint64      order_id,
                 const char *carrier,
                 const char *tracking_number,
                 const char *tracking_url)
{
  SkShipment *shipment = g_new0 (SkShipment, 1);

  shipment->order_id = order_id;
  shipment->carrier = g_strdup (carrier);
  shipment->tracking_number = g_strdup (tracking_number);
  shipment->tracking_url = g_strdup (tracking_url);
  shipment->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) shipment_line_free);
  return shipment;
}

void
sk_shipment_add_line (SkShipment *shipment,
                      int         position,
                      gint64      quantity)
{
  g_return_if_fail (shipment != NULL);
  g_return_if_fail (position >= 0);

  for (guint i = 0; i < shipment->lines->len; i++)
    {
      SkShipmentLine *line = g_ptr_array_index (shipment->lines, i);

      if (line->position == position)
        {
          line->quantity += quantity;
          return;
        }
    }
  g_ptr_array_add (shipment->lines, shipment_line_new (position, quantity));
}

void
sk_shipment_free (SkShipment *shipment)
{
  if (shipment == NULL)
    return;
  g_free (shipment->carrier);
  g_free (shipment->tracking_number);
  g_free (shipment->tracking_url);
  g_free (shipment->actor);
  g_clear_pointer (&shipment->lines, g_ptr_array_unref);
  g_free (shipment);
}

static SkShipment *
shipment_copy (const SkShipment *shipment)
{
  SkShipment *copy = sk_shipment_new (shipment->order_id, shipment->carrier,
                                      shipment->tracking_number, shipment->tracking_url);

  copy->id = shipment->id;
  copy->shipped_at = shipment->shipped_at;
  copy->created_at = shipment->created_at;
  copy->actor = g_strdup (shipment->actor);
  for (guint i = 0; shipment->lines != NULL && i < shipment->lines->len; i++)
    {
      const SkShipmentLine *line = g_ptr_array_index (shipment->lines, i);

      sk_shipment_add_line (copy, line->position, line->quantity);
    }
  return copy;
}

/* Outbox rows */

SkOutboxRow *
sk_outbox_row_copy (const SkOutboxRow *row)
{
  SkOutboxRow *copy;

  g_return_val_if_fail (row != NULL, NULL);

  copy = g_memdup2 (row, sizeof *row);
  copy->channel_name = g_strdup (row->channel_name);
  copy->channel_kind = g_strdup (row->channel_kind);
  copy->kind = g_strdup (row->kind);
  copy->subject_type = g_strdup (row->subject_type);
  copy->idempotency_key = g_strdup (row->idempotency_key);
  copy->payload = g_strdup (row->payload);
  copy->last_error = g_strdup (row->last_error);
  copy->channel_ref = g_strdup (row->channel_ref);
  return copy;
}

void
sk_outbox_row_free (SkOutboxRow *row)
{
  if (row == NULL)
    return;
  g_free (row->channel_name);
  g_free (row->channel_kind);
  g_free (row->kind);
  g_free (row->subject_type);
  g_free (row->idempotency_key);
  g_free (row->payload);
  g_free (row->last_error);
  g_free (row->channel_ref);
  g_free (row);
}

#define ROW_COLUMNS \
  "o.id, o.channel_id, c.name, c.kind, o.kind, o.subject_type, o.subject_id," \
  " o.idempotency_key, o.payload, o.state, o.attempts, o.next_attempt_at," \
  " o.last_error, o.channel_ref, o.created_at, o.sent_at" \
  " FROM outbox o JOIN channels c ON c.id = o.channel_id"

static SkOutboxRow *
row_from_stmt (sqlite3_stmt *stmt)
{
  SkOutboxRow *row = g_new0 (SkOutboxRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->channel_id = sqlite3_column_int64 (stmt, 1);
  row->channel_name = _sk_store_column_dup (stmt, 2);
  row->channel_kind = _sk_store_column_dup (stmt, 3);
  row->kind = _sk_store_column_dup (stmt, 4);
  row->subject_type = _sk_store_column_dup (stmt, 5);
  row->subject_id = sqlite3_column_int64 (stmt, 6);
  row->idempotency_key = _sk_store_column_dup (stmt, 7);
  row->payload = _sk_store_column_dup (stmt, 8);
  row->state = sk_outbox_state_from_string ((const char *) sqlite3_column_text (stmt, 9));
  row->attempts = sqlite3_column_int64 (stmt, 10);
  row->next_attempt_at = sqlite3_column_int64 (stmt, 11);
  row->last_error = _sk_store_column_dup (stmt, 12);
  row->channel_ref = _sk_store_column_dup (stmt, 13);
  row->created_at = sqlite3_column_int64 (stmt, 14);
  row->sent_at = sqlite3_column_int64 (stmt, 15);
  return row;
}

/* Step once on the writer; *@out_row tells whether a row came. */
static gboolean
txn_step (SkStoreTxn    *txn,
          sqlite3_stmt  *stmt,
          gboolean      *out_row,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  *out_row = (rc == SQLITE_ROW);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return sk_store_txn_set_error (txn, rc, error);
    }
  return TRUE;
}

/* Recording a shipment */

/* What the order holds, line by line, and what earlier shipments took. */
typedef struct {
  int     position;
  char   *external_id;
  char   *sku;
  char   *title;
  gint64  quantity;
  gint64  shipped;
} OrderLine;

static void
order_line_clear (gpointer data)
{
  OrderLine *line = data;

  g_free (line->external_id);
  g_free (line->sku);
  g_free (line->title);
}

typedef struct {
  SkShipment *shipment;        /* owned copy */
  char       *actor;
  char       *why;
  gint64      shipment_id;
  gint64      outbox_id;

  /* Read inside the job */
  gint64      channel_id;
  char       *channel_kind;
  gboolean    channel_removed;
  char       *external_id;
  char       *number;
  char       *status;
  char       *fulfillment_status;
  char       *tags;            /* the order's, comma separated */
  char       *local_tags;      /* of those, the ones added in Storekeep */
  GArray     *lines;           /* OrderLine, by position */
} RecordJob;

static void
record_job_clear (RecordJob *job)
{
  g_clear_pointer (&job->channel_kind, g_free);
  g_clear_pointer (&job->external_id, g_free);
  g_clear_pointer (&job->number, g_free);
  g_clear_pointer (&job->status, g_free);
  g_clear_pointer (&job->fulfillment_status, g_free);
  g_clear_pointer (&job->tags, g_free);
  g_clear_pointer (&job->local_tags, g_free);
  g_clear_pointer (&job->lines, g_array_unref);
}

static void
record_job_free (RecordJob *job)
{
  record_job_clear (job);
  sk_shipment_free (job->shipment);
  g_free (job->actor);
  g_free (job->why);
  g_free (job);
}

static gboolean
set_refusal (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_refusal (GError     **error,
             const char  *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT, message);
  return FALSE;
}

static gboolean
read_order (SkStoreTxn  *txn,
            RecordJob   *job,
            GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT o.channel_id, o.external_id, o.number, o.status,"
                               " o.fulfillment_status, c.kind, c.removed_at IS NOT NULL, o.tags, o.local_tags"
                               " FROM orders o JOIN channels c ON c.id = o.channel_id"
                               " WHERE o.id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->shipment->order_id);
  if (!txn_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      job->channel_id = sqlite3_column_int64 (stmt, 0);
      job->external_id = _sk_store_column_dup (stmt, 1);
      job->number = _sk_store_column_dup (stmt, 2);
      job->status = _sk_store_column_dup (stmt, 3);
      job->fulfillment_status = _sk_store_column_dup (stmt, 4);
      job->channel_kind = _sk_store_column_dup (stmt, 5);
      job->channel_removed = sqlite3_column_int (stmt, 6) != 0;
      job->tags = _sk_store_column_dup (stmt, 7);
      job->local_tags = _sk_store_column_dup (stmt, 8);
    }
  sqlite3_reset (stmt);

  if (!row)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This order is no longer in Storekeep, so its shipment was not recorded. Sync the channel, then try again."));
      return FALSE;
    }
  return TRUE;
}

static OrderLine *
find_line (GArray     *lines,
           int         position)
{
  for (guint i = 0; i < lines->len; i++)
    {
      OrderLine *line = &g_array_index (lines, OrderLine, i);

      if (line->position == position)
        return line;
    }
  return NULL;
}

/* The order's lines, and how much of each earlier shipments took. A line
 * is matched by the channel's line id, or by its position when it has
 * none (an import may renumber the rows, not the channel's ids). */
static gboolean
read_lines (SkStoreTxn  *txn,
            RecordJob   *job,
            GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  job->lines = g_array_new (FALSE, TRUE, sizeof (OrderLine));
  g_array_set_clear_func (job->lines, order_line_clear);

  stmt = sk_store_txn_prepare (txn,
                               "SELECT l.position, l.external_id, l.sku, l.title, l.quantity,"
                               " (SELECT coalesce (sum (sl.quantity), 0)"
                               "  FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id"
                               "  WHERE s.order_id = l.order_id AND"
                               "  (CASE WHEN l.external_id IS NOT NULL"
                               "   THEN sl.line_external_id = l.external_id"
                               "   ELSE sl.line_external_id IS NULL AND sl.position = l.position END))"
                               " FROM order_lines l WHERE l.order_id = ? ORDER BY l.position",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->shipment->order_id);
  for (;;)
    {
      OrderLine line = { 0, };

      if (!txn_step (txn, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      line.position = sqlite3_column_int (stmt, 0);
      line.external_id = _sk_store_column_dup (stmt, 1);
      line.sku = _sk_store_column_dup (stmt, 2);
      line.title = _sk_store_column_dup (stmt, 3);
      line.quantity = sqlite3_column_int64 (stmt, 4);
      line.shipped = sqlite3_column_int64 (stmt, 5);
      g_array_append_val (job->lines, line);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static const char *
order_name (RecordJob *job)
{
  return job->number != NULL ? job->number : job->external_id;
}

/* Fill the shipment's lines (all that is left when it has none) and check
 * every quantity against what is left. */
static gboolean
choose_lines (RecordJob  *job,
              GError    **error)
{
  SkShipment *shipment = job->shipment;

  if (shipment->lines->len == 0)
    {
      for (guint i = 0; i < job->lines->len; i++)
        {
          OrderLine *line = &g_array_index (job->lines, OrderLine, i);

          if (line->quantity > line->shipped)
            sk_shipment_add_line (shipment, line->position, line->quantity - line->shipped);
        }
      if (shipment->lines->len == 0)
        return set_refusal (error, _("Everything on order %s has been shipped already, so there is nothing left to ship."),
                            order_name (job));
    }

  for (guint i = 0; i < shipment->lines->len; i++)
    {
      SkShipmentLine *wanted = g_ptr_array_index (shipment->lines, i);
      OrderLine *line = find_line (job->lines, wanted->position);
      gint64 left;

      if (line == NULL)
        return set_refusal (error, _("Order %s has no item number %d. Reload the order and choose its items again."),
                            order_name (job), wanted->position + 1);
      left = MAX (line->quantity - line->shipped, 0);
      if (wanted->quantity <= 0)
        return set_refusal (error, _("Enter how many of “%s” are in the parcel: the quantity must be at least 1."),
                            line->title);
      if (wanted->quantity > left)
        {
          char left_text[32], wanted_text[32];

          /* Numbers as text: xgettext cannot read G_GINT64_FORMAT. */
          g_snprintf (left_text, sizeof left_text, "%" G_GINT64_FORMAT, left);
          g_snprintf (wanted_text, sizeof wanted_text, "%" G_GINT64_FORMAT, wanted->quantity);
          return set_refusal (error, _("Only %s of “%s” on order %s are left to ship, not %s. Check the quantities."),
                              left_text, line->title, order_name (job), wanted_text);
        }
      wanted->external_id = g_strdup (line->external_id);
      wanted->sku = g_strdup (line->sku);
      wanted->title = g_strdup (line->title);
    }
  return TRUE;
}

static gboolean
check_shipment (RecordJob  *job,
                GError    **error)
{
  SkShipment *shipment = job->shipment;

  if (shipment->carrier == NULL || *shipment->carrier == '\0')
    return set_refusal (error, _("Enter the carrier of the parcel, for example UPS or DHL."));
  if (shipment->tracking_number == NULL || *shipment->tracking_number == '\0')
    return set_refusal (error, _("Enter the tracking number of the parcel, as the carrier printed it."));
  if (g_strcmp0 (job->status, "cancelled") == 0)
    return set_refusal (error, _("Order %s is cancelled, so it cannot be shipped. Check the order on its channel."),
                        order_name (job));
  if (shipment->lines->len == 0 &&
      (g_strcmp0 (job->fulfillment_status, "fulfilled") == 0 ||
       g_strcmp0 (job->fulfillment_status, "restocked") == 0 ||
       g_strcmp0 (job->fulfillment_status, "not-required") == 0))
    return set_refusal (error, _("Order %s is already marked as shipped, so there is nothing left to ship."),
                        order_name (job));
  return TRUE;
}

static gboolean
insert_shipment (SkStoreTxn  *txn,
                 RecordJob   *job,
                 gint64       now,
                 GError     **error)
{
  SkShipment *shipment = job->shipment;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO shipments (order_id, carrier, tracking_number,"
                               " tracking_url, shipped_at, created_at, actor)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, shipment->order_id);
  _sk_store_bind_text (stmt, 2, shipment->carrier);
  _sk_store_bind_text (stmt, 3, shipment->tracking_number);
  _sk_store_bind_text (stmt, 4, shipment->tracking_url);
  sqlite3_bind_int64 (stmt, 5, shipment->shipped_at);
  sqlite3_bind_int64 (stmt, 6, now);
  _sk_store_bind_text (stmt, 7, job->actor);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  job->shipment_id = sqlite3_last_insert_rowid (sk_store_txn_get_db (txn));

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO shipment_lines (shipment_id, position,"
                               " line_external_id, sku, title, quantity)"
                               " VALUES (?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < shipment->lines->len; i++)
    {
      SkShipmentLine *line = g_ptr_array_index (shipment->lines, i);

      sqlite3_bind_int64 (stmt, 1, job->shipment_id);
      sqlite3_bind_int (stmt, 2, line->position);
      _sk_store_bind_text (stmt, 3, line->external_id);
      _sk_store_bind_text (stmt, 4, line->sku);
      _sk_store_bind_text (stmt, 5, line->title ? line->title : "");
      sqlite3_bind_int64 (stmt, 6, line->quantity);
      if (!_sk_store_txn_step_done (txn, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* After this shipment, is every item of the order shipped? */
static gboolean
order_complete (RecordJob *job)
{
  for (guint i = 0; i < job->lines->len; i++)
    {
      OrderLine *line = &g_array_index (job->lines, OrderLine, i);
      gint64 shipped = line->shipped;

      for (guint j = 0; j < job->shipment->lines->len; j++)
        {
          SkShipmentLine *s = g_ptr_array_index (job->shipment->lines, j);

          if (s->position == line->position)
            shipped += s->quantity;
        }
      if (shipped < line->quantity)
        return FALSE;
    }
  return TRUE;
}

static gint64
count_items (SkShipment *shipment)
{
  gint64 n = 0;

  for (guint i = 0; i < shipment->lines->len; i++)
    n += ((SkShipmentLine *) g_ptr_array_index (shipment->lines, i))->quantity;
  return n;
}

static gboolean
log_and_update_status (SkStoreTxn  *txn,
                       RecordJob   *job,
                       gboolean     complete,
                       GError     **error)
{
  SkShipment *shipment = job->shipment;
  const char *status = complete ? "fulfilled" : "partial";
  g_autofree char *why = NULL;
  g_autofree char *to_value = NULL;
  sqlite3_stmt *stmt;
  gint64 items = count_items (shipment);

  if (job->why != NULL)
    why = g_strdup (job->why);
  else
    {
      char count[32];

      g_snprintf (count, sizeof count, "%" G_GINT64_FORMAT, items);
      why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%s item shipped with %s, tracking number %s.",
                                          "%s items shipped with %s, tracking number %s.",
                                          (gulong) items),
                             count, shipment->carrier, shipment->tracking_number);
    }
  to_value = g_strdup_printf ("%s %s", shipment->carrier, shipment->tracking_number);
  if (!_sk_store_txn_add_event (txn, job->actor, "order", shipment->order_id, "shipped",
                                NULL, to_value, why, error))
    return FALSE;

  if (g_strcmp0 (job->fulfillment_status, status) == 0)
    return TRUE;

  stmt = sk_store_txn_prepare (txn, "UPDATE orders SET fulfillment_status = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, status);
  sqlite3_bind_int64 (stmt, 2, shipment->order_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  return _sk_store_txn_add_event (txn, job->actor, "order", shipment->order_id,
                                  "fulfillment-status", job->fulfillment_status, status,
                                  why, error);
}

/* The order's tags from its channel (not those added in Storekeep), which
 * may say more about where to send (Amazon's marketplace,
 * sk-amazon-push.c); nothing when none. */
static void
add_order_tags (JsonBuilder *builder,
                const char  *tags,
                const char  *local_tags)
{
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) local = NULL;
  gboolean any = FALSE;

  if (tags == NULL || *tags == '\0')
    return;
  parts = g_strsplit (tags, ",", -1);
  local = g_strsplit (local_tags != NULL ? local_tags : "", ",", -1);
  for (guint i = 0; local[i] != NULL; i++)
    g_strstrip (local[i]);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *tag = g_strstrip (parts[i]);

      if (*tag == '\0' || g_strv_contains ((const char * const *) local, tag))
        continue;
      if (!any)
        {
          json_builder_set_member_name (builder, "order_tags");
          json_builder_begin_array (builder);
          any = TRUE;
        }
      json_builder_add_string_value (builder, tag);
    }
  if (any)
    json_builder_end_array (builder);
}

static char *
build_payload (RecordJob *job,
               gboolean   complete)
{
  SkShipment *shipment = job->shipment;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *shipped_at = sk_time_format_iso8601 (shipment->shipped_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shipment_id");
  json_builder_add_int_value (builder, job->shipment_id);
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_int_value (builder, shipment->order_id);
  json_builder_set_member_name (builder, "order_external_id");
  json_builder_add_string_value (builder, job->external_id);
  json_builder_set_member_name (builder, "order_number");
  json_builder_add_string_value (builder, order_name (job));
  add_order_tags (builder, job->tags, job->local_tags);
  json_builder_set_member_name (builder, "carrier");
  json_builder_add_string_value (builder, shipment->carrier);
  json_builder_set_member_name (builder, "tracking_number");
  json_builder_add_string_value (builder, shipment->tracking_number);
  if (shipment->tracking_url != NULL && *shipment->tracking_url != '\0')
    {
      json_builder_set_member_name (builder, "tracking_url");
      json_builder_add_string_value (builder, shipment->tracking_url);
    }
  json_builder_set_member_name (builder, "shipped_at");
  json_builder_add_string_value (builder, shipped_at);
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, complete);
  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < shipment->lines->len; i++)
    {
      SkShipmentLine *line = g_ptr_array_index (shipment->lines, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "position");
      json_builder_add_int_value (builder, line->position);
      if (line->external_id != NULL)
        {
          json_builder_set_member_name (builder, "external_id");
          json_builder_add_string_value (builder, line->external_id);
        }
      if (line->sku != NULL)
        {
          json_builder_set_member_name (builder, "sku");
          json_builder_add_string_value (builder, line->sku);
        }
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, line->title ? line->title : "");
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, line->quantity);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
insert_outbox_row (SkStoreTxn  *txn,
                   RecordJob   *job,
                   gboolean     complete,
                   gint64       now,
                   GError     **error)
{
  g_autofree char *payload = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;

  if (job->channel_removed || !sk_store_channel_kind_accepts_fulfillments (job->channel_kind))
    return TRUE;

  payload = build_payload (job, complete);
  key = g_strdup_printf (SK_OUTBOX_KIND_FULFILLMENT ":%" G_GINT64_FORMAT, job->shipment_id);
  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO outbox (channel_id, kind, subject_type, subject_id,"
                               " idempotency_key, payload, next_attempt_at, created_at)"
                               " VALUES (?, '" SK_OUTBOX_KIND_FULFILLMENT "', 'order', ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->channel_id);
  sqlite3_bind_int64 (stmt, 2, job->shipment->order_id);
  _sk_store_bind_text (stmt, 3, key);
  _sk_store_bind_text (stmt, 4, payload);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  job->outbox_id = sqlite3_last_insert_rowid (sk_store_txn_get_db (txn));
  sk_store_txn_note (txn, SK_STORE_CHANGE_OUTBOX);
  return TRUE;
}

static gboolean
record_job_run (SkStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  RecordJob *job = data;
  gint64 now = sk_time_now ();
  gboolean complete;

  /* A rolled-back earlier run of the same job leaves nothing behind. */
  record_job_clear (job);
  job->shipment_id = 0;
  job->outbox_id = 0;

  if (job->shipment->shipped_at == 0)
    job->shipment->shipped_at = now;

  if (!read_order (txn, job, error) ||
      !check_shipment (job, error) ||
      !read_lines (txn, job, error) ||
      !choose_lines (job, error) ||
      !insert_shipment (txn, job, now, error))
    return FALSE;

  complete = order_complete (job);
  if (!log_and_update_status (txn, job, complete, error) ||
      !insert_outbox_row (txn, job, complete, now, error))
    return FALSE;

  sk_store_txn_note_order (txn, job->shipment->order_id, FALSE);
  return TRUE;
}

static RecordJob *
record_job_new (const SkShipment *shipment,
                const char       *actor,
                const char       *why)
{
  RecordJob *job = g_new0 (RecordJob, 1);

  job->shipment = shipment_copy (shipment);
  if (job->shipment->carrier != NULL)
    g_strstrip (job->shipment->carrier);
  if (job->shipment->tracking_number != NULL)
    g_strstrip (job->shipment->tracking_number);
  if (job->shipment->tracking_url != NULL)
    g_strstrip (job->shipment->tracking_url);
  job->actor = g_strdup (actor != NULL ? actor : "user");
  job->why = g_strdup (why);
  return job;
}

static void
on_record_done (GObject      *source,
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
sk_store_record_shipment_async (SkStore             *self,
                                const SkShipment    *shipment,
                                const char          *actor,
                                const char          *why,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RecordJob *job;

  g_return_if_fail (SK_IS_STORE (self));
  g_return_if_fail (shipment != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_store_record_shipment_async);
  g_task_set_check_cancellable (task, FALSE);

  job = record_job_new (shipment, actor, why);
  g_task_set_task_data (task, job, (GDestroyNotify) record_job_free);
  sk_store_run_async (self, record_job_run, job, NULL, cancellable,
                      on_record_done, g_object_ref (task));
}

gboolean
sk_store_record_shipment_finish (SkStore       *self,
                                 GAsyncResult  *result,
                                 gint64        *out_shipment_id,
                                 gint64        *out_outbox_id,
                                 GError       **error)
{
  RecordJob *job;
  gboolean ok;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_store_record_shipment_async, FALSE);

  job = g_task_get_task_data (G_TASK (result));
  ok = g_task_propagate_boolean (G_TASK (result), error);
  if (out_shipment_id != NULL)
    *out_shipment_id = ok ? job->shipment_id : 0;
  if (out_outbox_id != NULL)
    *out_outbox_id = ok ? job->outbox_id : 0;
  return ok;
}

gboolean
sk_store_record_shipment_sync (SkStore           *self,
                               const SkShipment  *shipment,
                               const char        *actor,
                               const char        *why,
                               gint64            *out_shipment_id,
                               gint64            *out_outbox_id,
                               GError           **error)
{
  RecordJob *job;
  gboolean ok;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (shipment != NULL, FALSE);

  job = record_job_new (shipment, actor, why);
  ok = sk_store_run_sync (self, record_job_run, job, error);
  if (out_shipment_id != NULL)
    *out_shipment_id = ok ? job->shipment_id : 0;
  if (out_outbox_id != NULL)
    *out_outbox_id = ok ? job->outbox_id : 0;
  record_job_free (job);
  return ok;
}

/* Reading shipments */

static gboolean
reader_error (SkStore       *self,
              sqlite3_stmt  *stmt,
              int            rc,
              GError       **error)
{
  sqlite3_reset (stmt);
  return sk_store_reader_set_error (self, rc, error);
}

static gboolean
load_shipment_lines (SkStore     *self,
                     SkShipment  *shipment,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sk_store_reader_prepare (self,
                                  "SELECT position, line_external_id, sku, title, quantity"
                                  " FROM shipment_lines WHERE shipment_id = ? ORDER BY position",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, shipment->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SkShipmentLine *line = shipment_line_new (sqlite3_column_int (stmt, 0),
                                                sqlite3_column_int64 (stmt, 4));

      line->external_id = _sk_store_column_dup (stmt, 1);
      line->sku = _sk_store_column_dup (stmt, 2);
      line->title = _sk_store_column_dup (stmt, 3);
      g_ptr_array_add (shipment->lines, line);
    }
  if (rc != SQLITE_DONE)
    return reader_error (self, stmt, rc, error);
  sqlite3_reset (stmt);
  return TRUE;
}

GPtrArray *
sk_store_list_shipments (SkStore  *self,
                         gint64    order_id,
                         GError  **error)
{
  g_autoptr(GPtrArray) shipments = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT id, carrier, tracking_number, tracking_url, shipped_at,"
                                  " created_at, actor FROM shipments WHERE order_id = ?"
                                  " ORDER BY id",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);

  shipments = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_shipment_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SkShipment *shipment = sk_shipment_new (order_id,
                                              (const char *) sqlite3_column_text (stmt, 1),
                                              (const char *) sqlite3_column_text (stmt, 2),
                                              (const char *) sqlite3_column_text (stmt, 3));

      shipment->id = sqlite3_column_int64 (stmt, 0);
      shipment->shipped_at = sqlite3_column_int64 (stmt, 4);
      shipment->created_at = sqlite3_column_int64 (stmt, 5);
      shipment->actor = _sk_store_column_dup (stmt, 6);
      g_ptr_array_add (shipments, shipment);
    }
  if (rc != SQLITE_DONE)
    {
      reader_error (self, stmt, rc, error);
      return NULL;
    }
  sqlite3_reset (stmt);

  /* Lines after the list: one cached statement must not be nested. */
  for (guint i = 0; i < shipments->len; i++)
    if (!load_shipment_lines (self, g_ptr_array_index (shipments, i), error))
      return NULL;
  return g_steal_pointer (&shipments);
}

/* Reading outbox rows */

GPtrArray *
sk_store_list_order_outbox (SkStore  *self,
                            gint64    order_id,
                            GError  **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT " ROW_COLUMNS
                                  " WHERE o.subject_type = 'order' AND o.subject_id = ?"
                                  " ORDER BY o.id",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_outbox_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      reader_error (self, stmt, rc, error);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&rows);
}

SkOutboxRow *
sk_store_get_outbox_row (SkStore  *self,
                         gint64    row_id,
                         GError  **error)
{
  SkOutboxRow *row = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self, "SELECT " ROW_COLUMNS " WHERE o.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, row_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = row_from_stmt (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                         _("This message to the channel is no longer in Storekeep."));
  else if (rc != SQLITE_ROW)
    sk_store_reader_set_error (self, rc, error);
  return row;
}

gint64
sk_store_count_outbox_backlog (SkStore  *self,
                               gint64    channel_id,
                               GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), -1);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
                                  " AND (?1 = 0 OR channel_id = ?1)",
                                  error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    sk_store_reader_set_error (self, rc, error);
  return count;
}

gint64
sk_store_outbox_next_due (SkStore  *self,
                          GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 due = 0;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), 0);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT min (o.next_attempt_at) FROM outbox o"
                                  " JOIN channels c ON c.id = o.channel_id"
                                  " WHERE o.state = 'pending' AND c.paused = 0"
                                  " AND c.removed_at IS NULL"
                                  " AND NOT EXISTS (SELECT 1 FROM outbox e"
                                  "  WHERE e.subject_type = o.subject_type AND e.subject_id = o.subject_id"
                                  "  AND e.channel_id = o.channel_id AND e.id < o.id"
                                  "  AND e.state IN ('pending', 'sending'))",
                                  error);
  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    due = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    sk_store_reader_set_error (self, rc, error);
  return due;
}

/* Changing rows */

typedef struct {
  gint64         row_id;
  SkOutboxState  state;
  gint64         at;
  char          *message;
  char          *channel_ref;
  guint          changed;
  SkOutboxRow   *row;       /* take: the row taken */
} RowJob;

static void
row_job_free (RowJob *job)
{
  g_free (job->message);
  g_free (job->channel_ref);
  g_clear_pointer (&job->row, sk_outbox_row_free);
  g_free (job);
}

static RowJob *
row_job_new (gint64 row_id, SkOutboxState state, gint64 at, const char *message,
             const char *channel_ref)
{
  RowJob *job = g_new0 (RowJob, 1);

  job->row_id = row_id;
  job->state = state;
  job->at = at;
  job->message = g_strdup (message);
  job->channel_ref = g_strdup (channel_ref);
  return job;
}

static gboolean
retry_job_run (SkStoreTxn  *txn,
               gpointer     data,
               GError     **error)
{
  RowJob *job = data;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE outbox SET state = 'pending', next_attempt_at = ?"
                               " WHERE id = ? AND state = 'failed'",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->at);
  sqlite3_bind_int64 (stmt, 2, job->row_id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (txn)) == 0)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This message to the channel is not waiting for a retry any more. Reload the order to see where it stands."));
      return FALSE;
    }
  sk_store_txn_note (txn, SK_STORE_CHANGE_OUTBOX);

  key = g_strdup_printf (OUTBOX_PROBLEM_PREFIX "%" G_GINT64_FORMAT, job->row_id);
  stmt = sk_store_txn_prepare (txn,
                               "UPDATE exceptions SET resolved_at = ?"
                               " WHERE dedup_key = ? AND resolved_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, _sk_store_now ());
  _sk_store_bind_text (stmt, 2, key);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (txn)) > 0)
    sk_store_txn_note (txn, SK_STORE_CHANGE_EXCEPTIONS);
  return TRUE;
}

gboolean
sk_store_retry_outbox_row (SkStore  *self,
                           gint64    row_id,
                           GError  **error)
{
  RowJob *job;
  gboolean ok;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  job = row_job_new (row_id, SK_OUTBOX_STATE_PENDING, sk_time_now (), NULL, NULL);
  ok = sk_store_run_sync (self, retry_job_run, job, error);
  row_job_free (job);
  return ok;
}

static gboolean
recover_job_run (SkStoreTxn  *txn,
                 gpointer     data,
                 GError     **error)
{
  RowJob *job = data;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE outbox SET state = 'pending', next_attempt_at = ?,"
                               " last_error = ? WHERE state = 'sending'",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->at);
  _sk_store_bind_text (stmt, 2, _("Storekeep stopped while sending this. It checks with the channel before sending again."));
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  job->changed = (guint) sqlite3_changes (sk_store_txn_get_db (txn));
  if (job->changed > 0)
    sk_store_txn_note (txn, SK_STORE_CHANGE_OUTBOX);
  return TRUE;
}

static gboolean
take_job_run (SkStoreTxn  *txn,
              gpointer     data,
              GError     **error)
{
  RowJob *job = data;
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 id = 0;

  g_clear_pointer (&job->row, sk_outbox_row_free);

  stmt = sk_store_txn_prepare (txn,
                               "SELECT o.id FROM outbox o JOIN channels c ON c.id = o.channel_id"
                               " WHERE o.state = 'pending' AND o.next_attempt_at <= ?1"
                               " AND c.paused = 0 AND c.removed_at IS NULL"
                               " AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.state = 'sending'"
                               "  AND s.channel_id = o.channel_id)"
                               " AND NOT EXISTS (SELECT 1 FROM outbox e"
                               "  WHERE e.subject_type = o.subject_type AND e.subject_id = o.subject_id"
                               "  AND e.channel_id = o.channel_id AND e.id < o.id"
                               "  AND e.state IN ('pending', 'sending'))"
                               " ORDER BY o.next_attempt_at, o.id LIMIT 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->at);
  if (!txn_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (id == 0)
    return TRUE;

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
                               " WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  stmt = sk_store_txn_prepare (txn, "SELECT " ROW_COLUMNS " WHERE o.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!txn_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    job->row = row_from_stmt (stmt);
  sqlite3_reset (stmt);
  sk_store_txn_note (txn, SK_STORE_CHANGE_OUTBOX);
  return TRUE;
}

static gboolean
settle_event (SkStoreTxn  *txn,
              RowJob      *job,
              GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *actor = NULL;
  g_autofree char *subject_type = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *channel_name = NULL;
  g_autofree char *why = NULL;
  gint64 subject_id = 0;
  gboolean row;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT o.subject_type, o.subject_id, o.kind, c.kind, c.name"
                               " FROM outbox o JOIN channels c ON c.id = o.channel_id WHERE o.id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->row_id);
  if (!txn_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      subject_type = _sk_store_column_dup (stmt, 0);
      subject_id = sqlite3_column_int64 (stmt, 1);
      kind = _sk_store_column_dup (stmt, 2);
      actor = g_strconcat ("outbox:", (const char *) sqlite3_column_text (stmt, 3), NULL);
      channel_name = _sk_store_column_dup (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (!row)
    return TRUE;

  if (job->state == SK_OUTBOX_STATE_SENT)
    why = g_strdup_printf (_("Sent to %s."), channel_name);
  else
    why = g_strdup (job->message);
  return _sk_store_txn_add_event (txn, actor, subject_type, subject_id,
                                  job->state == SK_OUTBOX_STATE_SENT ? "outbox-sent" : "outbox-failed",
                                  NULL, kind, why, error);
}

static gboolean
settle_job_run (SkStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  RowJob *job = data;
  sqlite3_stmt *stmt;

  switch (job->state)
    {
    case SK_OUTBOX_STATE_SENT:
      stmt = sk_store_txn_prepare (txn,
                                   "UPDATE outbox SET state = 'sent', sent_at = ?1, channel_ref = ?2,"
                                   " last_error = NULL WHERE id = ?3 AND state = 'sending'",
                                   error);
      break;
    case SK_OUTBOX_STATE_PENDING:
      stmt = sk_store_txn_prepare (txn,
                                   "UPDATE outbox SET state = 'pending', next_attempt_at = ?1,"
                                   " last_error = ?4 WHERE id = ?3 AND state = 'sending'",
                                   error);
      break;
    case SK_OUTBOX_STATE_FAILED:
      stmt = sk_store_txn_prepare (txn,
                                   "UPDATE outbox SET state = 'failed', last_error = ?4"
                                   " WHERE id = ?3 AND state = 'sending'",
                                   error);
      break;
    case SK_OUTBOX_STATE_SENDING:
    case SK_OUTBOX_STATE_SUPERSEDED:
    default:
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_FAILED,
                   "Outbox rows cannot be settled as %s", sk_outbox_state_to_string (job->state));
      return FALSE;
    }
  if (stmt == NULL)
    return FALSE;

  if (job->state == SK_OUTBOX_STATE_SENT || job->state == SK_OUTBOX_STATE_PENDING)
    sqlite3_bind_int64 (stmt, 1, job->at);
  if (job->state == SK_OUTBOX_STATE_SENT)
    _sk_store_bind_text (stmt, 2, job->channel_ref);
  sqlite3_bind_int64 (stmt, 3, job->row_id);
  if (job->state != SK_OUTBOX_STATE_SENT)
    _sk_store_bind_text (stmt, 4, job->message);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (txn)) == 0)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This message to the channel is not being sent any more."));
      return FALSE;
    }
  sk_store_txn_note (txn, SK_STORE_CHANGE_OUTBOX);

  if (job->state != SK_OUTBOX_STATE_PENDING && !settle_event (txn, job, error))
    return FALSE;
  return TRUE;
}

static void
on_row_job_done (GObject      *source,
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

static void
run_row_job (SkStore             *self,
             SkStoreJobFunc       func,
             RowJob              *job,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* A committed change is reported as such, also after a cancellation. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, job, (GDestroyNotify) row_job_free);
  sk_store_run_async (self, func, job, NULL, cancellable, on_row_job_done,
                      g_object_ref (task));
}

void
sk_store_outbox_recover_async (SkStore             *self,
                               gint64               now,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SK_IS_STORE (self));

  run_row_job (self, recover_job_run, row_job_new (0, SK_OUTBOX_STATE_PENDING, now, NULL, NULL),
               sk_store_outbox_recover_async, cancellable, callback, user_data);
}

gboolean
sk_store_outbox_recover_finish (SkStore       *self,
                                GAsyncResult  *result,
                                guint         *out_recovered,
                                GError       **error)
{
  RowJob *job;
  gboolean ok;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_store_outbox_recover_async, FALSE);

  job = g_task_get_task_data (G_TASK (result));
  ok = g_task_propagate_boolean (G_TASK (result), error);
  if (out_recovered != NULL)
    *out_recovered = ok ? job->changed : 0;
  return ok;
}

void
sk_store_outbox_take_async (SkStore             *self,
                            gint64               now,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (SK_IS_STORE (self));

  run_row_job (self, take_job_run, row_job_new (0, SK_OUTBOX_STATE_SENDING, now, NULL, NULL),
               sk_store_outbox_take_async, cancellable, callback, user_data);
}

SkOutboxRow *
sk_store_outbox_take_finish (SkStore       *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  RowJob *job;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_store_outbox_take_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_steal_pointer (&job->row);
}

void
sk_store_outbox_settle_async (SkStore             *self,
                              gint64               row_id,
                              SkOutboxState        state,
                              gint64               at,
                              const char          *message,
                              const char          *channel_ref,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (SK_IS_STORE (self));
  g_return_if_fail (state == SK_OUTBOX_STATE_SENT || state == SK_OUTBOX_STATE_PENDING ||
                    state == SK_OUTBOX_STATE_FAILED);

  run_row_job (self, settle_job_run, row_job_new (row_id, state, at, message, channel_ref),
               sk_store_outbox_settle_async, cancellable, callback, user_data);
}

gboolean
sk_store_outbox_settle_finish (SkStore       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_store_outbox_settle_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
