import { describe, expect, test } from "vitest";
import { toE164, validateSettings, validateTestMessage, type SettingsFormValues } from "./settings.server";

const day = (open: boolean, start = "09:00", end = "17:00") => ({ open, start, end });

function validForm(overrides: Partial<SettingsFormValues> = {}): SettingsFormValues {
  return {
    brandName: "Acme Outfitters",
    senderName: "Sam",
    supportContact: "help@acme.example",
    messageFrequency: "Up to 4 msgs/month",
    timeZone: "America/New_York",
    businessHours: {
      mon: day(true),
      tue: day(true),
      wed: day(true),
      thu: day(true),
      fri: day(true),
      sat: day(false),
      sun: day(false),
    },
    quietHoursPolicy: "STRICT_STATE_RULES",
    sendWindowStart: "08:00",
    sendWindowEnd: "21:00",
    discountMaxPercent: "20",
    discountMaxAmount: "20.00",
    discountDefaultExpiryHours: "48",
    sendingNumber: "+1 (415) 555-0134",
    messagesPerSecond: "1",
    telnyxApiKeyAction: "keep",
    telnyxApiKey: "",
    telnyxPublicKey: "",
    telnyxMessagingProfileId: "",
    ...overrides,
  };
}

function errorsOf(overrides: Partial<SettingsFormValues>) {
  const result = validateSettings(validForm(overrides));
  return result.ok ? {} : result.fieldErrors;
}

describe("validateSettings", () => {
  test("accepts a complete form and normalises it for storage", () => {
    const result = validateSettings(validForm());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.sendingNumber).toBe("+14155550134");
    expect(result.data.discountMaxAmount).toBe(2000);
    expect(result.data.discountMaxPercent).toBe(20);
    expect(result.data.messagesPerSecond).toBe(1);
  });

  test("an empty sending number means none", () => {
    const result = validateSettings(validForm({ sendingNumber: "  " }));
    expect(result.ok && result.data.sendingNumber).toBe(null);
  });

  test.each<[string, Partial<SettingsFormValues>, string]>([
    ["missing brand", { brandName: " " }, "brandName"],
    ["brand too long", { brandName: "x".repeat(61) }, "brandName"],
    ["support contact that is not a contact", { supportContact: "ask at the till" }, "supportContact"],
    ["missing frequency", { messageFrequency: "" }, "messageFrequency"],
    ["unknown time zone", { timeZone: "Mars/Olympus_Mons" }, "timeZone"],
    [
      "closing before opening",
      { businessHours: { ...validForm().businessHours, tue: day(true, "17:00", "09:00") } },
      "businessHours.tue.end",
    ],
    ["percentage over 100", { discountMaxPercent: "150" }, "discountMaxPercent"],
    ["percentage not a number", { discountMaxPercent: "ten" }, "discountMaxPercent"],
    ["amount with three decimals", { discountMaxAmount: "1.005" }, "discountMaxAmount"],
    ["expiry beyond 30 days", { discountDefaultExpiryHours: "721" }, "discountDefaultExpiryHours"],
    ["invalid phone number", { sendingNumber: "+1 555 123 4567" }, "sendingNumber"],
    ["zero messages per second", { messagesPerSecond: "0" }, "messagesPerSecond"],
    ["replacement key missing", { telnyxApiKeyAction: "replace", telnyxApiKey: "" }, "telnyxApiKey"],
    ["public key of the wrong size", { telnyxPublicKey: Buffer.alloc(16).toString("base64") }, "telnyxPublicKey"],
    ["profile id that is not a UUID", { telnyxMessagingProfileId: "profile-1" }, "telnyxMessagingProfileId"],
  ])("%s → error on %s", (_name, overrides, field) => {
    expect(errorsOf(overrides)).toHaveProperty([field]);
  });

  test("a closed day needs no valid order of times", () => {
    expect(errorsOf({ businessHours: { ...validForm().businessHours, sun: day(false, "17:00", "09:00") } })).toEqual(
      {},
    );
  });

  test("accepts email, web address or phone as the support contact", () => {
    for (const supportContact of ["help@acme.example", "https://acme.example/help", "+1 415 555 0134"]) {
      expect(errorsOf({ supportContact })).toEqual({});
    }
  });

  test("quiet hours: a shop may narrow the legal window, never widen it", () => {
    expect(errorsOf({ quietHoursPolicy: "SHOP_WINDOW", sendWindowStart: "10:00", sendWindowEnd: "18:00" })).toEqual({});
    expect(
      errorsOf({ quietHoursPolicy: "SHOP_WINDOW", sendWindowStart: "07:30", sendWindowEnd: "18:00" }),
    ).toHaveProperty(["sendWindowStart"]);
    expect(
      errorsOf({ quietHoursPolicy: "SHOP_WINDOW", sendWindowStart: "10:00", sendWindowEnd: "21:30" }),
    ).toHaveProperty(["sendWindowEnd"]);
    expect(
      errorsOf({ quietHoursPolicy: "SHOP_WINDOW", sendWindowStart: "18:00", sendWindowEnd: "10:00" }),
    ).toHaveProperty(["sendWindowEnd"]);
    // Under the legal-window policy the shop's own window is not used, so it is not checked.
    expect(
      errorsOf({ quietHoursPolicy: "STRICT_STATE_RULES", sendWindowStart: "00:00", sendWindowEnd: "23:30" }),
    ).toEqual({});
  });

  test("reports every problem at once, one message per field", () => {
    const result = validateSettings(validForm({ brandName: "", discountMaxPercent: "0", sendingNumber: "123" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["brandName", "discountMaxPercent", "sendingNumber"]);
    expect(typeof result.fieldErrors.brandName).toBe("string");
  });

  test("rejects input that is not the form at all", () => {
    expect(validateSettings(null).ok).toBe(false);
    expect(validateSettings({ brandName: "x" }).ok).toBe(false);
  });
});

describe("test message input", () => {
  test("normalises the number to E.164", () => {
    expect(validateTestMessage({ to: "(415) 555-0134" })).toEqual({ ok: true, data: { to: "+14155550134" } });
    expect(validateTestMessage({ to: "not a phone" }).ok).toBe(false);
    expect(validateTestMessage({}).ok).toBe(false);
  });

  test("toE164 accepts international numbers with their prefix", () => {
    expect(toE164("+44 20 7946 0958")).toBe("+442079460958");
    expect(toE164("12")).toBe(null);
  });
});

describe("validateSettings: opt-in", () => {
  const optIn: Partial<SettingsFormValues> = {
    doubleOptIn: true,
    optInExpiryHours: "48",
    welcomeMessage: "",
    welcomeDiscountEnabled: true,
    welcomeDiscountPercent: "15",
    joinKeywords: "join, vip club",
    browseRetentionDays: "90",
  };

  test("accepts the section and stores keywords upper-cased as a list", () => {
    const result = validateSettings(validForm(optIn));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data).toMatchObject({
      doubleOptIn: true,
      optInExpiryHours: 48,
      welcomeDiscountPercent: 15,
      joinKeywords: ["JOIN", "VIP CLUB"],
      browseRetentionDays: 90,
    });
  });

  test("a form without the section still validates and leaves it out", () => {
    const result = validateSettings(validForm());
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.data.joinKeywords).toBeUndefined();
  });

  test.each<[Partial<SettingsFormValues>, string, RegExp]>([
    [{ joinKeywords: "JOIN, STOP" }, "joinKeywords", /“STOP” would opt shoppers out/],
    [{ joinKeywords: "start" }, "joinKeywords", /START\/UNSTOP/],
    [{ joinKeywords: "info" }, "joinKeywords", /HELP\/INFO/],
    [{ joinKeywords: "yes" }, "joinKeywords", /confirms a pending sign-up/],
    [{ joinKeywords: "VIP!" }, "joinKeywords", /letters, digits and spaces/],
    [{ optInExpiryHours: "0" }, "optInExpiryHours", /at least 1/],
    [{ optInExpiryHours: "721" }, "optInExpiryHours", /at most 720/],
    [{ welcomeDiscountPercent: "25" }, "welcomeDiscountPercent", /at most 20% off/],
    [{ browseRetentionDays: "0" }, "browseRetentionDays", /at least 1/],
    [{ welcomeMessage: "Welcome!" }, "welcomeMessage", /name your brand.*say how to opt out \(STOP\)/],
    [
      {
        welcomeMessage:
          "Acme Outfitters: 20% off your first order! Up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to cancel.",
      },
      "welcomeMessage",
      /leave out offers/,
    ],
  ])("%o → %s error", (overrides, field, message) => {
    expect(errorsOf({ ...optIn, ...overrides })[field]).toMatch(message);
  });

  test("a compliant welcome message with placeholders is accepted", () => {
    expect(
      errorsOf({
        ...optIn,
        welcomeMessage:
          "Welcome to {brand_name}! {frequency}. Msg & data rates may apply. Reply HELP for help, STOP to cancel.",
      }),
    ).toEqual({});
  });
});
