/* sk-channel-section.h: one channel on the Channels page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Name, kind and account; state with an icon; last successful sync; last
 * error and failures in a row; progress of a running sync; the open dead
 * letters. Actions "channel.sync", "channel.toggle-pause", "channel.edit",
 * "channel.remove", "channel.dismiss-letter" (x: letter id), and for a
 * CSV source (kind "csv"), which has no remote to sync, pause or edit,
 * "channel.import" (Import File…) instead of the first three. Shipments
 * waiting for the channel, and those it refused with its words and
 * "channel.retry-outbox" (x: outbox row id), under "Shipments Not Sent".
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"

G_BEGIN_DECLS

#define SK_TYPE_CHANNEL_SECTION (sk_channel_section_get_type ())
G_DECLARE_FINAL_TYPE (SkChannelSection, sk_channel_section, SK, CHANNEL_SECTION, GtkWidget)

GtkWidget *sk_channel_section_new              (SkContext        *ctx,
                                                SkChannel        *channel);
SkChannel *sk_channel_section_get_channel      (SkChannelSection *self);
gint64     sk_channel_section_get_channel_id   (SkChannelSection *self);
/* Re-read what @flags (SkStoreChangeFlags) says changed. */
void       sk_channel_section_refresh          (SkChannelSection *self,
                                                guint             flags);
/* The once-a-minute tick for "2 minutes ago". */
void       sk_channel_section_update_times     (SkChannelSection *self);
/* Expand the dead letters and refused shipments (when there are any). */
void       sk_channel_section_reveal           (SkChannelSection *self);
/* Rows of the open dead letters shown now (SkDeadLetterRow). */
GList     *sk_channel_section_get_letter_rows  (SkChannelSection *self);

G_END_DECLS
