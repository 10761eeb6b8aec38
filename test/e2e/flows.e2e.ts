import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatMoney } from "~/domain/discount-guardrails";
import { prisma } from "~/db.server";
import { createConsent, createContact } from "../helpers/factories";
import { zoneWhereItIs } from "../helpers/engine-harness";
import { appFrame, shot, watchProblems, type AdminSession, type RunningParley, startAdminSession } from "./harness";

// Issue 6's story in the sandbox: the merchant turns the abandoned-cart flow on with one click on the Flows page
// (and finds the settings form refusing a discount above the shop's guardrail); a subscribed customer abandons a
// checkout in the simulated store; the flow's timer is fired; the opener reaches the phone simulator; the shopper
// answers "shipping is too expensive" and gets a free-shipping code; places the order with it; and the Flows page
// shows the run converted, with the order's total as its revenue.

const SHOP = "parley-demo.myshopify.com";
const FLOW = "Abandoned cart: what went wrong?";
const WAIT = { timeout: 60_000 };

type StoreState = {
  customers: { id: string; name: string; phone: string | null }[];
  orders: { id: string; total: string; discountCodes: string[] }[];
  discounts: { code: string; kind: string; customerIds: string[] | null; usageLimit: number | null }[];
};

let session: AdminSession;
let parley: RunningParley;
let context: BrowserContext;

beforeAll(async () => {
  session = await startAdminSession();
  ({ parley, context } = session);
}, 300_000);

afterAll(async () => {
  await session?.close();
}, 60_000);

async function post<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await fetch(`${parley.baseUrl}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function storeState(): Promise<StoreState> {
  const response = await fetch(`${parley.baseUrl}/sandbox/shopify/control/state`);
  return (await response.json()) as StoreState;
}

const flowCard = (page: Page) => appFrame(page).locator('[data-testid="flow-card"][data-kind="ABANDONED_CART"]');

describe("Flows in the sandbox", () => {
  test("abandoned cart: on in one click → opener → 'shipping is too expensive' → code → order → converted", async () => {
    // A store customer who subscribed to texts (how is the opt-in e2e's story), somewhere it is early afternoon so
    // quiet hours do not hold the opener.
    const customer = (await storeState()).customers.find((c) => c.phone?.startsWith("+1"));
    expect(customer).toBeDefined();
    const phoneNumber = customer!.phone!;
    const contact = await createContact(SHOP, {
      phoneE164: phoneNumber,
      firstName: customer!.name.split(" ")[0],
      lastName: customer!.name.split(" ").slice(1).join(" "),
      shopifyCustomerId: customer!.id,
      quietZones: zoneWhereItIs(13),
    });
    await createConsent(SHOP, contact, { source: "STOREFRONT_FORM" });

    const page = await context.newPage();
    const problems: string[] = [];
    // The guardrail check answers 400 on purpose.
    watchProblems(page, problems, { allowStatus: (url) => /\/app\/flows\/abandoned-cart\.data/.test(url) });

    try {
      // ── The Flows page, from the admin's sidebar: every flow, nothing run yet. ──
      await page.goto(`${parley.baseUrl}/sandbox/admin`);
      await page.getByTestId("admin-nav-item").filter({ hasText: "Flows" }).click();
      const app = appFrame(page);
      await app.getByRole("heading", { name: "Flows", exact: true }).waitFor(WAIT);
      await page.waitForURL(/\/sandbox\/admin\/flows$/, WAIT);
      await app.getByText("No flow has run in the last 30 days").waitFor(WAIT);
      const toggle = app.getByRole("switch", { name: FLOW });
      expect(await toggle.getAttribute("aria-checked")).toBe("false");
      await shot(page, "flows-01-list-off");

      // One click: on, told so, and stored.
      await toggle.click();
      await page
        .getByTestId("admin-toast")
        .filter({ hasText: `${FLOW} is on` })
        .waitFor(WAIT);
      expect(await toggle.getAttribute("aria-checked")).toBe("true");
      await expect
        .poll(
          async () =>
            (await prisma.flowSetting.findUnique({ where: { shopId_kind: { shopId: SHOP, kind: "ABANDONED_CART" } } }))
              ?.enabled,
          WAIT,
        )
        .toBe(true);
      await shot(page, "flows-02-list-on");

      // ── Its settings: a live preview of the opener, and the guardrail enforced on the discount ladder. ──
      await flowCard(page).getByRole("link", { name: FLOW, exact: true }).click();
      const opener = app.getByLabel("Opening question");
      await opener.waitFor(WAIT);
      const preview = app.getByTestId("preview-opener");
      expect(await preview.innerText()).toMatch(
        /^Hi Ana, it's Sam from Acme Outfitters\. Saw you left the Linen Shirt/,
      );
      await opener.fill("Hey {first_name}! Still want the {cart_item}?");
      await expect.poll(() => preview.innerText(), WAIT).toContain("Hey Ana, this is Sam from Acme Outfitters.");
      expect(await preview.innerText()).toContain("Reply STOP to opt out");
      await page.locator("#save-bar.open").waitFor(WAIT);
      await shot(page, "flows-03-settings-preview");
      await app.getByRole("spinbutton", { name: /Step 2/ }).fill("35");
      await page.locator("#save-bar .save").click();
      await app.getByText("Above your discount guardrail: codes can be at most 20% off").waitFor(WAIT);
      await app.getByText("1 field needs attention").waitFor(WAIT);
      // The refused step is brought into view with the cursor in it.
      await expect
        .poll(
          () => app.getByRole("spinbutton", { name: /Step 2/ }).evaluate((el) => el === document.activeElement),
          WAIT,
        )
        .toBe(true);
      await shot(page, "flows-04-settings-guardrail");
      // Nothing was saved; the merchant discards and keeps the compliant defaults.
      expect(
        (
          await prisma.flowSetting.findUniqueOrThrow({
            where: { shopId_kind: { shopId: SHOP, kind: "ABANDONED_CART" } },
          })
        ).config,
      ).toEqual({});
      await page.locator("#save-bar .discard").click();
      await page.locator("#save-bar.open").waitFor({ state: "detached", timeout: 30_000 });

      // ── The customer abandons a checkout; an hour later (the sandbox fires the timer now) the opener. ──
      const abandoned = await post<{ entity: { checkoutId: string } }>(
        "/sandbox/shopify/control/events/checkout-abandoned",
        { customerId: customer!.id },
      );
      const checkoutId = abandoned.entity.checkoutId;
      const runOf = () => prisma.flowRun.findFirst({ where: { shopId: SHOP, contactId: contact.id } });
      await expect.poll(runOf, WAIT).toMatchObject({ kind: "ABANDONED_CART", state: "waiting", status: "ACTIVE" });
      const run = (await runOf())!;
      const fired = await post<{ fired: number }>(`/sandbox/flows/fire-timers?runId=${run.id}`);
      expect(fired.fired).toBe(1);

      const phone = await context.newPage();
      await phone.goto(`${parley.baseUrl}/sandbox/phone`);
      await phone.getByTestId("phone-number-input").fill(phoneNumber);
      const thread = phone.getByTestId("phone-thread");
      const openerText = thread.getByTestId("phone-message").filter({ hasText: "saw you left the" });
      await openerText.waitFor(WAIT);
      expect(await openerText.innerText()).toContain("Acme Outfitters");
      expect(await openerText.innerText()).not.toContain("http"); // a question, not a reminder with a link
      await shot(phone, "flows-05-phone-opener");

      // ── "shipping is too expensive" → a free-shipping code only this customer can use. ──
      await phone.getByTestId("phone-compose").fill("shipping is too expensive");
      await phone.getByTestId("phone-send").click();
      const codeText = thread.getByTestId("phone-message").filter({ hasText: "free shipping" });
      await codeText.waitFor({ timeout: 90_000 });
      const code = /\b([A-Z0-9]+-[A-Z2-9]{6})\b/.exec(await codeText.innerText())?.[1];
      expect(code, await codeText.innerText()).toBeDefined();
      await shot(phone, "flows-06-phone-code");
      const discount = (await storeState()).discounts.find((d) => d.code === code);
      expect(discount).toMatchObject({ kind: "free_shipping", usageLimit: 1, customerIds: [customer!.id] });

      // ── The order, from that checkout, with that code. ──
      const placed = await post<{ entity: { orderId: string } }>("/sandbox/shopify/control/events/order-placed", {
        customerId: customer!.id,
        checkoutId,
        discountCode: code,
      });
      const order = (await storeState()).orders.find((o) => o.id === placed.entity.orderId)!;
      expect(order.discountCodes).toEqual([code]);
      const revenue = formatMoney(Math.round(Number(order.total) * 100), "USD");
      await expect
        .poll(() => prisma.flowRun.findUniqueOrThrow({ where: { id: run.id } }), WAIT)
        .toMatchObject({ status: "CONVERTED", offerCode: code, offerCodeUsed: true });

      // ── The Flows page: the run converted, with the order's total as its revenue and the code used. ──
      await page.goto(`${parley.baseUrl}/sandbox/admin/flows`);
      const card = flowCard(page);
      await card.waitFor(WAIT);
      expect(await card.getByTestId("flow-started").innerText()).toBe("1");
      expect(await card.getByTestId("flow-replied").innerText()).toBe("1");
      expect(await card.getByTestId("flow-converted").innerText()).toBe("1");
      expect(await card.getByTestId("flow-revenue").innerText()).toBe(revenue);
      expect(await card.getByTestId("flow-codes-used").innerText()).toBe("1");
      await app.getByTestId("runs-chart").waitFor(WAIT);
      await shot(page, "flows-07-list-converted");

      // Its recent runs: the customer, converted, with the order and the code, linked to the conversation.
      await card.getByRole("link", { name: `Settings and runs of ${FLOW}` }).click();
      await app.getByRole("tab", { name: "Recent runs" }).click();
      const row = app.getByRole("row").filter({ hasText: customer!.name });
      await row.waitFor(WAIT);
      expect(await row.getByTestId("run-status").getAttribute("data-status")).toBe("CONVERTED");
      expect(await row.getByTestId("run-outcome").innerText()).toBe(`Bought ${revenue} with ${code}`);
      await shot(page, "flows-08-recent-runs");
      await row.getByRole("link").click();
      await app.getByTestId("thread-message").filter({ hasText: code! }).first().waitFor(WAIT);
      await shot(page, "flows-09-conversation");
      await phone.close();

      // The refused save's 400 also shows as a console line.
      expect(problems.filter((p) => !/status of 400 \(Bad Request\)/.test(p))).toEqual([]);
    } catch (error) {
      await shot(page, "flows-failure").catch(() => {});
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n\nBrowser problems:\n${problems.join("\n")}\n\nServer output (tail):\n${parley.output().slice(-6000)}`,
      );
    } finally {
      await page.close();
    }
  }, 400_000);
});
