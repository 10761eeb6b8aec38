import { describe, expect, test } from "vitest";
import { validateSendRequest } from "./validate";

const ok = { from: "+15005550100", to: "+15551230001", text: "hi" };

describe("validateSendRequest", () => {
  test("accepts a plain SMS and an MMS", () => {
    expect(validateSendRequest(ok)).toMatchObject({
      ok: true,
      request: { type: "SMS", encoding: "auto", mediaUrls: [] },
    });
    expect(validateSendRequest({ ...ok, text: undefined, media_urls: ["https://cdn.test/a.jpg"] })).toMatchObject({
      ok: true,
      request: { type: "MMS" },
    });
  });

  test.each([
    ["missing to", { ...ok, to: undefined }, "10004", "/to"],
    ["to not E.164", { ...ok, to: "555-1234" }, "10016", "/to"],
    ["missing from", { ...ok, from: undefined }, "10004", "/from"],
    ["no text and no media", { ...ok, text: "" }, "10004", "/text"],
    ["bad media url", { ...ok, media_urls: ["javascript:alert(1)"] }, "10003", "/media_urls/0"],
    ["bad webhook url", { ...ok, webhook_url: "nope" }, "10003", "/webhook_url"],
    ["forced gsm7 with an emoji", { ...ok, text: "hi 👋", encoding: "gsm7" }, "10015", "/text"],
    ["not an object", ["x"], "10015", "/"],
  ])("%s", (_name, body, code, pointer) => {
    const result = validateSendRequest(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ code, source: { pointer } });
  });

  test("a from number that is not the store's is refused when the store's numbers are known", () => {
    const result = validateSendRequest({ ...ok, from: "+15009999999" }, { storeNumbers: ["+15005550100"] });
    expect(result.ok === false && result.errors[0].code).toBe("40013");
  });
});
