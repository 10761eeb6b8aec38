import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import express from "express";
import type { Server } from "node:http";
import {
  ApiVersion,
  GraphqlQueryError,
  HttpResponseError,
  LogSeverity,
  RequestedTokenType,
  Session,
  shopifyApi,
  type Shopify,
} from "@shopify/shopify-api";
import { getJwt, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installShopifyFetchSeam, isShopifyFetchSeamActive } from "~/sandbox/shopify/fetch-seam";
import { createShopifySimulator, type ShopifySimulator } from "~/sandbox/shopify/router";

// The simulated store driven by the real Shopify client: token exchange, Admin GraphQL through the fetch seam,
// userErrors and throttling as Shopify answers them, and webhooks the real library accepts as validly signed.

const API_KEY = "sandbox-shopify-test-key";
const API_SECRET = "sandbox-shopify-test-secret";
const SHOP = "parley-demo.myshopify.com";

// Responses are asserted on field by field; typing every GraphQL shape here would only restate the queries.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = Record<string, any>;

interface ReceivedWebhook {
  topic: string;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  valid: boolean;
  payload: Record<string, unknown>;
}

function listen(app: express.Express): Promise<{ server: Server; origin: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

let simulator: ShopifySimulator;
let simServer: Server;
let simOrigin: string;
let appServer: Server;
let shopify: Shopify;
let uninstallSeam: () => void;
let session: Session;
const received: ReceivedWebhook[] = [];

async function gql<T = Data>(query: string, variables?: Record<string, unknown>, as: Session = session): Promise<T> {
  const client = new shopify.clients.Graphql({ session: as });
  const response = await client.request<T>(query, { variables });
  return response.data as T;
}

async function control(pathname: string, body: unknown = {}) {
  const response = await fetch(`${simOrigin}/sandbox/shopify/control/${pathname}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Data };
}

async function state() {
  return (await (await fetch(`${simOrigin}/sandbox/shopify/control/state`)).json()) as Data;
}

beforeAll(async () => {
  shopify = shopifyApi({
    apiKey: API_KEY,
    apiSecretKey: API_SECRET,
    hostName: "parley.test",
    apiVersion: ApiVersion.October25,
    isEmbeddedApp: true,
    scopes: ["read_customers", "write_customers", "read_orders", "read_products", "write_discounts"],
    logger: { level: LogSeverity.Error },
  });

  // The "app": receives webhooks and checks them with the real library, on the exact raw body. The adapter in
  // force is the web-api one (as under shopify-app-remix), so the library gets a web Request.
  const app = express();
  app.post("/webhooks/*", express.raw({ type: "*/*" }), async (req, res) => {
    const rawBody = (req.body as Buffer).toString("utf8");
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const rawRequest = new Request(`https://parley.test${req.originalUrl}`, { method: "POST", headers, body: rawBody });
    const check = await shopify.webhooks.validate({ rawBody, rawRequest });
    received.push({
      topic: String(req.get("X-Shopify-Topic")),
      rawBody,
      headers: req.headers,
      valid: check.valid,
      payload: JSON.parse(rawBody) as Record<string, unknown>,
    });
    res.status(check.valid ? 200 : 401).end();
  });
  const appListening = await listen(app);
  appServer = appListening.server;

  simulator = createShopifySimulator({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    appUrl: appListening.origin,
    scopes: "read_customers,write_customers,read_orders,read_products,write_discounts",
  });
  const simApp = express();
  simApp.use("/sandbox/shopify", simulator.router);
  const simListening = await listen(simApp);
  simServer = simListening.server;
  simOrigin = simListening.origin;
  uninstallSeam = installShopifyFetchSeam(simOrigin);

  const { token } = await getJwt("parley-demo", API_KEY, API_SECRET);
  ({ session } = await shopify.auth.tokenExchange({
    shop: SHOP,
    sessionToken: token,
    requestedTokenType: RequestedTokenType.OfflineAccessToken,
    expiring: true,
  }));
});

afterAll(async () => {
  uninstallSeam?.();
  if (simServer) await close(simServer);
  if (appServer) await close(appServer);
});

describe("OAuth token exchange", () => {
  it("exchanges a session token for an expiring offline token with a refresh token", () => {
    expect(session.isOnline).toBe(false);
    expect(session.accessToken).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(session.scope).toContain("write_discounts");
    const ttl = (session.expires!.getTime() - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(3500);
    expect(ttl).toBeLessThanOrEqual(3600);
    expect(session.refreshToken).toBeTruthy();
  });

  it("issues an online token with the associated user", async () => {
    const { token } = await getJwt("parley-demo", API_KEY, API_SECRET);
    const { session: online } = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: token,
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(online.isOnline).toBe(true);
    expect(online.onlineAccessInfo?.associated_user.id).toBe(12345);
    expect(online.onlineAccessInfo?.associated_user.account_owner).toBe(true);
    const data = await gql<{ shop: { name: string } }>("{ shop { name } }", undefined, online);
    expect(data.shop.name).toBe("Acme Outfitters");
  });

  it("rotates the refresh token and refuses a used one", async () => {
    const { session: refreshed } = await shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! });
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    await expect(shopify.auth.refreshToken({ shop: SHOP, refreshToken: session.refreshToken! })).rejects.toBeInstanceOf(
      HttpResponseError,
    );
    session = refreshed;
  });

  it("rejects a session token for another shop and wrong client credentials", async () => {
    const url = `${simOrigin}/sandbox/shopify/${SHOP}/admin/oauth/access_token`;
    const { token: otherShop } = await getJwt("someone-else", API_KEY, API_SECRET);
    const exchange = (overrides: Record<string, string>) =>
      fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          client_id: API_KEY,
          client_secret: API_SECRET,
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: otherShop,
          subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
          requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
          ...overrides,
        }),
      });
    const wrongShop = await exchange({});
    expect(wrongShop.status).toBe(400);
    expect(await wrongShop.json()).toMatchObject({ error: "invalid_subject_token" });
    const wrongSecret = await exchange({ client_secret: "nope" });
    expect(wrongSecret.status).toBe(401);
  });

  it("answers 401 like Shopify to an unknown access token", async () => {
    const bogus = new Session({
      id: "offline_x",
      shop: SHOP,
      state: "",
      isOnline: false,
      accessToken: "shpat_not_issued_by_the_simulator",
    });
    const error = await gql("{ shop { name } }", undefined, bogus).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpResponseError);
    expect((error as HttpResponseError).response.code).toBe(401);
    const raw = await fetch(`${simOrigin}/sandbox/shopify/${SHOP}/admin/api/2025-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_nope" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
  });
});

describe("Admin GraphQL", () => {
  it("answers shop details and extensions.cost", async () => {
    const client = new shopify.clients.Graphql({ session });
    const response = await client.request(
      `{ shop { id name email myshopifyDomain currencyCode ianaTimezone primaryDomain { url } } }`,
    );
    expect(response.data?.shop).toMatchObject({
      name: "Acme Outfitters",
      myshopifyDomain: SHOP,
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      primaryDomain: { url: `https://${SHOP}` },
    });
    expect(response.extensions?.cost).toMatchObject({
      requestedQueryCost: expect.any(Number),
      throttleStatus: { maximumAvailable: 2000 },
    });
  });

  it("finds a customer by phone with consent, address and orders with tracking", async () => {
    const maya = (await state()).customers[0];
    const data = await gql(
      `query Customer($q: String!) {
        customers(first: 1, query: $q) {
          nodes {
            id firstName lastName displayName email phone tags numberOfOrders
            defaultPhoneNumber { phoneNumber marketingState }
            amountSpent { amount currencyCode }
            smsMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt consentCollectedFrom }
            defaultAddress { provinceCode countryCodeV2 city }
            orders(first: 5, sortKey: PROCESSED_AT, reverse: true) {
              nodes {
                name processedAt displayFinancialStatus displayFulfillmentStatus discountCodes
                totalPriceSet { shopMoney { amount currencyCode } }
                lineItems(first: 5) { nodes { title quantity variant { id } } }
                fulfillments(first: 5) { status displayStatus estimatedDeliveryAt deliveredAt inTransitAt trackingInfo(first: 5) { number url company } }
              }
            }
          }
        }
      }`,
      { q: `phone:${maya.phone}` },
    );
    const [customer] = data.customers.nodes;
    expect(data.customers.nodes).toHaveLength(1);
    expect(customer).toMatchObject({
      id: maya.id,
      phone: maya.phone,
      defaultPhoneNumber: { phoneNumber: maya.phone, marketingState: "SUBSCRIBED" },
    });
    expect(customer.defaultAddress).toEqual({ provinceCode: "FL", countryCodeV2: "US", city: "Miami" });
    expect(customer.smsMarketingConsent.marketingState).toBe("SUBSCRIBED");
    expect(Number(customer.numberOfOrders)).toBeGreaterThan(0);
    expect(customer.orders.nodes[0].totalPriceSet.shopMoney.currencyCode).toBe("USD");
    expect(customer.orders.nodes[0].lineItems.nodes[0].variant.id).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);

    const byEmail = await gql(`query($q: String!) { customers(first: 1, query: $q) { nodes { id } } }`, {
      q: `email:${maya.email}`,
    });
    expect(byEmail.customers.nodes[0].id).toBe(maya.id);
    const byName = await gql(`{ customers(first: 5, query: "maya") { nodes { firstName } } }`);
    expect(byName.customers.nodes.map((c: { firstName: string }) => c.firstName)).toContain("Maya");
  });

  it("has orders in transit and delivered, with tracking", async () => {
    const data = await gql(`{
      orders(first: 100, sortKey: PROCESSED_AT, reverse: true) {
        nodes { name customer { id } fulfillments(first: 3) { displayStatus estimatedDeliveryAt deliveredAt inTransitAt trackingInfo(first: 1) { number url company } } }
      }
    }`);
    const fulfillments = data.orders.nodes.flatMap((o: { fulfillments: unknown[] }) => o.fulfillments) as Array<Data>;
    const inTransit = fulfillments.filter((f) => f.displayStatus === "IN_TRANSIT");
    const delivered = fulfillments.filter((f) => f.displayStatus === "DELIVERED");
    expect(inTransit.length).toBeGreaterThan(2);
    expect(delivered.length).toBeGreaterThan(10);
    expect(inTransit[0].estimatedDeliveryAt).toBeTruthy();
    expect(inTransit[0].inTransitAt).toBeTruthy();
    expect(delivered[0].deliveredAt).toBeTruthy();
    expect(inTransit[0].trackingInfo[0]).toMatchObject({
      company: expect.stringMatching(/UPS|USPS|FedEx/),
      number: expect.any(String),
      url: expect.stringMatching(/^https:\/\//),
    });
  });

  it("pages through abandoned checkouts", async () => {
    const query = `query($after: String) {
      abandonedCheckouts(first: 4, after: $after, sortKey: CREATED_AT, reverse: true, query: "status:open") {
        edges { cursor node { id name abandonedCheckoutUrl createdAt completedAt customer { id } totalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { title quantity variant { id title } } } } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const first = await gql(query);
    expect(first.abandonedCheckouts.edges).toHaveLength(4);
    expect(first.abandonedCheckouts.pageInfo.hasNextPage).toBe(true);
    const node = first.abandonedCheckouts.edges[0].node;
    expect(node.abandonedCheckoutUrl).toMatch(
      new RegExp(`^https://${SHOP}/\\d+/checkouts/ac/[0-9a-f]+/recover\\?key=`),
    );
    expect(node.completedAt).toBeNull();
    expect(node.lineItems.nodes.length).toBeGreaterThan(0);
    const second = await gql(query, { after: first.abandonedCheckouts.pageInfo.endCursor });
    const ids = new Set(
      [...first.abandonedCheckouts.edges, ...second.abandonedCheckouts.edges].map(
        (e: { node: { id: string } }) => e.node.id,
      ),
    );
    expect(ids.size).toBe(first.abandonedCheckouts.edges.length + second.abandonedCheckouts.edges.length);
  });

  it("lists products with variants, inventory and out-of-stock items", async () => {
    const data = await gql(`{
      products(first: 25) { nodes { id title handle onlineStoreUrl totalInventory featuredImage { url } variants(first: 20) { nodes { id title price sku inventoryQuantity availableForSale } } } }
    }`);
    expect(data.products.nodes).toHaveLength(20);
    const soldOut = data.products.nodes.filter((p: { totalInventory: number }) => p.totalInventory === 0);
    expect(soldOut.length).toBeGreaterThanOrEqual(2);
    const tee = data.products.nodes.find((p: { handle: string }) => p.handle === "trailhead-merino-tee");
    expect(tee.onlineStoreUrl).toBe(`https://${SHOP}/products/trailhead-merino-tee`);
    expect(tee.variants.nodes[0]).toMatchObject({ price: "48.00", sku: expect.stringMatching(/^AO-TMT-/) });
    const image = await fetch(tee.featuredImage.url);
    expect(image.headers.get("content-type")).toContain("image/svg+xml");
    const variant = await gql(`query($id: ID!) { productVariant(id: $id) { title product { title } } }`, {
      id: tee.variants.nodes[0].id,
    });
    expect(variant.productVariant.product.title).toBe("Trailhead Merino Tee");
  });

  it("creates a single-use, customer-limited discount and rejects bad input with userErrors", async () => {
    const customer = (await state()).customers[1];
    const mutation = `mutation Create($d: DiscountCodeBasicInput!) {
      discountCodeBasicCreate(basicCodeDiscount: $d) {
        codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title codes(first: 1) { nodes { code } } endsAt usageLimit } } }
        userErrors { field code message }
      }
    }`;
    const input = {
      title: "Sorry about the delay",
      code: "PARLEY-SORRY10",
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [customer.id] } },
      customerGets: { items: { all: true }, value: { percentage: 0.1 } },
    };
    const created = await gql(mutation, { d: input });
    expect(created.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(created.discountCodeBasicCreate.codeDiscountNode.codeDiscount).toMatchObject({
      usageLimit: 1,
      codes: { nodes: [{ code: "PARLEY-SORRY10" }] },
    });

    const duplicate = await gql(mutation, { d: { ...input, code: "parley-sorry10" } });
    expect(duplicate.discountCodeBasicCreate.codeDiscountNode).toBeNull();
    expect(duplicate.discountCodeBasicCreate.userErrors).toEqual([
      {
        field: ["basicCodeDiscount", "code"],
        code: "TAKEN",
        message: "Code must be unique. Please try a different code.",
      },
    ]);
    const outOfRange = await gql(mutation, {
      d: { ...input, code: "X1", customerGets: { items: { all: true }, value: { percentage: 10 } } },
    });
    expect(outOfRange.discountCodeBasicCreate.userErrors[0]).toMatchObject({
      code: "VALUE_OUTSIDE_RANGE",
      field: ["basicCodeDiscount", "customerGets", "value", "percentage"],
    });
    const backwards = await gql(mutation, { d: { ...input, code: "X2", endsAt: "2020-01-01T00:00:00Z" } });
    expect(backwards.discountCodeBasicCreate.userErrors[0]).toMatchObject({ code: "END_DATE_BEFORE_START_DATE" });
    const stranger = await gql(mutation, {
      d: { ...input, code: "X3", context: { customers: { add: ["gid://shopify/Customer/1"] } } },
    });
    expect(stranger.discountCodeBasicCreate.userErrors[0]).toMatchObject({
      code: "INVALID",
      field: ["basicCodeDiscount", "context", "customers", "add"],
    });

    const byCode = await gql(
      `{ codeDiscountNodeByCode(code: "PARLEY-SORRY10") { id codeDiscount { ... on DiscountCodeBasic { status context { ... on DiscountCustomers { customers { id } } } customerGets { value { ... on DiscountPercentage { percentage } } } } } } }`,
    );
    expect(byCode.codeDiscountNodeByCode.codeDiscount).toEqual({
      status: "ACTIVE",
      context: { customers: [{ id: customer.id }] },
      customerGets: { value: { percentage: 0.1 } },
    });

    const listed = (await state()).discounts.find((d: { code: string }) => d.code === "PARLEY-SORRY10");
    expect(listed).toMatchObject({
      customerIds: [customer.id],
      usageLimit: 1,
      appliesOncePerCustomer: true,
      usageCount: 0,
    });

    const freeShipping = await gql(
      `mutation($d: DiscountCodeFreeShippingInput!) { discountCodeFreeShippingCreate(freeShippingCodeDiscount: $d) { codeDiscountNode { id } userErrors { code } } }`,
      {
        d: {
          title: "Free shipping",
          code: "PARLEY-SHIP",
          startsAt: new Date().toISOString(),
          context: { customers: { add: [customer.id] } },
          destination: { all: true },
        },
      },
    );
    expect(freeShipping.discountCodeFreeShippingCreate.userErrors).toEqual([]);
  });

  it("updates SMS consent, refuses it without a phone, creates customers and adds tags", async () => {
    const summary = await state();
    const noPhone = summary.customers.find((c: { phone: string | null }) => c.phone === null);
    const withPhone = summary.customers.find(
      (c: { smsMarketingState: string }) => c.smsMarketingState === "NOT_SUBSCRIBED",
    );
    const mutation = `mutation($input: CustomerSmsMarketingConsentUpdateInput!) {
      customerSmsMarketingConsentUpdate(input: $input) { customer { smsMarketingConsent { marketingState consentCollectedFrom } } userErrors { field code message } }
    }`;
    const refused = await gql(mutation, {
      input: {
        customerId: noPhone.id,
        smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" },
      },
    });
    expect(refused.customerSmsMarketingConsentUpdate.userErrors[0]).toMatchObject({
      code: "INVALID",
      message: expect.stringContaining("phone number is required"),
    });
    const accepted = await gql(mutation, {
      input: {
        customerId: withPhone.id,
        smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" },
      },
    });
    expect(accepted.customerSmsMarketingConsentUpdate).toEqual({
      customer: { smsMarketingConsent: { marketingState: "SUBSCRIBED", consentCollectedFrom: "OTHER" } },
      userErrors: [],
    });

    const created = await gql(
      `mutation($input: CustomerInput!) { customerCreate(input: $input) { customer { id phone smsMarketingConsent { marketingState } } userErrors { field message } } }`,
      {
        input: {
          firstName: "Riley",
          phone: "(206) 555-0199",
          email: "riley@example.com",
          smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN" },
        },
      },
    );
    expect(created.customerCreate.customer).toMatchObject({
      phone: "+12065550199",
      smsMarketingConsent: { marketingState: "SUBSCRIBED" },
    });
    const again = await gql(
      `mutation { customerCreate(input: { phone: "+12065550199" }) { customer { id } userErrors { field message } } }`,
    );
    expect(again.customerCreate.userErrors).toEqual([{ field: ["phone"], message: "Phone has already been taken" }]);

    const tagged = await gql(
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["parley-opt-in", "VIP"]) { node { ... on Customer { tags } } userErrors { message } } }`,
      {
        id: created.customerCreate.customer.id,
      },
    );
    expect(tagged.tagsAdd.node.tags).toEqual(["parley-opt-in", "VIP"]);
  });

  it("refuses a query over the single-query cost limit, as Shopify does", async () => {
    const error = await gql(`{ products(first: 100) { nodes { variants(first: 100) { nodes { id } } } } }`).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphqlQueryError);
    expect(((error as GraphqlQueryError).body as Data).errors.graphQLErrors[0].extensions.code).toBe(
      "MAX_COST_EXCEEDED",
    );
  });

  it("answers THROTTLED when told to, with extensions.cost, then recovers", async () => {
    expect((await control("throttle", { count: 1 })).body.pendingThrottles).toBe(1);
    const error = await gql("{ shop { name } }").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphqlQueryError);
    const body = (error as GraphqlQueryError).body as Data;
    expect(body.errors.graphQLErrors[0]).toMatchObject({ message: "Throttled", extensions: { code: "THROTTLED" } });
    expect(body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
    expect((await gql("{ shop { name } }")).shop.name).toBe("Acme Outfitters");
  });

  it("answers GraphQL errors with HTTP 200: unknown fields, malformed ids; unknown ids are null", async () => {
    const raw = await fetch(`${simOrigin}/sandbox/shopify/${SHOP}/admin/api/2025-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": session.accessToken! },
      body: JSON.stringify({ query: "{ shop { nope } }" }),
    });
    expect(raw.status).toBe(200);
    expect(((await raw.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    const badId = await gql(`{ customer(id: "123") { id } }`).catch((e: unknown) => e);
    expect((badId as GraphqlQueryError).message).toContain("Invalid global id");
    const unknown = await gql(`{ customer(id: "gid://shopify/Customer/1") { id } }`);
    expect(unknown.customer).toBeNull();
  });
});

describe("Webhooks from store events", () => {
  const since = () => received.length;

  it("signs checkouts/create and checkouts/update so the real library validates them", async () => {
    const customer = (await state()).customers[0];
    const before = since();
    const { status, body } = await control("events/checkout-abandoned", {
      customerId: customer.id,
      startedMinutesAgo: 0,
    });
    expect(status).toBe(200);
    expect(body.webhooks.map((w: { topic: string; status: number }) => [w.topic, w.status])).toEqual([
      ["checkouts/create", 200],
      ["checkouts/update", 200],
    ]);
    const [create] = received.slice(before);
    expect(create.valid).toBe(true);
    expect(create.headers["x-shopify-hmac-sha256"]).toBe(
      createHmac("sha256", API_SECRET).update(create.rawBody).digest("base64"),
    );
    expect(create.headers["x-shopify-shop-domain"]).toBe(SHOP);
    expect(create.headers["x-shopify-api-version"]).toBe("2025-10");
    expect(create.headers["x-shopify-webhook-id"]).toBeTruthy();
    expect(create.headers["x-shopify-event-id"]).toBeTruthy();
    expect(create.headers["x-shopify-triggered-at"]).toBeTruthy();
    expect(create.payload).toMatchObject({
      phone: customer.phone,
      buyer_accepts_sms_marketing: true,
      abandoned_checkout_url: expect.stringContaining("/checkouts/ac/"),
      customer: { id: Number(customer.id.split("/").pop()) },
      currency: "USD",
    });
    expect((create.payload.line_items as unknown[]).length).toBeGreaterThan(0);
    const checkoutId = body.entity.checkoutId as string;
    const graph = await gql(`{ abandonedCheckouts(first: 1, sortKey: CREATED_AT, reverse: true) { nodes { id } } }`);
    expect(graph.abandonedCheckouts.nodes[0].id).toBe(checkoutId);
  });

  it("places an order with the customer's discount code, and refuses it for anyone else", async () => {
    const summary = await state();
    const owner = summary.discounts.find((d: { code: string }) => d.code === "PARLEY-SORRY10").customerIds[0];
    const someoneElse = summary.customers.find((c: { id: string }) => c.id !== owner).id;
    const refused = await control("events/order-placed", { customerId: someoneElse, discountCode: "PARLEY-SORRY10" });
    expect(refused.status).toBe(422);

    const before = since();
    const placed = await control("events/order-placed", { customerId: owner, discountCode: "PARLEY-SORRY10" });
    expect(placed.status).toBe(200);
    const [order] = received.slice(before);
    expect(order.topic).toBe("orders/create");
    expect(order.valid).toBe(true);
    expect(order.payload).toMatchObject({
      discount_codes: [{ code: "PARLEY-SORRY10", type: "percentage" }],
      financial_status: "paid",
      customer: { id: Number(owner.split("/").pop()) },
    });
    const after = (await state()).discounts.find((d: { code: string }) => d.code === "PARLEY-SORRY10");
    expect(after.usageCount).toBe(1);
    const again = await control("events/order-placed", { customerId: owner, discountCode: "PARLEY-SORRY10" });
    expect(again.status).toBe(422); // single use
  });

  it("completes an abandoned checkout into an order carrying its checkout id", async () => {
    const open = (await state()).checkouts.find(
      (c: { completedAt: string | null; customerId: string | null }) => !c.completedAt && c.customerId,
    );
    const placed = await control("events/order-placed", { checkoutId: open.id });
    expect(placed.status).toBe(200);
    expect(placed.body.webhooks[0].payload.checkout_id).toBe(Number(open.id.split("/").pop()));
    const graph = await gql(
      `query($q: String) { abandonedCheckouts(first: 50, query: $q) { nodes { id completedAt } } }`,
      { q: `id:${open.id.split("/").pop()}` },
    );
    expect(graph.abandonedCheckouts.nodes[0].completedAt).toBeTruthy();
  });

  it("ships, moves and delivers a parcel with fulfillments/create and fulfillments/update", async () => {
    const created = await control("events/fulfillment-created", { company: "UPS" });
    expect(created.status).toBe(200);
    const fulfillmentId = created.body.entity.fulfillmentId as string;
    const createPayload = created.body.webhooks[0].payload;
    expect(created.body.webhooks[0]).toMatchObject({ topic: "fulfillments/create", status: 200 });
    expect(createPayload).toMatchObject({
      tracking_company: "UPS",
      tracking_numbers: [expect.stringMatching(/^1Z/)],
      status: "success",
    });

    const moving = await control("events/fulfillment-in-transit", { fulfillmentId });
    expect(moving.body.webhooks[0]).toMatchObject({
      topic: "fulfillments/update",
      payload: { shipment_status: "in_transit" },
    });
    const delivered = await control("events/fulfillment-delivered", { fulfillmentId });
    expect(delivered.body.webhooks[0].payload.shipment_status).toBe("delivered");

    const graph = await gql(
      `query($id: ID!) { order(id: $id) { displayFulfillmentStatus fulfillments(first: 5) { id displayStatus deliveredAt } } }`,
      { id: created.body.entity.orderId },
    );
    const shipped = graph.order.fulfillments.find((f: { id: string }) => f.id === fulfillmentId);
    expect(shipped.displayStatus).toBe("DELIVERED");
    expect(shipped.deliveredAt).toBeTruthy();
  });

  it("sends customers/update on a consent change and products/update + inventory_levels/update on restock", async () => {
    const target = (await state()).customers.find(
      (c: { smsMarketingState: string }) => c.smsMarketingState === "SUBSCRIBED",
    );
    const updated = await control("events/customer-updated", {
      customerId: target.id,
      smsMarketingState: "UNSUBSCRIBED",
    });
    expect(updated.body.webhooks[0]).toMatchObject({
      topic: "customers/update",
      status: 200,
      payload: { sms_marketing_consent: { state: "unsubscribed" } },
    });

    const restocked = await control("events/product-back-in-stock", {});
    expect(restocked.status).toBe(200);
    const topics = restocked.body.webhooks.map((w: { topic: string }) => w.topic);
    expect(topics[0]).toBe("products/update");
    expect(topics.slice(1).every((t: string) => t === "inventory_levels/update")).toBe(true);
    expect(restocked.body.webhooks[1].payload.available).toBeGreaterThan(0);
  });

  it("emits the compliance topics and app/uninstalled, validly signed", async () => {
    const customer = (await state()).customers[5];
    const before = since();
    for (const kind of ["customers-data-request", "customers-redact", "shop-redact", "app-uninstalled"]) {
      const result = await control(`compliance/${kind}`, { customerId: customer.id });
      expect(result.status).toBe(200);
    }
    const got = received.slice(before);
    expect(got.map((w) => w.topic)).toEqual([
      "customers/data_request",
      "customers/redact",
      "shop/redact",
      "app/uninstalled",
    ]);
    expect(got.every((w) => w.valid)).toBe(true);
    expect(got[1].payload).toMatchObject({
      shop_domain: SHOP,
      customer: { id: Number(customer.id.split("/").pop()), phone: customer.phone },
    });
  });

  it("signs with another secret on request, which the real library rejects", async () => {
    const delivery = await simulator.emitWebhook("customers/update", { id: 1 }, { signWithSecret: "not-the-secret" });
    expect(delivery.status).toBe(401);
  });
});

describe("through @shopify/shopify-app-remix, as the app uses it", () => {
  function memoryStorage(): SessionStorage & { sessions: Map<string, Session> } {
    const sessions = new Map<string, Session>();
    return {
      sessions,
      storeSession: async (s) => Boolean(sessions.set(s.id, s)),
      loadSession: async (id) => sessions.get(id),
      deleteSession: async (id) => sessions.delete(id) || true,
      deleteSessions: async (ids) => ids.every((id) => sessions.delete(id) || true),
      findSessionsByShop: async (shop) => [...sessions.values()].filter((s) => s.shop === shop),
    };
  }

  it("authenticate.admin exchanges the session token here, admin.graphql queries here, authenticate.webhook accepts our webhooks", async () => {
    const storage = memoryStorage();
    const remix = shopifyApp({
      apiKey: API_KEY,
      apiSecretKey: API_SECRET,
      appUrl: "https://parley.test",
      scopes: ["read_customers", "write_customers", "read_orders", "read_products", "write_discounts"],
      apiVersion: ApiVersion.October25,
      sessionStorage: storage,
      distribution: AppDistribution.AppStore,
      future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
      logger: { level: LogSeverity.Error },
    });
    // A browser-like User-Agent: the library answers bot-looking requests with 410.
    const request = await setUpValidRequest(
      { type: RequestType.Bearer, store: "parley-demo", apiKey: API_KEY, apiSecretKey: API_SECRET },
      new Request("https://parley.test/app", {
        headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36" },
      }),
    );
    const { admin, session: remixSession } = await remix.authenticate.admin(request);
    expect(remixSession.shop).toBe(SHOP);
    expect(storage.sessions.get(`offline_${SHOP}`)?.refreshToken).toBeTruthy();
    const answer = await admin.graphql(`query { customers(first: 1, sortKey: NAME) { nodes { displayName } } }`);
    const json = (await answer.json()) as Data;
    expect(json.data.customers.nodes[0].displayName).toEqual(expect.any(String));

    const before = received.length;
    await control("events/customer-updated", { customerId: (await state()).customers[2].id, addTags: ["remix"] });
    const webhook = received[before];
    const {
      topic,
      shop,
      payload,
      session: webhookSession,
      admin: webhookAdmin,
    } = await remix.authenticate.webhook(
      new Request("https://parley.test/webhooks/customers/update", {
        method: "POST",
        headers: Object.fromEntries(Object.entries(webhook.headers).map(([k, v]) => [k, String(v)])),
        body: webhook.rawBody,
      }),
    );
    expect(topic).toBe("CUSTOMERS_UPDATE");
    expect(shop).toBe(SHOP);
    expect((payload as Data).tags).toContain("remix");
    expect(webhookSession?.shop).toBe(SHOP);
    const viaWebhookAdmin = await webhookAdmin!.graphql(`{ shop { name } }`);
    expect(((await viaWebhookAdmin.json()) as Data).data.shop.name).toBe("Acme Outfitters");
  });
});

describe("fetch seam", () => {
  it("is active, and survives @shopify/shopify-app-remix being loaded after it (as server.ts does)", async () => {
    expect(isShopifyFetchSeamActive()).toBe(true);
    // A fresh process, so module evaluation order is the server's: seam first, Remix build later.
    const { execFileSync } = await import("node:child_process");
    const script = `
      const { installShopifyFetchSeam, isShopifyFetchSeamActive } = await import(${JSON.stringify(path.resolve("app/sandbox/shopify/fetch-seam.ts"))});
      installShopifyFetchSeam("http://127.0.0.1:1");
      await import("@shopify/shopify-app-remix/server");
      await import("@shopify/shopify-app-remix/adapters/node");
      process.stdout.write(String(isShopifyFetchSeamActive()));`;
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: process.cwd(),
      encoding: "utf8",
    });
    expect(output).toBe("true");
  });
});

describe("persistence", () => {
  it("writes the store to its data file and loads it on the next start", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sandbox-shopify-"));
    try {
      const dataFile = path.join(dir, "store.json");
      const first = createShopifySimulator({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        appUrl: "http://127.0.0.1:9",
        dataFile,
      });
      first.store.createDiscount({
        kind: "basic",
        title: "Persisted",
        code: "PERSIST5",
        startsAt: new Date().toISOString(),
        endsAt: null,
        usageLimit: null,
        appliesOncePerCustomer: false,
        customerIds: null,
        value: { type: "percentage", percentage: 0.05 },
        minimumSubtotalCents: null,
        combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
      });
      await first.close();
      const second = createShopifySimulator({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        appUrl: "http://127.0.0.1:9",
        dataFile,
      });
      expect(second.store.discountByCode("persist5")?.title).toBe("Persisted");
      expect(second.store.customers).toHaveLength(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
