import { APIConnectionError, APIConnectionTimeoutError, APIError } from "telnyx";
import { describe, expect, test } from "vitest";
import {
  createTelnyxClient,
  errorReason,
  retryAfterMsFrom,
  sendSms,
  TelnyxSendError,
  toTelnyxSendError,
} from "./client.server";

const NOW = Date.parse("2026-03-01T12:00:00Z");

function apiError(status: number, body: unknown, headers: Record<string, string> = {}) {
  return APIError.generate(status, body as object, undefined, new Headers(headers));
}

describe("toTelnyxSendError", () => {
  test.each([
    [
      "429 with Retry-After",
      apiError(429, { errors: [{ code: "10011", title: "Too many requests" }] }, { "retry-after": "2" }),
      "transient",
      "10011",
      2000,
    ],
    ["429 with retry-after-ms", apiError(429, {}, { "retry-after-ms": "250" }), "transient", "10011", 250],
    [
      "429 with only x-ratelimit-reset (delta)",
      apiError(429, {}, { "x-ratelimit-reset": "3" }),
      "transient",
      "10011",
      3000,
    ],
    [
      "429 with x-ratelimit-reset (epoch)",
      apiError(429, {}, { "x-ratelimit-reset": String(NOW / 1000 + 5) }),
      "transient",
      "10011",
      5000,
    ],
    ["500", apiError(500, { errors: [{ code: "10007", title: "Unexpected error" }] }), "transient", "10007", undefined],
    ["503 without body", apiError(503, undefined), "transient", undefined, undefined],
    ["408", apiError(408, undefined), "transient", undefined, undefined],
    [
      "40300 blocked by STOP",
      apiError(422, { errors: [{ code: "40300", title: "Blocked due to STOP message" }] }),
      "permanent",
      "40300",
      undefined,
    ],
    [
      "40300 even if a proxy says retry",
      apiError(422, { errors: [{ code: "40300" }] }, { "x-should-retry": "true" }),
      "permanent",
      "40300",
      undefined,
    ],
    [
      "422 validation",
      apiError(422, {
        errors: [{ code: "10016", title: "Phone number must be in +E.164 format", source: { pointer: "/to" } }],
      }),
      "permanent",
      "10016",
      undefined,
    ],
    [
      "401",
      apiError(401, { errors: [{ code: "10009", title: "Authentication failed" }] }),
      "permanent",
      "10009",
      undefined,
    ],
    [
      "400 marked retryable by x-should-retry",
      apiError(400, {}, { "x-should-retry": "true" }),
      "transient",
      undefined,
      undefined,
    ],
  ] as const)("%s", (_name, error, kind, code, retryAfterMs) => {
    const result = toTelnyxSendError(error, NOW);
    expect(result).toBeInstanceOf(TelnyxSendError);
    expect(result.kind).toBe(kind);
    expect(result.code).toBe(code);
    expect(result.httpStatus).toBe(error.status);
    expect(result.retryAfterMs).toBe(retryAfterMs);
    expect(result.reason.length).toBeGreaterThan(5);
  });

  test("timeouts are transient and ambiguous (Telnyx may have accepted the message)", () => {
    const result = toTelnyxSendError(new APIConnectionTimeoutError());
    expect(result).toMatchObject({ kind: "transient", code: "timeout", ambiguous: true, httpStatus: undefined });
  });

  test("a refused connection is transient and certainly not sent", () => {
    const cause = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
    expect(toTelnyxSendError(new APIConnectionError({ cause }))).toMatchObject({
      kind: "transient",
      code: "connection",
      ambiguous: false,
    });
  });

  test("a connection lost mid-request is ambiguous", () => {
    const cause = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    expect(toTelnyxSendError(new APIConnectionError({ cause }))).toMatchObject({ kind: "transient", ambiguous: true });
  });

  test("reads x-ratelimit-* headers", () => {
    const error = apiError(
      429,
      {},
      { "x-ratelimit-limit": "50", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1" },
    );
    expect(toTelnyxSendError(error, NOW).rateLimit).toEqual({ limit: 50, remaining: 0, resetMs: 1000 });
  });
});

describe("retryAfterMsFrom", () => {
  test("understands an HTTP date", () => {
    expect(retryAfterMsFrom(new Headers({ "retry-after": new Date(NOW + 4000).toUTCString() }), NOW)).toBe(4000);
  });
  test("is undefined without hints", () => {
    expect(retryAfterMsFrom(new Headers(), NOW)).toBeUndefined();
  });
});

describe("errorReason", () => {
  test.each(["40300", "40001", "40002", "40003", "40008", "40011", "40012", "40013", "40014", "10011"])(
    "%s has a readable reason",
    (code) => {
      expect(errorReason(code)).not.toMatch(/Telnyx error/);
    },
  );
  test("unknown codes still name the code", () => {
    expect(errorReason("49999")).toBe("Telnyx error 49999.");
    expect(errorReason(49999, "Weird")).toBe("Weird (Telnyx error 49999)");
  });
});

describe("sendSms", () => {
  test("sends the documented body and normalises the answer", async () => {
    let seen: { url: string; headers: Headers; body: unknown } | undefined;
    const fakeFetch: typeof fetch = async (url, init) => {
      seen = { url: String(url), headers: new Headers(init?.headers), body: JSON.parse(String(init?.body)) };
      return new Response(
        JSON.stringify({
          data: {
            id: "msg-1",
            record_type: "message",
            direction: "outbound",
            parts: 2,
            encoding: "UCS-2",
            cost: { amount: "0.0080", currency: "USD" },
            to: [{ phone_number: "+15551230001", status: "queued", carrier: "T-Mobile USA", line_type: "Wireless" }],
          },
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      );
    };
    const client = createTelnyxClient({ apiKey: "KEY_x", baseURL: "http://telnyx.test/v2", fetch: fakeFetch });
    const sent = await sendSms(client, {
      from: "+15005550100",
      to: "+15551230001",
      text: "Hi ✓",
      webhookUrl: "http://app.test/webhooks/telnyx",
    });
    expect(sent).toEqual({
      providerMessageId: "msg-1",
      status: "queued",
      parts: 2,
      encoding: "UCS-2",
      carrier: "T-Mobile USA",
      lineType: "Wireless",
      cost: { amount: "0.0080", currency: "USD" },
      waitSeconds: undefined,
    });
    expect(seen?.url).toBe("http://telnyx.test/v2/messages");
    expect(seen?.headers.get("authorization")).toBe("Bearer KEY_x");
    expect(seen?.body).toEqual({
      from: "+15005550100",
      to: "+15551230001",
      text: "Hi ✓",
      webhook_url: "http://app.test/webhooks/telnyx",
    });
  });

  test("maxRetries defaults to 0: one 503 is one request and a transient error", async () => {
    let calls = 0;
    const fakeFetch: typeof fetch = async () => {
      calls++;
      return new Response("{}", { status: 503, headers: { "content-type": "application/json" } });
    };
    const client = createTelnyxClient({ apiKey: "KEY_x", baseURL: "http://telnyx.test/v2", fetch: fakeFetch });
    await expect(sendSms(client, { from: "+15005550100", to: "+15551230001", text: "x" })).rejects.toMatchObject({
      kind: "transient",
      httpStatus: 503,
    });
    expect(calls).toBe(1);
  });
});
