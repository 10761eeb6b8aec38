import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { SANDBOX_SHOP } from "~/sandbox/environment.server";
import { createContact, createConversationWithMessages } from "../helpers/factories";
import {
  appFrame,
  openAdminPage,
  shot,
  startAdminSession,
  watchProblems,
  type AdminSession,
  type RunningParley,
} from "./harness";

// A merchant opens Feedback in the sandbox admin: the summary per sentiment and topic, the answers with their
// badges, the sentiment filter, and the link to the conversation. Screenshots: test-results/screenshots/feedback-*.

const WAIT = { timeout: 60_000 };

let session: AdminSession;
let parley: RunningParley;
let context: BrowserContext;

beforeAll(async () => {
  session = await startAdminSession({ warmUp: false });
  ({ parley, context } = session);
  const answers = [
    ["Maya", "Love it!! fits perfectly 😍", "POSITIVE", ["sizing", "product_praise"]],
    ["Jordan", "The sleeves are way too long and it shrank in the wash", "NEGATIVE", ["quality", "sizing"]],
    ["Priya", "love it but shipping took forever", "NEUTRAL", ["shipping", "product_praise"]],
  ] as const;
  for (const [i, [firstName, body, sentiment, topics]] of answers.entries()) {
    const contact = await createContact(SANDBOX_SHOP, { firstName, lastName: "Shopper" });
    const { conversation, messages } = await createConversationWithMessages(SANDBOX_SHOP, contact.id);
    await prisma.feedback.create({
      data: {
        shopId: SANDBOX_SHOP,
        contactId: contact.id,
        conversationId: conversation.id,
        messageId: messages[0]?.id ?? `e2e-feedback-${i}`,
        productTitle: "Trailhead Merino Tee",
        body,
        sentiment,
        topics: [...topics],
        handedOver: sentiment === "NEGATIVE",
        createdAt: new Date(Date.now() - (3 - i) * 3600_000),
      },
    });
  }
}, 300_000);

afterAll(async () => {
  await session?.close();
}, 60_000);

describe("Feedback in the sandbox admin", () => {
  test("summary, answers with sentiment and topics, the filter, the conversation link", async () => {
    const page: Page = await context.newPage();
    const problems: string[] = [];
    watchProblems(page, problems);
    const app = appFrame(page);
    try {
      await openAdminPage(page, `${parley.baseUrl}/sandbox/admin/feedback`, "Feedback");
      await app.getByText("Jordan Shopper").waitFor(WAIT);
      expect(await app.getByTestId("feedback-count-negative").textContent()).toBe("1");
      expect(await app.getByText("Sizing & fit").count()).toBeGreaterThan(0);
      await shot(page, "feedback-list");

      await app.getByRole("tab", { name: /Negative/ }).click();
      await app.getByText("Maya Shopper").waitFor({ state: "detached", ...WAIT });
      expect(await app.getByText("Jordan Shopper").count()).toBe(1);
      expect(await app.getByText("Handed over").count()).toBe(1);
      await shot(page, "feedback-negative");

      await app.getByRole("link", { name: "Open" }).click();
      await page.waitForURL(/\/inbox\//, WAIT);
      expect(problems).toEqual([]);
    } catch (error) {
      await shot(page, "feedback-failure").catch(() => {});
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n\nBrowser problems:\n${problems.join("\n")}\n\nServer output (tail):\n${parley.output().slice(-6000)}`,
      );
    } finally {
      await page.close();
    }
  }, 300_000);
});
