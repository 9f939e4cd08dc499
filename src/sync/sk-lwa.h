/* sk-lwa.h: Login with Amazon, refresh token → access token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Selling Partner API wants a short-lived access token in the
 * x-amz-access-token header. The seller's authorization is a long-lived
 * refresh token, exchanged (with the app's client id and secret) at the
 * Login with Amazon token endpoint. SkLwaClient does that exchange, keeps
 * the access token in memory and renews it a minute before it expires.
 * Concurrent requests for a token share one exchange. Nothing here is ever
 * logged or written to disk.
 */
#pragma once

#include "sk-http.h"
#include "sk-token-client.h"

G_BEGIN_DECLS

#define SK_LWA_TOKEN_URL "https://api.amazon.com/auth/o2/token"
/* Renew this many seconds before expiry (at most half the lifetime). */
#define SK_LWA_REFRESH_MARGIN 60

/* The channel's secret, stored in the keyring as a JSON object
 * {"client_id": …, "client_secret": …, "refresh_token": …}. */
typedef struct {
  char *client_id;
  char *client_secret;
  char *refresh_token;
} SkLwaCredentials;

/* NULL and SK_SYNC_ERROR_NO_CREDENTIALS (a sentence that names what is
 * missing, never a value) when @secret is not such an object. */
SkLwaCredentials *sk_lwa_credentials_parse (const char             *secret,
                                            GError                **error);
/* {"client_id":…,"client_secret":…,"refresh_token":…}, for storing. */
char             *sk_lwa_credentials_to_secret (const SkLwaCredentials *credentials);
gboolean          sk_lwa_credentials_equal (const SkLwaCredentials *a,
                                            const SkLwaCredentials *b);
/* Overwrites the strings before freeing them. */
void              sk_lwa_credentials_free  (SkLwaCredentials       *credentials);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkLwaCredentials, sk_lwa_credentials_free)

#define SK_TYPE_LWA_CLIENT (sk_lwa_client_get_type ())
G_DECLARE_FINAL_TYPE (SkLwaClient, sk_lwa_client, SK, LWA_CLIENT, SkTokenClient)

SkLwaClient *sk_lwa_client_new           (SkHttp                 *http);
/* The client every user of this seller's authorization shares (the
 * connector, the pusher): one per @http, token URL (NULL: Amazon's) and
 * client id. Configure it before use. */
SkLwaClient *sk_lwa_client_get_shared    (SkHttp                 *http,
                                          const char             *token_url,
                                          const char             *client_id);
/* Where and with what to ask; @seller names the account in messages. A
 * change of URL or credentials forgets the cached token. */
void         sk_lwa_client_configure     (SkLwaClient            *self,
                                          const char             *token_url,
                                          const SkLwaCredentials *credentials,
                                          const char             *seller);
/* A valid access token: the cached one while it has more than the margin
 * left (by sk_time_now()), else a new one. Errors: SK_SYNC_ERROR_AUTH when
 * Amazon refuses the refresh token or the client (400 invalid_grant,
 * invalid_client, unauthorized_client; any 401), _NO_CREDENTIALS when not
 * configured, _RATE_LIMITED, _SERVER, _REFUSED, _BAD_RESPONSE, and the
 * transport errors of SkHttp. */
void         sk_lwa_client_get_token_async  (SkLwaClient         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char        *sk_lwa_client_get_token_finish (SkLwaClient         *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* The API refused @token (expired, revoked): forget it if it is still the
 * cached one, so the next request asks for a new one. */
void         sk_lwa_client_invalidate    (SkLwaClient            *self,
                                          const char             *token);
/* Unix time the cached token expires, 0 when there is none. */
gint64       sk_lwa_client_get_expires_at (SkLwaClient           *self);
/* A copy of @text with the client id and secret, the refresh token and
 * the access tokens replaced by "…". */
char        *sk_lwa_client_scrub         (SkLwaClient            *self,
                                          const char             *text);

G_END_DECLS
