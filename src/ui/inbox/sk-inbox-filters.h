/* sk-inbox-filters.h: the filter popover of the order inbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sk-inbox-logic.h"
#include "sk-order-list.h"

G_BEGIN_DECLS

#define SK_TYPE_INBOX_FILTERS (sk_inbox_filters_get_type ())
G_DECLARE_FINAL_TYPE (SkInboxFilters, sk_inbox_filters, SK, INBOX_FILTERS, GtkPopover)

GtkWidget    *sk_inbox_filters_new                    (void);
/* The channels to offer: an array of SkChannelRecord. */
void          sk_inbox_filters_set_channels           (SkInboxFilters *self,
                                                       GPtrArray      *records);
/* Back to "everything", emitting ::changed once. */
void          sk_inbox_filters_reset                  (SkInboxFilters *self);
/* How many filters differ from "everything" (for the button's badge). */
guint         sk_inbox_filters_get_active_count       (SkInboxFilters *self);
/* Push the chosen filters into @list (inside one freeze/thaw). */
void          sk_inbox_filters_apply                  (SkInboxFilters *self,
                                                       SkOrderList    *list);

gint64        sk_inbox_filters_get_channel_id         (SkInboxFilters *self);
int           sk_inbox_filters_get_payment_status     (SkInboxFilters *self);
int           sk_inbox_filters_get_fulfillment_status (SkInboxFilters *self);
gboolean      sk_inbox_filters_get_only_on_hold       (SkInboxFilters *self);
gboolean      sk_inbox_filters_get_show_archived      (SkInboxFilters *self);
SkDatePreset  sk_inbox_filters_get_date_preset        (SkInboxFilters *self);

void          sk_inbox_filters_set_only_on_hold       (SkInboxFilters *self,
                                                       gboolean        only_on_hold);
void          sk_inbox_filters_set_show_archived      (SkInboxFilters *self,
                                                       gboolean        show_archived);
void          sk_inbox_filters_set_date_preset        (SkInboxFilters *self,
                                                       SkDatePreset    preset);

/* Signal "changed": the user changed a filter. */

G_END_DECLS
