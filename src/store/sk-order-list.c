/* sk-order-list.c: a lazy GListModel of SkOrder over the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it pages: rows are ordered by (sort key, id) in the chosen direction.
 * The number of items is a COUNT(*) of the current filter, kept until the
 * filter or the data changes. Rows are fetched in pages of PAGE_SIZE by
 * keyset: a sparse table of anchors holds the key of every BLOCK_SIZE-th row
 * (built on demand, one index scan from the last known anchor), so
 * get_item (p) seeks to anchor[p / BLOCK_SIZE] with a keyset WHERE and skips
 * at most BLOCK_SIZE - PAGE_SIZE rows with OFFSET; a page that follows a
 * cached one seeks right after its last row. A small LRU keeps the last
 * MAX_PAGES pages as row data; an SkOrder is made only for a position that
 * is asked for, and objects handed out are remembered (weakly) so one order
 * is always one SkOrder while anybody holds it. The SQL itself lives in
 * sk-order-list-query.c.
 *
 * How it follows the store: SkStore::changed lists the ids a commit touched.
 * Their old positions are known when they sit in a cached page; their new
 * positions are counts of the rows before their key. Removals are emitted
 * last first, then insertions first first, and while those signals run the
 * model answers from an overlay of the intermediate state, so a handler that
 * reads the model in between sees exactly what the signals so far describe.
 * When the old state cannot be known (an order outside the cache changed in
 * a way the count cannot explain), or the batch is large, one
 * items-changed (0, old, new) replaces everything.
 *
 * One snapshot between signals: the list reads through a reader connection
 * of its own that keeps a read transaction open. The count, the positions
 * it announces and every page it serves until the next change come from
 * that one snapshot, whatever the writer commits meanwhile (reading the
 * newest data instead once made a page disagree with the positions just
 * announced, and a view then held one order twice). On SkStore::changed it
 * moves to the newest snapshot and applies the changes of every commit
 * that snapshot includes beyond the old one (the store numbers commits and
 * keeps the changes not yet signalled), so later signals for commits it
 * has already applied are ignored. Starting over also moves it.
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <string.h>

#include "sk-order-list-private.h"

static void sk_order_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SkOrderList, sk_order_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sk_order_list_model_init))

/* Objects handed out */

static void
live_weak_notify (gpointer  data,
                  GObject  *where_the_object_was)
{
  SkOrderList *self = data;
  gint64 id = sk_order_get_id (SK_ORDER (where_the_object_was));

  if (g_hash_table_lookup (self->live, &id) == (gpointer) where_the_object_was)
    g_hash_table_remove (self->live, &id);
}

static void
remember_live (SkOrderList *self,
               SkOrder     *order)
{
  gint64 id = sk_order_get_id (order);
  SkOrder *known = g_hash_table_lookup (self->live, &id);
  gint64 *key;

  if (known == order)
    return;
  if (known != NULL)
    g_object_weak_unref (G_OBJECT (known), live_weak_notify, self);
  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_replace (self->live, key, order);
  g_object_weak_ref (G_OBJECT (order), live_weak_notify, self);
}

static void
forget_live (SkOrderList *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_object_weak_unref (G_OBJECT (value), live_weak_notify, self);
  g_hash_table_remove_all (self->live);
}

/* A fresh row becomes the object already handed out for it, refreshed. */
static SkOrder *
adopt_row (SkOrderList *self,
           SkOrder     *row)
{
  gint64 id = sk_order_get_id (row);
  SkOrder *known = g_hash_table_lookup (self->live, &id);

  if (known == NULL)
    return row;
  sk_order_update_from (known, row);
  g_object_unref (row);
  return g_object_ref (known);
}

/* Pages and anchors */

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_array_unref (page->rows);
  g_string_chunk_free (page->strings);
  g_free (page);
}

static void
drop_page (SkOrderList *self,
           Page        *page)
{
  g_queue_delete_link (&self->lru, page->link);
  g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
}

/* Forget every page that holds a position at or after @position, and the
 * anchors from there on. */
static void
invalidate_from (SkOrderList *self,
                 guint        position)
{
  GHashTableIter iter;
  gpointer value;
  guint keep_anchors;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      if ((guint64) page->index * PAGE_SIZE + PAGE_SIZE > position)
        {
          g_queue_delete_link (&self->lru, page->link);
          g_hash_table_iter_remove (&iter);
        }
    }

  keep_anchors = MAX (1, (position + BLOCK_SIZE - 1) / BLOCK_SIZE);
  if (self->anchors->len > keep_anchors)
    g_array_set_size (self->anchors, keep_anchors);
}

static void
invalidate_all (SkOrderList *self)
{
  invalidate_from (self, 0);
}

static void
collect_anchor (SkOrderList  *self,
                sqlite3_stmt *stmt,
                gpointer      data)
{
  guint *seen = data;

  if (*seen % BLOCK_SIZE == 0)
    {
      Key key;

      _sk_order_list_key_from_stmt (stmt, &key);
      g_array_append_val (self->anchors, key);
    }
  (*seen)++;
}

/* Make anchors[j] known, scanning from the last known one. */
static gboolean
ensure_anchor (SkOrderList  *self,
               guint         j,
               GError      **error)
{
  guint last = self->anchors->len - 1;
  guint seen = 0;

  if (j <= last)
    return TRUE;
  return _sk_order_list_fetch_rows (self,
                     last > 0 ? &g_array_index (self->anchors, Key, last) : NULL,
                     KEY_AT_OR_AFTER, BLOCK_SIZE, (j - last - 1) * BLOCK_SIZE + 1,
                     TRUE, collect_anchor, &seen, error);
}

static void
collect_row (SkOrderList  *self,
             sqlite3_stmt *stmt,
             gpointer      data)
{
  Page *page = data;
  RowData r;

  _sk_order_list_row_from_stmt (&r, page->strings, stmt);
  g_array_append_val (page->rows, r);
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static Page *
page_new (guint index)
{
  Page *page = g_new0 (Page, 1);

  page->index = index;
  page->rows = g_array_sized_new (FALSE, TRUE, sizeof (RowData), PAGE_SIZE);
  page->strings = g_string_chunk_new (PAGE_SIZE * 160);
  page->items = g_ptr_array_new_with_free_func (unref_nullable);
  return page;
}

static RowData *
page_row (Page  *page,
          guint  i)
{
  return &g_array_index (page->rows, RowData, i);
}

static Page *
fetch_page (SkOrderList  *self,
            guint         index,
            GError      **error)
{
  Page *prev = index > 0 ? g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index - 1)) : NULL;
  guint start = index * PAGE_SIZE;
  Page *page = page_new (index);
  gboolean ok = TRUE;

  if (prev != NULL && prev->rows->len == PAGE_SIZE)
    {
      Key last;

      _sk_order_list_key_from_row (&self->active, page_row (prev, PAGE_SIZE - 1), &last);
      ok = _sk_order_list_fetch_rows (self, &last, KEY_AFTER, 0, PAGE_SIZE, FALSE, collect_row, page, error);
      _sk_order_list_key_clear (&last);
    }
  else
    {
      guint j = start / BLOCK_SIZE;

      ok = ensure_anchor (self, j, error) &&
           (j >= self->anchors->len ||
            _sk_order_list_fetch_rows (self, j > 0 ? &g_array_index (self->anchors, Key, j) : NULL,
                        KEY_AT_OR_AFTER, start - j * BLOCK_SIZE, PAGE_SIZE, FALSE,
                        collect_row, page, error));
    }
  if (!ok)
    {
      page_free (page);
      return NULL;
    }
  g_ptr_array_set_size (page->items, page->rows->len);

  /* A page that starts a block gives the next anchor for free. */
  if (start % BLOCK_SIZE == 0 && start > 0 && page->rows->len > 0 &&
      self->anchors->len == start / BLOCK_SIZE)
    {
      Key key;

      _sk_order_list_key_from_row (&self->active, page_row (page, 0), &key);
      g_array_append_val (self->anchors, key);
    }

  g_queue_push_head (&self->lru, page);
  page->link = self->lru.head;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

  while (self->lru.length > MAX_PAGES)
    drop_page (self, g_queue_peek_tail (&self->lru));
  return page;
}

/* The object for row @i of @page, made (or found among those handed out
 * and refreshed) on first use. */
static SkOrder *
page_item (SkOrderList *self,
           Page        *page,
           guint        i)
{
  SkOrder *order = g_ptr_array_index (page->items, i);

  if (order == NULL)
    {
      order = adopt_row (self, _sk_order_list_order_from_row (page_row (page, i)));
      g_ptr_array_index (page->items, i) = order;
    }
  return order;
}

static gboolean
ensure_count (SkOrderList *self)
{
  g_autoptr(GError) error = NULL;

  if (self->n_valid)
    return TRUE;
  if (!_sk_order_list_count_all (self, &self->n_items, &error))
    {
      _sk_order_list_remember_error (self, error);
      self->n_items = 0;
    }
  self->n_valid = TRUE;
  return error == NULL;
}

/* The item at @position of the current (final) state. */
static SkOrder *
real_get_item (SkOrderList *self,
               guint        position)
{
  g_autoptr(GError) error = NULL;
  guint index = position / PAGE_SIZE;
  Page *page;
  SkOrder *order;

  ensure_count (self);
  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page != NULL)
    {
      g_queue_unlink (&self->lru, page->link);
      g_queue_push_head_link (&self->lru, page->link);
    }
  else
    {
      page = fetch_page (self, index, &error);
      if (page == NULL)
        {
          _sk_order_list_remember_error (self, error);
          return NULL;
        }
    }

  if (position % PAGE_SIZE >= page->rows->len)
    return NULL;
  order = page_item (self, page, position % PAGE_SIZE);
  remember_live (self, order);
  return g_object_ref (order);
}

/* Emitting */

static void
extra_clear (gpointer data)
{
  Extra *extra = data;

  g_clear_object (&extra->order);
}

static void maybe_apply (SkOrderList *self);

/* Emit removals (@extras: the removed rows at their old positions) last
 * first, then insertions (@hidden: final positions) first first, runs of
 * neighbours in one signal each. */
static void
emit_changes (SkOrderList *self,
              GArray      *extras,
              GArray      *hidden,
              guint        common)
{
  self->overlay = TRUE;
  self->overlay_common = common;
  self->overlay_inserts = hidden->len;
  self->extras = extras;
  self->hidden = hidden;

  while (extras->len > 0)
    {
      guint end = extras->len - 1;
      guint start = end;
      guint pos;

      while (start > 0 &&
             g_array_index (extras, Extra, start - 1).pos + 1 == g_array_index (extras, Extra, start).pos)
        start--;
      pos = g_array_index (extras, Extra, start).pos;
      g_array_remove_range (extras, start, end - start + 1);
      g_list_model_items_changed (G_LIST_MODEL (self), pos, end - start + 1, 0);
    }

  while (hidden->len > 0)
    {
      guint pos = g_array_index (hidden, guint, 0);
      guint run = 1;

      while (run < hidden->len && g_array_index (hidden, guint, run) == pos + run)
        run++;
      g_array_remove_range (hidden, 0, run);
      g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, run);
    }

  self->overlay = FALSE;
  self->extras = NULL;
  self->hidden = NULL;

  if (self->apply_pending)
    maybe_apply (self);
}

/* Start over: one items-changed for everything. */
static void
reset (SkOrderList *self)
{
  gboolean known = self->n_valid;
  guint old_n = self->n_items;
  guint new_n;

  invalidate_all (self);
  _sk_order_list_forget_matches (self);
  self->n_valid = FALSE;
  self->n_items = 0;
  /* Count, and later read, from the newest snapshot. */
  if (self->reader != NULL)
    _sk_store_reader_unpin (self->reader);
  if (!known)
    return;
  ensure_count (self);
  new_n = self->n_items;

  /* Two signals, not one: after a single (0, old, new) GTK 4.8's list
   * views look up every new position to find their anchor and selection
   * again (934,232 get_item calls when a search is cleared), while after
   * (0, old, 0) there is nothing to look up. */
  if (old_n > 0)
    {
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      self->n_items = new_n;
    }
  if (new_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
}

static gboolean
reset_idle (gpointer data)
{
  SkOrderList *self = data;

  /* Not in the middle of a batch of signals (a nested main loop). */
  if (self->overlay)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->reset_source, g_source_unref);
  g_clear_error (&self->error);
  reset (self);
  return G_SOURCE_REMOVE;
}

void
_sk_order_list_schedule_reset (SkOrderList *self)
{
  g_autoptr(GMainContext) context = NULL;

  if (self->reset_source != NULL)
    return;
  context = g_main_context_ref_thread_default ();
  self->reset_source = g_idle_source_new ();
  g_source_set_priority (self->reset_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->reset_source, reset_idle, self, NULL);
  g_source_set_static_name (self->reset_source, "[storekeep] order list starts over");
  g_source_attach (self->reset_source, context);
}

/* The store could not move the reader to a newer snapshot, and it let go
 * of the old one. */
static void
on_reader_lost (SkStoreReader *reader,
                const GError  *error,
                gpointer       data)
{
  SkOrderList *self = data;

  _sk_order_list_remember_error (self, (GError *) error);
  if (self->n_valid)
    _sk_order_list_schedule_reset (self);
}

static void
maybe_apply (SkOrderList *self)
{
  if (self->freeze_count > 0)
    return;
  if (self->overlay)
    {
      self->apply_pending = TRUE;
      return;
    }
  self->apply_pending = FALSE;
  if (_sk_order_list_spec_equal (&self->active, &self->pending))
    return;
  _sk_order_list_spec_copy (&self->active, &self->pending);
  g_clear_error (&self->error);
  reset (self);
}

/* Following the store */

typedef struct
{
  gint64 id;
  gboolean deleted;
  gboolean old_known;
  gboolean old_in;
  guint old_pos;
  Key old_key;
  SkOrder *old_order;
  gboolean new_in;
  guint new_pos;
  Key new_key;
  SkOrder *row;
  gboolean stays;
  gboolean old_pos_by_key;  /* old position still to be counted */
} Change;

static void
change_clear (gpointer data)
{
  Change *c = data;

  _sk_order_list_key_clear (&c->old_key);
  _sk_order_list_key_clear (&c->new_key);
  g_clear_object (&c->old_order);
  g_clear_object (&c->row);
}

static int
compare_extras (gconstpointer a,
                gconstpointer b)
{
  guint pa = ((const Extra *) a)->pos;
  guint pb = ((const Extra *) b)->pos;

  return (pa > pb) - (pa < pb);
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint ua = *(const guint *) a;
  guint ub = *(const guint *) b;

  return (ua > ub) - (ua < ub);
}

/* @id points into the SkStoreChange, which outlives @seen. */
static void
add_change (GArray       *changes,
            GHashTable   *seen,
            const gint64 *id,
            gboolean      inserted,
            gboolean      deleted)
{
  Change c = { 0, };

  if (!g_hash_table_add (seen, (gpointer) id))
    return;
  c.id = *id;
  c.deleted = deleted;
  c.old_known = inserted;   /* a new order was not in the list */
  g_array_append_val (changes, c);
}

/* Where each changed order was (old state) and is (new state). Returns
 * FALSE when that cannot be known: the caller resets. */
static gboolean
plan_changes (SkOrderList  *self,
              GArray       *changes,
              guint        *out_new_n,
              GError      **error)
{
  const Spec *spec = &self->active;
  g_autoptr(GHashTable) cached = g_hash_table_new (g_int64_hash, g_int64_equal);
  GHashTableIter iter;
  gpointer value;
  guint new_n = 0;
  gint64 known_delta = 0, d;
  guint unknown_in = 0, unknown_out = 0, n_unknown = 0;

  /* Old positions of the changed rows that sit in cached pages. */
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->rows->len; i++)
        {
          gint64 id = page_row (page, i)->id;

          for (guint k = 0; k < changes->len; k++)
            {
              Change *c = &g_array_index (changes, Change, k);

              if (c->id == id && !c->old_known)
                {
                  c->old_known = TRUE;
                  c->old_in = TRUE;
                  c->old_pos = page->index * PAGE_SIZE + i;
                  c->old_order = g_object_ref (page_item (self, page, i));
                  _sk_order_list_key_from_row (spec, page_row (page, i), &c->old_key);
                }
            }
        }
    }

  for (guint k = 0; k < changes->len; k++)
    {
      Change *c = &g_array_index (changes, Change, k);

      if (c->deleted)
        continue;
      c->row = _sk_order_list_load_row (self, c->id, error);
      if (error != NULL && *error != NULL)
        return FALSE;
      if (c->row == NULL)
        continue;
      if (!_sk_order_list_row_matches (self, c->id, &c->new_in, error))
        return FALSE;
      _sk_order_list_key_from_order (spec, c->row, &c->new_key);
    }

  /* Bring the search matches up to date before counting with them. */
  if (spec->match != NULL && self->matches != NULL)
    for (guint k = 0; k < changes->len; k++)
      {
        Change *c = &g_array_index (changes, Change, k);
        gboolean found = FALSE;

        if (c->row != NULL && !_sk_order_list_fts_contains (self, c->id, &found, error))
          return FALSE;
        _sk_order_list_id_set_update (self->matches, c->id, found);
      }

  if (!_sk_order_list_count_all (self, &new_n, error))
    return FALSE;

  for (guint k = 0; k < changes->len; k++)
    {
      Change *c = &g_array_index (changes, Change, k);

      if (c->old_known)
        known_delta += (gint64) c->new_in - (gint64) c->old_in;
      else if (c->new_in)
        unknown_in++;
      else
        unknown_out++;
    }
  n_unknown = unknown_in + unknown_out;
  d = (gint64) new_n - (gint64) self->n_items - known_delta;

  /* Orders outside the cache: the change in the count tells whether they
   * came in or went out, when it can only mean one thing. */
  if (n_unknown > 0)
    {
      gboolean were_in;

      if (d == (gint64) unknown_in)
        were_in = FALSE;
      else if (d == -(gint64) unknown_out)
        were_in = TRUE;
      else
        return FALSE;

      for (guint k = 0; k < changes->len; k++)
        {
          Change *c = &g_array_index (changes, Change, k);

          if (c->old_known)
            continue;
          c->old_known = TRUE;
          c->old_in = were_in;
          if (!were_in)
            continue;
          /* Still there, and the sort key cannot have moved. */
          if (!sort_info[spec->sort].immutable || c->row == NULL)
            return FALSE;
          _sk_order_list_key_copy (&c->old_key, &c->new_key);
          c->old_order = g_hash_table_lookup (self->live, &c->id);
          c->old_order = g_object_ref (c->old_order ? c->old_order : c->row);
          c->old_pos_by_key = TRUE;
        }

      for (guint k = 0; k < changes->len; k++)
        {
          Change *c = &g_array_index (changes, Change, k);
          guint before = 0;
          gint64 pos;

          if (!c->old_pos_by_key)
            continue;
          if (!_sk_order_list_count_before (self, &c->old_key, &before, error))
            return FALSE;
          pos = before;
          for (guint m = 0; m < changes->len; m++)
            {
              Change *o = &g_array_index (changes, Change, m);

              if (o->new_in && _sk_order_list_key_compare (spec, &o->new_key, &c->old_key) < 0)
                pos--;
              if (m != k && o->old_in && _sk_order_list_key_compare (spec, &o->old_key, &c->old_key) < 0)
                pos++;
            }
          if (pos < 0)
            return FALSE;
          c->old_pos = (guint) pos;
        }
    }
  else if (d != 0)
    return FALSE;

  for (guint k = 0; k < changes->len; k++)
    {
      Change *c = &g_array_index (changes, Change, k);

      if (c->new_in && !_sk_order_list_count_before (self, &c->new_key, &c->new_pos, error))
        return FALSE;
      c->stays = c->old_in && c->new_in && _sk_order_list_key_compare (spec, &c->old_key, &c->new_key) == 0;
    }

  *out_new_n = new_n;
  return TRUE;
}

static gboolean
apply_changes (SkOrderList   *self,
               SkStoreChange *change)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) extras = g_array_new (FALSE, TRUE, sizeof (Extra));
  g_autoptr(GArray) hidden = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  guint old_n = self->n_items;
  guint new_n = 0;
  guint min_pos = G_MAXUINT;

  g_array_set_clear_func (changes, change_clear);
  g_array_set_clear_func (extras, extra_clear);

  for (guint i = 0; i < change->inserted_orders->len; i++)
    add_change (changes, seen, &g_array_index (change->inserted_orders, gint64, i), TRUE, FALSE);
  for (guint i = 0; i < change->deleted_orders->len; i++)
    add_change (changes, seen, &g_array_index (change->deleted_orders, gint64, i), FALSE, TRUE);
  for (guint i = 0; i < change->updated_orders->len; i++)
    add_change (changes, seen, &g_array_index (change->updated_orders, gint64, i), FALSE, FALSE);

  if (!plan_changes (self, changes, &new_n, &error))
    {
      _sk_order_list_remember_error (self, error);
      return FALSE;
    }

  for (guint k = 0; k < changes->len; k++)
    {
      Change *c = &g_array_index (changes, Change, k);

      if (c->old_in && !c->stays)
        {
          Extra extra = { c->old_pos, g_object_ref (c->old_order) };

          g_array_append_val (extras, extra);
          min_pos = MIN (min_pos, c->old_pos);
        }
      if (c->new_in && !c->stays)
        {
          g_array_append_val (hidden, c->new_pos);
          min_pos = MIN (min_pos, c->new_pos);
        }
    }
  g_array_sort (extras, compare_extras);
  g_array_sort (hidden, compare_uint);

  /* Sanity: the rows that stay are the same on both sides, in range. */
  if (old_n - extras->len != new_n - hidden->len ||
      (extras->len > 0 && g_array_index (extras, Extra, extras->len - 1).pos >= old_n) ||
      (hidden->len > 0 && g_array_index (hidden, guint, hidden->len - 1) >= new_n))
    return FALSE;
  for (guint i = 1; i < extras->len; i++)
    if (g_array_index (extras, Extra, i - 1).pos == g_array_index (extras, Extra, i).pos)
      return FALSE;
  for (guint i = 1; i < hidden->len; i++)
    if (g_array_index (hidden, guint, i - 1) == g_array_index (hidden, guint, i))
      return FALSE;

  /* Refresh the objects people hold or the cache keeps, in place. */
  for (guint k = 0; k < changes->len; k++)
    {
      Change *c = &g_array_index (changes, Change, k);
      SkOrder *known;

      if (c->row == NULL)
        continue;
      known = g_hash_table_lookup (self->live, &c->id);
      if (known == NULL)
        known = c->old_order;
      if (known != NULL && known != c->row)
        sk_order_update_from (known, c->row);
    }

  /* Cached rows of changed orders are stale even where they stay. */
  for (guint k = 0; k < changes->len; k++)
    {
      Change *c = &g_array_index (changes, Change, k);

      if (c->old_in && !c->old_pos_by_key)
        {
          Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (c->old_pos / PAGE_SIZE));

          if (page != NULL)
            drop_page (self, page);
        }
    }

  if (min_pos == G_MAXUINT)
    return TRUE;

  invalidate_from (self, min_pos);
  self->n_items = new_n;
  emit_changes (self, extras, hidden, old_n - extras->len);
  return TRUE;
}

static guint
change_size (SkStoreChange *change)
{
  return change->inserted_orders->len + change->updated_orders->len +
         change->deleted_orders->len;
}

static void
on_store_changed (SkStore       *store,
                  SkStoreChange *change,
                  SkOrderList   *self)
{
  g_autoptr(GError) error = NULL;
  SkStoreChange *merged;
  guint64 seq = _sk_store_get_change_seq (store);
  guint64 old_seq;
  gboolean orders = (change->flags & SK_STORE_CHANGE_ORDERS) != 0 && change_size (change) > 0;
  gboolean ok;

  if (!self->n_valid)
    {
      /* Nobody has looked yet: nothing to tell. */
      if (orders)
        {
          invalidate_all (self);
          _sk_order_list_forget_matches (self);
        }
      if (self->reader != NULL)
        _sk_store_reader_unpin (self->reader);
      return;
    }
  if (self->reader == NULL || !_sk_store_reader_is_pinned (self->reader) ||
      seq == 0 || self->overlay)
    {
      /* Without a snapshot because taking one failed: try again now, on
       * any change, rather than stay empty until orders change. */
      if (!orders && self->reader != NULL && !_sk_store_reader_is_pinned (self->reader) &&
          self->error != NULL && !self->overlay)
        {
          g_clear_error (&self->error);
          orders = TRUE;
        }
      if (orders)
        reset (self);
      return;
    }
  old_seq = _sk_store_reader_get_seq (self->reader);
  if (seq <= old_seq)
    return;   /* already in the snapshot the list shows */

  /* Move to the newest snapshot, after any commit: an old one would keep
   * checkpoints from catching up. Apply every change it adds. */
  if (!_sk_store_reader_pin (self->reader, &error))
    {
      _sk_order_list_remember_error (self, error);
      reset (self);
      return;
    }
  merged = _sk_store_collect_changes (store, old_seq, _sk_store_reader_get_seq (self->reader));
  ok = change_size (merged) == 0 ||
       (change_size (merged) <= MAX_BATCH && apply_changes (self, merged));
  g_boxed_free (SK_TYPE_STORE_CHANGE, merged);
  if (!ok)
    reset (self);
}

/* GListModel */

static GType
sk_order_list_get_item_type (GListModel *model)
{
  return SK_TYPE_ORDER;
}

static guint
sk_order_list_get_n_items (GListModel *model)
{
  SkOrderList *self = SK_ORDER_LIST (model);

  if (self->overlay)
    return self->overlay_common + self->extras->len +
           (self->overlay_inserts - self->hidden->len);
  ensure_count (self);
  return self->n_items;
}

static gpointer
sk_order_list_get_item (GListModel *model,
                        guint       position)
{
  SkOrderList *self = SK_ORDER_LIST (model);
  guint before = 0;
  guint common;

  if (!self->overlay)
    return real_get_item (self, position);

  for (guint i = 0; i < self->extras->len; i++)
    {
      Extra *extra = &g_array_index (self->extras, Extra, i);

      if (extra->pos == position)
        {
          remember_live (self, extra->order);
          return g_object_ref (extra->order);
        }
      if (extra->pos > position)
        break;
      before++;
    }
  common = position - before;
  if (common >= self->overlay_common + (self->overlay_inserts - self->hidden->len))
    return NULL;
  for (guint i = 0; i < self->hidden->len; i++)
    {
      if (g_array_index (self->hidden, guint, i) > common)
        break;
      common++;
    }
  return real_get_item (self, common);
}

static void
sk_order_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sk_order_list_get_item_type;
  iface->get_n_items = sk_order_list_get_n_items;
  iface->get_item = sk_order_list_get_item;
}

/* GObject */

static void
sk_order_list_dispose (GObject *object)
{
  SkOrderList *self = SK_ORDER_LIST (object);

  if (self->pages != NULL)
    invalidate_all (self);
  if (self->live != NULL)
    forget_live (self);
  if (self->reset_source != NULL)
    {
      g_source_destroy (self->reset_source);
      g_clear_pointer (&self->reset_source, g_source_unref);
    }
  g_clear_pointer (&self->reader, _sk_store_reader_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sk_order_list_parent_class)->dispose (object);
}

static void
sk_order_list_finalize (GObject *object)
{
  SkOrderList *self = SK_ORDER_LIST (object);

  _sk_order_list_spec_clear (&self->active);
  _sk_order_list_spec_clear (&self->pending);
  g_clear_pointer (&self->anchors, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  _sk_order_list_forget_matches (self);
  g_clear_error (&self->error);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (sk_order_list_parent_class)->finalize (object);
}

static void
sk_order_list_class_init (SkOrderListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sk_order_list_dispose;
  object_class->finalize = sk_order_list_finalize;
}

static void
sk_order_list_init (SkOrderList *self)
{
  Key start = { 0, };

  _sk_order_list_spec_init (&self->active);
  _sk_order_list_spec_init (&self->pending);
  self->anchors = g_array_new (FALSE, TRUE, sizeof (Key));
  g_array_set_clear_func (self->anchors, _sk_order_list_key_clear);
  g_array_append_val (self->anchors, start);
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  g_queue_init (&self->lru);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* Public API */

SkOrderList *
sk_order_list_new (SkStore *store)
{
  SkOrderList *self;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);

  self = g_object_new (SK_TYPE_ORDER_LIST, NULL);
  self->store = g_object_ref (store);
  self->reader = _sk_store_reader_new (store, &self->open_error);
  if (self->reader == NULL)
    _sk_order_list_remember_error (self, self->open_error);
  else
    _sk_store_reader_set_lost_func (self->reader, on_reader_lost, self);
  self->has_function =
    self->reader != NULL &&
    sqlite3_create_function_v2 (_sk_store_reader_get_db (self->reader), HAS_FUNCTION, 2,
                                SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL, _sk_order_list_has_function,
                                NULL, NULL, NULL) == SQLITE_OK;
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, 0);
  return self;
}

void
sk_order_list_set_channel (SkOrderList *self,
                           gint64       channel_id)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  self->pending.channel_id = MAX (channel_id, 0);
  maybe_apply (self);
}

void
sk_order_list_set_payment_status (SkOrderList *self,
                                  int          status)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  self->pending.payment_status = MAX (status, -1);
  maybe_apply (self);
}

void
sk_order_list_set_fulfillment_status (SkOrderList *self,
                                      int          status)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  self->pending.fulfillment_status = MAX (status, -1);
  maybe_apply (self);
}

void
sk_order_list_set_order_status (SkOrderList *self,
                                int          status)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  self->pending.order_status = MAX (status, -1);
  maybe_apply (self);
}

void
sk_order_list_set_only_on_hold (SkOrderList *self,
                                gboolean     only_on_hold)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  self->pending.only_on_hold = !!only_on_hold;
  maybe_apply (self);
}

void
sk_order_list_set_show_archived (SkOrderList *self,
                                 gboolean     show_archived)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  self->pending.show_archived = !!show_archived;
  maybe_apply (self);
}

void
sk_order_list_set_date_range (SkOrderList *self,
                              gint64       from_unix,
                              gint64       to_unix)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  self->pending.from = MAX (from_unix, 0);
  self->pending.to = MAX (to_unix, 0);
  maybe_apply (self);
}

void
sk_order_list_set_search (SkOrderList *self,
                          const char  *text)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  g_free (self->pending.match);
  self->pending.match = _sk_order_list_build_match (text);
  maybe_apply (self);
}

void
sk_order_list_set_sort (SkOrderList *self,
                        SkOrderSort  sort,
                        gboolean     descending)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  g_return_if_fail (sort <= SK_ORDER_SORT_UPDATED);
  self->pending.sort = sort;
  self->pending.descending = !!descending;
  maybe_apply (self);
}

void
sk_order_list_freeze (SkOrderList *self)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  self->freeze_count++;
}

void
sk_order_list_thaw (SkOrderList *self)
{
  g_return_if_fail (SK_IS_ORDER_LIST (self));
  g_return_if_fail (self->freeze_count > 0);
  if (--self->freeze_count == 0)
    maybe_apply (self);
}

guint
sk_order_list_find (SkOrderList *self,
                    gint64       order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SkOrder) row = NULL;
  GHashTableIter iter;
  gpointer value;
  gboolean matches = FALSE;
  guint position = 0;
  Key key;

  g_return_val_if_fail (SK_IS_ORDER_LIST (self), G_MAXUINT);

  if (self->overlay || !ensure_count (self))
    return G_MAXUINT;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->rows->len; i++)
        if (page_row (page, i)->id == order_id)
          return page->index * PAGE_SIZE + i;
    }

  row = _sk_order_list_load_row (self, order_id, &error);
  if (row == NULL || !_sk_order_list_row_matches (self, order_id, &matches, &error) || !matches)
    {
      _sk_order_list_remember_error (self, error);
      return G_MAXUINT;
    }
  _sk_order_list_key_from_order (&self->active, row, &key);
  if (!_sk_order_list_count_before (self, &key, &position, &error))
    position = G_MAXUINT;
  _sk_order_list_key_clear (&key);
  _sk_order_list_remember_error (self, error);
  return position < self->n_items ? position : G_MAXUINT;
}

const GError *
sk_order_list_get_error (SkOrderList *self)
{
  g_return_val_if_fail (SK_IS_ORDER_LIST (self), NULL);
  return self->error;
}
