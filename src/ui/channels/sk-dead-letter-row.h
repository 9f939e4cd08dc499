/* sk-dead-letter-row.h: one payload that could not be imported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the reason, the external id, when it was first seen and how many
 * attempts failed, with "Show Payload" (the raw JSON, read-only and
 * selectable, with Copy), "Retry" (activates "channel.sync") and "Dismiss"
 * (activates "channel.dismiss-letter" with the letter id, "x"): the
 * enclosing channel section implements those two.
 */
#pragma once

#include <adwaita.h>

#include "sk-store-problems.h"

G_BEGIN_DECLS

#define SK_TYPE_DEAD_LETTER_ROW (sk_dead_letter_row_get_type ())
G_DECLARE_FINAL_TYPE (SkDeadLetterRow, sk_dead_letter_row, SK, DEAD_LETTER_ROW, GtkListBoxRow)

GtkWidget  *sk_dead_letter_row_new           (const SkDeadLetterRecord *letter);
gint64      sk_dead_letter_row_get_letter_id (SkDeadLetterRow *self);
const char *sk_dead_letter_row_get_reason    (SkDeadLetterRow *self);
/* Refresh the "first seen" words. */
void        sk_dead_letter_row_update_times  (SkDeadLetterRow *self,
                                              gint64           now);
/* Reveal or hide the payload (what the Show Payload button does). */
void        sk_dead_letter_row_show_payload  (SkDeadLetterRow *self,
                                              gboolean         show);

G_END_DECLS
