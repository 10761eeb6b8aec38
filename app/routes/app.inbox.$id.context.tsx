import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { describeUserErrors } from "~/adapters/shopify/customer-consent.server";
import {
  createCustomerForContact,
  linkByPhoneIfUnique,
  linkContactToCustomer,
} from "~/services/inbox/customer-link.server";
import { currentStaffMember } from "~/services/inbox/staff.server";
import { loadStoreContext } from "~/services/inbox/store-context.server";
import { authenticate } from "~/shopify.server";

// The store context beside a thread (GET) and the "not a Shopify customer yet" actions (POST, JSON):
//   { intent: "link", customerId }   link the shopper to an existing customer of this shop
//   { intent: "create-customer" }     create a customer from the shopper's phone and name, then link it
// A conversation of another shop is a 404, and nothing is written.

const Params = z.object({ id: z.string().min(1).max(64) });
const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("link"), customerId: z.string().regex(/^gid:\/\/shopify\/Customer\/\d+$/) }),
  z.object({ intent: z.literal("create-customer") }),
]);

const notFound = () => Response.json({ error: "Conversation not found" }, { status: 404 });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const { id } = Params.parse(params);
  await linkByPhoneIfUnique({ admin, shopId: session.shop, conversationId: id });
  const result = await loadStoreContext({ admin, shopId: session.shop, conversationId: id });
  if (!result.ok) return notFound();
  return Response.json({ context: result.context }, { headers: { "Cache-Control": "private, no-store" } });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const { id } = Params.parse(params);
  const parsed = Intent.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return Response.json(
      { errors: [{ field: null, message: 'Send { intent: "link", customerId } or { intent: "create-customer" }' }] },
      { status: 400 },
    );
  }
  const staff = await currentStaffMember(session, session.shop);
  const actor = { admin, shopId: session.shop, staffMemberId: staff?.id ?? null, conversationId: id };
  const result =
    parsed.data.intent === "link"
      ? await linkContactToCustomer({ ...actor, customerId: parsed.data.customerId })
      : await createCustomerForContact(actor);
  if (result.ok) return Response.json({ ok: true, customerId: result.customerId, created: result.created });
  switch (result.error) {
    case "not_found":
      return notFound();
    case "customer_not_found":
      return Response.json(
        { errors: [{ field: ["customerId"], message: "That customer isn't in this store" }] },
        { status: 422 },
      );
    case "user_errors":
      return Response.json(
        { errors: result.userErrors, message: describeUserErrors(result.userErrors) },
        { status: 422 },
      );
  }
};
