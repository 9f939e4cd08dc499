/* sk-store-channels.c: channel accounts and their sync cursors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sk-error.h"
#include "sk-store-channels.h"
#include "sk-store-private.h"

/* Records */

SkChannelRecord *
sk_channel_record_new (void)
{
  SkChannelRecord *record = g_new0 (SkChannelRecord, 1);

  record->settings = g_strdup ("{}");
  return record;
}

char *
sk_channel_default_name (const char *host)
{
  g_autofree char *shop = NULL;
  char *dot;
  gboolean word_start = TRUE;

  g_return_val_if_fail (host != NULL, NULL);

  shop = g_strdup (host);
  dot = strchr (shop, '.');
  if (dot != NULL)
    *dot = '\0';
  for (char *p = shop; *p != '\0'; p++)
    {
      if (*p == '-' || *p == '_')
        {
          *p = ' ';
          word_start = TRUE;
        }
      else if (word_start)
        {
          *p = g_ascii_toupper (*p);
          word_start = FALSE;
        }
    }
  return g_steal_pointer (&shop);
}

SkChannelRecord *
sk_channel_record_copy (const SkChannelRecord *record)
{
  SkChannelRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_new0 (SkChannelRecord, 1);
  copy->id = record->id;
  copy->kind = g_strdup (record->kind);
  copy->name = g_strdup (record->name);
  copy->account = g_strdup (record->account);
  copy->base_url = g_strdup (record->base_url);
  copy->secret_ref = g_strdup (record->secret_ref);
  copy->paused = record->paused;
  copy->settings = g_strdup (record->settings);
  copy->created_at = record->created_at;
  copy->removed_at = record->removed_at;
  return copy;
}

void
sk_channel_record_free (SkChannelRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->kind);
  g_free (record->name);
  g_free (record->account);
  g_free (record->base_url);
  g_free (record->secret_ref);
  g_free (record->settings);
  g_free (record);
}

G_DEFINE_BOXED_TYPE (SkChannelRecord, sk_channel_record,
                     sk_channel_record_copy, sk_channel_record_free)

void
sk_sync_cursor_clear (SkSyncCursor *cursor)
{
  if (cursor == NULL)
    return;
  g_free (cursor->page_token);
  memset (cursor, 0, sizeof *cursor);
}

/* Jobs */

typedef struct
{
  SkChannelRecord *record;    /* borrowed */
  gint64 channel_id;
  gboolean delete_orders;
} ChannelJob;

static gboolean
validate_record (const SkChannelRecord  *record,
                 GError                **error)
{
  if (record->kind == NULL || *record->kind == '\0' ||
      record->account == NULL || *record->account == '\0' ||
      record->base_url == NULL || *record->base_url == '\0')
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                           _("The shop’s kind, account and address are needed to connect it. Fill them in, then try again."));
      return FALSE;
    }
  return TRUE;
}

static void
bind_record (sqlite3_stmt          *stmt,
             const SkChannelRecord *record)
{
  _sk_store_bind_text (stmt, 1, record->kind);
  _sk_store_bind_text (stmt, 2, record->name ? record->name : record->account);
  _sk_store_bind_text (stmt, 3, record->account);
  _sk_store_bind_text (stmt, 4, record->base_url);
  _sk_store_bind_text (stmt, 5, record->secret_ref);
  sqlite3_bind_int (stmt, 6, record->paused ? 1 : 0);
  _sk_store_bind_text (stmt, 7, record->settings ? record->settings : "{}");
}

/* A channel removed with its orders kept is revived when the same shop is
 * connected again, so its orders find their channel. */
static gboolean
revive_channel (SkStoreTxn       *txn,
                SkChannelRecord  *record,
                gboolean         *out_revived,
                GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  *out_revived = FALSE;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT id, created_at FROM channels"
                               " WHERE kind = ? AND account = ? AND removed_at IS NOT NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, record->kind);
  _sk_store_bind_text (stmt, 2, record->account);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      record->created_at = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sk_store_txn_set_error (txn, rc, error);
  if (id == 0)
    return TRUE;

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE channels SET kind = ?, name = ?, account = ?,"
                               " base_url = ?, secret_ref = ?, paused = ?, settings = ?,"
                               " removed_at = NULL WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  bind_record (stmt, record);
  sqlite3_bind_int64 (stmt, 8, id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  record->id = id;
  record->removed_at = 0;
  *out_revived = TRUE;
  return _sk_store_txn_add_event (txn, "user", "channel", id, "connected",
                                  NULL, NULL, _("Connected again"), error);
}

static gboolean
add_channel_job (SkStoreTxn  *txn,
                 gpointer     data,
                 GError     **error)
{
  ChannelJob *job = data;
  SkChannelRecord *record = job->record;
  sqlite3_stmt *stmt;
  gboolean revived;
  int rc;

  if (!revive_channel (txn, record, &revived, error))
    return FALSE;

  if (!revived)
    {
      stmt = sk_store_txn_prepare (txn,
                                   "INSERT INTO channels (kind, name, account, base_url,"
                                   " secret_ref, paused, settings, created_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      if (record->created_at == 0)
        record->created_at = _sk_store_now ();
      bind_record (stmt, record);
      sqlite3_bind_int64 (stmt, 8, record->created_at);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        {
          g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                               _("This shop is already connected."));
          return FALSE;
        }
      if (rc != SQLITE_DONE)
        return sk_store_txn_set_error (txn, rc, error);

      record->id = sqlite3_last_insert_rowid (sk_store_txn_get_db (txn));
      if (!_sk_store_txn_add_event (txn, "user", "channel", record->id,
                                    "connected", NULL, NULL, NULL, error))
        return FALSE;
    }

  sk_store_txn_note (txn, SK_STORE_CHANGE_CHANNELS);
  return TRUE;
}

gboolean
sk_store_add_channel (SkStore          *self,
                      SkChannelRecord  *record,
                      GError          **error)
{
  g_autoptr(SkChannelRecord) copy = NULL;
  ChannelJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!validate_record (record, error))
    return FALSE;

  /* Work on a copy so a failed job leaves @record untouched. */
  copy = sk_channel_record_copy (record);
  job.record = copy;
  if (!sk_store_run_sync (self, add_channel_job, &job, error))
    return FALSE;

  record->id = copy->id;
  record->created_at = copy->created_at;
  record->removed_at = 0;
  return TRUE;
}

static gboolean
update_channel_job (SkStoreTxn  *txn,
                    gpointer     data,
                    GError     **error)
{
  ChannelJob *job = data;
  sqlite3_stmt *stmt;
  int rc;

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE channels SET kind = ?, name = ?, account = ?,"
                               " base_url = ?, secret_ref = ?, paused = ?, settings = ?"
                               " WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  bind_record (stmt, job->record);
  sqlite3_bind_int64 (stmt, 8, job->record->id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                           _("This shop is already connected."));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return sk_store_txn_set_error (txn, rc, error);
  if (sqlite3_changes (sk_store_txn_get_db (txn)) == 0)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This channel is no longer connected. Close its settings and add it again."));
      return FALSE;
    }
  sk_store_txn_note (txn, SK_STORE_CHANGE_CHANNELS);
  return TRUE;
}

gboolean
sk_store_update_channel (SkStore                *self,
                         const SkChannelRecord  *record,
                         GError                **error)
{
  ChannelJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (record->id > 0, FALSE);

  if (!validate_record (record, error))
    return FALSE;

  job.record = (SkChannelRecord *) record;
  return sk_store_run_sync (self, update_channel_job, &job, error);
}

static gboolean
note_deleted_orders (SkStoreTxn  *txn,
                     gint64       channel_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = sk_store_txn_prepare (txn, "SELECT id FROM orders WHERE channel_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    sk_store_txn_note_order_deleted (txn, sqlite3_column_int64 (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sk_store_txn_set_error (txn, rc, error);
  return TRUE;
}

static gboolean
exec_for_channel (SkStoreTxn  *txn,
                  const char  *sql,
                  gint64       channel_id,
                  gint64       now,
                  GError     **error)
{
  sqlite3_stmt *stmt = sk_store_txn_prepare (txn, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_int64 (stmt, 2, now);
  return _sk_store_txn_step_done (txn, stmt, error);
}

static gboolean
remove_channel_job (SkStoreTxn  *txn,
                    gpointer     data,
                    GError     **error)
{
  ChannelJob *job = data;
  gint64 now = _sk_store_now ();
  sqlite3_stmt *stmt;
  gboolean exists;
  int rc;

  stmt = sk_store_txn_prepare (txn, "SELECT 1 FROM channels WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->channel_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sk_store_txn_set_error (txn, rc, error);
  exists = (rc == SQLITE_ROW);
  if (!exists)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This channel was already removed."));
      return FALSE;
    }

  if (job->delete_orders)
    {
      /* ON DELETE CASCADE takes orders, their parts, customers, cursors,
       * dead letters, outbox rows and problems; a trigger takes the
       * search rows. The event log keeps the history. */
      if (!note_deleted_orders (txn, job->channel_id, error) ||
          !exec_for_channel (txn, "DELETE FROM channels WHERE id = ?",
                             job->channel_id, now, error) ||
          !_sk_store_txn_add_event (txn, "user", "channel", job->channel_id,
                                    "removed", NULL, NULL,
                                    _("Removed with its orders"), error))
        return FALSE;
      sk_store_txn_note (txn, SK_STORE_CHANGE_CURSORS | SK_STORE_CHANGE_DEAD_LETTERS |
                              SK_STORE_CHANGE_OUTBOX | SK_STORE_CHANGE_EXCEPTIONS);
    }
  else
    {
      if (!exec_for_channel (txn, "UPDATE channels SET removed_at = ?2, paused = 1"
                                  " WHERE id = ?1", job->channel_id, now, error) ||
          !exec_for_channel (txn, "DELETE FROM sync_cursors WHERE channel_id = ?",
                             job->channel_id, now, error) ||
          !exec_for_channel (txn, "UPDATE dead_letters SET resolved_at = ?2"
                                  " WHERE channel_id = ?1 AND resolved_at IS NULL",
                             job->channel_id, now, error) ||
          !exec_for_channel (txn, "UPDATE exceptions SET resolved_at = ?2"
                                  " WHERE channel_id = ?1 AND resolved_at IS NULL",
                             job->channel_id, now, error) ||
          !exec_for_channel (txn, "UPDATE outbox SET state = 'superseded'"
                                  " WHERE channel_id = ? AND state IN ('pending', 'failed')",
                             job->channel_id, now, error) ||
          !_sk_store_txn_add_event (txn, "user", "channel", job->channel_id,
                                    "removed", NULL, NULL,
                                    _("Removed; its orders were kept"), error))
        return FALSE;
      sk_store_txn_note (txn, SK_STORE_CHANGE_CURSORS | SK_STORE_CHANGE_DEAD_LETTERS |
                              SK_STORE_CHANGE_OUTBOX | SK_STORE_CHANGE_EXCEPTIONS);
    }

  sk_store_txn_note (txn, SK_STORE_CHANGE_CHANNELS);
  return TRUE;
}

gboolean
sk_store_remove_channel (SkStore   *self,
                         gint64     channel_id,
                         gboolean   delete_orders,
                         GError   **error)
{
  ChannelJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (channel_id > 0, FALSE);

  job.channel_id = channel_id;
  job.delete_orders = delete_orders;
  return sk_store_run_sync (self, remove_channel_job, &job, error);
}

/* Reads */

#define CHANNEL_COLUMNS \
  "id, kind, name, account, base_url, secret_ref, paused, settings, created_at, removed_at"

static SkChannelRecord *
record_from_row (sqlite3_stmt *stmt)
{
  SkChannelRecord *record = g_new0 (SkChannelRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->kind = _sk_store_column_dup (stmt, 1);
  record->name = _sk_store_column_dup (stmt, 2);
  record->account = _sk_store_column_dup (stmt, 3);
  record->base_url = _sk_store_column_dup (stmt, 4);
  record->secret_ref = _sk_store_column_dup (stmt, 5);
  record->paused = sqlite3_column_int (stmt, 6) != 0;
  record->settings = _sk_store_column_dup (stmt, 7);
  record->created_at = sqlite3_column_int64 (stmt, 8);
  record->removed_at = sqlite3_column_int64 (stmt, 9);
  return record;
}

GPtrArray *
sk_store_list_channels (SkStore  *self,
                        GError  **error)
{
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT " CHANNEL_COLUMNS " FROM channels"
                                  " WHERE removed_at IS NULL ORDER BY id",
                                  error);
  if (stmt == NULL)
    return NULL;

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_channel_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, record_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sk_store_reader_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

SkChannelRecord *
sk_store_get_channel (SkStore  *self,
                      gint64    channel_id,
                      GError  **error)
{
  SkChannelRecord *record = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT " CHANNEL_COLUMNS " FROM channels WHERE id = ?",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_row (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                         _("This channel is no longer connected."));
  else if (rc != SQLITE_ROW)
    sk_store_reader_set_error (self, rc, error);
  return record;
}

gboolean
sk_store_get_cursor (SkStore       *self,
                     gint64         channel_id,
                     const char    *resource,
                     SkSyncCursor  *out,
                     GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (resource != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT high_water, run_started_at, run_max_seen,"
                                  " page_token, pages_done, updated_at"
                                  " FROM sync_cursors WHERE channel_id = ? AND resource = ?",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  _sk_store_bind_text (stmt, 2, resource);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->high_water = sqlite3_column_int64 (stmt, 0);
      out->run_started_at = sqlite3_column_int64 (stmt, 1);
      out->run_max_seen = sqlite3_column_int64 (stmt, 2);
      out->page_token = _sk_store_column_dup (stmt, 3);
      out->pages_done = sqlite3_column_int64 (stmt, 4);
      out->updated_at = sqlite3_column_int64 (stmt, 5);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sk_store_reader_set_error (self, rc, error);
  return TRUE;
}
