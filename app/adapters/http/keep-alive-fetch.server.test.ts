import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTelnyxClient, sendSms } from "~/adapters/telnyx/client.server";
import { keepAliveFetch } from "./keep-alive-fetch.server";

// keepAliveFetch against a real node:http server on a real socket: what the Telnyx SDK needs of fetch (status,
// headers, JSON both ways, aborts, refused connections), and the SDK's own error classes on top of it.

type Seen = { method?: string; headers: http.IncomingHttpHeaders; body: string; port?: number };
let seen: Seen[] = [];
let origin = "";
const server = http.createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    seen.push({ method: req.method, headers: req.headers, body, port: req.socket.remotePort });
    if (req.url?.startsWith("/hang")) return; // never answers
    if (req.url === "/empty") return res.writeHead(204).end();
    if (req.url === "/v2/messages") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(
        JSON.stringify({
          data: { id: "msg-1", parts: 1, encoding: "GSM-7", to: [{ phone_number: "+15551230001", status: "queued" }] },
        }),
      );
    }
    res.writeHead(201, { "content-type": "application/json", "x-ratelimit-remaining": "9" });
    res.end(JSON.stringify({ echo: body, method: req.method }));
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("keepAliveFetch", () => {
  const fetchIt = keepAliveFetch;

  test("sends method, headers and body; answers a standard Response with status, headers, JSON and url", async () => {
    seen = [];
    const response = await fetchIt(`${origin}/echo`, {
      method: "POST",
      headers: new Headers({ "content-type": "application/json", authorization: "Bearer KEY_x" }),
      body: JSON.stringify({ text: "Hi ✓" }),
    });
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.ok, response.headers.get("x-ratelimit-remaining"), response.url]).toEqual([
      201,
      true,
      "9",
      `${origin}/echo`,
    ]);
    expect(await response.json()).toEqual({ echo: '{"text":"Hi ✓"}', method: "POST" });
    expect(seen[0].headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer KEY_x",
      "content-length": String(Buffer.byteLength('{"text":"Hi ✓"}')),
    });
  });

  test("a text body nobody labelled is labelled as fetch labels it; a 204 has no body", async () => {
    seen = [];
    await (await fetchIt(`${origin}/echo`, { method: "POST", body: "plain" })).text();
    expect(seen[0].headers["content-type"]).toBe("text/plain;charset=UTF-8");
    const empty = await fetchIt(`${origin}/empty`);
    expect([empty.status, empty.body, seen[1].method]).toEqual([204, null, "GET"]);
  });

  test("keeps the connection: requests one after another use one socket", async () => {
    seen = [];
    for (let i = 0; i < 3; i++) await (await fetchIt(`${origin}/echo`)).text();
    expect(new Set(seen.map((s) => s.port)).size).toBe(1);
  });

  test("an aborted signal rejects with an AbortError, as fetch does", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(fetchIt(`${origin}/hang`, { signal: controller.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
  });

  test("a refused connection rejects with the system error's code", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchIt(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  test("a body it does not send itself (search parameters) goes to the global fetch", async () => {
    seen = [];
    const response = await fetchIt(`${origin}/echo`, { method: "POST", body: new URLSearchParams({ a: "1" }) });
    expect(await response.json()).toEqual({ echo: "a=1", method: "POST" });
    expect(seen[0].headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
  });
});

describe("the Telnyx SDK on keepAliveFetch", () => {
  const client = (timeoutMs = 2_000) =>
    createTelnyxClient({ apiKey: "KEY_x", baseURL: `${origin}/v2`, timeoutMs, fetch: keepAliveFetch });

  test("a send is parsed as the SDK parses it", async () => {
    const sent = await sendSms(client(), { from: "+15005550100", to: "+15551230001", text: "Hi" });
    expect(sent).toMatchObject({ providerMessageId: "msg-1", status: "queued", parts: 1 });
  });

  test("no answer in time is the SDK's timeout: transient, and ambiguous (Telnyx may have taken it)", async () => {
    const hanging = createTelnyxClient({
      apiKey: "KEY_x",
      baseURL: `${origin}/hang`,
      timeoutMs: 100,
      fetch: keepAliveFetch,
    });
    await expect(sendSms(hanging, { from: "+15005550100", to: "+15551230001", text: "x" })).rejects.toMatchObject({
      code: "timeout",
      ambiguous: true,
    });
  });

  test("a refused connection is a connection error that certainly sent nothing", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = createTelnyxClient({
      apiKey: "KEY_x",
      baseURL: `http://127.0.0.1:${port}/v2`,
      fetch: keepAliveFetch,
    });
    await expect(sendSms(refused, { from: "+15005550100", to: "+15551230001", text: "x" })).rejects.toMatchObject({
      code: "connection",
      ambiguous: false,
    });
  });
});
