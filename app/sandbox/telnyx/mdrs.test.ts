import { describe, expect, test } from "vitest";
import { DetailRecords, listMdrs, mdrOf, parseMdrQuery } from "./mdrs";
import type { SimMessage } from "./message-log";

const message = (id: string, overrides: Partial<SimMessage> = {}): SimMessage => ({
  id,
  direction: "outbound",
  type: "SMS",
  from: "+15005550100",
  to: "+15551230001",
  text: id,
  media: [],
  parts: 2,
  encoding: "GSM-7",
  status: "queued",
  errors: [],
  createdAt: "2026-03-01T12:00:00.000Z",
  updatedAt: "2026-03-01T12:00:00.000Z",
  history: [],
  webhooks: [],
  ...overrides,
});

describe("message detail records", () => {
  test.each([
    ["queued", "DLR_UNCONFIRMED"],
    ["sent", "DLR_UNCONFIRMED"],
    ["delivered", "DELIVERED"],
    ["delivery_failed", "FAILED"],
    ["sending_failed", "FAILED"],
  ])("an outbound message %s is %s", (status, expected) => {
    expect(mdrOf(message("m", { status })).status).toBe(expected);
  });

  test("cost is rate × parts; an inbound text is RECEIVED, from the shopper to the store", () => {
    expect(mdrOf(message("m"))).toMatchObject({
      cli: "+15005550100",
      cld: "+15551230001",
      rate: "0.0040",
      cost: "0.0080",
    });
    const inbound = message("i", {
      direction: "inbound",
      from: "+15551230001",
      to: "+15005550100",
      status: "received",
    });
    expect(mdrOf(inbound)).toMatchObject({
      direction: "INBOUND",
      status: "RECEIVED",
      cli: "+15551230001",
      cost: "0.0000",
    });
  });

  test("filters, orders oldest first, and pages", () => {
    const records = new DetailRecords(3);
    const at = (minute: number) => `2026-03-01T12:0${minute}:00.000Z`;
    records.put(message("evicted", { createdAt: at(0) }));
    records.put(message("c", { createdAt: at(3) }));
    records.put(message("a", { createdAt: at(1) }));
    records.put(message("b", { createdAt: at(2), to: "+15551230002" }));
    expect(listMdrs(records.values(), {}).data.map((r) => r.id)).toEqual(["a", "b", "c"]);
    expect(listMdrs(records.values(), { cld: "+15551230001" }).data.map((r) => r.id)).toEqual(["a", "c"]);
    const window = { start: new Date(at(2)), end: new Date(at(3)) };
    expect(listMdrs(records.values(), window).data.map((r) => r.id)).toEqual(["b", "c"]);
    const page = listMdrs(records.values(), {}, { number: 2, size: 2 });
    expect(page.data.map((r) => r.id)).toEqual(["c"]);
    expect(page.meta).toEqual({ page_number: 2, page_size: 2, total_pages: 2, total_results: 3 });
  });

  test("the query is read as the SDK sends it; nonsense is refused with the parameter named", () => {
    expect(parseMdrQuery({ direction: "outbound", start_date: "2026-03-01T12:00:00Z" })).toEqual({
      ok: true,
      filter: expect.objectContaining({ direction: "OUTBOUND", start: new Date("2026-03-01T12:00:00Z") }),
    });
    const bad = parseMdrQuery({ direction: "sideways", end_date: "soon", status: "LOST" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.source?.parameter)).toEqual(["direction", "status", "end_date"]);
  });
});
