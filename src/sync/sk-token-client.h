/* sk-token-client.h: credentials → a short-lived access token (derivable)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Login with Amazon (SkLwaClient) and a Shopify Dev Dashboard app
 * (SkShopifyTokenClient) have in common: POST a form with the account's
 * credentials to a token URL, read {"access_token", "expires_in"}, keep
 * the token in memory only (never on disk, never logged) and ask for a new
 * one a margin before it expires. Requests that arrive while an exchange
 * runs wait for it (single flight); the exchange runs with the cancellable
 * of the first request, and if that one is cancelled, those still waiting
 * start another. Configuring other credentials or another URL forgets the
 * token and drops an answer still on its way for the old ones.
 *
 * A subclass says what the form holds, how a refusal reads for the shop
 * owner and which further secrets to scrub.
 *
 * One client per account: sk_token_client_get_shared() hands every user
 * (the connector, the catalog pull, the pushers) the same instance for the
 * same token URL and client id, so they share one token and one exchange.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sk-http.h"

G_BEGIN_DECLS

#define SK_TYPE_TOKEN_CLIENT (sk_token_client_get_type ())
G_DECLARE_DERIVABLE_TYPE (SkTokenClient, sk_token_client, SK, TOKEN_CLIENT, GObject)

struct _SkTokenClientClass
{
  GObjectClass parent_class;

  /* Of the form body. */
  const char *content_type;
  /* Lifetime assumed when the grant has no expires_in, seconds. */
  gint64      default_lifetime;
  /* Renew this many seconds before expiry (at most half the lifetime). */
  gint64      refresh_margin;

  /* FALSE when there is nothing to ask with; then missing_error() is the
   * answer to every request. */
  gboolean  (*has_credentials) (SkTokenClient  *self);
  GError   *(*missing_error)   (SkTokenClient  *self);
  /* The form to POST. */
  GBytes   *(*request_body)    (SkTokenClient  *self);
  /* A final answer that is not a success; the base scrubs its message. */
  GError   *(*refusal_error)   (SkTokenClient  *self,
                                SkHttpResponse *response);
  /* A success without a readable grant. */
  GError   *(*unreadable_error)(SkTokenClient  *self);
  /* Optional: the rest of a grant just read (Shopify's scope), and the
   * token forgotten. */
  void      (*grant_read)      (SkTokenClient  *self,
                                JsonObject     *grant);
  void      (*forgotten)       (SkTokenClient  *self);
  /* Optional: replace the subclass's own secrets in @text by "…". */
  void      (*scrub)           (SkTokenClient  *self,
                                GString        *text);

  gpointer padding[4];
};

/* A token client of @type for @http, @token_url and @client_id: the one
 * already in use for them, else a new one (not yet configured). Main
 * thread. */
gpointer    sk_token_client_get_shared        (GType                type,
                                               SkHttp              *http,
                                               const char          *token_url,
                                               const char          *client_id);

SkHttp     *sk_token_client_get_http          (SkTokenClient       *self);
const char *sk_token_client_get_token_url     (SkTokenClient       *self);
/* The account as people know it, for messages ("" when not set). */
const char *sk_token_client_get_account       (SkTokenClient       *self);
/* A valid access token: the cached one while it has more than the margin
 * left (by sk_time_now()), else a new one. */
void        sk_token_client_get_token_async   (SkTokenClient       *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char       *sk_token_client_get_token_finish  (SkTokenClient       *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The API refused @token: forget it if it is still the cached one. */
void        sk_token_client_invalidate        (SkTokenClient       *self,
                                               const char          *token);
/* Unix time the cached token expires, 0 when there is none. */
gint64      sk_token_client_get_expires_at    (SkTokenClient       *self);
/* TRUE while a token is cached. */
gboolean    sk_token_client_has_token         (SkTokenClient       *self);
/* A copy of @text with the subclass's secrets and the access tokens (the
 * current one and the one before) replaced by "…". */
char       *sk_token_client_scrub             (SkTokenClient       *self,
                                               const char          *text);

/* For subclasses: set where to ask and the account's name. TRUE when the
 * URL changed or @credentials_changed: the token is forgotten and an
 * exchange on its way is dropped; the subclass then stores the new
 * credentials. */
gboolean    _sk_token_client_configure        (SkTokenClient       *self,
                                               const char          *token_url,
                                               const char          *account,
                                               gboolean             credentials_changed);

/* Secret hygiene, shared by the connectors */

/* Overwrite *@s with zeros, free it and set it to NULL. */
void        sk_secret_wipe                    (char               **s);
/* The same as a GDestroyNotify for a string. */
void        sk_secret_free                    (gpointer             s);
/* Replace every occurrence of @secret (when not NULL or empty) by "…". */
void        sk_secret_scrub_in                (GString             *text,
                                               const char          *secret);
/* Member @name of @obj as a non-empty string, trimmed; NULL otherwise. */
char       *sk_json_dup_text_member           (JsonObject          *obj,
                                               const char          *name);
/* "a=1&b=2": append @name=@value (escaped) to a form body, wiping the
 * escaped copy. */
void        sk_form_append                    (GString             *body,
                                               const char          *name,
                                               const char          *value);
/* @body as GBytes that are wiped when freed; @body is consumed. */
GBytes     *sk_form_finish                    (GString             *body);

G_END_DECLS
