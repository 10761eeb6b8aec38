import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { resetEnvForTests } from "~/env.server";
import { handleSendTestMessage } from "~/jobs/handlers/send-test-message.server";
import { queues } from "~/jobs/queues";
import { decryptSecret } from "~/lib/crypto.server";
import { action, loader } from "~/routes/app.settings";
import { installShopifyFetchSeam } from "~/sandbox/shopify/fetch-seam";
import { createShopifySimulator, type ShopifySimulator } from "~/sandbox/shopify/router";
import { mintSessionToken } from "~/sandbox/session-token.server";
import { createTelnyxSimulator, type TelnyxSimulator } from "~/sandbox/telnyx/router";
import type { SettingsFormValues } from "~/services/settings.server";
import { createSession, createShop } from "../helpers/factories";
import { stopBoss } from "../helpers/store-harness";
import { TEST_APP_URL, TEST_SHOPIFY_API_KEY, TEST_SHOPIFY_API_SECRET } from "../helpers/test-env";

// The Settings route's loader and action, called the way Remix calls them on a data request from the embedded
// app: Bearer session token, browser User-Agent. Shopify's token exchange reaches the simulated store on loopback
// through @shopify/shopify-api's fetch seam; test messages go through the real Telnyx SDK to the simulated Telnyx.

const SHOP = "parley-demo.myshopify.com";
const STAFF_ID = 4242;
const STORE_NUMBER = "+15005550100";
const PLATFORM_KEY = "KEY_platform_test_key";
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

let shopify: ShopifySimulator;
let telnyx: TelnyxSimulator;
let server: Server;
let restoreFetch: () => void;

beforeAll(async () => {
  shopify = createShopifySimulator({
    apiKey: TEST_SHOPIFY_API_KEY,
    apiSecret: TEST_SHOPIFY_API_SECRET,
    appUrl: TEST_APP_URL,
    shop: SHOP,
  });
  telnyx = createTelnyxSimulator({ apiKey: PLATFORM_KEY, webhookUrl: () => `${origin()}/webhooks/telnyx` });
  const app = express();
  app.use("/sandbox/shopify", shopify.router);
  app.use("/sandbox/telnyx", telnyx.router);
  app.post("/webhooks/telnyx", (_req, res) => res.status(200).end()); // delivery receipts are not this test's subject
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  restoreFetch = installShopifyFetchSeam(origin());
  process.env.TELNYX_API_KEY = PLATFORM_KEY;
  process.env.TELNYX_BASE_URL = `${origin()}/sandbox/telnyx/v2`;
  resetEnvForTests();
});

afterAll(async () => {
  restoreFetch?.();
  await telnyx?.close();
  await shopify?.close();
  await new Promise((resolve) => server?.close(resolve));
  await stopBoss();
});

function origin() {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function request(
  shop: string,
  init: { method?: string; body?: unknown; token?: string | null; userAgent?: string } = {},
) {
  const token =
    init.token === undefined
      ? await mintSessionToken({
          shop,
          apiKey: TEST_SHOPIFY_API_KEY,
          apiSecret: TEST_SHOPIFY_API_SECRET,
          userId: STAFF_ID,
        })
      : init.token;
  const headers: Record<string, string> = { "User-Agent": init.userAgent ?? BROWSER };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  return new Request(`${TEST_APP_URL}/app/settings.data`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const args = (req: Request) => ({ request: req, params: {}, context: {} });

async function load(shop: string) {
  return loader(args(await request(shop)));
}

/** The action's answer as status + body, whether it returned data() with an init or a plain object. */
async function act(shop: string, body: unknown) {
  const result = (await action(args(await request(shop, { body })))) as unknown;
  if (result && typeof result === "object" && "init" in result && "data" in result) {
    const wrapped = result as { data: Record<string, unknown>; init: { status?: number } | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: result as Record<string, unknown> };
}

async function thrown(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("expected a thrown Response");
}

function form(values: SettingsFormValues, overrides: Partial<SettingsFormValues> = {}): SettingsFormValues {
  return { ...values, ...overrides };
}

describe("Settings route", () => {
  let initial: SettingsFormValues;

  test("a first visit exchanges the session token with the store and shows compliant defaults", async () => {
    const page = await load(SHOP);
    initial = page.values;
    expect(page.values).toMatchObject({
      brandName: "",
      timeZone: "America/New_York",
      quietHoursPolicy: "STRICT_STATE_RULES",
      sendingNumber: "",
      telnyxApiKeyAction: "keep",
      telnyxApiKey: "",
    });
    expect(page.values.businessHours.mon).toEqual({ open: true, start: "09:00", end: "17:00" });
    expect(page.values.businessHours.sun.open).toBe(false);
    expect(page.telnyx).toEqual({ apiKeySaved: false, platformKeyAvailable: true });
    expect(page.timeZones).toContain("Europe/Berlin");

    // Token exchange stored the shop's offline session and the staff member's online session; afterAuth made the shop.
    const sessions = await prisma.session.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } });
    expect(sessions.map((s) => s.id).sort()).toEqual([`${SHOP}_${STAFF_ID}`, `offline_${SHOP}`].sort());
    expect(await prisma.shop.count({ where: { id: SHOP } })).toBe(1);
    expect(await prisma.staffMember.count({ where: { shopId: SHOP, shopifyUserId: BigInt(STAFF_ID) } })).toBe(1);
  });

  test("saving stores the settings, the number and an encrypted API key that never comes back", async () => {
    const values = form(initial, {
      brandName: "Acme Outfitters",
      senderName: "Sam",
      supportContact: "help@acme.example",
      timeZone: "America/Chicago",
      businessHours: { ...initial.businessHours, sat: { open: true, start: "10:00", end: "14:00" } },
      quietHoursPolicy: "SHOP_WINDOW",
      sendWindowStart: "10:00",
      sendWindowEnd: "19:00",
      discountMaxPercent: "15",
      discountMaxAmount: "12.50",
      discountDefaultExpiryHours: "24",
      sendingNumber: "(500) 555-0100",
      messagesPerSecond: "5",
      telnyxApiKeyAction: "replace",
      telnyxApiKey: "KEY0123456789_shop_own_key",
    });
    expect(await act(SHOP, { intent: "save", values })).toEqual({ status: 200, body: { ok: true, intent: "save" } });

    const row = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: SHOP } });
    expect(row).toMatchObject({
      brandName: "Acme Outfitters",
      timeZone: "America/Chicago",
      quietHoursPolicy: "SHOP_WINDOW",
      quietHoursStart: "19:00",
      quietHoursEnd: "10:00",
      discountMaxPercent: 15,
      discountMaxAmountCents: 1250,
      discountDefaultExpiryHrs: 24,
    });
    expect(row.businessHours).toMatchObject({ sat: [["10:00", "14:00"]], sun: [], mon: [["09:00", "17:00"]] });
    expect(row.telnyxApiKeyEnc).toBeTruthy();
    expect(row.telnyxApiKeyEnc).not.toContain("KEY0123456789");
    expect(decryptSecret(row.telnyxApiKeyEnc!, { context: SHOP })).toBe("KEY0123456789_shop_own_key");
    expect(
      await prisma.sendingNumber.findMany({
        where: { shopId: SHOP },
        select: { phoneE164: true, messagesPerSecond: true, isDefault: true },
      }),
    ).toEqual([{ phoneE164: STORE_NUMBER, messagesPerSecond: 5, isDefault: true }]);

    const page = await load(SHOP);
    expect(page.values).toMatchObject({
      brandName: "Acme Outfitters",
      sendingNumber: STORE_NUMBER,
      discountMaxAmount: "12.50",
      telnyxApiKey: "",
      telnyxApiKeyAction: "keep",
    });
    expect(page.telnyx.apiKeySaved).toBe(true);
    const serialized = JSON.stringify(page);
    expect(serialized).not.toContain("shop_own_key");
    expect(serialized).not.toContain(row.telnyxApiKeyEnc!);
    initial = page.values;
  });

  test("invalid input answers 400 with one message per field and changes nothing", async () => {
    const before = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: SHOP } });
    const result = await act(SHOP, {
      intent: "save",
      values: form(initial, {
        brandName: "",
        sendWindowStart: "07:00",
        discountMaxPercent: "250",
        sendingNumber: "+1 555 123 4567",
      }),
    });
    expect(result.status).toBe(400);
    expect(result.body.ok).toBe(false);
    expect(Object.keys(result.body.fieldErrors as object).sort()).toEqual([
      "brandName",
      "discountMaxPercent",
      "sendWindowStart",
      "sendingNumber",
    ]);
    const after = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: SHOP } });
    expect(after.updatedAt).toEqual(before.updatedAt);

    expect((await act(SHOP, { intent: "nonsense" })).status).toBe(400);
    expect((await act(SHOP, "not json at all")).status).toBe(400);
  });

  test("every query is scoped to the authenticated shop", async () => {
    // A second shop, already installed (stored sessions, so no token exchange is needed for it).
    const other = await createShop();
    await createSession(other.id);
    await createSession(other.id, {
      id: `${other.id}_${STAFF_ID}`,
      isOnline: true,
      userId: BigInt(STAFF_ID),
      expires: new Date(Date.now() + 3600_000),
    });

    const page = await load(other.id);
    expect(page.values.brandName).toBe("");
    expect(page.values.sendingNumber).toBe("");
    expect(page.telnyx.apiKeySaved).toBe(false);

    // The first shop's number cannot be taken over.
    const taken = await act(other.id, {
      intent: "save",
      values: form(page.values, {
        brandName: "Other",
        supportContact: "https://other.example",
        sendingNumber: STORE_NUMBER,
      }),
    });
    expect(taken.status).toBe(400);
    expect(taken.body.fieldErrors).toEqual({ sendingNumber: "This number is already connected to another store" });

    expect(
      await act(other.id, {
        intent: "save",
        values: form(page.values, { brandName: "Other", supportContact: "https://other.example" }),
      }),
    ).toMatchObject({ status: 200 });
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: SHOP } })).brandName).toBe(
      "Acme Outfitters",
    );
    expect((await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: other.id } })).brandName).toBe("Other");
  });

  test("requests without a valid session token are refused", async () => {
    // No token and no shop: a document request that must log in.
    const noToken = await thrown(loader(args(await request(SHOP, { token: null }))));
    expect(noToken.status).toBe(302);
    expect(noToken.headers.get("Location")).toBe("/auth/login");
    // A token signed with another secret: 401, and App Bridge may retry with a fresh token.
    const forged = await mintSessionToken({
      shop: SHOP,
      apiKey: TEST_SHOPIFY_API_KEY,
      apiSecret: "not-the-secret",
      userId: STAFF_ID,
    });
    const invalid = await thrown(loader(args(await request(SHOP, { token: forged }))));
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get("X-Shopify-Retry-Invalid-Session-Request")).toBe("1");
    // Bots are turned away before anything else.
    expect((await thrown(loader(args(await request(SHOP, { userAgent: "curl/8.5.0 (bot)" }))))).status).toBe(410);
  });

  test("a test message is queued, sent through Telnyx by the worker, and its outcome shown", async () => {
    // Send with the platform account: the simulated Telnyx only knows the platform key.
    expect(await act(SHOP, { intent: "save", values: form(initial, { telnyxApiKeyAction: "remove" }) })).toMatchObject({
      status: 200,
    });

    const bad = await act(SHOP, { intent: "sendTestMessage", to: "12" });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors).toHaveProperty("to");

    const queued = await act(SHOP, { intent: "sendTestMessage", to: "(415) 555-0134" });
    expect(queued).toEqual({ status: 200, body: { ok: true, intent: "sendTestMessage", to: "+14155550134" } });
    expect((await load(SHOP)).testMessage).toMatchObject({ to: "+14155550134", status: "queued", error: null });

    // The job is on the queue with the shop, the number and the text.
    const [job] = await prisma.$queryRawUnsafe<{ data: { shopId: string; to: string; text: string } }[]>(
      `SELECT data FROM pgboss.job WHERE name = $1 ORDER BY created_on DESC LIMIT 1`,
      queues.sendTestMessage.name,
    );
    expect(job.data).toMatchObject({
      shopId: SHOP,
      to: "+14155550134",
      text: expect.stringContaining("Acme Outfitters"),
    });

    // The worker runs it: the real SDK → the simulated Telnyx.
    const outcome = await handleSendTestMessage(job.data);
    expect(outcome.status).toBe("sent");
    const [sent] = telnyx.log.list({ phone: "+14155550134" });
    expect(sent).toMatchObject({ direction: "outbound", from: STORE_NUMBER, to: "+14155550134", text: job.data.text });
    expect((await load(SHOP)).testMessage).toMatchObject({ status: "sent", providerMessageId: sent.id, error: null });

    // Delivered twice (a redelivered job): nothing is sent again.
    expect(await handleSendTestMessage(job.data)).toEqual({ status: "skipped" });
    expect(telnyx.log.list({ phone: "+14155550134" })).toHaveLength(1);
  });

  test("a failed test message keeps Telnyx's reason for the Settings page", async () => {
    // The shop's own key, which the simulated Telnyx does not know: Telnyx answers 401.
    expect(
      await act(SHOP, {
        intent: "save",
        values: form(initial, { telnyxApiKeyAction: "replace", telnyxApiKey: "KEY_not_known_to_telnyx" }),
      }),
    ).toMatchObject({ status: 200 });
    await act(SHOP, { intent: "sendTestMessage", to: "+14155550135" });
    const outcome = await handleSendTestMessage({ shopId: SHOP, to: "+14155550135", text: "test" });
    expect(outcome.status).toBe("failed");
    const page = await load(SHOP);
    expect(page.testMessage).toMatchObject({ status: "failed", to: "+14155550135" });
    expect(page.testMessage?.error).toMatch(/auth|401/i);
    expect(telnyx.log.list({ phone: "+14155550135" })).toHaveLength(0);
  });
});
