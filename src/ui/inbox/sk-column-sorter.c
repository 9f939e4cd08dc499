/* sk-column-sorter.c: which column the inbox is sorted by, without sorting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-inbox"

#include "config.h"

#include "sk-column-sorter.h"

struct _SkColumnSorter
{
  GtkSorter parent_instance;

  int key;
};

G_DEFINE_FINAL_TYPE (SkColumnSorter, sk_column_sorter, GTK_TYPE_SORTER)

static GQuark
probe_quark (void)
{
  return g_quark_from_static_string ("sk-column-sorter-probe");
}

/* Only probe objects are ever compared: they carry a slot where the first
 * (primary) sorter consulted writes its key. Real orders are never sorted
 * here, so anything else compares equal. */
static GtkOrdering
sk_column_sorter_compare (GtkSorter *sorter,
                          gpointer   item1,
                          gpointer   item2)
{
  SkColumnSorter *self = SK_COLUMN_SORTER (sorter);
  int *slot = g_object_get_qdata (item1, probe_quark ());

  if (slot == NULL)
    return GTK_ORDERING_EQUAL;
  if (*slot < 0)
    *slot = self->key;
  return GTK_ORDERING_SMALLER;
}

static GtkSorterOrder
sk_column_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
sk_column_sorter_class_init (SkColumnSorterClass *klass)
{
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  sorter_class->compare = sk_column_sorter_compare;
  sorter_class->get_order = sk_column_sorter_get_order;
}

static void
sk_column_sorter_init (SkColumnSorter *self)
{
}

GtkSorter *
sk_column_sorter_new (int key)
{
  SkColumnSorter *self = g_object_new (SK_TYPE_COLUMN_SORTER, NULL);

  self->key = key;
  return GTK_SORTER (self);
}

int
sk_column_sorter_get_key (SkColumnSorter *self)
{
  g_return_val_if_fail (SK_IS_COLUMN_SORTER (self), -1);

  return self->key;
}

gboolean
sk_column_sorter_probe (GtkSorter *column_view_sorter,
                        int       *out_key,
                        gboolean  *out_descending)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  int slot = -1;
  GtkOrdering order;

  g_return_val_if_fail (GTK_IS_SORTER (column_view_sorter), FALSE);

  g_object_set_qdata (a, probe_quark (), &slot);
  g_object_set_qdata (b, probe_quark (), &slot);
  order = gtk_sorter_compare (column_view_sorter, a, b);

  if (order == GTK_ORDERING_EQUAL || slot < 0)
    return FALSE;
  if (out_key != NULL)
    *out_key = slot;
  if (out_descending != NULL)
    *out_descending = order == GTK_ORDERING_LARGER;
  return TRUE;
}
