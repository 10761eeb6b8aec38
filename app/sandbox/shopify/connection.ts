import { GraphQLError } from "graphql";

// Relay-style connections as Shopify serves them: `edges { cursor node }`, `nodes`, `pageInfo`. Cursors are
// opaque base64 JSON like Shopify's ({"last_id":…,"last_value":…}); only the id is used to resume.

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function encodeCursor(id: number, value: string | number = id): string {
  return Buffer.from(JSON.stringify({ last_id: id, last_value: String(value) })).toString("base64");
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown };
    if (typeof parsed.last_id === "number") return parsed.last_id;
  } catch {
    // fall through to the error Shopify gives for a cursor it did not issue
  }
  throw new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
}

/** Pages through items that are already filtered and sorted in the connection's natural order. */
export function connection<T>(items: readonly T[], args: ConnectionArgs, idOf: (item: T) => number): Connection<T> {
  const { first, last, after, before, reverse } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) {
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  }
  const ordered = reverse ? [...items].reverse() : [...items];
  let start = 0;
  let end = ordered.length;
  if (after) {
    const id = decodeCursor(after);
    const index = ordered.findIndex((item) => idOf(item) === id);
    start = index === -1 ? ordered.length : index + 1;
  }
  if (before) {
    const id = decodeCursor(before);
    const index = ordered.findIndex((item) => idOf(item) === id);
    end = index === -1 ? end : Math.min(end, index);
  }
  let window = ordered.slice(start, end);
  let hasNextPage = end < ordered.length;
  let hasPreviousPage = start > 0;
  if (typeof first === "number") {
    hasNextPage = hasNextPage || window.length > first;
    window = window.slice(0, Math.max(0, first));
  }
  if (typeof last === "number") {
    hasPreviousPage = hasPreviousPage || window.length > last;
    window = window.slice(Math.max(0, window.length - last));
  }
  const edges = window.map((node) => ({ cursor: encodeCursor(idOf(node)), node }));
  return {
    edges,
    nodes: window,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** Plain lists with a `first` argument (Order.fulfillments, Fulfillment.trackingInfo). */
export function firstOf<T>(items: readonly T[], first: number | null | undefined): T[] {
  return typeof first === "number" ? items.slice(0, Math.max(0, first)) : [...items];
}
