/* sk-inbox-view.h: the order inbox: every order from every channel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A column view over SkOrderList (sorted and filtered in SQL), search,
 * filters, the problems row, the order pane, and actions on the selected
 * orders (inbox.hold, inbox.release, inbox.add-tag, inbox.remove-tag,
 * inbox.archive, inbox.unarchive, inbox.undo …) with undo toasts.
 */
#pragma once

#include <adwaita.h>

#include "sk-context.h"
#include "sk-order-pane.h"

G_BEGIN_DECLS

#define SK_TYPE_INBOX_VIEW (sk_inbox_view_get_type ())
G_DECLARE_FINAL_TYPE (SkInboxView, sk_inbox_view, SK, INBOX_VIEW, GtkWidget)

GtkWidget         *sk_inbox_view_new              (SkContext   *context);
SkContext         *sk_inbox_view_get_context      (SkInboxView *self);
/* The SkOrderList shown. */
GListModel        *sk_inbox_view_get_model        (SkInboxView *self);
GtkSelectionModel *sk_inbox_view_get_selection    (SkInboxView *self);
SkOrderPane       *sk_inbox_view_get_order_pane   (SkInboxView *self);
/* Put the keyboard focus into the search entry. */
void               sk_inbox_view_focus_search     (SkInboxView *self);
void               sk_inbox_view_set_search_text  (SkInboxView *self,
                                                   const char  *text);
/* "list", "no-channels", "no-orders", "no-results" or "error". */
const char        *sk_inbox_view_get_visible_page (SkInboxView *self);
/* The last toast the view showed, for tests; NULL before any. */
AdwToast          *sk_inbox_view_get_last_toast   (SkInboxView *self);

G_END_DECLS
