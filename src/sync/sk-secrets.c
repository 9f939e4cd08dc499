/* sk-secrets.c: channel credentials in the Secret Service (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "sk-error.h"
#include "sk-secrets.h"

static const SecretSchema *
channel_schema (void)
{
  static const SecretSchema schema = {
    "io.github.storekeep.Storekeep.Channel", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "ref", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

static const char *
account_of (const SkChannelRecord *record)
{
  if (record->account != NULL && *record->account != '\0')
    return record->account;
  return or_empty (record->name);
}

/* Foreign errors (D-Bus, libsecret) into sentences; never the secret. */
static void
convert_error (GError                *foreign,
               const SkChannelRecord *record,
               GError               **error)
{
  if (g_error_matches (foreign, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, foreign);
      return;
    }

  g_debug ("Secret Service error for %s: %s", account_of (record), foreign->message);

  if (foreign->domain == G_DBUS_ERROR &&
      (foreign->code == G_DBUS_ERROR_SERVICE_UNKNOWN ||
       foreign->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER ||
       foreign->code == G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND ||
       foreign->code == G_DBUS_ERROR_SPAWN_EXEC_FAILED))
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                 _("Storekeep could not reach a keyring to keep the credentials of %s. Install and start a Secret Service keyring (such as GNOME Keyring), then enter them again."),
                 account_of (record));
  else if (foreign->domain == G_IO_ERROR && foreign->code == G_IO_ERROR_DBUS_ERROR)
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                 _("Storekeep could not reach a keyring to keep the credentials of %s. Install and start a Secret Service keyring (such as GNOME Keyring), then enter them again."),
                 account_of (record));
  else if (foreign->domain == SECRET_ERROR && foreign->code == SECRET_ERROR_IS_LOCKED)
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                 _("The keyring that holds the credentials of %s is locked. Unlock it (for example by logging in again), then sync again."),
                 account_of (record));
  else
    g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                 _("Storekeep could not use the keyring for the credentials of %s. Unlock the keyring, or enter them again with Edit Connection in Channels."),
                 account_of (record));
  g_error_free (foreign);
}

gboolean
sk_secrets_store (const SkChannelRecord  *record,
                  const char             *secret,
                  GCancellable           *cancellable,
                  GError                **error)
{
  g_autofree char *label = NULL;
  GError *local = NULL;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  /* Translators: the label of the token in the keyring, e.g.
   * "Storekeep: acme.myshopify.com". */
  label = g_strdup_printf (_("Storekeep: %s"), account_of (record));
  if (!secret_password_store_sync (channel_schema (), SECRET_COLLECTION_DEFAULT, label,
                                   secret, cancellable, &local,
                                   "kind", or_empty (record->kind),
                                   "account", account_of (record),
                                   "ref", or_empty (record->secret_ref),
                                   NULL))
    {
      convert_error (local, record, error);
      return FALSE;
    }
  return TRUE;
}

char *
sk_secrets_lookup (const SkChannelRecord  *record,
                   GCancellable           *cancellable,
                   GError                **error)
{
  GError *local = NULL;
  char *secret;

  g_return_val_if_fail (record != NULL, NULL);

  secret = secret_password_lookup_sync (channel_schema (), cancellable, &local,
                                        "kind", or_empty (record->kind),
                                        "account", account_of (record),
                                        "ref", or_empty (record->secret_ref),
                                        NULL);
  if (local != NULL)
    {
      convert_error (local, record, error);
      return NULL;
    }
  if (secret == NULL)
    {
      g_set_error (error, SK_SYNC_ERROR, SK_SYNC_ERROR_NO_CREDENTIALS,
                   _("No credentials are stored for %s. Enter them again with Edit Connection in Channels."),
                   account_of (record));
      return NULL;
    }
  return secret;
}

gboolean
sk_secrets_clear (const SkChannelRecord  *record,
                  GCancellable           *cancellable,
                  GError                **error)
{
  GError *local = NULL;

  g_return_val_if_fail (record != NULL, FALSE);

  secret_password_clear_sync (channel_schema (), cancellable, &local,
                              "kind", or_empty (record->kind),
                              "account", account_of (record),
                              "ref", or_empty (record->secret_ref),
                              NULL);
  if (local != NULL)
    {
      convert_error (local, record, error);
      return FALSE;
    }
  return TRUE;
}
