import { describe, expect, test } from "vitest";
import {
  answerDeliveryQuestion,
  type DeliveryQuestion,
  parseDeliveryQuestion,
  type ShipmentFacts,
} from "./delivery-question";

// Tuesday, Dec 1 2026, 10:00 in New York (the shop's zone).
const clock = { now: new Date("2026-12-01T15:00:00Z"), timeZone: "America/New_York" };
const day = (year: number, month: number, d: number) => ({ year, month, day: d });
const on = (d: number, label: string, mode: "by" | "before" = "by") => ({
  intent: "arrive_by",
  asked: { start: day(2026, 12, d), end: day(2026, 12, d), label, mode },
});

describe("parseDeliveryQuestion", () => {
  test.each<[string, DeliveryQuestion | Record<string, unknown>]>([
    // asked dates
    ["will it arrive by Friday?", on(4, "Friday")],
    ["can I get it before the 12th", on(12, "the 12th", "before")],
    ["is it gonna be here by xmas??", on(25, "Christmas", "before")],
    ["will it get here in time for christmas?", on(25, "Christmas", "before")],
    ["will it arrive before christmas eve", on(24, "Christmas Eve", "before")],
    ["will it be here tomorrow?", on(2, "tomorrow")],
    ["is it coming today?", on(1, "today")],
    ["Will it come by Dec 24?", on(24, "Dec 24")],
    ["need it by 12/24", on(24, "Dec 24")],
    ["will it arrive by the 31st?", on(31, "the 31st")],
    ["will I have it by the 3rd", on(3, "the 3rd")],
    ["gonna make it by sat?", on(5, "Saturday")],
    ["wil it arive by fri??", on(4, "Friday")],
    ["by monday?", on(7, "Monday")],
    // Today is Tuesday: "Tuesday" is next week's.
    ["will it be here by tuesday", on(8, "Tuesday")],
    ["I'm not home on wed, will it come before then?", on(2, "Wednesday", "before")],
    ["thrusday???", on(3, "Thursday")],
    [
      "any chance it arrives this weekend?",
      {
        intent: "arrive_by",
        asked: { start: day(2026, 12, 5), end: day(2026, 12, 6), label: "the weekend", mode: "by" },
      },
    ],
    [
      "will it arrive by January 5th?",
      { intent: "arrive_by", asked: { start: day(2027, 1, 5), end: day(2027, 1, 5), label: "Jan 5", mode: "by" } },
    ],
    // Nov 30 has passed: next year's.
    [
      "can it be there by 30 nov",
      { intent: "arrive_by", asked: { start: day(2027, 11, 30), end: day(2027, 11, 30), label: "Nov 30", mode: "by" } },
    ],
    ["Will it be there by New Year's?", on(31, "New Year's")],
    // when / where
    ["when will it get here", { intent: "when" }],
    ["can you let me know when it'll arrive?", { intent: "when" }],
    ["how long will shipping take", { intent: "when" }],
    ["ETA?", { intent: "when" }],
    ["will it arrive soon?", { intent: "when" }],
    ["where is my package", { intent: "where" }],
    ["where's my order at", { intent: "where" }],
    ["c'mon where is it", { intent: "where" }],
    ["tracking?", { intent: "where" }],
    ["any update on my order?", { intent: "where" }],
    // notify on delivery
    ["text me when it's delivered", { intent: "notify_on_delivery" }],
    ["let me know when it arrives", { intent: "notify_on_delivery" }],
    ["lmk when it gets here pls", { intent: "notify_on_delivery" }],
    ["Keep me posted!", { intent: "notify_on_delivery" }],
    ["pls text me once it's delivered 🙏", { intent: "notify_on_delivery" }],
    // problems
    ["it never arrived", { intent: "problem", problem: "not_arrived" }],
    ["it says delivered but it's not here", { intent: "problem", problem: "not_arrived" }],
    ["My package is missing", { intent: "problem", problem: "not_arrived" }],
    ["the box came damaged 😡", { intent: "problem", problem: "damaged" }],
    ["mug arrived cracked", { intent: "problem", problem: "damaged" }],
    ["you sent the wrong size", { intent: "problem", problem: "wrong_item" }],
    // acknowledgements and everything else
    ["thanks!", { intent: "thanks" }],
    ["ok 👍", { intent: "thanks" }],
    ["🙏", { intent: "thanks" }],
    ["Thank you so much!!", { intent: "thanks" }],
    ["do you have this in blue?", { intent: "other" }],
    ["can I change my address?", { intent: "other" }],
    ["will the 2 shirts fit a medium?", { intent: "other" }],
    ["I'm broke lol", { intent: "other" }],
  ])("%s", (text, expected) => {
    expect(parseDeliveryQuestion(text, clock)).toEqual(expected);
  });

  test("the asked day is read in the shop's zone", () => {
    // 02:00 UTC on Wednesday is still Tuesday evening in New York: "tomorrow" is Wednesday.
    const late = { now: new Date("2026-12-02T02:00:00Z"), timeZone: "America/New_York" };
    expect(parseDeliveryQuestion("here by tomorrow?", late)).toEqual(on(2, "tomorrow"));
    expect(parseDeliveryQuestion("here by tomorrow?", { ...late, timeZone: "Europe/Berlin" })).toEqual(
      on(3, "tomorrow"),
    );
  });
});

describe("answerDeliveryQuestion", () => {
  const inTransit: ShipmentFacts = {
    status: "in_transit",
    carrier: "UPS",
    trackingUrl: "https://ups.test/track/1Z999",
    trackingNumber: "1Z999",
    estimatedDeliveryAt: new Date("2026-12-03T20:00:00Z"), // Thu, Dec 3
    deliveredAt: null,
  };
  const ask = (text: string, shipment: ShipmentFacts = inTransit, now = clock.now) =>
    answerDeliveryQuestion(parseDeliveryQuestion(text, { ...clock, now }), shipment, {
      ...clock,
      now,
      orderName: "#1042",
      replyText: text,
    });
  const eta = (iso: string): ShipmentFacts => ({ ...inTransit, estimatedDeliveryAt: new Date(iso) });

  test("expected before the asked day: yes, nobody else needed", () => {
    expect(ask("will it arrive by Friday?")).toEqual({
      text: "Yes — it's expected Thu, Dec 3, before Friday.",
      handOver: null,
      notifyOnDelivery: false,
    });
  });

  test("expected after the asked day: says so and hands over", () => {
    expect(ask("will it arrive by Friday?", eta("2026-12-07T17:00:00Z"))).toEqual({
      text: "It's expected Mon, Dec 7, so after Friday, sorry! I've asked the team to see what we can do.",
      handOver: { summary: "Asked if #1042 arrives by Friday (Fri, Dec 4); expected Mon, Dec 7", priority: false },
      notifyOnDelivery: false,
    });
  });

  test("the estimate's day is the shop's: 22:00 Friday in New York is Friday", () => {
    const fridayNight = eta("2026-12-05T03:00:00Z");
    expect(ask("will it arrive by Friday?", fridayNight).text).toBe("Yes — it's expected Fri, Dec 4, just in time.");
    expect(ask("can it come before friday?", fridayNight)).toMatchObject({
      text: "It's expected Fri, Dec 4, so not before Friday, sorry! I've asked the team to see what we can do.",
      handOver: { priority: false },
    });
  });

  test("by Christmas means by Christmas Eve", () => {
    expect(ask("is it gonna be here by xmas??", eta("2026-12-24T17:00:00Z")).text).toBe(
      "Yes — it's expected Thu, Dec 24, before Christmas.",
    );
    expect(ask("is it gonna be here by xmas??", eta("2026-12-28T17:00:00Z")).handOver).not.toBeNull();
  });

  test("no estimate: status and tracking link, and a person checks", () => {
    const unknown = { ...inTransit, estimatedDeliveryAt: null };
    expect(ask("will it arrive by Friday?", unknown)).toEqual({
      text: "UPS hasn't given a delivery date yet; it's in transit with UPS. Track it here: https://ups.test/track/1Z999 I've asked the team to check for you.",
      handOver: { summary: "Asked if #1042 arrives by Friday (Fri, Dec 4); no delivery estimate yet", priority: false },
      notifyOnDelivery: false,
    });
    expect(ask("when will it get here", unknown).handOver?.summary).toBe(
      "Asked when #1042 arrives; no delivery estimate yet",
    );
  });

  test("where is it: status, estimate and tracking link", () => {
    expect(ask("where is my package")).toEqual({
      text: "It's in transit with UPS, expected Thu, Dec 3. Track it here: https://ups.test/track/1Z999",
      handOver: null,
      notifyOnDelivery: false,
    });
    expect(ask("when will it get here").text).toBe(
      "It's expected Thu, Dec 3. Track it here: https://ups.test/track/1Z999",
    );
    const noLink = { ...inTransit, trackingUrl: null, estimatedDeliveryAt: null, status: "confirmed" };
    expect(ask("where is my package", noLink).text).toBe("It's shipped with UPS. Tracking number: UPS 1Z999.");
  });

  test("a carrier problem is answered and handed over", () => {
    expect(ask("where is it?", { ...inTransit, status: "attempted_delivery" })).toMatchObject({
      text: expect.stringMatching(/tried to deliver it but couldn't.*I've asked the team to look into it\.$/),
      handOver: { priority: false },
    });
  });

  test("past its estimate and not delivered: running late, handed over", () => {
    const friday = new Date("2026-12-04T15:00:00Z");
    expect(ask("where is it", eta("2026-12-02T20:00:00Z"), friday)).toMatchObject({
      text: "It was expected Wed, Dec 2, so it's running late, sorry! Track it here: https://ups.test/track/1Z999 I've asked the team to check on it.",
      handOver: { summary: "Asked where #1042 is; it was expected Wed, Dec 2", priority: false },
    });
  });

  test("text me when it's delivered: a flag and a promise", () => {
    expect(ask("text me when it's delivered")).toEqual({
      text: "Will do! I'll text you as soon as it's delivered.",
      handOver: null,
      notifyOnDelivery: true,
    });
  });

  const delivered: ShipmentFacts = { ...inTransit, status: "delivered", deliveredAt: new Date("2026-12-03T19:00:00Z") };

  test("delivered: a question about where it is goes to a person", () => {
    expect(ask("where is my package", delivered)).toEqual({
      text: "UPS marked it delivered Thu, Dec 3. Track it here: https://ups.test/track/1Z999 Can't find it? I've asked our team to help.",
      handOver: {
        summary: "Asked where the order is; UPS marked #1042 delivered Thu, Dec 3: “where is my package”",
        priority: false,
      },
      notifyOnDelivery: false,
    });
    expect(ask("text me when it's delivered", delivered)).toEqual({
      text: "Good news: it was already delivered Thu, Dec 3!",
      handOver: null,
      notifyOnDelivery: false,
    });
  });

  test.each([
    ["it never arrived", "Says #1042 never arrived; UPS marked it delivered Thu, Dec 3: “it never arrived”"],
    ["the box came damaged", "Says #1042 arrived damaged: “the box came damaged”"],
    ["you sent the wrong size", "Says #1042 has the wrong item: “you sent the wrong size”"],
  ])("delivered, %s: priority hand-over", (text, summary) => {
    expect(ask(text, delivered)).toEqual({
      text: "I'm so sorry about that! I've passed this to our team and someone will text you back shortly.",
      handOver: { summary, priority: true },
      notifyOnDelivery: false,
    });
  });

  test("thanks needs nothing; anything else goes to a person with the shopper's words", () => {
    expect(ask("thanks!")).toEqual({ text: null, handOver: null, notifyOnDelivery: false });
    expect(ask("can I change my address to 12 Elm St? I moved last week and forgot to update it, sorry!!")).toEqual({
      text: null,
      handOver: {
        summary:
          "Replied to the shipping update for #1042: “can I change my address to 12 Elm St? I moved last week and forgot to update it…”",
        priority: false,
      },
      notifyOnDelivery: false,
    });
  });
});
