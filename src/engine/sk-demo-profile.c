/* sk-demo-profile.c: the embedded demo shop's channels in a profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sk-demo-profile.h"
#include "sk-error.h"
#include "sk-time.h"

/* The channel of @store with @record's kind and account, pointed at
 * @record's server and settings; FALSE when there is none. */
static gboolean
repoint_existing (SkStore          *store,
                  SkChannelRecord  *record,
                  GError          **error)
{
  g_autoptr(GPtrArray) channels = sk_store_list_channels (store, error);

  if (channels == NULL)
    return FALSE;
  for (guint i = 0; i < channels->len; i++)
    {
      SkChannelRecord *r = g_ptr_array_index (channels, i);

      if (g_strcmp0 (r->kind, record->kind) != 0 || g_strcmp0 (r->account, record->account) != 0)
        continue;
      g_free (r->base_url);
      r->base_url = g_strdup (record->base_url);
      g_free (r->settings);
      r->settings = g_strdup (record->settings);
      if (!sk_store_update_channel (store, r, error))
        return FALSE;
      record->id = r->id;
      return TRUE;
    }
  return FALSE;
}

static gboolean
add_channel (SkStore     *store,
             const char  *kind,
             const char  *name,
             const char  *account,
             const char  *base_url,
             const char  *settings,
             gint64      *out_id,
             GError     **error)
{
  g_autoptr(SkChannelRecord) record = sk_channel_record_new ();
  g_autoptr(GError) local = NULL;

  record->kind = g_strdup (kind);
  record->name = g_strdup (name);
  record->account = g_strdup (account);
  record->base_url = g_strdup (base_url);
  record->secret_ref = g_strdup ("demo");
  record->created_at = sk_time_now ();
  g_free (record->settings);
  record->settings = g_strdup (settings != NULL ? settings : "{}");

  if (!sk_store_add_channel (store, record, &local))
    {
      if (!g_error_matches (local, SK_STORE_ERROR, SK_STORE_ERROR_CONSTRAINT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      /* Connected already: this run's server has another port. */
      if (!repoint_existing (store, record, error))
        {
          if (error != NULL && *error == NULL)
            g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  *out_id = record->id;
  return TRUE;
}

gboolean
sk_demo_profile_add_channels (SkStore     *store,
                              SkDemoShop  *shop,
                              gint64       out_ids[SK_DEMO_PROFILE_N_CHANNELS],
                              GError     **error)
{
  const char *base_url;
  g_autofree char *amazon_settings = NULL;
  gint64 ids[SK_DEMO_PROFILE_N_CHANNELS] = { 0 };

  g_return_val_if_fail (SK_IS_STORE (store), FALSE);
  g_return_val_if_fail (SK_IS_DEMO_SHOP (shop), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  base_url = sk_demo_shop_get_base_url (shop);
  amazon_settings = sk_demo_shop_dup_amazon_settings (shop);
  g_return_val_if_fail (base_url != NULL && amazon_settings != NULL, FALSE);

  if (!add_channel (store, "shopify", _("Demo Outfitters"), sk_demo_shop_get_domain (shop),
                    base_url, NULL, &ids[0], error) ||
      !add_channel (store, "woocommerce", SK_DEMO_WOO_SITE_NAME, sk_demo_shop_get_woo_site (shop),
                    base_url, NULL, &ids[1], error) ||
      !add_channel (store, "amazon", SK_DEMO_AMAZON_SELLER_NAME, sk_demo_shop_get_amazon_seller (shop),
                    base_url, amazon_settings, &ids[2], error))
    return FALSE;

  if (out_ids != NULL)
    for (guint i = 0; i < SK_DEMO_PROFILE_N_CHANNELS; i++)
      out_ids[i] = ids[i];
  return TRUE;
}

/* The strings are constants: nothing here touches shared state. */
char *
sk_demo_profile_secret_lookup (const SkChannelRecord  *record,
                               gpointer                user_data,
                               GError                **error)
{
  g_return_val_if_fail (record != NULL, NULL);

  if (g_strcmp0 (record->kind, "woocommerce") == 0)
    return g_strdup (SK_DEMO_WOO_SECRET);
  if (g_strcmp0 (record->kind, "amazon") == 0)
    return g_strdup (SK_DEMO_AMAZON_SECRET);
  return g_strdup (SK_DEMO_SHOP_TOKEN);
}
