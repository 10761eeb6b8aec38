import type { CountryCode } from "libphonenumber-js";
import { nextConsent, type ConsentStates } from "./consent";
import { normalizePhone } from "./phone";
import { zonedInstant } from "./zoned-time";

// Subscribers in and out as CSV: an RFC 4180 reader, the import's columns and per-row rules, and a writer that is
// safe to open in a spreadsheet. Pure: the import job (app/services/subscribers/import.server.ts) runs these.
//
// What an imported row must prove (compliance.md §4, the stricter reading): the number, WHEN the person consented,
// HOW (the source in the other tool), and at least one piece of evidence that ties the consent to a real act — the
// IP address or the page URL of the sign-up, the disclosure text they agreed to, or who collected it (an in-store
// sign-up sheet). A row without them is refused with its reason: a list of bare numbers is not consent.

// ─── Reading ──────────────────────────────────────────────────────────────────────────────────────────────

export type CsvRecord = { row: number; cells: string[] }; // row: as a spreadsheet numbers it (header = 1)

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/** The delimiter of the first line, outside quotes: ";" or a tab when they outnumber commas (European exports). */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  const [best, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return count > 0 ? best : ",";
}

/**
 * RFC 4180: quoted fields may hold the delimiter, line breaks and doubled quotes; CRLF, LF or CR end a record; a
 * leading byte-order mark and blank lines are ignored. An unterminated quote is an error naming the row.
 */
export function parseCsv(input: string, delimiter = detectDelimiter(input)): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false; // a quote opens a quoted field only at the start of a field
  let row = 1;
  let recordRow = 1;
  const endField = () => {
    cells.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    if (!(cells.length === 1 && cells[0].trim() === "")) records.push({ row: recordRow, cells });
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n" || (ch === "\r" && text[i + 1] !== "\n")) row++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted && field === "") {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) endField();
    else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      row++;
      recordRow = row;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvSyntaxError(`Row ${recordRow} opens a quote that never closes.`, recordRow);
  if (field !== "" || cells.length > 0) endRecord();
  return records;
}

// ─── The import's columns ─────────────────────────────────────────────────────────────────────────────────

export const IMPORT_FIELDS = [
  "phone",
  "first_name",
  "last_name",
  "full_name",
  "email",
  "opted_in_at",
  "consent_source",
  "ip_address",
  "user_agent",
  "page_url",
  "disclosure_text",
  "disclosure_version",
  "keyword",
  "collected_by",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Header names other SMS tools use, normalized (lower case, spaces and dashes as underscores). */
export const COLUMN_ALIASES: Record<ImportField, readonly string[]> = {
  phone: ["phone", "phone_number", "phone_e164", "mobile", "mobile_phone", "mobile_number", "cell", "sms_phone"],
  first_name: ["first_name", "firstname", "given_name"],
  last_name: ["last_name", "lastname", "surname", "family_name"],
  full_name: ["name", "full_name"],
  email: ["email", "email_address", "e_mail"],
  opted_in_at: [
    "opted_in_at",
    "consent_date",
    "consented_at",
    "opt_in_date",
    "optin_date",
    "subscribed_at",
    "consent_timestamp",
  ],
  consent_source: ["consent_source", "marketing_source", "source", "opt_in_source", "signup_source", "opt_in_method"],
  ip_address: ["ip_address", "ip", "consent_ip", "signup_ip"],
  user_agent: ["user_agent", "consent_user_agent"],
  page_url: ["page_url", "consent_url", "signup_url", "form_url", "url"],
  disclosure_text: ["disclosure_text", "disclosure", "consent_text", "consent_language"],
  disclosure_version: ["disclosure_version", "consent_version"],
  keyword: ["keyword", "opt_in_keyword"],
  collected_by: ["consent_collected_by", "collected_by"],
};

/** Evidence columns: a row needs at least one of them filled (besides its date and source). */
export const EVIDENCE_FIELDS = ["ip_address", "page_url", "disclosure_text", "collected_by"] as const;
const REQUIRED_FIELDS = ["phone", "opted_in_at", "consent_source"] as const;

export const FIELD_LABELS: Record<ImportField, string> = {
  phone: "Phone",
  first_name: "First name",
  last_name: "Last name",
  full_name: "Name",
  email: "Email",
  opted_in_at: "Consent date",
  consent_source: "Consent source",
  ip_address: "IP address",
  user_agent: "User agent",
  page_url: "Page URL",
  disclosure_text: "Disclosure text",
  disclosure_version: "Disclosure version",
  keyword: "Keyword",
  collected_by: "Collected by",
};

export const normalizeHeader = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, "_");

export type ColumnMapping = {
  columns: Partial<Record<ImportField, number>>; // field → column index
  mapped: { header: string; field: ImportField | null }[]; // every column of the file, in order
  problems: string[]; // why the file cannot be imported at all; empty when it can
};

/** Which column holds which field (the first column that matches wins), and what the file lacks. */
export function mapColumns(header: string[]): ColumnMapping {
  const columns: Partial<Record<ImportField, number>> = {};
  const mapped = header.map((raw, index) => {
    const name = normalizeHeader(raw);
    const field = IMPORT_FIELDS.find((f) => COLUMN_ALIASES[f].includes(name)) ?? null;
    if (field && columns[field] === undefined) columns[field] = index;
    return { header: raw.trim(), field: field && columns[field] === index ? field : null };
  });
  const problems: string[] = [];
  const missing = REQUIRED_FIELDS.filter((f) => columns[f] === undefined);
  if (missing.length > 0) {
    problems.push(
      `Missing required column${missing.length > 1 ? "s" : ""}: ${missing.map((f) => `${f} (${FIELD_LABELS[f]})`).join(", ")}.`,
    );
  }
  if (!EVIDENCE_FIELDS.some((f) => columns[f] !== undefined)) {
    problems.push(`Add at least one evidence column: ${EVIDENCE_FIELDS.join(", ")}.`);
  }
  return { columns, mapped, problems };
}

// ─── One row ──────────────────────────────────────────────────────────────────────────────────────────────

export type ImportRow = {
  row: number;
  phoneE164: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  consentedAt: Date;
  consentSource: string;
  ipAddress: string | null;
  userAgent: string | null;
  pageUrl: string | null;
  disclosureText: string | null;
  disclosureVersion: string | null;
  keyword: string | null;
  collectedBy: string | null;
};

export type RowRefusal = { row: number; phone: string; reason: string };
export type RowResult = { ok: true; value: ImportRow } | { ok: false; refusal: RowRefusal };

export type RowContext = { now: Date; timeZone: string; defaultCountry?: CountryCode };

// Past this a value is not evidence but noise; cut, not refused.
const MAX = { name: 100, email: 254, source: 200, ip: 45, ua: 1000, url: 2000, disclosure: 4000, short: 100 };
// A consent dated a few minutes ahead is a clock difference between systems, not a future date.
const FUTURE_SLACK_MS = 5 * 60_000;

const clip = (value: string | undefined, max: number): string | null => {
  const text = (value ?? "").trim();
  return text ? text.slice(0, max) : null;
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+(%\w+)?$/i;
const isIp = (ip: string) => IPV4.test(ip) || (ip.includes(":") && IPV6.test(ip));
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A consent date as other tools write it: ISO 8601 with a zone (exact); the same without a zone, "YYYY-MM-DD",
 * or US "M/D/YYYY [h:mm[:ss] [AM|PM]]" (read in the shop's time zone); Unix seconds or milliseconds. Null when
 * it is none of these.
 */
export function parseConsentDate(input: string, timeZone: string): Date | null {
  const text = input.trim();
  if (/^\d{10}$/.test(text)) return new Date(Number(text) * 1000);
  if (/^\d{13}$/.test(text)) return new Date(Number(text));
  const zoned = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})$/i.exec(text);
  if (zoned) {
    const [, date, time, zone] = zoned;
    const offset = zone.toUpperCase() === "Z" ? "Z" : zone.replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2");
    const parsed = new Date(`${date}T${time.replace(/^(\d):/, "0$1:")}${offset}`);
    return Number.isNaN(parsed.getTime()) ? null : parsed;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(text);
  let parts: number[] | null = null;
  if (iso) parts = [+iso[1], +iso[2], +iso[3], +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0)];
  if (!parts) {
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$/i.exec(text);
    if (us) {
      let hour = +(us[4] ?? 0);
      const meridiem = us[7]?.toLowerCase();
      if (meridiem && (hour < 1 || hour > 12)) return null;
      if (meridiem === "pm" && hour < 12) hour += 12;
      if (meridiem === "am" && hour === 12) hour = 0;
      parts = [+us[3], +us[1], +us[2], hour, +(us[5] ?? 0), +(us[6] ?? 0)];
    }
  }
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = parts;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return null;
  return new Date(zonedInstant(timeZone, { year, month, day }, hour * 60 + minute) + second * 1000);
}

/** One data row → what to import, or why not. Duplicates are the file's business (validateRows). */
export function validateRow(record: CsvRecord, mapping: ColumnMapping, ctx: RowContext): RowResult {
  const cell = (field: ImportField) => {
    const index = mapping.columns[field];
    return index === undefined ? "" : (record.cells[index] ?? "").trim();
  };
  const rawPhone = cell("phone").replace(/^'/, ""); // a spreadsheet's "keep as text" apostrophe
  const refuse = (reason: string): RowResult => ({
    ok: false,
    refusal: { row: record.row, phone: rawPhone.slice(0, 40), reason },
  });

  if (!rawPhone) return refuse("No phone number.");
  const phone = normalizePhone(rawPhone, ctx.defaultCountry ?? "US");
  if (!phone.ok) return refuse(`Invalid phone number: ${phone.message}`);

  const rawDate = cell("opted_in_at");
  if (!rawDate) return refuse("Missing evidence: no consent date (opted_in_at).");
  const consentedAt = parseConsentDate(rawDate, ctx.timeZone);
  if (!consentedAt)
    return refuse(`Unreadable consent date "${rawDate.slice(0, 40)}": use ISO 8601, e.g. 2025-03-01T14:30:00Z.`);
  if (consentedAt.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS) return refuse("The consent date is in the future.");

  const consentSource = clip(cell("consent_source"), MAX.source);
  if (!consentSource) return refuse("Missing evidence: no consent source (how the person signed up).");

  const rawIp = cell("ip_address");
  const ipAddress = rawIp && isIp(rawIp) ? rawIp : null;
  const pageUrl = clip(cell("page_url"), MAX.url);
  const disclosureText = clip(cell("disclosure_text"), MAX.disclosure);
  const collectedBy = clip(cell("collected_by"), MAX.source);
  if (!ipAddress && !pageUrl && !disclosureText && !collectedBy) {
    return refuse(
      rawIp
        ? `Missing evidence: "${rawIp.slice(0, 45)}" is not an IP address, and there is no page URL, disclosure text or collector.`
        : "Missing evidence: needs an IP address, page URL, disclosure text or who collected the consent.",
    );
  }

  let firstName = clip(cell("first_name"), MAX.name);
  let lastName = clip(cell("last_name"), MAX.name);
  const fullName = clip(cell("full_name"), MAX.name * 2);
  if (!firstName && !lastName && fullName) {
    const [first, ...rest] = fullName.split(/\s+/);
    firstName = first.slice(0, MAX.name);
    lastName = rest.join(" ").slice(0, MAX.name) || null;
  }
  const email = clip(cell("email"), MAX.email);

  return {
    ok: true,
    value: {
      row: record.row,
      phoneE164: phone.e164,
      firstName,
      lastName,
      email: email && EMAIL.test(email) ? email.toLowerCase() : null,
      consentedAt,
      consentSource,
      ipAddress,
      userAgent: clip(cell("user_agent"), MAX.ua),
      pageUrl,
      disclosureText,
      disclosureVersion: clip(cell("disclosure_version"), MAX.short),
      keyword: clip(cell("keyword"), MAX.short),
      collectedBy,
    },
  };
}

/** Every data row of a file, in order; a number seen on an earlier row refuses the later one. */
export function validateRows(records: CsvRecord[], mapping: ColumnMapping, ctx: RowContext): RowResult[] {
  const firstRowOf = new Map<string, number>();
  return records.map((record) => {
    const result = validateRow(record, mapping, ctx);
    if (!result.ok) return result;
    const earlier = firstRowOf.get(result.value.phoneE164);
    if (earlier !== undefined) {
      return {
        ok: false,
        refusal: {
          row: record.row,
          phone: record.cells[mapping.columns.phone!]?.trim() ?? "",
          reason: `Duplicate of row ${earlier}.`,
        },
      };
    }
    firstRowOf.set(result.value.phoneE164, record.row);
    return result;
  });
}

// ─── Against what Parley already knows ────────────────────────────────────────────────────────────────────

export type ExistingConsent = {
  states: ConsentStates;
  /** When the current marketing state was recorded (its event's occurredAt); null without one. */
  marketingSince: Date | null;
  lineType?: string | null;
  invalidAt?: Date | null;
};

export type ImportDecision =
  | { kind: "subscribe"; from: ConsentStates["marketing"] }
  | { kind: "unchanged" } // already a subscriber: nothing to record
  | { kind: "refuse"; reason: string };

const day = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-US", { timeZone, dateStyle: "medium" }).format(date);

/**
 * What an imported consent does to an existing contact. The consent rules (nextConsent) decide: an import never
 * undoes an opt-out. On top of them, a row never rewrites history: when Parley holds a newer marketing record than
 * the row's consent date (a pending request, a lapsed one, Shopify's "not subscribed"), the newer record stands —
 * so the imported event is always the contact's newest, and the current state stays the newest event's.
 */
export function importDecision(existing: ExistingConsent | null, consentedAt: Date, timeZone: string): ImportDecision {
  if (existing?.invalidAt) return { kind: "refuse", reason: "The carrier reported this number cannot receive texts." };
  if (existing?.lineType === "landline") return { kind: "refuse", reason: "Landline: it cannot receive texts." };
  const states = existing?.states ?? { marketing: "NOT_SUBSCRIBED", transactional: "NOT_SUBSCRIBED" };
  const transition = nextConsent(states, {
    type: "marketing_opt_in",
    source: "IMPORT",
    alreadyConfirmed: true,
  });
  const since = existing?.marketingSince;
  if (transition.ignored === "opted_out_by_shopper") {
    return {
      kind: "refuse",
      reason: since ? `Opted out on ${day(since, timeZone)}: only the shopper can opt back in.` : "Opted out.",
    };
  }
  if (transition.next.marketing === states.marketing) return { kind: "unchanged" };
  if (since && since.getTime() > consentedAt.getTime()) {
    const what = states.marketing === "PENDING" ? "A confirmation request" : "A newer record (not subscribed)";
    return { kind: "refuse", reason: `${what} from ${day(since, timeZone)} is newer than this consent.` };
  }
  return { kind: "subscribe", from: states.marketing };
}

// ─── Writing ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One CSV cell: quoted when it holds a comma, quote or line break (RFC 4180), and a text that a spreadsheet would
 * run as a formula (= + - @, or a tab / carriage return in front) gets a leading apostrophe (OWASP CSV injection).
 */
export function csvCell(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  // A number (a phone in E.164, a negative amount) cannot be a formula, and an apostrophe would corrupt it.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d[\d\s().-]*$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | Date | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
