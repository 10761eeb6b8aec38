import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  createTelnyxClient,
  sendSms,
  TelnyxSendError,
  type TelnyxClient,
} from "../../app/adapters/telnyx/client.server";
import { parseTelnyxEventBody, type TelnyxEvent } from "../../app/adapters/telnyx/events";
import { readSignatureHeaders, verifyTelnyxSignature } from "../../app/adapters/telnyx/signature.server";
import { generateSandboxKeys, signWebhook } from "../../app/sandbox/telnyx/keys";
import type { SimMessage } from "../../app/sandbox/telnyx/message-log";
import { createTelnyxSimulator, type TelnyxSimulator } from "../../app/sandbox/telnyx/router";

// The simulated Telnyx driven by the real SDK (through the app's adapter), with a local receiver standing in for
// the app's POST /webhooks/telnyx. Everything binds to 127.0.0.1.

const API_KEY = "KEY_sandbox_test";
const STORE = "+15005550100";
const SHOPPER = "+15551230001";
const LANDLINE = "+15551230099";

interface Received {
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
}

let sim: TelnyxSimulator;
let simServer: Server;
let receiverServer: Server;
let simOrigin: string;
let receiverUrl: string;
let client: TelnyxClient;
let received: Received[] = [];
let receiverStatuses: number[] = []; // answers to give, in order; 200 once exhausted

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, "127.0.0.1", () => resolve(server));
  });
}
const originOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${simOrigin}/sandbox/telnyx${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function logFor(phone: string): Promise<SimMessage[]> {
  return (await control("GET", `/control/log?phone=${encodeURIComponent(phone)}`)).body.data;
}

function verify(r: Received) {
  return verifyTelnyxSignature({
    rawBody: r.rawBody,
    ...readSignatureHeaders(r.headers),
    publicKeyB64: sim.publicKeyB64,
  });
}

function eventsFor(messageId: string): TelnyxEvent[] {
  return received
    .map((r) => parseTelnyxEventBody(r.rawBody))
    .flatMap((p) => (p.ok ? [p.event] : []))
    .filter((e) => e.type !== "unknown" && e.payload.id === messageId);
}

async function sendError(promise: Promise<unknown>): Promise<TelnyxSendError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TelnyxSendError);
    return error as TelnyxSendError;
  }
  throw new Error("expected the send to fail");
}

beforeAll(async () => {
  const receiver = express();
  receiver.post("/webhooks/telnyx", express.raw({ type: () => true }), (req, res) => {
    received.push({ rawBody: (req.body as Buffer).toString("utf8"), headers: req.headers });
    res.status(receiverStatuses.shift() ?? 200).end();
  });
  receiverServer = await listen(receiver);
  receiverUrl = `${originOf(receiverServer)}/webhooks/telnyx`;

  sim = createTelnyxSimulator({
    apiKey: API_KEY,
    webhookUrl: () => receiverUrl,
    storeNumbers: () => [STORE],
    shopperNumbers: () => [{ phone: SHOPPER, name: "Ada" }],
    sentAfterMs: 5,
    finalizedAfterMs: 10,
    webhookRetryDelaysMs: [20, 40],
    faults: { landlineNumbers: [LANDLINE] },
  });
  const app = express();
  app.use("/sandbox/telnyx", sim.router);
  simServer = await listen(app);
  simOrigin = originOf(simServer);
  client = createTelnyxClient({
    apiKey: API_KEY,
    baseURL: `${simOrigin}/sandbox/telnyx/v2`,
    maxRetries: 0,
    timeoutMs: 2_000,
  });
});

afterAll(async () => {
  await sim.close();
  simServer.closeAllConnections();
  receiverServer.closeAllConnections();
  await new Promise((r) => simServer.close(r));
  await new Promise((r) => receiverServer.close(r));
});

beforeEach(async () => {
  await sim.idle();
  await control("DELETE", "/control/faults");
  await control("DELETE", "/control/log");
  await control("DELETE", "/control/optouts");
  received = [];
  receiverStatuses = [];
});

describe("sending through the real SDK", () => {
  test("a send is answered like Telnyx, recorded, and followed by signed message.sent and message.finalized", async () => {
    const sent = await sendSms(client, {
      from: STORE,
      to: SHOPPER,
      text: "Your order shipped! Track it: https://shop.test/t/1",
    });
    expect(sent).toMatchObject({
      status: "queued",
      parts: 1,
      encoding: "GSM-7",
      lineType: "Wireless",
      cost: { amount: "0.0040", currency: "USD" },
    });
    expect(sent.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);

    // The full resource, as the SDK returns it.
    const { data } = await client.messages.retrieve(sent.providerMessageId);
    expect(data).toMatchObject({
      record_type: "message",
      id: sent.providerMessageId,
      direction: "outbound",
      type: "SMS",
      from: { phone_number: STORE },
      to: [{ phone_number: SHOPPER }],
      errors: [],
    });
    expect(data).toHaveProperty("messaging_profile_id");
    expect(data).toHaveProperty("received_at");
    expect(data).toHaveProperty("valid_until");

    await sim.idle();
    const [entry] = await logFor(SHOPPER);
    expect(entry).toMatchObject({
      id: sent.providerMessageId,
      direction: "outbound",
      from: STORE,
      to: SHOPPER,
      status: "delivered",
    });
    expect(entry.history.map((h) => h.status)).toEqual(["queued", "sent", "delivered"]);

    expect(received).toHaveLength(2);
    for (const r of received) expect(verify(r)).toMatchObject({ ok: true });
    const events = eventsFor(sent.providerMessageId);
    expect(events.map((e) => e.type)).toEqual(["message.sent", "message.finalized"]);
    const finalized = events[1];
    if (finalized.type !== "message.finalized") throw new Error("unreachable");
    expect(finalized.payload.to[0].status).toBe("delivered");
    expect(finalized.payload.completed_at).toBeTruthy();
    expect(finalized.meta).toEqual({ attempt: 1, deliveredTo: receiverUrl });
  });

  test("parts and encoding are real segment counts", async () => {
    expect(await sendSms(client, { from: STORE, to: SHOPPER, text: "a".repeat(161) })).toMatchObject({
      parts: 2,
      encoding: "GSM-7",
    });
    expect(await sendSms(client, { from: STORE, to: SHOPPER, text: "It’s here 📦" })).toMatchObject({
      parts: 1,
      encoding: "UCS-2",
    });
  });

  test("a forged or altered webhook does not verify", async () => {
    await sendSms(client, { from: STORE, to: SHOPPER, text: "hello" });
    await sim.idle();
    const genuine = received[0];
    expect(verify(genuine).ok).toBe(true);
    expect(verify({ ...genuine, rawBody: genuine.rawBody.replace("hello", "HELLO") })).toMatchObject({
      ok: false,
      reason: "signature_mismatch",
    });
    const forger = generateSandboxKeys();
    const ts = String(Math.floor(Date.now() / 1000));
    const forged = {
      rawBody: genuine.rawBody,
      headers: {
        "telnyx-signature-ed25519": signWebhook(forger.privateKey, genuine.rawBody, ts),
        "telnyx-timestamp": ts,
      },
    };
    expect(verify(forged)).toMatchObject({ ok: false, reason: "signature_mismatch" });
  });

  test("a wrong API key is a permanent 401", async () => {
    const stranger = createTelnyxClient({ apiKey: "KEY_wrong", baseURL: `${simOrigin}/sandbox/telnyx/v2` });
    const error = await sendError(sendSms(stranger, { from: STORE, to: SHOPPER, text: "x" }));
    expect(error).toMatchObject({ kind: "permanent", httpStatus: 401, code: "10009" });
  });

  test("invalid parameters are a permanent 422 with Telnyx's error shape", async () => {
    const error = await sendError(sendSms(client, { from: STORE, to: "5551234", text: "x" }));
    expect(error).toMatchObject({ kind: "permanent", httpStatus: 422, code: "10016" });
    const raw = await fetch(`${simOrigin}/sandbox/telnyx/v2/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ from: STORE }),
    });
    expect(raw.status).toBe(422);
    expect((await raw.json()).errors[0]).toEqual({
      code: "10004",
      title: "Missing required parameter",
      detail: "The 'to' parameter is required.",
      source: { pointer: "/to" },
    });
    expect(await logFor(STORE)).toEqual([]);
  });
});

describe("fault injection", () => {
  test("429 gives a transient error with the server's Retry-After, and nothing is recorded", async () => {
    expect((await control("POST", "/control/faults", { rate429: 1, retryAfterSeconds: 2 })).status).toBe(200);
    const error = await sendError(sendSms(client, { from: STORE, to: SHOPPER, text: "x" }));
    expect(error).toMatchObject({
      kind: "transient",
      httpStatus: 429,
      code: "10011",
      retryAfterMs: 2000,
      ambiguous: false,
    });
    expect(error.rateLimit).toEqual({ limit: 50, remaining: 0, resetMs: 2000 });
    expect(await logFor(SHOPPER)).toEqual([]);
  });

  test("5xx gives a transient error", async () => {
    await control("POST", "/control/faults", { rate5xx: 1 });
    const error = await sendError(sendSms(client, { from: STORE, to: SHOPPER, text: "x" }));
    expect(error.kind).toBe("transient");
    expect([500, 503]).toContain(error.httpStatus);
  });

  test("a timeout is transient and ambiguous; by default the dropped request was not taken", async () => {
    await control("POST", "/control/faults", { rateTimeout: 1, timeoutMs: 1_000 });
    const impatient = createTelnyxClient({
      apiKey: API_KEY,
      baseURL: `${simOrigin}/sandbox/telnyx/v2`,
      timeoutMs: 200,
    });
    const error = await sendError(sendSms(impatient, { from: STORE, to: SHOPPER, text: "lost" }));
    expect(error).toMatchObject({ kind: "transient", code: "timeout", ambiguous: true });
    expect(await logFor(SHOPPER)).toEqual([]);
  });

  test("with timeoutAccepted the message went out although the client saw a timeout", async () => {
    await control("POST", "/control/faults", { rateTimeout: 1, timeoutMs: 1_000, timeoutAccepted: true });
    const impatient = createTelnyxClient({
      apiKey: API_KEY,
      baseURL: `${simOrigin}/sandbox/telnyx/v2`,
      timeoutMs: 200,
    });
    await sendError(sendSms(impatient, { from: STORE, to: SHOPPER, text: "taken anyway" }));
    await sim.idle();
    const log = await logFor(SHOPPER);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ text: "taken anyway", status: "delivered" });
  });

  test("the dice are seeded: the same seed gives the same faults", async () => {
    const outcomes = async () => {
      await control("POST", "/control/faults", { rate429: 0.5, seed: 7 });
      const results: string[] = [];
      for (let i = 0; i < 12; i++) {
        results.push(
          await sendSms(client, { from: STORE, to: SHOPPER, text: `n${i}` }).then(
            () => "ok",
            (e: TelnyxSendError) => e.code ?? "?",
          ),
        );
      }
      return results;
    };
    const first = await outcomes();
    expect(first).toContain("ok");
    expect(first).toContain("10011");
    expect(await outcomes()).toEqual(first);
  });

  test("a landline is accepted, then finalized as delivery_failed 40001", async () => {
    const sent = await sendSms(client, { from: STORE, to: LANDLINE, text: "hello?" });
    expect(sent.lineType).toBe("Wireline");
    await sim.idle();
    const finalized = eventsFor(sent.providerMessageId).find((e) => e.type === "message.finalized");
    if (finalized?.type !== "message.finalized") throw new Error("no message.finalized");
    expect(finalized.payload.to[0].status).toBe("delivery_failed");
    expect(finalized.payload.errors[0]).toMatchObject({ code: "40001", title: "Not routable" });
  });

  test("bad fault input is refused with a reason", async () => {
    const response = await control("POST", "/control/faults", { rate429: 5 });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/rate429/);
  });
});

describe("message detail records (GET /v2/reports/mdrs through client.reports.listMdrs)", () => {
  // Numbers of their own: detail records outlive the log that beforeEach clears, as Telnyx's would.
  const ADA = "+15551230041";
  const OTHER = "+15551230042";
  const BEA = "+15551230043";

  test("exist exactly for what the network took: sends, timeouts it accepted, shopper texts — not refusals", async () => {
    const since = new Date().toISOString();
    const sent = await sendSms(client, { from: STORE, to: ADA, text: "taken" });
    await sendSms(client, { from: STORE, to: OTHER, text: "someone else" });
    await control("POST", "/control/faults", { rate429: 1 });
    await sendError(sendSms(client, { from: STORE, to: ADA, text: "rate limited" }));
    await control("POST", "/control/faults", { rate429: 0, rate5xx: 1 });
    await sendError(sendSms(client, { from: STORE, to: ADA, text: "server error" }));
    const impatient = createTelnyxClient({
      apiKey: API_KEY,
      baseURL: `${simOrigin}/sandbox/telnyx/v2`,
      timeoutMs: 200,
    });
    await control("POST", "/control/faults", { rate5xx: 0, rateTimeout: 1, timeoutMs: 1_000 });
    await sendError(sendSms(impatient, { from: STORE, to: ADA, text: "dropped" }));
    await control("POST", "/control/faults", { timeoutAccepted: true });
    await sendError(sendSms(impatient, { from: STORE, to: ADA, text: "taken, answer lost" }));
    await control("DELETE", "/control/faults");
    await control("POST", "/control/inbound", { from: ADA, to: STORE, text: "hi" });
    await sim.idle();

    const outbound = await client.reports.listMdrs({
      cli: STORE,
      cld: ADA,
      direction: "OUTBOUND",
      start_date: since,
      end_date: new Date().toISOString(),
    });
    const texts = new Map(sim.log.list({ phone: ADA, direction: "outbound" }).map((m) => [m.id, m.text]));
    expect(outbound.data?.map((r) => texts.get(r.id!))).toEqual(["taken", "taken, answer lost"]);
    expect(outbound.data?.[0]).toEqual({
      record_type: "message_detail_record",
      id: sent.providerMessageId,
      cli: STORE,
      cld: ADA,
      direction: "OUTBOUND",
      status: "DELIVERED",
      created_at: expect.any(String),
      message_type: "SMS",
      parts: 1,
      rate: "0.0040",
      cost: "0.0040",
      currency: "USD",
      profile_name: expect.any(String),
    });
    expect(outbound.meta).toEqual({ page_number: 1, page_size: 20, total_pages: 1, total_results: 2 });

    const inbound = await client.reports.listMdrs({ cli: ADA, direction: "INBOUND" });
    expect(inbound.data).toEqual([expect.objectContaining({ cli: ADA, cld: STORE, status: "RECEIVED" })]);
    const all = await client.reports.listMdrs({ cli: STORE, start_date: since });
    expect(all.data?.map((r) => r.cld).sort()).toEqual([ADA, ADA, OTHER]);
  });

  test("filter by time window, survive a cleared phone log, and need the API key", async () => {
    const sent = await sendSms(client, { from: STORE, to: BEA, text: "windowed" });
    const at = Date.parse((await client.reports.listMdrs({ id: sent.providerMessageId })).data![0].created_at!);
    const window = (from: number, to: number) =>
      client.reports
        .listMdrs({ cld: BEA, start_date: new Date(from).toISOString(), end_date: new Date(to).toISOString() })
        .then((r) => r.data?.map((d) => d.id));
    expect(await window(at - 1_000, at + 1_000)).toEqual([sent.providerMessageId]);
    expect(await window(at + 1, at + 60_000)).toEqual([]);
    expect(await window(at - 60_000, at - 1)).toEqual([]);

    await control("DELETE", "/control/log");
    expect((await client.reports.listMdrs({ id: sent.providerMessageId })).data).toHaveLength(1);

    const bad = await fetch(`${simOrigin}/sandbox/telnyx/v2/reports/mdrs?start_date=yesterday`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0]).toMatchObject({ code: "10015", source: { parameter: "start_date" } });
    const anonymous = await fetch(`${simOrigin}/sandbox/telnyx/v2/reports/mdrs`);
    expect(anonymous.status).toBe(401);
  });
});

describe("opt-outs", () => {
  test("a shopper's STOP blocks sends with a permanent 40300 until START", async () => {
    const stop = await control("POST", "/control/inbound", { from: SHOPPER, to: STORE, text: " stop " });
    expect(stop.body.status).toBe(200);

    const error = await sendError(sendSms(client, { from: STORE, to: SHOPPER, text: "Last chance: 20% off!" }));
    expect(error).toMatchObject({ kind: "permanent", code: "40300", httpStatus: 422 });

    const page = await client.messagingOptouts.list({ filter: { from: STORE } });
    expect(page.data).toEqual([expect.objectContaining({ from: STORE, to: SHOPPER, keyword: "STOP" })]);

    await control("POST", "/control/inbound", { from: SHOPPER, to: STORE, text: "START" });
    await expect(sendSms(client, { from: STORE, to: SHOPPER, text: "Welcome back" })).resolves.toMatchObject({
      status: "queued",
    });
  });

  test("a sentence containing stop is not a carrier opt-out", async () => {
    await control("POST", "/control/inbound", {
      from: SHOPPER,
      to: STORE,
      text: "can't stop smiling, when does it ship?",
    });
    await expect(sendSms(client, { from: STORE, to: SHOPPER, text: "Tomorrow!" })).resolves.toBeTruthy();
  });

  test("blockedMode finalize: accepted, then sending_failed with 40300", async () => {
    await control("POST", "/control/faults", { blockedNumbers: [SHOPPER], blockedMode: "finalize" });
    const sent = await sendSms(client, { from: STORE, to: SHOPPER, text: "hi" });
    await sim.idle();
    const events = eventsFor(sent.providerMessageId);
    expect(events.map((e) => e.type)).toEqual(["message.finalized"]);
    const finalized = events[0];
    if (finalized.type !== "message.finalized") throw new Error("unreachable");
    expect(finalized.payload.to[0].status).toBe("sending_failed");
    expect(finalized.payload.errors[0].code).toBe("40300");
  });
});

describe("inbound texts", () => {
  test("POST /control/inbound posts a signed message.received and records it", async () => {
    const response = await control("POST", "/control/inbound", {
      from: SHOPPER,
      to: STORE,
      text: "Where is my order?",
    });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe(200);
    expect(response.body.event.data).toMatchObject({ record_type: "event", event_type: "message.received" });
    expect(response.body.event.meta).toEqual({ attempt: 1, delivered_to: receiverUrl });

    expect(received).toHaveLength(1);
    expect(verify(received[0]).ok).toBe(true);
    const parsed = parseTelnyxEventBody(received[0].rawBody);
    if (!parsed.ok || parsed.event.type !== "message.received") throw new Error("expected message.received");
    expect(parsed.event.id).toBe(response.body.event.data.id);
    expect(parsed.event.payload).toMatchObject({
      direction: "inbound",
      text: "Where is my order?",
      from: { phone_number: SHOPPER },
      to: [{ phone_number: STORE }],
    });

    const [entry] = await logFor(SHOPPER);
    expect(entry).toMatchObject({ direction: "inbound", from: SHOPPER, to: STORE, status: "received", appStatus: 200 });
  });

  test("<script> in a text survives as text, both ways", async () => {
    const text = `<script>alert("pwned")</script> & <b>bold</b>`;
    const inbound = await control("POST", "/control/inbound", { from: SHOPPER, to: STORE, text });
    expect(inbound.body.event.data.payload.text).toBe(text);
    await sendSms(client, { from: STORE, to: SHOPPER, text });
    const log = await logFor(SHOPPER);
    expect(log.map((m) => m.text)).toEqual([text, text]);
  });

  test("a failing app gets the event again, up to 3 attempts, each signed afresh", async () => {
    receiverStatuses = [500, 503];
    const response = await control("POST", "/control/inbound", { from: SHOPPER, to: STORE, text: "retry me" });
    expect(response.body.status).toBe(500);
    await sim.idle();
    expect(received).toHaveLength(3);
    const attempts = received.map((r) => JSON.parse(r.rawBody).meta.attempt);
    expect(attempts).toEqual([1, 2, 3]);
    expect(new Set(received.map((r) => JSON.parse(r.rawBody).data.id)).size).toBe(1); // same event id: the idempotency key
    for (const r of received) expect(verify(r).ok).toBe(true);
    const [entry] = await logFor(SHOPPER);
    expect(entry.webhooks.map((w) => w.status)).toEqual([500, 503, 200]);
  });

  test("a number that is not the store's is refused", async () => {
    const response = await control("POST", "/control/inbound", { from: SHOPPER, to: "+15009999999", text: "hi" });
    expect(response.status).toBe(422);
    expect(received).toHaveLength(0);
  });

  test("the SSE stream pushes log changes for a phone", async () => {
    const abort = new AbortController();
    const stream = await fetch(`${simOrigin}/sandbox/telnyx/control/stream?phone=${encodeURIComponent(SHOPPER)}`, {
      signal: abort.signal,
    });
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const until = async (pattern: RegExp) => {
      while (!pattern.test(buffer)) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
    };
    await until(/event: snapshot/);
    await control("POST", "/control/inbound", { from: SHOPPER, to: STORE, text: "live update" });
    await until(/event: message\ndata: .*live update/);
    abort.abort();
  });

  test("the phone page is served", async () => {
    const response = await fetch(`${simOrigin}/sandbox/telnyx/phone`);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('data-testid="phone-thread"');
    expect(html).toContain('"apiBase":"/sandbox/telnyx"');
  });
});
