/* sk-cli.h: the headless command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   storekeep [--profile=DIR] channel add shopify --domain=SHOP [--client-id=ID]
 *             [--token-env=VAR]
 *   storekeep [--profile=DIR] channel add woocommerce --site=URL
 *             [--key-env=VAR --secret-env=VAR]
 *   storekeep [--profile=DIR] channel add amazon --seller-id=ID
 *             --marketplace=ID[,ID…] [--region=na|eu|fe] --client-id=ID
 *             [--client-secret-env=VAR --refresh-token-env=VAR] [--lwa-url=URL]
 *             (every kind: [--name=NAME] [--base-url=URL] [--no-test]; secrets
 *             come from the variables named, else from standard input, never
 *             from the command line; see sk-cli-channel.c)
 *   storekeep [--profile=DIR] channel list [--json] | channel remove ID [--delete-orders]
 *   storekeep [--profile=DIR] import csv FILE --source=NAME [--mapping=FILE.json] [--json]
 *   storekeep [--profile=DIR] sync [--channel=ID]
 *   storekeep [--profile=DIR] orders [--search=TEXT] [--limit=N] [--channel=ID]
 *   storekeep [--profile=DIR] health [--json]
 *   storekeep demo [--orders=N] [--seed=N]   headless sync of the demo shop
 *   storekeep --version
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when argv names a headless subcommand. */
gboolean sk_cli_is_headless (int argc, char *argv[]);
int      sk_cli_main        (int argc, char *argv[]);

/* Default profile directory: $XDG_DATA_HOME/storekeep/default. */
char    *sk_cli_default_profile_dir (void);

G_END_DECLS
