/* sk-order-list-private.h: what the order list's model and query halves share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sk-order-list.c is the GListModel: pages, anchors, the objects handed
 * out and following the store. sk-order-list-query.c turns the filter into
 * SQL and runs it: counts, keyset fetches, the search matches.
 */
#pragma once

#include <sqlite3.h>

#include "sk-order-list.h"
#include "sk-store-private.h"

G_BEGIN_DECLS

#define PAGE_SIZE  128   /* rows per cached page */
#define BLOCK_SIZE 512   /* rows between anchors; a multiple of PAGE_SIZE */
#define MAX_PAGES  16    /* pages kept in the LRU */
#define MAX_BATCH  200   /* more changed ids than this: reset */
#define SMALL_SET  2000  /* fewer search matches: look them up by id */
#define MAX_BITMAP (64 * 1024 * 1024)  /* ids covered by a match bitmap */

/* sk_order_list_has (set, id): whether @id is in the search matches bound
 * as a pointer of this type. Lets SQLite walk a sort index in order and
 * test each row against the matches without reading the table. */
#define HAS_FUNCTION "sk_order_list_has"
#define SET_POINTER_TYPE "sk-order-list-id-set"

#define ROW_COLUMNS                                                           \
  "id, channel_id, external_id, number, created_at, updated_at,"              \
  " processed_at, cancelled_at, closed_at, currency, subtotal, total_tax,"   \
  " total_shipping, total_discounts, total_refunded, total, status,"          \
  " payment_status, fulfillment_status, status_code, payment_code,"          \
  " fulfillment_code, customer_name, email, phone, ship_city, ship_country,"  \
  " item_count, note, tags, on_hold, hold_reason, archived"

enum {
  COL_ID, COL_CHANNEL_ID, COL_EXTERNAL_ID, COL_NUMBER, COL_CREATED_AT,
  COL_UPDATED_AT, COL_PROCESSED_AT, COL_CANCELLED_AT, COL_CLOSED_AT,
  COL_CURRENCY, COL_SUBTOTAL, COL_TOTAL_TAX, COL_TOTAL_SHIPPING,
  COL_TOTAL_DISCOUNTS, COL_TOTAL_REFUNDED, COL_TOTAL, COL_STATUS,
  COL_PAYMENT_STATUS, COL_FULFILLMENT_STATUS, COL_STATUS_CODE,
  COL_PAYMENT_CODE, COL_FULFILLMENT_CODE, COL_CUSTOMER_NAME, COL_EMAIL,
  COL_PHONE, COL_SHIP_CITY, COL_SHIP_COUNTRY, COL_ITEM_COUNT, COL_NOTE,
  COL_TAGS, COL_ON_HOLD, COL_HOLD_REASON, COL_ARCHIVED,
};

typedef struct
{
  const char *column;
  gboolean text;
  gboolean nullable;
  gboolean immutable;   /* an update never changes it */
} SortInfo;

static const SortInfo sort_info[] G_GNUC_UNUSED = {
  [SK_ORDER_SORT_CREATED]  = { "created_at",    FALSE, FALSE, TRUE },
  [SK_ORDER_SORT_NUMBER]   = { "number",        TRUE,  FALSE, TRUE },
  [SK_ORDER_SORT_CUSTOMER] = { "customer_name", TRUE,  TRUE,  FALSE },
  [SK_ORDER_SORT_TOTAL]    = { "total",         FALSE, FALSE, FALSE },
  [SK_ORDER_SORT_UPDATED]  = { "updated_at",    FALSE, FALSE, FALSE },
};

/* What the view shows. */
typedef struct
{
  SkOrderSort sort;
  gboolean descending;
  gint64 channel_id;
  int order_status;
  int payment_status;
  int fulfillment_status;
  gboolean only_on_hold;
  gboolean show_archived;
  gint64 from;
  gint64 to;
  char *match;          /* FTS5 query built from the search text, or NULL */
} Spec;

/* The ids matching the search, ascending, with a bitmap for quick tests. */
typedef struct
{
  GArray *ids;          /* gint64 */
  guint8 *bits;         /* NULL when an id is too large for a bitmap */
  gsize n_bits;
  char *json;           /* the ids as a JSON array, for json_each; or NULL */
} IdSet;

/* A row's place in the order: its sort value and id. */
typedef struct
{
  gint64 id;
  gint64 num;
  char *text;
  gboolean is_null;
} Key;

typedef enum {
  KEY_AT_OR_AFTER,
  KEY_AFTER,
  KEY_BEFORE,
} KeyOp;

typedef enum {
  SEG_VALUES,
  SEG_NULLS,
} SegKind;

/* One orders row as read, strings in the page's chunk. */
typedef struct
{
  gint64 id, channel_id, created_at, updated_at, processed_at, cancelled_at, closed_at;
  gint64 subtotal, total_tax, total_shipping, total_discounts, total_refunded, total;
  gint64 item_count;
  const char *external_id, *number, *currency, *status, *payment_status;
  const char *fulfillment_status, *status_code, *payment_code, *fulfillment_code;
  const char *customer_name, *email, *phone, *ship_city, *ship_country, *note, *tags;
  const char *hold_reason;
  gboolean on_hold, archived;
} RowData;

/* Rows are kept as data; an SkOrder is made when its position is asked
 * for, so a page read for one item costs one object, not a hundred. */
typedef struct
{
  guint index;
  GArray *rows;         /* RowData */
  GStringChunk *strings;
  GPtrArray *items;     /* SkOrder or NULL, one per row */
  GList *link;          /* in lru */
} Page;

typedef struct
{
  guint pos;
  SkOrder *order;
} Extra;

struct _SkOrderList
{
  GObject parent_instance;

  SkStore *store;
  /* Everything the list reads comes from this reader's snapshot, taken
   * when the list first counts and moved on only when the list applies a
   * change (or starts over): the positions and count it announced and the
   * rows it serves always describe one state of the database. */
  SkStoreReader *reader;
  GError *open_error;   /* why there is no reader */
  GSource *reset_source; /* an idle that starts over, after the snapshot was lost */
  Spec active;
  Spec pending;
  guint freeze_count;
  gboolean apply_pending;

  gboolean n_valid;
  guint n_items;

  GArray *anchors;      /* Key; [j] is the row at j * BLOCK_SIZE, [0] unused */
  GHashTable *pages;    /* index → Page */
  GQueue lru;           /* Page, most recent first */
  GHashTable *live;     /* gint64 id → SkOrder handed out (weak) */
  IdSet *matches;       /* of active.match, NULL until needed */
  gboolean has_function;

  GError *error;

  /* While emitting a batch of changes: the intermediate state is the
   * "common" rows (the final rows minus @hidden final positions) with
   * @extras (rows still to be removed) at their old positions. */
  gboolean overlay;
  guint overlay_common;
  guint overlay_inserts;  /* final positions hidden at the start */
  GArray *hidden;       /* guint final positions, ascending */
  GArray *extras;       /* Extra, ascending pos */
};

typedef void (*RowFunc) (SkOrderList  *self,
                         sqlite3_stmt *stmt,
                         gpointer      data);

void _sk_order_list_spec_init (Spec *spec);
void _sk_order_list_spec_clear (Spec *spec);
void _sk_order_list_spec_copy (Spec       *dest,
                               const Spec *src);
gboolean _sk_order_list_spec_equal (const Spec *a,
                                    const Spec *b);
char *_sk_order_list_build_match (const char *text);
void _sk_order_list_id_set_update (IdSet    *set,
                                   gint64    id,
                                   gboolean  present);
void _sk_order_list_has_function (sqlite3_context  *context,
                                  int               argc,
                                  sqlite3_value   **argv);
void _sk_order_list_key_clear (gpointer data);
void _sk_order_list_key_copy (Key       *dest,
                              const Key *src);
void _sk_order_list_key_from_order (const Spec *spec,
                                    SkOrder    *order,
                                    Key        *key);
void _sk_order_list_key_from_stmt (sqlite3_stmt *stmt,
                                   Key          *key);
int _sk_order_list_key_compare (const Spec *spec,
                                const Key  *a,
                                const Key  *b);
void _sk_order_list_row_from_stmt (RowData      *r,
                                   GStringChunk *strings,
                                   sqlite3_stmt *stmt);
SkOrder *_sk_order_list_order_from_row (const RowData *r);
void _sk_order_list_key_from_row (const Spec    *spec,
                                  const RowData *r,
                                  Key           *key);
sqlite3_stmt *_sk_order_list_prepare (SkOrderList  *self,
                                      const char   *sql,
                                      GError      **error);
void _sk_order_list_remember_error (SkOrderList *self,
                                    GError      *error);
/* Start over from an idle: the snapshot behind what the list announced
 * was lost, so nothing may be read for it any more. */
void _sk_order_list_schedule_reset (SkOrderList *self);
gboolean _sk_order_list_fetch_rows (SkOrderList  *self,
                                    const Key    *from,
                                    KeyOp         op,
                                    guint         offset,
                                    guint         limit,
                                    gboolean      keys_only,
                                    RowFunc       func,
                                    gpointer      data,
                                    GError      **error);
gboolean _sk_order_list_count_all (SkOrderList  *self,
                                   guint        *out,
                                   GError      **error);
gboolean _sk_order_list_count_before (SkOrderList  *self,
                                      const Key    *key,
                                      guint        *out,
                                      GError      **error);
SkOrder *_sk_order_list_load_row (SkOrderList  *self,
                                  gint64        id,
                                  GError      **error);
void _sk_order_list_forget_matches (SkOrderList *self);
gboolean _sk_order_list_fts_contains (SkOrderList  *self,
                                      gint64        id,
                                      gboolean     *out,
                                      GError      **error);
gboolean _sk_order_list_row_matches (SkOrderList  *self,
                                     gint64        id,
                                     gboolean     *out,
                                     GError      **error);

G_END_DECLS
