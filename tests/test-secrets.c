/* test-secrets.c: channel tokens go to the Secret Service, never the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under tests/run-with-mocks.sh, which starts a throwaway
 * gnome-keyring-daemon on the session bus; skips when there is none.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sk-error.h"
#include "sk-secrets.h"
#include "sk-store-channels.h"
#include "sk-store.h"
#include "sk-test-util.h"

typedef struct {
  char    *tmpdir;
  SkStore *store;
} Fixture;

static gboolean
have_secret_service (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  if (bus == NULL)
    return FALSE;
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->tmpdir = sk_test_tmpdir_new ();
  path = g_build_filename (fixture->tmpdir, "storekeep.db", NULL);
  fixture->store = sk_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->store != NULL)
    sk_store_close (fixture->store);
  g_clear_object (&fixture->store);
  sk_test_tmpdir_free (fixture->tmpdir);
}

/* A token nobody else would write: "shpat_" and 32 random hex digits. */
static char *
make_token (void)
{
  GString *token = g_string_new ("shpat_");

  for (guint i = 0; i < 32; i++)
    g_string_append_printf (token, "%x", g_random_int_range (0, 16));
  return g_string_free (token, FALSE);
}

static SkChannelRecord *
make_record (const char *account)
{
  SkChannelRecord *record = sk_channel_record_new ();

  record->kind = g_strdup ("shopify");
  record->name = g_strdup ("Test Shop");
  record->account = g_strdup (account);
  record->base_url = g_strconcat ("https://", account, NULL);
  record->secret_ref = g_uuid_string_random ();
  record->settings = g_strdup ("{}");
  return record;
}

static gboolean
bytes_contain (const char *haystack,
               gsize       len,
               const char *needle,
               gsize       needle_len)
{
  for (gsize i = 0; i + needle_len <= len; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* TRUE when @needle occurs in any of the database's files (main, WAL,
 * shared memory). */
static gboolean
database_contains (const char *db_path,
                   const char *needle)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  gsize needle_len = strlen (needle);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      if (bytes_contain (contents, len, needle, needle_len))
        return TRUE;
    }
  return FALSE;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SkChannelRecord) record = make_record ("secrets-test.myshopify.com");
  g_autoptr(SkChannelRecord) other = make_record ("other-shop.myshopify.com");
  g_autoptr(GError) error = NULL;
  g_autofree char *token = make_token ();
  g_autofree char *other_token = make_token ();
  g_autofree char *found = NULL;
  g_autofree char *db_path = g_strdup (sk_store_get_path (fixture->store));

  if (!have_secret_service ())
    {
      g_test_skip ("No Secret Service on the session bus (run under run-with-mocks.sh)");
      return;
    }

  g_assert_true (sk_store_add_channel (fixture->store, record, &error));
  g_assert_no_error (error);
  g_assert_cmpint (record->id, >, 0);
  g_assert_true (sk_store_add_channel (fixture->store, other, &error));
  g_assert_no_error (error);

  /* Nothing stored yet: a sentence, no secret. */
  found = sk_secrets_lookup (record, NULL, &error);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
  g_assert_null (found);
  g_clear_error (&error);

  g_assert_true (sk_secrets_store (record, token, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sk_secrets_store (other, other_token, NULL, &error));
  g_assert_no_error (error);

  found = sk_secrets_lookup (record, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, token);
  g_clear_pointer (&found, g_free);

  /* Each channel gets its own. */
  found = sk_secrets_lookup (other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, other_token);
  g_clear_pointer (&found, g_free);

  /* Storing again replaces, it does not add a second item. */
  g_free (token);
  token = make_token ();
  g_assert_true (sk_secrets_store (record, token, NULL, &error));
  g_assert_no_error (error);
  found = sk_secrets_lookup (record, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, token);
  g_clear_pointer (&found, g_free);

  /* The secret_ref is in the database, the secret is not. */
  sk_store_close (fixture->store);
  g_assert_true (database_contains (db_path, record->secret_ref));
  g_assert_false (database_contains (db_path, token));
  g_assert_false (database_contains (db_path, other_token));
  g_assert_false (database_contains (db_path, "shpat_"));

  g_assert_true (sk_secrets_clear (record, NULL, &error));
  g_assert_no_error (error);
  found = sk_secrets_lookup (record, NULL, &error);
  g_assert_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS);
  g_assert_null (found);
  g_clear_error (&error);

  /* Clearing one leaves the other; clearing twice is fine. */
  found = sk_secrets_lookup (other, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, other_token);
  g_clear_pointer (&found, g_free);
  g_assert_true (sk_secrets_clear (other, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sk_secrets_clear (other, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  sk_test_init (&argc, &argv);

  g_test_add ("/secrets/round-trip", Fixture, NULL,
              fixture_setup, test_round_trip, fixture_teardown);

  return g_test_run ();
}
