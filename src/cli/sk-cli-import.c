/* sk-cli-import.c: "storekeep import csv FILE --source=NAME"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports an order export with the column mapping saved for its source
 * (a CSV channel, sk-csv-channel.h) the first time a file of that source
 * was imported in the app, exactly as the app's import does: good orders
 * go in, bad rows are reported by line (and kept as dead letters), and a
 * file imported twice imports nothing twice. --mapping=FILE.json gives a
 * mapping in the saved form instead (and saves it for the source).
 */
#define G_LOG_DOMAIN "sk-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sk-cli-private.h"
#include "sk-csv-channel.h"
#include "sk-csv-import.h"
#include "sk-csv-mapping.h"
#include "sk-error.h"
#include "sk-http.h"
#include "sk-store-channels.h"

/* The CSV source called @name (or whose account is its slug), or NULL. */
static SkChannelRecord *
find_source (SkStore     *store,
             const char  *name,
             GError     **error)
{
  g_autoptr(GPtrArray) channels = sk_store_list_channels (store, error);
  g_autoptr(SkChannelRecord) wanted = sk_csv_channel_record_new (name);
  g_autofree char *folded = g_utf8_casefold (name, -1);

  if (channels == NULL)
    return NULL;
  for (guint i = 0; i < channels->len; i++)
    {
      SkChannelRecord *r = g_ptr_array_index (channels, i);
      g_autofree char *r_folded = NULL;

      if (g_strcmp0 (r->kind, SK_CSV_CHANNEL_KIND) != 0)
        continue;
      r_folded = g_utf8_casefold (r->name != NULL ? r->name : "", -1);
      if (g_str_equal (r_folded, folded) || g_strcmp0 (r->account, wanted->account) == 0)
        return sk_channel_record_copy (r);
    }
  return NULL;
}

/* The settings JSON a mapping file stands for: the file itself when it is
 * settings with a "csv" member, else {"csv": the file}. */
static char *
read_mapping_file (const char  *path,
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                   _("Cannot read the mapping file %s: %s"), path, local->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                   _("The mapping file %s is not a JSON object. Write it as {\"columns\": {\"order_id\": \"Order\", …}, \"currency\": \"EUR\"}."),
                   path);
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "csv"))
    return g_steal_pointer (&text);

  root = json_node_init_object (json_node_alloc (), json_object_new ());
  json_object_set_member (json_node_get_object (root), "csv", json_node_copy (json_parser_get_root (parser)));
  return json_to_string (root, FALSE);
}

/* The file read with @settings' mapping (again with the saved delimiter
 * when it is not the one sniffed). */
static gboolean
read_table (GFile         *file,
            const char    *settings,
            SkCsvTable   **out_table,
            SkCsvMapping **out_mapping,
            GError       **error)
{
  g_autoptr(SkCsvTable) table = NULL;
  g_autoptr(SkCsvMapping) mapping = NULL;

  table = sk_csv_table_read_sync (file, 0, NULL, error);
  if (table == NULL)
    return FALSE;
  mapping = sk_csv_mapping_load (settings, table, error);
  if (mapping == NULL)
    return FALSE;
  if (mapping->delimiter != 0 && mapping->delimiter != table->delimiter)
    {
      char delimiter = mapping->delimiter;

      g_clear_pointer (&table, sk_csv_table_unref);
      g_clear_pointer (&mapping, sk_csv_mapping_free);
      table = sk_csv_table_read_sync (file, delimiter, NULL, error);
      if (table == NULL)
        return FALSE;
      mapping = sk_csv_mapping_load (settings, table, error);
      if (mapping == NULL)
        return FALSE;
    }
  *out_table = g_steal_pointer (&table);
  *out_mapping = g_steal_pointer (&mapping);
  return TRUE;
}

typedef struct {
  gboolean done;
  gboolean ok;
  SkSyncSummary summary;
  GError *error;
} ImportWaiter;

static void
on_imported (GObject *source, GAsyncResult *result, gpointer data)
{
  ImportWaiter *waiter = data;

  waiter->ok = sk_csv_channel_import_finish (SK_CSV_CHANNEL (source), result,
                                             &waiter->summary, &waiter->error);
  waiter->done = TRUE;
}

static void
print_report_json (const SkChannelRecord *source,
                   const SkCsvBatch      *batch,
                   const SkSyncSummary   *summary)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "channel_id");
  json_builder_add_int_value (b, source->id);
  _sk_cli_add_string_member (b, "source", source->name);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, batch->n_rows);
  json_builder_set_member_name (b, "inserted");
  json_builder_add_int_value (b, summary->inserted);
  json_builder_set_member_name (b, "updated");
  json_builder_add_int_value (b, summary->updated);
  json_builder_set_member_name (b, "unchanged");
  json_builder_add_int_value (b, summary->unchanged + summary->stale);
  json_builder_set_member_name (b, "bad_rows");
  json_builder_add_int_value (b, batch->n_bad_rows);
  json_builder_set_member_name (b, "bad_orders");
  json_builder_add_int_value (b, batch->n_bad_orders);
  json_builder_set_member_name (b, "errors");
  json_builder_begin_array (b);
  for (guint i = 0; i < batch->errors->len; i++)
    {
      SkCsvRowError *e = g_ptr_array_index (batch->errors, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, e->line);
      _sk_cli_add_string_member (b, "order_id", e->order_id);
      _sk_cli_add_string_member (b, "message", e->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  _sk_cli_print_json (b);
}

static void
print_report (const SkCsvBatch    *batch,
              const SkSyncSummary *summary)
{
  g_autofree char *counts = sk_csv_format_counts (batch, summary);

  g_printerr ("%s\n", counts);
  for (guint i = 0; i < batch->errors->len; i++)
    {
      g_autofree char *line = sk_csv_row_error_format (g_ptr_array_index (batch->errors, i));

      g_printerr ("  %s\n", line);
    }
}

/* The source's record with @mapping saved in it, added when new. */
static gboolean
save_source (SkStore             *store,
             SkChannelRecord     *source,
             const SkCsvMapping  *mapping,
             const SkCsvTable    *table,
             GError             **error)
{
  g_autofree char *settings = sk_csv_mapping_save (mapping, table, source->settings);

  g_free (source->settings);
  source->settings = g_steal_pointer (&settings);
  if (source->id == 0)
    return sk_store_add_channel (store, source, error);
  return sk_store_update_channel (store, source, error);
}

static int
cmd_import_csv (SkCliGlobal *global, int argc, char **argv)
{
  g_autofree char *source_name = NULL;
  g_autofree char *mapping_path = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source_name, N_("The CSV source the file comes from, as named in Storekeep"), N_("NAME") },
    { "mapping", 0, 0, G_OPTION_ARG_FILENAME, &mapping_path, N_("Use (and save for the source) the column mapping in this JSON file instead of the saved one"), N_("FILE.json") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print what was imported as JSON"), NULL },
    { NULL }
  };
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkHttp) http = NULL;
  g_autoptr(SkChannelRecord) source = NULL;
  g_autoptr(SkChannel) channel = NULL;
  g_autoptr(SkCsvTable) table = NULL;
  g_autoptr(SkCsvMapping) mapping = NULL;
  g_autoptr(SkCsvBatch) batch = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *settings = NULL;
  ImportWaiter waiter = { 0 };

  if (!_sk_cli_parse_options ("import csv FILE --source=NAME",
                              _("Import the orders of a CSV file with the column mapping the app saved for its\n"
                                "source when you imported one of its files there. Bad rows are listed with their\n"
                                "line numbers and the exit status is 1, but the good orders are imported; a file\n"
                                "imported again imports nothing twice."),
                              entries, &argc, &argv))
    return SK_CLI_EXIT_USAGE;
  /* argv: "import", "csv", FILE */
  if (argc != 3)
    {
      _sk_cli_print_error ("%s", argc < 3 ? _("Give the CSV file to import: “storekeep import csv FILE --source=NAME”.")
                                           : _("Give one CSV file at a time."));
      return SK_CLI_EXIT_USAGE;
    }
  if (source_name == NULL || *g_strstrip (source_name) == '\0')
    {
      _sk_cli_print_error ("%s", _("Say where the file comes from with --source=NAME, the name of its CSV source in Storekeep."));
      return SK_CLI_EXIT_USAGE;
    }
  if (mapping_path != NULL)
    {
      settings = read_mapping_file (mapping_path, &error);
      if (settings == NULL)
        {
          _sk_cli_print_error ("%s", error->message);
          return SK_CLI_EXIT_USAGE;
        }
    }

  store = _sk_cli_open_store (global);
  if (store == NULL)
    return SK_CLI_EXIT_FAILED;
  source = find_source (store, source_name, &error);
  if (source == NULL && error != NULL)
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }
  if (settings == NULL && (source == NULL || !sk_csv_mapping_is_saved (source->settings)))
    {
      if (source == NULL)
        _sk_cli_print_error (_("There is no CSV source called “%s” yet. Import one of its files in Storekeep once (Import Orders From CSV…) and choose which column holds what; after that this command imports its files the same way."),
                             source_name);
      else
        _sk_cli_print_error (_("No column mapping is saved for “%s” yet. Import one of its files in Storekeep once (Import Orders From CSV…) and choose which column holds what; after that this command imports its files the same way."),
                             source->name);
      return SK_CLI_EXIT_FAILED;
    }
  if (settings == NULL)
    settings = g_strdup (source->settings);
  if (source == NULL)
    source = sk_csv_channel_record_new (source_name);

  file = g_file_new_for_commandline_arg (argv[2]);
  if (!read_table (file, settings, &table, &mapping, &error) ||
      !sk_csv_mapping_validate (mapping, &error))
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }
  if (mapping_path != NULL && !save_source (store, source, mapping, table, &error))
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }

  batch = sk_csv_batch_build (table, mapping);
  http = sk_http_new ();
  channel = sk_channel_new_for_record (store, http, source, &error);
  if (channel == NULL || !SK_IS_CSV_CHANNEL (channel))
    {
      _sk_cli_print_error ("%s", error != NULL ? error->message : _("This source cannot import files."));
      return SK_CLI_EXIT_FAILED;
    }
  sk_csv_channel_import_async (SK_CSV_CHANNEL (channel), sk_csv_batch_to_page (batch, source->id),
                               NULL, on_imported, &waiter);
  _sk_cli_wait_for (&waiter.done);
  if (!waiter.ok)
    {
      _sk_cli_print_error ("%s", waiter.error->message);
      g_error_free (waiter.error);
      return SK_CLI_EXIT_FAILED;
    }

  if (as_json)
    print_report_json (source, batch, &waiter.summary);
  print_report (batch, &waiter.summary);
  return batch->n_bad_rows > 0 || batch->errors->len > 0 ? SK_CLI_EXIT_FAILED : SK_CLI_EXIT_OK;
}

int
_sk_cli_import (SkCliGlobal *global, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "csv"))
    return cmd_import_csv (global, argc, argv);
  _sk_cli_print_error ("%s", _("Only CSV files can be imported: use “storekeep import csv FILE --source=NAME”."));
  return SK_CLI_EXIT_USAGE;
}
