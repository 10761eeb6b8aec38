import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import type { AdminGraphql } from "~/adapters/shopify/customer-consent.server";
import type * as DiscountCodeModule from "~/domain/discount-code";
import { prisma } from "~/db.server";
import { action as contextAction, loader as contextLoader } from "~/routes/app.inbox.$id.context";
import { action as discountAction, loader as discountLoader } from "~/routes/app.inbox.$id.discount";
import { mintSessionToken } from "~/sandbox/session-token.server";
import type { ShopifySimulator } from "~/sandbox/shopify/router";
import { createConversationDiscount } from "~/services/inbox/discounts.server";
import { clearStoreContextCache, loadStoreContext } from "~/services/inbox/store-context.server";
import { loadSettingsPage, saveSettings, validateSettings } from "~/services/settings.server";
import { createContact, createConversationWithMessages, createShop } from "../helpers/factories";
import { startSimulatedStore, type SimulatedStore } from "../helpers/simulated-store";
import { TEST_APP_URL, TEST_SHOPIFY_API_KEY, TEST_SHOPIFY_API_SECRET } from "../helpers/test-env";

// Discount codes from the composer against the simulated store: a customer-locked single-use code, the shop's
// guardrails, Shopify's userErrors passed through with nothing recorded, and no way into another shop's threads.

// Codes are random; a test may queue the next ones to collide with codes the store already has.
const forcedCodes = vi.hoisted(() => [] as string[]);
vi.mock("~/domain/discount-code", async (importOriginal) => {
  const real = await importOriginal<typeof DiscountCodeModule>();
  return { ...real, generateDiscountCode: (brand: string) => forcedCodes.shift() ?? real.generateDiscountCode(brand) };
});

const SHOP = "parley-demo.myshopify.com";
const STAFF_USER_ID = 6262;
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";
const HOUR = 3_600_000;

let simulator: ShopifySimulator;
let store: SimulatedStore;
let admin: AdminGraphql;

beforeAll(async () => {
  store = await startSimulatedStore({ shop: SHOP, userId: STAFF_USER_ID });
  simulator = store.simulator;
  admin = store.admin;
  await prisma.shopSettings.update({ where: { shopId: SHOP }, data: { brandName: "Acme Outfitters" } });
});

afterAll(async () => {
  await store?.stop();
});

beforeEach(async () => {
  clearStoreContextCache();
  forcedCodes.length = 0;
  await prisma.shopSettings.update({
    where: { shopId: SHOP },
    data: { discountMaxPercent: 20, discountMaxAmountCents: 2000, discountOverrideRole: "owner" },
  });
});

// ─── helpers ──────────────────────────────────────────────────────────────────────────────────────

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const token = () =>
  mintSessionToken({
    shop: SHOP,
    apiKey: TEST_SHOPIFY_API_KEY,
    apiSecret: TEST_SHOPIFY_API_SECRET,
    userId: STAFF_USER_ID,
  });

const used = new Set<number>();
/** A seeded store customer with a phone and no open checkout, not yet used by another test. */
function storeCustomer() {
  const customer = simulator.store.customers.find(
    (c) =>
      c.phone && !used.has(c.id) && !simulator.store.checkouts.some((k) => k.customerId === c.id && !k.completedAt),
  );
  if (!customer) throw new Error("no unused store customer");
  used.add(customer.id);
  return customer;
}

async function linkedConversation(customerId: number | null) {
  const contact = await createContact(SHOP, customerId ? { shopifyCustomerId: gid("Customer", customerId) } : {});
  const { conversation } = await createConversationWithMessages(SHOP, contact.id);
  return { contact, conversation };
}

async function staffMember(accountOwner: boolean) {
  const row = await prisma.staffMember.create({
    data: { shopId: SHOP, shopifyUserId: BigInt(Math.floor(Math.random() * 1e9)), firstName: "Sam", accountOwner },
  });
  return { id: row.id, accountOwner };
}

async function call(
  handler: typeof discountAction | typeof discountLoader | typeof contextAction | typeof contextLoader,
  path: string,
  id: string,
  body?: unknown,
) {
  const request = new Request(`${TEST_APP_URL}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      Authorization: `Bearer ${await token()}`,
      "User-Agent": BROWSER,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = (await handler({ request, params: { id }, context: {} })) as Response;
  return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const discountsInStore = () => simulator.store.discounts.length;
const storeDiscount = (code: string) => simulator.control.state().discounts.find((d) => d.code === code);

// ─── creating codes ───────────────────────────────────────────────────────────────────────────────

describe("creating a code", () => {
  test("10 % from the route: single-use, only this customer, 48 h, recorded on the conversation", async () => {
    const customer = storeCustomer();
    const { contact, conversation } = await linkedConversation(customer.id);
    const before = Date.now();
    const { status, body } = await call(discountAction, `/app/inbox/${conversation.id}/discount`, conversation.id, {
      intent: "create",
      offer: { kind: "PERCENTAGE", value: "10" },
    });
    expect(status).toBe(200);
    const { code, url, text } = body.discount as { code: string; url: string; text: string };
    expect(code).toMatch(/^ACME-[2-9A-HJ-NP-Z]{6}$/);
    expect(url).toBe(`https://${SHOP}/discount/${code}?redirect=/cart`);
    expect(text).toBe(`Here's 10% off, just for you: code ${code}, valid 48 h. Tap to apply: ${url}`);

    const inStore = storeDiscount(code)!;
    expect(inStore).toMatchObject({
      kind: "basic",
      value: { type: "percentage", percentage: 0.1 },
      customerIds: [gid("Customer", customer.id)],
      usageLimit: 1,
      appliesOncePerCustomer: true,
      status: "ACTIVE",
    });
    const hoursLive = (Date.parse(inStore.endsAt!) - Date.parse(inStore.startsAt)) / HOUR;
    expect(hoursLive).toBeCloseTo(48, 1);
    expect(Date.parse(inStore.startsAt)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);

    const staff = await prisma.staffMember.findFirstOrThrow({ where: { shopId: SHOP, shopifyUserId: STAFF_USER_ID } });
    const rows = await prisma.discountIssued.findMany({ where: { conversationId: conversation.id } });
    expect(rows).toEqual([
      expect.objectContaining({
        shopId: SHOP,
        contactId: contact.id,
        shopifyDiscountId: inStore.id,
        code,
        kind: "PERCENTAGE",
        valuePercent: 10,
        valueAmountCents: null,
        minSubtotalCents: null,
        expiresAt: new Date(inStore.endsAt!),
        createdByStaffId: staff.id,
        createdBy: "staff",
      }),
    ]);
  });

  test("with an open checkout the link goes on to it; fixed amount with a minimum subtotal", async () => {
    const customer = storeCustomer();
    const abandoned = await simulator.control.runEvent("checkout-abandoned", {
      customerId: customer.id,
      startedMinutesAgo: 0,
    });
    const { conversation } = await linkedConversation(customer.id);
    const context = await loadStoreContext({ admin, shopId: SHOP, conversationId: conversation.id });
    const recovery = context.ok ? context.context.variables.checkout_url : undefined;
    if (!recovery) throw new Error("expected the open checkout's recovery URL");
    expect(abandoned.entity.checkoutId).toBeTruthy();

    const result = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(false),
      conversationId: conversation.id,
      offer: { kind: "FIXED_AMOUNT", value: "5", minimumSubtotal: "50", expiresInHours: 72 },
    });
    expect(result.ok).toBe(true);
    const discount = (result as Extract<typeof result, { ok: true }>).discount;
    const path = new URL(recovery);
    // The link applies the code, then lands on the recovered checkout; slashes stay unescaped to keep it short.
    const link = new URL(discount.url);
    expect(link.origin + link.pathname).toBe(`https://${SHOP}/discount/${discount.code}`);
    expect(link.searchParams.get("redirect")).toBe(path.pathname + path.search);
    expect(discount.url).not.toContain("%2F");
    expect(discount.text).toContain("$5.00 off on orders of $50.00 or more");
    expect(discount.text).toContain("valid 3 days");
    const inStore = simulator.store.discounts.find((d) => d.code === discount.code)!;
    expect(inStore).toMatchObject({
      value: { type: "fixed_amount", amountCents: 500, appliesOnEachItem: false },
      minimumSubtotalCents: 5000,
      customerIds: [customer.id],
      usageLimit: 1,
    });
  });

  test("free shipping", async () => {
    const customer = storeCustomer();
    const { conversation } = await linkedConversation(customer.id);
    const result = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(false),
      conversationId: conversation.id,
      offer: { kind: "FREE_SHIPPING" },
    });
    expect(result).toMatchObject({ ok: true, discount: { text: expect.stringMatching(/^Here's free shipping/) } });
    const code = (result as Extract<typeof result, { ok: true }>).discount.code;
    expect(simulator.store.discounts.find((d) => d.code === code)).toMatchObject({
      kind: "free_shipping",
      customerIds: [customer.id],
      usageLimit: 1,
      appliesOncePerCustomer: true,
    });
    const row = await prisma.discountIssued.findFirstOrThrow({ where: { code } });
    expect(row).toMatchObject({ kind: "FREE_SHIPPING", valuePercent: null, valueAmountCents: null });
  });

  test("the form info: limits, default expiry, currency, whether the shopper is linked", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    const { status, body } = await call(discountLoader, `/app/inbox/${conversation.id}/discount`, conversation.id);
    expect(status).toBe(200);
    expect(body.form).toEqual({
      linked: true,
      currencyCode: "USD",
      maxPercent: 20,
      maxAmountCents: 2000,
      defaultExpiryHours: 48,
      mayExceed: true, // the sandbox's staff account is the store owner
      hint: "Up to 20% or $20.00 off for staff; as the owner you may go beyond.",
    });
  });
});

// ─── guardrails ───────────────────────────────────────────────────────────────────────────────────

describe("guardrails", () => {
  test("25 % when the maximum is 20: refused for staff, nothing created; allowed for the owner", async () => {
    const customer = storeCustomer();
    const { conversation } = await linkedConversation(customer.id);
    const discounts = discountsInStore();
    const offer = { kind: "PERCENTAGE", value: 25 };

    const refused = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(false),
      conversationId: conversation.id,
      offer,
    });
    expect(refused).toEqual({
      ok: false,
      error: "guardrails",
      errors: { value: "20% is the most this store allows — ask the owner" },
    });
    expect(discountsInStore()).toBe(discounts);
    expect(await prisma.discountIssued.count({ where: { conversationId: conversation.id } })).toBe(0);

    const owner = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(true),
      conversationId: conversation.id,
      offer,
    });
    expect(owner.ok).toBe(true);
    expect(discountsInStore()).toBe(discounts + 1);
    expect(await prisma.discountIssued.count({ where: { conversationId: conversation.id } })).toBe(1);
  });

  test("role nobody: not even the owner; role anyone: any staff member", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    const discounts = discountsInStore();
    await prisma.shopSettings.update({ where: { shopId: SHOP }, data: { discountOverrideRole: "nobody" } });
    const byOwner = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(true),
      conversationId: conversation.id,
      offer: { kind: "FIXED_AMOUNT", value: 30 },
    });
    expect(byOwner).toEqual({
      ok: false,
      error: "guardrails",
      errors: { value: "$20.00 is the most this store allows" },
    });
    expect(discountsInStore()).toBe(discounts);

    await prisma.shopSettings.update({ where: { shopId: SHOP }, data: { discountOverrideRole: "anyone" } });
    const byStaff = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(false),
      conversationId: conversation.id,
      offer: { kind: "FIXED_AMOUNT", value: 30 },
    });
    expect(byStaff.ok).toBe(true);
  });

  test("the Settings page decides who may exceed: saving 'anyone' lets staff give 25 %", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    const page = await loadSettingsPage(SHOP);
    expect(page.values.discountOverrideRole).toBe("owner");
    const filled = { ...page.values, supportContact: "help@acme.test" }; // required to save at all
    const parsed = validateSettings({ ...filled, discountOverrideRole: "anyone" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.fieldErrors));
    expect(await saveSettings(SHOP, parsed.data)).toMatchObject({ ok: true });
    expect((await loadSettingsPage(SHOP)).values.discountOverrideRole).toBe("anyone");
    const result = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(false),
      conversationId: conversation.id,
      offer: { kind: "PERCENTAGE", value: 25 },
    });
    expect(result.ok).toBe(true);
    expect(validateSettings({ ...filled, discountOverrideRole: "interns" })).toMatchObject({
      ok: false,
      fieldErrors: { discountOverrideRole: "Choose who may go beyond the limits" },
    });
  });

  test("the route answers guardrail errors with 400 and field messages", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    await prisma.shopSettings.update({ where: { shopId: SHOP }, data: { discountOverrideRole: "nobody" } });
    const discounts = discountsInStore();
    const { status, body } = await call(discountAction, `/app/inbox/${conversation.id}/discount`, conversation.id, {
      intent: "create",
      offer: { kind: "PERCENTAGE", value: 25, expiresInHours: 5000 },
    });
    expect(status).toBe(400);
    expect(body.errors).toEqual({
      value: "20% is the most this store allows",
      expiry: "Choose from 1 to 720 hours (30 days)",
    });
    expect(discountsInStore()).toBe(discounts);
  });
});

// ─── Shopify says no ──────────────────────────────────────────────────────────────────────────────

describe("Shopify's userErrors and failures", () => {
  test("a code that already exists is retried with a fresh one", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    const existing = simulator.store.discounts[0].code;
    forcedCodes.push(existing);
    const result = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(false),
      conversationId: conversation.id,
      offer: { kind: "PERCENTAGE", value: 10 },
    });
    expect(result.ok).toBe(true);
    expect((result as Extract<typeof result, { ok: true }>).discount.code).not.toBe(existing);
  });

  test("Shopify refuses every attempt: its userErrors as they are, nothing recorded or inserted", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    const existing = simulator.store.discounts[0].code;
    forcedCodes.push(existing, existing, existing);
    const discounts = discountsInStore();
    const { status, body } = await call(discountAction, `/app/inbox/${conversation.id}/discount`, conversation.id, {
      offer: { kind: "PERCENTAGE", value: 10 },
    });
    expect(status).toBe(422);
    expect(body.userErrors).toEqual([
      {
        field: ["basicCodeDiscount", "code"],
        code: "TAKEN",
        message: "Code must be unique. Please try a different code.",
      },
    ]);
    expect(body.discount).toBeUndefined();
    expect(discountsInStore()).toBe(discounts);
    expect(await prisma.discountIssued.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  test("the customer was deleted in Shopify meanwhile: Shopify's error, nothing recorded", async () => {
    const customer = storeCustomer();
    const { conversation } = await linkedConversation(customer.id);
    await loadStoreContext({ admin, shopId: SHOP, conversationId: conversation.id }); // cached with the customer
    const index = simulator.store.state.customers.findIndex((c) => c.id === customer.id);
    const [removed] = simulator.store.state.customers.splice(index, 1);
    try {
      const result = await createConversationDiscount({
        admin,
        shopId: SHOP,
        staffMember: await staffMember(false),
        conversationId: conversation.id,
        offer: { kind: "PERCENTAGE", value: 10 },
      });
      expect(result).toEqual({
        ok: false,
        error: "user_errors",
        userErrors: [
          {
            field: ["basicCodeDiscount", "context", "customers", "add"],
            code: "INVALID",
            message: `Customer does not exist: ${gid("Customer", customer.id)}`,
          },
        ],
      });
      expect(await prisma.discountIssued.count({ where: { conversationId: conversation.id } })).toBe(0);
    } finally {
      simulator.store.state.customers.splice(index, 0, removed);
    }
  });

  test("Shopify down (503): a retryable error, nothing recorded, nothing thrown", async () => {
    const { conversation } = await linkedConversation(storeCustomer().id);
    await loadStoreContext({ admin, shopId: SHOP, conversationId: conversation.id });
    simulator.control.failRequests(1, 503);
    const result = await createConversationDiscount({
      admin,
      shopId: SHOP,
      staffMember: await staffMember(false),
      conversationId: conversation.id,
      offer: { kind: "PERCENTAGE", value: 10 },
    });
    expect(result).toMatchObject({ ok: false, error: "shopify_unavailable", retryable: true });
    expect(await prisma.discountIssued.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  test("a shopper not linked to a customer: a clear error, no Shopify request, nothing created", async () => {
    const { conversation } = await linkedConversation(null);
    const discounts = discountsInStore();
    const { status, body } = await call(discountAction, `/app/inbox/${conversation.id}/discount`, conversation.id, {
      offer: { kind: "PERCENTAGE", value: 10 },
    });
    expect(status).toBe(400);
    expect(body.errors.form).toMatch(/isn't linked to a Shopify customer yet\. Link or create the customer/);
    expect(discountsInStore()).toBe(discounts);
  });
});

// ─── tenant isolation ─────────────────────────────────────────────────────────────────────────────

describe("tenant isolation", () => {
  test("staff of this shop using another shop's conversation id: 404 everywhere, nothing written anywhere", async () => {
    const other = await createShop();
    const customer = storeCustomer();
    // Even linked to a customer id this store knows, the other shop's thread must stay out of reach.
    const foreignContact = await createContact(other.id, { shopifyCustomerId: null, firstName: null });
    const linkedForeign = await createContact(other.id, { shopifyCustomerId: gid("Customer", customer.id) });
    const { conversation: foreign } = await createConversationWithMessages(other.id, foreignContact.id);
    const { conversation: foreignLinked } = await createConversationWithMessages(other.id, linkedForeign.id);

    const before = {
      storeDiscounts: discountsInStore(),
      storeCustomers: simulator.store.customers.length,
      issued: await prisma.discountIssued.count(),
      events: await prisma.conversationEvent.count(),
    };
    for (const id of [foreign.id, foreignLinked.id]) {
      const attempts = [
        await call(contextLoader, `/app/inbox/${id}/context`, id),
        await call(contextAction, `/app/inbox/${id}/context`, id, {
          intent: "link",
          customerId: gid("Customer", customer.id),
        }),
        await call(contextAction, `/app/inbox/${id}/context`, id, { intent: "create-customer" }),
        await call(discountLoader, `/app/inbox/${id}/discount`, id),
        await call(discountAction, `/app/inbox/${id}/discount`, id, {
          intent: "create",
          offer: { kind: "PERCENTAGE", value: 10 },
        }),
      ];
      expect(attempts.map((a) => a.status)).toEqual([404, 404, 404, 404, 404]);
      for (const a of attempts) expect(JSON.stringify(a.body)).not.toMatch(/phone|firstName|customer"/i);
    }
    expect({
      storeDiscounts: discountsInStore(),
      storeCustomers: simulator.store.customers.length,
      issued: await prisma.discountIssued.count(),
      events: await prisma.conversationEvent.count(),
    }).toEqual(before);
    const contacts = await prisma.contact.findMany({ where: { shopId: other.id }, orderBy: { createdAt: "asc" } });
    expect(contacts.map((c) => c.shopifyCustomerId)).toEqual([null, gid("Customer", customer.id)]);
  });
});
