/* sk-unmatched-queue.h: channel listings waiting to be matched to a SKU
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The listings of every channel whose SKU text or barcode matched no
 * master SKU. Each has "Match to SKU…" (search the SKUs, pick one) and
 * "Ignore" (not stock: never matched, never sent a number). Both say so
 * in a toast with Undo (the listing goes back into the queue). Storekeep
 * sends a channel no stock for a listing until it is matched.
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"

G_BEGIN_DECLS

#define SK_TYPE_UNMATCHED_QUEUE (sk_unmatched_queue_get_type ())
G_DECLARE_FINAL_TYPE (SkUnmatchedQueue, sk_unmatched_queue, SK, UNMATCHED_QUEUE, AdwBin)

void       sk_unmatched_queue_set_context    (SkUnmatchedQueue *self,
                                              SkContext        *context);
/* Read the queue again (also done when the store changes). */
void       sk_unmatched_queue_reload         (SkUnmatchedQueue *self);
guint      sk_unmatched_queue_get_n_listings (SkUnmatchedQueue *self);
/* The listing ids shown, in order (gint64). */
GArray    *sk_unmatched_queue_get_listing_ids (SkUnmatchedQueue *self);
/* Open the "Match to SKU…" popover of a listing with @search typed;
 * returns the popover, or NULL when the listing is not in the queue. */
GtkWidget *sk_unmatched_queue_open_match     (SkUnmatchedQueue *self,
                                              gint64            listing_id,
                                              const char       *search);
/* What picking a SKU in that popover does. */
gboolean   sk_unmatched_queue_match          (SkUnmatchedQueue *self,
                                              gint64            listing_id,
                                              gint64            sku_id);
/* What the Ignore button does. */
gboolean   sk_unmatched_queue_ignore         (SkUnmatchedQueue *self,
                                              gint64            listing_id);
/* The last toast, for tests; NULL before any. */
AdwToast  *sk_unmatched_queue_get_last_toast (SkUnmatchedQueue *self);

G_END_DECLS
