import { describe, expect, test } from "vitest";
import {
  csvCell,
  csvLine,
  CsvSyntaxError,
  importDecision,
  mapColumns,
  parseConsentDate,
  parseCsv,
  validateRow,
  validateRows,
} from "./subscriber-csv";

const cells = (text: string) => parseCsv(text).map((r) => r.cells);

describe("parseCsv (RFC 4180)", () => {
  test.each([
    [
      "plain",
      "a,b\n1,2\n",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "CRLF and no final newline",
      "a,b\r\n1,2",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "lone CR",
      "a,b\r1,2\r",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "quoted comma",
      'a,b\n"x, y",2\n',
      [
        ["a", "b"],
        ["x, y", "2"],
      ],
    ],
    ["doubled quotes", 'a\n"say ""hi"""\n', [["a"], ['say "hi"']]],
    [
      "line break inside quotes",
      'a,b\n"line 1\nline 2",z\n',
      [
        ["a", "b"],
        ["line 1\nline 2", "z"],
      ],
    ],
    [
      "empty fields",
      "a,b,c\n,,\n",
      [
        ["a", "b", "c"],
        ["", "", ""],
      ],
    ],
    ["blank lines skipped", "a\n\n1\n\n", [["a"], ["1"]]],
    ["byte-order mark", "\uFEFFphone\n1\n", [["phone"], ["1"]]],
    [
      "semicolons (detected)",
      "a;b\n1;2\n",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "tabs (detected)",
      "a\tb\n1\t2\n",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    ["a quote mid-field is literal", 'a\nab"c\n', [["a"], ['ab"c']]],
  ])("%s", (_name, text, expected) => expect(cells(text)).toEqual(expected));

  test("rows are numbered as a spreadsheet shows them, multi-line cells included", () => {
    expect(parseCsv('h\n"a\nb"\nc\n').map((r) => r.row)).toEqual([1, 2, 4]);
  });

  test("an unterminated quote names its row", () => {
    expect(() => parseCsv('h\nok\n"never closed\n')).toThrow(CsvSyntaxError);
    try {
      parseCsv('h\nok\n"never closed\n');
    } catch (error) {
      expect((error as CsvSyntaxError).row).toBe(3);
    }
  });
});

describe("mapColumns", () => {
  test("maps other tools' names and reports unknown columns as unmapped", () => {
    const m = mapColumns(["Phone Number", "First Name", "Consent Date", "Opt-in Source", "IP", "Favourite colour"]);
    expect(m.problems).toEqual([]);
    expect(m.columns).toMatchObject({ phone: 0, first_name: 1, opted_in_at: 2, consent_source: 3, ip_address: 4 });
    expect(m.mapped[5]).toEqual({ header: "Favourite colour", field: null });
  });

  test.each([
    [["email", "opted_in_at", "source", "ip_address"], /phone/],
    [["phone", "source", "ip_address"], /opted_in_at/],
    [["phone", "opted_in_at", "ip_address"], /consent_source/],
    [["phone", "opted_in_at", "source"], /evidence column/],
  ])("refuses a file without %j", (header, problem) => {
    expect(mapColumns(header).problems.join(" ")).toMatch(problem);
  });

  test("the first of two columns for a field wins", () => {
    const m = mapColumns(["phone", "mobile", "opted_in_at", "source", "page_url"]);
    expect(m.columns.phone).toBe(0);
    expect(m.mapped[1].field).toBeNull();
  });
});

describe("parseConsentDate", () => {
  const NY = "America/New_York";
  test.each([
    ["2025-03-01T14:30:00Z", "2025-03-01T14:30:00.000Z"],
    ["2025-03-01T14:30:00.250+02:00", "2025-03-01T12:30:00.250Z"],
    ["2025-03-01 14:30 -0500", "2025-03-01T19:30:00.000Z"],
    ["2025-03-01T9:05Z", "2025-03-01T09:05:00.000Z"],
    ["2025-03-01 14:30:00", "2025-03-01T19:30:00.000Z"], // no zone: the shop's (EST)
    ["2025-07-01", "2025-07-01T04:00:00.000Z"], // midnight EDT
    ["3/1/2025", "2025-03-01T05:00:00.000Z"],
    ["3/1/2025 2:30 PM", "2025-03-01T19:30:00.000Z"],
    ["12/1/2025 12:15 am", "2025-12-01T05:15:00.000Z"],
    ["1740839400", "2025-03-01T14:30:00.000Z"],
    ["1740839400000", "2025-03-01T14:30:00.000Z"],
  ])("%s → %s", (input, iso) => expect(parseConsentDate(input, NY)?.toISOString()).toBe(iso));

  test.each(["yesterday", "2025-02-30", "2025-13-01", "13/45/2025", "2025-03-01T25:00", "3/1/2025 13:00 PM", ""])(
    "%j is unreadable",
    (input) => expect(parseConsentDate(input, NY)).toBeNull(),
  );
});

describe("validateRow / validateRows", () => {
  const header = [
    "phone",
    "first_name",
    "last_name",
    "email",
    "opted_in_at",
    "consent_source",
    "ip_address",
    "page_url",
    "disclosure_text",
    "consent_collected_by",
  ];
  const mapping = mapColumns(header);
  const ctx = { now: new Date("2026-01-15T12:00:00Z"), timeZone: "America/New_York" };
  const good = {
    phone: "(212) 555-0101",
    first_name: "Jane",
    last_name: "Doe",
    email: "Jane@Example.com",
    opted_in_at: "2025-06-01T10:00:00Z",
    consent_source: "Website popup",
    ip_address: "203.0.113.9",
    page_url: "https://shop.example/pages/sms",
    disclosure_text: "I agree to receive texts",
    consent_collected_by: "",
  };
  const record = (row: number, values: Partial<typeof good>) => ({
    row,
    cells: header.map((h) => ({ ...good, ...values })[h as keyof typeof good] ?? ""),
  });

  test("a good row becomes E.164 with its evidence", () => {
    const result = validateRow(record(2, {}), mapping, ctx);
    expect(result).toMatchObject({
      ok: true,
      value: {
        row: 2,
        phoneE164: "+12125550101",
        firstName: "Jane",
        email: "jane@example.com",
        consentSource: "Website popup",
        ipAddress: "203.0.113.9",
      },
    });
  });

  test.each([
    ["no phone", { phone: "" }, /No phone number/],
    ["not a number", { phone: "call me" }, /Invalid phone number/],
    ["too short", { phone: "555-01" }, /Invalid phone number/],
    ["a UK landline", { phone: "+44 20 7946 0958" }, /cannot receive text messages/],
    ["no date", { opted_in_at: "" }, /Missing evidence: no consent date/],
    ["unreadable date", { opted_in_at: "last week" }, /Unreadable consent date/],
    ["future date", { opted_in_at: "2026-02-01T00:00:00Z" }, /in the future/],
    ["no source", { consent_source: " " }, /no consent source/],
    [
      "no evidence at all",
      { ip_address: "", page_url: "", disclosure_text: "", consent_collected_by: "" },
      /needs an IP address, page URL, disclosure text/,
    ],
    [
      "an IP that is not one, and nothing else",
      { ip_address: "localhost", page_url: "", disclosure_text: "" },
      /"localhost" is not an IP address/,
    ],
  ])("refuses %s", (_name, values, reason) => {
    const result = validateRow(record(7, values), mapping, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.refusal.row).toBe(7);
      expect(result.refusal.reason).toMatch(reason);
    }
  });

  test.each([
    ["an IP address only", { page_url: "", disclosure_text: "" }],
    ["who collected it only", { ip_address: "", page_url: "", disclosure_text: "", consent_collected_by: "Store 12" }],
    ["an IPv6 address", { ip_address: "2001:db8::1", page_url: "", disclosure_text: "" }],
    ["a spreadsheet apostrophe before the number", { phone: "'+12125550101" }],
    ["a consent a minute ahead (clock skew)", { opted_in_at: "2026-01-15T12:01:00Z" }],
  ])("accepts %s", (_name, values) => expect(validateRow(record(2, values), mapping, ctx).ok).toBe(true));

  test("a bad e-mail is dropped, not a reason to refuse", () => {
    const result = validateRow(record(2, { email: "not-an-email" }), mapping, ctx);
    expect(result.ok && result.value.email).toBeNull();
  });

  test("the same number written twice: the later row is refused as a duplicate", () => {
    const results = validateRows(
      [record(2, {}), record(3, { phone: "+1 212 555 0102" }), record(4, { phone: "212.555.0101" })],
      mapping,
      ctx,
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(!results[2].ok && results[2].refusal).toEqual({
      row: 4,
      phone: "212.555.0101",
      reason: "Duplicate of row 2.",
    });
  });

  test("a full name column is split when there are no first/last columns", () => {
    const m = mapColumns(["phone", "name", "opted_in_at", "source", "ip"]);
    const result = validateRow(
      { row: 2, cells: ["2125550101", "Mary Ann Smith", "2025-01-01", "form", "198.51.100.4"] },
      m,
      ctx,
    );
    expect(result).toMatchObject({ ok: true, value: { firstName: "Mary", lastName: "Ann Smith" } });
  });
});

describe("importDecision", () => {
  const tz = "America/New_York";
  const at = new Date("2025-06-01T10:00:00Z");
  const existing = (marketing: string, since: string | null, extra = {}) => ({
    states: { marketing, transactional: "NOT_SUBSCRIBED" } as never,
    marketingSince: since ? new Date(since) : null,
    ...extra,
  });

  test.each([
    ["a new number", null, { kind: "subscribe", from: "NOT_SUBSCRIBED" }],
    ["never subscribed", existing("NOT_SUBSCRIBED", null), { kind: "subscribe", from: "NOT_SUBSCRIBED" }],
    ["an older pending request", existing("PENDING", "2025-01-01T00:00:00Z"), { kind: "subscribe", from: "PENDING" }],
    ["already subscribed", existing("SUBSCRIBED", "2024-01-01T00:00:00Z"), { kind: "unchanged" }],
  ])("%s → %j", (_name, current, expected) => expect(importDecision(current, at, tz)).toEqual(expected));

  test.each([
    ["opted out before the consent date", existing("UNSUBSCRIBED", "2025-01-02T15:00:00Z"), /Opted out on Jan 2, 2025/],
    ["opted out after it", existing("UNSUBSCRIBED", "2025-09-09T15:00:00Z"), /Opted out on Sep 9, 2025/],
    ["a newer pending request", existing("PENDING", "2025-08-01T00:00:00Z"), /confirmation request from Jul 31, 2025/],
    ["a newer 'not subscribed'", existing("NOT_SUBSCRIBED", "2025-08-01T12:00:00Z"), /newer record/],
    ["a landline", existing("NOT_SUBSCRIBED", null, { lineType: "landline" }), /Landline/],
    ["a number the carrier rejected", existing("NOT_SUBSCRIBED", null, { invalidAt: new Date() }), /cannot receive/],
  ])("refuses %s", (_name, current, reason) => {
    const decision = importDecision(current, at, tz);
    expect(decision.kind).toBe("refuse");
    expect(decision.kind === "refuse" && decision.reason).toMatch(reason);
  });
});

describe("csvCell", () => {
  test.each([
    ["plain", "abc", "abc"],
    ["comma", "a,b", '"a,b"'],
    ["quote", 'say "hi"', '"say ""hi"""'],
    ["line break", "a\nb", '"a\nb"'],
    ["formula =", '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ["formula +", "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["formula -", "-2+3", "'-2+3"],
    ["formula @", "@SUM(A1)", "'@SUM(A1)"],
    ["tab in front", "\t=1", "'\t=1"],
    ["a phone in E.164 stays a phone", "+12125550101", "+12125550101"],
    ["a negative number stays a number", "-42", "-42"],
    ["null", null, ""],
    ["number", 7, "7"],
  ])("%s", (_name, value, expected) => expect(csvCell(value as never)).toBe(expected));

  test("a line ends with CRLF and reads back the same", () => {
    const line = csvLine(["a,b", 'c"d', null, "e\nf"]);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(cells(line)).toEqual([["a,b", 'c"d', "", "e\nf"]]);
  });
});
