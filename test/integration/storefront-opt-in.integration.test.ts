import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { buildDisclosure } from "~/domain/opt-in-disclosure";
import * as configRoute from "~/routes/proxy.config";
import * as subscribeRoute from "~/routes/proxy.subscribe";
import { signProxyQuery } from "~/sandbox/storefront/app-proxy";
import { hitRateLimit, pruneRateLimitWindows } from "~/services/rate-limit.server";
import { createSendingNumber, createShop, fakePhone } from "../helpers/factories";
import { TEST_APP_URL, TEST_SHOPIFY_API_SECRET } from "../helpers/test-env";

// The app proxy routes as Shopify calls them: /proxy/* with the storefront's query plus shop, path_prefix,
// timestamp, logged_in_customer_id and the signature (signed the way the sandbox's proxy signs, verified by
// @shopify/shopify-app-remix), the shopper's address in X-Forwarded-For. startOptIn runs for real on this file's
// database; no worker runs, so a confirmation text stays queued where the test can count it.

const BROWSER =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1";
const PROGRAM = {
  brandName: "Acme Tees",
  messageFrequency: "Up to 4 msgs/month",
  termsUrl: "https://acme.example/sms-terms",
  privacyUrl: "https://acme.example/privacy",
};
let ipSequence = 0;
const nextIp = () => `203.0.113.${++ipSequence}`;

async function openShop(settings: Record<string, unknown> = {}) {
  const shop = await createShop();
  await prisma.shopSettings.update({
    where: { shopId: shop.id },
    data: { ...PROGRAM, optInFormEnabled: true, doubleOptIn: true, ...settings },
  });
  const number = await createSendingNumber(shop.id);
  return { shopId: shop.id, storeNumber: number.phoneE164 };
}

interface ProxyCall {
  shopId: string;
  path: "config" | "subscribe";
  query?: Record<string, string>;
  body?: unknown;
  form?: Record<string, string>;
  ip?: string | null;
  customerId?: number | null;
  secret?: string;
  timestamp?: Date;
  unsigned?: boolean;
}

function proxyRequest(call: ProxyCall): Request {
  let query = signProxyQuery(new URLSearchParams(call.query), {
    shop: call.shopId,
    secret: call.secret ?? TEST_SHOPIFY_API_SECRET,
    customerId: call.customerId ?? null,
    now: call.timestamp,
  });
  if (call.unsigned) {
    query = new URLSearchParams(query);
    query.delete("signature");
  }
  const headers = new Headers({ "User-Agent": BROWSER });
  if (call.ip !== null) headers.set("X-Forwarded-For", `${call.ip ?? nextIp()}, 10.0.0.1`);
  let body: string | undefined;
  if (call.form) {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    headers.set("Accept", "text/html");
    body = new URLSearchParams(call.form).toString();
  } else if (call.path === "subscribe") {
    headers.set("Content-Type", "application/json");
    headers.set("Accept", "application/json");
    body = JSON.stringify(call.body ?? {});
  }
  return new Request(`${TEST_APP_URL}/proxy/${call.path}?${query}`, {
    method: call.path === "subscribe" ? "POST" : "GET",
    headers,
    body,
  });
}

/** The route's answer, or the Response authenticate threw (Remix sends a thrown Response as is). */
async function call(input: ProxyCall): Promise<Response> {
  const request = proxyRequest(input);
  try {
    return input.path === "config"
      ? await configRoute.loader({ request, params: {}, context: {} } as LoaderFunctionArgs)
      : await subscribeRoute.action({ request, params: {}, context: {} } as ActionFunctionArgs);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

interface ConfigBody {
  enabled: boolean;
  brandName: string;
  defaultCountry: string;
  disclosure: { body: string; links: { label: string; url: string }[]; version: string };
}

async function config(shopId: string, query?: Record<string, string>): Promise<ConfigBody> {
  const response = await call({ shopId, path: "config", query });
  expect(response.status).toBe(200);
  return (await response.json()) as ConfigBody;
}

async function subscribe(shopId: string, body: Record<string, unknown>, extra: Partial<ProxyCall> = {}) {
  const response = await call({ shopId, path: "subscribe", body, ...extra });
  return { response, status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function stored(shopId: string) {
  const [events, contacts, messages] = await Promise.all([
    prisma.consentEvent.count({ where: { shopId } }),
    prisma.contact.count({ where: { shopId } }),
    prisma.message.count({ where: { shopId } }),
  ]);
  return { events, contacts, messages };
}

const NOTHING = { events: 0, contacts: 0, messages: 0 };

describe("app proxy signature", () => {
  test("a valid signature → the form's configuration, with the disclosure built from the settings", async () => {
    const { shopId } = await openShop();
    const body = await config(shopId);
    const expected = buildDisclosure({
      brandName: PROGRAM.brandName,
      frequency: PROGRAM.messageFrequency,
      termsUrl: PROGRAM.termsUrl,
      privacyUrl: PROGRAM.privacyUrl,
    });
    expect(body).toEqual({
      enabled: true,
      brandName: "Acme Tees",
      defaultCountry: "US",
      disclosure: { body: expected.body, links: expected.links, version: expected.version },
    });
  });

  test("a block's legal link overrides change the links and the version", async () => {
    const { shopId } = await openShop();
    const plain = await config(shopId);
    const overridden = await config(shopId, { terms: "/pages/sms-terms" });
    expect(overridden.disclosure.links[0]).toEqual({ label: "Terms", url: `https://${shopId}/pages/sms-terms` });
    expect(overridden.disclosure.version).not.toBe(plain.disclosure.version);
  });

  test.each([
    ["forged", { secret: "not-the-app-secret" }],
    ["missing", { unsigned: true }],
    ["stale (2 minutes old)", { timestamp: new Date(Date.now() - 120_000) }],
  ])("%s signature → 400 and nothing stored", async (_what, forgery) => {
    const { shopId } = await openShop();
    const { disclosure } = await config(shopId);
    const configAnswer = await call({ shopId, path: "config", ...forgery });
    expect(configAnswer.status).toBe(400);
    const answer = await call({
      shopId,
      path: "subscribe",
      body: { phone: "415 555 0134", country: "US", consent: true, disclosureVersion: disclosure.version },
      ...forgery,
    });
    expect(answer.status).toBe(400);
    expect(await stored(shopId)).toEqual(NOTHING);
    expect(await prisma.rateLimitWindow.count({ where: { key: { contains: shopId } } })).toBe(0);
  });
});

describe("a storefront sign-up", () => {
  test("records the consent event with the full evidence and queues one confirmation", async () => {
    const { shopId } = await openShop();
    const { disclosure } = await config(shopId);
    const phone = "+14155550134";
    const { status, json } = await subscribe(
      shopId,
      {
        phone: "(415) 555-0134",
        country: "US",
        consent: true,
        disclosureVersion: disclosure.version,
        pageUrl: "/products/heavyweight-tee?variant=7",
        source: "form",
      },
      { ip: "198.51.100.23", customerId: 7001 },
    );
    expect({ status, json }).toEqual({
      status: 200,
      json: { status: 200, ok: true, outcome: "pending", message: "Check your phone: reply Y to confirm." },
    });
    const expected = buildDisclosure({
      brandName: PROGRAM.brandName,
      frequency: PROGRAM.messageFrequency,
      termsUrl: PROGRAM.termsUrl,
      privacyUrl: PROGRAM.privacyUrl,
    });
    const events = await prisma.consentEvent.findMany({ where: { shopId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      phoneE164: phone,
      purpose: "MARKETING",
      status: "PENDING",
      source: "STOREFRONT_FORM",
      ipAddress: "198.51.100.23",
      userAgent: BROWSER,
      pageUrl: `https://${shopId}/products/heavyweight-tee?variant=7`,
      shopifyCustomerId: "gid://shopify/Customer/7001",
      disclosureText: expected.text,
      disclosureVersion: expected.version,
    });
    expect(Date.now() - events[0].occurredAt.getTime()).toBeLessThan(60_000);
    const contact = await prisma.contact.findUniqueOrThrow({
      where: { shopId_phoneE164: { shopId, phoneE164: phone } },
    });
    expect(contact.shopifyCustomerId).toBe("gid://shopify/Customer/7001");
    const messages = await prisma.message.findMany({ where: { shopId } });
    expect(messages).toHaveLength(1);
    expect(messages[0].body).toMatch(/Reply Y/i);
  });

  test("the popup is its own source; a guest has no customer id", async () => {
    const { shopId } = await openShop();
    const { disclosure } = await config(shopId);
    const { status } = await subscribe(shopId, {
      phone: "415 555 0177",
      consent: true,
      disclosureVersion: disclosure.version,
      source: "popup",
    });
    expect(status).toBe(200);
    expect(await prisma.consentEvent.findFirstOrThrow({ where: { shopId } })).toMatchObject({
      source: "POPUP",
      shopifyCustomerId: null,
      pageUrl: null,
    });
  });

  test("a resubmission is idempotent: one event, one confirmation text", async () => {
    const { shopId } = await openShop();
    const { disclosure } = await config(shopId);
    const body = { phone: "415 555 0188", country: "US", consent: true, disclosureVersion: disclosure.version };
    const first = await subscribe(shopId, body);
    const second = await subscribe(shopId, body);
    expect(first.json).toMatchObject({ outcome: "pending" });
    expect(second.json).toMatchObject({ status: 200, outcome: "already_pending", message: first.json.message });
    expect(await stored(shopId)).toEqual({ events: 1, contacts: 1, messages: 1 });
  });

  test("a plain form post (no script) is answered with a page, and goes through on the second step", async () => {
    const { shopId } = await openShop();
    const first = await call({
      shopId,
      path: "subscribe",
      form: { phone: "415 555 0199", country: "US", source: "form", pageUrl: "/" },
    });
    expect(first.status).toBe(400);
    expect(first.headers.get("content-type")).toContain("application/liquid");
    const page = await first.text();
    const { disclosure } = await config(shopId);
    expect(page).toContain("Check the box to agree to receive text messages.");
    expect(page).toContain(disclosure.body.replace(/&/g, "&amp;"));
    expect(page).toContain(`name="disclosureVersion" value="${disclosure.version}"`);
    expect(page).toContain('value="415 555 0199"');
    expect(await stored(shopId)).toEqual(NOTHING);

    const second = await call({
      shopId,
      path: "subscribe",
      form: {
        phone: "415 555 0199",
        country: "US",
        consent: "on",
        disclosureVersion: disclosure.version,
        pageUrl: "/",
      },
    });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain("Check your phone: reply Y to confirm.");
    expect((await stored(shopId)).events).toBe(1);
  });

  test("text the shopper typed is never evaluated as Liquid in the page", async () => {
    const { shopId } = await openShop();
    const answer = await call({ shopId, path: "subscribe", form: { phone: "{{ shop.email }}<b>", consent: "on" } });
    const page = await answer.text();
    expect(page).not.toContain("{{");
    expect(page).not.toContain("<b>");
    expect(page).toContain("&#123;&#123; shop.email &#125;&#125;&lt;b&gt;");
  });
});

describe("refusals", () => {
  test.each([
    ["an invalid number", "555-01", "The number is too short."],
    ["a landline", "+44 20 7946 0958", "That number cannot receive text messages. It is a fixed line number."],
    ["nothing", "", "Enter your mobile number."],
  ])("%s → 400 with the message for the form", async (_what, phone, message) => {
    const { shopId } = await openShop();
    const { disclosure } = await config(shopId);
    const { status, json } = await subscribe(shopId, { phone, consent: true, disclosureVersion: disclosure.version });
    expect(status).toBe(400);
    expect(json).toMatchObject({ ok: false, message, fieldErrors: { phone: message } });
    expect(await stored(shopId)).toEqual(NOTHING);
  });

  test("an unchecked consent box → 400", async () => {
    const { shopId } = await openShop();
    const { disclosure } = await config(shopId);
    const { status, json } = await subscribe(shopId, {
      phone: "415 555 0134",
      consent: false,
      disclosureVersion: disclosure.version,
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({ fieldErrors: { consent: "Check the box to agree to receive text messages." } });
    expect(await stored(shopId)).toEqual(NOTHING);
  });

  test("a disclosure that changed since the page loaded → 409 with the new one", async () => {
    const { shopId } = await openShop();
    const old = await config(shopId);
    await prisma.shopSettings.update({ where: { shopId }, data: { messageFrequency: "Up to 8 msgs/month" } });
    const { status, json } = await subscribe(shopId, {
      phone: "415 555 0134",
      consent: true,
      disclosureVersion: old.disclosure.version,
    });
    expect(status).toBe(409);
    expect(json.message).toBe("The terms changed, please review them and submit again.");
    const fresh = await config(shopId);
    expect((json.disclosure as { version: string }).version).toBe(fresh.disclosure.version);
    expect(fresh.disclosure.body).toContain("Up to 8 msgs/month.");
    expect(await stored(shopId)).toEqual(NOTHING);
  });

  test("the form switched off in settings → 403, and the config says so", async () => {
    const { shopId } = await openShop({ optInFormEnabled: false });
    expect((await config(shopId)).enabled).toBe(false);
    const { disclosure } = await config(shopId);
    const { status } = await subscribe(shopId, {
      phone: "415 555 0134",
      consent: true,
      disclosureVersion: disclosure.version,
    });
    expect(status).toBe(403);
    expect(await stored(shopId)).toEqual(NOTHING);
  });
});

describe("rate limits", () => {
  test("10 a minute per address: the 11th → 429 with Retry-After, nothing stored for it", async () => {
    const { shopId } = await openShop();
    const { disclosure } = await config(shopId);
    const ip = "192.0.2.77";
    for (let i = 0; i < 10; i++) {
      const { status } = await subscribe(
        shopId,
        { phone: fakePhone(), consent: true, disclosureVersion: disclosure.version },
        { ip },
      );
      expect(status).toBe(200);
    }
    const before = await stored(shopId);
    expect(before.events).toBe(10);
    const { response, status, json } = await subscribe(
      shopId,
      { phone: fakePhone(), consent: true, disclosureVersion: disclosure.version },
      { ip },
    );
    expect(status).toBe(429);
    expect(json.message).toBe("Too many attempts. Please wait a moment and try again.");
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await stored(shopId)).toEqual(before);
    // Another shopper on another address is not affected.
    const other = await subscribe(shopId, { phone: fakePhone(), consent: true, disclosureVersion: disclosure.version });
    expect(other.status).toBe(200);
  });

  test("3 an hour per number: the 4th → 429 from any address; one event, one text", async () => {
    const { shopId } = await openShop();
    const { disclosure } = await config(shopId);
    const body = { phone: "415 555 0142", consent: true, disclosureVersion: disclosure.version };
    for (let i = 0; i < 3; i++) expect((await subscribe(shopId, body)).status).toBe(200);
    const { response, status } = await subscribe(shopId, body);
    expect(status).toBe(429);
    // Fixed windows on the clock: the hour's window ends at the next full hour.
    const retryAfter = Number(response.headers.get("retry-after"));
    const toNextHour = Math.ceil((Math.ceil(Date.now() / 3_600_000) * 3_600_000 - Date.now()) / 1000);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(Math.abs(retryAfter - toNextHour)).toBeLessThanOrEqual(2);
    expect(await stored(shopId)).toEqual({ events: 1, contacts: 1, messages: 1 });
  });

  test("fixed windows: a new window starts afresh; old windows are pruned", async () => {
    const rule = { key: `test:${Date.now()}`, limit: 2, windowSeconds: 60 };
    const t0 = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 5_000);
    expect(await hitRateLimit(rule, t0)).toEqual({ allowed: true, count: 1 });
    expect(await hitRateLimit(rule, t0)).toEqual({ allowed: true, count: 2 });
    expect(await hitRateLimit(rule, new Date(t0.getTime() + 10_000))).toEqual({
      allowed: false,
      count: 3,
      retryAfterSeconds: 45,
    });
    expect(await hitRateLimit(rule, new Date(t0.getTime() + 60_000))).toEqual({ allowed: true, count: 1 });
    // Concurrent hits are counted exactly: the upsert is atomic.
    const burst = { ...rule, key: `${rule.key}:burst`, limit: 100 };
    const counts = await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(burst, t0)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await pruneRateLimitWindows(new Date(t0.getTime() + 30_000))).toBeGreaterThanOrEqual(2);
    expect(await prisma.rateLimitWindow.count({ where: { key: rule.key } })).toBe(1);
  });
});
