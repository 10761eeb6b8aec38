import { z } from "zod";

// The position after a row in a list sorted by (time, id) descending — the inbox and the subscribers list — as an
// opaque URL-safe string (base64url JSON), checked on the way back in: garbage is the first page, never an error.

export type Keyset = { at: Date; id: string };

const Payload = z.object({ t: z.iso.datetime(), id: z.string().min(1).max(64) });

export function encodeKeyset(keyset: Keyset): string {
  return Buffer.from(JSON.stringify({ t: keyset.at.toISOString(), id: keyset.id })).toString("base64url");
}

export function decodeKeyset(raw: string): Keyset | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(raw)) return null;
  try {
    const parsed = Payload.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? { at: new Date(parsed.data.t), id: parsed.data.id } : null;
  } catch {
    return null;
  }
}

/** A search box's text as a URL parameter: trimmed, inner whitespace collapsed, bounded. */
export function searchParam(maxLength: number) {
  return z
    .string()
    .catch("")
    .transform((q) => q.trim().replace(/\s+/g, " ").slice(0, maxLength));
}
