/* sk-store-problems.c: dead letters and open exceptions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-store-problems.h"
#include "sk-store-private.h"

void
sk_dead_letter_record_free (SkDeadLetterRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->resource);
  g_free (record->external_id);
  g_free (record->reason);
  g_clear_pointer (&record->raw, g_bytes_unref);
  g_free (record);
}

void
sk_problem_free (SkProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->kind);
  g_free (problem->dedup_key);
  g_free (problem->message);
  g_free (problem);
}

/* Dead letters */

GPtrArray *
sk_store_list_dead_letters (SkStore  *self,
                            gint64    channel_id,
                            GError  **error)
{
  g_autoptr(GPtrArray) letters = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT id, channel_id, resource, external_id, reason, raw,"
                                  " created_at, attempts FROM dead_letters"
                                  " WHERE resolved_at IS NULL AND (?1 = 0 OR channel_id = ?1)"
                                  " ORDER BY created_at DESC, id DESC",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, channel_id);

  letters = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_dead_letter_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SkDeadLetterRecord *record = g_new0 (SkDeadLetterRecord, 1);

      record->id = sqlite3_column_int64 (stmt, 0);
      record->channel_id = sqlite3_column_int64 (stmt, 1);
      record->resource = _sk_store_column_dup (stmt, 2);
      record->external_id = _sk_store_column_dup (stmt, 3);
      record->reason = _sk_store_column_dup (stmt, 4);
      record->raw = g_bytes_new (sqlite3_column_blob (stmt, 5),
                                 (gsize) sqlite3_column_bytes (stmt, 5));
      record->created_at = sqlite3_column_int64 (stmt, 6);
      record->attempts = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (letters, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sk_store_reader_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&letters);
}

gint64
sk_store_count_dead_letters (SkStore  *self,
                             gint64    channel_id,
                             GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), -1);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT count(*) FROM dead_letters"
                                  " WHERE resolved_at IS NULL AND (?1 = 0 OR channel_id = ?1)",
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

typedef struct
{
  gint64 id;
  const char *sql;
  const char *kind;
  const char *dedup_key;
  gint64 channel_id;
  const char *message;
  gboolean is_new;
} ProblemJob;

static gboolean
resolve_dead_letter_job (SkStoreTxn  *txn,
                         gpointer     data,
                         GError     **error)
{
  ProblemJob *job = data;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn,
                               "UPDATE dead_letters SET resolved_at = ?"
                               " WHERE id = ? AND resolved_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, _sk_store_now ());
  sqlite3_bind_int64 (stmt, 2, job->id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (txn)) > 0)
    sk_store_txn_note (txn, SK_STORE_CHANGE_DEAD_LETTERS);
  return TRUE;
}

gboolean
sk_store_resolve_dead_letter (SkStore  *self,
                              gint64    letter_id,
                              GError  **error)
{
  ProblemJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  job.id = letter_id;
  return sk_store_run_sync (self, resolve_dead_letter_job, &job, error);
}

/* Problems */

static gboolean
open_problem_job (SkStoreTxn  *txn,
                  gpointer     data,
                  GError     **error)
{
  ProblemJob *job = data;
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  stmt = sk_store_txn_prepare (txn,
                               "SELECT id FROM exceptions WHERE dedup_key = ? AND resolved_at IS NULL",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, job->dedup_key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sk_store_txn_set_error (txn, rc, error);

  if (id != 0)
    {
      stmt = sk_store_txn_prepare (txn, "UPDATE exceptions SET message = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      _sk_store_bind_text (stmt, 1, job->message);
      sqlite3_bind_int64 (stmt, 2, id);
      job->is_new = FALSE;
    }
  else
    {
      stmt = sk_store_txn_prepare (txn,
                                   "INSERT INTO exceptions (kind, dedup_key, channel_id, message,"
                                   " opened_at) VALUES (?, ?, ?, ?, ?)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      _sk_store_bind_text (stmt, 1, job->kind);
      _sk_store_bind_text (stmt, 2, job->dedup_key);
      if (job->channel_id > 0)
        sqlite3_bind_int64 (stmt, 3, job->channel_id);
      _sk_store_bind_text (stmt, 4, job->message);
      sqlite3_bind_int64 (stmt, 5, _sk_store_now ());
      job->is_new = TRUE;
    }
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  sk_store_txn_note (txn, SK_STORE_CHANGE_EXCEPTIONS);
  return TRUE;
}

gboolean
sk_store_open_problem (SkStore     *self,
                       const char  *kind,
                       const char  *dedup_key,
                       gint64       channel_id,
                       const char  *message,
                       gboolean    *out_is_new,
                       GError     **error)
{
  ProblemJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (dedup_key != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (out_is_new != NULL)
    *out_is_new = FALSE;

  job.kind = kind;
  job.dedup_key = dedup_key;
  job.channel_id = channel_id;
  job.message = message;
  if (!sk_store_run_sync (self, open_problem_job, &job, error))
    return FALSE;
  if (out_is_new != NULL)
    *out_is_new = job.is_new;
  return TRUE;
}

static gboolean
update_problem_job (SkStoreTxn  *txn,
                    gpointer     data,
                    GError     **error)
{
  ProblemJob *job = data;
  sqlite3_stmt *stmt;

  stmt = sk_store_txn_prepare (txn, job->sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, _sk_store_now ());
  _sk_store_bind_text (stmt, 2, job->dedup_key);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (txn)) > 0)
    sk_store_txn_note (txn, SK_STORE_CHANGE_EXCEPTIONS);
  return TRUE;
}

gboolean
sk_store_resolve_problem (SkStore     *self,
                          const char  *dedup_key,
                          GError     **error)
{
  ProblemJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (dedup_key != NULL, FALSE);

  job.sql = "UPDATE exceptions SET resolved_at = ?"
             " WHERE dedup_key = ? AND resolved_at IS NULL";
  job.dedup_key = dedup_key;
  return sk_store_run_sync (self, update_problem_job, &job, error);
}

gboolean
sk_store_mark_problem_notified (SkStore     *self,
                                const char  *dedup_key,
                                GError     **error)
{
  ProblemJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (dedup_key != NULL, FALSE);

  job.sql = "UPDATE exceptions SET notified_at = ?"
             " WHERE dedup_key = ? AND resolved_at IS NULL";
  job.dedup_key = dedup_key;
  return sk_store_run_sync (self, update_problem_job, &job, error);
}

GPtrArray *
sk_store_list_problems (SkStore  *self,
                        GError  **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT id, kind, dedup_key, channel_id, message, opened_at,"
                                  " notified_at FROM exceptions WHERE resolved_at IS NULL"
                                  " ORDER BY opened_at, id",
                                  error);
  if (stmt == NULL)
    return NULL;

  problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_problem_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SkProblem *problem = g_new0 (SkProblem, 1);

      problem->id = sqlite3_column_int64 (stmt, 0);
      problem->kind = _sk_store_column_dup (stmt, 1);
      problem->dedup_key = _sk_store_column_dup (stmt, 2);
      problem->channel_id = sqlite3_column_int64 (stmt, 3);
      problem->message = _sk_store_column_dup (stmt, 4);
      problem->opened_at = sqlite3_column_int64 (stmt, 5);
      problem->notified_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (problems, problem);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sk_store_reader_set_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&problems);
}
