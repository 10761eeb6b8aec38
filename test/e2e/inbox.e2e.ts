import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appFrame, shot, watchProblems, type RunningParley, startAdminSession, type AdminSession } from "./harness";

// Staff in the sandbox admin answer a shopper: the shopper texts from the phone simulator while the inbox is open;
// the conversation appears at the top without a reload; staff open it, see the shopper's shipped order with
// tracking and an abandoned checkout beside the thread, create a 10 % code inline, send the reply; the phone shows
// it with the code, and the simulated store has the code, single use and limited to that customer. HTML in a text
// is shown as text.

const WAIT = { timeout: 60_000 };
const QUESTION = "Hi! Will my order arrive by Friday?";
const HOSTILE = `<script>alert("pwned")</script><b>bold?</b>`;

type StoreState = {
  customers: { id: string; name: string; phone: string | null }[];
  discounts: {
    code: string;
    kind: string;
    value: unknown;
    customerIds: string[] | null;
    usageLimit: number | null;
    appliesOncePerCustomer: boolean;
  }[];
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

async function control<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${parley.baseUrl}/sandbox/shopify/control/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The shopper's phone: the simulator page, on their number. */
async function openPhone(phoneNumber: string): Promise<Page> {
  const phone = await context.newPage();
  await phone.goto(`${parley.baseUrl}/sandbox/phone`);
  await phone.getByTestId("phone-number-input").fill(phoneNumber);
  return phone;
}

describe("Inbox in the sandbox admin", () => {
  test("a shopper's text arrives live; staff answer with a customer-locked code the shopper receives", async () => {
    // A store customer with a phone, a shipped order with tracking, and an abandoned checkout.
    const before = await control<StoreState>("state");
    const customer = before.customers.find((c) => c.phone?.startsWith("+1"))!;
    expect(customer).toBeDefined();
    const order = await control<{ entity: { orderId: string; name: string } }>("events/order-placed", {
      customerId: customer.id,
    });
    await control("events/fulfillment-created", { orderId: order.entity.orderId, company: "UPS" });
    await control("events/checkout-abandoned", { customerId: customer.id });

    const page = await context.newPage();
    const problems: string[] = [];
    watchProblems(page, problems);
    page.on("dialog", (dialog) => {
      problems.push(`a dialog opened: ${dialog.message()}`); // the <script> in the text ran
      void dialog.dismiss();
    });

    try {
      // The inbox is open before the shopper texts.
      await page.goto(`${parley.baseUrl}/sandbox/admin`);
      await page.getByTestId("admin-nav-item").filter({ hasText: "Inbox" }).click();
      const app = appFrame(page);
      await app.getByRole("heading", { name: "Inbox" }).waitFor(WAIT);
      await page.waitForURL(/\/sandbox\/admin\/inbox$/, WAIT);
      const inboxUrl = page.url();

      // The shopper texts from the phone simulator.
      const phone = await openPhone(customer.phone!);
      await phone.getByTestId("phone-compose").fill(`${QUESTION} ${HOSTILE}`);
      await phone.getByTestId("phone-send").click();

      // It appears at the top of the list, without a reload.
      const firstRow = app.locator("tbody tr").first();
      await firstRow.filter({ hasText: QUESTION }).waitFor(WAIT);
      expect(page.url()).toBe(inboxUrl);
      expect(await firstRow.innerText()).toContain(HOSTILE);
      await shot(page, "inbox-01-list-live");

      // Staff open it: the message is text, not markup.
      await firstRow.click();
      const incoming = app.getByTestId("thread-message").filter({ hasText: QUESTION });
      await incoming.waitFor(WAIT);
      expect(await incoming.innerText()).toContain(HOSTILE);
      expect(await app.locator("b", { hasText: "bold?" }).count()).toBe(0);

      // The store context: the customer (known from the checkout), the shipped order with tracking, the checkout.
      await app
        .getByRole("link", { name: /Track UPS/ })
        .first()
        .waitFor(WAIT);
      await app.getByText(order.entity.name, { exact: true }).first().waitFor(WAIT);
      await app.getByText("Abandoned checkout").waitFor(WAIT);
      await app.getByRole("heading", { name: customer.name }).first().waitFor(WAIT);
      await shot(page, "inbox-02-thread-sidebar");

      // A 10 % code, created inline, lands in the draft.
      const reply = app.getByLabel("Reply", { exact: true });
      await reply.fill("Yes, it ships today! ");
      await app.getByRole("button", { name: "Discount" }).click();
      await app.getByLabel("Percentage", { exact: true }).fill("10");
      await shot(page, "inbox-03-discount-popover");
      await app.getByRole("button", { name: "Create code", exact: true }).click();
      await expect.poll(async () => reply.inputValue(), WAIT).toMatch(/code [A-Z0-9]+-[A-Z2-9]{6}/);
      const code = /code ([A-Z0-9]+-[A-Z2-9]{6})/.exec(await reply.inputValue())![1]!;

      // Shopify has it: single use, once per customer, for this customer only.
      const after = await control<StoreState>("state");
      const created = after.discounts.find((d) => d.code === code);
      expect(created).toMatchObject({ customerIds: [customer.id], usageLimit: 1, appliesOncePerCustomer: true });
      expect(JSON.stringify(created!.value)).toContain("0.1");

      // Send; the thread shows it, and the phone receives it with the code.
      await app.getByRole("button", { name: "Send", exact: true }).click();
      await app.getByTestId("thread-message").filter({ hasText: code }).waitFor(WAIT);
      await app.getByText("Discount", { exact: false }).filter({ hasText: code }).first().waitFor(WAIT);
      await shot(page, "inbox-04-thread-sent");

      const received = phone.getByTestId("phone-thread").getByTestId("phone-message").filter({ hasText: code });
      await received.waitFor(WAIT);
      expect(await received.innerText()).toContain("Yes, it ships today!");
      await shot(phone, "inbox-05-phone-received");
      await phone.close();

      expect(problems).toEqual([]);
    } catch (error) {
      await shot(page, "inbox-failure").catch(() => {});
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n\nBrowser problems:\n${problems.join("\n")}\n\nServer output (tail):\n${parley.output().slice(-6000)}`,
      );
    } finally {
      await page.close();
    }
  }, 300_000);
});
