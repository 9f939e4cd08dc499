/* sk-shopify-catalog-normalize.c: Shopify products, variants, inventory
 * items and levels → listings (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-shopify"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-money.h"
#include "sk-shopify-catalog-normalize.h"

#define DEFAULT_TITLE "Default Title"

typedef struct {
  char   *product_ref;
  char   *variant_ref;
  char   *inventory_ref;
  char   *sku;
  char   *barcode;
  char   *title;               /* for the listing */
  char   *product_title;       /* NULL: from variants.json */
  char   *variant_title;       /* NULL for the default variant */
  gint64  weight;              /* thousandths of weight_unit */
  char   *weight_unit;         /* NULL: unknown */
  gboolean managed;            /* inventory_management is not null */
  gint64  inventory_quantity;  /* -1: not given */
} Entry;

typedef struct {
  char   *location;
  gint64  available;           /* -1: null */
} Level;

typedef struct {
  int      tracked;            /* -1 unknown, 0, 1 */
  gboolean has_cost;
  gint64   cost;
  GArray  *levels;             /* Level */
} Item;

struct _SkShopifyCatalog
{
  char       *currency;
  GPtrArray  *entries;         /* Entry */
  GHashTable *entry_index;     /* "product\x1fvariant" → GUINT index + 1 */
  GHashTable *items;           /* inventory item id → Item */
  GPtrArray  *item_ids;        /* in the order first seen */
  guint       skipped;
};

/* Helpers */

static void
entry_free (Entry *entry)
{
  g_free (entry->product_ref);
  g_free (entry->variant_ref);
  g_free (entry->inventory_ref);
  g_free (entry->sku);
  g_free (entry->barcode);
  g_free (entry->title);
  g_free (entry->product_title);
  g_free (entry->variant_title);
  g_free (entry->weight_unit);
  g_free (entry);
}

static void
level_clear (Level *level)
{
  g_free (level->location);
}

static void
item_free (Item *item)
{
  g_array_unref (item->levels);
  g_free (item);
}

char *
sk_shopify_catalog_dup_id (JsonObject *object,
                           const char *member)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      if (text == NULL || *text == '\0')
        return NULL;
      for (const char *p = text; *p != '\0'; p++)
        if (!g_ascii_isdigit (*p))
          return NULL;
      return g_strdup (text);
    }
  return NULL;
}

/* A non-empty text member, trimmed, or NULL. */
static char *
dup_text (JsonObject *object,
          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = g_strstrip (g_strdup (json_node_get_string (node)));
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* A JSON integer ≥ 0, else -1. */
static gint64
count_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

/* A JSON number as thousandths, exactly: json-glib keeps a number with a
 * fraction as a double; its shortest round-trip text is parsed as a
 * decimal. */
static gboolean
thousandths_member (JsonObject *object,
                    const char *member,
                    gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      g_ascii_formatd (text, sizeof text, "%.15g", json_node_get_double (node));
      break;
    case G_TYPE_STRING:
      g_strlcpy (text, json_node_get_string (node), sizeof text);
      break;
    default:
      return FALSE;
    }
  return sk_money_parse_decimal (text, 3, TRUE, out, NULL);
}

static gboolean
is_weight_unit (const char *unit)
{
  return g_strcmp0 (unit, "g") == 0 || g_strcmp0 (unit, "kg") == 0 ||
         g_strcmp0 (unit, "oz") == 0 || g_strcmp0 (unit, "lb") == 0;
}

static Item *
item_for (SkShopifyCatalog *self,
          const char       *id)
{
  Item *item = g_hash_table_lookup (self->items, id);

  if (item == NULL)
    {
      item = g_new0 (Item, 1);
      item->tracked = -1;
      item->levels = g_array_new (FALSE, TRUE, sizeof (Level));
      g_array_set_clear_func (item->levels, (GDestroyNotify) level_clear);
      g_hash_table_insert (self->items, g_strdup (id), item);
    }
  return item;
}

static void
note_item_id (SkShopifyCatalog *self,
              const char       *id)
{
  if (g_hash_table_contains (self->items, id))
    return;
  item_for (self, id);
  g_ptr_array_add (self->item_ids, g_strdup (id));
}

/* The array of @member of @root, or @root itself when it is an array; a
 * single object under @single becomes a one-element array in @out_single. */
static JsonArray *
elements_of (JsonNode    *root,
             const char  *member,
             const char  *single,
             JsonArray  **out_single,
             GError     **error)
{
  JsonObject *object;
  JsonNode *node;

  *out_single = NULL;
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      node = json_object_get_member (object, member);
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        return json_node_get_array (node);
      node = single != NULL ? json_object_get_member (object, single) : NULL;
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          *out_single = json_array_new ();
          json_array_add_element (*out_single, json_node_copy (node));
          return *out_single;
        }
    }
  g_set_error (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
               _("Shopify sent a catalog page without “%s”. Refresh the catalog again; if it keeps happening, report the problem."),
               member);
  return NULL;
}

/* Variants */

static void
add_entry (SkShopifyCatalog *self,
           Entry            *entry)   /* taken */
{
  g_autofree char *key = g_strconcat (entry->product_ref, "\x1f", entry->variant_ref, NULL);
  gpointer index = g_hash_table_lookup (self->entry_index, key);

  if (entry->inventory_ref != NULL)
    note_item_id (self, entry->inventory_ref);
  if (index != NULL)
    {
      guint i = GPOINTER_TO_UINT (index) - 1;

      entry_free (g_ptr_array_index (self->entries, i));
      g_ptr_array_index (self->entries, i) = entry;
      return;
    }
  g_ptr_array_add (self->entries, entry);
  g_hash_table_insert (self->entry_index, g_steal_pointer (&key),
                       GUINT_TO_POINTER (self->entries->len));
}

static void
add_variant (SkShopifyCatalog *self,
             JsonObject       *variant,
             const char       *product_ref,
             const char       *product_title)
{
  Entry *entry;
  JsonNode *management;
  g_autofree char *own_product = NULL;
  g_autofree char *unit = NULL;
  gint64 grams;

  if (product_ref == NULL)
    product_ref = own_product = sk_shopify_catalog_dup_id (variant, "product_id");

  entry = g_new0 (Entry, 1);
  entry->product_ref = g_strdup (product_ref);
  entry->variant_ref = sk_shopify_catalog_dup_id (variant, "id");
  if (entry->product_ref == NULL || entry->variant_ref == NULL)
    {
      g_debug ("Skipping a Shopify variant without a product or variant id");
      self->skipped++;
      entry_free (entry);
      return;
    }
  entry->inventory_ref = sk_shopify_catalog_dup_id (variant, "inventory_item_id");
  entry->sku = dup_text (variant, "sku");
  entry->barcode = dup_text (variant, "barcode");
  entry->variant_title = dup_text (variant, "title");
  if (g_strcmp0 (entry->variant_title, DEFAULT_TITLE) == 0)
    g_clear_pointer (&entry->variant_title, g_free);
  entry->product_title = g_strdup (product_title);
  if (product_title != NULL && entry->variant_title != NULL)
    entry->title = g_strconcat (product_title, " – ", entry->variant_title, NULL);
  else
    entry->title = g_strdup (product_title != NULL ? product_title : entry->variant_title);

  /* inventory_management null: Shopify does not count this variant. */
  management = json_object_get_member (variant, "inventory_management");
  entry->managed = management == NULL || !JSON_NODE_HOLDS_NULL (management);
  entry->inventory_quantity = count_member (variant, "inventory_quantity");

  unit = dup_text (variant, "weight_unit");
  if (is_weight_unit (unit) && thousandths_member (variant, "weight", &entry->weight) &&
      entry->weight > 0)
    entry->weight_unit = g_steal_pointer (&unit);
  else if ((grams = count_member (variant, "grams")) > 0)
    {
      entry->weight = grams * 1000;
      entry->weight_unit = g_strdup ("g");
    }
  else
    entry->weight = 0;

  add_entry (self, entry);
}

static void
add_variant_array (SkShopifyCatalog *self,
                   JsonArray        *variants,
                   const char       *product_ref,
                   const char       *product_title)
{
  for (guint i = 0; variants != NULL && i < json_array_get_length (variants); i++)
    {
      JsonNode *node = json_array_get_element (variants, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          self->skipped++;
          continue;
        }
      add_variant (self, json_node_get_object (node), product_ref, product_title);
    }
}

/* Public API */

SkShopifyCatalog *
sk_shopify_catalog_new (const char *currency)
{
  SkShopifyCatalog *self = g_new0 (SkShopifyCatalog, 1);

  self->currency = currency != NULL && sk_currency_is_valid (currency) ? g_ascii_strup (currency, -1) : NULL;
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->entry_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) item_free);
  self->item_ids = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
sk_shopify_catalog_free (SkShopifyCatalog *self)
{
  if (self == NULL)
    return;
  g_free (self->currency);
  g_ptr_array_unref (self->entries);
  g_hash_table_unref (self->entry_index);
  g_hash_table_unref (self->items);
  g_ptr_array_unref (self->item_ids);
  g_free (self);
}

gboolean
sk_shopify_catalog_add_products (SkShopifyCatalog  *self,
                                 JsonNode          *root,
                                 GError           **error)
{
  g_autoptr(JsonArray) single = NULL;
  JsonArray *products;

  g_return_val_if_fail (self != NULL, FALSE);

  products = elements_of (root, "products", "product", &single, error);
  if (products == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      JsonNode *node = json_array_get_element (products, i);
      g_autofree char *id = NULL;
      g_autofree char *title = NULL;
      JsonObject *product;
      JsonNode *variants;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          self->skipped++;
          continue;
        }
      product = json_node_get_object (node);
      id = sk_shopify_catalog_dup_id (product, "id");
      if (id == NULL)
        {
          g_debug ("Skipping a Shopify product without an id");
          self->skipped++;
          continue;
        }
      title = dup_text (product, "title");
      variants = json_object_get_member (product, "variants");
      if (variants != NULL && JSON_NODE_HOLDS_ARRAY (variants))
        add_variant_array (self, json_node_get_array (variants), id, title);
    }
  return TRUE;
}

gboolean
sk_shopify_catalog_add_variants (SkShopifyCatalog  *self,
                                 JsonNode          *root,
                                 GError           **error)
{
  g_autoptr(JsonArray) single = NULL;
  JsonArray *variants;

  g_return_val_if_fail (self != NULL, FALSE);

  variants = elements_of (root, "variants", "variant", &single, error);
  if (variants == NULL)
    return FALSE;
  add_variant_array (self, variants, NULL, NULL);
  return TRUE;
}

gboolean
sk_shopify_catalog_add_inventory_items (SkShopifyCatalog  *self,
                                        JsonNode          *root,
                                        GError           **error)
{
  g_autoptr(JsonArray) single = NULL;
  JsonArray *items;

  g_return_val_if_fail (self != NULL, FALSE);

  items = elements_of (root, "inventory_items", "inventory_item", &single, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      g_autofree char *id = NULL;
      JsonObject *object;
      JsonNode *tracked;
      JsonNode *cost;
      Item *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      id = sk_shopify_catalog_dup_id (object, "id");
      if (id == NULL)
        continue;
      item = item_for (self, id);
      tracked = json_object_get_member (object, "tracked");
      if (tracked != NULL && JSON_NODE_HOLDS_VALUE (tracked) &&
          json_node_get_value_type (tracked) == G_TYPE_BOOLEAN)
        item->tracked = json_node_get_boolean (tracked) ? 1 : 0;
      cost = json_object_get_member (object, "cost");
      if (self->currency != NULL && cost != NULL && !JSON_NODE_HOLDS_NULL (cost))
        item->has_cost = sk_money_parse_node (cost, self->currency, FALSE, &item->cost, NULL);
    }
  return TRUE;
}

gboolean
sk_shopify_catalog_add_levels (SkShopifyCatalog  *self,
                               JsonNode          *root,
                               GError           **error)
{
  g_autoptr(JsonArray) single = NULL;
  JsonArray *levels;

  g_return_val_if_fail (self != NULL, FALSE);

  levels = elements_of (root, "inventory_levels", "inventory_level", &single, error);
  if (levels == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (levels); i++)
    {
      JsonNode *node = json_array_get_element (levels, i);
      g_autofree char *id = NULL;
      JsonObject *object;
      Level level = { NULL, -1 };
      JsonNode *available;
      Item *item;
      gboolean replaced = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      id = sk_shopify_catalog_dup_id (object, "inventory_item_id");
      level.location = sk_shopify_catalog_dup_id (object, "location_id");
      if (id == NULL || level.location == NULL)
        {
          g_free (level.location);
          continue;
        }
      /* null: not tracked. Shopify shows a negative number when it
       * oversold: nothing to sell. */
      available = json_object_get_member (object, "available");
      if (available != NULL && JSON_NODE_HOLDS_VALUE (available) &&
          json_node_get_value_type (available) == G_TYPE_INT64)
        level.available = MAX (json_node_get_int (available), 0);

      item = item_for (self, id);
      for (guint j = 0; j < item->levels->len; j++)
        {
          Level *known = &g_array_index (item->levels, Level, j);

          if (g_str_equal (known->location, level.location))
            {
              known->available = level.available;
              replaced = TRUE;
            }
        }
      if (replaced)
        g_free (level.location);
      else
        g_array_append_val (item->levels, level);
    }
  return TRUE;
}

GPtrArray *
sk_shopify_catalog_get_inventory_item_ids (SkShopifyCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->item_ids;
}

guint
sk_shopify_catalog_get_n_listings (SkShopifyCatalog *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

guint
sk_shopify_catalog_get_skipped (SkShopifyCatalog *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->skipped;
}

/* Building */

static int
compare_ids (const char *a,
             const char *b)
{
  gsize la = strlen (a), lb = strlen (b);

  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp (a, b);
}

/* The level Storekeep sets for @item (see the header), or NULL. */
static const Level *
choose_level (const Item *item,
              const char *preferred)
{
  const Level *lowest = NULL;

  if (item == NULL || item->levels->len == 0)
    return NULL;
  for (guint i = 0; i < item->levels->len; i++)
    {
      const Level *level = &g_array_index (item->levels, Level, i);

      if (preferred != NULL && g_str_equal (level->location, preferred))
        return level;
      if (lowest == NULL || compare_ids (level->location, lowest->location) < 0)
        lowest = level;
    }
  return lowest;
}

static SkListing *
build_listing (SkShopifyCatalog *self,
               const Entry      *entry,
               const char       *preferred)
{
  SkListing *listing = sk_listing_new (entry->product_ref, entry->variant_ref);
  const Item *item = entry->inventory_ref != NULL ? g_hash_table_lookup (self->items, entry->inventory_ref) : NULL;
  const Level *level = choose_level (item, preferred);
  gboolean tracked = entry->managed && (item == NULL || item->tracked != 0);
  SkSku *proposed;

  listing->inventory_ref = g_strdup (entry->inventory_ref);
  listing->sku = g_strdup (entry->sku);
  listing->barcode = g_strdup (entry->barcode);
  listing->title = g_strdup (entry->title);
  if (level != NULL)
    {
      listing->location_ref = g_strdup (level->location);
      listing->channel_quantity = tracked ? level->available : -1;
    }
  else
    {
      listing->location_ref = g_strdup (preferred);
      listing->channel_quantity = tracked && entry->inventory_quantity >= 0
                                  ? entry->inventory_quantity : -1;
    }

  proposed = sk_sku_new (NULL, entry->product_title);
  proposed->barcode = g_strdup (entry->barcode);
  proposed->variant_title = g_strdup (entry->variant_title);
  if (entry->weight_unit != NULL)
    {
      proposed->weight = entry->weight;
      proposed->weight_unit = g_strdup (entry->weight_unit);
    }
  if (item != NULL && item->has_cost)
    {
      proposed->cost = item->cost;
      proposed->cost_currency = g_strdup (self->currency);
    }
  listing->proposed = proposed;
  return listing;
}

GPtrArray *
sk_shopify_catalog_build (SkShopifyCatalog *self,
                          const char       *preferred_location)
{
  GPtrArray *listings;

  g_return_val_if_fail (self != NULL, NULL);

  listings = g_ptr_array_new_full (self->entries->len, (GDestroyNotify) sk_listing_free);
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (listings, build_listing (self, g_ptr_array_index (self->entries, i),
                                              preferred_location));
  return listings;
}
