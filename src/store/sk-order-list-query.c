/* sk-order-list-query.c: the order list's SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns the list's filter and sort into SQL over the reader connection:
 * counts, keyset fetches in view order, single-row checks, and the set of
 * orders matching the search text.
 *
 * Query shapes: every fetch is "WHERE filters AND (sort key, id) > (?, ?)
 * ORDER BY sort key, id LIMIT ? OFFSET ?", a plain range scan of one of the
 * indexes in 0001 (or orders_by_archived_created from 0003 for the default
 * view). The archived test is written "+archived" where that index would be
 * the wrong one, because SQLite, without statistics, takes it too eagerly.
 * A nullable sort column (the customer name) is two segments, the NULL rows
 * (by id) and the others, so each query stays one range.
 *
 * Search: each word becomes a quoted prefix term, all ANDed. The matching
 * ids are read once from FTS5 into a sorted array and a bitmap. Few matches
 * are looked up by id ("id IN (SELECT rowid …)") and sorted by SQLite; many
 * are tested row by row with sk_order_list_has (set, id) while SQLite walks
 * the sort index in order, so the first page costs a short scan, not a sort
 * of every match. The count is the number of matches less the archived ones
 * (a trigger keeps FTS rows in step with orders).
 */
#define G_LOG_DOMAIN "sk-store"

#include "config.h"

#include <string.h>

#include "sk-order-list-private.h"
#include "sk-store-private.h"

/* Spec */

void
_sk_order_list_spec_init (Spec *spec)
{
  memset (spec, 0, sizeof *spec);
  spec->sort = SK_ORDER_SORT_CREATED;
  spec->descending = TRUE;
  spec->order_status = -1;
  spec->payment_status = -1;
  spec->fulfillment_status = -1;
}

void
_sk_order_list_spec_clear (Spec *spec)
{
  g_clear_pointer (&spec->match, g_free);
}

void
_sk_order_list_spec_copy (Spec       *dest,
           const Spec *src)
{
  char *match = g_strdup (src->match);

  g_free (dest->match);
  *dest = *src;
  dest->match = match;
}

gboolean
_sk_order_list_spec_equal (const Spec *a,
            const Spec *b)
{
  return a->sort == b->sort &&
         a->descending == b->descending &&
         a->channel_id == b->channel_id &&
         a->order_status == b->order_status &&
         a->payment_status == b->payment_status &&
         a->fulfillment_status == b->fulfillment_status &&
         a->only_on_hold == b->only_on_hold &&
         a->show_archived == b->show_archived &&
         a->from == b->from &&
         a->to == b->to &&
         g_strcmp0 (a->match, b->match) == 0;
}

/* Turn what a person typed into an FTS5 query: every word becomes a quoted
 * prefix term ("tent"*), all joined with AND. Quoting makes operators,
 * column filters and stray punctuation plain text; words without a letter
 * or digit are dropped, since the tokenizer would find nothing in them. */
static void
append_term (GString    *query,
             const char *word)
{
  gboolean searchable = FALSE;

  for (const char *p = word; *p != '\0' && !searchable; p = g_utf8_next_char (p))
    searchable = g_unichar_isalnum (g_utf8_get_char (p));
  if (!searchable)
    return;

  if (query->len > 0)
    g_string_append (query, " AND ");
  g_string_append_c (query, '"');
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, *p);
    }
  g_string_append (query, "\"*");
}

char *
_sk_order_list_build_match (const char *text)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) word = g_string_new (NULL);
  GString *query;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  query = g_string_new (NULL);
  for (const char *p = valid; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || g_unichar_isspace (c))
        {
          append_term (query, word->str);
          g_string_truncate (word, 0);
          if (c == 0)
            break;
        }
      else
        g_string_append_unichar (word, c);
    }

  if (query->len == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }
  return g_string_free (query, FALSE);
}

/* Id sets */

static void
id_set_free (IdSet *set)
{
  if (set == NULL)
    return;
  g_array_unref (set->ids);
  g_free (set->bits);
  g_free (set->json);
  g_free (set);
}

static void
id_set_set_bit (IdSet    *set,
                gint64    id,
                gboolean  value)
{
  if (set->bits == NULL)
    return;
  if (id < 0 || id >= MAX_BITMAP)
    {
      g_clear_pointer (&set->bits, g_free);
      set->n_bits = 0;
      return;
    }
  if ((gsize) id >= set->n_bits)
    {
      gsize n_bits = MAX ((gsize) id + 1, set->n_bits * 2);

      set->bits = g_realloc (set->bits, (n_bits + 7) / 8);
      memset (set->bits + (set->n_bits + 7) / 8, 0, (n_bits + 7) / 8 - (set->n_bits + 7) / 8);
      set->n_bits = ((n_bits + 7) / 8) * 8;
    }
  if (value)
    set->bits[id >> 3] |= 1u << (id & 7);
  else
    set->bits[id >> 3] &= ~(1u << (id & 7));
}

static guint
id_set_lower_bound (const IdSet *set,
                    gint64       id)
{
  guint lo = 0, hi = set->ids->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (set->ids, gint64, mid) < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gboolean
id_set_contains (const IdSet *set,
                 gint64       id)
{
  guint i;

  if (set->bits != NULL)
    return id >= 0 && (gsize) id < set->n_bits && (set->bits[id >> 3] & (1u << (id & 7))) != 0;
  i = id_set_lower_bound (set, id);
  return i < set->ids->len && g_array_index (set->ids, gint64, i) == id;
}

void
_sk_order_list_id_set_update (IdSet    *set,
               gint64    id,
               gboolean  present)
{
  guint i = id_set_lower_bound (set, id);
  gboolean there = i < set->ids->len && g_array_index (set->ids, gint64, i) == id;

  g_clear_pointer (&set->json, g_free);
  if (present && !there)
    g_array_insert_val (set->ids, i, id);
  else if (!present && there)
    g_array_remove_index (set->ids, i);
  id_set_set_bit (set, id, present);
}

void
_sk_order_list_has_function (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  const IdSet *set = sqlite3_value_pointer (argv[0], SET_POINTER_TYPE);

  sqlite3_result_int (context, set != NULL && id_set_contains (set, sqlite3_value_int64 (argv[1])));
}

/* Keys */

void
_sk_order_list_key_clear (gpointer data)
{
  Key *key = data;

  g_clear_pointer (&key->text, g_free);
}

void
_sk_order_list_key_copy (Key       *dest,
          const Key *src)
{
  *dest = *src;
  dest->text = g_strdup (src->text);
}

void
_sk_order_list_key_from_order (const Spec *spec,
                SkOrder    *order,
                Key        *key)
{
  const char *text = NULL;

  memset (key, 0, sizeof *key);
  key->id = sk_order_get_id (order);
  switch (spec->sort)
    {
    case SK_ORDER_SORT_NUMBER:
      text = sk_order_get_number (order);
      key->text = g_strdup (text ? text : "");
      break;
    case SK_ORDER_SORT_CUSTOMER:
      text = sk_order_get_customer_name (order);
      key->text = g_strdup (text);
      key->is_null = text == NULL;
      break;
    case SK_ORDER_SORT_TOTAL:
      key->num = sk_order_get_total (order);
      break;
    case SK_ORDER_SORT_UPDATED:
      key->num = sk_order_get_updated_at (order);
      break;
    case SK_ORDER_SORT_CREATED:
    default:
      key->num = sk_order_get_created_at (order);
      break;
    }
}

/* From "SELECT id, <sort column>". */
void
_sk_order_list_key_from_stmt (sqlite3_stmt *stmt,
               Key          *key)
{
  memset (key, 0, sizeof *key);
  key->id = sqlite3_column_int64 (stmt, 0);
  switch (sqlite3_column_type (stmt, 1))
    {
    case SQLITE_NULL:
      key->is_null = TRUE;
      break;
    case SQLITE_TEXT:
      key->text = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      break;
    default:
      key->num = sqlite3_column_int64 (stmt, 1);
      break;
    }
}

/* In ascending (sort value, id) order as SQLite sorts: NULL first, text by
 * bytes (BINARY), then id. */
int
_sk_order_list_key_compare (const Spec *spec,
             const Key  *a,
             const Key  *b)
{
  int cmp = 0;

  if (sort_info[spec->sort].text)
    {
      if (a->is_null != b->is_null)
        cmp = a->is_null ? -1 : 1;
      else if (!a->is_null)
        cmp = strcmp (a->text ? a->text : "", b->text ? b->text : "");
    }
  else
    cmp = (a->num > b->num) - (a->num < b->num);

  if (cmp == 0)
    cmp = (a->id > b->id) - (a->id < b->id);
  else
    cmp = cmp < 0 ? -1 : 1;
  return spec->descending ? -cmp : cmp;
}

/* Query building */

typedef struct
{
  gboolean is_text;
  gint64 num;
  char *text;
  gpointer pointer;     /* an IdSet for HAS_FUNCTION */
} Bind;

typedef struct
{
  GString *sql;
  GArray *binds;
  gboolean has_where;
} Query;

static void
bind_clear (gpointer data)
{
  Bind *bind = data;

  g_clear_pointer (&bind->text, g_free);
}

static void
query_init (Query      *q,
            const char *select)
{
  q->sql = g_string_new (select);
  q->binds = g_array_new (FALSE, TRUE, sizeof (Bind));
  g_array_set_clear_func (q->binds, bind_clear);
  q->has_where = FALSE;
}

static void
query_clear (Query *q)
{
  g_string_free (q->sql, TRUE);
  g_array_unref (q->binds);
}

static void
query_where (Query      *q,
             const char *cond)
{
  g_string_append (q->sql, q->has_where ? " AND " : " WHERE ");
  g_string_append (q->sql, cond);
  q->has_where = TRUE;
}

static void
query_int (Query  *q,
           gint64  value)
{
  Bind bind = { FALSE, value, NULL, NULL };

  g_array_append_val (q->binds, bind);
}

static void
query_pointer (Query    *q,
               gpointer  pointer)
{
  Bind bind = { FALSE, 0, NULL, pointer };

  g_array_append_val (q->binds, bind);
}

static void
query_text (Query      *q,
            const char *value)
{
  Bind bind = { TRUE, 0, g_strdup (value), NULL };

  g_array_append_val (q->binds, bind);
}

/* A statement on the list's own reader, inside the snapshot the list
 * reads everything from (taken now when there is none: then nothing
 * derived from an older one is left). */
sqlite3_stmt *
_sk_order_list_prepare (SkOrderList  *self,
                        const char   *sql,
                        GError      **error)
{
  if (self->reader == NULL)
    {
      /* It could not be opened: say why, as then. */
      if (error != NULL && self->open_error != NULL)
        *error = g_error_copy (self->open_error);
      return NULL;
    }
  if (!_sk_store_reader_is_pinned (self->reader))
    {
      /* With a count, rows from another snapshot than the count's would
       * not fit it: never take a new one silently, start over. */
      if (self->n_valid)
        {
          _sk_order_list_schedule_reset (self);
          if (error != NULL && self->error != NULL)
            *error = g_error_copy (self->error);
          else
            sk_store_error_from_sqlite (error, SQLITE_BUSY, "the order list lost its snapshot");
          return NULL;
        }
      if (!_sk_store_reader_pin (self->reader, error))
        return NULL;
    }
  return _sk_store_reader_prepare (self->reader, sql, error);
}

static sqlite3_stmt *
query_prepare (SkOrderList  *self,
               Query        *q,
               GError      **error)
{
  sqlite3_stmt *stmt = _sk_order_list_prepare (self, q->sql->str, error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < q->binds->len; i++)
    {
      Bind *bind = &g_array_index (q->binds, Bind, i);

      if (bind->pointer != NULL)
        sqlite3_bind_pointer (stmt, i + 1, bind->pointer, SET_POINTER_TYPE, NULL);
      else if (bind->is_text && bind->text == NULL)
        sqlite3_bind_null (stmt, i + 1);
      else if (bind->is_text)
        sqlite3_bind_text (stmt, i + 1, bind->text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, i + 1, bind->num);
    }
  return stmt;
}

static gboolean
search_is_small (SkOrderList *self)
{
  return !self->has_function || self->matches == NULL || self->matches->ids->len <= SMALL_SET;
}

static const char *
id_set_json (IdSet *set)
{
  GString *json;

  if (set->json != NULL)
    return set->json;
  json = g_string_sized_new (set->ids->len * 8 + 2);
  g_string_append_c (json, '[');
  for (guint i = 0; i < set->ids->len; i++)
    g_string_append_printf (json, i > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                            g_array_index (set->ids, gint64, i));
  g_string_append_c (json, ']');
  set->json = g_string_free (json, FALSE);
  return set->json;
}

/* @test_rows: the query walks a range of another index (the archived
 * orders), so testing its rows beats looking the matches up, however few. */
static void
add_search (SkOrderList *self,
            Query       *q,
            gboolean     test_rows)
{
  if (test_rows && self->has_function && self->matches != NULL)
    {
      query_where (q, HAS_FUNCTION " (?, id)");
      query_pointer (q, self->matches);
    }
  else if (search_is_small (self) && self->matches != NULL &&
           self->matches->ids->len <= SMALL_SET)
    {
      /* Few matches: SQLite looks them up by id and sorts them. */
      query_where (q, "id IN (SELECT value FROM json_each (?))");
      query_text (q, id_set_json (self->matches));
    }
  else if (search_is_small (self))
    {
      /* No set or no function: let FTS5 find them again. */
      query_where (q, "id IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?)");
      query_text (q, self->active.match);
    }
  else
    {
      /* Many: walk the sort index and test each row. */
      query_where (q, HAS_FUNCTION " (?, id)");
      query_pointer (q, self->matches);
    }
}

/* Whether SQLite should walk orders_by_archived_created: for the default
 * view, not when another index fits better. Elsewhere the archived test is
 * written "+archived" so SQLite cannot take that index, which (without
 * statistics) it would prefer even where it means sorting a million rows. */
static gboolean
use_archived_index (SkOrderList *self,
                    gboolean     ordered)
{
  const Spec *spec = &self->active;

  if (spec->channel_id > 0 || spec->payment_status >= 0 || spec->fulfillment_status >= 0)
    return FALSE;
  if (spec->match != NULL && search_is_small (self))
    return FALSE;
  return !ordered || spec->sort == SK_ORDER_SORT_CREATED;
}

/* Filters other than archived and search. */
static gboolean
has_plain_filters (const Spec *spec)
{
  return spec->channel_id > 0 || spec->order_status >= 0 || spec->payment_status >= 0 ||
         spec->fulfillment_status >= 0 || spec->only_on_hold || spec->from > 0 || spec->to > 0;
}

static void
add_filters (SkOrderList *self,
             Query       *q,
             gboolean     with_search,
             gboolean     ordered)
{
  const Spec *spec = &self->active;

  if (spec->channel_id > 0)
    {
      query_where (q, "channel_id = ?");
      query_int (q, spec->channel_id);
    }
  if (spec->order_status >= 0)
    {
      query_where (q, "status = ?");
      query_text (q, sk_order_status_to_string (spec->order_status));
    }
  if (spec->payment_status >= 0)
    {
      query_where (q, "payment_status = ?");
      query_text (q, sk_payment_status_to_string (spec->payment_status));
    }
  if (spec->fulfillment_status >= 0)
    {
      query_where (q, "fulfillment_status = ?");
      query_text (q, sk_fulfillment_status_to_string (spec->fulfillment_status));
    }
  if (spec->only_on_hold)
    query_where (q, "on_hold <> 0");
  if (!spec->show_archived)
    query_where (q, use_archived_index (self, ordered) ? "archived = 0" : "+archived = 0");
  if (spec->from > 0)
    {
      query_where (q, "created_at >= ?");
      query_int (q, spec->from);
    }
  if (spec->to > 0)
    {
      query_where (q, "created_at < ?");
      query_int (q, spec->to);
    }
  if (with_search && spec->match != NULL)
    add_search (self, q, FALSE);
}

/* Segments: a nullable sort column is two index ranges. */

static guint
n_segments (const Spec *spec)
{
  return sort_info[spec->sort].nullable ? 2 : 1;
}

static SegKind
segment_kind (const Spec *spec,
              guint       seg)
{
  if (!sort_info[spec->sort].nullable)
    return SEG_VALUES;
  if (spec->descending)
    return seg == 0 ? SEG_VALUES : SEG_NULLS;
  return seg == 0 ? SEG_NULLS : SEG_VALUES;
}

static guint
segment_of_key (const Spec *spec,
                const Key  *key)
{
  if (!sort_info[spec->sort].nullable)
    return 0;
  if (spec->descending)
    return key->is_null ? 1 : 0;
  return key->is_null ? 0 : 1;
}

static const char *
key_op_symbol (const Spec *spec,
               KeyOp       op)
{
  switch (op)
    {
    case KEY_AT_OR_AFTER:
      return spec->descending ? "<=" : ">=";
    case KEY_AFTER:
      return spec->descending ? "<" : ">";
    case KEY_BEFORE:
    default:
      return spec->descending ? ">" : "<";
    }
}

/* SELECT … FROM orders WHERE filters AND segment AND key [ORDER BY …] */
static void
segment_query (SkOrderList *self,
               Query       *q,
               const char  *select,
               guint        seg,
               const Key   *key,
               KeyOp        op,
               gboolean     ordered)
{
  const Spec *spec = &self->active;
  const char *column = sort_info[spec->sort].column;
  SegKind kind = segment_kind (spec, seg);
  const char *dir = spec->descending ? "DESC" : "ASC";
  g_autofree char *cond = NULL;

  query_init (q, select);
  add_filters (self, q, TRUE, ordered || key != NULL);

  if (sort_info[spec->sort].nullable)
    {
      g_autofree char *seg_cond =
        g_strdup_printf ("%s IS %s", column, kind == SEG_NULLS ? "NULL" : "NOT NULL");
      query_where (q, seg_cond);
    }

  if (key != NULL && kind == SEG_NULLS)
    {
      cond = g_strdup_printf ("id %s ?", key_op_symbol (spec, op));
      query_where (q, cond);
      query_int (q, key->id);
    }
  else if (key != NULL)
    {
      cond = g_strdup_printf ("(%s, id) %s (?, ?)", column, key_op_symbol (spec, op));
      query_where (q, cond);
      if (sort_info[spec->sort].text)
        query_text (q, key->text ? key->text : "");
      else
        query_int (q, key->num);
      query_int (q, key->id);
    }

  if (!ordered)
    return;
  if (kind == SEG_NULLS)
    g_string_append_printf (q->sql, " ORDER BY id %s", dir);
  else
    g_string_append_printf (q->sql, " ORDER BY %s %s, id %s", column, dir, dir);
}

/* Rows */

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

static SkOrder *
order_from_stmt (sqlite3_stmt *stmt)
{
  SkOrder *order = sk_order_new ();

  sk_order_set_id (order, sqlite3_column_int64 (stmt, COL_ID));
  sk_order_set_channel_id (order, sqlite3_column_int64 (stmt, COL_CHANNEL_ID));
  sk_order_set_external_id (order, column_text (stmt, COL_EXTERNAL_ID));
  sk_order_set_number (order, column_text (stmt, COL_NUMBER));
  sk_order_set_created_at (order, sqlite3_column_int64 (stmt, COL_CREATED_AT));
  sk_order_set_updated_at (order, sqlite3_column_int64 (stmt, COL_UPDATED_AT));
  sk_order_set_processed_at (order, sqlite3_column_int64 (stmt, COL_PROCESSED_AT));
  sk_order_set_cancelled_at (order, sqlite3_column_int64 (stmt, COL_CANCELLED_AT));
  sk_order_set_closed_at (order, sqlite3_column_int64 (stmt, COL_CLOSED_AT));
  sk_order_set_currency (order, column_text (stmt, COL_CURRENCY));
  sk_order_set_subtotal (order, sqlite3_column_int64 (stmt, COL_SUBTOTAL));
  sk_order_set_total_tax (order, sqlite3_column_int64 (stmt, COL_TOTAL_TAX));
  sk_order_set_total_shipping (order, sqlite3_column_int64 (stmt, COL_TOTAL_SHIPPING));
  sk_order_set_total_discounts (order, sqlite3_column_int64 (stmt, COL_TOTAL_DISCOUNTS));
  sk_order_set_total_refunded (order, sqlite3_column_int64 (stmt, COL_TOTAL_REFUNDED));
  sk_order_set_total (order, sqlite3_column_int64 (stmt, COL_TOTAL));
  sk_order_set_status (order, sk_order_status_from_string (column_text (stmt, COL_STATUS)),
                       column_text (stmt, COL_STATUS_CODE));
  sk_order_set_payment_status (order,
                               sk_payment_status_from_string (column_text (stmt, COL_PAYMENT_STATUS)),
                               column_text (stmt, COL_PAYMENT_CODE));
  sk_order_set_fulfillment_status (order,
                                   sk_fulfillment_status_from_string (column_text (stmt, COL_FULFILLMENT_STATUS)),
                                   column_text (stmt, COL_FULFILLMENT_CODE));
  sk_order_set_customer_name (order, column_text (stmt, COL_CUSTOMER_NAME));
  sk_order_set_email (order, column_text (stmt, COL_EMAIL));
  sk_order_set_phone (order, column_text (stmt, COL_PHONE));
  sk_order_set_ship_summary (order, column_text (stmt, COL_SHIP_CITY),
                             column_text (stmt, COL_SHIP_COUNTRY));
  sk_order_set_item_count (order, sqlite3_column_int64 (stmt, COL_ITEM_COUNT));
  sk_order_set_note (order, column_text (stmt, COL_NOTE));
  sk_order_set_tags_from_string (order, column_text (stmt, COL_TAGS));
  sk_order_set_hold (order, sqlite3_column_int (stmt, COL_ON_HOLD) != 0,
                     column_text (stmt, COL_HOLD_REASON));
  sk_order_set_archived (order, sqlite3_column_int (stmt, COL_ARCHIVED) != 0);
  return order;
}

static const char *
chunk_text (GStringChunk *strings,
            sqlite3_stmt *stmt,
            int           col)
{
  const char *text = column_text (stmt, col);

  return text != NULL ? g_string_chunk_insert (strings, text) : NULL;
}

void
_sk_order_list_row_from_stmt (RowData      *r,
               GStringChunk *strings,
               sqlite3_stmt *stmt)
{
  r->id = sqlite3_column_int64 (stmt, COL_ID);
  r->channel_id = sqlite3_column_int64 (stmt, COL_CHANNEL_ID);
  r->created_at = sqlite3_column_int64 (stmt, COL_CREATED_AT);
  r->updated_at = sqlite3_column_int64 (stmt, COL_UPDATED_AT);
  r->processed_at = sqlite3_column_int64 (stmt, COL_PROCESSED_AT);
  r->cancelled_at = sqlite3_column_int64 (stmt, COL_CANCELLED_AT);
  r->closed_at = sqlite3_column_int64 (stmt, COL_CLOSED_AT);
  r->subtotal = sqlite3_column_int64 (stmt, COL_SUBTOTAL);
  r->total_tax = sqlite3_column_int64 (stmt, COL_TOTAL_TAX);
  r->total_shipping = sqlite3_column_int64 (stmt, COL_TOTAL_SHIPPING);
  r->total_discounts = sqlite3_column_int64 (stmt, COL_TOTAL_DISCOUNTS);
  r->total_refunded = sqlite3_column_int64 (stmt, COL_TOTAL_REFUNDED);
  r->total = sqlite3_column_int64 (stmt, COL_TOTAL);
  r->item_count = sqlite3_column_int64 (stmt, COL_ITEM_COUNT);
  r->external_id = chunk_text (strings, stmt, COL_EXTERNAL_ID);
  r->number = chunk_text (strings, stmt, COL_NUMBER);
  r->currency = chunk_text (strings, stmt, COL_CURRENCY);
  r->status = chunk_text (strings, stmt, COL_STATUS);
  r->payment_status = chunk_text (strings, stmt, COL_PAYMENT_STATUS);
  r->fulfillment_status = chunk_text (strings, stmt, COL_FULFILLMENT_STATUS);
  r->status_code = chunk_text (strings, stmt, COL_STATUS_CODE);
  r->payment_code = chunk_text (strings, stmt, COL_PAYMENT_CODE);
  r->fulfillment_code = chunk_text (strings, stmt, COL_FULFILLMENT_CODE);
  r->customer_name = chunk_text (strings, stmt, COL_CUSTOMER_NAME);
  r->email = chunk_text (strings, stmt, COL_EMAIL);
  r->phone = chunk_text (strings, stmt, COL_PHONE);
  r->ship_city = chunk_text (strings, stmt, COL_SHIP_CITY);
  r->ship_country = chunk_text (strings, stmt, COL_SHIP_COUNTRY);
  r->note = chunk_text (strings, stmt, COL_NOTE);
  r->tags = chunk_text (strings, stmt, COL_TAGS);
  r->hold_reason = chunk_text (strings, stmt, COL_HOLD_REASON);
  r->on_hold = sqlite3_column_int (stmt, COL_ON_HOLD) != 0;
  r->archived = sqlite3_column_int (stmt, COL_ARCHIVED) != 0;
}

SkOrder *
_sk_order_list_order_from_row (const RowData *r)
{
  SkOrder *order = sk_order_new ();

  sk_order_set_id (order, r->id);
  sk_order_set_channel_id (order, r->channel_id);
  sk_order_set_external_id (order, r->external_id);
  sk_order_set_number (order, r->number);
  sk_order_set_created_at (order, r->created_at);
  sk_order_set_updated_at (order, r->updated_at);
  sk_order_set_processed_at (order, r->processed_at);
  sk_order_set_cancelled_at (order, r->cancelled_at);
  sk_order_set_closed_at (order, r->closed_at);
  sk_order_set_currency (order, r->currency);
  sk_order_set_subtotal (order, r->subtotal);
  sk_order_set_total_tax (order, r->total_tax);
  sk_order_set_total_shipping (order, r->total_shipping);
  sk_order_set_total_discounts (order, r->total_discounts);
  sk_order_set_total_refunded (order, r->total_refunded);
  sk_order_set_total (order, r->total);
  sk_order_set_status (order, sk_order_status_from_string (r->status), r->status_code);
  sk_order_set_payment_status (order, sk_payment_status_from_string (r->payment_status),
                               r->payment_code);
  sk_order_set_fulfillment_status (order, sk_fulfillment_status_from_string (r->fulfillment_status),
                                   r->fulfillment_code);
  sk_order_set_customer_name (order, r->customer_name);
  sk_order_set_email (order, r->email);
  sk_order_set_phone (order, r->phone);
  sk_order_set_ship_summary (order, r->ship_city, r->ship_country);
  sk_order_set_item_count (order, r->item_count);
  sk_order_set_note (order, r->note);
  sk_order_set_tags_from_string (order, r->tags);
  sk_order_set_hold (order, r->on_hold, r->hold_reason);
  sk_order_set_archived (order, r->archived);
  return order;
}

void
_sk_order_list_key_from_row (const Spec    *spec,
              const RowData *r,
              Key           *key)
{
  memset (key, 0, sizeof *key);
  key->id = r->id;
  switch (spec->sort)
    {
    case SK_ORDER_SORT_NUMBER:
      key->text = g_strdup (r->number ? r->number : "");
      break;
    case SK_ORDER_SORT_CUSTOMER:
      key->text = g_strdup (r->customer_name);
      key->is_null = r->customer_name == NULL;
      break;
    case SK_ORDER_SORT_TOTAL:
      key->num = r->total;
      break;
    case SK_ORDER_SORT_UPDATED:
      key->num = r->updated_at;
      break;
    case SK_ORDER_SORT_CREATED:
    default:
      key->num = r->created_at;
      break;
    }
}

static gboolean
set_error (SkOrderList  *self,
           int           rc,
           GError      **error)
{
  if (self->reader == NULL)
    return FALSE;
  return _sk_store_reader_set_error (self->reader, rc, error);
}

void
_sk_order_list_remember_error (SkOrderList *self,
                GError      *error)
{
  if (error == NULL)
    return;
  g_debug ("Order list query failed: %s", error->message);
  g_clear_error (&self->error);
  self->error = g_error_copy (error);
}

static gboolean
count_segment (SkOrderList  *self,
               guint         seg,
               const Key    *key,
               KeyOp         op,
               guint        *out,
               GError      **error)
{
  Query q;
  sqlite3_stmt *stmt;
  int rc;

  segment_query (self, &q, "SELECT COUNT(*) FROM orders", seg, key, op, FALSE);
  stmt = query_prepare (self, &q, error);
  query_clear (&q);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_error (self, rc, error);
  return TRUE;
}

/* Call @func for up to @limit rows in view order, starting at @from (per
 * @op; NULL for the first row) after skipping @offset rows. */
gboolean
_sk_order_list_fetch_rows (SkOrderList  *self,
            const Key    *from,
            KeyOp         op,
            guint         offset,
            guint         limit,
            gboolean      keys_only,
            RowFunc       func,
            gpointer      data,
            GError      **error)
{
  const Spec *spec = &self->active;
  g_autofree char *key_select =
    g_strdup_printf ("SELECT id, %s FROM orders", sort_info[spec->sort].column);
  guint first = from != NULL ? segment_of_key (spec, from) : 0;

  for (guint seg = first; seg < n_segments (spec) && limit > 0; seg++)
    {
      const Key *key = seg == first ? from : NULL;
      sqlite3_stmt *stmt;
      guint got = 0;
      Query q;
      int rc;

      segment_query (self, &q, keys_only ? key_select : "SELECT " ROW_COLUMNS " FROM orders",
                     seg, key, op, TRUE);
      g_string_append (q.sql, " LIMIT ? OFFSET ?");
      query_int (&q, limit);
      query_int (&q, offset);
      stmt = query_prepare (self, &q, error);
      query_clear (&q);
      if (stmt == NULL)
        return FALSE;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          func (self, stmt, data);
          got++;
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return set_error (self, rc, error);

      limit -= MIN (got, limit);
      if (got == 0 && offset > 0 && seg + 1 < n_segments (spec))
        {
          guint available = 0;

          if (!count_segment (self, seg, key, op, &available, error))
            return FALSE;
          offset -= MIN (offset, available);
        }
      else
        offset = 0;
    }
  return TRUE;
}

static gboolean ensure_matches (SkOrderList  *self,
                                GError      **error);

static gboolean
count_query (SkOrderList  *self,
             Query        *q,
             gint64       *out,
             GError      **error)
{
  sqlite3_stmt *stmt = query_prepare (self, q, error);
  int rc;

  query_clear (q);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_error (self, rc, error);
  return TRUE;
}

gboolean
_sk_order_list_count_all (SkOrderList  *self,
           guint        *out,
           GError      **error)
{
  const Spec *spec = &self->active;
  gint64 n = 0;
  Query q;

  if (!ensure_matches (self, error))
    return FALSE;

  if (has_plain_filters (spec))
    {
      query_init (&q, "SELECT COUNT(*) FROM orders");
      add_filters (self, &q, TRUE, FALSE);
      if (!count_query (self, &q, &n, error))
        return FALSE;
      *out = (guint) n;
      return TRUE;
    }

  /* Only archived and search: all (SQLite counts a table quickly) or the
   * matches, less the archived ones, counted on their index. The FTS rows
   * go with their orders (a trigger deletes them). */
  if (spec->match != NULL)
    n = self->matches->ids->len;
  else
    {
      query_init (&q, "SELECT COUNT(*) FROM orders");
      if (!count_query (self, &q, &n, error))
        return FALSE;
    }
  if (!spec->show_archived)
    {
      gint64 archived = 0;

      for (int sign = 0; sign < 2; sign++)
        {
          gint64 part = 0;

          query_init (&q, "SELECT COUNT(*) FROM orders");
          query_where (&q, sign == 0 ? "archived > 0" : "archived < 0");
          if (spec->match != NULL)
            add_search (self, &q, TRUE);
          if (!count_query (self, &q, &part, error))
            return FALSE;
          archived += part;
        }
      n -= archived;
    }
  *out = (guint) MAX (n, 0);
  return TRUE;
}

/* How many rows of the view come before @key. */
gboolean
_sk_order_list_count_before (SkOrderList  *self,
              const Key    *key,
              guint        *out,
              GError      **error)
{
  guint seg = segment_of_key (&self->active, key);
  guint n = 0;

  *out = 0;
  for (guint s = 0; s < seg; s++)
    {
      if (!count_segment (self, s, NULL, KEY_AT_OR_AFTER, &n, error))
        return FALSE;
      *out += n;
    }
  if (!count_segment (self, seg, key, KEY_BEFORE, &n, error))
    return FALSE;
  *out += n;
  return TRUE;
}

/* One order by id, whatever the filter; NULL without error when gone. */
SkOrder *
_sk_order_list_load_row (SkOrderList  *self,
          gint64        id,
          GError      **error)
{
  sqlite3_stmt *stmt;
  SkOrder *order = NULL;
  int rc;

  stmt = _sk_order_list_prepare (self,
                                 "SELECT " ROW_COLUMNS " FROM orders WHERE id = ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    order = order_from_stmt (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_error (self, rc, error);
  return order;
}

/* The search matches, from the FTS index. */
static gboolean
ensure_matches (SkOrderList  *self,
                GError      **error)
{
  sqlite3_stmt *stmt;
  IdSet *set;
  gint64 max = -1;
  int rc;

  if (self->active.match == NULL || self->matches != NULL)
    return TRUE;

  stmt = _sk_order_list_prepare (self,
                                 "SELECT rowid FROM orders_fts WHERE orders_fts MATCH ? ORDER BY rowid",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->active.match, -1, SQLITE_TRANSIENT);

  set = g_new0 (IdSet, 1);
  set->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (set->ids, id);
      max = MAX (max, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      id_set_free (set);
      return set_error (self, rc, error);
    }

  if (max < MAX_BITMAP)
    {
      set->n_bits = (((gsize) max + 1 + 7) / 8) * 8;
      set->bits = g_malloc0 (set->n_bits / 8 + 1);
      for (guint i = 0; i < set->ids->len; i++)
        {
          gint64 id = g_array_index (set->ids, gint64, i);

          if (id >= 0)
            set->bits[id >> 3] |= 1u << (id & 7);
        }
    }
  self->matches = set;
  return TRUE;
}

void
_sk_order_list_forget_matches (SkOrderList *self)
{
  g_clear_pointer (&self->matches, id_set_free);
}

/* Whether order @id matches the search text (ignoring other filters). */
gboolean
_sk_order_list_fts_contains (SkOrderList  *self,
              gint64        id,
              gboolean     *out,
              GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sk_order_list_prepare (self,
                                 "SELECT 1 FROM orders_fts WHERE orders_fts MATCH ? AND rowid = ?",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->active.match, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, rc, error);
  *out = rc == SQLITE_ROW;
  return TRUE;
}

/* Whether order @id passes the current filter. */
gboolean
_sk_order_list_row_matches (SkOrderList  *self,
             gint64        id,
             gboolean     *out,
             GError      **error)
{
  sqlite3_stmt *stmt;
  Query q;
  int rc;

  query_init (&q, "SELECT 1 FROM orders");
  query_where (&q, "id = ?");
  query_int (&q, id);
  add_filters (self, &q, FALSE, FALSE);
  stmt = query_prepare (self, &q, error);
  query_clear (&q);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error (self, rc, error);
  *out = rc == SQLITE_ROW;
  if (!*out || self->active.match == NULL)
    return TRUE;
  return _sk_order_list_fts_contains (self, id, out, error);
}

