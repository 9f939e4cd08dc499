/* sk-secrets.h: channel credentials in the Secret Service (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Secrets are stored under the schema "io.github.storekeep.Storekeep.Channel"
 * with attributes kind, account and ref (SkChannelRecord.secret_ref). They
 * never reach the database, a log, or an error message.
 */
#pragma once

#include <gio/gio.h>

#include "sk-store-channels.h"

G_BEGIN_DECLS

gboolean  sk_secrets_store        (const SkChannelRecord *record,
                                   const char            *secret,
                                   GCancellable          *cancellable,
                                   GError               **error);
/* NULL with SK_SYNC_ERROR_NO_CREDENTIALS when nothing is stored. */
char     *sk_secrets_lookup       (const SkChannelRecord *record,
                                   GCancellable          *cancellable,
                                   GError               **error);
gboolean  sk_secrets_clear        (const SkChannelRecord *record,
                                   GCancellable          *cancellable,
                                   GError               **error);

G_END_DECLS
