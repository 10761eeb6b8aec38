import { z } from "zod";
import { renderReplyVariables } from "~/domain/reply-variables";
import { prisma } from "~/db.server";
import { InboxNotFoundError } from "./thread.server";

// The shop's canned answers ("Sizing help", "Shipping costs"…), inserted into the composer and filled with the
// shopper's variables there. Scoped by shop on every read and write; another shop's id is not found.

export const SavedReplyInputSchema = z
  .object({
    title: z.string().trim().min(1, "Give the reply a title.").max(80, "Keep the title under 80 characters."),
    body: z.string().trim().min(1, "Write the reply.").max(1600, "Keep the reply under 1,600 characters."),
  })
  .superRefine((value, ctx) => {
    // A typo like {frist_name} would only surface when staff try to send it; catch it when it is written.
    const { unknown } = renderReplyVariables(value.body, {});
    if (unknown.length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["body"],
        message: `Unknown ${unknown.length === 1 ? "variable" : "variables"} ${unknown.map((n) => `{${n}}`).join(", ")}. Use {first_name}, {last_order_name}, {tracking_url} or {checkout_url}.`,
      });
  });
export type SavedReplyInput = z.input<typeof SavedReplyInputSchema>;

export type SavedReplyItem = { id: string; title: string; body: string; updatedAt: Date };
export type SavedReplyResult = { ok: true; reply: SavedReplyItem } | { ok: false; fieldErrors: Record<string, string> };

const SELECT = { id: true, title: true, body: true, updatedAt: true } as const;

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

export async function listSavedReplies(shopId: string, options: { query?: string } = {}): Promise<SavedReplyItem[]> {
  const query = options.query?.trim();
  return prisma.savedReply.findMany({
    where: {
      shopId,
      ...(query
        ? {
            OR: [
              { title: { contains: query, mode: "insensitive" } },
              { body: { contains: query, mode: "insensitive" } },
            ],
          }
        : {}),
    },
    orderBy: { title: "asc" },
    select: SELECT,
    take: 500,
  });
}

export async function createSavedReply(shopId: string, input: unknown): Promise<SavedReplyResult> {
  const parsed = SavedReplyInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const reply = await prisma.savedReply.create({ data: { shopId, ...parsed.data }, select: SELECT });
  return { ok: true, reply };
}

export async function updateSavedReply(shopId: string, id: string, input: unknown): Promise<SavedReplyResult> {
  const parsed = SavedReplyInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const { count } = await prisma.savedReply.updateMany({ where: { id, shopId }, data: parsed.data });
  if (count === 0) throw new InboxNotFoundError("saved_reply");
  return { ok: true, reply: await prisma.savedReply.findFirstOrThrow({ where: { id, shopId }, select: SELECT }) };
}

export async function deleteSavedReply(shopId: string, id: string): Promise<void> {
  const { count } = await prisma.savedReply.deleteMany({ where: { id, shopId } });
  if (count === 0) throw new InboxNotFoundError("saved_reply");
}
