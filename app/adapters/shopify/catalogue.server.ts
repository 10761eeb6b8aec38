import { z } from "zod";
import type { CatalogueEntry } from "~/domain/flows/interest-match";
import type { ProductStock } from "~/domain/flows/interest";
import { productUrl, ShopFields, shopInfo } from "./admin-queries.server";
import { type AdminGraphql, runAdminQuery } from "./customer-consent.server";

// What the interest flow reads from the catalogue: products (any status — an unreleased draft is exactly what an
// early-access shopper waits for) by the words a shopper used, and one product's stock per variant. Collections
// are not searched: the matcher and the flow handle them, but Parley's simulated Admin API has none to test with.

export type CatalogueProduct = CatalogueEntry & { url: string };

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
  }
`;

const CatalogueAnswer = z.object({
  shop: ShopFields,
  products: z.object({
    nodes: z.array(z.object({ id: z.string(), title: z.string(), handle: z.string(), productType: z.string() })),
  }),
});

/** Products whose words start like the shopper's (query: null = the most recently updated ones), up to `first`. */
export async function searchCatalogue(
  admin: AdminGraphql,
  input: { query: string | null; first: number },
): Promise<CatalogueProduct[]> {
  const data = await runAdminQuery(admin, CATALOGUE_QUERY, input, CatalogueAnswer);
  const { domain } = shopInfo(data.shop);
  return data.products.nodes.map((p) => ({
    type: "product" as const,
    id: p.id,
    title: p.title,
    handle: p.handle,
    productType: p.productType || null,
    url: productUrl(domain, p.handle),
  }));
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
