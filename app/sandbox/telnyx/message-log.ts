// What the simulated phone network saw, both directions, newest last. In memory and bounded: it is a simulator,
// and a long benchmark must not grow the process without end. A Map keeps insertion order, so evicting the
// oldest entry is O(1).

export type LogDirection = "inbound" | "outbound";

export interface WebhookAttempt {
  eventId: string;
  eventType: string;
  url: string;
  attempt: number;
  /** HTTP status the app answered, or null when it could not be reached. */
  status: number | null;
  error?: string;
  at: string;
}

export interface SimMessage {
  /** Telnyx message id (`payload.id` in webhooks). */
  id: string;
  /** Telnyx's point of view: "outbound" = store → shopper, "inbound" = shopper → store. */
  direction: LogDirection;
  type: "SMS" | "MMS";
  from: string;
  to: string;
  text: string;
  media: string[];
  parts: number;
  encoding: string;
  /** queued → sent → delivered | delivery_failed | sending_failed for outbound; received for inbound. */
  status: string;
  errors: { code: string; title: string; detail?: string }[];
  createdAt: string;
  updatedAt: string;
  history: { status: string; at: string }[];
  webhooks: WebhookAttempt[];
  /** Inbound only: the HTTP status of the app's first answer to message.received. */
  appStatus?: number | null;
}

export type LogChange = { type: "upsert"; message: SimMessage } | { type: "clear" };

export interface LogFilter {
  /** Matches either end of the message. */
  phone?: string;
  direction?: LogDirection;
  limit?: number;
}

const MAX_WEBHOOK_RECORDS = 20;

export class MessageLog {
  private readonly messages = new Map<string, SimMessage>();
  private readonly listeners = new Set<(change: LogChange) => void>();

  constructor(private readonly limit = 50_000) {}

  get size() {
    return this.messages.size;
  }

  add(message: SimMessage): SimMessage {
    this.messages.set(message.id, message);
    while (this.messages.size > this.limit) {
      const oldest = this.messages.keys().next().value;
      if (oldest === undefined) break;
      this.messages.delete(oldest);
    }
    this.emit({ type: "upsert", message });
    return message;
  }

  get(id: string): SimMessage | undefined {
    return this.messages.get(id);
  }

  setStatus(id: string, status: string, at: string, errors?: SimMessage["errors"]): SimMessage | undefined {
    const message = this.messages.get(id);
    if (!message) return undefined;
    message.status = status;
    message.updatedAt = at;
    message.history.push({ status, at });
    if (errors) message.errors = errors;
    this.emit({ type: "upsert", message });
    return message;
  }

  recordWebhook(id: string, attempt: WebhookAttempt, patch: Partial<Pick<SimMessage, "appStatus">> = {}) {
    const message = this.messages.get(id);
    if (!message) return;
    message.webhooks.push(attempt);
    if (message.webhooks.length > MAX_WEBHOOK_RECORDS) message.webhooks.shift();
    Object.assign(message, patch);
    this.emit({ type: "upsert", message });
  }

  list(filter: LogFilter = {}): SimMessage[] {
    const result: SimMessage[] = [];
    for (const message of this.messages.values()) {
      if (filter.direction && message.direction !== filter.direction) continue;
      if (filter.phone && message.from !== filter.phone && message.to !== filter.phone) continue;
      result.push(message);
    }
    return filter.limit && result.length > filter.limit ? result.slice(-filter.limit) : result;
  }

  clear() {
    this.messages.clear();
    this.emit({ type: "clear" });
  }

  subscribe(listener: (change: LogChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: LogChange) {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // a broken SSE client must not break the simulator
      }
    }
  }
}
