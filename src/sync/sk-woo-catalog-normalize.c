/* sk-woo-catalog-normalize.c: WooCommerce products and variations →
 * listings (pure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sk-woo"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sk-error.h"
#include "sk-woo-catalog-normalize.h"

typedef struct {
  char   *product_ref;
  char   *variant_ref;     /* NULL for a simple product */
  char   *sku;
  char   *barcode;
  char   *variant_title;   /* "Black / S" */
  gint64  quantity;        /* -1: not managed */
  gint64  low_stock;       /* low_stock_amount; -1: none (inherited) */
} Entry;

typedef struct {
  char      *id;
  char      *name;
  gboolean   variable;
  gboolean   seen;         /* came in a products page (not only as a parent) */
  gint64     low_stock;    /* low_stock_amount; -1: none */
  Entry     *own;          /* simple products */
  GPtrArray *variations;   /* Entry */
  GHashTable *variation_index;  /* id → Entry (borrowed) */
} Product;

struct _SkWooCatalog
{
  GPtrArray  *products;    /* Product, in order */
  GHashTable *index;       /* id → Product (borrowed) */
  GPtrArray  *variable;    /* ids */
  guint       skipped;
};

/* Helpers */

static void
entry_free (Entry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->product_ref);
  g_free (entry->variant_ref);
  g_free (entry->sku);
  g_free (entry->barcode);
  g_free (entry->variant_title);
  g_free (entry);
}

static void
product_free (Product *product)
{
  g_free (product->id);
  g_free (product->name);
  entry_free (product->own);
  g_ptr_array_unref (product->variations);
  g_hash_table_unref (product->variation_index);
  g_free (product);
}

/* A JSON id (a positive integer, or digits) as text, or NULL. */
static char *
dup_id (JsonObject *object,
        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) > 0
           ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node)) : NULL;
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

/* What WooCommerce shows: stock_quantity when it manages the stock. */
static gint64
shown_quantity (JsonObject *object,
                gboolean    variation)
{
  JsonNode *manage = json_object_get_member (object, "manage_stock");
  JsonNode *quantity = json_object_get_member (object, "stock_quantity");
  gboolean managed = FALSE;

  if (manage != NULL && JSON_NODE_HOLDS_VALUE (manage))
    {
      if (json_node_get_value_type (manage) == G_TYPE_BOOLEAN)
        managed = json_node_get_boolean (manage);
      else if (variation && json_node_get_value_type (manage) == G_TYPE_STRING)
        managed = g_strcmp0 (json_node_get_string (manage), "parent") == 0;
    }
  if (!managed || quantity == NULL || !JSON_NODE_HOLDS_VALUE (quantity) ||
      json_node_get_value_type (quantity) != G_TYPE_INT64)
    return -1;
  return MAX (json_node_get_int (quantity), 0);
}

/* low_stock_amount: a count ≥ 0; null, absent or blank (-1) leaves it to
 * the parent product or the store-wide default. */
static gint64
low_stock_amount (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "low_stock_amount");
  const char *text;
  guint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node) >= 0 ? json_node_get_int (node) : -1;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return -1;
  text = json_node_get_string (node);
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    return -1;
  return (gint64) value;
}

static Product *
product_for (SkWooCatalog *self,
             const char   *id)
{
  Product *product = g_hash_table_lookup (self->index, id);

  if (product == NULL)
    {
      product = g_new0 (Product, 1);
      product->id = g_strdup (id);
      product->low_stock = -1;
      product->variations = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
      product->variation_index = g_hash_table_new (g_str_hash, g_str_equal);
      g_ptr_array_add (self->products, product);
      g_hash_table_insert (self->index, product->id, product);
    }
  return product;
}

static JsonArray *
elements_of (JsonNode    *root,
             gboolean     variations,
             JsonArray  **out_single,
             GError     **error)
{
  *out_single = NULL;
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "id"))
    {
      *out_single = json_array_new ();
      json_array_add_element (*out_single, json_node_copy (root));
      return *out_single;
    }
  if (variations)
    g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                         _("WooCommerce sent a page of product variations that is not a list. Refresh the catalog again; if it keeps happening, check the site’s REST API."));
  else
    g_set_error_literal (error, SK_CORE_ERROR, SK_CORE_ERROR_INVALID_PAYLOAD,
                         _("WooCommerce sent a page of products that is not a list. Refresh the catalog again; if it keeps happening, check the site’s REST API."));
  return NULL;
}

/* "Black / S" from a variation's attributes. */
static char *
options_text (JsonObject *variation)
{
  JsonNode *node = json_object_get_member (variation, "attributes");
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *attributes;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  attributes = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (attributes); i++)
    {
      JsonNode *element = json_array_get_element (attributes, i);
      g_autofree char *option = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      option = dup_text (json_node_get_object (element), "option");
      if (option == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, " / ");
      g_string_append (text, option);
    }
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Public API */

SkWooCatalog *
sk_woo_catalog_new (void)
{
  SkWooCatalog *self = g_new0 (SkWooCatalog, 1);

  self->products = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  self->variable = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
sk_woo_catalog_free (SkWooCatalog *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->index);
  g_ptr_array_unref (self->products);
  g_ptr_array_unref (self->variable);
  g_free (self);
}

gboolean
sk_woo_catalog_add_products (SkWooCatalog  *self,
                             JsonNode      *root,
                             GError       **error)
{
  g_autoptr(JsonArray) single = NULL;
  JsonArray *products;

  g_return_val_if_fail (self != NULL, FALSE);

  products = elements_of (root, FALSE, &single, error);
  if (products == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      JsonNode *node = json_array_get_element (products, i);
      g_autofree char *id = NULL;
      g_autofree char *type = NULL;
      JsonObject *object;
      Product *product;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          self->skipped++;
          continue;
        }
      object = json_node_get_object (node);
      id = dup_id (object, "id");
      if (id == NULL)
        {
          g_debug ("Skipping a WooCommerce product without an id");
          self->skipped++;
          continue;
        }
      product = product_for (self, id);
      product->seen = TRUE;
      g_free (product->name);
      product->name = dup_text (object, "name");
      product->low_stock = low_stock_amount (object);
      g_clear_pointer (&product->own, entry_free);

      type = dup_text (object, "type");
      if (g_strcmp0 (type, "variable") == 0)
        {
          if (!product->variable)
            g_ptr_array_add (self->variable, g_strdup (id));
          product->variable = TRUE;
          continue;
        }
      if (g_strcmp0 (type, "grouped") == 0 || g_strcmp0 (type, "external") == 0)
        continue;

      product->own = g_new0 (Entry, 1);
      product->own->product_ref = g_strdup (id);
      product->own->sku = dup_text (object, "sku");
      product->own->barcode = dup_text (object, "global_unique_id");
      product->own->quantity = shown_quantity (object, FALSE);
      product->own->low_stock = product->low_stock;
    }
  return TRUE;
}

gboolean
sk_woo_catalog_add_variations (SkWooCatalog  *self,
                               const char    *parent_id,
                               JsonNode      *root,
                               GError       **error)
{
  g_autoptr(JsonArray) single = NULL;
  JsonArray *variations;
  Product *product;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (parent_id != NULL, FALSE);

  variations = elements_of (root, TRUE, &single, error);
  if (variations == NULL)
    return FALSE;
  product = product_for (self, parent_id);
  for (guint i = 0; i < json_array_get_length (variations); i++)
    {
      JsonNode *node = json_array_get_element (variations, i);
      JsonObject *object;
      Entry *entry;
      Entry *known;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          self->skipped++;
          continue;
        }
      object = json_node_get_object (node);
      entry = g_new0 (Entry, 1);
      entry->variant_ref = dup_id (object, "id");
      if (entry->variant_ref == NULL)
        {
          g_debug ("Skipping a WooCommerce variation without an id");
          self->skipped++;
          entry_free (entry);
          continue;
        }
      entry->product_ref = g_strdup (parent_id);
      entry->sku = dup_text (object, "sku");
      entry->barcode = dup_text (object, "global_unique_id");
      entry->variant_title = options_text (object);
      entry->quantity = shown_quantity (object, TRUE);
      entry->low_stock = low_stock_amount (object);

      known = g_hash_table_lookup (product->variation_index, entry->variant_ref);
      if (known != NULL)
        {
          g_hash_table_remove (product->variation_index, known->variant_ref);
          g_ptr_array_remove (product->variations, known);
        }
      g_ptr_array_add (product->variations, entry);
      g_hash_table_insert (product->variation_index, entry->variant_ref, entry);
    }
  return TRUE;
}

GPtrArray *
sk_woo_catalog_get_variable_products (SkWooCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->variable;
}

guint
sk_woo_catalog_get_n_listings (SkWooCatalog *self)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->products->len; i++)
    {
      Product *product = g_ptr_array_index (self->products, i);

      n += (product->own != NULL ? 1 : 0) + product->variations->len;
    }
  return n;
}

guint
sk_woo_catalog_get_skipped (SkWooCatalog *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->skipped;
}

static SkListing *
build_listing (const Product *product,
               const Entry   *entry)
{
  SkListing *listing = sk_listing_new (entry->product_ref, entry->variant_ref);

  listing->sku = g_strdup (entry->sku);
  listing->barcode = g_strdup (entry->barcode);
  if (product->name != NULL && entry->variant_title != NULL)
    listing->title = g_strconcat (product->name, " – ", entry->variant_title, NULL);
  else
    listing->title = g_strdup (product->name != NULL ? product->name : entry->variant_title);
  listing->channel_quantity = entry->quantity;
  /* A variation without its own threshold has its product's. */
  listing->reorder_point = entry->low_stock >= 0 ? entry->low_stock
                           : entry->variant_ref != NULL ? product->low_stock : -1;
  listing->proposed = sk_sku_new (NULL, product->name);
  listing->proposed->barcode = g_strdup (entry->barcode);
  listing->proposed->variant_title = g_strdup (entry->variant_title);
  return listing;
}

GPtrArray *
sk_woo_catalog_build (SkWooCatalog *self)
{
  GPtrArray *listings;

  g_return_val_if_fail (self != NULL, NULL);

  listings = g_ptr_array_new_with_free_func ((GDestroyNotify) sk_listing_free);
  for (guint i = 0; i < self->products->len; i++)
    {
      Product *product = g_ptr_array_index (self->products, i);

      if (product->own != NULL)
        g_ptr_array_add (listings, build_listing (product, product->own));
      for (guint j = 0; j < product->variations->len; j++)
        g_ptr_array_add (listings, build_listing (product, g_ptr_array_index (product->variations, j)));
    }
  return listings;
}
