/* sk-context.h: what every view needs, passed explicitly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Created once by the application (or by a test) and handed to each view's
 * constructor; nothing looks it up globally. GTK-free.
 */
#pragma once

#include <gio/gio.h>

#include "sk-notifier.h"
#include "sk-catalog.h"
#include "sk-inventory.h"
#include "sk-outbox-dispatcher.h"
#include "sk-store.h"
#include "sk-sync-manager.h"

G_BEGIN_DECLS

#define SK_TYPE_CONTEXT (sk_context_get_type ())
G_DECLARE_FINAL_TYPE (SkContext, sk_context, SK, CONTEXT, GObject)

/* @settings may be NULL (tests): a memory-backed one is made. Its
 * "sync-interval" key drives @sync's "min-interval" from then on. */
SkContext     *sk_context_new              (SkStore       *store,
                                            SkSyncManager *sync,
                                            GSettings     *settings,
                                            SkNotifier    *notifier);
SkStore       *sk_context_get_store        (SkContext *self);
SkSyncManager *sk_context_get_sync_manager (SkContext *self);
GSettings     *sk_context_get_settings     (SkContext *self);
SkNotifier    *sk_context_get_notifier     (SkContext *self);
/* What sends shipments back to the channels; NULL when none was set (the
 * application makes, starts and stops it; tests may leave it out). */
/* The inventory engine and the catalog scheduler; NULL until the
 * application (or a test) sets them. */
SkInventory        *sk_context_get_inventory         (SkContext          *self);
void                sk_context_set_inventory         (SkContext          *self,
                                                      SkInventory        *inventory);
SkCatalogScheduler *sk_context_get_catalog_scheduler (SkContext          *self);
void                sk_context_set_catalog_scheduler (SkContext          *self,
                                                      SkCatalogScheduler *scheduler);
SkOutboxDispatcher *sk_context_get_outbox_dispatcher (SkContext          *self);
void                sk_context_set_outbox_dispatcher (SkContext          *self,
                                                      SkOutboxDispatcher *dispatcher);
/* TRUE when running on the embedded demo shop with a throwaway profile. */
gboolean       sk_context_get_demo         (SkContext *self);
void           sk_context_set_demo         (SkContext *self, gboolean demo);

G_END_DECLS
