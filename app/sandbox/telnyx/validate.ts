import { isGsm7 } from "./segments";

// Request validation for the simulated POST /v2/messages, answering with Telnyx's error shape:
// `{ errors: [{ code, title, detail, source: { pointer } }] }`. Codes are Telnyx's documented 10xxx API codes.
// Telnyx's exact wording and the choice between 400 and 422 are not published per case; the simulator uses 422
// for invalid parameters and 400 for a body it cannot read, which the SDK surfaces as UnprocessableEntityError /
// BadRequestError — both permanent for the app.

export interface TelnyxApiError {
  code: string;
  title: string;
  detail: string;
  source?: { pointer?: string; parameter?: string };
}

export interface SendRequest {
  from: string;
  to: string;
  text: string;
  mediaUrls: string[];
  subject: string | null;
  type: "SMS" | "MMS";
  messagingProfileId?: string;
  webhookUrl?: string;
  webhookFailoverUrl?: string;
  encoding: "auto" | "gsm7" | "ucs2";
}

const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: unknown): value is string {
  return typeof value === "string" && E164.test(value);
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length > 2000) return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const missing = (field: string, detail?: string): TelnyxApiError => ({
  code: "10004",
  title: "Missing required parameter",
  detail: detail ?? `The '${field}' parameter is required.`,
  source: { pointer: `/${field}` },
});
const notE164 = (field: string): TelnyxApiError => ({
  code: "10016",
  title: "Phone number must be in +E.164 format",
  detail: `The '${field}' parameter must be a phone number in +E.164 format.`,
  source: { pointer: `/${field}` },
});
const badUrl = (pointer: string): TelnyxApiError => ({
  code: "10003",
  title: "Invalid URL",
  detail: "The URL provided was invalid, malformed, or too long. URLs can be a maximum of 2000 characters.",
  source: { pointer },
});
const badRequest = (pointer: string, detail: string): TelnyxApiError => ({
  code: "10015",
  title: "Bad Request",
  detail,
  source: { pointer },
});

export function validateSendRequest(
  body: unknown,
  options: { storeNumbers?: string[] } = {},
): { ok: true; request: SendRequest } | { ok: false; errors: TelnyxApiError[] } {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, errors: [badRequest("/", "The request body must be a JSON object.")] };
  }
  const b = body as Record<string, unknown>;
  const errors: TelnyxApiError[] = [];

  if (b.to === undefined || b.to === null || b.to === "") errors.push(missing("to"));
  else if (!isE164(b.to)) errors.push(notE164("to"));

  if (b.from === undefined || b.from === null || b.from === "") {
    // Telnyx picks a number from the profile's pool when only messaging_profile_id is given; the simulator has no pools.
    errors.push(missing("from"));
  } else if (!isE164(b.from)) {
    errors.push(notE164("from"));
  } else if (options.storeNumbers?.length && !options.storeNumbers.includes(b.from)) {
    errors.push({
      code: "40013",
      title: "Invalid source number",
      detail: "The 'from' number is not a messaging-enabled number on this account.",
      source: { pointer: "/from" },
    });
  }

  const text = b.text;
  if (text !== undefined && text !== null && typeof text !== "string")
    errors.push(badRequest("/text", "The 'text' parameter must be a string."));
  const media = b.media_urls ?? [];
  if (!Array.isArray(media))
    errors.push(badRequest("/media_urls", "The 'media_urls' parameter must be an array of URLs."));
  const mediaUrls = Array.isArray(media) ? media : [];
  mediaUrls.forEach((url, i) => {
    if (!isHttpUrl(url)) errors.push(badUrl(`/media_urls/${i}`));
  });
  if ((typeof text !== "string" || text.length === 0) && mediaUrls.length === 0) {
    errors.push(missing("text", "Either 'text' or 'media_urls' must be provided."));
  }

  for (const field of ["webhook_url", "webhook_failover_url"] as const) {
    if (b[field] !== undefined && b[field] !== null && b[field] !== "" && !isHttpUrl(b[field]))
      errors.push(badUrl(`/${field}`));
  }
  const type = b.type ?? (mediaUrls.length ? "MMS" : "SMS");
  if (type !== "SMS" && type !== "MMS") errors.push(badRequest("/type", "The 'type' parameter must be SMS or MMS."));
  if (type === "SMS" && mediaUrls.length) errors.push(badRequest("/type", "Media requires type MMS."));
  const encoding = b.encoding ?? "auto";
  if (encoding !== "auto" && encoding !== "gsm7" && encoding !== "ucs2")
    errors.push(badRequest("/encoding", "The 'encoding' parameter must be auto, gsm7 or ucs2."));
  if (encoding === "gsm7" && typeof text === "string" && !isGsm7(text)) {
    errors.push(badRequest("/text", "The text contains characters that cannot be encoded in GSM-7."));
  }
  if (
    b.messaging_profile_id !== undefined &&
    b.messaging_profile_id !== null &&
    typeof b.messaging_profile_id !== "string"
  ) {
    errors.push(badRequest("/messaging_profile_id", "The 'messaging_profile_id' parameter must be a string."));
  }

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    request: {
      from: b.from as string,
      to: b.to as string,
      text: typeof text === "string" ? text : "",
      mediaUrls: mediaUrls as string[],
      subject: typeof b.subject === "string" ? b.subject : null,
      type: type as "SMS" | "MMS",
      messagingProfileId: (b.messaging_profile_id as string | undefined) || undefined,
      webhookUrl: (b.webhook_url as string | undefined) || undefined,
      webhookFailoverUrl: (b.webhook_failover_url as string | undefined) || undefined,
      encoding: encoding as SendRequest["encoding"],
    },
  };
}
