import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { createConversationDiscount, discountFormInfo } from "~/services/inbox/discounts.server";
import { currentStaffMember } from "~/services/inbox/staff.server";
import { authenticate } from "~/shopify.server";

// Discount codes from the composer. GET: the form's limits and defaults for this staff member. POST (JSON, the
// offer: { kind, value, expiresInHours | expiresAt, minimumSubtotal }): 200 { ok, discount: { code, url, text } },
// 400 { errors } for the guardrails or a shopper not linked to a customer, 422 { errors } with Shopify's
// userErrors as they came, 503 when Shopify is unavailable; a conversation of another shop is a 404.

const Params = z.object({ id: z.string().min(1).max(64) });
const notFound = () => Response.json({ error: "Conversation not found" }, { status: 404 });

async function staffOf(session: Parameters<typeof currentStaffMember>[0]) {
  const staff = await currentStaffMember(session, session.shop);
  return { id: staff?.id ?? null, accountOwner: staff?.accountOwner ?? false };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const { id } = Params.parse(params);
  const info = await discountFormInfo({
    admin,
    shopId: session.shop,
    staffMember: await staffOf(session),
    conversationId: id,
  });
  if (!info.ok) return notFound();
  const { ok: _ok, ...form } = info;
  return Response.json({ form });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const { id } = Params.parse(params);
  const body = (await request.json().catch(() => null)) as { intent?: unknown; offer?: unknown } | null;
  if (!body || (body.intent !== undefined && body.intent !== "create") || typeof body.offer !== "object") {
    return Response.json(
      { errors: { form: 'Send { intent: "create", offer: { kind, value, expiresInHours, minimumSubtotal } }' } },
      { status: 400 },
    );
  }
  const result = await createConversationDiscount({
    admin,
    shopId: session.shop,
    staffMember: await staffOf(session),
    conversationId: id,
    offer: body.offer,
  });
  if (result.ok) return Response.json({ ok: true, discount: result.discount });
  switch (result.error) {
    case "not_found":
      return notFound();
    case "not_linked":
      return Response.json({ ok: false, errors: { form: result.message } }, { status: 400 });
    case "guardrails":
      return Response.json({ ok: false, errors: result.errors }, { status: 400 });
    case "user_errors":
      return Response.json({ ok: false, errors: { form: null }, userErrors: result.userErrors }, { status: 422 });
    case "shopify_unavailable":
      return Response.json(
        { ok: false, errors: { form: result.message }, retryable: result.retryable },
        { status: 503 },
      );
  }
};
