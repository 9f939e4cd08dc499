/* sk-test-util.c: helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sk-test-util.h"

static char *private_root;

char *
sk_test_fixture_path (const char *relative)
{
  const char *dir = g_getenv ("SK_TEST_FIXTURES");

  if (dir == NULL)
    dir = g_test_get_filename (G_TEST_DIST, "fixtures", NULL);
  return g_build_filename (dir, relative, NULL);
}

GBytes *
sk_test_load_fixture (const char *relative)
{
  g_autofree char *path = sk_test_fixture_path (relative);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

JsonNode *
sk_test_load_json (const char *relative)
{
  g_autoptr(GBytes) bytes = sk_test_load_fixture (relative);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
            !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

char *
sk_test_tmpdir_new (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("storekeep-test-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

void
sk_test_tmpdir_free (char *path)
{
  if (path == NULL)
    return;
  remove_tree (path);
  g_free (path);
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
sk_test_wait_for (gboolean *flag, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

void
sk_test_wait_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static void
cleanup_private_root (void)
{
  if (private_root != NULL)
    remove_tree (private_root);
  g_clear_pointer (&private_root, g_free);
}

void
sk_test_init (int *argc, char ***argv)
{
  const char *vars[] = { "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME" };

  /* Tests talk to 127.0.0.1 only. With isolated XDG dirs the GNOME proxy
   * resolver would find no gsettings-desktop-schemas and abort, in this
   * process and in the children it spawns. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* G_TEST_OPTION_ISOLATE_DIRS gives each test case its own XDG dirs;
   * also keep anything written outside a test case out of the real home. */
  private_root = sk_test_tmpdir_new ();
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    if (g_getenv (vars[i]) == NULL)
      {
        g_autofree char *dir = g_build_filename (private_root, vars[i], NULL);

        g_mkdir_with_parents (dir, 0700);
        g_setenv (vars[i], dir, TRUE);
      }
  atexit (cleanup_private_root);
}
