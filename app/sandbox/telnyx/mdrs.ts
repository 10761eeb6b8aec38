import type { ReportListMdrsParams, ReportListMdrsResponse } from "telnyx/resources/reports/reports";
import type { SimMessage } from "./message-log";
import { COST_PER_PART } from "./resources";
import type { TelnyxApiError } from "./validate";

// Message detail records (GET /v2/reports/mdrs), typed against the SDK's `reports.listMdrs`. A record exists for
// exactly the messages the simulated network took: every accepted send (a refusal, a 429/5xx or a dropped
// timeout leaves none) and every shopper text. The engine's reconciliation depends on that: a record for a send
// whose answer was lost means "the provider has it", no record means "it never left".

export type Mdr = ReportListMdrsResponse.Data;
type MdrStatus = NonNullable<Mdr["status"]>;

export interface MdrFilter {
  id?: string;
  cli?: string;
  cld?: string;
  direction?: "INBOUND" | "OUTBOUND";
  messageType?: "SMS" | "MMS";
  status?: MdrStatus;
  start?: Date;
  end?: Date;
}

const MDR_STATUSES: readonly MdrStatus[] = [
  "GW_TIMEOUT",
  "DELIVERED",
  "DLR_UNCONFIRMED",
  "DLR_TIMEOUT",
  "RECEIVED",
  "GW_REJECT",
  "FAILED",
];

export const PROFILE_NAME = "Parley sandbox";

// Telnyx writes the record when it takes the message and updates its status as receipts come in; until a final
// receipt the delivery is, in MDR terms, unconfirmed.
function mdrStatus(message: SimMessage): MdrStatus {
  if (message.direction === "inbound") return "RECEIVED";
  switch (message.status) {
    case "delivered":
      return "DELIVERED";
    case "delivery_failed":
    case "sending_failed":
    case "expired":
      return "FAILED";
    default:
      return "DLR_UNCONFIRMED";
  }
}

export function mdrOf(message: SimMessage): Mdr {
  // Inbound texts are free in the simulator, as their webhook payloads say (cost: null).
  const rate = message.direction === "outbound" ? COST_PER_PART[message.type] : 0;
  return {
    record_type: "message_detail_record",
    id: message.id,
    cli: message.from,
    cld: message.to,
    direction: message.direction === "outbound" ? "OUTBOUND" : "INBOUND",
    status: mdrStatus(message),
    created_at: message.createdAt,
    message_type: message.type,
    parts: message.parts,
    rate: rate.toFixed(4),
    cost: (rate * message.parts).toFixed(4),
    currency: "USD",
    profile_name: PROFILE_NAME,
  };
}

export function matchesMdr(record: Mdr, filter: MdrFilter): boolean {
  if (filter.id && record.id !== filter.id) return false;
  if (filter.cli && record.cli !== filter.cli) return false;
  if (filter.cld && record.cld !== filter.cld) return false;
  if (filter.direction && record.direction !== filter.direction) return false;
  if (filter.messageType && record.message_type !== filter.messageType) return false;
  if (filter.status && record.status !== filter.status) return false;
  const at = Date.parse(record.created_at ?? "");
  if (filter.start && at < filter.start.getTime()) return false;
  if (filter.end && at > filter.end.getTime()) return false;
  return true;
}

const badParam = (parameter: string, detail: string): TelnyxApiError => ({
  code: "10015",
  title: "Bad Request",
  detail,
  source: { parameter },
});

/** Reads the query the SDK sends (`ReportListMdrsParams`); unknown values are a 400 with Telnyx's error shape. */
export function parseMdrQuery(
  query: Record<string, unknown>,
): { ok: true; filter: MdrFilter } | { ok: false; errors: TelnyxApiError[] } {
  const text = (key: keyof ReportListMdrsParams) => {
    const value = query[key];
    return typeof value === "string" && value.length ? value : undefined;
  };
  const errors: TelnyxApiError[] = [];
  const date = (key: "start_date" | "end_date") => {
    const value = text(key);
    if (value === undefined) return undefined;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) {
      errors.push(badParam(key, `'${key}' must be an ISO 8601 date-time.`));
      return undefined;
    }
    return parsed;
  };
  const direction = text("direction")?.toUpperCase();
  if (direction && direction !== "INBOUND" && direction !== "OUTBOUND")
    errors.push(badParam("direction", "'direction' must be INBOUND or OUTBOUND."));
  const messageType = text("message_type")?.toUpperCase();
  if (messageType && messageType !== "SMS" && messageType !== "MMS")
    errors.push(badParam("message_type", "'message_type' must be SMS or MMS."));
  const status = text("status")?.toUpperCase();
  if (status && !(MDR_STATUSES as readonly string[]).includes(status))
    errors.push(badParam("status", `'status' must be one of ${MDR_STATUSES.join(", ")}.`));
  const start = date("start_date");
  const end = date("end_date");
  if (start && end && start > end) errors.push(badParam("end_date", "'end_date' must not be before 'start_date'."));
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    filter: {
      id: text("id"),
      cli: text("cli"),
      cld: text("cld"),
      direction: direction as MdrFilter["direction"],
      messageType: messageType as MdrFilter["messageType"],
      status: status as MdrFilter["status"],
      start,
      end,
    },
  };
}

/**
 * The records the network has written, kept apart from the message log: clearing the phone page's log must not
 * make an accepted message look as if it had never been sent. Bounded like the log.
 */
export class DetailRecords {
  private readonly messages = new Map<string, SimMessage>();

  constructor(private readonly limit = 50_000) {}

  /** Records (or refreshes) the message; the log hands over the same object on every status change. */
  put(message: SimMessage) {
    this.messages.set(message.id, message);
    while (this.messages.size > this.limit) {
      const oldest = this.messages.keys().next().value;
      if (oldest === undefined) break;
      this.messages.delete(oldest);
    }
  }

  values() {
    return this.messages.values();
  }
}

/** Matching records, oldest first, one page of them (`page[number]`, `page[size]`: default 20, at most 250). */
export function listMdrs(
  messages: Iterable<SimMessage>,
  filter: MdrFilter,
  page: { number?: number; size?: number } = {},
): Required<ReportListMdrsResponse> {
  const all: Mdr[] = [];
  for (const message of messages) {
    const record = mdrOf(message);
    if (matchesMdr(record, filter)) all.push(record);
  }
  all.sort((a, b) => Date.parse(a.created_at!) - Date.parse(b.created_at!));
  const size = Math.min(Math.max(Math.trunc(page.size ?? 20) || 20, 1), 250);
  const number = Math.max(Math.trunc(page.number ?? 1) || 1, 1);
  return {
    data: all.slice((number - 1) * size, number * size),
    meta: {
      page_number: number,
      page_size: size,
      total_pages: Math.max(Math.ceil(all.length / size), 1),
      total_results: all.length,
    },
  };
}
