import type { ServerBuild } from "@remix-run/node";
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from "express";

// Provider webhooks that arrive by the hundred per second go straight to their route's `action`, ahead of Remix's
// request handler: that handler flattens, ranks and compiles every route pattern of the app on each request, which
// cost four times the action itself (docs/decisions/0010). The action is the route module's own, taken from the
// same server build Remix serves (the production bundle, or Vite's in development), so it is the same code with
// the same module instances (one database pool, one group-commit queue) — and the route stays the only place that
// says what the webhook does. Only POST goes this way; anything else still reaches the route through Remix.

/** Path → the id of the route module that answers it (Remix's id: the file under app/ without extension). */
const FAST_ROUTES: Record<string, string> = { "/webhooks/telnyx": "routes/webhooks.telnyx" };

type BuildSource = ServerBuild | (() => Promise<ServerBuild>);

export function mountWebhookFastPath(app: Express, build: BuildSource) {
  for (const [path, routeId] of Object.entries(FAST_ROUTES)) {
    app.post(path, async (req, res, next) => {
      try {
        const current = typeof build === "function" ? await build() : build;
        const action = current.routes[routeId]?.module.action;
        if (!action) return next(); // the route moved: Remix answers as before
        const response = await action({ request: await fetchRequestOf(req), params: {}, context: {} });
        if (!(response instanceof Response)) throw new Error(`${routeId}: the action did not return a Response`);
        await send(res, response);
      } catch (error) {
        next(error);
      }
    });
  }
}

/** The Fetch API request the action expects, with the body exactly as received (signatures cover its bytes). */
async function fetchRequestOf(req: ExpressRequest): Promise<Request> {
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on("error", reject);
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return new Request(`http://${req.headers.host ?? "localhost"}${req.originalUrl}`, {
    method: req.method,
    headers,
    body: body as Uint8Array<ArrayBuffer>,
  });
}

async function send(res: ExpressResponse, response: Response) {
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}
