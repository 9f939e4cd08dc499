/* sk-csv-channel.c: a source of orders without an API, fed by CSV files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run compares the page's orders with the stored ones on the main
 * thread (the store's reader lives there), a slice at a time from idle
 * callbacks so a file of thousands of orders does not freeze the window,
 * then hands the page to the store's writer thread in one transaction with
 * the cursor that records when the import happened.
 */
#define G_LOG_DOMAIN "sk-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-channel-private.h"
#include "sk-csv-channel.h"
#include "sk-error.h"
#include "sk-order.h"
#include "sk-store-orders.h"
#include "sk-time.h"

#define RESOURCE "orders"
/* Orders compared with the store per idle callback. */
#define COMPARE_SLICE 200

struct _SkCsvChannel
{
  SkChannel parent_instance;

  SkImportPage *pending;   /* handed over by import_async, taken by the run */
};

G_DEFINE_FINAL_TYPE (SkCsvChannel, sk_csv_channel, SK_TYPE_CHANNEL)

/* Digests */

static void
add_text (GString    *s,
          const char *text)
{
  /* Length-prefixed, so "ab" + "c" and "a" + "bc" differ; NULL is "". */
  gsize len = text != NULL ? strlen (text) : 0;

  g_string_append_printf (s, "%" G_GSIZE_FORMAT ":", len);
  if (len > 0)
    g_string_append_len (s, text, (gssize) len);
}

static void
add_int (GString *s,
         gint64   value)
{
  g_string_append_printf (s, "%" G_GINT64_FORMAT ";", value);
}

char *
sk_csv_channel_order_digest (SkOrder *order)
{
  g_autoptr(GString) s = g_string_new (NULL);
  SkAddress *address;
  GPtrArray *lines;

  g_return_val_if_fail (SK_IS_ORDER (order), NULL);

  address = sk_order_get_shipping_address (order);
  add_text (s, sk_order_get_number (order) != NULL ? sk_order_get_number (order)
                                                   : sk_order_get_external_id (order));
  add_int (s, sk_order_get_created_at (order));
  add_text (s, sk_order_get_currency (order));
  add_int (s, sk_order_get_subtotal (order));
  add_int (s, sk_order_get_total_tax (order));
  add_int (s, sk_order_get_total_shipping (order));
  add_int (s, sk_order_get_total_discounts (order));
  add_int (s, sk_order_get_total (order));
  add_int (s, sk_order_get_status (order));
  add_text (s, sk_order_get_status_code (order));
  add_int (s, sk_order_get_payment_status (order));
  add_text (s, sk_order_get_payment_code (order));
  add_int (s, sk_order_get_fulfillment_status (order));
  add_text (s, sk_order_get_fulfillment_code (order));
  add_text (s, sk_order_get_customer_name (order));
  add_text (s, sk_order_get_email (order));
  add_text (s, sk_order_get_phone (order));
  add_text (s, sk_order_get_note (order));
  add_text (s, sk_order_get_ship_city (order) != NULL ? sk_order_get_ship_city (order)
                                                      : address != NULL ? address->city : NULL);
  add_text (s, sk_order_get_ship_country (order) != NULL ? sk_order_get_ship_country (order)
                                                         : address != NULL ? address->country_code : NULL);

  add_int (s, address != NULL);
  if (address != NULL)
    {
      add_text (s, address->name);
      add_text (s, address->company);
      add_text (s, address->line1);
      add_text (s, address->line2);
      add_text (s, address->city);
      add_text (s, address->region);
      add_text (s, address->region_code);
      add_text (s, address->postcode);
      add_text (s, address->country);
      add_text (s, address->country_code);
      add_text (s, address->phone);
    }

  lines = sk_order_get_lines (order);
  add_int (s, lines != NULL ? lines->len : 0);
  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      SkOrderLine *line = g_ptr_array_index (lines, i);

      add_text (s, line->sku);
      add_text (s, line->title);
      add_text (s, line->variant_title);
      add_int (s, line->quantity);
      add_int (s, line->unit_price);
      add_int (s, line->total_discount);
      add_int (s, line->total_tax);
    }

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, s->str, (gssize) s->len);
}

/* The run */

typedef struct {
  SkImportPage *page;
  guint         next;       /* next order to compare */
  gint64        now;
  guint         n_orders;
} Run;

static void
run_free (Run *run)
{
  sk_import_page_free (run->page);
  g_free (run);
}

/* Give @order the updated_at that makes the store do the right thing. */
static gboolean
compare_with_stored (SkCsvChannel  *self,
                     Run           *run,
                     SkOrder       *order,
                     GError       **error)
{
  SkStore *store = sk_channel_get_store (SK_CHANNEL (self));
  g_autoptr(SkOrder) stored = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *stored_digest = NULL;
  g_autofree char *digest = NULL;

  stored = sk_store_find_order (store, sk_channel_get_id (SK_CHANNEL (self)),
                                sk_order_get_external_id (order), &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  if (stored == NULL)
    {
      if (sk_order_get_created_at (order) == 0)
        sk_order_set_created_at (order, run->now);
      sk_order_set_updated_at (order, sk_order_get_created_at (order));
      return TRUE;
    }

  /* A file without dates keeps the date of the first import. */
  if (sk_order_get_created_at (order) == 0)
    sk_order_set_created_at (order, sk_order_get_created_at (stored));

  digest = sk_csv_channel_order_digest (order);
  stored_digest = sk_csv_channel_order_digest (stored);
  if (g_str_equal (digest, stored_digest))
    sk_order_set_updated_at (order, sk_order_get_updated_at (stored));
  else
    sk_order_set_updated_at (order, MAX (run->now, sk_order_get_updated_at (stored) + 1));
  return TRUE;
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SkCsvChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  SkImportResult imported = { 0, };
  g_autoptr(GError) error = NULL;
  SkSyncSummary *summary;

  if (!sk_store_import_finish (SK_STORE (source), result, &imported, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _sk_channel_set_progress (SK_CHANNEL (self), 1, run->n_orders, run->n_orders);
  summary = g_new0 (SkSyncSummary, 1);
  summary->pages = 1;
  summary->inserted = imported.inserted;
  summary->updated = imported.updated;
  summary->unchanged = imported.unchanged;
  summary->stale = imported.stale;
  summary->dead_lettered = imported.dead_lettered;
  g_task_return_pointer (task, summary, g_free);
}

static void
start_import (GTask *task)
{
  SkCsvChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  SkImportPage *page = g_steal_pointer (&run->page);

  page->channel_id = sk_channel_get_id (SK_CHANNEL (self));
  page->write_cursor = TRUE;
  sk_sync_cursor_clear (&page->cursor);
  page->cursor.high_water = run->now;
  page->cursor.pages_done = 1;

  sk_store_import_async (sk_channel_get_store (SK_CHANNEL (self)), page,
                         g_task_get_cancellable (task), on_imported, task);
}

static gboolean
compare_slice (gpointer user_data)
{
  GTask *task = user_data;
  SkCsvChannel *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GPtrArray *orders = run->page->orders;
  guint end = MIN (run->next + COMPARE_SLICE, orders->len);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  for (; run->next < end; run->next++)
    if (!compare_with_stored (self, run, g_ptr_array_index (orders, run->next), &error))
      {
        g_task_return_error (task, error);
        g_object_unref (task);
        return G_SOURCE_REMOVE;
      }

  if (run->next < orders->len)
    return G_SOURCE_CONTINUE;
  start_import (task);
  return G_SOURCE_REMOVE;
}

static void
sk_csv_channel_sync_async (SkChannel           *channel,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  SkCsvChannel *self = SK_CSV_CHANNEL (channel);
  g_autoptr(GTask) task = NULL;
  Run *run;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_csv_channel_sync_async);

  /* Nothing to pull from anywhere: without a file, a run does nothing. */
  if (self->pending == NULL)
    {
      g_task_return_pointer (task, g_new0 (SkSyncSummary, 1), g_free);
      return;
    }

  run = g_new0 (Run, 1);
  run->page = g_steal_pointer (&self->pending);
  run->now = sk_time_now ();
  run->n_orders = run->page->orders->len;
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  _sk_channel_set_progress (channel, 0, 0, run->n_orders);

  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, compare_slice, g_steal_pointer (&task), NULL);
}

static guint
sk_csv_channel_get_min_interval (SkChannel *channel)
{
  /* Never polled: see the header. */
  return 0;
}

/* GObject */

static void
sk_csv_channel_finalize (GObject *object)
{
  SkCsvChannel *self = SK_CSV_CHANNEL (object);

  g_clear_pointer (&self->pending, sk_import_page_free);

  G_OBJECT_CLASS (sk_csv_channel_parent_class)->finalize (object);
}

static void
sk_csv_channel_class_init (SkCsvChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SkChannelClass *channel_class = SK_CHANNEL_CLASS (klass);

  object_class->finalize = sk_csv_channel_finalize;

  channel_class->sync_async = sk_csv_channel_sync_async;
  channel_class->get_min_interval = sk_csv_channel_get_min_interval;
  /* No test_connection: there is nothing to connect to, and the base
   * class then reports success. */
}

static void
sk_csv_channel_init (SkCsvChannel *self)
{
}

/* Public API */

SkChannel *
sk_csv_channel_new (SkStore               *store,
                    SkHttp                *http,
                    const SkChannelRecord *record)
{
  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (SK_IS_HTTP (http), NULL);
  g_return_val_if_fail (record != NULL, NULL);

  return g_object_new (SK_TYPE_CSV_CHANNEL,
                       "store", store,
                       "http", http,
                       "record", record,
                       NULL);
}

SkChannelRecord *
sk_csv_channel_record_new (const char *name)
{
  SkChannelRecord *record;
  g_autofree char *ascii = NULL;
  GString *slug;

  g_return_val_if_fail (name != NULL, NULL);

  /* "Shop Counter (POS)" → "shop-counter-pos": unique per kind, like a
   * shop domain, so the same name revives a removed source. */
  ascii = g_str_to_ascii (name, "C");
  slug = g_string_new (NULL);
  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "csv-source");

  record = sk_channel_record_new ();
  g_free (record->kind);
  record->kind = g_strdup (SK_CSV_CHANNEL_KIND);
  g_free (record->name);
  record->name = g_strstrip (g_strdup (name));
  g_free (record->account);
  record->account = g_string_free (slug, FALSE);
  g_free (record->base_url);
  record->base_url = g_strdup ("file:");
  g_free (record->settings);
  record->settings = g_strdup ("{}");
  return record;
}

static void
on_import_synced (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SkCsvChannel *self = SK_CSV_CHANNEL (source);
  SkSyncSummary summary = { 0, };
  GError *error = NULL;

  /* A run that never started leaves the page behind. */
  g_clear_pointer (&self->pending, sk_import_page_free);
  if (!sk_channel_sync_finish (SK_CHANNEL (self), result, &summary, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&summary, sizeof summary), g_free);
}

void
sk_csv_channel_import_async (SkCsvChannel        *self,
                             SkImportPage        *page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SK_IS_CSV_CHANNEL (self));
  g_return_if_fail (page != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sk_csv_channel_import_async);

  g_clear_pointer (&self->pending, sk_import_page_free);
  self->pending = page;
  sk_channel_sync_async (SK_CHANNEL (self), cancellable, on_import_synced, task);
}

gboolean
sk_csv_channel_import_finish (SkCsvChannel   *self,
                              GAsyncResult   *result,
                              SkSyncSummary  *out_summary,
                              GError        **error)
{
  g_autofree SkSyncSummary *summary = NULL;

  g_return_val_if_fail (SK_IS_CSV_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sk_csv_channel_import_async, FALSE);

  summary = g_task_propagate_pointer (G_TASK (result), error);
  if (out_summary != NULL)
    {
      if (summary != NULL)
        *out_summary = *summary;
      else
        memset (out_summary, 0, sizeof *out_summary);
    }
  return summary != NULL;
}
