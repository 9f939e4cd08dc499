/* sk-application.h: the AdwApplication of Storekeep
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SK_TYPE_APPLICATION (sk_application_get_type ())
G_DECLARE_FINAL_TYPE (SkApplication, sk_application, SK, APPLICATION, AdwApplication)

SkApplication *sk_application_new (void);

/* Run the GUI; main.c calls it when no headless subcommand was given. */
int            sk_application_run_main (int argc, char *argv[]);

G_END_DECLS
