import { Prisma } from "~/generated/prisma/client.ts";
import { prisma, queryRaw } from "~/db.server";
import type { FeedbackParams } from "~/domain/flows/feedback-list";
import type { FeedbackSentiment } from "~/domain/flows/feedback-sentiment";
import type { Keyset } from "~/domain/keyset-cursor";

// What the Feedback page reads: one shop's answers to the feedback question, newest first (keyset on createdAt,
// id — the (shopId, createdAt) and (shopId, sentiment, createdAt) indexes serve both the list and its filter),
// and a summary: how many per sentiment, and which topics come up most.

export const FEEDBACK_PAGE_SIZE = 25;

export type FeedbackRow = {
  id: string;
  createdAt: Date;
  sentiment: FeedbackSentiment;
  topics: string[];
  body: string;
  productTitle: string | null;
  handedOver: boolean;
  conversationId: string | null;
  contact: { id: string; firstName: string | null; lastName: string | null; phoneE164: string };
};

export async function listFeedback(
  shopId: string,
  params: FeedbackParams,
  limit = FEEDBACK_PAGE_SIZE,
): Promise<{ rows: FeedbackRow[]; next: Keyset | null }> {
  const { cursor } = params;
  const rows = await prisma.feedback.findMany({
    where: {
      shopId,
      ...(params.sentiment ? { sentiment: params.sentiment } : {}),
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      createdAt: true,
      sentiment: true,
      topics: true,
      body: true,
      productTitle: true,
      handedOver: true,
      conversationId: true,
      contact: { select: { id: true, firstName: true, lastName: true, phoneE164: true } },
    },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { at: last.createdAt, id: last.id } : null };
}

export type FeedbackSummary = {
  total: number;
  bySentiment: Record<FeedbackSentiment, number>;
  /** Most frequent first. */
  topics: { topic: string; count: number }[];
};

export async function summarizeFeedback(shopId: string): Promise<FeedbackSummary> {
  const [sentiments, topics] = await Promise.all([
    prisma.feedback.groupBy({ by: ["sentiment"], where: { shopId }, _count: { _all: true } }),
    queryRaw<{ topic: string; count: number }>(
      prisma,
      Prisma.sql`
      SELECT topic, COUNT(*)::int AS count
      FROM "Feedback", unnest(topics) AS topic
      WHERE "shopId" = ${shopId}
      GROUP BY topic
      ORDER BY count DESC, topic ASC`,
    ),
  ]);
  const bySentiment: Record<FeedbackSentiment, number> = { POSITIVE: 0, NEUTRAL: 0, NEGATIVE: 0 };
  for (const row of sentiments) bySentiment[row.sentiment] = row._count._all;
  return { total: bySentiment.POSITIVE + bySentiment.NEUTRAL + bySentiment.NEGATIVE, bySentiment, topics };
}
