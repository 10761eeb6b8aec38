import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appFrame, shot, watchProblems, type RunningParley, startAdminSession, type AdminSession } from "./harness";

// A merchant in the sandbox admin: opens Parley, changes a setting and saves it, reloads and finds it kept,
// sends a test message, and sees it arrive on the phone simulator.

const SHOPPER = "+14155550134";
const WAIT = { timeout: 60_000 };

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

describe("Settings in the sandbox admin", () => {
  test("save, reload, send a test message, see it on the phone", async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    watchProblems(page, problems);

    try {
      // Home inside the admin shell, signed in with a session token like Shopify admin's.
      await page.goto(`${parley.baseUrl}/sandbox/admin`);
      const app = appFrame(page);
      await app.getByRole("heading", { name: "Setup guide" }).waitFor(WAIT);
      await page.getByTestId("admin-nav-item").filter({ hasText: "Settings" }).waitFor(WAIT);
      await shot(page, "01-admin-home");

      // The app's Settings, from the admin sidebar (the app's <ui-nav-menu>).
      await page.getByTestId("admin-nav-item").filter({ hasText: "Settings" }).click();
      const brand = app.getByLabel("Brand name");
      await brand.waitFor(WAIT);
      await page.waitForURL(/\/sandbox\/admin\/settings$/, WAIT);
      await shot(page, "02-settings");

      // Change the brand name: the contextual save bar appears in the admin; save from it.
      const brandName = `Acme Outfitters ${Date.now().toString(36)}`;
      await brand.fill(brandName);
      await page.locator("#save-bar.open").waitFor(WAIT);
      await shot(page, "03-settings-unsaved");
      await page.locator("#save-bar .save").click();
      await page.getByTestId("admin-toast").filter({ hasText: "Settings saved" }).waitFor(WAIT);
      await page.locator("#save-bar.open").waitFor({ state: "detached", timeout: 30_000 });
      await shot(page, "04-settings-saved");

      // A reload (new session token, document request) shows the saved value.
      await page.reload();
      await appFrame(page).getByLabel("Brand name").waitFor(WAIT);
      expect(await appFrame(page).getByLabel("Brand name").inputValue()).toBe(brandName);

      // Send a test message to a shopper's phone; the worker sends it through the simulated Telnyx.
      const settings = appFrame(page);
      await settings.getByLabel("Phone number to text").fill(SHOPPER);
      await settings.getByRole("button", { name: "Send test message" }).click();
      await page
        .getByTestId("admin-toast")
        .filter({ hasText: `Test message queued for ${SHOPPER}` })
        .waitFor(WAIT);
      const status = settings.locator('[data-testid="test-message-status"][data-status="sent"]');
      await status.waitFor(WAIT);
      await status.scrollIntoViewIfNeeded();
      expect(await status.innerText()).toContain(`Test message sent to ${SHOPPER}`);
      await shot(page, "05-settings-test-message-sent");

      // The phone simulator, on that number, shows the text.
      const phone = await context.newPage();
      await phone.goto(`${parley.baseUrl}/sandbox/phone`);
      await phone.getByTestId("phone-number-input").fill(SHOPPER);
      const message = phone
        .getByTestId("phone-thread")
        .getByTestId("phone-message")
        .filter({ hasText: "this is a test message from Parley" });
      await message.waitFor(WAIT);
      expect(await message.innerText()).toContain(brandName);
      await shot(phone, "06-phone-received");
      await phone.close();

      expect(problems).toEqual([]);
    } catch (error) {
      await shot(page, "failure").catch(() => {});
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n\nBrowser problems:\n${problems.join("\n")}\n\nServer output (tail):\n${parley.output().slice(-6000)}`,
      );
    } finally {
      await page.close();
    }
  }, 240_000);
});
