import Telnyx, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "telnyx";
import { keepAliveFetch } from "~/adapters/http/keep-alive-fetch.server";
import { errorInfo, errorReason } from "./error-codes";

export { errorInfo, errorReason } from "./error-codes";

// The one place Parley talks to the Telnyx SDK. The SDK (7.24.0) already retries 408/409/429/5xx and
// connection errors on its own (maxRetries, default 2) — but a retried POST /v2/messages after a timeout can
// text someone twice, because Telnyx has no idempotency key for messages. The send engine owns retries and
// pacing, so this client defaults to maxRetries 0 and hands every failure back as a classified TelnyxSendError.

export const TELNYX_DEFAULT_BASE_URL = "https://api.telnyx.com/v2";
const DEFAULT_TIMEOUT_MS = 10_000; // the SDK's default is 60 s: far too long to hold a send worker

export interface TelnyxClientOptions {
  apiKey: string;
  /** e.g. `${origin}/sandbox/telnyx/v2` for the sandbox; defaults to the real API. */
  baseURL?: string;
  timeoutMs?: number;
  /** SDK-level retries. 0 (the default) leaves retrying to the caller. */
  maxRetries?: number;
  /** Lets `client.webhooks.unwrap` verify without passing a key each time. */
  publicKeyB64?: string;
  /** Default: keepAliveFetch (one pool of kept-alive connections per process). */
  fetch?: typeof fetch;
}

// The SDK's requests are small JSON both ways; node:http with keep-alive costs less CPU per send than the global
// fetch (decision 0014) and answers the same standard Response.

export type TelnyxClient = Telnyx;

export function createTelnyxClient(options: TelnyxClientOptions): TelnyxClient {
  // Every option is passed explicitly: the SDK otherwise falls back to TELNYX_BASE_URL / TELNYX_PUBLIC_KEY /
  // TELNYX_CLIENT_ID from process.env, which would let a stray variable redirect a shop's traffic.
  return new Telnyx({
    apiKey: options.apiKey,
    publicKey: options.publicKeyB64 ?? null,
    clientID: null,
    clientSecret: null,
    baseURL: options.baseURL ?? TELNYX_DEFAULT_BASE_URL,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? 0,
    fetch: options.fetch ?? keepAliveFetch,
  });
}

export interface SendSmsInput {
  from: string;
  to: string;
  text?: string;
  mediaUrls?: string[];
  subject?: string;
  messagingProfileId?: string;
  webhookUrl?: string;
  webhookFailoverUrl?: string;
  signal?: AbortSignal;
}

export interface SentSms {
  providerMessageId: string;
  /** `to[0].status`, normally "queued". */
  status: string;
  parts: number;
  encoding?: string;
  carrier?: string;
  lineType?: string;
  cost?: { amount: string; currency: string };
  /** Seconds Telnyx will hold the message because of rate limits (0 when none). */
  waitSeconds?: number;
}

export type TelnyxSendErrorKind = "transient" | "permanent";

export interface TelnyxSendErrorFields {
  kind: TelnyxSendErrorKind;
  reason: string;
  code?: string;
  title?: string;
  detail?: string;
  httpStatus?: number;
  retryAfterMs?: number;
  rateLimit?: { limit?: number; remaining?: number; resetMs?: number };
  /** True when Telnyx may have accepted the message anyway (timeout, connection lost after sending). */
  ambiguous: boolean;
}

export class TelnyxSendError extends Error implements TelnyxSendErrorFields {
  readonly kind: TelnyxSendErrorKind;
  readonly reason: string;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly rateLimit?: { limit?: number; remaining?: number; resetMs?: number };
  readonly ambiguous: boolean;

  constructor(fields: TelnyxSendErrorFields, options?: { cause?: unknown }) {
    const where = fields.httpStatus ? `HTTP ${fields.httpStatus}` : "no response";
    super(
      `Telnyx send failed (${fields.kind}, ${where}${fields.code ? `, code ${fields.code}` : ""}): ${fields.reason}`,
      options,
    );
    this.name = "TelnyxSendError";
    this.kind = fields.kind;
    this.reason = fields.reason;
    this.code = fields.code;
    this.title = fields.title;
    this.detail = fields.detail;
    this.httpStatus = fields.httpStatus;
    this.retryAfterMs = fields.retryAfterMs;
    this.rateLimit = fields.rateLimit;
    this.ambiguous = fields.ambiguous;
  }
}

export async function sendSms(client: TelnyxClient, input: SendSmsInput): Promise<SentSms> {
  let response: Awaited<ReturnType<TelnyxClient["messages"]["send"]>>;
  try {
    response = await client.messages.send(
      {
        from: input.from,
        to: input.to,
        text: input.text,
        media_urls: input.mediaUrls?.length ? input.mediaUrls : undefined,
        subject: input.subject,
        messaging_profile_id: input.messagingProfileId,
        webhook_url: input.webhookUrl,
        webhook_failover_url: input.webhookFailoverUrl,
      },
      input.signal ? { signal: input.signal } : undefined,
    );
  } catch (error) {
    throw toTelnyxSendError(error);
  }
  const data = response?.data;
  if (!data?.id) {
    // Accepted (2xx) but unidentifiable: retrying could double-text, and there is nothing to reconcile with.
    throw new TelnyxSendError({ kind: "permanent", reason: "Telnyx answered without a message id", ambiguous: true });
  }
  const recipient = data.to?.[0];
  const cost =
    data.cost?.amount != null ? { amount: String(data.cost.amount), currency: data.cost.currency ?? "USD" } : undefined;
  return {
    providerMessageId: data.id,
    status: recipient?.status ?? "queued",
    parts: data.parts ?? 1,
    encoding: data.encoding,
    carrier: recipient?.carrier || undefined,
    lineType: recipient?.line_type || undefined,
    cost,
    waitSeconds: data.wait_seconds ?? undefined,
  };
}

interface TelnyxErrorBody {
  errors?: Array<{ code?: string | number; title?: string; detail?: string }>;
}

function firstError(body: unknown) {
  const item = (body as TelnyxErrorBody | undefined)?.errors?.[0];
  return item
    ? { code: item.code === undefined ? undefined : String(item.code), title: item.title, detail: item.detail }
    : {};
}

function numberHeader(headers: Headers | undefined, name: string): number | undefined {
  const value = headers?.get(name);
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * How long the server asked us to wait: `retry-after-ms`, then `Retry-After` (seconds or an HTTP date), then
 * `x-ratelimit-reset` (seconds until reset, or a Unix time in seconds when it is that large).
 */
export function retryAfterMsFrom(headers: Headers | undefined, nowMs = Date.now()): number | undefined {
  const ms = numberHeader(headers, "retry-after-ms");
  if (ms !== undefined && ms >= 0) return ms;
  const retryAfter = headers?.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const reset = numberHeader(headers, "x-ratelimit-reset");
  if (reset !== undefined && reset >= 0) return reset > 1e9 ? Math.max(0, reset * 1000 - nowMs) : reset * 1000;
  return undefined;
}

function rateLimitFrom(headers: Headers | undefined, nowMs: number) {
  const limit = numberHeader(headers, "x-ratelimit-limit");
  const remaining = numberHeader(headers, "x-ratelimit-remaining");
  const reset = numberHeader(headers, "x-ratelimit-reset");
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  const resetMs = reset === undefined ? undefined : reset > 1e9 ? Math.max(0, reset * 1000 - nowMs) : reset * 1000;
  return { limit, remaining, resetMs };
}

const NEVER_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies anything `client.messages.send` can throw. Exported for the engine's other Telnyx calls. */
export function toTelnyxSendError(error: unknown, nowMs = Date.now()): TelnyxSendError {
  if (error instanceof TelnyxSendError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new TelnyxSendError(
      {
        kind: "transient",
        code: "timeout",
        reason: "Telnyx did not answer in time; it may still have accepted the message",
        ambiguous: true,
      },
      { cause: error },
    );
  }
  if (error instanceof APIUserAbortError) {
    return new TelnyxSendError(
      { kind: "transient", code: "aborted", reason: "The send was aborted before Telnyx answered", ambiguous: true },
      { cause: error },
    );
  }
  if (error instanceof APIConnectionError) {
    const code = causeCode(error);
    const neverSent = code !== undefined && NEVER_SENT.has(code);
    return new TelnyxSendError(
      {
        kind: "transient",
        code: "connection",
        reason: `Could not reach Telnyx${code ? ` (${code})` : ""}`,
        ambiguous: !neverSent,
      },
      { cause: error },
    );
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const { code, title, detail } = firstError(error.error);
    const headers = error.headers;
    const shouldRetry = headers?.get("x-should-retry");
    const transientStatus = status === 408 || status === 409 || status === 429 || status >= 500;
    let kind: TelnyxSendErrorKind = transientStatus ? "transient" : "permanent";
    if (shouldRetry === "true") kind = "transient";
    if (shouldRetry === "false") kind = "permanent";
    if (code === "40300") kind = "permanent"; // the shopper said STOP: no retry may ever send this
    const reason = errorInfo(code)
      ? errorReason(code)
      : detail || title || (status === 429 ? errorReason("10011") : `Telnyx answered HTTP ${status}`);
    return new TelnyxSendError(
      {
        kind,
        code: code ?? (status === 429 ? "10011" : undefined),
        title,
        detail,
        httpStatus: status,
        reason,
        retryAfterMs: kind === "transient" ? retryAfterMsFrom(headers, nowMs) : undefined,
        rateLimit: rateLimitFrom(headers, nowMs),
        // A 5xx may come from a proxy after Telnyx queued the message; a 4xx was refused outright.
        ambiguous: status >= 500,
      },
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TelnyxSendError(
    { kind: "transient", reason: `Unexpected error while sending: ${message}`, ambiguous: true },
    { cause: error },
  );
}
