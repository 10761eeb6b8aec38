import { describe, expect, test } from "vitest";
import { parseTelnyxEvent, parseTelnyxEventBody } from "./events";

const inbound = {
  data: {
    record_type: "event",
    id: "b301ed3f-1490-491f-995f-6e64e69674d4",
    event_type: "message.received",
    occurred_at: "2026-03-01T12:00:00.000+00:00",
    payload: {
      id: "84cca175-9755-4859-b67f-4730d7f58aa3",
      record_type: "message",
      direction: "inbound",
      type: "MMS",
      from: {
        phone_number: "+15551230001",
        carrier: "T-Mobile USA",
        line_type: "Wireless",
        status: "webhook_delivered",
      },
      to: [{ phone_number: "+15005550100", carrier: "Telnyx", line_type: "Wireless", status: "webhook_delivered" }],
      text: "Where is my order?",
      media: [{ url: "https://media.test/a.jpg", content_type: "image/jpeg", size: 1024, hash_sha256: "ab" }],
      messaging_profile_id: "4001767e-ce0f-4cae-9d5f-0d5e636e7809",
      received_at: "2026-03-01T12:00:00.000+00:00",
      cost: null,
      some_future_field: 1,
    },
  },
  meta: { attempt: 1, delivered_to: "http://app.test/webhooks/telnyx" },
};

const finalized = {
  data: {
    record_type: "event",
    id: "e1",
    event_type: "message.finalized",
    occurred_at: "2026-03-01T12:00:05.000+00:00",
    payload: {
      id: "m1",
      record_type: "message",
      direction: "outbound",
      type: "SMS",
      from: { phone_number: "+15005550100", carrier: "Telnyx", line_type: "VoIP" },
      to: [
        { phone_number: "+15551230002", status: "delivery_failed", carrier: "AT&T Wireless", line_type: "Wireline" },
      ],
      text: "hi",
      parts: 1,
      encoding: "GSM-7",
      cost: { amount: "0.0040", currency: "USD" },
      errors: [{ code: 40001, title: "Not routable", detail: "landline" }],
      sent_at: "2026-03-01T12:00:01.000+00:00",
      completed_at: "2026-03-01T12:00:05.000+00:00",
    },
  },
  meta: { attempt: 2, delivered_to: "http://app.test/webhooks/telnyx" },
};

describe("parseTelnyxEvent", () => {
  test("message.received", () => {
    const result = parseTelnyxEvent(inbound);
    expect(result.ok).toBe(true);
    if (!result.ok || result.event.type !== "message.received") throw new Error("expected message.received");
    expect(result.event.id).toBe(inbound.data.id);
    expect(result.event.payload.id).toBe(inbound.data.payload.id);
    expect(result.event.payload.text).toBe("Where is my order?");
    expect(result.event.payload.to[0].phone_number).toBe("+15005550100");
    expect(result.event.payload.media[0].url).toBe("https://media.test/a.jpg");
    expect(result.event.meta).toEqual({ attempt: 1, deliveredTo: "http://app.test/webhooks/telnyx" });
  });

  test("message.finalized with errors (numeric codes become strings)", () => {
    const result = parseTelnyxEvent(finalized);
    if (!result.ok || result.event.type !== "message.finalized") throw new Error("expected message.finalized");
    expect(result.event.payload.to[0].status).toBe("delivery_failed");
    expect(result.event.payload.errors).toEqual([{ code: "40001", title: "Not routable", detail: "landline" }]);
    expect(result.event.payload.cost).toEqual({ amount: "0.0040", currency: "USD" });
  });

  test("message.sent with nulls where Telnyx sends nulls", () => {
    const sent = structuredClone(finalized);
    sent.data.event_type = "message.sent";
    Object.assign(sent.data.payload, {
      to: [{ phone_number: "+15551230002", status: "sent", carrier: null, line_type: null }],
      errors: [],
      completed_at: null,
      cost: null,
    });
    const result = parseTelnyxEvent(sent);
    expect(result.ok && result.event.type === "message.sent" && result.event.payload.to[0].status).toBe("sent");
  });

  test("inbound text may be missing (MMS without a caption)", () => {
    const mms = structuredClone(inbound) as { data: { payload: Record<string, unknown> } };
    delete mms.data.payload.text;
    const result = parseTelnyxEvent(mms);
    expect(result.ok && result.event.type === "message.received" && result.event.payload.text).toBe("");
  });

  test("unknown event types are recognised, not rejected", () => {
    const other = {
      data: {
        record_type: "event",
        id: "e9",
        event_type: "number_order.complete",
        occurred_at: "2026-03-01T12:00:00Z",
        payload: { anything: true },
      },
    };
    expect(parseTelnyxEvent(other)).toEqual({
      ok: true,
      event: {
        type: "unknown",
        eventType: "number_order.complete",
        id: "e9",
        occurredAt: "2026-03-01T12:00:00Z",
        meta: { attempt: undefined, deliveredTo: undefined },
      },
    });
  });

  test.each([
    ["not an object", "hello", /envelope/],
    ["no data", { meta: {} }, /data/],
    ["missing event id", { data: { ...inbound.data, id: undefined } }, /data\.id/],
    [
      "inbound without from",
      { data: { ...inbound.data, payload: { ...inbound.data.payload, from: undefined } } },
      /data\.payload\.from/,
    ],
    [
      "inbound marked outbound",
      { data: { ...inbound.data, payload: { ...inbound.data.payload, direction: "outbound" } } },
      /direction/,
    ],
    [
      "unknown delivery status",
      {
        data: {
          ...finalized.data,
          payload: { ...finalized.data.payload, to: [{ phone_number: "+1555", status: "teleported" }] },
        },
      },
      /data\.payload\.to\.0\.status/,
    ],
  ])("rejects %s with a readable reason", (_name, body, reason) => {
    const result = parseTelnyxEvent(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  test("parseTelnyxEventBody rejects non-JSON", () => {
    expect(parseTelnyxEventBody("{nope")).toEqual({ ok: false, reason: "body is not valid JSON" });
    expect(parseTelnyxEventBody(JSON.stringify(inbound)).ok).toBe(true);
  });
});
