import { describe, expect, test } from "vitest";
import { maskPhone, normalizePhone } from "./phone";

describe("normalizePhone", () => {
  test.each([
    ["(305) 555-0123", "+13055550123"],
    ["305.555.0123", "+13055550123"],
    ["1-305-555-0123", "+13055550123"],
    ["+1 305 555 0123", "+13055550123"],
    ["  3055550123  ", "+13055550123"],
    ["tel:+13055550123", "+13055550123"],
    ["٣٠٥٥٥٥٠١٢٣", "+13055550123"],
    ["011 44 7911 123456", "+447911123456"],
    ["+44 7911 123456", "+447911123456"],
    ["+33 6 12 34 56 78", "+33612345678"],
    ["+1 800 555 0100", "+18005550100"],
  ])("%j → %s", (input, e164) => {
    expect(normalizePhone(input)).toMatchObject({ ok: true, e164 });
  });

  test("a national number is read in the given country", () => {
    expect(normalizePhone("07911 123456", "GB")).toMatchObject({ ok: true, e164: "+447911123456", type: "MOBILE" });
  });

  test.each([
    ["", "not_a_number"],
    ["abc", "not_a_number"],
    ["call me at 305 555 0123", "not_a_number"],
    ["555-0123", "too_short"],
    ["+1 305 555 01234", "too_long"],
    ["+999 123 456", "invalid_country"],
    ["+1 555 555 0100", "invalid"],
    ["+44 20 7123 4567", "not_mobile_capable"], // London landline
    ["+1 900 555 0100", "not_mobile_capable"], // premium rate
    ["+1 305 555 0123 ext. 12", "not_mobile_capable"],
  ])("%j is refused: %s", (input, code) => {
    const result = normalizePhone(input);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
  });
});

describe("maskPhone", () => {
  test.each([
    ["+13055550123", "+1 305 ••• ••23"],
    ["+447911123456", "+44 7911 ••••56"],
    ["+33612345678", "+33 6 •• •• •• 78"],
    ["+15555550100", "+1 555 ••• ••00"],
    ["not a phone 12345", "•••45"],
    ["", ""],
  ])("%j → %j", (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });
});
