import { z } from "zod";
import { prisma } from "~/db.server";
import { COLLECTION_METHODS, type CollectionMethod } from "~/domain/consent-collection";
import { normalizePhone } from "~/domain/phone";
import { startOptIn, type StartOptInResult } from "~/services/opt-in/start.server";

// Staff adding a subscriber by hand must say how the person agreed (compliance.md §4: the consent record), and
// the subscription then goes through the opt-in engine like any other: with double opt-in on, the shopper gets the
// "Reply Y to confirm" text and is subscribed only once they answer; a shopper who texted STOP stays opted out.

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .transform((v) => v || null);

export const ManualAddSchema = z
  .object({
    phone: z.string().trim().min(1, "Enter the phone number."),
    firstName: text(100),
    lastName: text(100),
    method: z.enum(Object.keys(COLLECTION_METHODS) as [CollectionMethod, ...CollectionMethod[]], {
      error: "Choose how consent was collected.",
    }),
    collectedOn: z.iso.date({ error: "Enter the date consent was collected." }),
    disclosureText: text(4000),
    note: text(1000),
    confirmed: z.literal("on", { error: "Confirm that this person agreed to receive marketing texts." }),
  })
  .superRefine((value, ctx) => {
    if (value.method === "other" && !value.note) {
      ctx.addIssue({ code: "custom", path: ["note"], message: "Describe how consent was collected." });
    }
  });
export type ManualAddInput = z.input<typeof ManualAddSchema>;

export type ManualAddResult =
  | { ok: false; fieldErrors: Partial<Record<keyof ManualAddInput | "phone", string>> }
  | { ok: true; result: StartOptInResult; phoneE164: string };

/** Validates the form and starts the opt-in; a date after today (the shop's) is refused. */
export async function addSubscriberManually(input: {
  shopId: string;
  staffMemberId: string | null;
  form: Record<string, unknown>;
  today: string; // YYYY-MM-DD in the shop's time zone
}): Promise<ManualAddResult> {
  const parsed = ManualAddSchema.safeParse(input.form);
  const fieldErrors: Partial<Record<string, string>> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      fieldErrors[key] ??= issue.message;
    }
  }
  const phone = normalizePhone(String(input.form.phone ?? ""));
  if (!phone.ok && String(input.form.phone ?? "").trim()) fieldErrors.phone = phone.message;
  if (parsed.success && parsed.data.collectedOn > input.today) fieldErrors.collectedOn = "The date is in the future.";
  if (!parsed.success || !phone.ok || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const form = parsed.data;
  const how = COLLECTION_METHODS[form.method];
  const result = await startOptIn({
    shopId: input.shopId,
    phoneE164: phone.e164,
    source: "ADMIN",
    evidence: {
      actor: input.staffMemberId,
      note: [`${how}, on ${form.collectedOn}.`, form.note].filter(Boolean).join(" "),
      disclosureText: form.disclosureText,
    },
  });
  // The opt-in engine knows numbers, not names: names fill blanks, never overwrite what the shop already has.
  if (form.firstName || form.lastName) {
    const contact = await prisma.contact.findFirst({
      where: { id: result.contactId, shopId: input.shopId },
      select: { firstName: true, lastName: true },
    });
    if (contact && !contact.firstName && !contact.lastName) {
      await prisma.contact.updateMany({
        where: { id: result.contactId, shopId: input.shopId },
        data: { firstName: form.firstName, lastName: form.lastName },
      });
    }
  }
  return { ok: true, result, phoneE164: phone.e164 };
}
