/* sk-demo-catalog.c: the world the demo shop sells in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything about an order that never changes is drawn from a PRNG
 * seeded by (seed, row): the customer, the lines, the discount, taxes and
 * shipping, and so the money, computed in integer minor units.
 */
#define G_LOG_DOMAIN "sk-demo"

#include "config.h"

#include <string.h>

#include "sk-demo-data-private.h"

#define CUSTOMER_ID_BASE G_GUINT64_CONSTANT (7100000000000)

/* The world of the demo shop: currencies, places, people, products. */

enum { CUR_USD, CUR_CAD, CUR_GBP, CUR_EUR, CUR_JPY };

static const SkDemoCurrency currencies[] = {
  { "USD", 2, 100, 995, 2495, 15000, 2000 },
  { "CAD", 2, 136, 1495, 2995, 20000, 2500 },
  { "GBP", 2, 79, 495, 1295, 10000, 1500 },
  { "EUR", 2, 92, 595, 1495, 12000, 2000 },
  { "JPY", 0, 150, 800, 1800, 15000, 3000 },
};

static const SkDemoCity us_cities[] = {
  { "Louisville", "Kentucky", "KY", "402##", "38.2527", "-85.7585", { 60000, 0 }, { NULL, NULL }, FALSE },
  { "Portland", "Oregon", "OR", "972##", "45.5152", "-122.6784", { 0, 0 }, { NULL, NULL }, FALSE },
  { "Denver", "Colorado", "CO", "802##", "39.7392", "-104.9903", { 29000, 0 }, { NULL, NULL }, FALSE },
  { "Austin", "Texas", "TX", "787##", "30.2672", "-97.7431", { 62500, 0 }, { NULL, NULL }, FALSE },
  { "Brooklyn", "New York", "NY", "112##", "40.6782", "-73.9442", { 88750, 0 }, { NULL, NULL }, TRUE },
  { "Seattle", "Washington", "WA", "981##", "47.6062", "-122.3321", { 65000, 0 }, { NULL, NULL }, TRUE },
  { "Asheville", "North Carolina", "NC", "2880#", "35.5951", "-82.5515", { 47500, 0 }, { NULL, NULL }, TRUE },
  { "Burlington", "Vermont", "VT", "0540#", "44.4759", "-73.2121", { 60000, 0 }, { NULL, NULL }, FALSE },
  { "Sacramento", "California", "CA", "958##", "38.5816", "-121.4944", { 72500, 0 }, { NULL, NULL }, FALSE },
};

static const SkDemoCity ca_cities[] = {
  { "Toronto", "Ontario", "ON", "M5V #@#", "43.6532", "-79.3832", { 130000, 0 }, { "ON HST", NULL }, TRUE },
  { "Montréal", "Quebec", "QC", "H2X #@#", "45.5019", "-73.5674", { 50000, 99750 }, { "GST", "QST" }, TRUE },
  { "Vancouver", "British Columbia", "BC", "V6B #@#", "49.2827", "-123.1207", { 50000, 70000 }, { "GST", "BC PST" }, FALSE },
  { "Calgary", "Alberta", "AB", "T2P #@#", "51.0447", "-114.0719", { 50000, 0 }, { "GST", NULL }, TRUE },
  { "Halifax", "Nova Scotia", "NS", "B3H #@#", "44.6488", "-63.5752", { 150000, 0 }, { "NS HST", NULL }, TRUE },
};

static const SkDemoCity gb_cities[] = {
  { "London", NULL, NULL, "SW1A #@@", "51.5072", "-0.1276", { 200000, 0 }, { "GB VAT", NULL }, TRUE },
  { "Manchester", NULL, NULL, "M1 #@@", "53.4808", "-2.2426", { 200000, 0 }, { "GB VAT", NULL }, TRUE },
  { "Edinburgh", NULL, NULL, "EH1 #@@", "55.9533", "-3.1883", { 200000, 0 }, { "GB VAT", NULL }, TRUE },
  { "Bristol", NULL, NULL, "BS1 #@@", "51.4545", "-2.5879", { 200000, 0 }, { "GB VAT", NULL }, TRUE },
  { "Keswick", NULL, NULL, "CA12 #@@", "54.6013", "-3.1347", { 200000, 0 }, { "GB VAT", NULL }, TRUE },
};

static const SkDemoCity de_cities[] = {
  { "Berlin", NULL, NULL, "101##", "52.5200", "13.4050", { 190000, 0 }, { "DE MwSt", NULL }, TRUE },
  { "München", NULL, NULL, "803##", "48.1351", "11.5820", { 190000, 0 }, { "DE MwSt", NULL }, TRUE },
  { "Hamburg", NULL, NULL, "200##", "53.5511", "9.9937", { 190000, 0 }, { "DE MwSt", NULL }, TRUE },
  { "Köln", NULL, NULL, "506##", "50.9375", "6.9603", { 190000, 0 }, { "DE MwSt", NULL }, TRUE },
  { "Freiburg im Breisgau", NULL, NULL, "7909#", "47.9990", "7.8421", { 190000, 0 }, { "DE MwSt", NULL }, TRUE },
};

static const SkDemoCity fr_cities[] = {
  { "Paris", NULL, NULL, "7501#", "48.8566", "2.3522", { 200000, 0 }, { "FR TVA", NULL }, TRUE },
  { "Lyon", NULL, NULL, "6900#", "45.7640", "4.8357", { 200000, 0 }, { "FR TVA", NULL }, TRUE },
  { "Annecy", NULL, NULL, "74000", "45.8992", "6.1294", { 200000, 0 }, { "FR TVA", NULL }, TRUE },
  { "Bordeaux", NULL, NULL, "3300#", "44.8378", "-0.5792", { 200000, 0 }, { "FR TVA", NULL }, TRUE },
};

static const SkDemoCity nl_cities[] = {
  { "Amsterdam", NULL, NULL, "101# @@", "52.3676", "4.9041", { 210000, 0 }, { "NL btw", NULL }, TRUE },
  { "Utrecht", NULL, NULL, "351# @@", "52.0907", "5.1214", { 210000, 0 }, { "NL btw", NULL }, TRUE },
  { "Rotterdam", NULL, NULL, "301# @@", "51.9244", "4.4777", { 210000, 0 }, { "NL btw", NULL }, TRUE },
  { "Groningen", NULL, NULL, "971# @@", "53.2194", "6.5665", { 210000, 0 }, { "NL btw", NULL }, TRUE },
};

static const SkDemoCity jp_cities[] = {
  { "Shibuya", "Tokyo", "JP-13", "150-00##", "35.6620", "139.7038", { 100000, 0 }, { "JP CT", NULL }, TRUE },
  { "Osaka", "Ōsaka", "JP-27", "530-00##", "34.6937", "135.5023", { 100000, 0 }, { "JP CT", NULL }, TRUE },
  { "Kyoto", "Kyōto", "JP-26", "600-8###", "35.0116", "135.7681", { 100000, 0 }, { "JP CT", NULL }, TRUE },
  { "Sapporo", "Hokkaidō", "JP-01", "060-00##", "43.0618", "141.3545", { 100000, 0 }, { "JP CT", NULL }, TRUE },
};

static const SkDemoCity au_cities[] = {
  { "Sydney", "New South Wales", "NSW", "2000", "-33.8688", "151.2093", { 100000, 0 }, { "AU GST", NULL }, TRUE },
  { "Melbourne", "Victoria", "VIC", "3000", "-37.8136", "144.9631", { 100000, 0 }, { "AU GST", NULL }, TRUE },
  { "Brisbane", "Queensland", "QLD", "4000", "-27.4698", "153.0251", { 100000, 0 }, { "AU GST", NULL }, TRUE },
  { "Hobart", "Tasmania", "TAS", "7000", "-42.8821", "147.3272", { 100000, 0 }, { "AU GST", NULL }, TRUE },
};

enum { CAR_UPS, CAR_USPS, CAR_FEDEX, CAR_CANADA_POST, CAR_ROYAL_MAIL,
       CAR_DHL, CAR_COLISSIMO, CAR_POSTNL, CAR_JAPAN_POST, CAR_AUSPOST };

static const SkDemoCarrier carriers[] = {
  { "UPS", "1Z******03########", "https://www.ups.com/track?tracknum=" },
  { "USPS", "9400############ ######", "https://tools.usps.com/go/TrackConfirmAction?tLabels=" },
  { "FedEx", "############", "https://www.fedex.com/fedextrack/?trknbr=" },
  { "Canada Post", "################", "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=" },
  { "Royal Mail", "@@#########GB", "https://www.royalmail.com/track-your-item#/tracking-results/" },
  { "DHL Express", "##########", "https://www.dhl.com/en/express/tracking.html?AWB=" },
  { "Colissimo", "6A###########", "https://www.laposte.fr/outils/suivre-vos-envois?code=" },
  { "PostNL", "3S@@@@#########", "https://jouw.postnl.nl/track-and-trace/" },
  { "Japan Post (EN)", "@@#########JP", "https://trackings.post.japanpost.jp/services/srv/search/?requestNo1=" },
  { "Australia Post", "@@@#########", "https://auspost.com.au/mypost/track/#/details/" },
};

static const SkDemoCountry countries[] = {
  { "US", "United States", CUR_USD, 0, "en-US", "+1 ###-555-01##", TRUE,
    { "Chestnut Street", "Maple Avenue", "Lakeview Drive", "Pine Ridge Road", "Elm Court" },
    us_cities, G_N_ELEMENTS (us_cities), 45, { CAR_UPS, CAR_USPS } },
  { "CA", "Canada", CUR_CAD, 0, "en-CA", "+1 ###-555-01##", TRUE,
    { "Queen Street West", "Rue Saint-Denis", "Granville Street", "Spring Garden Road", "Bow Trail" },
    ca_cities, G_N_ELEMENTS (ca_cities), 10, { CAR_CANADA_POST, CAR_UPS } },
  { "GB", "United Kingdom", CUR_GBP, 0, "en-GB", "+44 20 7946 0###", TRUE,
    { "High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane" },
    gb_cities, G_N_ELEMENTS (gb_cities), 12, { CAR_ROYAL_MAIL, CAR_DHL } },
  { "DE", "Germany", CUR_EUR, 1, "de-DE", "+49 30 ########", FALSE,
    { "Hauptstraße", "Bergstraße", "Gartenweg", "Lindenallee", "Schillerstraße" },
    de_cities, G_N_ELEMENTS (de_cities), 10, { CAR_DHL, CAR_DHL } },
  { "FR", "France", CUR_EUR, 2, "fr-FR", "+33 1 ## ## ## ##", TRUE,
    { "rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Pasteur", "place de l'Église" },
    fr_cities, G_N_ELEMENTS (fr_cities), 7, { CAR_COLISSIMO, CAR_DHL } },
  { "NL", "Netherlands", CUR_EUR, 3, "nl-NL", "+31 20 ### ####", FALSE,
    { "Prinsengracht", "Kerkstraat", "Dorpsweg", "Stationsplein", "Molenlaan" },
    nl_cities, G_N_ELEMENTS (nl_cities), 5, { CAR_POSTNL, CAR_DHL } },
  { "JP", "Japan", CUR_JPY, 4, "ja", "+81 3-####-####", TRUE,
    { "Jingumae 1-", "Umeda 2-", "Karasuma-dori ", "Kita 3-jo Nishi ", "Dogenzaka 2-" },
    jp_cities, G_N_ELEMENTS (jp_cities), 6, { CAR_JAPAN_POST, CAR_DHL } },
  { "AU", "Australia", CUR_USD, 0, "en-AU", "+61 2 5550 ####", TRUE,
    { "George Street", "Collins Street", "Queen Street", "Macquarie Street", "Elizabeth Street" },
    au_cities, G_N_ELEMENTS (au_cities), 5, { CAR_AUSPOST, CAR_DHL } },
};

typedef struct {
  SkDemoName first[12];
  SkDemoName last[12];
} SkDemoNameGroup;

static const SkDemoNameGroup name_groups[] = {
  { { { "Olivia", NULL }, { "Liam", NULL }, { "Emma", NULL }, { "Noah", NULL },
      { "Ava", NULL }, { "Ethan", NULL }, { "Sophia", NULL }, { "Mason", NULL },
      { "Chloë", "chloe" }, { "Lucas", NULL }, { "Grace", NULL }, { "Owen", NULL } },
    { { "Norman", NULL }, { "Carter", NULL }, { "Patel", NULL }, { "Nguyen", NULL },
      { "Walsh", NULL }, { "O'Brien", "obrien" }, { "Campbell", NULL }, { "Reyes", NULL },
      { "Fraser", NULL }, { "Kowalski", NULL }, { "Thompson", NULL }, { "Singh", NULL } } },
  { { { "Lukas", NULL }, { "Anna", NULL }, { "Jürgen", "juergen" }, { "Marie", NULL },
      { "Felix", NULL }, { "Lena", NULL }, { "Jonas", NULL }, { "Sophie", NULL },
      { "Max", NULL }, { "Hannah", NULL }, { "Paul", NULL }, { "Mia", NULL } },
    { { "Müller", "mueller" }, { "Schmidt", NULL }, { "Schneider", NULL }, { "Fischer", NULL },
      { "Weber", NULL }, { "Meyer", NULL }, { "Wagner", NULL }, { "Becker", NULL },
      { "Schulz", NULL }, { "Hoffmann", NULL }, { "Koch", NULL }, { "Weiß", "weiss" } } },
  { { { "Camille", NULL }, { "Louis", NULL }, { "Léa", "lea" }, { "Hugo", NULL },
      { "Chloé", "chloe" }, { "Jules", NULL }, { "Manon", NULL }, { "Théo", "theo" },
      { "Inès", "ines" }, { "Arthur", NULL }, { "Zoé", "zoe" }, { "Gabriel", NULL } },
    { { "Martin", NULL }, { "Bernard", NULL }, { "Dubois", NULL }, { "Thomas", NULL },
      { "Robert", NULL }, { "Richard", NULL }, { "Petit", NULL }, { "Durand", NULL },
      { "Lefèvre", "lefevre" }, { "Moreau", NULL }, { "Girard", NULL }, { "Fontaine", NULL } } },
  { { { "Daan", NULL }, { "Emma", NULL }, { "Sem", NULL }, { "Julia", NULL },
      { "Lucas", NULL }, { "Mila", NULL }, { "Finn", NULL }, { "Sophie", NULL },
      { "Levi", NULL }, { "Tess", NULL }, { "Bram", NULL }, { "Noor", NULL } },
    { { "de Jong", "dejong" }, { "Jansen", NULL }, { "de Vries", "devries" }, { "van den Berg", "vandenberg" },
      { "van Dijk", "vandijk" }, { "Bakker", NULL }, { "Visser", NULL }, { "Smit", NULL },
      { "Meijer", NULL }, { "de Boer", "deboer" }, { "Mulder", NULL }, { "Bos", NULL } } },
  { { { "陽翔", "haruto" }, { "結衣", "yui" }, { "Sota", NULL }, { "Hina", NULL },
      { "蓮", "ren" }, { "Aoi", NULL }, { "Yuto", NULL }, { "さくら", "sakura" },
      { "Riku", NULL }, { "Mei", NULL }, { "Haruki", NULL }, { "Yuna", NULL } },
    { { "佐藤", "sato" }, { "Suzuki", NULL }, { "高橋", "takahashi" }, { "Tanaka", NULL },
      { "Watanabe", NULL }, { "伊藤", "ito" }, { "Yamamoto", NULL }, { "Nakamura", NULL },
      { "Kobayashi", NULL }, { "加藤", "kato" }, { "Yoshida", NULL }, { "Yamada", NULL } } },
};

static const char *email_domains[] = { "example.com", "example.net", "example.org" };

enum { DIM_NONE, DIM_COLOR4, DIM_COLOR2, DIM_SIZE4, DIM_SIZE3, DIM_SHOE,
       DIM_LENGTH, DIM_POLE, N_DIMS };

static const struct {
  guint n;
  SkDemoOption options[7];
} dims[N_DIMS] = {
  { 1, { { NULL, NULL } } },
  { 4, { { "GRN", "Forest Green" }, { "BLU", "Lake Blue" }, { "ORG", "Ember Orange" }, { "BLK", "Black" } } },
  { 2, { { "GRY", "Granite" }, { "RED", "Signal Red" } } },
  { 4, { { "S", "S" }, { "M", "M" }, { "L", "L" }, { "XL", "XL" } } },
  { 3, { { "S", "S" }, { "M", "M" }, { "L", "L" } } },
  { 7, { { "40", "EU 40" }, { "41", "EU 41" }, { "42", "EU 42" }, { "43", "EU 43" },
         { "44", "EU 44" }, { "45", "EU 45" }, { "46", "EU 46" } } },
  { 2, { { "REG", "Regular" }, { "LNG", "Long" } } },
  { 2, { { "130", "110–130 cm" }, { "140", "120–140 cm" } } },
};

static const SkDemoProduct products[] = {
  { "TENT-1P", "Ridgeline 1P Tent", "Northbound", 24900, 1450, DIM_COLOR4, DIM_NONE },
  { "TENT-2P", "Ridgeline 2P Tent", "Northbound", 32900, 1980, DIM_COLOR4, DIM_NONE },
  { "TENT-3P", "Basecamp 3P Tent", "Northbound", 44900, 2900, DIM_COLOR4, DIM_NONE },
  { "TENT-4P", "Family Dome 4P Tent", "Northbound", 39900, 5200, DIM_COLOR2, DIM_NONE },
  { "TARP-UL", "Ultralight Tarp 3×3 m", "Featherline", 8900, 420, DIM_COLOR4, DIM_NONE },
  { "BIVY-AL", "Alpine Bivy Sack", "Featherline", 17900, 520, DIM_NONE, DIM_NONE },
  { "BAG-DN20", "Down Sleeping Bag −7 °C", "Featherline", 37900, 980, DIM_LENGTH, DIM_NONE },
  { "BAG-SY30", "Synthetic Sleeping Bag −1 °C", "Northbound", 14900, 1400, DIM_LENGTH, DIM_NONE },
  { "QUILT-SM", "Summer Quilt", "Featherline", 19900, 620, DIM_LENGTH, DIM_NONE },
  { "PAD-AIR", "Insulated Air Pad", "Featherline", 15900, 480, DIM_LENGTH, DIM_NONE },
  { "PAD-FOAM", "Closed-Cell Foam Pad", "Northbound", 4995, 410, DIM_NONE, DIM_NONE },
  { "PLW-INF", "Inflatable Pillow", "Featherline", 3495, 85, DIM_COLOR2, DIM_NONE },
  { "PACK-28", "Day Pack 28L", "Switchback", 12900, 980, DIM_COLOR4, DIM_NONE },
  { "PACK-45", "Trekking Pack 45L", "Switchback", 21900, 1650, DIM_SIZE3, DIM_COLOR2 },
  { "PACK-65", "Expedition Pack 65L", "Switchback", 29900, 2200, DIM_SIZE3, DIM_COLOR2 },
  { "HYDR-2L", "Hydration Bladder 2L", "Switchback", 3995, 190, DIM_NONE, DIM_NONE },
  { "SACK-DRY", "Dry Bag Set (3 pcs)", "Switchback", 3495, 160, DIM_NONE, DIM_NONE },
  { "RAIN-CVR", "Pack Rain Cover", "Switchback", 2495, 110, DIM_SIZE3, DIM_NONE },
  { "JKT-RAIN", "Stormline Rain Jacket", "Northbound", 18900, 390, DIM_SIZE4, DIM_COLOR4 },
  { "JKT-DOWN", "Summit Down Jacket", "Featherline", 27900, 410, DIM_SIZE4, DIM_COLOR2 },
  { "JKT-FLC", "Grid Fleece Jacket", "Northbound", 9900, 360, DIM_SIZE4, DIM_COLOR4 },
  { "PNT-HIKE", "Trail Hiking Pants", "Northbound", 8900, 340, DIM_SIZE4, DIM_NONE },
  { "PNT-RAIN", "Stormline Rain Pants", "Northbound", 11900, 280, DIM_SIZE4, DIM_NONE },
  { "TEE-MER", "Merino Tee", "Woolpath", 6900, 150, DIM_SIZE4, DIM_COLOR2 },
  { "BASE-TOP", "Merino Base Layer Top", "Woolpath", 8900, 200, DIM_SIZE4, DIM_NONE },
  { "BASE-BTM", "Merino Base Layer Bottoms", "Woolpath", 7900, 190, DIM_SIZE4, DIM_NONE },
  { "SOCK-HIK", "Merino Hiking Socks (2 pairs)", "Woolpath", 2995, 120, DIM_SIZE3, DIM_NONE },
  { "HAT-BEAN", "Merino Beanie", "Woolpath", 2995, 60, DIM_COLOR4, DIM_NONE },
  { "GLV-LINE", "Liner Gloves", "Woolpath", 2495, 50, DIM_SIZE4, DIM_NONE },
  { "CAP-SUN", "Sun Cap", "Northbound", 2995, 70, DIM_COLOR2, DIM_NONE },
  { "BOOT-MID", "Ridgeback Mid Hiking Boots", "Trailhead", 18900, 1150, DIM_SHOE, DIM_NONE },
  { "SHOE-TRL", "Scree Trail Runners", "Trailhead", 13900, 620, DIM_SHOE, DIM_NONE },
  { "SNDL-CMP", "Camp Sandals", "Trailhead", 5995, 410, DIM_SHOE, DIM_NONE },
  { "GTR-LOW", "Low Gaiters", "Trailhead", 3495, 120, DIM_SIZE4, DIM_NONE },
  { "INSOLE", "Trail Insoles", "Trailhead", 4495, 110, DIM_SHOE, DIM_NONE },
  { "SPIKE-TR", "Trail Crampons", "Trailhead", 7495, 390, DIM_SIZE3, DIM_NONE },
  { "STOVE-CAN", "Canister Stove", "Emberworks", 5995, 90, DIM_NONE, DIM_NONE },
  { "STOVE-LIQ", "Liquid Fuel Stove", "Emberworks", 14900, 380, DIM_NONE, DIM_NONE },
  { "FUEL-230", "Isobutane Fuel 230 g", "Emberworks", 795, 370, DIM_NONE, DIM_NONE },
  { "POT-TI9", "Titanium Pot 900 ml", "Emberworks", 5495, 120, DIM_NONE, DIM_NONE },
  { "COOK-2P", "Two-Person Cook Set", "Emberworks", 7995, 520, DIM_NONE, DIM_NONE },
  { "MUG-INS", "Insulated Camp Mug", "Emberworks", 2495, 200, DIM_COLOR4, DIM_NONE },
  { "SPORK-TI", "Titanium Spork", "Emberworks", 1195, 18, DIM_NONE, DIM_NONE },
  { "FILT-SQZ", "Squeeze Water Filter", "Clearwater", 4495, 85, DIM_NONE, DIM_NONE },
  { "BTL-1L", "Insulated Bottle 1L", "Clearwater", 3995, 420, DIM_COLOR4, DIM_NONE },
  { "MEAL-CHL", "Freeze-Dried Chili (2 servings)", "Trailfare", 1195, 150, DIM_NONE, DIM_NONE },
  { "MEAL-PAD", "Freeze-Dried Pad Thai (2 servings)", "Trailfare", 1195, 150, DIM_NONE, DIM_NONE },
  { "MEAL-GRN", "Granola with Berries (2 servings)", "Trailfare", 895, 120, DIM_NONE, DIM_NONE },
  { "LAMP-400", "Headlamp 400 lm", "Lumenpeak", 4995, 78, DIM_COLOR2, DIM_NONE },
  { "LAMP-LNT", "Camp Lantern", "Lumenpeak", 3995, 210, DIM_NONE, DIM_NONE },
  { "BATT-10K", "Power Bank 10,000 mAh", "Lumenpeak", 4995, 180, DIM_NONE, DIM_NONE },
  { "GPS-HND", "Handheld GPS", "Lumenpeak", 34900, 230, DIM_NONE, DIM_NONE },
  { "CMPS-BSE", "Baseplate Compass", "Lumenpeak", 3495, 40, DIM_NONE, DIM_NONE },
  { "KNIFE-FLD", "Folding Knife", "Emberworks", 4995, 95, DIM_NONE, DIM_NONE },
  { "KIT-FA", "First Aid Kit", "Clearwater", 3495, 260, DIM_NONE, DIM_NONE },
  { "POLE-CRB", "Carbon Trekking Poles", "Switchback", 14900, 460, DIM_POLE, DIM_NONE },
  { "CHAIR-LT", "Lightweight Camp Chair", "Northbound", 11900, 900, DIM_COLOR2, DIM_NONE },
  { "HAMK-01", "Camping Hammock", "Northbound", 6995, 520, DIM_COLOR4, DIM_NONE },
  { "TOWEL-QD", "Quick-Dry Towel", "Woolpath", 2495, 180, DIM_COLOR4, DIM_NONE },
  { "BEAR-CAN", "Bear Canister", "Clearwater", 8995, 1160, DIM_NONE, DIM_NONE },
  { "MAP-BNDL", "Trail Map Bundle", "Trailfare", 2495, 200, DIM_NONE, DIM_NONE },
};

static const SkDemoDiscount discounts[] = {
  { "WELCOME10", 10 },
  { "SUMMER15", 15 },
  { "TRAIL20", 0 },
  { "VIP25", 25 },
};

static const char *notes[] = {
  "Please leave the parcel at the back door.",
  "Gift: please don't include the invoice.",
  "Ring the bell twice, the buzzer is broken.",
  "Can this ship before Friday? We leave for the Alps on Saturday.",
  "Bitte beim Nachbarn abgeben, falls niemand da ist.",
  "Merci de livrer en point relais si absent.",
  "Deliver to reception, \"Trailhead Co-op\" building.",
};

static const char *tag_names[] = {
  "VIP", "gift", "local-pickup", "newsletter", "priority", "repeat-customer",
  "review-requested", "wholesale",
};

/* Deriving an order */

void
_sk_demo_fill_pattern (char       *out,
                       gsize       size,
                       const char *pattern,
                       SkDemoRng  *r)
{
  gsize i = 0;

  for (const char *p = pattern; *p != '\0' && i + 1 < size; p++)
    {
      if (*p == '#')
        out[i++] = (char) ('0' + _sk_demo_rng_below (r, 10));
      else if (*p == '@')
        out[i++] = (char) ('A' + _sk_demo_rng_below (r, 26));
      else if (*p == '*')
        out[i++] = "0123456789ABCDEFGHJKLMNPRSTUVWXY"[_sk_demo_rng_below (r, 32)];
      else
        out[i++] = *p;
    }
  out[i] = '\0';
}

static void
append_ascii_lower (char       *out,
                    gsize       size,
                    const char *text)
{
  gsize len = strlen (out);

  for (const char *p = text; *p != '\0' && len + 1 < size; p++)
    if (g_ascii_isalnum (*p))
      out[len++] = g_ascii_tolower (*p);
  out[len] = '\0';
}

static const SkDemoCountry *
pick_country (SkDemoRng *r)
{
  guint n = _sk_demo_rng_below (r, 100);

  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      if (n < countries[i].weight)
        return &countries[i];
      n -= countries[i].weight;
    }
  return &countries[0];
}

void
_sk_demo_derive_customer (guint64         seed,
                          guint           k,
                          SkDemoCustomer *c)
{
  SkDemoRng r = _sk_demo_rng_for (seed, k, SK_DEMO_STREAM_CUSTOMER);
  const SkDemoNameGroup *group;

  c->k = k;
  c->id = CUSTOMER_ID_BASE + (guint64) k * 7;
  c->country = pick_country (&r);
  c->city = &c->country->cities[_sk_demo_rng_below (&r, c->country->n_cities)];
  group = &name_groups[c->country->names];
  c->first = &group->first[_sk_demo_rng_below (&r, G_N_ELEMENTS (group->first))];
  c->last = &group->last[_sk_demo_rng_below (&r, G_N_ELEMENTS (group->last))];
  c->street = _sk_demo_rng_below (&r, G_N_ELEMENTS (c->country->streets));
  c->house = 1 + _sk_demo_rng_below (&r, 180);
  if (_sk_demo_rng_chance (&r, 12))
    {
      c->billing_street = _sk_demo_rng_below (&r, G_N_ELEMENTS (c->country->streets));
      c->billing_house = 1 + _sk_demo_rng_below (&r, 180);
    }
  else
    {
      c->billing_street = c->street;
      c->billing_house = c->house;
    }
  c->accepts_marketing = _sk_demo_rng_chance (&r, 35);
  _sk_demo_fill_pattern (c->zip, sizeof c->zip, c->city->zip, &r);
  _sk_demo_fill_pattern (c->phone, sizeof c->phone, c->country->phone, &r);

  c->email[0] = '\0';
  append_ascii_lower (c->email, sizeof c->email,
                      c->first->ascii ? c->first->ascii : c->first->display);
  g_strlcat (c->email, ".", sizeof c->email);
  append_ascii_lower (c->email, sizeof c->email,
                      c->last->ascii ? c->last->ascii : c->last->display);
  if (k % 5 == 0)
    {
      char digits[12];

      g_snprintf (digits, sizeof digits, "%u", k % 97);
      g_strlcat (c->email, digits, sizeof c->email);
    }
  g_strlcat (c->email, "@", sizeof c->email);
  g_strlcat (c->email, email_domains[_sk_demo_rng_below (&r, G_N_ELEMENTS (email_domains))],
             sizeof c->email);
}

static gint64
local_price (const SkDemoCurrency *cur,
             gint64                usd_cents)
{
  gint64 v = usd_cents * cur->per_100_usd / 100;

  if (cur->exponent == 0)
    return MAX (100, (v + 50) / 100 * 100);
  if (cur->per_100_usd == 100)
    return usd_cents;
  /* whole units, then the same .95 / .00 ending as the USD price */
  v = MAX (1, (v + 50) / 100) * 100;
  return usd_cents % 100 != 0 ? v - 5 : v;
}

static guint
product_variants (const SkDemoProduct *p)
{
  return dims[p->dim_a].n * dims[p->dim_b].n;
}

static gint64
tax_of (gint64 amount,
        guint  ppm)
{
  /* half up; amounts are never negative here */
  return (amount * ppm + 500000) / 1000000;
}

static guint
customer_of_row (guint64 seed,
                 guint   row)
{
  SkDemoRng r = _sk_demo_rng_for (seed, row, SK_DEMO_STREAM_CUSTOMER + 100);

  /* a third of the orders come from returning customers: those whose
   * number is a multiple of 4 and below this row */
  if (row >= 8 && _sk_demo_rng_chance (&r, 33))
    return _sk_demo_rng_below (&r, row / 4) * 4;
  return row;
}

void
_sk_demo_derive_content (guint64        seed,
                         guint          row,
                         SkDemoContent *c)
{
  SkDemoRng r = _sk_demo_rng_for (seed, row, SK_DEMO_STREAM_CONTENT);
  SkDemoCustomer customer;
  guint n, pick;

  memset (c, 0, sizeof *c);
  c->customer = customer_of_row (seed, row);
  _sk_demo_derive_customer (seed, c->customer, &customer);
  c->country = customer.country;
  c->city = customer.city;
  c->cur = &currencies[c->country->currency];

  n = _sk_demo_rng_below (&r, 100);
  c->n_lines = n < 40 ? 1 : n < 68 ? 2 : n < 85 ? 3 : n < 95 ? 4 : 5;
  for (guint i = 0; i < c->n_lines; i++)
    {
      SkDemoLine *line = &c->lines[i];
      const SkDemoProduct *p;
      gboolean again;

      do
        {
          line->product = _sk_demo_rng_below (&r, G_N_ELEMENTS (products));
          again = FALSE;
          for (guint j = 0; j < i; j++)
            again |= c->lines[j].product == line->product;
        }
      while (again);
      p = &products[line->product];
      line->variant = _sk_demo_rng_below (&r, product_variants (p));
      pick = _sk_demo_rng_below (&r, 100);
      if (p->price_usd < 1500)
        line->quantity = 1 + _sk_demo_rng_below (&r, 6);
      else
        line->quantity = pick < 78 ? 1 : pick < 95 ? 2 : 3;
      line->price = local_price (c->cur, p->price_usd);
      c->line_items_total += line->price * line->quantity;
      c->grams += p->grams * (guint) line->quantity;
    }

  /* a discount code on one order in five, spread over the lines */
  c->discount = _sk_demo_rng_chance (&r, 20) ? &discounts[_sk_demo_rng_below (&r, G_N_ELEMENTS (discounts))] : NULL;
  if (c->discount != NULL)
    {
      const SkDemoDiscount *d = c->discount;
      gint64 fixed = MIN (c->cur->fixed_off, c->line_items_total);
      gint64 left = fixed;

      for (guint i = 0; i < c->n_lines; i++)
        {
          SkDemoLine *line = &c->lines[i];
          gint64 amount = line->price * line->quantity;

          if (d->percent > 0)
            line->discount = amount * d->percent / 100;
          else if (i + 1 == c->n_lines)
            line->discount = left;
          else
            line->discount = fixed * amount / c->line_items_total;
          line->discount = MIN (line->discount, amount);
          left -= line->discount;
          c->discounts_total += line->discount;
        }
    }
  c->subtotal = c->line_items_total - c->discounts_total;

  pick = _sk_demo_rng_below (&r, 100);
  if (c->subtotal >= c->cur->free_over && pick < 85)
    c->shipping = 2;
  else
    c->shipping = pick % 7 == 0 ? 1 : 0;
  c->ship_price = c->shipping == 2 ? 0 : c->shipping == 1 ? c->cur->ship_express : c->cur->ship_standard;

  for (guint j = 0; j < 2; j++)
    {
      guint ppm = c->city->tax_ppm[j];

      if (ppm == 0)
        continue;
      for (guint i = 0; i < c->n_lines; i++)
        {
          SkDemoLine *line = &c->lines[i];

          line->tax[j] = tax_of (line->price * line->quantity - line->discount, ppm);
          c->tax[j] += line->tax[j];
        }
      if (c->city->tax_shipping)
        {
          c->ship_tax[j] = tax_of (c->ship_price, ppm);
          c->tax[j] += c->ship_tax[j];
        }
      c->tax_total += c->tax[j];
    }
  c->total = c->subtotal + c->ship_price + c->tax_total;

  pick = _sk_demo_rng_below (&r, 100);
  c->tz_offset = pick < 80 ? -300 : pick < 90 ? -240 : 60;
  pick = _sk_demo_rng_below (&r, 100);
  c->payment = pick < 80 ? SK_DEMO_PAY_CAPTURE : pick < 90 ? SK_DEMO_PAY_AUTHORIZE : SK_DEMO_PAY_MANUAL;
  c->paypal = c->payment == SK_DEMO_PAY_CAPTURE && _sk_demo_rng_chance (&r, 20);
  c->note = _sk_demo_rng_chance (&r, 12) ? notes[_sk_demo_rng_below (&r, G_N_ELEMENTS (notes))] : NULL;
  c->tags = _sk_demo_rng_chance (&r, 30) ? (guint) (_sk_demo_rng_next (&r) & _sk_demo_rng_next (&r) & 0xff) : 0;
  c->token[0] = _sk_demo_rng_next (&r);
  c->token[1] = _sk_demo_rng_next (&r);
  c->ip = (guint8) (1 + _sk_demo_rng_below (&r, 254));
}

const SkDemoProduct *
_sk_demo_product (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (products), NULL);

  return &products[index];
}

const SkDemoCarrier *
_sk_demo_carrier (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (carriers), NULL);

  return &carriers[index];
}

gboolean
_sk_demo_append_variant (GString             *out,
                         const SkDemoProduct *p,
                         guint                variant,
                         gboolean             with_title,
                         gboolean             sku)
{
  guint na = dims[p->dim_a].n;
  const SkDemoOption *a = &dims[p->dim_a].options[variant % na];
  const SkDemoOption *b = &dims[p->dim_b].options[variant / na];

  if (sku)
    {
      g_string_append (out, p->sku);
      if (a->code != NULL)
        {
          g_string_append_c (out, '-');
          g_string_append (out, a->code);
        }
      if (b->code != NULL)
        {
          g_string_append_c (out, '-');
          g_string_append (out, b->code);
        }
      return TRUE;
    }
  if (with_title)
    g_string_append (out, p->title);
  if (a->title == NULL)
    return with_title;
  if (with_title)
    g_string_append_len (out, " - ", 3);
  g_string_append (out, a->title);
  if (b->title != NULL)
    {
      g_string_append_len (out, " / ", 3);
      g_string_append (out, b->title);
    }
  return TRUE;
}

void
_sk_demo_append_tags (GString *out,
                      guint    mask)
{
  for (guint i = 0; i < G_N_ELEMENTS (tag_names); i++)
    if (mask & (1u << i))
      {
        if (out->len > 0)
          g_string_append_len (out, ", ", 2);
        g_string_append (out, tag_names[i]);
      }
}

/* The catalogue as the shops list it */

static const char *dim_names[N_DIMS] = {
  NULL, "Color", "Color", "Size", "Size", "Size", "Length", "Length",
};

guint
sk_demo_catalog_n_products (void)
{
  return G_N_ELEMENTS (products);
}

guint
sk_demo_catalog_n_variants (guint product)
{
  g_return_val_if_fail (product < G_N_ELEMENTS (products), 0);

  return product_variants (&products[product]);
}

gboolean
sk_demo_catalog_has_variants (guint product)
{
  g_return_val_if_fail (product < G_N_ELEMENTS (products), FALSE);

  return products[product].dim_a != DIM_NONE;
}

/* The same formulas as the order writers' (sk-demo-data.c,
 * sk-demo-data-woo.c). */
guint64
sk_demo_product_id (guint product)
{
  return G_GUINT64_CONSTANT (7412000000000) + (guint64) product * 131;
}

guint64
sk_demo_variant_id (guint product,
                    guint v)
{
  return G_GUINT64_CONSTANT (42100000000000) + (guint64) product * 64 + v;
}

guint64
sk_demo_inventory_item_id (guint product,
                           guint v)
{
  return G_GUINT64_CONSTANT (45300000000000) + (guint64) product * 64 + v;
}

guint64
sk_demo_woo_product_id (guint product)
{
  return 40 + (guint64) product;
}

guint64
sk_demo_woo_variation_id (guint product,
                          guint v)
{
  return sk_demo_catalog_has_variants (product) ? 400 + (guint64) product * 64 + v : 0;
}

/* The exceptions the demo's stock shows, by SKU and variant: two sold
 * out and a few running low, so the inventory and the channels show the
 * exception workflow without drowning in it. Live demo orders take more
 * as they come. */
static const struct {
  const char *sku;
  guint variant;
  gint64 stock;
} stock_exceptions[] = {
  { "GPS-HND", 0, 0 },    /* Handheld GPS */
  { "BOOT-MID", 4, 0 },   /* Ridgeback Mid Hiking Boots, EU 44 */
  { "TENT-2P", 1, 2 },    /* Ridgeline 2P Tent, Lake Blue */
  { "JKT-DOWN", 1, 3 },   /* Summit Down Jacket, M / Granite */
  { "FILT-SQZ", 0, 3 },   /* Squeeze Water Filter */
  { "FUEL-230", 0, 4 },   /* Isobutane Fuel 230 g */
};

gint64
sk_demo_initial_stock (guint product,
                       guint v)
{
  const SkDemoProduct *p;
  guint64 h;

  g_return_val_if_fail (product < G_N_ELEMENTS (products), 0);

  p = &products[product];
  for (guint i = 0; i < G_N_ELEMENTS (stock_exceptions); i++)
    if (stock_exceptions[i].variant == v && g_str_equal (stock_exceptions[i].sku, p->sku))
      return stock_exceptions[i].stock;

  /* Everything else comfortably in stock: a dozen to five dozen, more of
   * what is cheap and sold several at a time (food, fuel, sporks), and
   * now and then a pallet's worth. */
  h = _sk_demo_mix64 (G_GUINT64_CONSTANT (0x53746f636b) + (guint64) product * 64 + v);
  if (p->price_usd < 1500)
    return 60 + (gint64) ((h >> 8) % 120);
  if (h % 11 == 0)
    return 100 + (gint64) ((h >> 8) % 150);
  return 12 + (gint64) ((h >> 8) % 49);
}

/* WooCommerce's low stock threshold (low_stock_amount) for a realistic
 * few: a handful for gear, more for what sells by the dozen. Set on the
 * product, which its variations inherit, or on each variation (as a shop
 * that sets it variation by variation). The low items of the stock
 * exceptions above are at or below theirs; everything else starts well
 * above it. */
static const struct {
  const char *sku;
  gint64 amount;
  gboolean per_variation;
} low_stock_amounts[] = {
  { "TENT-1P", 3, FALSE },
  { "TENT-2P", 5, FALSE },
  { "TENT-3P", 3, FALSE },
  { "JKT-RAIN", 5, TRUE },
  { "JKT-DOWN", 5, TRUE },
  { "STOVE-CAN", 5, FALSE },
  { "FUEL-230", 20, FALSE },
  { "FILT-SQZ", 5, FALSE },
  { "MEAL-CHL", 12, FALSE },
  { "MEAL-PAD", 12, FALSE },
  { "MEAL-GRN", 10, FALSE },
};

gint64
sk_demo_low_stock_amount (guint    product,
                          gboolean variation)
{
  const SkDemoProduct *p;

  g_return_val_if_fail (product < G_N_ELEMENTS (products), -1);

  p = &products[product];
  for (guint i = 0; i < G_N_ELEMENTS (low_stock_amounts); i++)
    if (g_str_equal (low_stock_amounts[i].sku, p->sku))
      {
        gboolean per_variation = low_stock_amounts[i].per_variation && p->dim_a != DIM_NONE;

        return per_variation == variation ? low_stock_amounts[i].amount : -1;
      }
  return -1;
}

void
sk_demo_barcode (guint product,
                 guint v,
                 char  out[14])
{
  guint sum = 0;

  /* 2: a number for use inside a company, then product and variant */
  g_snprintf (out, 14, "20%05u%05u", product * 7 + 10000, v + 100);
  for (guint i = 0; i < 12; i++)
    sum += (guint) (out[i] - '0') * (i % 2 == 0 ? 1 : 3);
  out[12] = (char) ('0' + (10 - sum % 10) % 10);
  out[13] = '\0';
}

void
sk_demo_variant_options (guint        product,
                         guint        v,
                         const char **name1,
                         const char **value1,
                         const char **name2,
                         const char **value2)
{
  const SkDemoProduct *p = &products[product];
  guint na = dims[p->dim_a].n;

  *name1 = dim_names[p->dim_a];
  *value1 = dims[p->dim_a].options[v % na].title;
  *name2 = dim_names[p->dim_b];
  *value2 = dims[p->dim_b].options[v / na].title;
}
