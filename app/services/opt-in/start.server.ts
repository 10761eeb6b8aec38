import { z } from "zod";

// Contract (being implemented): a shopper asks to subscribe to marketing texts — from the storefront form or popup,
// by texting a join keyword, or by staff. Records the consent event with its evidence and, with double opt-in,
// sends the "Reply Y to confirm" text; consent becomes active only on the shopper's "Y".

export const OptInEvidenceSchema = z.object({
  ipAddress: z.string().nullable().optional(),
  userAgent: z.string().nullable().optional(),
  pageUrl: z.string().nullable().optional(),
  shopifyCustomerId: z.string().nullable().optional(), // logged_in_customer_id from the app proxy, as a gid
  disclosureText: z.string().nullable().optional(),
  disclosureVersion: z.string().nullable().optional(),
  keyword: z.string().nullable().optional(),
  actor: z.string().nullable().optional(), // staff member id (manual add)
  note: z.string().nullable().optional(),
});
export type OptInEvidence = z.infer<typeof OptInEvidenceSchema>;

export type StartOptInInput = {
  shopId: string;
  phoneE164: string;
  source: "STOREFRONT_FORM" | "POPUP" | "KEYWORD" | "ADMIN";
  evidence: OptInEvidence;
  /** A repeat of the same submission (same phone, same shop) inside this window changes nothing. */
  now?: Date;
};

export type StartOptInResult =
  | { outcome: "pending"; contactId: string; expiresAt: Date } // confirmation text queued (double opt-in)
  | { outcome: "subscribed"; contactId: string } // single opt-in shop: active now, welcome queued
  | { outcome: "already_pending"; contactId: string; expiresAt: Date } // resubmission: nothing new sent
  | { outcome: "already_subscribed"; contactId: string }
  | { outcome: "blocked_by_stop"; contactId: string }; // opted out by STOP: the shopper must text START first

export async function startOptIn(_input: StartOptInInput): Promise<StartOptInResult> {
  throw new Error("startOptIn: not implemented yet");
}
