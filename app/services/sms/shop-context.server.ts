import type { Program } from "~/domain/keyword-replies";
import type { QuietHoursPolicy } from "~/domain/quiet-hours";
import type { Prisma, ShopSettings } from "~/generated/prisma/client.ts";

type Tx = Prisma.TransactionClient;

export async function loadShopSettings(tx: Tx, shopId: string): Promise<ShopSettings> {
  const settings = await tx.shopSettings.findUnique({ where: { shopId } });
  if (!settings) throw new Error(`shop ${shopId} has no settings`);
  return settings;
}

/** What keyword replies need to say about the program (brand, support, frequency, links). */
export function programOf(settings: ShopSettings, shopName?: string | null): Program {
  return {
    brandName: settings.brandName || shopName || "our store",
    supportContact: settings.supportContact || "the store",
    frequency: settings.messageFrequency || "Msg frequency varies",
    ...(settings.termsUrl ? { termsUrl: settings.termsUrl } : {}),
    ...(settings.privacyUrl ? { privacyUrl: settings.privacyUrl } : {}),
  };
}

export function quietHoursPolicyOf(settings: ShopSettings): QuietHoursPolicy {
  return {
    mode: settings.quietHoursPolicy,
    quietHoursStart: settings.quietHoursStart,
    quietHoursEnd: settings.quietHoursEnd,
  };
}

export function keywordOverrides(settings: ShopSettings): Partial<Record<string, string>> {
  const raw = settings.keywordReplies;
  return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, string>) : {};
}

export async function defaultSendingNumber(tx: Tx, shopId: string) {
  return tx.sendingNumber.findFirst({ where: { shopId }, orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }] });
}
