import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseScopes } from "./admin-scopes";
import { executeAdminGraphql } from "./admin-graphql";
import { ThrottleBucket } from "./query-cost";
import { ShopifyStore } from "./store";
import { PIXEL_SETTINGS_FIELDS } from "./web-pixel";

// webPixelCreate / webPixelUpdate / webPixel as Shopify answers them: one pixel per app and shop, settings checked
// against the extension's definition, userErrors with ErrorsWebPixelUserErrorCode.

const PIXEL_SCOPES = "write_pixels,read_customer_events";
const run = (store: ShopifyStore, query: string, variables?: Record<string, unknown>, scopes = PIXEL_SCOPES) =>
  executeAdminGraphql(
    { query, variables },
    {
      store,
      scopes: parseScopes(scopes),
      imageBaseUrl: "http://img",
      bucket: new ThrottleBucket(),
      forceThrottle: false,
      enforceBucket: false,
    },
  );

const CREATE = `mutation($s: JSON!) { webPixelCreate(webPixel: { settings: $s }) { webPixel { id settings } userErrors { field message code } } }`;
const UPDATE = `mutation($id: ID!, $s: JSON!) { webPixelUpdate(id: $id, webPixel: { settings: $s }) { webPixel { id settings } userErrors { field message code } } }`;
const settings = (accountID: string) => JSON.stringify({ accountID, ingestUrl: "https://parley.test/pixel/events" });
const newStore = () => new ShopifyStore({ now: () => new Date("2026-03-01T15:00:00Z") });

describe("web pixel", () => {
  it("creates the app's pixel once; a second create is TAKEN; the query returns it", async () => {
    const store = newStore();
    expect((await run(store, `{ webPixel { id } }`)).data).toEqual({ webPixel: null });

    const created = await run(store, CREATE, { s: settings("tok-1") });
    expect(created.errors).toBeUndefined();
    expect(created.data).toEqual({
      webPixelCreate: { webPixel: { id: "gid://shopify/WebPixel/1", settings: settings("tok-1") }, userErrors: [] },
    });

    const again = await run(store, CREATE, { s: settings("tok-2") });
    expect(again.data).toMatchObject({ webPixelCreate: { webPixel: null, userErrors: [{ code: "TAKEN" }] } });
    expect((await run(store, `{ webPixel { id settings } }`)).data).toEqual({
      webPixel: { id: "gid://shopify/WebPixel/1", settings: settings("tok-1") },
    });
  });

  it("updates the pixel by id; an unknown id is NOT_FOUND", async () => {
    const store = newStore();
    await run(store, CREATE, { s: settings("tok-1") });
    const missing = await run(store, UPDATE, { id: "gid://shopify/WebPixel/99", s: settings("tok-2") });
    expect(missing.data).toMatchObject({ webPixelUpdate: { webPixel: null, userErrors: [{ code: "NOT_FOUND" }] } });

    const updated = await run(store, UPDATE, { id: "gid://shopify/WebPixel/1", s: settings("tok-2") });
    expect(updated.data).toEqual({
      webPixelUpdate: { webPixel: { id: "gid://shopify/WebPixel/1", settings: settings("tok-2") }, userErrors: [] },
    });
    store.reset(); // the app's pixel survives a reseed, like its tokens
    expect(store.state.webPixel?.settings).toBe(settings("tok-2"));
  });

  it.each([
    ["not JSON", "{accountID:", "INVALID_CONFIGURATION_JSON"],
    ["a JSON array", "[]", "INVALID_CONFIGURATION_JSON"],
    [
      "a field the extension does not define",
      JSON.stringify({ accountID: "t", ingestUrl: "u", x: "1" }),
      "INVALID_SETTINGS",
    ],
    ["a missing field", JSON.stringify({ accountID: "t" }), "INVALID_SETTINGS"],
    ["a number where text is defined", JSON.stringify({ accountID: 5, ingestUrl: "u" }), "INVALID_SETTINGS"],
  ])("refuses settings that are %s", async (_name, value, code) => {
    const store = newStore();
    const result = await run(store, CREATE, { s: value });
    expect(result.data).toMatchObject({ webPixelCreate: { webPixel: null, userErrors: [{ code }] } });
    expect(store.state.webPixel ?? null).toBeNull();
  });

  it("requires write_pixels and read_customer_events", async () => {
    const store = newStore();
    for (const scopes of ["write_pixels", "read_customer_events", "read_customers"]) {
      const result = await run(store, CREATE, { s: settings("t") }, scopes);
      expect(result.errors?.[0]).toMatchObject({ extensions: { code: "ACCESS_DENIED" } });
    }
    expect(store.state.webPixel ?? null).toBeNull();
  });

  it("checks the fields the Parley pixel extension defines", () => {
    const toml = readFileSync(
      new URL("../../../extensions/parley-pixel/shopify.extension.toml", import.meta.url),
      "utf8",
    );
    const fields = [...toml.matchAll(/^\[settings\.fields\.(\w+)\]/gm)].map((m) => m[1]);
    expect(fields.sort()).toEqual([...PIXEL_SETTINGS_FIELDS].sort());
  });
});
