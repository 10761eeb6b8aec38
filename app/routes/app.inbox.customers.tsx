import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { classifyShopifyError } from "~/adapters/shopify/customer-consent.server";
import { searchCustomersForLink } from "~/services/inbox/customer-link.server";
import { authenticate } from "~/shopify.server";

// "Link to a customer": GET ?q= (name, email or phone in any notation) → { customers: [{ id, displayName, email,
// phone, numberOfOrders }] }, the first 10 of this shop's Shopify customers.

const Query = z.object({ q: z.string().trim().max(100).default("") });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin } = await authenticate.admin(request);
  const parsed = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    return Response.json({ customers: [], error: "Search for at most 100 characters" }, { status: 400 });
  try {
    return Response.json({ customers: await searchCustomersForLink(admin, parsed.data.q) });
  } catch (error) {
    if (error instanceof Response) throw error;
    const failure = classifyShopifyError(error);
    return Response.json(
      {
        customers: [],
        error: "Shopify didn't answer the search. Try again in a moment.",
        retryable: failure.kind !== "permanent",
      },
      { status: 503 },
    );
  }
};
