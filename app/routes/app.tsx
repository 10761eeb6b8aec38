import { useEffect } from "react";
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Link,
  Outlet,
  useLoaderData,
  useLocation,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider as PolarisAppProvider } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { PageSkeleton } from "~/components/PageSkeletons";
import { RouteErrorPage } from "~/components/RouteErrorPage";
import { env } from "~/env.server";
import { SANDBOX_APP_BRIDGE_PATH } from "~/sandbox/app-bridge-standin";
import { authenticate } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const config = env();
  return {
    apiKey: config.SHOPIFY_API_KEY,
    // Where App Bridge loads from: Shopify's CDN (the library's default) unless this is the offline sandbox.
    appBridgeUrl: config.PARLEY_SANDBOX ? SANDBOX_APP_BRIDGE_PATH : null,
  };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  const busy = navigation.state !== "idle";
  // A navigation to another page shows that page's skeleton; a reload of the same page keeps it on screen.
  const nextPath =
    navigation.state === "loading" && navigation.location.pathname !== location.pathname
      ? navigation.location.pathname
      : null;

  useEffect(() => {
    window.shopify?.loading?.(busy);
  }, [busy]);

  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/inbox">Inbox</Link>
        <Link to="/app/subscribers">Subscribers</Link>
        <Link to="/app/flows">Flows</Link>
        <Link to="/app/feedback">Feedback</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      {nextPath ? <PageSkeleton pathname={nextPath} /> : <Outlet />}
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included in the response.
// Anything else (the app's data request failing on the way, say) gets the Polaris error page, not a stack trace.
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) return boundary.error(error);
  return (
    <PolarisAppProvider i18n={polarisTranslations}>
      <RouteErrorPage title="Parley" what="this page" />
    </PolarisAppProvider>
  );
}

export const headers: HeadersFunction = (headersArgs) => {
  return boundary.headers(headersArgs);
};
