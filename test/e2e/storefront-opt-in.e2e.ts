import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { launchChromium, newBrowserContext, screenshotPath, startParley, type RunningParley } from "./harness";

// A shopper on the sandbox storefront — the theme app extension's real Liquid, rendered with its schema defaults —
// signs up with the inline form, gets the confirmation on the phone simulator, replies Y and gets the welcome; the
// merchant's Subscribers page shows them subscribed from the storefront form. Then the popup, by keyboard only.

const SHOP = "parley-demo.myshopify.com";
const FORM_SHOPPER = { typed: "(415) 555-0166", e164: "+14155550166", formatted: "(415) 555-0166" };
const POPUP_SHOPPER = { typed: "415 555 0177", e164: "+14155550177" };
const NO_SCRIPT_SHOPPER = { typed: "415 555 0188", e164: "+14155550188" };
const WAIT = { timeout: 60_000 };

let parley: RunningParley;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await parley?.stop();
}, 60_000);

async function freshContext() {
  const context = await newBrowserContext(browser);
  contexts.push(context);
  return context;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: await screenshotPath(`storefront-${name}`) });
}

function watch(page: Page) {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

const focusedTestable = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el
      ? `${el.tagName.toLowerCase()}${el.getAttribute("type") ? `[${el.getAttribute("type")}]` : ""}${el.hasAttribute("data-parley-teaser") ? "#teaser" : ""}${el.hasAttribute("data-parley-submit") ? "#submit" : ""}${el.classList.contains("parley-popup__close") ? "#close" : ""}`
      : "none";
  });

async function failWith(page: Page, problems: string[], error: unknown): Promise<never> {
  await shot(page, "failure").catch(() => {});
  throw new Error(
    `${error instanceof Error ? error.message : String(error)}\n\nBrowser problems:\n${problems.join("\n")}\n\nServer output (tail):\n${parley.output().slice(-6000)}`,
  );
}

describe("storefront opt-in", () => {
  test("the inline form: sign up, confirm with Y on the phone, welcome, listed as subscribed", async () => {
    const context = await freshContext();
    const page = await context.newPage();
    const problems = watch(page);
    try {
      // The form is off until the merchant switches it on; the sandbox storefront says so and offers the switch.
      await page.goto(`${parley.baseUrl}/sandbox/storefront?popup=0`);
      await page.getByTestId("storefront-opt-in-off").waitFor(WAIT);
      await page.getByRole("button", { name: "Switch it on" }).click();
      await page.getByTestId("storefront-opt-in-off").waitFor({ state: "detached", ...WAIT });

      const form = page.locator(".parley-opt-in--inline");
      const consent = form.getByRole("checkbox");
      await consent.waitFor(WAIT); // shown once the disclosure has come from the app proxy
      expect(await consent.isChecked()).toBe(false);
      const disclosure = await form.locator("[data-parley-disclosure]").innerText();
      expect(disclosure).toContain("recurring automated marketing text messages from Acme Outfitters");
      expect(disclosure).toContain("Msg & data rates may apply. Reply HELP for help, STOP to cancel.");
      expect(await form.getByRole("link", { name: "Terms" }).getAttribute("href")).toContain(
        "/policies/terms-of-service",
      );
      await form.scrollIntoViewIfNeeded();
      await shot(page, "01-inline-form");

      // Submitting empty: field-level errors, focus on the first.
      await form.getByRole("button", { name: "Sign up for texts" }).click();
      const phone = form.getByLabel("Mobile number");
      await form.getByText("Enter your mobile number.").waitFor(WAIT);
      expect(await phone.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await phone.getAttribute("aria-invalid")).toBe("true");
      await form.getByText("Check the box to agree to receive text messages.").waitFor(WAIT);

      // A landline is refused with the server's reason.
      await form.getByLabel("Country").selectOption("GB");
      await phone.fill("020 7946 0958");
      await consent.check();
      await form.getByRole("button", { name: "Sign up for texts" }).click();
      await form.getByText("That number cannot receive text messages.").waitFor(WAIT);
      await shot(page, "02-inline-form-errors");

      await form.getByLabel("Country").selectOption("US");
      await phone.fill(FORM_SHOPPER.typed);
      await form.getByRole("button", { name: "Sign up for texts" }).click();
      const status = form.getByRole("status");
      await status.filter({ hasText: "Check your phone" }).waitFor(WAIT);
      expect(await status.innerText()).toBe("Check your phone: reply Y to confirm.");
      await shot(page, "03-inline-form-success");

      // The phone receives the confirmation, replies Y, and gets the welcome.
      const phonePage = await context.newPage();
      await phonePage.goto(`${parley.baseUrl}/sandbox/phone`);
      await phonePage.getByTestId("phone-number-input").fill(FORM_SHOPPER.e164);
      const thread = phonePage.getByTestId("phone-thread");
      await thread.getByTestId("phone-message").filter({ hasText: "Reply Y to confirm" }).waitFor(WAIT);
      await phonePage.getByTestId("phone-compose").fill("Y");
      await phonePage.getByTestId("phone-send").click();
      await thread.getByTestId("phone-message").filter({ hasText: "Thanks for subscribing" }).waitFor(WAIT);
      await shot(phonePage, "04-phone-confirmed");
      await phonePage.close();

      // The consent record: pending from the storefront form with its evidence, then subscribed on the Y.
      const contact = await prisma.contact.findUniqueOrThrow({
        where: { shopId_phoneE164: { shopId: SHOP, phoneE164: FORM_SHOPPER.e164 } },
        include: { consentStates: true, consentEvents: { orderBy: { occurredAt: "asc" } } },
      });
      expect(contact.consentStates.find((s) => s.purpose === "MARKETING")).toMatchObject({ status: "SUBSCRIBED" });
      expect(contact.consentEvents[0]).toMatchObject({
        status: "PENDING",
        source: "STOREFRONT_FORM",
        userAgent: expect.stringContaining("Chrome/"),
        pageUrl: `https://${SHOP}/sandbox/storefront?popup=0`,
        disclosureVersion: expect.stringMatching(/^d-[0-9a-f]{12}$/),
      });
      expect(contact.consentEvents[0].ipAddress).toMatch(/^(127\.0\.0\.1|::1)$/);
      expect(contact.consentEvents[0].disclosureText).toContain(disclosure.replace(/Terms · Privacy$/, "").trim());

      // The merchant's Subscribers page lists the shopper as subscribed from the storefront form.
      const admin = await context.newPage();
      await admin.goto(`${parley.baseUrl}/sandbox/admin/subscribers`);
      const app = admin.frameLocator('iframe[name="app-iframe"]');
      const row = app.getByRole("row").filter({ hasText: FORM_SHOPPER.formatted });
      await row.waitFor({ timeout: 120_000 });
      const rowText = await row.innerText();
      const history = JSON.stringify({
        states: contact.consentStates.map((c) => [c.purpose, c.status, c.source]),
        events: contact.consentEvents.map((e) => [e.purpose, e.status, e.source]),
        rowText,
      });
      expect(rowText, history).toContain("Subscribed");
      // The list's source column names the latest consent event (the "Y", recorded as a keyword); the shopper's
      // consent history shows the storefront sign-up with its evidence.
      await shot(admin, "05-subscribers");
      await row.getByRole("link").first().click();
      const signup = app.getByText(/Storefront form/).first();
      await signup.waitFor({ timeout: 120_000 });
      await app.getByText(contact.consentEvents[0].disclosureVersion!).first().waitFor(WAIT);
      await shot(admin, "06-subscriber-history");
      await admin.close();

      // The landline attempt is answered 400 on purpose.
      expect(problems.filter((p) => !/HTTP 400: .*\/apps\/parley\/subscribe|status of 400/.test(p))).toEqual([]);
    } catch (error) {
      await failWith(page, problems, error);
    } finally {
      await page.close();
    }
  }, 400_000);

  test("the popup, by keyboard only: opens, traps focus, submits, closes with Escape, focus returns", async () => {
    await prisma.shopSettings.update({ where: { shopId: SHOP }, data: { optInFormEnabled: true } });
    const context = await freshContext();
    const page = await context.newPage();
    const problems = watch(page);
    try {
      const product = await page
        .goto(`${parley.baseUrl}/sandbox/storefront?popup=0`)
        .then(async () => page.locator(".card").first().getAttribute("href"));
      // popup_delay=0: the embed's "delay" setting at 0 seconds, so it opens as soon as the page is ready.
      await page.goto(`${parley.baseUrl}${product}?popup_delay=0`);
      const dialog = page.getByRole("dialog", { name: "Get 10% off your next order" });
      await dialog.waitFor(WAIT);
      expect(await dialog.getAttribute("aria-modal")).toBe("true");
      const phone = dialog.getByLabel("Mobile number");
      await phone.evaluate((el) => el === document.activeElement).then((focused) => expect(focused).toBe(true));
      await dialog.getByRole("checkbox").waitFor(WAIT);
      await shot(page, "07-popup-open");

      // Escape closes it; focus goes to the tab that reopens it.
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden", ...WAIT });
      expect(await focusedTestable(page)).toBe("button[button]#teaser");

      // Enter on the tab reopens it, focus in the phone field.
      await page.keyboard.press("Enter");
      await dialog.waitFor(WAIT);
      expect(await phone.evaluate((el) => el === document.activeElement)).toBe(true);

      // The focus is trapped: backwards from the phone field past the close button wraps to the submit button.
      await page.keyboard.press("Shift+Tab"); // country
      await page.keyboard.press("Shift+Tab"); // close
      expect(await focusedTestable(page)).toBe("button[button]#close");
      await page.keyboard.press("Shift+Tab");
      expect(await focusedTestable(page)).toBe("button[submit]#submit");
      await page.keyboard.press("Tab");
      expect(await focusedTestable(page)).toBe("button[button]#close");

      // Type the number, Space on the consent box, Tab to the button, Enter.
      await page.keyboard.press("Tab"); // country
      await page.keyboard.press("Tab"); // phone
      await page.keyboard.type(POPUP_SHOPPER.typed);
      await page.keyboard.press("Tab");
      expect(await focusedTestable(page)).toBe("input[checkbox]");
      await page.keyboard.press("Space");
      expect(await dialog.getByRole("checkbox").isChecked()).toBe(true);
      await shot(page, "08-popup-filled");
      for (let i = 0; i < 4 && (await focusedTestable(page)) !== "button[submit]#submit"; i++)
        await page.keyboard.press("Tab");
      expect(await focusedTestable(page)).toBe("button[submit]#submit");
      await page.keyboard.press("Enter");
      await dialog.getByRole("status").filter({ hasText: "Check your phone: reply Y to confirm." }).waitFor(WAIT);
      await shot(page, "09-popup-success");

      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden", ...WAIT });
      const event = await prisma.consentEvent.findFirstOrThrow({
        where: { shopId: SHOP, phoneE164: POPUP_SHOPPER.e164 },
      });
      expect(event).toMatchObject({ source: "POPUP", status: "PENDING" });

      // This device subscribed: the popup and its tab stay away on the next page.
      await page.reload();
      await page.locator(".parley-opt-in--inline [data-parley-consent]").waitFor(WAIT);
      await page.waitForTimeout(500);
      expect(await dialog.isVisible()).toBe(false);
      expect(await page.locator("[data-parley-teaser]").isVisible()).toBe(false);
      await shot(page, "10-product-page-after");

      expect(problems).toEqual([]);
    } catch (error) {
      await failWith(page, problems, error);
    } finally {
      await page.close();
    }
  }, 300_000);

  test("without JavaScript the form still works: the server shows the terms, then signs the shopper up", async () => {
    await prisma.shopSettings.update({ where: { shopId: SHOP }, data: { optInFormEnabled: true } });
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const problems = watch(page);
    try {
      await page.goto(`${parley.baseUrl}/sandbox/storefront?popup=0`);
      const form = page.locator(".parley-opt-in--inline");
      // (Chromium's script switch keeps the parser's scripting flag, so the <noscript> note is not shown here.)
      await form.getByLabel("Mobile number").waitFor(WAIT);
      expect(await form.getByRole("checkbox").isVisible()).toBe(false); // no consent without the terms beside it
      await form.getByLabel("Mobile number").fill(NO_SCRIPT_SHOPPER.typed);
      await form.getByRole("button", { name: "Sign up for texts" }).click();

      // The app proxy's answer, rendered in the store's layout: the disclosure and an unchecked box.
      await page.getByRole("heading", { name: "Text sign-up" }).waitFor(WAIT);
      await page.getByText("Check the box to agree to receive text messages.").first().waitFor(WAIT);
      const box = page.getByRole("checkbox");
      expect(await box.isChecked()).toBe(false);
      expect(await page.locator(".parley-page__consent").innerText()).toContain("Msg & data rates may apply.");
      expect(await page.getByLabel("Mobile number").inputValue()).toBe(NO_SCRIPT_SHOPPER.typed);
      await shot(page, "11-no-script-review");
      await box.check();
      await page.getByRole("button", { name: "Sign up for texts" }).click();
      await page.getByText("Check your phone: reply Y to confirm.").waitFor(WAIT);
      await shot(page, "12-no-script-done");
      const event = await prisma.consentEvent.findFirstOrThrow({
        where: { shopId: SHOP, phoneE164: NO_SCRIPT_SHOPPER.e164 },
      });
      expect(event).toMatchObject({ source: "STOREFRONT_FORM", status: "PENDING", pageUrl: `https://${SHOP}/` });
      // The first post (no consent yet) is answered 400 with the review page, on purpose.
      expect(problems.filter((p) => !/HTTP 400: .*\/apps\/parley\/subscribe|status of 400/.test(p))).toEqual([]);
    } catch (error) {
      await failWith(page, problems, error);
    } finally {
      await page.close();
    }
  }, 200_000);
});
