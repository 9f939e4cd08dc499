/* sk-shopify-request.h: Admin API requests with a Shopify channel's
 * credentials, for the catalog pull and the pushers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A Shopify channel's secret is a plain access token or the JSON object of
 * a Dev Dashboard app's client ID and secret (sk-shopify-auth.h). These
 * helpers read it the way the connector does: a plain token goes out as
 * it is in X-Shopify-Access-Token; app credentials configure an
 * SkShopifyTokenClient, every request first takes an access token from it,
 * and a request refused with 401 makes it ask for a new token once and is
 * sent again. The raw secret never goes out as a header.
 */
#pragma once

#include "sk-http.h"
#include "sk-shopify-auth.h"
#include "sk-store-channels.h"

G_BEGIN_DECLS

/* "https://acme.myshopify.com" for @record: its base URL, else https:// +
 * account, without trailing slashes. */
char          *sk_shopify_record_base_url    (const SkChannelRecord *record);
/* base URL + "/admin/api/VERSION/" + @endpoint [+ "?" + @query]. */
char          *sk_shopify_record_api_url     (const SkChannelRecord *record,
                                              const char            *endpoint,
                                              const char            *query);
/* The shop as people know it: account, else base URL, else name. */
const char    *sk_shopify_record_shop_name   (const SkChannelRecord *record);

/* Shopify's leaky bucket (40 requests, 2 a second), fed by the
 * X-Shopify-Shop-Api-Call-Limit header of every answer. */
SkRateLimiter *sk_shopify_rate_limiter_new   (void);

/* The page_info of the Link header's rel="next", or NULL on the last
 * page. */
char          *sk_shopify_next_page_info     (SkHttpResponse *response);

/* Read @secret for @record. A plain access token: a copy in
 * *@out_plain_token. App credentials: *@inout_client becomes the token
 * client shared by every user of the app on this shop (see
 * sk_shopify_token_client_get_shared()), configured for them and the token
 * URL of the record's base URL, and *@out_plain_token is NULL. FALSE with
 * SK_SYNC_ERROR_NO_CREDENTIALS (a sentence, never a value) when there is
 * neither. */
gboolean       sk_shopify_prepare_auth       (SkHttp                 *http,
                                              const SkChannelRecord  *record,
                                              const char             *secret,
                                              SkShopifyTokenClient  **inout_client,
                                              char                  **out_plain_token,
                                              GError                **error);

/* Send @method @url (@body as JSON, may be NULL) with @plain_token, or,
 * when it is NULL, with an access token of @client; a 401 on an app's
 * token invalidates it and the request goes again once with a new one.
 * Any final HTTP status is a success of this call (as sk_http_send_async);
 * errors are the transport's and the token client's (SK_SYNC_ERROR_AUTH
 * when Shopify refuses the client ID and secret, ...). */
void            sk_shopify_send_async        (SkHttp               *http,
                                              SkShopifyTokenClient *client,
                                              const char           *plain_token,
                                              SkRateLimiter        *limiter,
                                              const char           *method,
                                              const char           *url,
                                              GBytes               *body,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
SkHttpResponse *sk_shopify_send_finish       (GAsyncResult         *result,
                                              GError              **error);

/* A copy of @text with @secret, @plain_token and what @client knows (its
 * client secret, its tokens) replaced by "…"; any of them may be NULL. */
char           *sk_shopify_scrub             (const char           *text,
                                              const char           *secret,
                                              const char           *plain_token,
                                              SkShopifyTokenClient *client);

G_END_DECLS
