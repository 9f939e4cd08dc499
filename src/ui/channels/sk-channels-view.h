/* sk-channels-view.h: the Channels page — shops, their health, dead letters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists every channel of the sync manager with its state, last successful
 * sync, last error, progress of a running sync and open dead letters, with
 * Sync Now, Pause/Resume, Edit and Remove. Shows an AdwStatusPage ("No Shops
 * Connected") when there is none.
 *
 * Actions (widget action group "channels"):
 *   channels.connect          open the connect-a-shop dialog
 *   channels.sync-all         sync every channel now
 *
 * Property "problem-count" (guint, read-only, notifies on change): channels
 * that fail or need attention plus channels with open dead letters; for a
 * badge on the page's switcher.
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"

G_BEGIN_DECLS

#define SK_TYPE_CHANNELS_VIEW (sk_channels_view_get_type ())
G_DECLARE_FINAL_TYPE (SkChannelsView, sk_channels_view, SK, CHANNELS_VIEW, GtkWidget)

GtkWidget *sk_channels_view_new               (SkContext      *ctx);
SkContext *sk_channels_view_get_context       (SkChannelsView *self);
/* Select the channel, expand its health and dead letters, scroll to it. */
void       sk_channels_view_show_channel      (SkChannelsView *self,
                                               gint64          channel_id);
guint      sk_channels_view_get_problem_count (SkChannelsView *self);

G_END_DECLS
