import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { searchProducts } from "~/adapters/shopify/admin-queries.server";
import { classifyShopifyError } from "~/adapters/shopify/customer-consent.server";
import { authenticate } from "~/shopify.server";

// The composer's product search: GET ?q= → { products: [{ id, title, imageUrl, price, url }] }, url being the
// product's page on the storefront (https://{primary domain}/products/{handle}), ready to paste into a text.

const Query = z.object({ q: z.string().trim().max(100).default("") });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin } = await authenticate.admin(request);
  const parsed = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success)
    return Response.json({ products: [], error: "Search for at most 100 characters" }, { status: 400 });
  try {
    const products = await searchProducts(admin, parsed.data.q);
    return Response.json({ products: products });
  } catch (error) {
    if (error instanceof Response) throw error;
    const failure = classifyShopifyError(error);
    return Response.json(
      {
        products: [],
        error: "Shopify didn't answer the search. Try again in a moment.",
        retryable: failure.kind !== "permanent",
      },
      { status: 503 },
    );
  }
};
