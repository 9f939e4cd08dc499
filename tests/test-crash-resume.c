/* test-crash-resume.c: kill -9 a syncing process after page k, then resume
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parent runs the demo shop (slowed down) and a child process of this
 * same program that syncs a Shopify channel from it into a database. After
 * the child has committed k pages, the parent kills it with SIGKILL. The
 * database must then hold exactly the committed pages (orders and cursor
 * together), and a second child must finish the sync with exactly N orders,
 * none doubled.
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "sk-channel.h"
#include "sk-demo-shop.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-test-util.h"

#define N_ORDERS 1500
#define PAGE_SIZE 250

/* The child */

static void
on_child_sync_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = data;

  if (!sk_channel_sync_finish (SK_CHANNEL (source), result, NULL, &error))
    g_printerr ("child: sync failed: %s\n", error->message);
  *done = TRUE;
}

static int
child_main (const char *db_path, const char *channel_id_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = sk_store_open (db_path, &error);
  g_autoptr(SkHttp) http = NULL;
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(SkChannel) channel = NULL;
  gboolean done = FALSE;

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  record = sk_store_get_channel (store, g_ascii_strtoll (channel_id_text, NULL, 10), &error);
  if (record == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  http = sk_http_new ();
  channel = sk_channel_new_for_record (store, http, record, &error);
  if (channel == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  sk_channel_set_secret (channel, SK_DEMO_SHOP_TOKEN);
  sk_channel_sync_async (channel, NULL, on_child_sync_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  sk_store_close (store);
  return sk_channel_get_state (channel) == SK_CHANNEL_STATE_IDLE ? 0 : 1;
}

/* The parent */

typedef struct {
  char *dir;
  char *db_path;
  SkDemoShop *shop;
  gint64 channel_id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();

  f->dir = sk_test_tmpdir_new ();
  f->db_path = g_build_filename (f->dir, "storekeep.db", NULL);
  f->shop = sk_demo_shop_new (7, N_ORDERS);
  g_assert_true (sk_demo_shop_start (f->shop, &error));
  g_assert_no_error (error);

  store = sk_store_open (f->db_path, &error);
  g_assert_no_error (error);
  record->kind = g_strdup ("shopify");
  record->name = g_strdup ("Crash test");
  record->account = g_strdup (sk_demo_shop_get_domain (f->shop));
  record->base_url = g_strdup (sk_demo_shop_get_base_url (f->shop));
  record->secret_ref = g_strdup ("crash-test");
  record->created_at = 1;
  g_assert_true (sk_store_add_channel (store, record, &error));
  g_assert_no_error (error);
  f->channel_id = record->id;
  sk_store_close (store);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  sk_demo_shop_stop (f->shop);
  g_clear_object (&f->shop);
  g_free (f->db_path);
  sk_test_tmpdir_free (f->dir);
}

static GPid
spawn_child (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, f->channel_id);
  const char *self_exe = g_test_get_filename (G_TEST_BUILT, "test-crash-resume", NULL);
  char *argv[] = { (char *) self_exe, (char *) "--child", f->db_path, id, NULL };
  GPid pid = 0;

  g_spawn_async (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

/* Read with plain SQLite so the parent holds no store of its own. */
static gint64
query_int (const char *db_path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static int
wait_child (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return status;
}

static void
assert_consistent (Fixture *f)
{
  gint64 orders = query_int (f->db_path, "SELECT count(*) FROM orders");
  gint64 distinct = query_int (f->db_path, "SELECT count(DISTINCT external_id) FROM orders");
  gint64 fts = query_int (f->db_path, "SELECT count(*) FROM orders_fts");
  gint64 orphan_lines = query_int (f->db_path,
      "SELECT count(*) FROM order_lines WHERE order_id NOT IN (SELECT id FROM orders)");
  gint64 doubled_lines = query_int (f->db_path,
      "SELECT count(*) FROM (SELECT order_id, position FROM order_lines GROUP BY 1, 2 HAVING count(*) > 1)");

  g_assert_cmpint (orders, ==, distinct);
  g_assert_cmpint (fts, ==, orders);
  g_assert_cmpint (orphan_lines, ==, 0);
  g_assert_cmpint (doubled_lines, ==, 0);
}

static void
test_kill_after_pages (Fixture *f, gconstpointer data)
{
  guint kill_after = GPOINTER_TO_UINT (data);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 pages = 0, orders, status;
  g_autofree char *cursor_sql = g_strdup_printf (
      "SELECT pages_done FROM sync_cursors WHERE channel_id = %" G_GINT64_FORMAT, f->channel_id);
  GPid pid;

  /* Slow responses leave time to kill the child between two commits. */
  sk_demo_shop_set_slow_ms (f->shop, 150);
  pid = spawn_child (f);

  while (g_get_monotonic_time () < deadline)
    {
      pages = query_int (f->db_path, cursor_sql);
      if (pages >= (gint64) kill_after)
        break;
      g_usleep (5 * 1000);
    }
  kill (pid, SIGKILL);
  status = wait_child (pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (pages, >=, kill_after);

  /* Exactly the committed pages: each page of orders went in with the
   * cursor past it, in one transaction. */
  pages = query_int (f->db_path, cursor_sql);
  orders = query_int (f->db_path, "SELECT count(*) FROM orders");
  g_test_message ("killed after %" G_GINT64_FORMAT " pages with %" G_GINT64_FORMAT " orders",
                  pages, orders);
  g_assert_cmpint (pages, <, N_ORDERS / PAGE_SIZE);
  g_assert_cmpint (orders, ==, pages * PAGE_SIZE);
  g_assert_cmpint (query_int (f->db_path, "SELECT count(*) FROM sync_cursors WHERE run_started_at > 0 AND page_token IS NOT NULL"), ==, 1);
  assert_consistent (f);

  /* Resume: the run continues from the stored page and ends with every
   * order exactly once. */
  sk_demo_shop_set_slow_ms (f->shop, 0);
  pid = spawn_child (f);
  status = wait_child (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  g_assert_cmpint (query_int (f->db_path, "SELECT count(*) FROM orders"), ==, N_ORDERS);
  g_assert_cmpint (query_int (f->db_path, "SELECT count(*) FROM sync_cursors WHERE run_started_at > 0"), ==, 0);
  g_assert_cmpint (query_int (f->db_path, "SELECT count(*) FROM dead_letters"), ==, 0);
  assert_consistent (f);

  /* The same again changes nothing. */
  pid = spawn_child (f);
  status = wait_child (pid);
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (query_int (f->db_path, "SELECT count(*) FROM orders"), ==, N_ORDERS);
  assert_consistent (f);
}

int
main (int argc, char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return child_main (argv[2], argv[3]);

  sk_test_init (&argc, &argv);

  g_test_add ("/sync/crash/kill-after-1-page", Fixture, GUINT_TO_POINTER (1),
              fixture_setup, test_kill_after_pages, fixture_teardown);
  g_test_add ("/sync/crash/kill-after-3-pages", Fixture, GUINT_TO_POINTER (3),
              fixture_setup, test_kill_after_pages, fixture_teardown);

  return g_test_run ();
}
