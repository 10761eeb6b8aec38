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

type FetchInput = Parameters<typeof fetch>[0];
type FetchInit = Parameters<typeof fetch>[1];

// Responses that have no body by definition: `new Response(body)` refuses one for them.
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

export function keepAliveFetch(options: { maxSockets?: number } = {}): typeof fetch {
  // An idle connection is closed after 4 s (undici's default too), before a server's usual 5 s keep-alive can close
  // it under a request just written to it; Node also honours a server's own `Keep-Alive: timeout` hint.
  const agentOptions = {
    keepAlive: true,
    timeout: 4_000,
    maxSockets: options.maxSockets ?? 64,
    scheduling: "lifo" as const,
  };
  const agents = { "http:": new http.Agent(agentOptions), "https:": new https.Agent(agentOptions) };

  return async function keepAliveFetchCall(input: FetchInput, init: FetchInit = {}) {
    const body = sendableBody(init.body);
    if (input instanceof Request || body === undefined) return fetch(input, init);
    const url = new URL(input);
    if (url.protocol !== "http:" && url.protocol !== "https:") return fetch(input, init);
    const transport = url.protocol === "https:" ? https : http;

    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    if (body !== null) {
      headers["content-length"] = String(body.length);
      // As fetch labels a text body nobody labelled.
      if (typeof init.body === "string") headers["content-type"] ??= "text/plain;charset=UTF-8";
    }

    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method: init.method ?? "GET",
          headers,
          agent: agents[url.protocol as "http:" | "https:"],
          signal: init.signal ?? undefined,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            const responseHeaders = new Headers();
            for (let i = 0; i < response.rawHeaders.length; i += 2)
              responseHeaders.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
            const answer = new Response(NULL_BODY_STATUS.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: response.statusMessage,
              headers: responseHeaders,
            });
            Object.defineProperty(answer, "url", { value: url.href });
            resolve(answer);
          });
        },
      );
      // A refused connection, a reset, or the signal's abort (an AbortError, as fetch rejects with).
      request.on("error", reject);
      request.end(body ?? undefined);
    });
  };
}

/** The body as bytes to write (null: none); undefined when it is a kind this fetch leaves to the global one. */
function sendableBody(body: BodyInit | null | undefined): Buffer | null | undefined {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}
