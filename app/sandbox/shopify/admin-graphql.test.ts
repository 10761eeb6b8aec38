import { describe, expect, it } from "vitest";
import { parseScopes } from "./admin-scopes";
import { executeAdminGraphql } from "./admin-graphql";
import { ThrottleBucket } from "./query-cost";
import { ShopifyStore } from "./store";

// Shopify behaviours that the integration test cannot reach through one token: scope enforcement, search syntax,
// cost arithmetic.

const store = new ShopifyStore({ now: () => new Date("2026-03-01T15:00:00Z") });
const run = (
  query: string,
  scopes = "read_customers,read_orders,read_products,write_discounts",
  variables?: Record<string, unknown>,
) =>
  executeAdminGraphql(
    { query, variables },
    {
      store,
      scopes: parseScopes(scopes),
      imageBaseUrl: "http://img",
      bucket: new ThrottleBucket(),
      forceThrottle: false,
      enforceBucket: false,
    },
  );

describe("executeAdminGraphql", () => {
  it("denies a root field without its scope, naming the scope, and answers the rest", async () => {
    const result = await run(`{ shop { name } order(id: "gid://shopify/Order/1") { id } }`, "read_customers");
    expect(result.data).toEqual({ shop: { name: "Acme Outfitters" }, order: null });
    expect(result.errors?.[0]).toMatchObject({
      message: "Access denied for order field. Required access: `read_orders` access scope.",
      extensions: { code: "ACCESS_DENIED" },
      path: ["order"],
    });
  });

  it("treats write scopes as including read", async () => {
    const result = await run(`{ codeDiscountNodeByCode(code: "WELCOME10") { id } }`, "write_discounts");
    expect(result.errors).toBeUndefined();
  });

  it("requires first or last on connections", async () => {
    const result = await run(`{ customers { nodes { id } } }`);
    expect(result.errors?.[0]).toMatchObject({ message: "you must provide one of first or last" });
  });

  it.each([
    ["tag:VIP", (c: { tags: string[] }) => c.tags.includes("VIP")],
    ["-tag:VIP", (c: { tags: string[] }) => !c.tags.includes("VIP")],
    ["state:disabled AND country:US", () => true],
  ])("filters customers with %s", async (query, predicate) => {
    const result = await run(`query($q: String) { customers(first: 100, query: $q) { nodes { tags } } }`, undefined, {
      q: query,
    });
    const nodes = (result.data as { customers: { nodes: Array<{ tags: string[] }> } }).customers.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every(predicate)).toBe(true);
  });

  it("finds orders by name and customers by phone without the country code", async () => {
    const maya = store.customers[0];
    const result = await run(
      `query($q: String) { customers(first: 1, query: $q) { nodes { id } } orders(first: 1, query: "name:#1001") { nodes { name } } }`,
      undefined,
      {
        q: `phone:${maya.phone?.slice(2)}`,
      },
    );
    expect(result.data).toEqual({
      customers: { nodes: [{ id: `gid://shopify/Customer/${maya.id}` }] },
      orders: { nodes: [{ name: "#1001" }] },
    });
  });

  it("searches collections by title and answers their products, and a product's collections", async () => {
    const hoodie = store.products.find((p) => p.title === "Meadow Sun Hoodie")!;
    const result = await run(
      `query($product: ID!, $hoodies: ID!, $outerwear: ID!) {
        collections(first: 5, query: "hood* OR outer*", sortKey: TITLE) {
          nodes { id title handle productsCount { count } products(first: 1) { nodes { title } } }
        }
        collectionsCount(query: "title:Camp*") { count }
        product(id: $product) {
          collections(first: 5) { nodes { handle } }
          hoodies: inCollection(id: $hoodies)
          outerwear: inCollection(id: $outerwear)
        }
      }`,
      undefined,
      {
        product: `gid://shopify/Product/${hoodie.id}`,
        hoodies: `gid://shopify/Collection/${store.collections.find((c) => c.handle === "hoodies")!.id}`,
        outerwear: `gid://shopify/Collection/${store.collections.find((c) => c.handle === "outerwear")!.id}`,
      },
    );
    expect(result.errors).toBeUndefined();
    const data = result.data as {
      collections: { nodes: Array<{ id: string; title: string; productsCount: { count: number } }> };
    };
    expect(data).toMatchObject({
      collections: {
        nodes: [
          {
            title: "Hoodies",
            handle: "hoodies",
            productsCount: { count: 2 },
            products: { nodes: [{ title: "Meadow Sun Hoodie" }] },
          },
          { title: "Outerwear", handle: "outerwear", productsCount: { count: 3 } },
        ],
      },
      collectionsCount: { count: 1 },
      product: { collections: { nodes: [{ handle: "hoodies" }] }, hoodies: true, outerwear: false },
    });
    const [hoodies] = data.collections.nodes;
    const byId = await run(
      `query($id: ID!) { collection(id: $id) { title hasProduct(id: "gid://shopify/Product/${hoodie.id}") } node(id: $id) { ... on Collection { handle } } }`,
      undefined,
      { id: hoodies.id },
    );
    expect(byId.data).toEqual({ collection: { title: "Hoodies", hasProduct: true }, node: { handle: "hoodies" } });
  });

  it("reports a cost that grows with page sizes", async () => {
    const small = await run(`{ products(first: 1) { nodes { variants(first: 1) { nodes { id } } } } }`);
    const large = await run(`{ products(first: 10) { nodes { variants(first: 10) { nodes { id } } } } }`);
    expect(small.extensions?.cost.requestedQueryCost).toBeLessThan(large.extensions!.cost.requestedQueryCost);
    const mutation = await run(
      `mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { userErrors { message } } }`,
      "write_customers",
    );
    expect(mutation.extensions?.cost.requestedQueryCost).toBeGreaterThanOrEqual(10);
  });
});
