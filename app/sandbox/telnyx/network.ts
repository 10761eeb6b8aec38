import type { MessagingInboundMessagePayload, OutboundMessagePayload } from "telnyx/resources/messages/messages";
import type { FaultInjector } from "./faults";
import type { MessageLog, SimMessage, WebhookAttempt } from "./message-log";
import type { OptOutRegistry } from "./optouts";
import {
  eventEnvelope,
  inboundPayload,
  newOutboundState,
  outboundResource,
  type InboundInput,
  type OutboundState,
} from "./resources";
import { countSegments } from "./segments";
import { isE164, type SendRequest, type TelnyxApiError } from "./validate";
import type { WebhookSender } from "./webhook-sender";

// The simulated phone network behind the HTTP layer: it accepts sends, walks each message through
// queued → sent → delivered / delivery_failed with signed webhooks at each step, and carries shoppers' texts to
// the app as message.received. No HTTP concerns here, so tests and the router share one behaviour.

export interface NetworkOptions {
  webhookUrl: () => string;
  storeNumbers: () => string[];
  now: () => Date;
  profileId: string;
  sender: WebhookSender;
  log: MessageLog;
  faults: FaultInjector;
  optOuts: OptOutRegistry;
  /** Delay before message.sent, then before message.finalized. */
  sentAfterMs: number;
  finalizedAfterMs: number;
  resourceLimit: number;
}

export type AcceptResult =
  { ok: true; resource: OutboundMessagePayload } | { ok: false; status: number; errors: TelnyxApiError[] };

export interface InboundResult {
  /** HTTP status of the app's first answer; null when it could not be reached. */
  status: number | null;
  /** The event exactly as first posted (meta included). */
  event: {
    data: { id: string; event_type: "message.received"; payload: MessagingInboundMessagePayload };
    meta: { attempt: number; delivered_to: string };
  };
  rawBody: string;
  error?: string;
}

export class InboundRejected extends Error {
  constructor(public readonly errors: TelnyxApiError[]) {
    super(errors.map((e) => e.detail).join(" "));
  }
}

const STOP_BLOCK: TelnyxApiError = {
  code: "40300",
  title: "Blocked due to STOP message",
  detail: "",
  source: { pointer: "/to" },
};

export class SimulatedNetwork {
  private readonly states = new Map<string, OutboundState>();
  private readonly closing = new AbortController();

  constructor(private readonly options: NetworkOptions) {}

  private isBlocked(phone: string) {
    return this.options.optOuts.isBlocked(phone) || this.options.faults.get().blockedNumbers.includes(phone);
  }

  /** Telnyx's decision on a valid send request. */
  accept(request: SendRequest): AcceptResult {
    const faults = this.options.faults.get();
    const blocked = this.isBlocked(request.to);
    if (blocked && faults.blockedMode === "refuse") {
      const detail = `Messages cannot be sent to ${request.to}: the recipient opted out (STOP).`;
      return { ok: false, status: 422, errors: [{ ...STOP_BLOCK, detail }] };
    }
    const at = this.options.now().toISOString();
    const state = newOutboundState(request, {
      profileId: request.messagingProfileId ?? this.options.profileId,
      landline: faults.landlineNumbers.includes(request.to),
      at,
    });
    this.remember(state);
    const resource = outboundResource(state);
    this.options.log.add(logEntry(state, resource, at));
    const failure: TelnyxApiError | undefined = blocked
      ? { ...STOP_BLOCK, detail: "The recipient opted out (STOP)." }
      : faults.landlineNumbers.includes(request.to)
        ? {
            code: "40001",
            title: "Not routable",
            detail: "The destination number is a landline or a non-routable wireless number.",
          }
        : faults.undeliverableNumbers.includes(request.to)
          ? { code: "40008", title: "Undeliverable", detail: "The recipient carrier did not accept the message." }
          : undefined;
    void this.options.sender.track(this.walk(state, failure, blocked));
    return { ok: true, resource };
  }

  retrieve(id: string): OutboundMessagePayload | undefined {
    const state = this.states.get(id);
    return state && outboundResource(state);
  }

  /** A shopper texts the store: records it, applies STOP/START, and posts a signed message.received. */
  async receive(input: InboundInput): Promise<InboundResult> {
    const errors: TelnyxApiError[] = [];
    if (!isE164(input.from))
      errors.push({
        code: "10016",
        title: "Phone number must be in +E.164 format",
        detail: "'from' must be +E.164.",
        source: { pointer: "/from" },
      });
    if (!isE164(input.to))
      errors.push({
        code: "10016",
        title: "Phone number must be in +E.164 format",
        detail: "'to' must be +E.164.",
        source: { pointer: "/to" },
      });
    const storeNumbers = this.options.storeNumbers();
    if (isE164(input.to) && storeNumbers.length && !storeNumbers.includes(input.to)) {
      errors.push({
        code: "10005",
        title: "Resource not found",
        detail: `${input.to} is not one of the store's numbers (${storeNumbers.join(", ")}).`,
        source: { pointer: "/to" },
      });
    }
    if (typeof input.text !== "string" || (input.text.length === 0 && !input.media?.length)) {
      errors.push({
        code: "10004",
        title: "Missing required parameter",
        detail: "'text' or 'media' is required.",
        source: { pointer: "/text" },
      });
    }
    if (errors.length) throw new InboundRejected(errors);

    const at = this.options.now().toISOString();
    const url = this.options.webhookUrl();
    const payload = inboundPayload(input, { profileId: this.options.profileId, at, webhookUrl: url });
    const envelope = eventEnvelope("message.received", payload, at);
    const segments = countSegments(input.text);
    this.options.log.add({
      id: payload.id!,
      direction: "inbound",
      type: payload.type === "MMS" ? "MMS" : "SMS",
      from: input.from,
      to: input.to,
      text: input.text,
      media: (payload.media ?? []).map((m) => m.url ?? ""),
      parts: payload.parts ?? 1,
      encoding: segments.encoding,
      status: "received",
      errors: [],
      createdAt: at,
      updatedAt: at,
      history: [{ status: "received", at }],
      webhooks: [],
    });
    this.options.optOuts.applyInbound({
      shopper: input.from,
      storeNumber: input.to,
      text: input.text,
      profileId: this.options.profileId,
      at,
    });

    // Answer with the app's first response; retries (if the app failed) carry on in the background.
    return new Promise<InboundResult>((resolve) => {
      let first = true;
      const delivery = this.options.sender.deliver(envelope, [url], (attempt) => {
        const { rawBody, ...record } = attempt;
        this.options.log.recordWebhook(payload.id!, record, first ? { appStatus: record.status } : {});
        if (!first) return;
        first = false;
        resolve({
          status: record.status,
          event: JSON.parse(rawBody) as InboundResult["event"],
          rawBody,
          ...(record.error ? { error: record.error } : {}),
        });
      });
      void delivery.then(() => {
        if (!first) return; // only when the simulator closed before the first attempt
        first = false;
        const event = { ...envelope, meta: { attempt: 0, delivered_to: url } } as InboundResult["event"];
        resolve({ status: null, event, rawBody: "", error: "the simulator is closing" });
      });
    });
  }

  close() {
    this.closing.abort();
  }

  private remember(state: OutboundState) {
    this.states.set(state.id, state);
    while (this.states.size > this.options.resourceLimit) {
      const oldest = this.states.keys().next().value;
      if (oldest === undefined) break;
      this.states.delete(oldest);
    }
  }

  private async walk(state: OutboundState, failure: TelnyxApiError | undefined, blocked: boolean) {
    const urls = [state.request.webhookUrl ?? this.options.webhookUrl(), state.request.webhookFailoverUrl].filter(
      (u): u is string => Boolean(u),
    );
    if (!blocked) {
      await this.wait(this.options.sentAfterMs);
      if (this.closing.signal.aborted) return;
      state.status = "sent";
      state.sentAt = this.options.now().toISOString();
      await this.publish(state, "message.sent", urls);
    }
    await this.wait(this.options.finalizedAfterMs);
    if (this.closing.signal.aborted) return;
    state.completedAt = this.options.now().toISOString();
    // A profile-level block never reaches a carrier: sending_failed. A carrier refusal: delivery_failed.
    state.status = failure ? (blocked ? "sending_failed" : "delivery_failed") : "delivered";
    state.errors = failure ? [failure] : [];
    await this.publish(state, "message.finalized", urls);
  }

  private async publish(state: OutboundState, type: "message.sent" | "message.finalized", urls: string[]) {
    const at = type === "message.sent" ? state.sentAt! : state.completedAt!;
    this.options.log.setStatus(
      state.id,
      state.status,
      at,
      state.errors.map(({ code, title, detail }) => ({ code, title, detail })),
    );
    await this.options.sender.deliver(
      eventEnvelope(type, outboundResource(state), at),
      urls,
      ({ rawBody: _raw, ...record }) => this.options.log.recordWebhook(state.id, record as WebhookAttempt),
    );
  }

  private wait(ms: number): Promise<void> {
    if (ms <= 0 || this.closing.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const signal = this.closing.signal;
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

function logEntry(state: OutboundState, resource: OutboundMessagePayload, at: string): SimMessage {
  return {
    id: state.id,
    direction: "outbound",
    type: state.request.type,
    from: state.request.from,
    to: state.request.to,
    text: state.request.text,
    media: state.request.mediaUrls,
    parts: resource.parts ?? 1,
    encoding: resource.encoding ?? "GSM-7",
    status: state.status,
    errors: [],
    createdAt: at,
    updatedAt: at,
    history: [{ status: state.status, at }],
    webhooks: [],
  };
}
