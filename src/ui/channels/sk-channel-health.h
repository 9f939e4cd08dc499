/* sk-channel-health.h: what the Channels page says about a channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain functions (no widgets) that turn a channel's health into icons and
 * sentences, so tests check the words without a display.
 */
#pragma once

#include "sk-channel.h"

G_BEGIN_DECLS

/* A symbolic icon for @state. */
const char *sk_channel_state_icon_name       (SkChannelState  state);
/* A CSS class for the icon ("success", "warning", "error") or NULL. */
const char *sk_channel_state_style_class     (SkChannelState  state);
/* "Up to date", "Syncing…", "Failing, will retry", … */
const char *sk_channel_state_label           (SkChannelState  state);
/* "Shopify" for "shopify", "WooCommerce", "Amazon", "CSV import" for "csv". */
const char *sk_channel_kind_label            (const char     *kind);

/* "Never", "Just now", "2 minutes ago", "3 hours ago", "Yesterday",
 * "12 March 2024". @then and @now are Unix seconds; @then 0 is never. */
char       *sk_format_relative_time          (gint64          then,
                                              gint64          now);

/* "Page 3 · 150 orders" / "Page 3 · 150 of 1,200 orders"; NULL when
 * nothing was received yet. */
char       *sk_channel_progress_text         (const SkSyncProgress *progress);
/* 0..1, or -1 when the total is not known. */
double      sk_channel_progress_fraction     (const SkSyncProgress *progress);

/* One line under the channel's name: the state, and why. */
char       *sk_channel_health_summary        (SkChannel      *channel,
                                              gint64          now);

/* Failing, needing attention, or with open dead letters. */
gboolean    sk_channel_has_problem           (SkChannel      *channel);

/* @text (JSON, possibly invalid or truncated) re-indented two spaces per
 * level, without parsing numbers: what the channel sent, digit for digit.
 * Invalid UTF-8 is replaced. */
char       *sk_json_reindent                 (const char     *text,
                                              gsize           len);

G_END_DECLS
