import { csvLine } from "~/domain/subscriber-csv";
import { listSubscribersWithEvidence, type SubscriberFilter } from "./list.server";

// The export streams: one batch of rows is read, written and handed to the response before the next is read, so a
// shop with a million contacts costs the server one batch of memory. The columns match what the import reads
// (opted_in_at, consent_source…), so an export can be imported elsewhere, or back.

export const EXPORT_BATCH = 1000;

export const EXPORT_COLUMNS = [
  "phone",
  "first_name",
  "last_name",
  "email",
  "marketing_status",
  "marketing_source",
  "opted_in_at",
  "transactional_status",
  "ip_address",
  "user_agent",
  "page_url",
  "disclosure_version",
  "disclosure_text",
  "keyword",
  "confirming_message_id",
  "collected_by",
  "note",
  "last_message_at",
] as const;

/** The filter's rows as CSV (header first), read in keyset batches of `batchSize` while the client downloads. */
export function exportSubscribersCsv(
  filter: Omit<SubscriberFilter, "cursor">,
  batchSize = EXPORT_BATCH,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: SubscriberFilter["cursor"] = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine([...EXPORT_COLUMNS])));
        return;
      }
      const page = await listSubscribersWithEvidence({ ...filter, cursor }, batchSize);
      let chunk = "";
      for (const r of page.rows) {
        chunk += csvLine([
          r.phoneE164,
          r.firstName,
          r.lastName,
          r.email,
          r.marketing.toLowerCase(),
          r.marketingSource?.toLowerCase() ?? null,
          // opted_in_at is when the current subscription began; other states keep their date in the history.
          r.marketing === "SUBSCRIBED" && r.marketingAt ? new Date(r.marketingAt) : null,
          r.transactional.toLowerCase(),
          r.ipAddress,
          r.userAgent,
          r.pageUrl,
          r.disclosureVersion,
          r.disclosureText,
          r.keyword,
          r.confirmingMessageId,
          r.actor,
          r.note,
          r.lastMessageAt ? new Date(r.lastMessageAt) : null,
        ]);
      }
      if (chunk) controller.enqueue(encoder.encode(chunk));
      cursor = page.nextCursor;
      if (!cursor) controller.close();
    },
  });
}
