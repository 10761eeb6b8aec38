import { Prisma } from "~/generated/prisma/client.ts";
import { CHANNELS, type InboxNotice } from "~/services/realtime/notify.server";

// An update of one message and the inbox notice that goes with it, in one statement (one round trip instead of
// two): the notice goes out only if the row was updated, and — like every NOTIFY — only when the transaction
// commits. `updatedAt` is set as Prisma's @updatedAt would.

type Tx = Prisma.TransactionClient;

const COLUMNS = new Set([
  "status",
  "providerMessageId",
  "segments",
  "encoding",
  "carrier",
  "sentAt",
  "deliveredAt",
  "errorCode",
  "errorReason",
  "nextAttemptAt",
  "holdUntil",
  "attempts",
  "costAmount",
  "costCurrency",
]);

export function messageSetClause(data: Record<string, unknown>, now = new Date()): Prisma.Sql {
  const sets = Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .map(([column, value]) => {
      if (!COLUMNS.has(column)) throw new Error(`messageSetClause: ${column} is not a column this update may set`);
      if (column === "status") return Prisma.sql`"status" = CAST(${value} AS "MessageStatus")`;
      if (column === "costAmount")
        return Prisma.sql`"costAmount" = CAST(${value === null ? null : String(value)} AS DECIMAL(10, 4))`;
      return Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}`;
    });
  return Prisma.sql`${Prisma.join([...sets, Prisma.sql`"updatedAt" = ${now}`], ", ")}`;
}

/** `tx.message.update({ where: { id }, data })` followed by notifyInbox, as one statement. */
export async function updateMessageAndNotify(tx: Tx, id: string, data: Record<string, unknown>, notice: InboxNotice) {
  await tx.$queryRaw`
    WITH moved AS (UPDATE "Message" SET ${messageSetClause(data)} WHERE id = ${id} RETURNING id)
    SELECT pg_notify(${CHANNELS.inbox}, ${JSON.stringify(notice)})::text FROM moved`;
}
