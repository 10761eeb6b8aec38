import http from "node:http";
import https from "node:https";

// `fetch` for API clients that send small JSON requests and read small JSON answers (the Telnyx SDK), on
// node:http with keep-alive agents. The global fetch (undici) builds web streams, Request and Headers objects for
// every call: about 0.2–0.3 ms of CPU per request more on this machine (decision 0014), paid by every text Parley
// sends. The answer is still a standard `Response`, so the SDK reads it as it would any other.
//
// What it does not do, deliberately: follow redirects (API endpoints answer, they do not redirect; a 3xx comes back
// as it is), negotiate compression (none is asked for), stream request bodies. Anything but a string or bytes —
// a Request object, a stream, a form, search parameters or a blob — goes to the global fetch.

// Responses that have no body by definition: `new Response(body)` refuses one for them.
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

// An idle connection is closed after 4 s (undici's default too), before a server's usual 5 s keep-alive can close it
// under a request just written to it; Node also honours a server's own `Keep-Alive: timeout` hint.
const agentOptions = { keepAlive: true, timeout: 4_000, maxSockets: 64, scheduling: "lifo" as const };
const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

export type KeepAliveAnswer = { status: number; statusText?: string; rawHeaders: string[]; body: Buffer };

/**
 * One HTTP(S) request on a kept-alive socket, its answer buffered. Rejects on a refused connection, a reset, or the
 * signal's abort (an AbortError, as fetch rejects with). Shared by keepAliveFetch and the simulator's webhooks.
 */
export function keepAliveRequest(
  url: URL,
  init: { method: string; headers: Record<string, string>; body: Buffer | null; signal?: AbortSignal | null },
): Promise<KeepAliveAnswer> {
  const agent = url.protocol === "http:" || url.protocol === "https:" ? agents[url.protocol] : undefined;
  if (!agent) return Promise.reject(new Error(`not an http(s) URL: ${url.href}`));
  const transport = url.protocol === "https:" ? https : http;
  const headers = init.body === null ? init.headers : { ...init.headers, "content-length": String(init.body.length) };
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      { method: init.method, headers, agent, signal: init.signal ?? undefined },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage,
            rawHeaders: response.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(init.body ?? undefined);
  });
}

export const keepAliveFetch: typeof fetch = async (input, init = {}) => {
  const body = sendableBody(init.body);
  if (input instanceof Request || body === undefined) return fetch(input, init);
  const url = new URL(input);
  if (url.protocol !== "http:" && url.protocol !== "https:") return fetch(input, init);

  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  // As fetch labels a text body nobody labelled.
  if (typeof init.body === "string") headers["content-type"] ??= "text/plain;charset=UTF-8";

  const answer = await keepAliveRequest(url, { method: init.method ?? "GET", headers, body, signal: init.signal });
  const responseHeaders = new Headers();
  for (let i = 0; i < answer.rawHeaders.length; i += 2)
    responseHeaders.append(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
  const response = new Response(NULL_BODY_STATUS.has(answer.status) ? null : (answer.body as Uint8Array<ArrayBuffer>), {
    status: answer.status,
    statusText: answer.statusText,
    headers: responseHeaders,
  });
  Object.defineProperty(response, "url", { value: url.href });
  return response;
};

/** The body as bytes to write (null: none); undefined when it is a kind this fetch leaves to the global one. */
function sendableBody(body: BodyInit | null | undefined): Buffer | null | undefined {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}
