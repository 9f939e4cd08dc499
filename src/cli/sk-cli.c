/* sk-cli.c: the headless command line, for scripting, support and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit codes: 0 success, 1 the work failed (the reason is on stderr),
 * 2 usage error. Output meant for programs goes to stdout (JSON where asked),
 * everything for people to stderr. The channel commands live in
 * sk-cli-channel.c, "import csv" in sk-cli-import.c.
 */
#define G_LOG_DOMAIN "sk-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sk-cli-private.h"
#include "sk-demo-profile.h"
#include "sk-demo-shop.h"
#include "sk-error.h"
#include "sk-money.h"
#include "sk-order-list.h"
#include "sk-store-channels.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"
#include "sk-sync-manager.h"
#include "sk-time.h"

typedef int (*SkCliCommand) (SkCliGlobal *global, int argc, char **argv);

/* Helpers shared with the other files (sk-cli-private.h) */

void
_sk_cli_print_error (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("storekeep: %s\n", message);
}

char *
sk_cli_default_profile_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "storekeep", "default", NULL);
}

static char *
profile_database_path (SkCliGlobal *global, GError **error)
{
  g_autofree char *dir = global->profile ? g_strdup (global->profile)
                                         : sk_cli_default_profile_dir ();

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the profile folder %s: %s."),
                   dir, g_strerror (saved));
      return NULL;
    }
  return g_build_filename (dir, "storekeep.db", NULL);
}

SkStore *
_sk_cli_open_store (SkCliGlobal *global)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = profile_database_path (global, &error);
  SkStore *store;

  if (path == NULL)
    {
      _sk_cli_print_error ("%s", error->message);
      return NULL;
    }
  store = sk_store_open (path, &error);
  if (store == NULL)
    _sk_cli_print_error ("%s", error->message);
  return store;
}

gboolean
_sk_cli_parse_options (const char    *usage,
                       const char    *summary,
                       GOptionEntry  *entries,
                       int           *argc,
                       char        ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      _sk_cli_print_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_options (const char    *usage,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv)
{
  return _sk_cli_parse_options (usage, NULL, entries, argc, argv);
}

void
_sk_cli_wipe_string (char **s)
{
  if (*s == NULL)
    return;
  memset (*s, 0, strlen (*s));
  g_clear_pointer (s, g_free);
}

char *
_sk_cli_read_secret (const SkCliSecretPrompt  *prompt,
                     const char               *env_name,
                     GError                  **error)
{
  char buffer[4096];
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  gboolean quiet_set = FALSE;
  char *secret;

  g_return_val_if_fail (prompt != NULL, NULL);

  if (env_name != NULL)
    {
      const char *value = g_getenv (env_name);

      secret = g_strstrip (g_strdup (value != NULL ? value : ""));
      if (secret[0] == '\0')
        {
          g_free (secret);
          g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                               prompt->env_missing);
          return NULL;
        }
      return secret;
    }

  if (tty)
    {
      g_printerr ("%s", prompt->prompt);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~ECHO;
          quiet_set = tcsetattr (STDIN_FILENO, TCSANOW, &quiet) == 0;
        }
    }
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    buffer[0] = '\0';
  if (quiet_set)
    tcsetattr (STDIN_FILENO, TCSANOW, &saved);
  if (tty)
    g_printerr ("\n");

  secret = g_strdup (g_strstrip (buffer));
  memset (buffer, 0, sizeof buffer);
  if (secret[0] == '\0')
    {
      g_free (secret);
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS, prompt->empty);
      return NULL;
    }
  return secret;
}

void
_sk_cli_wait_for (gboolean *done)
{
  while (!*done)
    g_main_context_iteration (NULL, TRUE);
}

void
_sk_cli_add_string_member (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

void
_sk_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* sync */

typedef struct {
  guint    pending;     /* sync_now calls not finished yet */
  gboolean done;
  gboolean any_failed;
} SyncState;

static void
on_sync_finished (SkSyncManager *sync, SkChannel *channel, SkSyncSummary *summary, gpointer data)
{
  g_printerr (_("%s: %u new, %u updated, %u unchanged, %u put aside as invalid (%u pages).\n"),
              sk_channel_get_name (channel), summary->inserted, summary->updated,
              summary->unchanged + summary->stale, summary->dead_lettered, summary->pages);
}

static void
on_sync_now_done (GObject *source, GAsyncResult *result, gpointer data)
{
  SyncState *state = data;

  sk_sync_manager_sync_now_finish (SK_SYNC_MANAGER (source), result, NULL);
  g_assert (state->pending > 0);
  state->done = --state->pending == 0;
}

static gboolean
is_one_of (gint64 id, const gint64 *ids, guint n_ids)
{
  for (guint i = 0; i < n_ids; i++)
    if (ids[i] == 0 || ids[i] == id)
      return TRUE;
  return FALSE;
}

/* Run one sync of each of @ids at once (an id of 0: every channel) and
 * report; returns the exit code. */
static int
run_syncs (SkSyncManager *sync, const gint64 *ids, guint n_ids)
{
  GListModel *channels = sk_sync_manager_get_channels (sync);
  SyncState state = { 0, FALSE };
  guint n = g_list_model_get_n_items (channels);
  gulong handler;

  if (n == 0)
    {
      _sk_cli_print_error ("%s", _("No channel is connected yet. Add one with “storekeep channel add”, or in the app."));
      return SK_CLI_EXIT_FAILED;
    }

  handler = g_signal_connect (sync, "sync-finished", G_CALLBACK (on_sync_finished), &state);
  state.pending = n_ids;
  for (guint i = 0; i < n_ids; i++)
    sk_sync_manager_sync_now_async (sync, ids[i], NULL, on_sync_now_done, &state);
  _sk_cli_wait_for (&state.done);
  g_signal_handler_disconnect (sync, handler);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkChannel) channel = g_list_model_get_item (channels, i);
      const char *message = sk_channel_get_last_error (channel);

      if (!is_one_of (sk_channel_get_id (channel), ids, n_ids))
        continue;
      if (sk_channel_get_state (channel) == SK_CHANNEL_STATE_FAILING ||
          sk_channel_get_state (channel) == SK_CHANNEL_STATE_NEEDS_ATTENTION)
        {
          _sk_cli_print_error ("%s: %s", sk_channel_get_name (channel), message ? message : _("the sync failed."));
          state.any_failed = TRUE;
        }
    }
  return state.any_failed ? SK_CLI_EXIT_FAILED : SK_CLI_EXIT_OK;
}

/* Run one sync of @channel_id (0: all) and report; returns the exit code. */
static int
run_sync (SkSyncManager *sync, gint64 channel_id)
{
  return run_syncs (sync, &channel_id, 1);
}

static int
cmd_sync (SkCliGlobal *global, int argc, char **argv)
{
  gint64 channel_id = 0;
  GOptionEntry entries[] = {
    { "channel", 0, 0, G_OPTION_ARG_INT64, &channel_id, N_("Sync only this channel"), N_("ID") },
    { NULL }
  };
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkHttp) http = NULL;
  g_autoptr(SkSyncManager) sync = NULL;

  if (!parse_options ("sync", entries, &argc, &argv))
    return SK_CLI_EXIT_USAGE;
  store = _sk_cli_open_store (global);
  if (store == NULL)
    return SK_CLI_EXIT_FAILED;
  http = sk_http_new ();
  sync = sk_sync_manager_new (store, http);
  return run_sync (sync, channel_id);
}

/* orders */

static void
add_money_member (JsonBuilder *builder, const char *name, gint64 minor, const char *currency)
{
  g_autofree char *plain = sk_money_format_plain (minor, currency);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, plain);
}

static void
add_time_member (JsonBuilder *builder, const char *name, gint64 unix_utc)
{
  json_builder_set_member_name (builder, name);
  if (unix_utc == 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = sk_time_format_iso8601 (unix_utc);

      json_builder_add_string_value (builder, text);
    }
}

static void
add_order_json (JsonBuilder *b, SkOrder *order)
{
  const char *currency = sk_order_get_currency (order);
  const char * const *tags = sk_order_get_tags (order);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, sk_order_get_id (order));
  json_builder_set_member_name (b, "channel_id");
  json_builder_add_int_value (b, sk_order_get_channel_id (order));
  _sk_cli_add_string_member (b, "external_id", sk_order_get_external_id (order));
  _sk_cli_add_string_member (b, "number", sk_order_get_number (order));
  add_time_member (b, "created_at", sk_order_get_created_at (order));
  add_time_member (b, "updated_at", sk_order_get_updated_at (order));
  _sk_cli_add_string_member (b, "customer", sk_order_get_customer_name (order));
  _sk_cli_add_string_member (b, "email", sk_order_get_email (order));
  _sk_cli_add_string_member (b, "ship_city", sk_order_get_ship_city (order));
  _sk_cli_add_string_member (b, "ship_country", sk_order_get_ship_country (order));
  json_builder_set_member_name (b, "items");
  json_builder_add_int_value (b, sk_order_get_item_count (order));
  add_money_member (b, "total", sk_order_get_total (order), currency);
  _sk_cli_add_string_member (b, "currency", currency);
  _sk_cli_add_string_member (b, "status", sk_order_status_to_string (sk_order_get_status (order)));
  _sk_cli_add_string_member (b, "payment_status", sk_payment_status_to_string (sk_order_get_payment_status (order)));
  _sk_cli_add_string_member (b, "fulfillment_status", sk_fulfillment_status_to_string (sk_order_get_fulfillment_status (order)));
  json_builder_set_member_name (b, "on_hold");
  json_builder_add_boolean_value (b, sk_order_get_on_hold (order));
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    json_builder_add_string_value (b, tags[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static int
cmd_orders (SkCliGlobal *global, int argc, char **argv)
{
  g_autofree char *search = NULL;
  gint64 channel_id = 0;
  int limit = 50;
  GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only orders matching these words"), N_("TEXT") },
    { "channel", 0, 0, G_OPTION_ARG_INT64, &channel_id, N_("Only orders of this channel"), N_("ID") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many orders, newest first (0: all)"), N_("N") },
    { NULL }
  };
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkOrderList) list = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint n;

  if (!parse_options ("orders", entries, &argc, &argv))
    return SK_CLI_EXIT_USAGE;
  if (limit < 0)
    {
      _sk_cli_print_error ("%s", _("--limit must be 0 or more."));
      return SK_CLI_EXIT_USAGE;
    }
  store = _sk_cli_open_store (global);
  if (store == NULL)
    return SK_CLI_EXIT_FAILED;

  list = sk_order_list_new (store);
  sk_order_list_freeze (list);
  sk_order_list_set_channel (list, channel_id);
  sk_order_list_set_search (list, search);
  sk_order_list_set_show_archived (list, TRUE);
  sk_order_list_thaw (list);
  if (sk_order_list_get_error (list) != NULL)
    {
      _sk_cli_print_error ("%s", sk_order_list_get_error (list)->message);
      return SK_CLI_EXIT_FAILED;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  if (limit > 0)
    n = MIN (n, (guint) limit);

  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SkOrder) order = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (order != NULL)
        add_order_json (builder, order);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
  return SK_CLI_EXIT_OK;
}

/* health */

static const char *
state_name (SkStore *store, const SkChannelRecord *record, GPtrArray *problems)
{
  if (record->paused)
    return "paused";
  for (guint i = 0; i < problems->len; i++)
    {
      SkProblem *p = g_ptr_array_index (problems, i);

      if (p->channel_id == record->id)
        return g_str_has_prefix (p->kind, "channel-auth") ? "needs-attention" : "failing";
    }
  return "ok";
}

static int
cmd_health (SkCliGlobal *global, int argc, char **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SkStore) store = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!parse_options ("health", entries, &argc, &argv))
    return SK_CLI_EXIT_USAGE;
  store = _sk_cli_open_store (global);
  if (store == NULL)
    return SK_CLI_EXIT_FAILED;
  channels = sk_store_list_channels (store, &error);
  if (channels != NULL)
    problems = sk_store_list_problems (store, &error);
  if (channels == NULL || problems == NULL)
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }

  json_builder_begin_array (b);
  for (guint i = 0; i < channels->len; i++)
    {
      SkChannelRecord *r = g_ptr_array_index (channels, i);
      SkSyncCursor cursor = { 0 };
      gint64 letters = sk_store_count_dead_letters (store, r->id, NULL);
      gint64 orders = sk_store_count_orders (store, r->id, NULL);
      const char *state = state_name (store, r, problems);
      const char *last_error = NULL;
      gint64 last_success;

      sk_store_get_cursor (store, r->id, "orders", &cursor, NULL);
      /* The cursor is also written at the start of a run and after each
       * page; it marks a finished run only when no run is open. */
      last_success = cursor.run_started_at == 0 ? cursor.updated_at : 0;
      for (guint j = 0; j < problems->len; j++)
        {
          SkProblem *p = g_ptr_array_index (problems, j);

          if (p->channel_id == r->id && !g_str_has_prefix (p->kind, "dead-letters"))
            last_error = p->message;
        }

      if (as_json)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, r->id);
          _sk_cli_add_string_member (b, "kind", r->kind);
          _sk_cli_add_string_member (b, "account", r->account);
          _sk_cli_add_string_member (b, "name", r->name);
          _sk_cli_add_string_member (b, "state", state);
          add_time_member (b, "last_success", last_success);
          _sk_cli_add_string_member (b, "last_error", last_error);
          json_builder_set_member_name (b, "orders");
          json_builder_add_int_value (b, orders);
          json_builder_set_member_name (b, "dead_letters");
          json_builder_add_int_value (b, letters);
          json_builder_set_member_name (b, "resumable_run");
          json_builder_add_boolean_value (b, cursor.run_started_at != 0);
          json_builder_end_object (b);
        }
      else
        {
          g_autofree char *when = last_success ? sk_time_format_iso8601 (last_success)
                                               : cursor.run_started_at ? g_strdup (_("unknown: a sync is unfinished and will resume"))
                                                                       : g_strdup (_("never"));

          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\n", r->id, r->account, state);
          g_print (_("\tlast success: %s\n\torders: %lld\n\tput aside as invalid: %lld\n"),
                   when, (long long) orders, (long long) letters);
          if (last_error != NULL)
            g_print (_("\tproblem: %s\n"), last_error);
        }
      sk_sync_cursor_clear (&cursor);
    }
  json_builder_end_array (b);

  if (as_json)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = json_builder_get_root (b);
      g_autofree char *text = NULL;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
    }
  return SK_CLI_EXIT_OK;
}

/* demo */

/* What was stored per channel, then the newest orders of all. */
static void
print_demo_summary (SkStore *store, const gint64 *ids, guint n_ids)
{
  g_autoptr(SkOrderList) list = sk_order_list_new (store);
  GListModel *model = G_LIST_MODEL (list);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(SkChannelRecord) record = sk_store_get_channel (store, ids[i], NULL);
      gint64 orders = sk_store_count_orders (store, ids[i], NULL);
      gint64 letters = sk_store_count_dead_letters (store, ids[i], NULL);

      /* Translators: a channel's name and kind ("Alpine Loom (woocommerce)") */
      g_print (_("%s (%s): stored %lld orders (%lld put aside as invalid).\n"),
               record != NULL ? record->name : "?", record != NULL ? record->kind : "?",
               (long long) orders, (long long) letters);
    }
  g_print (_("Stored %u orders from the demo shop. The newest:\n"), n);
  for (guint i = 0; i < MIN (n, 10u); i++)
    {
      g_autoptr(SkOrder) order = g_list_model_get_item (model, i);
      g_autofree char *total = sk_money_format_display (sk_order_get_total (order), sk_order_get_currency (order));
      g_autofree char *created = sk_time_format_iso8601 (sk_order_get_created_at (order));
      long long count = sk_order_get_item_count (order);
      g_autofree char *items = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld item", "%lld items",
                                                             (gulong) MAX (count, 0)),
                                                count);

      g_print ("  %-19s %s  %-22s %-14s %9s %14s  %s / %s\n",
               sk_order_get_number (order), created,
               sk_order_get_customer_name (order) ? sk_order_get_customer_name (order) : "—",
               sk_order_get_ship_country (order) ? sk_order_get_ship_country (order) : "",
               items, total,
               sk_payment_status_to_string (sk_order_get_payment_status (order)),
               sk_fulfillment_status_to_string (sk_order_get_fulfillment_status (order)));
    }
}

static int
cmd_demo (SkCliGlobal *global, int argc, char **argv)
{
  int n_orders = 600;
  gint64 seed = 20261122;
  GOptionEntry entries[] = {
    { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, N_("How many orders the demo shop has"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the generated orders"), N_("N") },
    { NULL }
  };
  g_autoptr(SkDemoShop) shop = NULL;
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkHttp) http = NULL;
  g_autoptr(SkSyncManager) sync = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp_profile = NULL;
  gint64 ids[SK_DEMO_PROFILE_N_CHANNELS] = { 0 };
  gint64 started;
  int rc;

  if (!parse_options ("demo", entries, &argc, &argv))
    return SK_CLI_EXIT_USAGE;
  if (n_orders < 0)
    {
      _sk_cli_print_error ("%s", _("--orders must be 0 or more."));
      return SK_CLI_EXIT_USAGE;
    }

  /* A throwaway profile unless one was named. */
  if (global->profile == NULL)
    {
      tmp_profile = g_dir_make_tmp ("storekeep-demo-XXXXXX", &error);
      if (tmp_profile == NULL)
        {
          _sk_cli_print_error ("%s", error->message);
          return SK_CLI_EXIT_FAILED;
        }
      global->profile = g_strdup (tmp_profile);
    }

  shop = sk_demo_shop_new ((guint64) seed, (guint) n_orders);
  if (!sk_demo_shop_start (shop, &error))
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }
  g_printerr (_("Demo shop listening on %s with %d orders.\n"), sk_demo_shop_get_base_url (shop), n_orders);

  store = _sk_cli_open_store (global);
  if (store == NULL)
    return SK_CLI_EXIT_FAILED;
  /* The app's --demo channels: Shopify, WooCommerce and Amazon, synced
   * at once. */
  if (sk_demo_profile_add_channels (store, shop, ids, &error))
    {
      http = sk_http_new ();
      sync = sk_sync_manager_new (store, http);
      sk_sync_manager_set_secret_lookup (sync, sk_demo_profile_secret_lookup, NULL, NULL);

      started = g_get_monotonic_time ();
      rc = run_syncs (sync, ids, G_N_ELEMENTS (ids));
      g_printerr (_("Synced in %.2f s.\n"), (g_get_monotonic_time () - started) / 1e6);
      print_demo_summary (store, ids, G_N_ELEMENTS (ids));
    }
  else
    {
      _sk_cli_print_error ("%s", error->message);
      rc = SK_CLI_EXIT_FAILED;
    }

  sk_demo_shop_stop (shop);
  g_clear_object (&sync);
  if (store != NULL)
    sk_store_close (store);
  g_clear_object (&store);
  if (tmp_profile != NULL)
    {
      g_autofree char *db = g_build_filename (tmp_profile, "storekeep.db", NULL);
      const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (db, suffixes[i], NULL);

          g_unlink (file);
        }
      g_rmdir (tmp_profile);
    }
  return rc;
}

/* Dispatch */

static const struct {
  const char *name;
  SkCliCommand func;
} commands[] = {
  { "channel", _sk_cli_channel },
  { "import", _sk_cli_import },
  { "sync", cmd_sync },
  { "orders", cmd_orders },
  { "health", cmd_health },
  { "demo", cmd_demo },
};

static const char *
find_subcommand (int argc, char *argv[], int *out_index)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--profile"))
        {
          if (strchr (argv[i], '=') == NULL)
            i++;
          continue;
        }
      if (argv[i][0] == '-')
        return NULL;
      if (out_index != NULL)
        *out_index = i;
      return argv[i];
    }
  return NULL;
}

gboolean
sk_cli_is_headless (int argc, char *argv[])
{
  const char *name = find_subcommand (argc, argv, NULL);

  if (argc >= 2 && (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "--help-cli")))
    return TRUE;
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return TRUE;
  return name != NULL;  /* an unknown word: let the CLI say so */
}

static void
print_usage (void)
{
  g_printerr ("%s", _("Usage:\n"
                      "  storekeep [--demo]                  open the window\n"
                      "  storekeep [--profile=DIR] channel add shopify --domain=SHOP [--client-id=ID] [--token-env=VAR]\n"
                      "  storekeep [--profile=DIR] channel add woocommerce --site=URL [--key-env=VAR --secret-env=VAR]\n"
                      "  storekeep [--profile=DIR] channel add amazon --seller-id=ID --marketplace=ID[,ID…] --client-id=ID\n"
                      "                            [--client-secret-env=VAR --refresh-token-env=VAR]\n"
                      "  storekeep [--profile=DIR] channel list [--json]\n"
                      "  storekeep [--profile=DIR] channel remove ID [--delete-orders]\n"
                      "  storekeep [--profile=DIR] import csv FILE --source=NAME [--json]\n"
                      "  storekeep [--profile=DIR] sync [--channel=ID]\n"
                      "  storekeep [--profile=DIR] orders [--search=TEXT] [--limit=N] [--channel=ID]\n"
                      "  storekeep [--profile=DIR] health [--json]\n"
                      "  storekeep demo [--orders=N]         sync the embedded demo shop and print what was stored\n"
                      "Each command takes --help. Every “channel add” tests the connection before it saves\n"
                      "(--no-test skips that). Tokens, keys and secrets are read from standard input (typed\n"
                      "without echo on a terminal) or from the environment variables named by the --…-env\n"
                      "options, never from the command line, and are kept in the keyring.\n"));
}

int
sk_cli_main (int argc, char *argv[])
{
  SkCliGlobal global = { NULL, NULL };
  const char *name;
  int index = 0;
  int rc = SK_CLI_EXIT_USAGE;

  if (argc >= 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("storekeep %s\n", PACKAGE_VERSION);
      return SK_CLI_EXIT_OK;
    }

  /* --help of each command starts "Usage: storekeep [OPTION…] COMMAND". */
  if (g_get_prgname () == NULL)
    g_set_prgname ("storekeep");

  name = find_subcommand (argc, argv, &index);
  for (int i = 1; i < index; i++)
    {
      if (g_str_has_prefix (argv[i], "--profile="))
        global.profile = g_strdup (argv[i] + strlen ("--profile="));
      else if (g_str_equal (argv[i], "--profile") && i + 1 < index)
        global.profile = g_strdup (argv[++i]);
    }

  if (name == NULL && argc >= 2 &&
      (g_str_equal (argv[1], "--help-cli") || g_str_equal (argv[1], "--help")))
    {
      print_usage ();
      g_free (global.profile);
      return SK_CLI_EXIT_OK;
    }
  if (name == NULL)
    {
      print_usage ();
      g_free (global.profile);
      return SK_CLI_EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      {
        rc = commands[i].func (&global, argc - index, argv + index);
        g_free (global.profile);
        return rc;
      }

  _sk_cli_print_error (_("“%s” is not a storekeep command."), name);
  print_usage ();
  g_free (global.profile);
  return SK_CLI_EXIT_USAGE;
}
