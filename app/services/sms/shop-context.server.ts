import type { Program } from "~/domain/keyword-replies";
import type { QuietHoursPolicy } from "~/domain/quiet-hours";
import type { Prisma, ShopSettings } from "~/generated/prisma/client.ts";

type Tx = Prisma.TransactionClient;

export async function loadShopSettings(tx: Tx, shopId: string): Promise<ShopSettings> {
  const settings = await tx.shopSettings.findUnique({ where: { shopId } });
  if (!settings) throw new Error(`shop ${shopId} has no settings`);
  return settings;
}

// Every shopper's text needs its shop's settings, which change rarely: the row is kept per shop and reused while
// its updatedAt — which the caller reads in a statement it makes anyway — has not moved (every write goes through
// Prisma, whose @updatedAt sets it). A changed row is simply read again; each process checks on every use.
const settingsByShop = new Map<string, ShopSettings>();

/** loadShopSettings, unless the row last read for this shop was written at `updatedAt` (null: read it anyway). */
export async function shopSettingsAsOf(tx: Tx, shopId: string, updatedAt: Date | null): Promise<ShopSettings> {
  const kept = settingsByShop.get(shopId);
  if (kept && updatedAt && kept.updatedAt.getTime() === updatedAt.getTime()) return kept;
  const settings = await loadShopSettings(tx, shopId);
  settingsByShop.set(shopId, settings);
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
