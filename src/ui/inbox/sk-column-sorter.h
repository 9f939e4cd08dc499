/* sk-column-sorter.h: which column the inbox is sorted by, without sorting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order list sorts in SQL, so GTK must never sort it. Each sortable
 * column gets an SkColumnSorter carrying a key; clicking a header changes
 * the column view's sorter, and sk_column_sorter_probe() asks that sorter
 * which key is primary and in which direction (GTK 4.8 has no public
 * getter for it: gtk_column_view_sorter_get_primary_sort_column is 4.10).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SK_TYPE_COLUMN_SORTER (sk_column_sorter_get_type ())
G_DECLARE_FINAL_TYPE (SkColumnSorter, sk_column_sorter, SK, COLUMN_SORTER, GtkSorter)

GtkSorter *sk_column_sorter_new     (int        key);
int        sk_column_sorter_get_key (SkColumnSorter *self);

/* Ask @column_view_sorter (gtk_column_view_get_sorter) for its primary
 * column: TRUE with its key and direction, FALSE when unsorted. */
gboolean   sk_column_sorter_probe   (GtkSorter *column_view_sorter,
                                     int       *out_key,
                                     gboolean  *out_descending);

G_END_DECLS
