import { prisma } from "~/db.server";
import { ensureShop } from "~/services/shops.server";

// The sandbox store arrives with its sending number connected and a brand filled in, so texting it from the phone
// simulator works from the first minute. Existing settings are never overwritten: the merchant's edits survive
// restarts.
export async function ensureSandboxShop(options: { shop: string; storeNumber: string; storeName: string }) {
  await ensureShop(options.shop);
  await prisma.shop.update({ where: { id: options.shop }, data: { name: options.storeName } });
  const settings = await prisma.shopSettings.findUniqueOrThrow({ where: { shopId: options.shop } });
  if (!settings.brandName) {
    await prisma.shopSettings.update({
      where: { shopId: options.shop },
      data: { brandName: options.storeName, senderName: "Sam", supportContact: "help@acme-outfitters.example" },
    });
  }
  await prisma.sendingNumber.upsert({
    where: { phoneE164: options.storeNumber },
    create: { shopId: options.shop, phoneE164: options.storeNumber, isDefault: true, messagesPerSecond: 10 },
    update: {},
  });
}
