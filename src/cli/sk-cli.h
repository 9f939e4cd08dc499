/* sk-cli.h: the headless command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   storekeep [--profile=DIR] channel add shopify --domain=SHOP [--name=NAME]
 *             [--base-url=URL] [--token-env=VAR]   (else the token is read
 *             from standard input; never from the command line)
 *   storekeep [--profile=DIR] channel list | channel remove ID [--delete-orders]
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
