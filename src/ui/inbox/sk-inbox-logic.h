/* sk-inbox-logic.h: what the order inbox shows, decided without GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain functions the inbox view and the order pane call to turn orders
 * into words, colors, enabled actions and undo plans. Tests drive them
 * without a display (tests/test-inbox-logic.c).
 */
#pragma once

#include <glib.h>

#include "sk-order.h"
#include "sk-store-orders.h"
#include "sk-store-problems.h"

G_BEGIN_DECLS

/* Status pills: a short translated label and a color role. */
typedef enum {
  SK_PILL_NEUTRAL,
  SK_PILL_SUCCESS,
  SK_PILL_WARNING,
  SK_PILL_ERROR,
  SK_PILL_ACCENT,
  SK_PILL_DIM,
} SkPillStyle;

typedef struct {
  const char  *label;   /* translated, static */
  SkPillStyle  style;
} SkPill;

SkPill       sk_inbox_payment_pill        (SkPaymentStatus     status);
SkPill       sk_inbox_fulfillment_pill    (SkFulfillmentStatus status);
SkPill       sk_inbox_order_status_pill   (SkOrderStatus       status);
/* "pill-success" … the CSS class of resources/style.css for @style. */
const char  *sk_inbox_pill_css_class      (SkPillStyle         style);

/* Dates in lists: "Today 14:05", "Yesterday 09:12", "Nov 3",
 * "Nov 3, 2023" (formats are translatable). @tz NULL means local time. */
char        *sk_inbox_format_date         (gint64     unix_utc,
                                           gint64     now_unix,
                                           GTimeZone *tz);
/* For the pane header: "Sunday, November 3, 2024 at 14:05". */
char        *sk_inbox_format_date_long    (gint64     unix_utc,
                                           GTimeZone *tz);
/* "Louisville, US"; either part may be missing; "" when both are. */
char        *sk_inbox_format_destination  (const char *city,
                                           const char *country_code);
/* Several lines for the pane: name, company, street, city line, country. */
char        *sk_inbox_format_address      (const SkAddress *address);

/* Date range presets of the filters. */
typedef enum {
  SK_DATE_PRESET_ALL,
  SK_DATE_PRESET_TODAY,
  SK_DATE_PRESET_7_DAYS,
  SK_DATE_PRESET_30_DAYS,
} SkDatePreset;

/* [from, to) in Unix seconds for the order list; 0 for an open end.
 * "Today" starts at local midnight; "7 days" is today and the six days
 * before. */
void         sk_inbox_date_preset_range   (SkDatePreset preset,
                                           gint64       now_unix,
                                           GTimeZone   *tz,
                                           gint64      *out_from,
                                           gint64      *out_to);

/* What is selected, summed up. */
typedef enum {
  SK_INBOX_CAN_HOLD       = 1 << 0,
  SK_INBOX_CAN_RELEASE    = 1 << 1,
  SK_INBOX_CAN_ADD_TAG    = 1 << 2,
  SK_INBOX_CAN_REMOVE_TAG = 1 << 3,
  SK_INBOX_CAN_ARCHIVE    = 1 << 4,
  SK_INBOX_CAN_UNARCHIVE  = 1 << 5,
} SkInboxActionFlags;

typedef struct _SkInboxSelection SkInboxSelection;

SkInboxSelection   *sk_inbox_selection_new          (void);
void                sk_inbox_selection_free         (SkInboxSelection *self);
void                sk_inbox_selection_add          (SkInboxSelection *self,
                                                     SkOrder          *order);
guint               sk_inbox_selection_get_count    (SkInboxSelection *self);
/* Which actions would change at least one selected order. */
SkInboxActionFlags  sk_inbox_selection_get_actions  (SkInboxSelection *self);
/* Tags present on at least one selected order, sorted; NULL-terminated,
 * owned by @self. */
const char * const *sk_inbox_selection_get_tags     (SkInboxSelection *self);
/* "3 orders selected · $1,204.50" (one currency) or
 * "3 orders selected · 2 currencies"; NULL when nothing is selected. */
char               *sk_inbox_selection_summary      (SkInboxSelection *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkInboxSelection, sk_inbox_selection_free)

/* One step of an undo plan: apply @action with @arg to @order_ids. */
typedef struct {
  SkOrderAction  action;
  char          *arg;
  GArray        *order_ids;   /* gint64 */
} SkInboxStep;

void         sk_inbox_step_free           (SkInboxStep *step);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SkInboxStep, sk_inbox_step_free)

/* The steps that undo @action (with @arg) applied to @before, the orders
 * as they were before the action: release what the hold held, hold again
 * with each order's previous reason what a release released, remove a tag
 * only where it was added, and so on. Orders the action did not change
 * are left out. Returns an array of SkInboxStep (empty when nothing would
 * change). */
GPtrArray   *sk_inbox_plan_undo           (SkOrderAction  action,
                                           const char    *arg,
                                           GPtrArray     *before);   /* SkOrder */

/* The toast after an action changed @n_changed orders: "Order #1001 put on
 * hold" when there was one and @number is known, "3 orders put on hold",
 * and a sentence saying nothing changed when @n_changed is 0. */
char        *sk_inbox_action_toast        (SkOrderAction  action,
                                           const char    *arg,
                                           guint          n_changed,
                                           const char    *number);

/* Which page the inbox shows instead of (or as) the list. */
typedef enum {
  SK_INBOX_PAGE_LIST,
  SK_INBOX_PAGE_NO_CHANNELS,   /* nothing connected yet: connect or try the demo */
  SK_INBOX_PAGE_NO_ORDERS,     /* connected, nothing imported yet */
  SK_INBOX_PAGE_NO_RESULTS,    /* a search or filter hides everything */
  SK_INBOX_PAGE_ERROR,         /* the list could not be read */
} SkInboxPage;

SkInboxPage  sk_inbox_choose_page         (guint          n_items,
                                           guint          n_channels,
                                           gboolean       filtering,
                                           gboolean       has_error);
/* The GtkStack page name of @page. */
const char  *sk_inbox_page_name           (SkInboxPage    page);
/* "No orders match “smith”." / "No orders match the filters." */
char        *sk_inbox_no_results_text     (const char    *search,
                                           guint          n_filters);
/* The problems row: the first problem's message, and how many more there
 * are. @problems holds SkProblem (sk-store-problems.h); NULL when empty. */
char        *sk_inbox_problems_text       (GPtrArray     *problems);

/* The order's history, as the pane lists it. */
/* @currency formats logged refund totals; may be NULL. */
char        *sk_inbox_event_title         (const SkEvent *event,
                                           const char    *currency);
/* "You · Nov 3 14:05 · Address needs checking" */
char        *sk_inbox_event_subtitle      (const SkEvent *event,
                                           gint64         now_unix,
                                           GTimeZone     *tz);
/* "You", "Shopify sync", "Routing rules"… */
char        *sk_inbox_actor_label         (const char    *actor);

G_END_DECLS
