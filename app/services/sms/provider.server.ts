import { createTelnyxClient, type TelnyxClient } from "~/adapters/telnyx/client.server";
import { prisma } from "~/db.server";
import { env } from "~/env.server";
import { decryptSecret, DecryptionError } from "~/lib/crypto.server";

// Which Telnyx account sends for a shop: its own (API key saved encrypted in Settings) or the platform's.
export class ProviderConfigError extends Error {}

export type ShopProvider = { client: TelnyxClient; messagingProfileId?: string; account: string };

const cache = new Map<string, { fingerprint: string; provider: ShopProvider }>();

/** What providerFor reads from ShopSettings; null = the shop has no settings row. */
export type ProviderSettings = { telnyxApiKeyEnc: string | null; telnyxMessagingProfileId: string | null };

/** `settings`: already read by the caller (delivery reads them with the sending number, in one query). */
export async function providerFor(shopId: string, settings?: ProviderSettings | null): Promise<ShopProvider> {
  if (settings === undefined) {
    settings = await prisma.shopSettings.findUnique({
      where: { shopId },
      select: { telnyxApiKeyEnc: true, telnyxMessagingProfileId: true },
    });
  }
  const fingerprint = `${settings?.telnyxApiKeyEnc ?? "platform"}|${settings?.telnyxMessagingProfileId ?? ""}`;
  const hit = cache.get(shopId);
  if (hit && hit.fingerprint === fingerprint) return hit.provider;

  const config = env();
  let apiKey = config.TELNYX_API_KEY;
  let account = "platform";
  if (settings?.telnyxApiKeyEnc) {
    try {
      apiKey = decryptSecret(settings.telnyxApiKeyEnc, { context: shopId });
      account = `shop:${shopId}`;
    } catch (error) {
      if (error instanceof DecryptionError) {
        throw new ProviderConfigError(
          "The saved Telnyx API key can no longer be decrypted (the encryption key changed?): enter it again in Settings.",
        );
      }
      throw error;
    }
  }
  if (!apiKey) throw new ProviderConfigError("No Telnyx API key: add yours in Settings.");
  const provider: ShopProvider = {
    client: createTelnyxClient({
      apiKey,
      baseURL: config.TELNYX_BASE_URL,
      maxRetries: 0,
      timeoutMs: config.PARLEY_TELNYX_TIMEOUT_SECONDS * 1000,
    }),
    messagingProfileId: settings?.telnyxMessagingProfileId ?? config.TELNYX_MESSAGING_PROFILE_ID ?? undefined,
    account,
  };
  cache.set(shopId, { fingerprint, provider });
  return provider;
}
