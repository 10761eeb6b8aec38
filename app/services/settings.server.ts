import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z } from "zod";
import { Prisma, prisma, transaction } from "~/db.server";
import { OVERRIDE_ROLES, overrideRole } from "~/domain/discount-guardrails";
import { keywordReply } from "~/domain/keyword-replies";
import { type JoinKeywordProblem, joinKeywordProblem, parseJoinKeywords } from "~/domain/keywords";
import { OPT_IN_EXPIRY_HOURS } from "~/domain/opt-in";
import { env } from "~/env.server";
import { enqueue } from "~/jobs/boss.server";
import { encryptSecret } from "~/lib/crypto.server";
import { PROBLEM_TEXT } from "./keyword-replies.server";
import { ensureShop } from "./shops.server";

// The shop's settings as the Settings page edits them. The zod schema below *is* the form: its input type is
// what the page holds in state and posts, its output is what gets stored. Anything wrong comes back as one
// message per field path ("businessHours.mon.end"), answered with HTTP 400 by the route.

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When marketing texts may go out in the shopper's local time (TCPA); some states end at 20:00. */
export const LEGAL_SEND_WINDOW = { start: "08:00", end: "21:00" } as const;

export const TIME_ZONES: readonly string[] = ["UTC", ...Intl.supportedValuesOf("timeZone")];
const TIME_ZONE_SET = new Set(TIME_ZONES);

const DEFAULT_HOURS = { open: true, start: "09:00", end: "17:00" };
const CLOSED_HOURS = { open: false, start: "09:00", end: "17:00" };

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a time like 09:00");

function wholeNumber(what: string, min: number, max: number) {
  return z
    .string()
    .trim()
    .min(1, `Enter ${what}`)
    .regex(/^\d+$/, "Enter a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `Must be at least ${min}`).max(max, `Must be at most ${max}`));
}

const moneyToCents = z
  .string()
  .trim()
  .min(1, "Enter an amount")
  .regex(/^\d+(\.\d{1,2})?$/, "Enter an amount like 20 or 19.99")
  .transform((value) => Math.round(Number(value) * 100))
  .pipe(z.number().int().min(0).max(1_000_000, "Must be at most 10,000.00"));

/** A phone number in any common notation → E.164 (US numbers may omit +1). */
export function toE164(value: string): string | null {
  const parsed = parsePhoneNumberFromString(value.trim(), "US");
  return parsed && parsed.isValid() ? parsed.number : null;
}

const phoneNumber = (message: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      const e164 = toE164(value);
      if (!e164) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return e164;
    });

const optionalPhoneNumber = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (!value) return null;
    const e164 = toE164(value);
    if (!e164) {
      ctx.addIssue({ code: "custom", message: "Enter a valid phone number, e.g. +1 415 555 0134" });
      return z.NEVER;
    }
    return e164;
  });

function isContact(value: string) {
  if (z.email().safeParse(value).success) return true;
  if (/^https?:\/\/\S+\.\S+$/i.test(value)) return true;
  return toE164(value) !== null;
}

const JOIN_KEYWORD_TEXT: Record<JoinKeywordProblem, string> = {
  empty: "is empty",
  too_long: "is longer than 20 characters",
  not_a_word: "may only use letters, digits and spaces",
  opt_out: "would opt shoppers out (STOP and its family)",
  opt_in: "is START/UNSTOP, which resubscribes",
  help: "is HELP/INFO, which asks for help",
  confirm: "is a “yes”, which confirms a pending sign-up",
};

// "JOIN, VIP" → ["JOIN", "VIP"]; a keyword STOP, START, HELP or a "Y" would read first can never work.
const joinKeywordList = z.string().transform((list, ctx) => {
  const words = parseJoinKeywords(list);
  for (const word of words) {
    const problem = joinKeywordProblem(word);
    if (problem) ctx.addIssue({ code: "custom", message: `“${word}” ${JOIN_KEYWORD_TEXT[problem]}` });
  }
  if (words.length > 10) ctx.addIssue({ code: "custom", message: "Use at most 10 keywords" });
  return words;
});

const dayHours = z
  .object({ open: z.boolean(), start: timeOfDay, end: timeOfDay })
  .refine((day) => !day.open || day.start < day.end, {
    path: ["end"],
    message: "Closing time must be after opening time",
  });

const CROSS_FIELD_INPUTS = new Set([
  "quietHoursPolicy",
  "sendWindowStart",
  "sendWindowEnd",
  "telnyxApiKeyAction",
  "telnyxApiKey",
]);

export const settingsSchema = z
  .object({
    brandName: z
      .string()
      .trim()
      .min(1, "Enter the brand name shoppers know you by")
      .max(60, "Keep it under 60 characters"),
    senderName: z.string().trim().max(30, "Keep it under 30 characters"),
    supportContact: z
      .string()
      .trim()
      .min(1, "Enter where shoppers can get help: carriers require it in HELP replies")
      .max(120, "Keep it under 120 characters")
      .refine(isContact, "Enter an email address, a web address (https://…) or a phone number"),
    messageFrequency: z
      .string()
      .trim()
      .min(1, "Say how often shoppers will hear from you, e.g. “Up to 4 msgs/month”")
      .max(60, "Keep it under 60 characters"),
    timeZone: z.string().refine((zone) => TIME_ZONE_SET.has(zone), "Choose a time zone from the list"),
    businessHours: z.object({
      mon: dayHours,
      tue: dayHours,
      wed: dayHours,
      thu: dayHours,
      fri: dayHours,
      sat: dayHours,
      sun: dayHours,
    }),
    quietHoursPolicy: z.enum(["STRICT_STATE_RULES", "SHOP_WINDOW"]),
    /** First minute texts may go out (quietHoursEnd in the database). */
    sendWindowStart: timeOfDay,
    /** When sending stops (quietHoursStart in the database). */
    sendWindowEnd: timeOfDay,
    discountMaxPercent: wholeNumber("a percentage", 1, 100),
    discountMaxAmount: moneyToCents,
    discountDefaultExpiryHours: wholeNumber("a number of hours", 1, 720),
    // Who may create codes beyond the limits above (app/domain/discount-guardrails.ts).
    discountOverrideRole: z.enum(OVERRIDE_ROLES, { error: "Choose who may go beyond the limits" }).default("owner"),
    // Opt-in (app/domain/opt-in.ts). Optional so that a client posting only the older fields changes none of them.
    doubleOptIn: z.boolean().optional(),
    optInExpiryHours: wholeNumber("a number of hours", OPT_IN_EXPIRY_HOURS.min, OPT_IN_EXPIRY_HOURS.max).optional(),
    welcomeMessage: z.string().trim().max(480, "Keep it under 480 characters").optional(),
    welcomeDiscountEnabled: z.boolean().optional(),
    welcomeDiscountPercent: wholeNumber("a percentage", 1, 100).optional(),
    joinKeywords: joinKeywordList.optional(),
    browseRetentionDays: wholeNumber("a number of days", 1, 730).optional(),
    sendingNumber: optionalPhoneNumber,
    messagesPerSecond: wholeNumber("messages per second", 1, 1000),
    telnyxApiKeyAction: z.enum(["keep", "replace", "remove"]),
    telnyxApiKey: z.string().trim(),
    telnyxPublicKey: z
      .string()
      .trim()
      .refine(
        (v) => !v || (/^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, "base64").length === 32),
        "Paste the public key exactly as the Telnyx portal shows it (base64, 44 characters)",
      ),
    telnyxMessagingProfileId: z
      .string()
      .trim()
      .refine(
        (v) => !v || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
        "A messaging profile ID looks like 40017f8e-49bd-4f16-9e3d-ef103f916228",
      ),
  })
  .superRefine(
    (value, ctx) => {
      if (value.telnyxApiKeyAction === "replace" && !/^\S{10,}$/.test(value.telnyxApiKey)) {
        ctx.addIssue({
          code: "custom",
          path: ["telnyxApiKey"],
          message: "Paste the API key from the Telnyx portal (it starts with KEY)",
        });
      }
      if (
        typeof value.welcomeDiscountPercent === "number" &&
        typeof value.discountMaxPercent === "number" &&
        value.welcomeDiscountPercent > value.discountMaxPercent
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["welcomeDiscountPercent"],
          message: `Your discount guardrail allows at most ${value.discountMaxPercent}% off`,
        });
      }
      const welcomeProblems = welcomeMessageProblems(value);
      if (welcomeProblems.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["welcomeMessage"],
          message: `The welcome message must ${welcomeProblems.join(", ")}`,
        });
      }
      if (value.quietHoursPolicy === "SHOP_WINDOW") {
        if (value.sendWindowStart < LEGAL_SEND_WINDOW.start) {
          ctx.addIssue({
            code: "custom",
            path: ["sendWindowStart"],
            message: "Texts can't go out before 8:00 AM: you can narrow the legal window, not widen it",
          });
        }
        if (value.sendWindowEnd > LEGAL_SEND_WINDOW.end) {
          ctx.addIssue({
            code: "custom",
            path: ["sendWindowEnd"],
            message: "Texts can't go out after 9:00 PM: you can narrow the legal window, not widen it",
          });
        }
        if (value.sendWindowStart >= value.sendWindowEnd) {
          ctx.addIssue({ code: "custom", path: ["sendWindowEnd"], message: "The window must end after it starts" });
        }
      }
    },
    {
      // Zod skips object refinements once any field failed; these only need their own fields, so the merchant
      // sees every problem in one round.
      when: (payload) =>
        typeof payload.value === "object" &&
        payload.value !== null &&
        !payload.issues.some((issue) => !issue.path?.length || CROSS_FIELD_INPUTS.has(String(issue.path[0]))),
    },
  );

/** What a custom welcome message lacks, judged against the brand, support contact and frequency being saved. */
function welcomeMessageProblems(value: {
  welcomeMessage?: unknown;
  brandName?: unknown;
  supportContact?: unknown;
  messageFrequency?: unknown;
}): string[] {
  const text = typeof value.welcomeMessage === "string" ? value.welcomeMessage.trim() : "";
  const { brandName, supportContact, messageFrequency } = value;
  if (!text || typeof brandName !== "string" || !brandName || typeof messageFrequency !== "string" || !messageFrequency)
    return [];
  const program = {
    brandName,
    supportContact: typeof supportContact === "string" && supportContact ? supportContact : "support",
    frequency: messageFrequency,
  };
  return keywordReply("welcome", program, text).problems.map((problem) => PROBLEM_TEXT[problem]);
}

export type SettingsFormValues = z.input<typeof settingsSchema>;
export type SettingsInput = z.output<typeof settingsSchema>;
export type FieldErrors = Record<string, string>;

export type Validation<T> = { ok: true; data: T } | { ok: false; fieldErrors: FieldErrors };

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

export function validateSettings(input: unknown): Validation<SettingsInput> {
  const result = settingsSchema.safeParse(input);
  return result.success ? { ok: true, data: result.data } : { ok: false, fieldErrors: fieldErrorsOf(result.error) };
}

export const testMessageSchema = z.object({ to: phoneNumber("Enter the mobile number to text, e.g. +1 415 555 0134") });

export function validateTestMessage(input: unknown): Validation<z.output<typeof testMessageSchema>> {
  const result = testMessageSchema.safeParse(input);
  return result.success ? { ok: true, data: result.data } : { ok: false, fieldErrors: fieldErrorsOf(result.error) };
}

// ─── Reading ──────────────────────────────────────────────────────────────────────────────────────

async function settingsRow(shopId: string) {
  const row = await prisma.shopSettings.findUnique({ where: { shopId } });
  if (row) return row;
  await ensureShop(shopId); // normally done by the afterAuth hook; a redacted-then-reopened shop lands here
  return prisma.shopSettings.findUniqueOrThrow({ where: { shopId } });
}

function defaultNumber(shopId: string) {
  return prisma.sendingNumber.findFirst({ where: { shopId }, orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }] });
}

function hoursFromJson(json: unknown): SettingsFormValues["businessHours"] {
  const stored = (json && typeof json === "object" ? json : {}) as Record<string, unknown>;
  const configured = Object.keys(stored).length > 0;
  const entries = WEEKDAYS.map((day) => {
    const ranges = stored[day];
    const first = Array.isArray(ranges) && Array.isArray(ranges[0]) ? (ranges[0] as unknown[]) : null;
    if (first && typeof first[0] === "string" && typeof first[1] === "string")
      return [day, { open: true, start: first[0], end: first[1] }];
    if (configured) return [day, { ...CLOSED_HOURS }];
    return [day, day === "sat" || day === "sun" ? { ...CLOSED_HOURS } : { ...DEFAULT_HOURS }];
  });
  return Object.fromEntries(entries) as SettingsFormValues["businessHours"];
}

function hoursToJson(hours: SettingsInput["businessHours"]) {
  return Object.fromEntries(WEEKDAYS.map((day) => [day, hours[day].open ? [[hours[day].start, hours[day].end]] : []]));
}

export type TestMessageStatus = "queued" | "sending" | "sent" | "failed";

export interface SettingsPageData {
  values: SettingsFormValues;
  telnyx: { apiKeySaved: boolean; platformKeyAvailable: boolean };
  numberConnected: boolean;
  testMessage: {
    to: string;
    status: TestMessageStatus;
    error: string | null;
    providerMessageId: string | null;
    requestedAt: string | null;
    completedAt: string | null;
  } | null;
  timeZones: readonly string[];
}

/** Everything the Settings page renders. The Telnyx API key never leaves the server: only whether one is saved. */
export async function loadSettingsPage(shopId: string): Promise<SettingsPageData> {
  const [row, number] = await Promise.all([settingsRow(shopId), defaultNumber(shopId)]);
  const values: SettingsFormValues = {
    brandName: row.brandName,
    senderName: row.senderName,
    supportContact: row.supportContact,
    messageFrequency: row.messageFrequency,
    timeZone: row.timeZone,
    businessHours: hoursFromJson(row.businessHours),
    quietHoursPolicy: row.quietHoursPolicy,
    sendWindowStart: row.quietHoursEnd,
    sendWindowEnd: row.quietHoursStart,
    discountMaxPercent: String(row.discountMaxPercent),
    discountMaxAmount: (row.discountMaxAmountCents / 100).toFixed(2),
    discountDefaultExpiryHours: String(row.discountDefaultExpiryHrs),
    discountOverrideRole: overrideRole(row.discountOverrideRole),
    doubleOptIn: row.doubleOptIn,
    optInExpiryHours: String(row.optInExpiryHours),
    welcomeMessage: row.welcomeMessage,
    welcomeDiscountEnabled: row.welcomeDiscountEnabled,
    welcomeDiscountPercent: String(row.welcomeDiscountPercent),
    joinKeywords: row.joinKeywords.join(", "),
    browseRetentionDays: String(row.browseRetentionDays),
    sendingNumber: number?.phoneE164 ?? "",
    messagesPerSecond: String(number?.messagesPerSecond ?? 1),
    telnyxApiKeyAction: "keep",
    telnyxApiKey: "",
    telnyxPublicKey: row.telnyxPublicKey ?? "",
    telnyxMessagingProfileId: row.telnyxMessagingProfileId ?? "",
  };
  return {
    values,
    telnyx: { apiKeySaved: Boolean(row.telnyxApiKeyEnc), platformKeyAvailable: Boolean(env().TELNYX_API_KEY) },
    numberConnected: Boolean(number),
    testMessage:
      row.testMessageStatus && row.testMessageTo
        ? {
            to: row.testMessageTo,
            status: row.testMessageStatus as TestMessageStatus,
            error: row.testMessageError,
            providerMessageId: row.testMessageProviderId,
            requestedAt: row.testMessageRequestedAt?.toISOString() ?? null,
            completedAt: row.testMessageCompletedAt?.toISOString() ?? null,
          }
        : null,
    timeZones: TIME_ZONES,
  };
}

// ─── Writing ──────────────────────────────────────────────────────────────────────────────────────

export type SaveResult = { ok: true } | { ok: false; fieldErrors: FieldErrors };

export async function saveSettings(shopId: string, data: SettingsInput): Promise<SaveResult> {
  await settingsRow(shopId);
  const strict = data.quietHoursPolicy === "STRICT_STATE_RULES";
  const telnyxApiKeyEnc =
    data.telnyxApiKeyAction === "replace"
      ? { telnyxApiKeyEnc: encryptSecret(data.telnyxApiKey, { context: shopId }) }
      : data.telnyxApiKeyAction === "remove"
        ? { telnyxApiKeyEnc: null }
        : {};
  const profileId = data.telnyxMessagingProfileId || null;

  if (data.sendingNumber) {
    const owner = await prisma.sendingNumber.findUnique({
      where: { phoneE164: data.sendingNumber },
      select: { shopId: true },
    });
    if (owner && owner.shopId !== shopId) {
      return { ok: false, fieldErrors: { sendingNumber: "This number is already connected to another store" } };
    }
  }

  try {
    await transaction(async (tx) => {
      await tx.shopSettings.update({
        where: { shopId },
        data: {
          brandName: data.brandName,
          senderName: data.senderName,
          supportContact: data.supportContact,
          messageFrequency: data.messageFrequency,
          timeZone: data.timeZone,
          businessHours: hoursToJson(data.businessHours),
          quietHoursPolicy: data.quietHoursPolicy,
          quietHoursStart: strict ? LEGAL_SEND_WINDOW.end : data.sendWindowEnd,
          quietHoursEnd: strict ? LEGAL_SEND_WINDOW.start : data.sendWindowStart,
          discountMaxPercent: data.discountMaxPercent,
          discountMaxAmountCents: data.discountMaxAmount,
          discountDefaultExpiryHrs: data.discountDefaultExpiryHours,
          discountOverrideRole: data.discountOverrideRole,
          ...optInFields(data),
          telnyxPublicKey: data.telnyxPublicKey || null,
          telnyxMessagingProfileId: profileId,
          ...telnyxApiKeyEnc,
        },
      });

      const current = await tx.sendingNumber.findFirst({
        where: { shopId },
        orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }],
      });
      if (!data.sendingNumber) {
        // Messages and conversations keep their history: their link to the number is set to null.
        if (current) await tx.sendingNumber.delete({ where: { id: current.id } });
        return;
      }
      const fields = {
        phoneE164: data.sendingNumber,
        messagesPerSecond: data.messagesPerSecond,
        messagingProfileId: profileId,
        isDefault: true,
      };
      const sameNumber = await tx.sendingNumber.findUnique({ where: { phoneE164: data.sendingNumber } });
      if (sameNumber) {
        await tx.sendingNumber.update({ where: { id: sameNumber.id }, data: fields });
        if (current && current.id !== sameNumber.id)
          await tx.sendingNumber.update({ where: { id: current.id }, data: { isDefault: false } });
      } else if (current) {
        await tx.sendingNumber.update({ where: { id: current.id }, data: fields });
      } else {
        await tx.sendingNumber.create({ data: { shopId, ...fields } });
      }
    });
  } catch (error) {
    // Another store claimed the number between the check and the write.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, fieldErrors: { sendingNumber: "This number is already connected to another store" } };
    }
    throw error;
  }
  return { ok: true };
}

/** The opt-in settings that were posted (an absent field keeps its stored value). */
function optInFields(data: SettingsInput) {
  const fields = {
    doubleOptIn: data.doubleOptIn,
    optInExpiryHours: data.optInExpiryHours,
    welcomeMessage: data.welcomeMessage,
    welcomeDiscountEnabled: data.welcomeDiscountEnabled,
    welcomeDiscountPercent: data.welcomeDiscountPercent,
    joinKeywords: data.joinKeywords,
    browseRetentionDays: data.browseRetentionDays,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<
    typeof fields
  >;
}

export type TestMessageRequest = { ok: true; to: string } | { ok: false; fieldErrors: FieldErrors };

export function testMessageText(brandName: string) {
  return `${brandName || "Parley"}: this is a test message from Parley. Your texting setup works.`;
}

/** Records the request on the shop's settings and hands the send to the worker (`sms.send-test`). */
export async function requestTestMessage(
  shopId: string,
  input: unknown,
  options: { requestedBy?: string; enqueue?: typeof enqueue } = {},
): Promise<TestMessageRequest> {
  const parsed = validateTestMessage(input);
  if (!parsed.ok) return parsed;
  const [row, number] = await Promise.all([settingsRow(shopId), defaultNumber(shopId)]);
  if (!number)
    return { ok: false, fieldErrors: { to: "Connect a sending number above and save before sending a test" } };
  if (!row.telnyxApiKeyEnc && !env().TELNYX_API_KEY) {
    return { ok: false, fieldErrors: { to: "Add your Telnyx API key above and save before sending a test" } };
  }
  const { to } = parsed.data;
  await prisma.shopSettings.update({
    where: { shopId },
    data: {
      testMessageTo: to,
      testMessageStatus: "queued",
      testMessageError: null,
      testMessageProviderId: null,
      testMessageRequestedAt: new Date(),
      testMessageCompletedAt: null,
    },
  });
  try {
    await (options.enqueue ?? enqueue)("sendTestMessage", {
      shopId,
      to,
      text: testMessageText(row.brandName),
      requestedBy: options.requestedBy,
    });
  } catch (error) {
    const reason = `The job queue did not accept the message: ${error instanceof Error ? error.message : String(error)}`;
    await prisma.shopSettings.update({
      where: { shopId },
      data: { testMessageStatus: "failed", testMessageError: reason, testMessageCompletedAt: new Date() },
    });
  }
  return { ok: true, to };
}

// ─── Home: the setup checklist ────────────────────────────────────────────────────────────────────

export interface SetupChecklist {
  sendingNumber: string | null;
  optInFormEnabled: boolean;
  firstConversationAt: string | null;
  conversationCount: number;
  brandName: string;
}

export async function loadSetupChecklist(shopId: string): Promise<SetupChecklist> {
  const [row, number, firstInbound, conversationCount] = await Promise.all([
    settingsRow(shopId),
    defaultNumber(shopId),
    prisma.message.findFirst({
      where: { shopId, direction: "INBOUND" },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    prisma.conversation.count({ where: { shopId } }),
  ]);
  return {
    sendingNumber: number?.phoneE164 ?? null,
    optInFormEnabled: row.optInFormEnabled,
    firstConversationAt: firstInbound?.createdAt.toISOString() ?? null,
    conversationCount,
    brandName: row.brandName,
  };
}
