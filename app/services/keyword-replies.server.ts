import { z } from "zod";
import { KEYWORD_REPLY_KINDS, keywordReply, type KeywordReplyKind, type ReplyProblem } from "~/domain/keyword-replies";
import { prisma } from "~/db.server";
import { keywordOverrides, programOf } from "~/services/sms/shop-context.server";

// The shop's own wording for the automatic keyword replies. A reworded reply must still say what the law needs:
// one that does not is refused here, with the reasons, rather than silently replaced by the default at send time.

export const KEYWORD_REPLY_COPY: Record<KeywordReplyKind, { title: string; when: string }> = {
  opt_out_confirmation: {
    title: "Opt-out confirmation",
    when: "Sent once when a shopper texts STOP or asks to stop. Nothing else may follow it.",
  },
  help: { title: "HELP reply", when: "Sent when a shopper texts HELP or INFO." },
  opt_in_confirmation: {
    title: "Resubscribe confirmation",
    when: "Sent when a shopper texts START or UNSTOP after opting out.",
  },
  double_opt_in_request: {
    title: "Confirmation request",
    when: "Sent after a shopper signs up; the subscription starts when they reply Y.",
  },
  welcome: { title: "Welcome", when: "Sent when a shopper confirms their subscription." },
};

export const PROBLEM_TEXT: Record<ReplyProblem, string> = {
  missing_brand: "name your brand",
  missing_support_contact: "give your support contact",
  missing_frequency: "say how often you text",
  missing_rates_notice: "say “Msg & data rates may apply”",
  missing_help_instructions: "say to reply HELP for help",
  missing_opt_out_instructions: "say how to opt out (STOP)",
  missing_resubscribe_instructions: "say how to resubscribe (START)",
  missing_confirm_instructions: "ask them to reply Y to confirm",
  contains_promotion: "leave out offers and links (it is not a marketing message)",
  unknown_placeholder: "use only {brand_name}, {support_contact}, {frequency}, {terms_url} and {privacy_url}",
};

const FormSchema = z.object(
  Object.fromEntries(
    KEYWORD_REPLY_KINDS.map((kind) => [kind, z.string().max(640, "Keep it under 640 characters").default("")]),
  ) as Record<KeywordReplyKind, z.ZodDefault<z.ZodString>>,
);

export async function loadKeywordReplies(shopId: string) {
  const settings = await prisma.shopSettings.findUniqueOrThrow({
    where: { shopId },
    include: { shop: { select: { name: true } } },
  });
  const program = programOf(settings, settings.shop.name);
  const overrides = keywordOverrides(settings);
  return KEYWORD_REPLY_KINDS.map((kind) => ({
    kind,
    ...KEYWORD_REPLY_COPY[kind],
    defaultText: keywordReply(kind, program).text,
    override: overrides[kind] ?? "",
  }));
}

export async function saveKeywordReplies(
  shopId: string,
  input: unknown,
): Promise<{ ok: true } | { ok: false; fieldErrors: Partial<Record<KeywordReplyKind, string>> }> {
  const parsed = FormSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      fieldErrors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])),
    };
  }
  const settings = await prisma.shopSettings.findUniqueOrThrow({
    where: { shopId },
    include: { shop: { select: { name: true } } },
  });
  const program = programOf(settings, settings.shop.name);
  const fieldErrors: Partial<Record<KeywordReplyKind, string>> = {};
  const overrides: Partial<Record<KeywordReplyKind, string>> = {};
  for (const kind of KEYWORD_REPLY_KINDS) {
    const text = parsed.data[kind].trim();
    if (!text) continue;
    const { problems } = keywordReply(kind, program, text);
    if (problems.length > 0)
      fieldErrors[kind] = `To stay compliant this reply must ${problems.map((p) => PROBLEM_TEXT[p]).join(", ")}.`;
    else overrides[kind] = text;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  await prisma.shopSettings.update({ where: { shopId }, data: { keywordReplies: overrides } });
  return { ok: true };
}
