/* sk-cli-channel.c: "storekeep channel add|list|remove"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "channel add KIND" stores what the app's connect dialog stores for each
 * kind of shop (sk-connect-dialog.c): the same record fields, settings
 * and secret, after the same connection test. Adding a shop that is
 * already connected (same kind and account) updates that channel: its
 * id, orders, secret reference, pause and name stay unless given.
 * Secrets come from environment variables or standard input, never from
 * argv, and go only to the keyring (sk-secrets.h).
 */
#define G_LOG_DOMAIN "sk-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sk-amazon-channel.h"
#include "sk-amazon-normalize.h"
#include "sk-cli-private.h"
#include "sk-csv-channel.h"
#include "sk-error.h"
#include "sk-http.h"
#include "sk-lwa.h"
#include "sk-secrets.h"
#include "sk-shopify-auth.h"
#include "sk-shopify-channel.h"
#include "sk-store-channels.h"
#include "sk-time.h"
#include "sk-woo-channel.h"

typedef enum {
  KIND_SHOPIFY,
  KIND_WOO,
  KIND_AMAZON,
} Kind;

static const struct {
  const char *kind;     /* the record's kind */
  const char *label;    /* a brand name, not translated */
  const char *usage;
} kinds[] = {
  [KIND_SHOPIFY] = { "shopify", "Shopify", "channel add shopify --domain=DOMAIN" },
  [KIND_WOO] = { "woocommerce", "WooCommerce", "channel add woocommerce --site=URL" },
  [KIND_AMAZON] = { "amazon", "Amazon", "channel add amazon --seller-id=ID --marketplace=ID[,ID…] --client-id=ID" },
};

/* Every option of "channel add"; each kind uses its own and the common ones. */
typedef struct {
  char     *name;
  char     *base_url;
  gboolean  no_test;
  /* Shopify */
  char     *domain;
  char     *client_id;          /* also Amazon's LWA client id */
  char     *token_env;
  /* WooCommerce */
  char     *site;
  char     *key_env;
  char     *secret_env;
  /* Amazon */
  char     *seller_id;
  char     *marketplaces;
  char     *region;
  char     *client_secret_env;
  char     *refresh_token_env;
  char     *lwa_url;
} AddOptions;

static void
add_options_clear (AddOptions *o)
{
  g_free (o->name);
  g_free (o->base_url);
  g_free (o->domain);
  g_free (o->client_id);
  g_free (o->token_env);
  g_free (o->site);
  g_free (o->key_env);
  g_free (o->secret_env);
  g_free (o->seller_id);
  g_free (o->marketplaces);
  g_free (o->region);
  g_free (o->client_secret_env);
  g_free (o->refresh_token_env);
  g_free (o->lwa_url);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AddOptions, add_options_clear)

/* Helpers */

static gboolean
find_kind (const char *word,
           Kind       *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (word, kinds[i].kind) == 0)
      {
        *out_kind = (Kind) i;
        return TRUE;
      }
  if (g_ascii_strcasecmp (word, "woo") == 0)
    {
      *out_kind = KIND_WOO;
      return TRUE;
    }
  return FALSE;
}

/* The trimmed text of an option, NULL when it is absent or blank. */
static const char *
option_text (char *value)
{
  if (value == NULL)
    return NULL;
  g_strstrip (value);
  return value[0] != '\0' ? value : NULL;
}

/* An API address given with --base-url or --lwa-url: no trailing slash,
 * https (or http on loopback). */
static char *
check_override (const char  *url,
                GError     **error)
{
  g_autofree char *copy = g_strdup (url);

  while (g_str_has_suffix (copy, "/"))
    copy[strlen (copy) - 1] = '\0';
  if (!sk_http_check_url (copy, error))
    return NULL;
  return g_steal_pointer (&copy);
}

static SkChannelRecord *
new_record (Kind  kind,
            char *account,
            char *base_url,
            char *settings)
{
  SkChannelRecord *record = sk_channel_record_new ();

  g_free (record->kind);
  record->kind = g_strdup (kinds[kind].kind);
  g_free (record->account);
  record->account = account;
  g_free (record->base_url);
  record->base_url = base_url;
  g_free (record->settings);
  record->settings = settings;
  return record;
}

/* Records from the options (usage errors: NULL and a sentence) */

static SkChannelRecord *
collect_shopify (AddOptions  *o,
                 GError     **error)
{
  g_autofree char *domain = NULL;
  g_autofree char *base_url = NULL;

  if (option_text (o->domain) == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                           _("Give the shop's domain with --domain."));
      return NULL;
    }
  domain = sk_shopify_normalize_shop_domain (o->domain, error);
  if (domain == NULL)
    return NULL;
  if (o->client_id != NULL && option_text (o->client_id) == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Give the app’s client ID from the Dev Dashboard with --client-id."));
      return NULL;
    }
  if (option_text (o->base_url) != NULL)
    base_url = check_override (o->base_url, error);
  else
    base_url = g_strconcat ("https://", domain, NULL);
  if (base_url == NULL)
    return NULL;

  return new_record (KIND_SHOPIFY, g_steal_pointer (&domain), g_steal_pointer (&base_url), NULL);
}

/* WooCommerce: the account is the site's host, the base URL the site's
 * address (or the override). */
static SkChannelRecord *
collect_woo (AddOptions  *o,
             GError     **error)
{
  g_autofree char *site = NULL;
  g_autofree char *base_url = NULL;
  g_autoptr(GUri) uri = NULL;

  if (option_text (o->site) == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                           _("Give the shop’s web address with --site, like “shop.example.com”."));
      return NULL;
    }
  site = sk_woo_normalize_site_url (o->site, error);
  if (site == NULL)
    return NULL;
  uri = g_uri_parse (site, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                           _("That is not a web address. Give the site’s address with --site, like “shop.example.com”."));
      return NULL;
    }
  if (option_text (o->base_url) != NULL)
    {
      base_url = sk_woo_normalize_site_url (o->base_url, error);
      if (base_url == NULL)
        return NULL;
    }
  else
    base_url = g_strdup (site);

  return new_record (KIND_WOO, g_strdup (g_uri_get_host (uri)), g_steal_pointer (&base_url), NULL);
}

/* The marketplace ids of --marketplace, upper case, each once; all known
 * and in one region, which *@out_region is set to. */
static GPtrArray *
parse_marketplaces (const char  *text,
                    const char **out_region,
                    GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  const char *region = NULL;
  const char *first = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *id = g_ascii_strup (g_strstrip (parts[i]), -1);
      const char *its_region;
      gboolean seen = FALSE;

      if (id[0] == '\0')
        continue;
      its_region = sk_amazon_marketplace_region (id);
      if (its_region == NULL)
        {
          g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                       _("Storekeep does not know the Amazon marketplace “%s”. Give a marketplace ID such as ATVPDKIKX0DER (amazon.com) or A1PA6795UKMFR9 (amazon.de)."),
                       id);
          return NULL;
        }
      if (region != NULL && g_strcmp0 (region, its_region) != 0)
        {
          g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                       _("The marketplaces %s and %s are in different Amazon regions. Add one channel per region."),
                       first, id);
          return NULL;
        }
      for (guint j = 0; j < ids->len; j++)
        seen = seen || g_str_equal (g_ptr_array_index (ids, j), id);
      if (seen)
        continue;
      region = its_region;
      g_ptr_array_add (ids, g_steal_pointer (&id));
      first = g_ptr_array_index (ids, 0);
    }
  if (ids->len == 0)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                           _("Give the marketplace with --marketplace, like ATVPDKIKX0DER for amazon.com; separate several with commas."));
      return NULL;
    }
  *out_region = region;
  return g_steal_pointer (&ids);
}

/* Amazon: the account is the seller id; the settings name the
 * marketplaces, their region and (for tests) the token URL. */
static SkChannelRecord *
collect_amazon (AddOptions  *o,
                GError     **error)
{
  g_autofree char *seller = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *lwa_url = NULL;
  g_autoptr(GPtrArray) marketplace_ids = NULL;
  const char *region = NULL;

  if (option_text (o->seller_id) == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Give your seller ID with --seller-id. Seller Central shows it under Settings › Account Info › Merchant Token."));
      return NULL;
    }
  seller = g_ascii_strup (o->seller_id, -1);
  for (const char *p = seller; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      {
        g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                             _("A seller ID has only letters and digits. Copy it again from Seller Central."));
        return NULL;
      }

  marketplace_ids = parse_marketplaces (o->marketplaces != NULL ? o->marketplaces : "", &region, error);
  if (marketplace_ids == NULL)
    return NULL;
  if (option_text (o->region) != NULL)
    {
      g_autofree char *wanted = g_ascii_strdown (o->region, -1);

      if (sk_amazon_region_endpoint (wanted) == NULL)
        {
          g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                               _("The region is na (North America), eu (Europe) or fe (Far East)."));
          return NULL;
        }
      if (!g_str_equal (wanted, region))
        {
          g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_INVALID_URL,
                       _("The marketplace %s is in the region “%s”, not “%s”. Leave out --region, or give marketplaces of that region."),
                       (const char *) g_ptr_array_index (marketplace_ids, 0), region, wanted);
          return NULL;
        }
    }

  if (option_text (o->client_id) == NULL)
    {
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("Give the LWA client ID of your Seller Central app with --client-id."));
      return NULL;
    }

  if (option_text (o->base_url) != NULL)
    {
      base_url = check_override (o->base_url, error);
      if (base_url == NULL)
        return NULL;
    }
  else
    base_url = g_strdup ("");
  if (option_text (o->lwa_url) != NULL)
    {
      lwa_url = check_override (o->lwa_url, error);
      if (lwa_url == NULL)
        return NULL;
    }

  g_ptr_array_add (marketplace_ids, NULL);  /* a string vector from here on */
  return new_record (KIND_AMAZON, g_steal_pointer (&seller), g_steal_pointer (&base_url),
                     sk_amazon_channel_build_settings ((const char * const *) marketplace_ids->pdata,
                                                       region, lwa_url));
}

/* Secrets (usage errors: NULL and a sentence) */

static char *
read_shopify_secret (AddOptions  *o,
                     GError     **error)
{
  g_autofree char *token_missing = o->token_env == NULL ? NULL :
    g_strdup_printf (_("The environment variable %s is not set. Set it to the access token, or leave out --token-env to type the token."),
                     o->token_env);
  g_autofree char *client_secret_missing = o->token_env == NULL ? NULL :
    g_strdup_printf (_("The environment variable %s is not set. Set it to the app’s client secret, or leave out --token-env to type the secret."),
                     o->token_env);
  SkCliSecretPrompt token = {
    _("Admin API access token: "),
    token_missing,
    _("No access token was given. Pass it on standard input or name an environment variable with --token-env."),
  };
  SkCliSecretPrompt client_secret = {
    _("Client secret: "),
    client_secret_missing,
    _("No client secret was given. Pass it on standard input or name an environment variable with --token-env."),
  };
  char *secret;
  char *result;

  secret = _sk_cli_read_secret (o->client_id != NULL ? &client_secret : &token, o->token_env, error);
  if (secret == NULL || o->client_id == NULL)
    return secret;

  /* A Dev Dashboard app: the secret is {"client_id", "client_secret"}. */
  if (g_str_has_prefix (secret, "shpat_"))
    {
      _sk_cli_wipe_string (&secret);
      g_set_error_literal (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                           _("That is an access token, not a client secret. Leave out --client-id to connect with the token, or copy the client secret from the app’s Settings in the Dev Dashboard."));
      return NULL;
    }
  result = sk_shopify_app_credentials_to_secret (o->client_id, secret);
  _sk_cli_wipe_string (&secret);
  return result;
}

static char *
read_woo_secret (AddOptions  *o,
                 GError     **error)
{
  g_autofree char *key_missing = o->key_env == NULL ? NULL :
    g_strdup_printf (_("The environment variable %s is not set. Set it to the WooCommerce consumer key (ck_…), or leave out --key-env to type the key."),
                     o->key_env);
  g_autofree char *secret_missing = o->secret_env == NULL ? NULL :
    g_strdup_printf (_("The environment variable %s is not set. Set it to the WooCommerce consumer secret (cs_…), or leave out --secret-env to type the secret."),
                     o->secret_env);
  SkCliSecretPrompt key_prompt = {
    _("Consumer key: "),
    key_missing,
    _("No consumer key was given. Pass the key and then the secret on standard input, one a line, or name environment variables with --key-env and --secret-env."),
  };
  SkCliSecretPrompt secret_prompt = {
    _("Consumer secret: "),
    secret_missing,
    _("No consumer secret was given. Pass the key and then the secret on standard input, one a line, or name environment variables with --key-env and --secret-env."),
  };
  g_autofree char *key = NULL;
  char *secret = NULL;
  char *result;

  key = _sk_cli_read_secret (&key_prompt, o->key_env, error);
  if (key != NULL)
    secret = _sk_cli_read_secret (&secret_prompt, o->secret_env, error);
  if (secret == NULL)
    {
      _sk_cli_wipe_string (&key);
      return NULL;
    }
  result = sk_woo_channel_build_secret (key, secret);
  _sk_cli_wipe_string (&key);
  _sk_cli_wipe_string (&secret);
  return result;
}

static char *
read_amazon_secret (AddOptions  *o,
                    GError     **error)
{
  g_autofree char *secret_missing = o->client_secret_env == NULL ? NULL :
    g_strdup_printf (_("The environment variable %s is not set. Set it to the client secret of your Seller Central app, or leave out --client-secret-env to type the secret."),
                     o->client_secret_env);
  g_autofree char *refresh_missing = o->refresh_token_env == NULL ? NULL :
    g_strdup_printf (_("The environment variable %s is not set. Set it to the refresh token from authorizing your app in Seller Central, or leave out --refresh-token-env to type the token."),
                     o->refresh_token_env);
  SkCliSecretPrompt secret_prompt = {
    _("LWA client secret: "),
    secret_missing,
    _("No client secret was given. Pass the client secret and then the refresh token on standard input, one a line, or name environment variables with --client-secret-env and --refresh-token-env."),
  };
  SkCliSecretPrompt refresh_prompt = {
    _("Refresh token: "),
    refresh_missing,
    _("No refresh token was given. Pass the client secret and then the refresh token on standard input, one a line, or name environment variables with --client-secret-env and --refresh-token-env."),
  };
  SkLwaCredentials credentials = { o->client_id, NULL, NULL };
  char *result;

  credentials.client_secret = _sk_cli_read_secret (&secret_prompt, o->client_secret_env, error);
  if (credentials.client_secret == NULL)
    return NULL;
  credentials.refresh_token = _sk_cli_read_secret (&refresh_prompt, o->refresh_token_env, error);
  if (credentials.refresh_token == NULL)
    {
      _sk_cli_wipe_string (&credentials.client_secret);
      return NULL;
    }
  result = sk_lwa_credentials_to_secret (&credentials);
  _sk_cli_wipe_string (&credentials.client_secret);
  _sk_cli_wipe_string (&credentials.refresh_token);
  return result;
}

/* The "region" of an Amazon channel's settings, or NULL. */
static char *
dup_region (const SkChannelRecord *record)
{
  g_autoptr(JsonNode) settings = record->settings != NULL ? json_from_string (record->settings, NULL) : NULL;
  JsonObject *object;

  if (settings == NULL || !JSON_NODE_HOLDS_OBJECT (settings))
    return NULL;
  object = json_node_get_object (settings);
  if (!json_object_has_member (object, "region") ||
      !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "region")))
    return NULL;
  return g_strdup (json_object_get_string_member (object, "region"));
}

/* Amazon channels of one seller in the same region (an old channel that
 * names none counts as the same). */
static gboolean
same_region (const SkChannelRecord *a,
             const SkChannelRecord *b)
{
  g_autofree char *region_a = dup_region (a);
  g_autofree char *region_b = dup_region (b);

  return region_a == NULL || region_b == NULL || g_strcmp0 (region_a, region_b) == 0;
}

/* The connected channel of the same kind and account, or NULL. */
static SkChannelRecord *
find_connected (SkStore               *store,
                const SkChannelRecord *record,
                GError               **error)
{
  g_autoptr(GPtrArray) channels = sk_store_list_channels (store, error);

  if (channels == NULL)
    return NULL;
  for (guint i = 0; i < channels->len; i++)
    {
      SkChannelRecord *r = g_ptr_array_index (channels, i);

      if (g_strcmp0 (r->kind, record->kind) == 0 && g_strcmp0 (r->account, record->account) == 0)
        return sk_channel_record_copy (r);
    }
  return NULL;
}

/* The record to save: @collected on top of the channel already connected
 * (its id, secret reference, pause and name kept; the address and, for
 * Amazon, the settings are what this command gave, as the dialog builds
 * them from its fields), or a new one named like the dialog names it. */
static SkChannelRecord *
merge_record (Kind                   kind,
              const SkChannelRecord *collected,
              const SkChannelRecord *existing,
              AddOptions            *o)
{
  SkChannelRecord *record;

  if (existing == NULL)
    {
      record = sk_channel_record_copy (collected);
      record->secret_ref = g_uuid_string_random ();
      record->paused = FALSE;
      record->created_at = sk_time_now ();
      if (record->settings == NULL)
        record->settings = g_strdup ("{}");
      if (option_text (o->name) != NULL)
        record->name = g_strdup (o->name);
      else if (kind == KIND_AMAZON)
        record->name = g_strdup (_("Amazon"));
      else
        record->name = sk_channel_default_name (record->account);
      return record;
    }

  record = sk_channel_record_copy (existing);
  g_free (record->base_url);
  record->base_url = g_strdup (collected->base_url);
  if (option_text (o->name) != NULL)
    {
      g_free (record->name);
      record->name = g_strdup (o->name);
    }
  if (collected->settings != NULL)
    {
      g_free (record->settings);
      record->settings = g_strdup (collected->settings);
    }
  if (record->secret_ref == NULL || record->secret_ref[0] == '\0')
    {
      g_free (record->secret_ref);
      record->secret_ref = g_uuid_string_random ();
    }
  return record;
}

typedef struct {
  gboolean done;
  GError *error;
} Waiter;

static void
on_test_connection_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Waiter *waiter = data;

  sk_channel_test_connection_finish (SK_CHANNEL (source), result, &waiter->error);
  waiter->done = TRUE;
}

/* The channel's own test, with a throwaway channel holding @secret in
 * memory only. */
static gboolean
test_connection (SkStore                *store,
                 const SkChannelRecord  *record,
                 const char             *secret,
                 GError                **error)
{
  g_autoptr(SkChannelRecord) probe_record = sk_channel_record_copy (record);
  g_autoptr(SkHttp) http = sk_http_new ();
  g_autoptr(SkChannel) probe = NULL;
  Waiter waiter = { FALSE, NULL };

  probe_record->id = 0;
  probe = sk_channel_new_for_record (store, http, probe_record, error);
  if (probe == NULL)
    return FALSE;
  sk_channel_set_secret (probe, secret);
  sk_channel_test_connection_async (probe, NULL, on_test_connection_done, &waiter);
  _sk_cli_wait_for (&waiter.done);
  if (waiter.error != NULL)
    {
      g_propagate_error (error, waiter.error);
      return FALSE;
    }
  return TRUE;
}

/* Store the channel and its secret; a new channel goes again when its
 * secret cannot be kept. */
static gboolean
save_channel (SkStore          *store,
              SkChannelRecord  *record,
              gboolean          existing,
              const char       *secret,
              GError          **error)
{
  if (existing)
    return sk_secrets_store (record, secret, NULL, error) &&
           sk_store_update_channel (store, record, error);

  if (!sk_store_add_channel (store, record, error))
    return FALSE;
  if (!sk_secrets_store (record, secret, NULL, error))
    {
      g_autoptr(GError) rollback_error = NULL;

      /* Without its secret the channel is useless: take it back out, but
       * keep orders: a shop removed earlier with its orders kept comes
       * back as the same channel, and those orders must survive. */
      if (!sk_store_remove_channel (store, record->id, FALSE, &rollback_error))
        g_debug ("Could not take back the channel: %s", rollback_error->message);
      return FALSE;
    }
  return TRUE;
}

/* channel add */

static void
print_add_help (void)
{
  g_print ("%s", _("Usage:\n"
                   "  storekeep channel add shopify --domain=DOMAIN [OPTION…]\n"
                   "  storekeep channel add woocommerce --site=URL [OPTION…]\n"
                   "  storekeep channel add amazon --seller-id=ID --marketplace=ID[,ID…] --client-id=ID [OPTION…]\n"
                   "\n"
                   "Connect a shop, test the connection and save it. Adding a shop that is\n"
                   "already connected updates its connection. “storekeep channel add KIND --help”\n"
                   "lists the options of each kind.\n"));
}

static const char *
add_summary (Kind kind)
{
  switch (kind)
    {
    case KIND_WOO:
      return _("Connect a WooCommerce shop with a REST API key (WooCommerce › Settings › Advanced › REST API).\n"
               "The consumer key and secret are read from the variables named by --key-env and\n"
               "--secret-env, or else from standard input, the key on the first line and the secret\n"
               "on the next (typed without echo on a terminal).");
    case KIND_AMAZON:
      return _("Connect an Amazon seller account through the Selling Partner API app you authorized in\n"
               "Seller Central. The LWA client secret and refresh token are read from the variables\n"
               "named by --client-secret-env and --refresh-token-env, or else from standard input,\n"
               "the client secret on the first line and the refresh token on the next (typed without\n"
               "echo on a terminal). All marketplaces of one channel must be in one region.");
    case KIND_SHOPIFY:
    default:
      return _("Connect a Shopify shop with the Admin API access token of a custom app, or with\n"
               "--client-id, the client ID of a Dev Dashboard app and its client secret. The token\n"
               "or client secret is read from the variable named by --token-env, or else from\n"
               "standard input (typed without echo on a terminal).");
    }
}

static gboolean
parse_add_options (Kind         kind,
                   AddOptions  *o,
                   int         *argc,
                   char      ***argv)
{
  GOptionEntry shopify_entries[] = {
    { "domain", 0, 0, G_OPTION_ARG_STRING, &o->domain, N_("The shop's domain, e.g. acme.myshopify.com"), N_("DOMAIN") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &o->client_id, N_("Connect with a Dev Dashboard app: its client ID; the client secret is read like a token"), N_("ID") },
    { "token-env", 0, 0, G_OPTION_ARG_STRING, &o->token_env, N_("Read the access token (or the client secret) from this environment variable instead of standard input"), N_("VAR") },
    { NULL }
  };
  GOptionEntry woo_entries[] = {
    { "site", 0, 0, G_OPTION_ARG_STRING, &o->site, N_("The shop's web address, e.g. shop.example.com (https; http only on this computer)"), N_("URL") },
    { "key-env", 0, 0, G_OPTION_ARG_STRING, &o->key_env, N_("Read the consumer key from this environment variable instead of standard input"), N_("VAR") },
    { "secret-env", 0, 0, G_OPTION_ARG_STRING, &o->secret_env, N_("Read the consumer secret from this environment variable instead of standard input"), N_("VAR") },
    { NULL }
  };
  GOptionEntry amazon_entries[] = {
    { "seller-id", 0, 0, G_OPTION_ARG_STRING, &o->seller_id, N_("Your seller ID (Seller Central › Settings › Account Info › Merchant Token)"), N_("ID") },
    { "marketplace", 0, 0, G_OPTION_ARG_STRING, &o->marketplaces, N_("The marketplace IDs to read orders from, separated by commas, e.g. ATVPDKIKX0DER"), N_("ID[,ID…]") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &o->region, N_("The marketplaces' region: na, eu or fe (found from the marketplaces when left out)"), N_("REGION") },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &o->client_id, N_("The LWA client ID of your Seller Central app"), N_("ID") },
    { "client-secret-env", 0, 0, G_OPTION_ARG_STRING, &o->client_secret_env, N_("Read the LWA client secret from this environment variable instead of standard input"), N_("VAR") },
    { "refresh-token-env", 0, 0, G_OPTION_ARG_STRING, &o->refresh_token_env, N_("Read the refresh token from this environment variable instead of standard input"), N_("VAR") },
    { "lwa-url", 0, 0, G_OPTION_ARG_STRING, &o->lwa_url, N_("Override the Login with Amazon token address (https, or http on loopback)"), N_("URL") },
    { NULL }
  };
  GOptionEntry common_entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &o->name, N_("A name to show for the channel"), N_("NAME") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &o->base_url, N_("Override the API address (https, or http on loopback)"), N_("URL") },
    { "no-test", 0, 0, G_OPTION_ARG_NONE, &o->no_test, N_("Do not test the connection before saving"), NULL },
    { NULL }
  };
  GOptionEntry *entries = kind == KIND_WOO ? woo_entries :
                          kind == KIND_AMAZON ? amazon_entries : shopify_entries;
  g_autoptr(GOptionContext) context = g_option_context_new (kinds[kind].usage);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, add_summary (kind));
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      _sk_cli_print_error ("%s", error->message);
      return FALSE;
    }
  if (*argc > 2)
    {
      _sk_cli_print_error (_("Unexpected argument “%s”. Give everything as --option=VALUE."), (*argv)[2]);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_channel_add (SkCliGlobal *global, int argc, char **argv)
{
  g_auto(AddOptions) o = { 0 };
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkChannelRecord) collected = NULL;
  g_autoptr(SkChannelRecord) existing = NULL;
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  Kind kind;

  /* argv: "add", KIND, options… */
  if (argc < 2 || argv[1][0] == '-')
    {
      if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
        {
          print_add_help ();
          return SK_CLI_EXIT_OK;
        }
      _sk_cli_print_error ("%s", _("Say which kind of shop to add: “channel add shopify”, “channel add woocommerce” or “channel add amazon”."));
      return SK_CLI_EXIT_USAGE;
    }
  if (!find_kind (argv[1], &kind))
    {
      _sk_cli_print_error (_("Storekeep cannot connect a shop of the kind “%s”. Use shopify, woocommerce or amazon; CSV files are imported with “storekeep import csv”."),
                           argv[1]);
      return SK_CLI_EXIT_USAGE;
    }
  if (!parse_add_options (kind, &o, &argc, &argv))
    return SK_CLI_EXIT_USAGE;

  switch (kind)
    {
    case KIND_WOO:
      collected = collect_woo (&o, &error);
      break;
    case KIND_AMAZON:
      collected = collect_amazon (&o, &error);
      break;
    case KIND_SHOPIFY:
    default:
      collected = collect_shopify (&o, &error);
      break;
    }
  if (collected == NULL)
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_USAGE;
    }

  secret = kind == KIND_WOO ? read_woo_secret (&o, &error) :
           kind == KIND_AMAZON ? read_amazon_secret (&o, &error) :
           read_shopify_secret (&o, &error);
  if (secret == NULL)
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_USAGE;
    }

  store = _sk_cli_open_store (global);
  if (store == NULL)
    {
      _sk_cli_wipe_string (&secret);
      return SK_CLI_EXIT_FAILED;
    }
  existing = find_connected (store, collected, &error);
  if (existing == NULL && error != NULL)
    {
      _sk_cli_wipe_string (&secret);
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }
  if (existing != NULL && kind == KIND_AMAZON && !same_region (existing, collected))
    {
      _sk_cli_wipe_string (&secret);
      /* Translators: %s is an Amazon seller ID */
      _sk_cli_print_error (_("Seller %s is already connected for another Amazon region. One seller ID is one channel in Storekeep: remove that channel first (“storekeep channel remove ID”), or connect the marketplaces of its own region."),
                           collected->account);
      return SK_CLI_EXIT_USAGE;
    }
  record = merge_record (kind, collected, existing, &o);

  if ((!o.no_test && !test_connection (store, record, secret, &error)) ||
      !save_channel (store, record, existing != NULL, secret, &error))
    {
      _sk_cli_wipe_string (&secret);
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }
  _sk_cli_wipe_string (&secret);

  g_print ("%" G_GINT64_FORMAT "\n", record->id);
  if (existing != NULL)
    /* Translators: %s are the kind of shop ("WooCommerce") and its account */
    g_printerr (_("Updated the %s channel %s (id %lld).\n"), kinds[kind].label, record->account, (long long) record->id);
  else
    /* Translators: %s are the kind of shop ("WooCommerce") and its account */
    g_printerr (_("Added the %s channel %s (id %lld).\n"), kinds[kind].label, record->account, (long long) record->id);
  return SK_CLI_EXIT_OK;
}

/* channel list */

static void
add_channel_json (JsonBuilder           *b,
                  const SkChannelRecord *r)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, r->id);
  _sk_cli_add_string_member (b, "kind", r->kind);
  _sk_cli_add_string_member (b, "account", r->account);
  _sk_cli_add_string_member (b, "name", r->name);
  _sk_cli_add_string_member (b, "base_url", r->base_url != NULL && r->base_url[0] != '\0' ? r->base_url : NULL);
  json_builder_set_member_name (b, "paused");
  json_builder_add_boolean_value (b, r->paused);
  json_builder_end_object (b);
}

static int
cmd_channel_list (SkCliGlobal *global, int argc, char **argv)
{
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SkStore) store = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!_sk_cli_parse_options ("channel list", _("The connected channels: id, kind, account and name, one a line."),
                              entries, &argc, &argv))
    return SK_CLI_EXIT_USAGE;
  store = _sk_cli_open_store (global);
  if (store == NULL)
    return SK_CLI_EXIT_FAILED;
  channels = sk_store_list_channels (store, &error);
  if (channels == NULL)
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < channels->len; i++)
    {
      SkChannelRecord *r = g_ptr_array_index (channels, i);

      if (as_json)
        add_channel_json (builder, r);
      else
        /* Translators: after a paused channel in "storekeep channel list"; keep the tab */
        g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s%s\n", r->id, r->kind, r->account,
                 r->name, r->paused ? _("\t(paused)") : "");
    }
  json_builder_end_array (builder);
  if (as_json)
    _sk_cli_print_json (builder);
  return SK_CLI_EXIT_OK;
}

/* channel remove */

static int
cmd_channel_remove (SkCliGlobal *global, int argc, char **argv)
{
  gboolean delete_orders = FALSE;
  GOptionEntry entries[] = {
    { "delete-orders", 0, 0, G_OPTION_ARG_NONE, &delete_orders, N_("Also delete the channel's orders"), NULL },
    { NULL }
  };
  g_autoptr(SkStore) store = NULL;
  g_autoptr(SkChannelRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  char *end = NULL;

  if (!_sk_cli_parse_options ("channel remove ID", _("Remove a channel and forget its credentials. Its orders are kept unless --delete-orders is given."),
                              entries, &argc, &argv))
    return SK_CLI_EXIT_USAGE;
  if (argc < 2 || (id = g_ascii_strtoll (argv[1], &end, 10)) <= 0 || *end != '\0')
    {
      _sk_cli_print_error ("%s", _("Give the id of the channel to remove (see “storekeep channel list”)."));
      return SK_CLI_EXIT_USAGE;
    }
  store = _sk_cli_open_store (global);
  if (store == NULL)
    return SK_CLI_EXIT_FAILED;
  record = sk_store_get_channel (store, id, &error);
  if (record == NULL || !sk_store_remove_channel (store, id, delete_orders, &error))
    {
      _sk_cli_print_error ("%s", error->message);
      return SK_CLI_EXIT_FAILED;
    }
  g_clear_error (&error);
  /* A CSV source has no secret. */
  if (g_strcmp0 (record->kind, SK_CSV_CHANNEL_KIND) != 0 && !sk_secrets_clear (record, NULL, &error))
    g_printerr (_("The channel was removed, but its token could not be deleted from the keyring: %s\n"), error->message);
  return SK_CLI_EXIT_OK;
}

int
_sk_cli_channel (SkCliGlobal *global, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return cmd_channel_add (global, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return cmd_channel_list (global, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return cmd_channel_remove (global, argc - 1, argv + 1);
  _sk_cli_print_error ("%s", _("Use “channel add”, “channel list” or “channel remove”."));
  return SK_CLI_EXIT_USAGE;
}
