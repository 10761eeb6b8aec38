import { z } from "zod";
import type { CatalogueEntry } from "~/domain/flows/interest-match";
import type { ProductStock, StockSummary } from "~/domain/flows/interest";
import { collectionUrl, productUrl, ShopFields, shopInfo } from "./admin-queries.server";
import { type AdminGraphql, runAdminQuery } from "./customer-consent.server";

// What the interest flow reads from the catalogue: products (any status — an unreleased draft is exactly what an
// early-access shopper waits for) and collections ("the hoodies!") by the words a shopper used, in one request;
// one product's stock per variant; a collection's products summed up; and whether a product is in collections.

export type CatalogueItem = CatalogueEntry & { url: string };

const CATALOGUE_QUERY = /* GraphQL */ `
  query ParleyInterestCatalogue($first: Int!, $query: String) {
    shop {
      myshopifyDomain
      currencyCode
      primaryDomain {
        host
      }
    }
    products(first: $first, query: $query, sortKey: UPDATED_AT, reverse: true) {
      nodes {
        id
        title
        handle
        productType
      }
    }
    collections(first: $first, query: $query, sortKey: UPDATED_AT, reverse: true) {
      nodes {
        id
        title
        handle
      }
    }
  }
`;

const Named = z.object({ id: z.string(), title: z.string(), handle: z.string() });

const CatalogueAnswer = z.object({
  shop: ShopFields,
  products: z.object({ nodes: z.array(Named.extend({ productType: z.string() })) }),
  collections: z.object({ nodes: z.array(Named) }),
});

/**
 * Products and collections whose words start like the shopper's (query: null = the most recently updated ones),
 * up to `first` of each. Shopify searches a collection's title by default, a product's title, type and tags.
 */
export async function searchCatalogue(
  admin: AdminGraphql,
  input: { query: string | null; first: number },
): Promise<CatalogueItem[]> {
  const data = await runAdminQuery(admin, CATALOGUE_QUERY, input, CatalogueAnswer);
  const { domain } = shopInfo(data.shop);
  return [
    ...data.products.nodes.map((p) => ({
      type: "product" as const,
      id: p.id,
      title: p.title,
      handle: p.handle,
      productType: p.productType || null,
      url: productUrl(domain, p.handle),
    })),
    ...data.collections.nodes.map((c) => ({
      type: "collection" as const,
      id: c.id,
      title: c.title,
      handle: c.handle,
      url: collectionUrl(domain, c.handle),
    })),
  ];
}

const STOCK_QUERY = /* GraphQL */ `
  query ParleyProductStock($id: ID!) {
    product(id: $id) {
      status
      variants(first: 100) {
        nodes {
          id
          inventoryQuantity
          inventoryItem {
            tracked
          }
        }
      }
    }
  }
`;

const StockAnswer = z.object({
  product: z
    .object({
      status: z.string(),
      variants: z.object({
        nodes: z.array(
          z.object({
            id: z.string(),
            inventoryQuantity: z.number().nullable(),
            inventoryItem: z.object({ tracked: z.boolean() }).nullish(),
          }),
        ),
      }),
    })
    .nullable(),
});

export async function fetchProductStock(admin: AdminGraphql, productId: string): Promise<ProductStock | null> {
  const data = await runAdminQuery(admin, STOCK_QUERY, { id: productId }, StockAnswer);
  if (!data.product) return null;
  return {
    status: data.product.status,
    variants: data.product.variants.nodes.map((v) => ({
      id: v.id,
      inventoryQuantity: v.inventoryQuantity,
      tracked: v.inventoryItem?.tracked,
    })),
  };
}

/** Shopify's largest page, and cheap at this size: a product summed up costs 1. */
export const COLLECTION_PAGE = 250;

const COLLECTION_STOCK_QUERY = /* GraphQL */ `
  query ParleyCollectionStock($id: ID!, $first: Int!) {
    collection(id: $id) {
      products(first: $first) {
        nodes {
          id
          status
          totalInventory
          tracksInventory
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`;

const CollectionStockAnswer = z.object({
  collection: z
    .object({
      products: z.object({
        nodes: z.array(
          z.object({
            id: z.string(),
            status: z.string(),
            totalInventory: z.number().nullable(),
            tracksInventory: z.boolean(),
          }),
        ),
        pageInfo: z.object({ hasNextPage: z.boolean() }),
      }),
    })
    .nullable(),
});

/** A collection's products (any status) as their status and stock totals; `complete` false past one page. */
export async function fetchCollectionStock(
  admin: AdminGraphql,
  collectionId: string,
): Promise<{ products: StockSummary[]; complete: boolean } | null> {
  const data = await runAdminQuery(
    admin,
    COLLECTION_STOCK_QUERY,
    { id: collectionId, first: COLLECTION_PAGE },
    CollectionStockAnswer,
  );
  if (!data.collection) return null;
  const { nodes, pageInfo } = data.collection.products;
  return { products: nodes, complete: !pageInfo.hasNextPage };
}

/** Collections asked about per request: keeps the query a readable size for a shop with many watched. */
const IN_COLLECTION_BATCH = 50;

/**
 * Which of these collections hold the product: one `inCollection` per collection, aliased in one request. A
 * boolean costs nothing, so a request costs 1 however many collections it asks about, where listing the
 * product's collections would cost a point per collection.
 */
export async function collectionsHolding(
  admin: AdminGraphql,
  productId: string,
  collectionIds: string[],
): Promise<string[]> {
  const holding: string[] = [];
  for (let start = 0; start < collectionIds.length; start += IN_COLLECTION_BATCH) {
    const batch = collectionIds.slice(start, start + IN_COLLECTION_BATCH);
    const params = batch.map((_, i) => `$c${i}: ID!`).join(", ");
    const fields = batch.map((_, i) => `c${i}: inCollection(id: $c${i})`).join(" ");
    const query = `query ParleyProductInCollections($id: ID!, ${params}) { product(id: $id) { ${fields} } }`;
    const variables = Object.fromEntries([["id", productId], ...batch.map((id, i) => [`c${i}`, id])]);
    const Answer = z.object({ product: z.record(z.string(), z.boolean()).nullable() });
    const { product } = await runAdminQuery(admin, query, variables, Answer);
    if (!product) return []; // deleted meanwhile: in no collection
    holding.push(...batch.filter((_, i) => product[`c${i}`]));
  }
  return holding;
}
