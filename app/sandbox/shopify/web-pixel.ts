import { requireScope } from "./admin-scopes";
import type { AdminContext } from "./admin-context";
import { idArgument, toGid } from "./ids";
import type { WebPixelRecord } from "./types";

// The app's web pixel (webPixelCreate / webPixelUpdate / webPixel). Shopify keeps one pixel per app and shop and
// checks its settings against the `[settings.fields]` of the app's web pixel extension; the simulated app is
// Parley, so the definition is extensions/parley-pixel/shopify.extension.toml's (a unit test keeps them equal).

export const PIXEL_SETTINGS_FIELDS = ["accountID", "ingestUrl"] as const;

type UserError = { field: string[]; message: string; code: string };
type Payload = { webPixel: { id: string; settings: string } | null; userErrors: UserError[] };
type PixelInput = { settings: unknown };

/** The JSON scalar takes the settings as a JSON string (what Shopify's examples send) or as an object. */
const settingsText = (input: PixelInput) =>
  typeof input.settings === "string" ? input.settings : JSON.stringify(input.settings);

const present = (record: WebPixelRecord) => ({ id: toGid("WebPixel", record.id), settings: record.settings });
const refuse = (code: string, message: string): Payload => ({
  webPixel: null,
  userErrors: [{ field: ["webPixel", "settings"], message, code }],
});

/** Shopify's checks of a settings string against the extension's definition (every field, strings only). */
function validateSettings(settings: string): Payload | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(settings);
  } catch {
    return refuse("INVALID_CONFIGURATION_JSON", "The provided settings is not a valid JSON.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return refuse("INVALID_CONFIGURATION_JSON", "The provided settings is not a valid JSON.");
  }
  const entries = Object.entries(parsed);
  const known = new Set<string>(PIXEL_SETTINGS_FIELDS);
  const valid =
    entries.every(([key, value]) => known.has(key) && typeof value === "string") &&
    PIXEL_SETTINGS_FIELDS.every((key) => key in parsed);
  return valid
    ? null
    : refuse("INVALID_SETTINGS", "The provided settings does not match the expected settings definition on the app.");
}

function requirePixelScopes(context: AdminContext, field: string) {
  requireScope(context, "write_pixels", field);
  requireScope(context, "read_customer_events", field);
}

export function webPixelCreate(args: { webPixel: PixelInput }, context: AdminContext): Payload {
  requirePixelScopes(context, "webPixelCreate");
  if (context.store.state.webPixel) {
    return { webPixel: null, userErrors: [{ field: ["webPixel"], message: "Web pixel is taken.", code: "TAKEN" }] };
  }
  const settings = settingsText(args.webPixel);
  return validateSettings(settings) ?? { webPixel: present(context.store.saveWebPixel(settings)), userErrors: [] };
}

export function webPixelUpdate(args: { id: string; webPixel: PixelInput }, context: AdminContext): Payload {
  requirePixelScopes(context, "webPixelUpdate");
  const current = context.store.state.webPixel;
  if (!current || idArgument(args.id, "WebPixel") !== current.id) {
    return {
      webPixel: null,
      userErrors: [
        {
          field: ["id"],
          message: "The record with the ID used as the input value couldn't be found.",
          code: "NOT_FOUND",
        },
      ],
    };
  }
  const settings = settingsText(args.webPixel);
  return validateSettings(settings) ?? { webPixel: present(context.store.saveWebPixel(settings)), userErrors: [] };
}

/** The app's pixel (the id argument is optional on Shopify); null when the app has none on this shop. */
export function webPixel(args: { id?: string | null }, context: AdminContext) {
  requireScope(context, "read_pixels", "webPixel");
  const current = context.store.state.webPixel;
  if (!current) return null;
  if (args.id && idArgument(args.id, "WebPixel") !== current.id) return null;
  return present(current);
}
