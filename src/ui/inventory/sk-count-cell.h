/* sk-count-cell.h: a count in the stock list that can be typed over
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a number; a double-click (or sk_count_cell_start_editing(), which
 * the view calls for F2) turns it into an entry with the number selected.
 * Enter or leaving the entry emits "commit" with the text typed; Escape
 * puts the number back and emits nothing.
 *
 * (GtkEditableLabel would do, but GTK 4.8's leaves a main-loop source
 * behind that runs after the label is gone, a critical warning each time
 * a list row is recycled.)
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SK_TYPE_COUNT_CELL (sk_count_cell_get_type ())
G_DECLARE_FINAL_TYPE (SkCountCell, sk_count_cell, SK, COUNT_CELL, GtkWidget)

/* Signal "commit" (const char *text): editing ended with Enter or by
 * leaving the entry, and the text differs from what was shown. */
GtkWidget  *sk_count_cell_new            (void);
/* What is shown (not while editing: the typing is kept). */
void        sk_count_cell_set_text       (SkCountCell *self,
                                          const char  *text);
/* The entry's text while editing, else what is shown. */
const char *sk_count_cell_get_text       (SkCountCell *self);
void        sk_count_cell_set_editable   (SkCountCell *self,
                                          gboolean     editable);
gboolean    sk_count_cell_get_editable   (SkCountCell *self);
gboolean    sk_count_cell_get_editing    (SkCountCell *self);
/* Nothing happens when not editable. */
void        sk_count_cell_start_editing  (SkCountCell *self);
/* Replace what is typed (tests, and a count pasted from elsewhere). */
void        sk_count_cell_set_typed      (SkCountCell *self,
                                          const char  *text);
/* @commit: as Enter; else as Escape. */
void        sk_count_cell_stop_editing   (SkCountCell *self,
                                          gboolean     commit);

G_END_DECLS
