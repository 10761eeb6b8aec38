import { describe, expect, test } from "vitest";
import { prisma } from "~/db.server";
import { loadKeywordReplies, saveKeywordReplies } from "~/services/keyword-replies.server";
import { createShop } from "../helpers/factories";

describe("keyword replies per shop", () => {
  test("the defaults are the compliant texts built from the shop's settings", async () => {
    const shop = await createShop();
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { brandName: "Acme", supportContact: "help@acme.test" },
    });
    const replies = await loadKeywordReplies(shop.id);
    const help = replies.find((r) => r.kind === "help")!;
    expect(help.defaultText).toContain("Acme");
    expect(help.defaultText).toContain("help@acme.test");
    expect(help.override).toBe("");
  });

  test("a compliant override is saved; an empty one falls back to the default", async () => {
    const shop = await createShop();
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { brandName: "Acme", supportContact: "help@acme.test" },
    });
    const optOut = "Acme: you're out. No more texts from us. Text START to come back.";
    expect(await saveKeywordReplies(shop.id, { opt_out_confirmation: optOut, help: "" })).toEqual({ ok: true });
    const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(settings.keywordReplies).toEqual({ opt_out_confirmation: optOut });
  });

  test.each([
    [
      "opt_out_confirmation",
      "You're unsubscribed. Use code SAVE10 for 10% off!",
      /name your brand.*resubscribe.*leave out offers/,
    ],
    ["help", "Acme: call us.", /support contact.*how often.*Msg & data rates.*STOP/],
    ["double_opt_in_request", "Acme: thanks! {coupon}", /reply Y to confirm|use only \{brand_name\}/],
  ])("%s override %j is refused with the reasons, nothing saved", async (kind, text, reasons) => {
    const shop = await createShop();
    await prisma.shopSettings.update({
      where: { shopId: shop.id },
      data: { brandName: "Acme", supportContact: "help@acme.test" },
    });
    const result = await saveKeywordReplies(shop.id, { [kind]: text });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[kind as keyof typeof result.fieldErrors]).toMatch(reasons);
    const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(settings.keywordReplies).toEqual({});
  });
});
