/* sk-shopify-auth.h: a Dev Dashboard app's client ID and secret → an
 * Admin API access token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Shopify channel's secret in the keyring is one of two things:
 *
 *  - a plain Admin API access token ("shpat_…") of a custom app created in
 *    the Shopify admin before 2026, sent as it is;
 *  - the JSON object {"client_id": …, "client_secret": …} of an app created
 *    in Shopify's Dev Dashboard. Such an app gets its access token with the
 *    OAuth client credentials grant:
 *
 *      POST {base}/admin/oauth/access_token
 *      Content-Type: application/x-www-form-urlencoded
 *      grant_type=client_credentials&client_id=…&client_secret=…
 *      → 200 {"access_token": "shpat_…", "scope": "read_orders,…",
 *             "expires_in": 86399}
 *
 *    A refusal is a 400 or 401 with {"error": "invalid_client",
 *    "error_description": …} or Shopify's {"errors": …}.
 *
 * SkShopifyTokenClient does that exchange, keeps the access token in memory
 * only (never on disk, never logged) and asks for a new one a few minutes
 * before it expires. Concurrent requests for a token share one exchange.
 */
#pragma once

#include "sk-http.h"
#include "sk-token-client.h"

G_BEGIN_DECLS

#define SK_SHOPIFY_TOKEN_PATH "/admin/oauth/access_token"
/* Renew this many seconds before expiry (at most half the lifetime). */
#define SK_SHOPIFY_REFRESH_MARGIN 300
/* Lifetime assumed when the answer has no expires_in: Shopify's 24 hours. */
#define SK_SHOPIFY_DEFAULT_LIFETIME 86399

typedef struct {
  char *client_id;
  char *client_secret;
} SkShopifyAppCredentials;

/* TRUE when @secret holds app credentials (a JSON object) rather than a
 * plain access token. Looks only at the first character that is not
 * blank: access tokens never start with "{". */
gboolean                 sk_shopify_secret_is_app_credentials (const char *secret);
/* NULL and SK_SYNC_ERROR_NO_CREDENTIALS (a sentence that names what is
 * missing, never a value) when @secret is not such an object. Both values
 * are trimmed. */
SkShopifyAppCredentials *sk_shopify_app_credentials_parse     (const char  *secret,
                                                               GError     **error);
/* {"client_id":…,"client_secret":…}, for the keyring. */
char                    *sk_shopify_app_credentials_to_secret (const char *client_id,
                                                               const char *client_secret);
gboolean                 sk_shopify_app_credentials_equal     (const SkShopifyAppCredentials *a,
                                                               const SkShopifyAppCredentials *b);
/* Overwrites the strings before freeing them. */
void                     sk_shopify_app_credentials_free      (SkShopifyAppCredentials *credentials);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkShopifyAppCredentials, sk_shopify_app_credentials_free)

/* "https://acme.myshopify.com" (trailing slashes allowed) →
 * "https://acme.myshopify.com/admin/oauth/access_token". */
char                    *sk_shopify_token_url                 (const char *base_url);

/* Shopify's own words in an error answer: {"errors": …} (a text, a list,
 * or {"field": ["is invalid"]}), else "error_description", else "error".
 * At most about 300 characters; NULL when there are none. Not scrubbed. */
char                    *sk_shopify_error_text                (GBytes     *body);

#define SK_TYPE_SHOPIFY_TOKEN_CLIENT (sk_shopify_token_client_get_type ())
G_DECLARE_FINAL_TYPE (SkShopifyTokenClient, sk_shopify_token_client, SK, SHOPIFY_TOKEN_CLIENT, SkTokenClient)

SkShopifyTokenClient *sk_shopify_token_client_new            (SkHttp                        *http);
/* The client every user of this app on this shop shares (the connector,
 * the catalog pull, the pushers): one per @http, @token_url and
 * @client_id. Configure it before use. */
SkShopifyTokenClient *sk_shopify_token_client_get_shared     (SkHttp                        *http,
                                                              const char                    *token_url,
                                                              const char                    *client_id);
/* Where and with what to ask; @shop names the shop in messages. A change
 * of URL or credentials forgets the cached token (and drops an answer
 * still on its way for the old ones). NULL @credentials: nothing to ask
 * with. */
void                  sk_shopify_token_client_configure      (SkShopifyTokenClient          *self,
                                                              const char                    *token_url,
                                                              const SkShopifyAppCredentials *credentials,
                                                              const char                    *shop);
/* A valid access token: the cached one while it has more than the margin
 * left (by sk_time_now()), else a new one. Errors: SK_SYNC_ERROR_AUTH when
 * Shopify refuses the client ID and secret (400, 401, 403), _NOT_FOUND
 * (404, redirects), _RATE_LIMITED, _SERVER, _REFUSED, _BAD_RESPONSE,
 * _NO_CREDENTIALS when not configured, and the transport errors of SkHttp
 * (_INSECURE_URL for plain http off loopback). Messages never contain the
 * secret or a token. */
void                  sk_shopify_token_client_get_token_async  (SkShopifyTokenClient *self,
                                                                GCancellable         *cancellable,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
char                 *sk_shopify_token_client_get_token_finish (SkShopifyTokenClient *self,
                                                                GAsyncResult         *result,
                                                                GError              **error);
/* The API refused @token: forget it if it is still the cached one, so the
 * next request asks for a new one. */
void                  sk_shopify_token_client_invalidate     (SkShopifyTokenClient          *self,
                                                              const char                    *token);
/* Unix time the cached token expires; 0 when there is none. */
gint64                sk_shopify_token_client_get_expires_at (SkShopifyTokenClient          *self);
/* The scopes Shopify granted with the cached token ("read_orders,…"), or
 * NULL when there is no token or Shopify did not say. */
const char           *sk_shopify_token_client_get_scope      (SkShopifyTokenClient          *self);
/* TRUE when @scope (comma-separated) lets the app read orders:
 * read_orders, or write_orders, which includes reading. */
gboolean              sk_shopify_scope_allows_orders         (const char                    *scope);
/* A copy of @text with the client secret (also URL-encoded) and the access
 * tokens replaced by "…". */
char                 *sk_shopify_token_client_scrub          (SkShopifyTokenClient          *self,
                                                              const char                    *text);

G_END_DECLS
