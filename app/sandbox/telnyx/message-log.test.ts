import { describe, expect, test } from "vitest";
import { MessageLog, type LogChange, type SimMessage } from "./message-log";

const message = (
  id: string,
  from = "+15550000001",
  to = "+15005550100",
  direction: SimMessage["direction"] = "inbound",
): SimMessage => ({
  id,
  direction,
  type: "SMS",
  from,
  to,
  text: id,
  media: [],
  parts: 1,
  encoding: "GSM-7",
  status: "received",
  errors: [],
  createdAt: "2026-03-01T12:00:00.000Z",
  updatedAt: "2026-03-01T12:00:00.000Z",
  history: [],
  webhooks: [],
});

describe("MessageLog", () => {
  test("keeps only the newest entries", () => {
    const log = new MessageLog(3);
    for (const id of ["a", "b", "c", "d", "e"]) log.add(message(id));
    expect(log.list().map((m) => m.id)).toEqual(["c", "d", "e"]);
    expect(log.get("a")).toBeUndefined();
  });

  test("filters by phone (either end), direction and limit", () => {
    const log = new MessageLog();
    log.add(message("1", "+15550000001"));
    log.add(message("2", "+15005550100", "+15550000001", "outbound"));
    log.add(message("3", "+15550000002"));
    expect(log.list({ phone: "+15550000001" }).map((m) => m.id)).toEqual(["1", "2"]);
    expect(log.list({ direction: "outbound" }).map((m) => m.id)).toEqual(["2"]);
    expect(log.list({ limit: 1 }).map((m) => m.id)).toEqual(["3"]);
  });

  test("tells subscribers about every change, and survives a broken one", () => {
    const log = new MessageLog();
    const changes: LogChange["type"][] = [];
    log.subscribe(() => {
      throw new Error("broken listener");
    });
    const unsubscribe = log.subscribe((c) => changes.push(c.type));
    log.add(message("1"));
    log.setStatus("1", "delivered", "2026-03-01T12:00:01.000Z");
    log.clear();
    unsubscribe();
    log.add(message("2"));
    expect(changes).toEqual(["upsert", "upsert", "clear"]);
  });
});
