import path from "node:path";
import express, { type Request, type Response, type Router } from "express";
import { prisma } from "~/db.server";
import { escapeHtml } from "../html";
import type { ShopifyStore } from "../shopify/store";
import { plainAddress, PROXY_PREFIX, signProxyQuery } from "./app-proxy";
import {
  ASSET_PATH,
  EXTENSION_DIR,
  renderBlock,
  renderProxyLiquid,
  schemaAssetTags,
  type RenderedBlock,
  type StorefrontGlobals,
} from "./extension";
import { productCard, productDetail, renderStorePage, STOREFRONT } from "./page";

// /sandbox/storefront: the simulated store's online store with Parley's theme app extension in it (the inline form
// block on every page, the popup embed at the end of <body>), and /apps/parley/* played by Shopify's app proxy.

export interface StorefrontOptions {
  shop: string;
  store: ShopifyStore;
  /** Where the app listens (the proxy forwards there). */
  appOrigin: string;
  apiSecret: string;
}

const CUSTOMER_COOKIE = "sandbox_storefront_customer";

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

function safeReturn(value: unknown): string {
  return typeof value === "string" && value.startsWith(STOREFRONT) ? value : STOREFRONT;
}

export function createStorefrontRouter(options: StorefrontOptions) {
  const { store } = options;
  const customerOf = (req: Request) => {
    const id = Number(cookie(req, CUSTOMER_COOKIE));
    return (id && store.customers.find((c) => c.id === id)) || null;
  };
  const globalsFor = (req: Request, pageType: string, storePath: string): StorefrontGlobals => {
    const customer = customerOf(req);
    const country =
      typeof req.query.country === "string" && /^[A-Z]{2}$/.test(req.query.country) ? req.query.country : "US";
    return {
      shop: { name: store.shop.name, permanent_domain: options.shop },
      localization: { country: { iso_code: country } },
      customer: customer ? { id: customer.id, first_name: customer.firstName, email: customer.email } : null,
      request: { page_type: pageType, path: storePath, host: options.shop },
    };
  };

  async function page(req: Request, res: Response, pageType: string, title: string, main: (block: string) => string) {
    const globals = globalsFor(req, pageType, req.path === "/" ? "/" : req.path);
    const form = await renderBlock("opt-in-form", { id: "parley-form", globals });
    const blocks: RenderedBlock[] = [form];
    let embeds = "";
    if (req.query.popup !== "0") {
      const delay = Number(req.query.popup_delay);
      const popup = await renderBlock("opt-in-popup", {
        id: "parley-popup",
        globals,
        settings: Number.isFinite(delay) && req.query.popup_delay !== undefined ? { delay_seconds: delay } : {},
      });
      blocks.push(popup);
      embeds = popup.html;
    }
    const settings = await prisma.shopSettings.findUnique({
      where: { shopId: options.shop },
      select: { optInFormEnabled: true },
    });
    res.type("html").send(
      renderStorePage({
        storeName: store.shop.name,
        title,
        head: schemaAssetTags(blocks, escapeHtml),
        main: main(form.html),
        embeds,
        customers: store.customers,
        customer: customerOf(req),
        optInOff: !settings?.optInFormEnabled,
        returnTo: req.originalUrl,
      }),
    );
  }

  const router: Router = express.Router();
  router.get("/", async (req, res, next) => {
    try {
      const products = store.products.filter((p) => p.status === "ACTIVE").slice(0, 8);
      await page(req, res, "index", "Home", (block) => {
        return `<section class="hero"><h1>Everyday clothes, made to last.</h1><p>New arrivals every week. Free shipping over $75.</p></section>
<h2 class="section" id="catalog">Shop the collection</h2><div class="grid">${products.map(productCard).join("")}</div>
<section class="apps" aria-label="Text sign-up">${block}</section>`;
      });
    } catch (error) {
      next(error);
    }
  });
  router.get("/products/:handle", async (req, res, next) => {
    try {
      const product = store.products.find((p) => p.handle === req.params.handle);
      if (!product) return void res.status(404).type("text").send("No such product");
      await page(req, res, "product", product.title, (block) => productDetail(product, block));
    } catch (error) {
      next(error);
    }
  });
  router.get("/assets/:file", (req, res) => {
    const file = req.params.file;
    if (!/^[\w.-]+\.(js|css)$/.test(file)) return void res.status(404).end();
    res.set("Cache-Control", "no-cache").sendFile(path.join(EXTENSION_DIR, "assets", file), (error) => {
      if (error && !res.headersSent) res.status(404).end();
    });
  });
  router.post("/session", express.urlencoded({ extended: false }), (req, res) => {
    const id = Number((req.body as Record<string, string>).customer);
    const known = store.customers.some((c) => c.id === id);
    res.setHeader(
      "Set-Cookie",
      `${CUSTOMER_COOKIE}=${known ? id : ""}; Path=/; SameSite=Lax; HttpOnly${known ? "" : "; Max-Age=0"}`,
    );
    res.redirect(303, safeReturn((req.body as Record<string, string>).returnTo));
  });
  router.post("/enable-opt-in", express.urlencoded({ extended: false }), async (req, res, next) => {
    try {
      await prisma.shopSettings.update({ where: { shopId: options.shop }, data: { optInFormEnabled: true } });
      res.redirect(303, safeReturn((req.body as Record<string, string>).returnTo));
    } catch (error) {
      next(error);
    }
  });

  // /apps/parley/* → the app's /proxy/*, signed like Shopify's app proxy.
  const proxy: Router = express.Router();
  proxy.all("*", express.raw({ type: () => true, limit: "100kb" }), async (req, res, next) => {
    try {
      const url = new URL(req.originalUrl, "http://storefront.invalid");
      const rest = url.pathname.slice(PROXY_PREFIX.length) || "/";
      const query = signProxyQuery(url.searchParams, {
        shop: options.shop,
        secret: options.apiSecret,
        customerId: customerOf(req)?.id ?? null,
      });
      const headers = new Headers({ "X-Forwarded-For": plainAddress(req.socket.remoteAddress) });
      for (const name of ["content-type", "accept", "user-agent", "accept-language"]) {
        const value = req.headers[name];
        if (typeof value === "string") headers.set(name, value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD" && Buffer.isBuffer(req.body);
      const answer = await fetch(`${options.appOrigin}/proxy${rest}?${query}`, {
        method: req.method,
        headers,
        body: hasBody ? new Uint8Array(req.body as Buffer) : undefined,
        redirect: "manual",
      });
      res.status(answer.status);
      for (const name of ["retry-after", "cache-control", "location"]) {
        const value = answer.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      const type = answer.headers.get("content-type") ?? "";
      const body = await answer.text();
      if (!type.includes("application/liquid")) return void res.type(type || "text/plain").send(body);
      // Shopify renders a Liquid answer with the shop's objects, inside the theme's layout unless it opts out.
      const rendered = await renderProxyLiquid(body, globalsFor(req, "page", url.pathname));
      if (!rendered.layout) return void res.type("html").send(rendered.html);
      res.type("html").send(
        renderStorePage({
          storeName: store.shop.name,
          title: "Text sign-up",
          head: "",
          main: rendered.html,
          embeds: "",
          customers: store.customers,
          customer: customerOf(req),
          optInOff: false,
          returnTo: STOREFRONT,
        }),
      );
    } catch (error) {
      next(error);
    }
  });

  return { router, proxy, assetPath: ASSET_PATH };
}
