/* sk-context.c: what every view needs, passed explicitly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-engine"

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "sk-context.h"

struct _SkContext
{
  GObject parent_instance;

  SkStore *store;
  SkSyncManager *sync;
  GSettings *settings;
  SkNotifier *notifier;
  SkOutboxDispatcher *dispatcher;
  SkInventory *inventory;
  SkCatalogScheduler *catalog;
  gboolean demo;
};

enum {
  PROP_0,
  PROP_DEMO,
  PROP_OUTBOX_DISPATCHER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SkContext, sk_context, G_TYPE_OBJECT)

/* Tests pass no settings: give them a memory-backed copy of the app's
 * schema so views can read and write keys without touching dconf. */
static GSettings *
new_memory_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsBackend) backend = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed; set "
                 "GSETTINGS_SCHEMA_DIR to a compiled copy", APP_ID);
      return NULL;
    }

  backend = g_memory_settings_backend_new ();
  return g_settings_new_full (schema, backend, NULL);
}

static void
sk_context_dispose (GObject *object)
{
  SkContext *self = SK_CONTEXT (object);

  g_clear_object (&self->dispatcher);
  g_clear_object (&self->inventory);
  g_clear_object (&self->catalog);
  g_clear_object (&self->notifier);
  g_clear_object (&self->sync);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sk_context_parent_class)->dispose (object);
}

static void
sk_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SkContext *self = SK_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    case PROP_OUTBOX_DISPATCHER:
      g_value_set_object (value, self->dispatcher);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SkContext *self = SK_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DEMO:
      sk_context_set_demo (self, g_value_get_boolean (value));
      break;

    case PROP_OUTBOX_DISPATCHER:
      sk_context_set_outbox_dispatcher (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sk_context_class_init (SkContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sk_context_dispose;
  object_class->get_property = sk_context_get_property;
  object_class->set_property = sk_context_set_property;

  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTBOX_DISPATCHER] =
    g_param_spec_object ("outbox-dispatcher", NULL, NULL, SK_TYPE_OUTBOX_DISPATCHER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sk_context_init (SkContext *self)
{
}

SkContext *
sk_context_new (SkStore       *store,
                SkSyncManager *sync,
                GSettings     *settings,
                SkNotifier    *notifier)
{
  SkContext *self;

  g_return_val_if_fail (SK_IS_STORE (store), NULL);
  g_return_val_if_fail (sync == NULL || SK_IS_SYNC_MANAGER (sync), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (notifier == NULL || SK_IS_NOTIFIER (notifier), NULL);

  self = g_object_new (SK_TYPE_CONTEXT, NULL);
  self->store = g_object_ref (store);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  self->settings = settings != NULL ? g_object_ref (settings) : new_memory_settings ();
  self->notifier = notifier != NULL ? g_object_ref (notifier) : NULL;

  /* The preference applies at once, in the app and in tests alike. */
  if (self->sync != NULL && self->settings != NULL)
    g_settings_bind (self->settings, "sync-interval", self->sync, "min-interval",
                     G_SETTINGS_BIND_GET);
  return self;
}

SkStore *
sk_context_get_store (SkContext *self)
{
  g_return_val_if_fail (SK_IS_CONTEXT (self), NULL);

  return self->store;
}

SkSyncManager *
sk_context_get_sync_manager (SkContext *self)
{
  g_return_val_if_fail (SK_IS_CONTEXT (self), NULL);

  return self->sync;
}

GSettings *
sk_context_get_settings (SkContext *self)
{
  g_return_val_if_fail (SK_IS_CONTEXT (self), NULL);

  return self->settings;
}

SkNotifier *
sk_context_get_notifier (SkContext *self)
{
  g_return_val_if_fail (SK_IS_CONTEXT (self), NULL);

  return self->notifier;
}

gboolean
sk_context_get_demo (SkContext *self)
{
  g_return_val_if_fail (SK_IS_CONTEXT (self), FALSE);

  return self->demo;
}

void
sk_context_set_demo (SkContext *self,
                     gboolean   demo)
{
  g_return_if_fail (SK_IS_CONTEXT (self));

  demo = !!demo;
  if (self->demo == demo)
    return;
  self->demo = demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

SkOutboxDispatcher *
sk_context_get_outbox_dispatcher (SkContext *self)
{
  g_return_val_if_fail (SK_IS_CONTEXT (self), NULL);

  return self->dispatcher;
}

void
sk_context_set_outbox_dispatcher (SkContext          *self,
                                  SkOutboxDispatcher *dispatcher)
{
  g_return_if_fail (SK_IS_CONTEXT (self));
  g_return_if_fail (dispatcher == NULL || SK_IS_OUTBOX_DISPATCHER (dispatcher));

  if (g_set_object (&self->dispatcher, dispatcher))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTBOX_DISPATCHER]);
}

SkInventory *
sk_context_get_inventory (SkContext *self)
{
  g_return_val_if_fail (SK_IS_CONTEXT (self), NULL);
  return self->inventory;
}

void
sk_context_set_inventory (SkContext   *self,
                          SkInventory *inventory)
{
  g_return_if_fail (SK_IS_CONTEXT (self));
  g_return_if_fail (inventory == NULL || SK_IS_INVENTORY (inventory));
  g_set_object (&self->inventory, inventory);
}

SkCatalogScheduler *
sk_context_get_catalog_scheduler (SkContext *self)
{
  g_return_val_if_fail (SK_IS_CONTEXT (self), NULL);
  return self->catalog;
}

void
sk_context_set_catalog_scheduler (SkContext          *self,
                                  SkCatalogScheduler *scheduler)
{
  g_return_if_fail (SK_IS_CONTEXT (self));
  g_return_if_fail (scheduler == NULL || SK_IS_CATALOG_SCHEDULER (scheduler));
  g_set_object (&self->catalog, scheduler);
}
