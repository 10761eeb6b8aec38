import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { defaultSettings, EXTENSION_DIR, readBlock, renderBlock, type StorefrontGlobals } from "./extension";

// The theme app extension's real files, rendered as the sandbox storefront renders them.

const globals: StorefrontGlobals = {
  shop: { name: "Acme", permanent_domain: "acme.myshopify.com" },
  localization: { country: { iso_code: "GB" } },
  customer: null,
  request: { page_type: "product", path: "/products/tee", host: "acme.myshopify.com" },
};

describe.each(["opt-in-form", "opt-in-popup"])("blocks/%s.liquid", (name) => {
  test("its schema is valid for a theme app extension", () => {
    const { schema } = readBlock(name);
    expect(schema.target).toBe(name === "opt-in-form" ? "section" : "body");
    expect(schema.javascript).toBe("parley-opt-in.js");
    expect(schema.stylesheet).toBe("parley-opt-in.css");
    const ids = schema.settings.flatMap((s) => (s.id ? [s.id] : []));
    expect(new Set(ids).size).toBe(ids.length);
    for (const setting of schema.settings) {
      if (setting.type !== "range") continue;
      const steps = (setting.max! - setting.min!) / setting.step!;
      expect(steps).toBeLessThanOrEqual(101); // Shopify's limit for a range setting
    }
  });

  test("every label it names is in the schema locale; every string it shows is in the storefront locale", async () => {
    const schemaLocale = JSON.parse(
      readFileSync(path.join(EXTENSION_DIR, "locales", "en.default.schema.json"), "utf8"),
    ) as Record<string, unknown>;
    const lookup = (key: string) =>
      key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], schemaLocale);
    const raw = readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
    for (const [, key] of raw.matchAll(/"t:([\w.]+)"/g)) expect(typeof lookup(key), key).toBe("string");
    const { html } = await renderBlock(name, { id: "b1", globals });
    expect(html).not.toContain("translation missing");
  });

  test("renders with its defaults: unchecked, required consent; the shopper's country chosen", async () => {
    const { html } = await renderBlock(name, { id: "b1", globals });
    expect(html).toMatch(/<input[^>]*name="consent"[^>]*type="checkbox"[^>]*required[^>]*disabled/);
    expect(html).not.toMatch(/name="consent"[^>]*checked/);
    expect(html).toContain('<option value="GB" selected>');
    expect(html).toContain('name="pageUrl" value="/products/tee"');
    expect(html).toContain('action="/apps/parley/subscribe"');
    expect(html).toMatch(/role="status" aria-live="polite"/);
  });
});

test("the popup is a labelled modal dialog and takes its behaviour from the settings", async () => {
  const { html } = await renderBlock("opt-in-popup", { id: "p1", globals, settings: { delay_seconds: 0 } });
  expect(html).toContain('role="dialog" aria-modal="true" aria-labelledby="parley-p1-heading"');
  expect(html).toContain('id="parley-p1-heading">Get 10% off your next order</h2>');
  expect(html).toContain('data-delay-seconds="0"');
  expect(html).toContain('data-frequency-days="7"');
  expect(html).toContain('aria-label="Close"');
});

test("the popup stays off the cart page", async () => {
  const cart = { ...globals, request: { ...globals.request, page_type: "cart" } };
  const { html } = await renderBlock("opt-in-popup", { id: "p1", globals: cart });
  expect(html).not.toContain("data-parley-popup");
});

test("merchant text is escaped", async () => {
  const { html } = await renderBlock("opt-in-form", {
    id: "b1",
    globals,
    settings: { headline: "<img src=x onerror=alert(1)>" },
  });
  expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
});

test("defaultSettings: schema defaults, checkboxes false, others null, overrides win", () => {
  const { schema } = readBlock("opt-in-popup");
  const settings = defaultSettings(schema, { delay_seconds: 3 });
  expect(settings).toMatchObject({ delay_seconds: 3, exit_intent: true, frequency_days: 7, terms_url: null });
  expect(settings).not.toHaveProperty("undefined");
});
