import type { KeyObject } from "node:crypto";
import { keepAliveRequest } from "~/adapters/http/keep-alive-fetch.server";
import { signWebhook } from "./keys";
import type { WebhookAttempt } from "./message-log";
import type { EventEnvelope } from "./resources";

// Delivers signed webhooks the way Telnyx does: POST JSON with `telnyx-signature-ed25519` and
// `telnyx-timestamp`, up to 3 attempts per URL on a non-2xx answer or no answer, then the failover URL.
// Each attempt is a new body (meta.attempt changes), so each is signed afresh.

export const ATTEMPTS_PER_URL = 3;

export interface WebhookSenderOptions {
  privateKey: KeyObject;
  now: () => Date;
  /** Per-attempt deadline. Telnyx expects an answer within about 2 s; the simulator is more patient. */
  timeoutMs?: number;
  /** Pauses before the 2nd and 3rd attempts. */
  retryDelaysMs?: number[];
  /** Delivers through this instead of node:http (tests route webhooks in-process with it). */
  fetch?: typeof fetch;
}

export interface DeliveryResult {
  delivered: boolean;
  /** Status of the last attempt (null: no answer). */
  status: number | null;
  attempts: WebhookAttempt[];
}

export class WebhookSender {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly stopper = new AbortController();

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Signs and POSTs one attempt; never throws. */
  async attempt(
    envelope: Omit<EventEnvelope, "meta">,
    url: string,
    attempt: number,
  ): Promise<WebhookAttempt & { rawBody: string }> {
    const rawBody = JSON.stringify({ ...envelope, meta: { attempt, delivered_to: url } });
    const timestamp = Math.floor(this.options.now().getTime() / 1000);
    const record = { eventId: envelope.data.id, eventType: envelope.data.event_type, url, attempt, rawBody };
    const at = this.options.now().toISOString();
    try {
      const headers = {
        "content-type": "application/json",
        "user-agent": "telnyx-webhooks (parley sandbox)",
        "telnyx-signature-ed25519": signWebhook(this.options.privateKey, rawBody, timestamp),
        "telnyx-timestamp": String(timestamp),
      };
      const signal = AbortSignal.any([this.stopper.signal, AbortSignal.timeout(this.options.timeoutMs ?? 10_000)]);
      const status = this.options.fetch
        ? await this.options.fetch(url, { method: "POST", headers, body: rawBody, signal }).then(async (response) => {
            await response.arrayBuffer().catch(() => undefined); // drain, so keep-alive sockets are reused
            return response.status;
          })
        : // Over node:http with kept-alive sockets rather than fetch: the simulator posts two receipts per text it
          // accepts, on the machine (in the sandbox, in the process) of the app it posts to, and fetch's streams cost
          // several times more CPU per small POST.
          (await keepAliveRequest(new URL(url), { method: "POST", headers, body: Buffer.from(rawBody), signal }))
            .status;
      return { ...record, status, at };
    } catch (error) {
      const message =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return { ...record, status: null, error: message, at };
    }
  }

  /**
   * Runs the whole delivery (retries included) in the background. `onAttempt` sees every attempt as it
   * happens; the returned promise settles when delivery is over.
   */
  deliver(
    envelope: Omit<EventEnvelope, "meta">,
    urls: string[],
    onAttempt?: (attempt: WebhookAttempt & { rawBody: string }) => void,
  ): Promise<DeliveryResult> {
    const run = (async (): Promise<DeliveryResult> => {
      const attempts: WebhookAttempt[] = [];
      let status: number | null = null;
      for (const url of urls) {
        for (let n = 1; n <= ATTEMPTS_PER_URL; n++) {
          if (this.stopper.signal.aborted) return { delivered: false, status, attempts };
          if (n > 1) await this.pause(this.options.retryDelaysMs?.[n - 2] ?? 1000 * (n - 1));
          const result = await this.attempt(envelope, url, n);
          attempts.push(result);
          status = result.status;
          onAttempt?.(result);
          if (status !== null && status >= 200 && status < 300) return { delivered: true, status, attempts };
        }
      }
      return { delivered: false, status, attempts };
    })();
    this.track(run);
    return run;
  }

  track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
    return promise;
  }

  /** Resolves once every delivery started so far (and any started meanwhile) has finished. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  stop() {
    this.stopper.abort();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopper.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      const signal = this.stopper.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
