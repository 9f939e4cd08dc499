/* sk-window.h: the main window: inbox and channels under one header bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"
#include "sk-inbox-view.h"

G_BEGIN_DECLS

#define SK_TYPE_WINDOW (sk_window_get_type ())
G_DECLARE_FINAL_TYPE (SkWindow, sk_window, SK, WINDOW, AdwApplicationWindow)

/* @app may be NULL (tests). */
SkWindow    *sk_window_new            (GtkApplication *app,
                                       SkContext      *context);
SkContext   *sk_window_get_context    (SkWindow       *self);
SkInboxView *sk_window_get_inbox_view (SkWindow       *self);
/* The Channels page, or NULL when this build has none. */
GtkWidget   *sk_window_get_channels_view (SkWindow    *self);
/* "inbox" or "channels". */
void         sk_window_show_view      (SkWindow       *self,
                                       const char     *name);
const char  *sk_window_get_view       (SkWindow       *self);
/* Switch to the Channels page and show that channel's health. */
void         sk_window_show_channel   (SkWindow       *self,
                                       gint64          channel_id);
void         sk_window_add_toast      (SkWindow       *self,
                                       AdwToast       *toast);

G_END_DECLS
