/* sk-store-locations.c: where stock is kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Locations (own warehouse, shop backroom, 3PL) with an address; one is the
 * default, where open orders reserve. A location that holds stock or
 * reservations is not archived, nor is the default.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-store-inventory-private.h"

typedef struct
{
  gint64 id;
  gpointer record;
  gint64 out;
} LocationJob;

#define LOCATION_COLUMNS \
  "id, name, kind, line1, line2, city, region, postcode, country_code, phone," \
  " is_default, archived_at, created_at"

static SkLocation *
location_from_stmt (sqlite3_stmt *stmt)
{
  SkLocation *location = g_new0 (SkLocation, 1);
  SkAddress *address = sk_address_new ();

  location->id = sqlite3_column_int64 (stmt, 0);
  location->name = _sk_store_column_dup (stmt, 1);
  location->kind = sk_location_kind_from_string ((const char *) sqlite3_column_text (stmt, 2));
  address->line1 = _sk_store_column_dup (stmt, 3);
  address->line2 = _sk_store_column_dup (stmt, 4);
  address->city = _sk_store_column_dup (stmt, 5);
  address->region = _sk_store_column_dup (stmt, 6);
  address->postcode = _sk_store_column_dup (stmt, 7);
  address->country_code = _sk_store_column_dup (stmt, 8);
  address->phone = _sk_store_column_dup (stmt, 9);
  location->is_default = sqlite3_column_int (stmt, 10) != 0;
  location->archived_at = _sk_inv_column_int (stmt, 11, 0);
  location->created_at = sqlite3_column_int64 (stmt, 12);
  location->address = address;
  return location;
}

static gboolean
check_location_name (SkStoreTxn  *txn,
                     const char  *name,
                     gint64       except_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;

  if (name == NULL)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                           _("A location needs a name. Enter one, then save again."));
      return FALSE;
    }
  stmt = sk_store_txn_prepare (txn,
                               "SELECT 1 FROM locations WHERE lower (name) = lower (?) AND id <> ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  _sk_store_bind_text (stmt, 1, name);
  sqlite3_bind_int64 (stmt, 2, except_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  sqlite3_reset (stmt);
  if (row)
    {
      g_set_error (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                   _("There is already a location called “%s”. Choose another name."), name);
      return FALSE;
    }
  return TRUE;
}

static void
bind_location (sqlite3_stmt     *stmt,
               const SkLocation *location,
               const char       *name)
{
  SkAddress *a = location->address;

  _sk_store_bind_text (stmt, 1, name);
  _sk_store_bind_text (stmt, 2, sk_location_kind_to_string (location->kind));
  _sk_store_bind_text (stmt, 3, a ? a->line1 : NULL);
  _sk_store_bind_text (stmt, 4, a ? a->line2 : NULL);
  _sk_store_bind_text (stmt, 5, a ? a->city : NULL);
  _sk_store_bind_text (stmt, 6, a ? a->region : NULL);
  _sk_store_bind_text (stmt, 7, a ? a->postcode : NULL);
  _sk_store_bind_text (stmt, 8, a ? a->country_code : NULL);
  _sk_store_bind_text (stmt, 9, a ? a->phone : NULL);
}

static gboolean
insert_location (SkStoreTxn  *txn,
                 SkLocation  *location,
                 GError     **error)
{
  g_autofree char *name = _sk_inv_strdup_trimmed (location->name);
  sqlite3_stmt *stmt;
  gboolean row;
  gboolean has_default = FALSE;

  if (!check_location_name (txn, name, 0, error))
    return FALSE;

  stmt = sk_store_txn_prepare (txn, "SELECT EXISTS (SELECT 1 FROM locations WHERE is_default = 1)", error);
  if (stmt == NULL || !_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  has_default = row && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  stmt = sk_store_txn_prepare (txn,
                               "INSERT INTO locations (name, kind, line1, line2, city, region,"
                               " postcode, country_code, phone, is_default, created_at)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  bind_location (stmt, location, name);
  sqlite3_bind_int (stmt, 10, has_default ? 0 : 1);
  sqlite3_bind_int64 (stmt, 11, _sk_store_now ());
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;

  location->id = sqlite3_last_insert_rowid (sk_store_txn_get_db (txn));
  location->is_default = !has_default;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

static gboolean
add_location_job (SkStoreTxn  *txn,
                  gpointer     data,
                  GError     **error)
{
  return insert_location (txn, ((LocationJob *) data)->record, error);
}

gboolean
sk_store_add_location (SkStore     *self,
                       SkLocation  *location,
                       GError     **error)
{
  LocationJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (location != NULL, FALSE);

  job.record = location;
  return sk_store_run_sync (self, add_location_job, &job, error);
}

static gboolean
update_location_job (SkStoreTxn  *txn,
                     gpointer     data,
                     GError     **error)
{
  const SkLocation *location = ((LocationJob *) data)->record;
  g_autofree char *name = _sk_inv_strdup_trimmed (location->name);
  sqlite3_stmt *stmt;

  if (!check_location_name (txn, name, location->id, error))
    return FALSE;
  stmt = sk_store_txn_prepare (txn,
                               "UPDATE locations SET name = ?, kind = ?, line1 = ?, line2 = ?,"
                               " city = ?, region = ?, postcode = ?, country_code = ?, phone = ?"
                               " WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  bind_location (stmt, location, name);
  sqlite3_bind_int64 (stmt, 10, location->id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  if (sqlite3_changes (sk_store_txn_get_db (txn)) == 0)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                           _("This location no longer exists. Refresh the inventory and try again."));
      return FALSE;
    }
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
sk_store_update_location (SkStore           *self,
                          const SkLocation  *location,
                          GError           **error)
{
  LocationJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);
  g_return_val_if_fail (location != NULL && location->id > 0, FALSE);

  job.record = (gpointer) location;
  return sk_store_run_sync (self, update_location_job, &job, error);
}

static gboolean
active_location (SkStoreTxn  *txn,
                 gint64       location_id,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  gboolean active = FALSE;

  stmt = sk_store_txn_prepare (txn, "SELECT archived_at IS NULL FROM locations WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, location_id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  active = row && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (!active)
    g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                         _("This location no longer exists or was archived. Choose another location."));
  return active;
}

static gboolean
set_default_location_job (SkStoreTxn  *txn,
                          gpointer     data,
                          GError     **error)
{
  LocationJob *job = data;
  sqlite3_stmt *stmt;

  if (!active_location (txn, job->id, error))
    return FALSE;
  stmt = sk_store_txn_prepare (txn, "UPDATE locations SET is_default = 0 WHERE is_default = 1", error);
  if (stmt == NULL || !_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  stmt = sk_store_txn_prepare (txn, "UPDATE locations SET is_default = 1 WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
sk_store_set_default_location (SkStore  *self,
                               gint64    location_id,
                               GError  **error)
{
  LocationJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  job.id = location_id;
  return sk_store_run_sync (self, set_default_location_job, &job, error);
}

static gboolean
archive_location_job (SkStoreTxn  *txn,
                      gpointer     data,
                      GError     **error)
{
  LocationJob *job = data;
  sqlite3_stmt *stmt;
  gboolean row;
  gboolean is_default = FALSE, holds = FALSE;

  if (!active_location (txn, job->id, error))
    return FALSE;
  stmt = sk_store_txn_prepare (txn,
                               "SELECT is_default, EXISTS (SELECT 1 FROM stock_levels WHERE location_id = ?1"
                               " AND (on_hand <> 0 OR damaged <> 0 OR quarantine <> 0 OR reserved <> 0))"
                               " FROM locations WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job->id);
  if (!_sk_inv_step (txn, stmt, &row, error))
    return FALSE;
  if (row)
    {
      is_default = sqlite3_column_int (stmt, 0) != 0;
      holds = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);
  if (is_default)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                           _("Open orders reserve stock at this location. Make another location the default first."));
      return FALSE;
    }
  if (holds)
    {
      g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT,
                           _("This location still holds stock or reservations. Transfer its stock to another location first."));
      return FALSE;
    }
  stmt = sk_store_txn_prepare (txn, "UPDATE locations SET archived_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, _sk_store_now ());
  sqlite3_bind_int64 (stmt, 2, job->id);
  if (!_sk_store_txn_step_done (txn, stmt, error))
    return FALSE;
  sk_store_txn_note (txn, SK_STORE_CHANGE_INVENTORY);
  return TRUE;
}

gboolean
sk_store_archive_location (SkStore  *self,
                           gint64    location_id,
                           GError  **error)
{
  LocationJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), FALSE);

  job.id = location_id;
  return sk_store_run_sync (self, archive_location_job, &job, error);
}

GPtrArray *
sk_store_list_locations (SkStore   *self,
                         gboolean   include_archived,
                         GError   **error)
{
  g_autoptr(GPtrArray) locations = NULL;
  sqlite3_stmt *stmt;
  gboolean row;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  stmt = sk_store_reader_prepare (self,
                                  "SELECT " LOCATION_COLUMNS " FROM locations"
                                  " WHERE ?1 OR archived_at IS NULL"
                                  " ORDER BY is_default DESC, name COLLATE NOCASE, id",
                                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, include_archived ? 1 : 0);

  locations = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_location_free);
  for (;;)
    {
      if (!_sk_inv_reader_step (self, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      g_ptr_array_add (locations, location_from_stmt (stmt));
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&locations);
}

static SkLocation *
read_one_location (SkStore     *self,
                   const char  *sql,
                   gint64       id,
                   const char  *name,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean row;
  SkLocation *location = NULL;

  stmt = sk_store_reader_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    _sk_store_bind_text (stmt, 1, name);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  if (!_sk_inv_reader_step (self, stmt, &row, error))
    return NULL;
  if (row)
    location = location_from_stmt (stmt);
  sqlite3_reset (stmt);
  return location;
}

SkLocation *
sk_store_get_location (SkStore  *self,
                       gint64    location_id,
                       GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  SkLocation *location;

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  location = read_one_location (self, "SELECT " LOCATION_COLUMNS " FROM locations WHERE id = ?",
                                location_id, NULL, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (location == NULL)
    g_set_error_literal (error, SK_STORE_ERROR, SK_STORE_ERROR_NOT_FOUND,
                         _("This location no longer exists. Refresh the inventory and try again."));
  return location;
}

SkLocation *
sk_store_find_location (SkStore     *self,
                        const char  *name,
                        GError     **error)
{
  g_autofree char *text = _sk_inv_strdup_trimmed (name);

  g_return_val_if_fail (SK_IS_STORE (self), NULL);

  if (text == NULL)
    return NULL;
  return read_one_location (self,
                            "SELECT " LOCATION_COLUMNS " FROM locations"
                            " WHERE lower (name) = lower (?) ORDER BY archived_at IS NOT NULL LIMIT 1",
                            0, text, error);
}

gint64
sk_store_txn_ensure_default_location (SkStoreTxn  *txn,
                                      GError     **error)
{
  g_autoptr(SkLocation) location = NULL;
  sqlite3_stmt *stmt;
  gboolean row;
  gint64 id = 0;

  g_return_val_if_fail (txn != NULL, 0);

  stmt = sk_store_txn_prepare (txn,
                               "SELECT id FROM locations WHERE archived_at IS NULL"
                               " ORDER BY is_default DESC, id LIMIT 1",
                               error);
  if (stmt == NULL || !_sk_inv_step (txn, stmt, &row, error))
    return 0;
  if (row)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id != 0)
    {
      /* Make sure it is marked, for a profile whose default was archived
       * by hand in the database. */
      stmt = sk_store_txn_prepare (txn,
                                   "UPDATE locations SET is_default = 1 WHERE id = ?"
                                   " AND NOT EXISTS (SELECT 1 FROM locations WHERE is_default = 1)",
                                   error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, id);
      return _sk_store_txn_step_done (txn, stmt, error) ? id : 0;
    }

  location = sk_location_new (_("Main warehouse"), SK_LOCATION_KIND_WAREHOUSE);
  if (!insert_location (txn, location, error))
    return 0;
  return location->id;
}

static gboolean
ensure_default_location_job (SkStoreTxn  *txn,
                             gpointer     data,
                             GError     **error)
{
  LocationJob *job = data;

  job->out = sk_store_txn_ensure_default_location (txn, error);
  return job->out != 0;
}

gint64
sk_store_ensure_default_location (SkStore  *self,
                                  GError  **error)
{
  LocationJob job = { 0, };

  g_return_val_if_fail (SK_IS_STORE (self), 0);

  if (!sk_store_run_sync (self, ensure_default_location_job, &job, error))
    return 0;
  return job.out;
}
