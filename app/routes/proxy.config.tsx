import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "~/shopify.server";
import { loadStorefrontConfig } from "~/services/opt-in/storefront.server";

// GET /apps/parley/config (app proxy → /proxy/config): the disclosure the form shows, and whether it is on.
// A forged, missing or stale signature is answered 400 by authenticate.public.appProxy.
export async function loader({ request }: LoaderFunctionArgs) {
  await authenticate.public.appProxy(request);
  // The signature covers `shop`; the offline session is not needed (nothing here calls the Admin API).
  const url = new URL(request.url);
  const headers = { "Cache-Control": "no-store" };
  const config = await loadStorefrontConfig(url.searchParams.get("shop") ?? "", {
    termsUrl: url.searchParams.get("terms"),
    privacyUrl: url.searchParams.get("privacy"),
  });
  if (!config) return Response.json({ enabled: false }, { headers });
  return Response.json(
    {
      enabled: config.enabled,
      brandName: config.brandName,
      defaultCountry: config.defaultCountry,
      disclosure: {
        body: config.disclosure.body,
        links: config.disclosure.links,
        version: config.disclosure.version,
      },
    },
    { headers },
  );
}
