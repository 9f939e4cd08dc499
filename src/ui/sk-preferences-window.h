/* sk-preferences-window.h: Storekeep's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How often channels are checked for orders (the "sync-interval" setting,
 * which SkContext applies to the sync manager at once).
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"

G_BEGIN_DECLS

#define SK_TYPE_PREFERENCES_WINDOW (sk_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SkPreferencesWindow, sk_preferences_window, SK, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @parent may be NULL. */
GtkWidget *sk_preferences_window_new (GtkWindow *parent,
                                      SkContext *context);

/* The intervals offered, seconds, in the order shown; @n_out gets their
 * count. */
const guint *sk_preferences_sync_intervals (guint *n_out);
/* The position of the offered interval nearest to @seconds. */
guint        sk_preferences_sync_interval_index (guint seconds);

G_END_DECLS
