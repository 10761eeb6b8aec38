import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Liquid } from "liquidjs";

// Renders the theme app extension's real files (extensions/parley-opt-in) the way a Shopify theme would: each
// block's settings start from its {% schema %} defaults, `t` reads the extension's locale, `asset_url` points at
// the sandbox's copy of the assets, and `render` finds the extension's snippets. Files are read on every page
// view, so an edit to the extension shows on the next reload.

export const EXTENSION_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../extensions/parley-opt-in",
);
export const ASSET_PATH = "/sandbox/storefront/assets";

const SCHEMA = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;

export interface SchemaSetting {
  type: string;
  id?: string;
  default?: unknown;
  min?: number;
  max?: number;
  step?: number;
}

export interface BlockSchema {
  name: string;
  target: "section" | "body" | "head";
  javascript?: string;
  stylesheet?: string;
  settings: SchemaSetting[];
}

export interface ExtensionBlock {
  source: string;
  schema: BlockSchema;
}

/** A block file split into its Liquid and its schema (parsed JSON). */
export function readBlock(name: string): ExtensionBlock {
  const file = readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const match = SCHEMA.exec(file);
  if (!match) throw new Error(`blocks/${name}.liquid has no {% schema %}`);
  return { source: file.replace(SCHEMA, ""), schema: JSON.parse(match[1]) as BlockSchema };
}

/** The settings a block has when a merchant adds it and changes nothing, plus any overrides. */
export function defaultSettings(schema: BlockSchema, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const setting of schema.settings) {
    if (!setting.id) continue; // headers and paragraphs
    settings[setting.id] = setting.default ?? (setting.type === "checkbox" ? false : null);
  }
  return { ...settings, ...overrides };
}

function lookup(tree: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
}

function engine(): Liquid {
  const locale = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales", "en.default.json"), "utf8")) as unknown;
  const liquid = new Liquid({
    partials: path.join(EXTENSION_DIR, "snippets"),
    extname: ".liquid",
    relativeReference: false,
  });
  liquid.registerFilter("t", (key: string) => {
    const value = lookup(locale, String(key));
    return typeof value === "string" ? value : `translation missing: en.${key}`;
  });
  liquid.registerFilter("asset_url", (name: string) => `${ASSET_PATH}/${encodeURIComponent(String(name))}`);
  return liquid;
}

/** Shopify's storefront objects the blocks read (the subset this extension uses). */
export interface StorefrontGlobals {
  shop: { name: string; permanent_domain: string };
  localization: { country: { iso_code: string } };
  customer: { id: number; first_name: string; email: string | null } | null;
  request: { page_type: string; path: string; host: string };
}

export interface RenderedBlock {
  html: string;
  schema: BlockSchema;
}

export async function renderBlock(
  name: string,
  options: { id: string; globals: StorefrontGlobals; settings?: Record<string, unknown> },
): Promise<RenderedBlock> {
  const block = readBlock(name);
  const scope = {
    block: {
      id: options.id,
      type: name,
      settings: defaultSettings(block.schema, options.settings),
      shopify_attributes: "",
    },
  };
  const html = (await engine().parseAndRender(block.source, scope, {
    globals: options.globals,
  })) as string;
  return { html, schema: block.schema };
}

/** The <head> tags Shopify adds for the blocks on a page: each schema's stylesheet and script, once each. */
export function schemaAssetTags(blocks: RenderedBlock[], escape: (value: string) => string): string {
  const styles = new Set(blocks.map((b) => b.schema.stylesheet).filter((s): s is string => Boolean(s)));
  const scripts = new Set(blocks.map((b) => b.schema.javascript).filter((s): s is string => Boolean(s)));
  return [
    ...[...styles].map((s) => `<link rel="stylesheet" href="${escape(`${ASSET_PATH}/${s}`)}">`),
    ...[...scripts].map((s) => `<script src="${escape(`${ASSET_PATH}/${s}`)}" defer></script>`),
  ].join("\n");
}

/** An answer of the app proxy in application/liquid, rendered with the storefront's objects. */
export async function renderProxyLiquid(
  body: string,
  globals: StorefrontGlobals,
): Promise<{ html: string; layout: boolean }> {
  const layout = !/\{%-?\s*layout\s+none\s*-?%\}/.test(body);
  const source = body.replace(/\{%-?\s*layout\s+none\s*-?%\}/, "");
  const html = (await new Liquid().parseAndRender(source, {}, { globals })) as string;
  return { html, layout };
}
