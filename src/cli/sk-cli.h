/* sk-cli.h: the headless command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int sk_cli_main (int argc, char *argv[]);

G_END_DECLS
