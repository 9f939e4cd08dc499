/* main.c: gettext, then run Storekeep: headless subcommands or the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sk-cli.h"
#if HAVE_GUI
#include "sk-application.h"
#endif

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

#if HAVE_GUI
  if (!sk_cli_is_headless (argc, argv))
    return sk_application_run_main (argc, argv);
#endif
  return sk_cli_main (argc, argv);
}
