// The fixed ingredients of the seeded store: Acme Outfitters' catalogue, shopper names and the places they live.
// Phone numbers use the 555-0100…555-0199 block, which US numbering reserves for fiction, under real area codes
// (so time-zone lookups from the number behave as they would for real shoppers).

export interface CatalogProduct {
  title: string;
  productType: string;
  vendor: string;
  priceCents: number;
  compareAtPriceCents?: number;
  tags: string[];
  imageColor: string;
  description: string;
  /** Option name → values; an empty list means a single "Default Title" variant. */
  options: Array<{ name: string; values: string[] }>;
  /** How stock is seeded: "out" empties every variant (back-in-stock demos), "low" empties some. */
  stock: "normal" | "low" | "out";
}

const SIZES = ["S", "M", "L", "XL"];
const WAISTS = ["30", "32", "34", "36"];

export const CATALOG: CatalogProduct[] = [
  {
    title: "Trailhead Merino Tee",
    productType: "Shirts",
    vendor: "Acme Outfitters",
    priceCents: 4800,
    tags: ["merino", "bestseller"],
    imageColor: "#4b5563",
    description: "A lightweight merino wool tee that stays fresh on long days on the trail.",
    options: [
      { name: "Size", values: SIZES },
      { name: "Color", values: ["Charcoal", "Forest"] },
    ],
    stock: "low",
  },
  {
    title: "Ridgeline Rain Jacket",
    productType: "Jackets",
    vendor: "Acme Outfitters",
    priceCents: 15900,
    tags: ["waterproof", "bestseller"],
    imageColor: "#334155",
    description: "Three-layer waterproof shell with pit zips and a helmet-compatible hood.",
    options: [
      { name: "Size", values: SIZES },
      { name: "Color", values: ["Slate", "Ember"] },
    ],
    stock: "normal",
  },
  {
    title: "Summit Down Vest",
    productType: "Jackets",
    vendor: "Acme Outfitters",
    priceCents: 12900,
    tags: ["down", "insulated"],
    imageColor: "#1e3a8a",
    description: "650-fill responsibly sourced down in a packable vest.",
    options: [
      { name: "Size", values: SIZES },
      { name: "Color", values: ["Black", "Navy"] },
    ],
    stock: "out",
  },
  {
    title: "Canyon Hiking Shorts",
    productType: "Shorts",
    vendor: "Acme Outfitters",
    priceCents: 5800,
    tags: ["summer"],
    imageColor: "#a16207",
    description: "Quick-dry stretch shorts with a zip pocket for your phone.",
    options: [
      { name: "Waist", values: WAISTS },
      { name: "Color", values: ["Khaki", "Olive"] },
    ],
    stock: "normal",
  },
  {
    title: "Alpine Fleece Pullover",
    productType: "Sweaters",
    vendor: "Acme Outfitters",
    priceCents: 8900,
    compareAtPriceCents: 9900,
    tags: ["fleece", "sale"],
    imageColor: "#d6d3d1",
    description: "Recycled high-pile fleece with a quarter zip.",
    options: [
      { name: "Size", values: ["XS", ...SIZES] },
      { name: "Color", values: ["Oatmeal", "Heather Grey"] },
    ],
    stock: "low",
  },
  {
    title: "Basecamp Flannel Shirt",
    productType: "Shirts",
    vendor: "Acme Outfitters",
    priceCents: 7400,
    tags: ["flannel"],
    imageColor: "#b91c1c",
    description: "Brushed organic cotton flannel for cold mornings at camp.",
    options: [
      { name: "Size", values: SIZES },
      { name: "Color", values: ["Red Plaid", "Blue Plaid"] },
    ],
    stock: "normal",
  },
  {
    title: "Switchback Trail Runners",
    productType: "Footwear",
    vendor: "Acme Outfitters",
    priceCents: 13900,
    tags: ["footwear", "bestseller"],
    imageColor: "#57534e",
    description: "Grippy, cushioned trail runners with a rock plate.",
    options: [{ name: "Size", values: ["7", "8", "9", "10", "11", "12"] }],
    stock: "low",
  },
  {
    title: "Wayfinder Daypack 24L",
    productType: "Bags",
    vendor: "Acme Outfitters",
    priceCents: 9800,
    tags: ["packs"],
    imageColor: "#3f6212",
    description: "A 24-litre daypack with a padded laptop sleeve and hydration port.",
    options: [{ name: "Color", values: ["Black", "Moss", "Rust"] }],
    stock: "normal",
  },
  {
    title: "Cascade Insulated Bottle 32oz",
    productType: "Drinkware",
    vendor: "Acme Outfitters",
    priceCents: 3600,
    tags: ["drinkware", "gift"],
    imageColor: "#0e7490",
    description: "Double-wall stainless bottle that keeps drinks cold for 24 hours.",
    options: [{ name: "Color", values: ["Glacier", "Sand", "Pine"] }],
    stock: "normal",
  },
  {
    title: "Timberline Beanie",
    productType: "Accessories",
    vendor: "Acme Outfitters",
    priceCents: 2800,
    tags: ["gift", "winter"],
    imageColor: "#ca8a04",
    description: "Ribbed merino-blend beanie.",
    options: [{ name: "Color", values: ["Charcoal", "Mustard", "Forest"] }],
    stock: "low",
  },
  {
    title: "Highland Wool Socks (3-Pack)",
    productType: "Accessories",
    vendor: "Acme Outfitters",
    priceCents: 3200,
    tags: ["merino", "gift"],
    imageColor: "#78716c",
    description: "Cushioned hiking socks in a three-pack.",
    options: [{ name: "Size", values: ["S", "M", "L"] }],
    stock: "normal",
  },
  {
    title: "Pathfinder Softshell Pants",
    productType: "Pants",
    vendor: "Acme Outfitters",
    priceCents: 11000,
    tags: ["softshell"],
    imageColor: "#27272a",
    description: "Weather-resistant softshell pants with articulated knees.",
    options: [
      { name: "Waist", values: WAISTS },
      { name: "Color", values: ["Black", "Graphite"] },
    ],
    stock: "normal",
  },
  {
    title: "Driftwood Camp Mug",
    productType: "Drinkware",
    vendor: "Acme Outfitters",
    priceCents: 2400,
    tags: ["drinkware", "gift"],
    imageColor: "#92400e",
    description: "Enamel camp mug, 12oz.",
    options: [],
    stock: "normal",
  },
  {
    title: "Northstar Headlamp",
    productType: "Gear",
    vendor: "Acme Outfitters",
    priceCents: 4500,
    tags: ["gear"],
    imageColor: "#facc15",
    description: "Rechargeable 400-lumen headlamp with a red night mode.",
    options: [],
    stock: "out",
  },
  {
    title: "Coastline Packable Windbreaker",
    productType: "Jackets",
    vendor: "Acme Outfitters",
    priceCents: 8500,
    tags: ["packable"],
    imageColor: "#0f766e",
    description: "A windbreaker that packs into its own pocket.",
    options: [
      { name: "Size", values: SIZES },
      { name: "Color", values: ["Teal", "Coral"] },
    ],
    stock: "normal",
  },
  {
    title: "Meadow Sun Hoodie",
    productType: "Shirts",
    vendor: "Acme Outfitters",
    priceCents: 6400,
    tags: ["summer", "upf50"],
    imageColor: "#84cc16",
    description: "UPF 50 sun hoodie with thumb loops.",
    options: [
      { name: "Size", values: ["XS", ...SIZES] },
      { name: "Color", values: ["Sage", "Sky"] },
    ],
    stock: "low",
  },
  {
    title: "Boulder Canvas Tote",
    productType: "Bags",
    vendor: "Acme Outfitters",
    priceCents: 3800,
    tags: ["bags", "gift"],
    imageColor: "#e7e5e4",
    description: "Heavy waxed-canvas tote with leather handles.",
    options: [{ name: "Color", values: ["Natural", "Black"] }],
    stock: "normal",
  },
  {
    title: "Evergreen Hammock",
    productType: "Gear",
    vendor: "Acme Outfitters",
    priceCents: 7900,
    tags: ["camp"],
    imageColor: "#166534",
    description: "Ripstop nylon hammock with tree straps.",
    options: [],
    stock: "normal",
  },
  {
    title: "Glacier Sleeping Bag 20°F",
    productType: "Gear",
    vendor: "Acme Outfitters",
    priceCents: 21900,
    tags: ["camp", "insulated"],
    imageColor: "#1d4ed8",
    description: "A 20°F synthetic mummy bag that stays warm when damp.",
    options: [{ name: "Length", values: ["Regular", "Long"] }],
    stock: "low",
  },
  {
    title: "Trekker Leather Gloves",
    productType: "Accessories",
    vendor: "Acme Outfitters",
    priceCents: 5400,
    tags: ["winter"],
    imageColor: "#7c2d12",
    description: "Goatskin work gloves with a fleece lining.",
    options: [{ name: "Size", values: ["S", "M", "L"] }],
    stock: "normal",
  },
];

export interface Locale {
  areaCode: string;
  city: string;
  province: string;
  provinceCode: string;
  zip: string;
}

/** Area codes and a matching city, several per state the brief names, plus a few elsewhere. */
export const LOCALES: Locale[] = [
  { areaCode: "305", city: "Miami", province: "Florida", provinceCode: "FL", zip: "33130" },
  { areaCode: "407", city: "Orlando", province: "Florida", provinceCode: "FL", zip: "32801" },
  { areaCode: "813", city: "Tampa", province: "Florida", provinceCode: "FL", zip: "33602" },
  { areaCode: "206", city: "Seattle", province: "Washington", provinceCode: "WA", zip: "98101" },
  { areaCode: "509", city: "Spokane", province: "Washington", provinceCode: "WA", zip: "99201" },
  { areaCode: "203", city: "New Haven", province: "Connecticut", provinceCode: "CT", zip: "06510" },
  { areaCode: "860", city: "Hartford", province: "Connecticut", provinceCode: "CT", zip: "06103" },
  { areaCode: "405", city: "Oklahoma City", province: "Oklahoma", provinceCode: "OK", zip: "73102" },
  { areaCode: "918", city: "Tulsa", province: "Oklahoma", provinceCode: "OK", zip: "74103" },
  { areaCode: "410", city: "Baltimore", province: "Maryland", provinceCode: "MD", zip: "21201" },
  { areaCode: "301", city: "Rockville", province: "Maryland", provinceCode: "MD", zip: "20850" },
  { areaCode: "415", city: "San Francisco", province: "California", provinceCode: "CA", zip: "94103" },
  { areaCode: "213", city: "Los Angeles", province: "California", provinceCode: "CA", zip: "90012" },
  { areaCode: "619", city: "San Diego", province: "California", provinceCode: "CA", zip: "92101" },
  { areaCode: "212", city: "New York", province: "New York", provinceCode: "NY", zip: "10007" },
  { areaCode: "718", city: "Brooklyn", province: "New York", provinceCode: "NY", zip: "11201" },
  { areaCode: "518", city: "Albany", province: "New York", provinceCode: "NY", zip: "12207" },
  { areaCode: "512", city: "Austin", province: "Texas", provinceCode: "TX", zip: "78701" },
  { areaCode: "713", city: "Houston", province: "Texas", provinceCode: "TX", zip: "77002" },
  { areaCode: "214", city: "Dallas", province: "Texas", provinceCode: "TX", zip: "75201" },
  { areaCode: "303", city: "Denver", province: "Colorado", provinceCode: "CO", zip: "80202" },
  { areaCode: "312", city: "Chicago", province: "Illinois", provinceCode: "IL", zip: "60602" },
  { areaCode: "503", city: "Portland", province: "Oregon", provinceCode: "OR", zip: "97204" },
  { areaCode: "602", city: "Phoenix", province: "Arizona", provinceCode: "AZ", zip: "85003" },
  { areaCode: "617", city: "Boston", province: "Massachusetts", provinceCode: "MA", zip: "02108" },
];

export const FIRST_NAMES = [
  "Maya",
  "Jordan",
  "Priya",
  "Marcus",
  "Elena",
  "Daniel",
  "Aisha",
  "Tyler",
  "Sofia",
  "Kenji",
  "Grace",
  "Luis",
  "Hannah",
  "Omar",
  "Chloe",
  "Ethan",
  "Nadia",
  "Caleb",
  "Isabel",
  "Andre",
  "Lauren",
  "Mateo",
  "Zoe",
  "Samuel",
  "Fatima",
  "Noah",
  "Olivia",
  "Diego",
  "Emma",
  "Malik",
  "Ava",
  "Ryan",
  "Leah",
  "Jamal",
  "Mia",
  "Connor",
  "Yuki",
  "Gabriel",
  "Nora",
  "Isaac",
  "Lily",
  "Xavier",
  "Camila",
  "Owen",
  "Rosa",
  "Wyatt",
  "Amara",
  "Julian",
  "Keira",
  "Ben",
];

export const LAST_NAMES = [
  "Thompson",
  "Rivera",
  "Patel",
  "Johnson",
  "Kowalski",
  "Nguyen",
  "Okafor",
  "Brooks",
  "Martinez",
  "Tanaka",
  "Sullivan",
  "Hernandez",
  "Schmidt",
  "Haddad",
  "Dubois",
  "Walker",
  "Rahman",
  "Fischer",
  "Castillo",
  "Baptiste",
  "Chen",
  "Lopez",
  "Kim",
  "Adeyemi",
  "Ali",
  "Bennett",
  "Park",
  "Morales",
  "Wright",
  "Coleman",
  "Foster",
  "O'Brien",
  "Cohen",
  "Washington",
  "Rossi",
  "Murphy",
  "Sato",
  "Silva",
  "Lindqvist",
  "Greene",
  "Hughes",
  "Reyes",
  "Vargas",
  "Price",
  "Delgado",
  "Turner",
  "Mensah",
  "Klein",
  "Doyle",
  "Anderson",
];

export const STREETS = [
  "Maple Ave",
  "Oak St",
  "Cedar Ln",
  "Pine St",
  "Elm St",
  "Lakeview Dr",
  "Hillcrest Rd",
  "Main St",
  "Willow Way",
  "Park Ave",
  "River Rd",
  "Sunset Blvd",
  "Highland Ave",
  "Forest Dr",
  "Bayview Ct",
];

export const CUSTOMER_TAGS = ["VIP", "newsletter", "repeat-buyer", "wholesale", "local-pickup", "trail-club"];

export interface Carrier {
  company: string;
  trackingNumber(hex: string, digits: string): string;
  trackingUrl(number: string): string;
}

export const CARRIERS: Carrier[] = [
  {
    company: "UPS",
    trackingNumber: (hex) => `1Z${hex.slice(0, 6).toUpperCase()}03${hex.slice(6, 14).toUpperCase()}`,
    trackingUrl: (n) => `https://www.ups.com/track?tracknum=${n}`,
  },
  {
    company: "USPS",
    trackingNumber: (_hex, digits) => `9400${digits.slice(0, 18)}`,
    trackingUrl: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}`,
  },
  {
    company: "FedEx",
    trackingNumber: (_hex, digits) => digits.slice(0, 12),
    trackingUrl: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}`,
  },
];

/** Codes that exist when the store is seeded, so "order placed with a discount" works out of the box. */
export const SEEDED_DISCOUNTS = [
  { code: "WELCOME10", title: "Welcome 10% off", percentage: 0.1 },
  { code: "TRAIL15", title: "Trail club 15% off", percentage: 0.15 },
] as const;

/**
 * The shop's collections, picked by hand (custom collections), named the way shoppers ask for things ("the
 * hoodies!"). Between them they hold products on sale, partly sold out and sold out, so a collection watch has
 * something to wait for.
 */
export const SEEDED_COLLECTIONS: Array<{ title: string; description: string; products: string[] }> = [
  {
    title: "Hoodies",
    description: "Hoodies and pullovers for cool evenings and sunny trails.",
    products: ["Meadow Sun Hoodie", "Alpine Fleece Pullover"],
  },
  {
    title: "Outerwear",
    description: "Shells, vests and windbreakers for whatever the sky does.",
    products: ["Ridgeline Rain Jacket", "Summit Down Vest", "Coastline Packable Windbreaker"],
  },
  {
    title: "Camp Gear",
    description: "Sleep, light and coffee at camp.",
    products: [
      "Evergreen Hammock",
      "Glacier Sleeping Bag 20°F",
      "Northstar Headlamp",
      "Driftwood Camp Mug",
      "Cascade Insulated Bottle 32oz",
    ],
  },
  {
    title: "Winter Accessories",
    description: "Warm heads, hands and feet.",
    products: ["Timberline Beanie", "Trekker Leather Gloves", "Highland Wool Socks (3-Pack)"],
  },
  {
    title: "Bestsellers",
    description: "What the trail club buys most.",
    products: ["Trailhead Merino Tee", "Ridgeline Rain Jacket", "Switchback Trail Runners"],
  },
];
