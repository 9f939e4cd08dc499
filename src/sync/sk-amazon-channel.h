/* sk-amazon-channel.h: the Amazon Selling Partner API (Orders v0) connector
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The channel record: account is the seller id ("A2EXAMPLE1SELLER"); the
 * secret is the JSON of SkLwaCredentials (see sk-lwa.h); settings is a JSON
 * object {"marketplace_ids": ["ATVPDKIKX0DER", …], "region": "na"|"eu"|"fe",
 * "lwa_url": "…"}. The region may be left out when the first marketplace
 * tells it. base_url, when set, replaces the region's endpoint and
 * "lwa_url" the Login with Amazon token endpoint (the demo shop and tests
 * point both at 127.0.0.1; plain http is refused elsewhere).
 */
#pragma once

#include "sk-channel.h"

G_BEGIN_DECLS

#define SK_TYPE_AMAZON_CHANNEL (sk_amazon_channel_get_type ())
G_DECLARE_FINAL_TYPE (SkAmazonChannel, sk_amazon_channel, SK, AMAZON_CHANNEL, SkChannel)

/* Overlap subtracted from the high-water mark on each run, seconds:
 * Amazon's LastUpdateDate can lag the change by a few minutes. */
#define SK_AMAZON_OVERLAP_SECONDS 600
/* How far back the first run reaches, days. */
#define SK_AMAZON_FIRST_SYNC_DAYS 30
/* After this many refusals of getOrderAddress in a row (the app lacks the
 * role for personal data), the rest of the run imports its orders without
 * asking for their addresses. */
#define SK_AMAZON_ADDRESS_REFUSALS_BEFORE_SKIP 3

#define SK_AMAZON_ORDERS_PATH "/orders/v0/orders"

/* The operations with their own rate limits. */
typedef enum {
  SK_AMAZON_OP_GET_ORDERS,         /* 0.0167 requests/s, burst 20 */
  SK_AMAZON_OP_GET_ORDER_ITEMS,    /* 0.5 requests/s, burst 30 */
  SK_AMAZON_OP_GET_ORDER_ADDRESS,  /* 0.5 requests/s, burst 30 */
  SK_AMAZON_N_OPERATIONS
} SkAmazonOperation;

SkChannel     *sk_amazon_channel_new            (SkStore               *store,
                                                 SkHttp                *http,
                                                 const SkChannelRecord *record);

/* A channel's settings: {"marketplace_ids": [@marketplace_ids…],
 * "region": @region, "lwa_url": @lwa_url (left out when NULL)}. */
char          *sk_amazon_channel_build_settings (const char * const    *marketplace_ids,
                                                 const char            *region,
                                                 const char            *lwa_url);

/* "https://sellingpartnerapi-na.amazon.com" for "na" (also "eu", "fe");
 * NULL for anything else. */
const char    *sk_amazon_region_endpoint        (const char            *region);

/* Replace the limits of @op (the documented ones by default); the
 * x-amzn-RateLimit-Limit header of Amazon's answers then adjusts the rate.
 * For tests and the demo shop. */
void           sk_amazon_channel_set_rate_limit (SkAmazonChannel       *self,
                                                 SkAmazonOperation      op,
                                                 double                 rate_per_second,
                                                 double                 burst);
/* The current limiter of @op (for health display), owned by the channel;
 * it may be replaced when Amazon announces another rate. */
SkRateLimiter *sk_amazon_channel_get_rate_limiter (SkAmazonChannel     *self,
                                                   SkAmazonOperation    op);

G_END_DECLS
