import { createTelnyxClient, sendSms, TelnyxSendError } from "~/adapters/telnyx/client.server";
import { prisma } from "~/db.server";
import { env } from "~/env.server";
import { decryptSecret, DecryptionError } from "~/lib/crypto.server";
import { log } from "~/lib/log.server";
import type { QueuePayload } from "../queues";

// Worker for `sms.send-test`: the "Send test message" button in Settings. It sends with the shop's own Telnyx
// key when one is saved (else the platform's), from the shop's sending number, and records the outcome on the
// shop's settings — a failure keeps Telnyx's reason so the merchant can act on it.
//
// The job claims the request (queued → sending) before calling Telnyx: a redelivered job, or one superseded by
// a newer test, finds nothing to claim and sends nothing, so a test never texts anyone twice.

export type SendTestMessagePayload = QueuePayload<"sendTestMessage">;

export interface SendTestMessageDeps {
  createClient: typeof createTelnyxClient;
  send: typeof sendSms;
}

export type SendTestMessageOutcome =
  { status: "sent"; providerMessageId: string } | { status: "failed"; reason: string } | { status: "skipped" };

class TestMessageProblem extends Error {}

export async function handleSendTestMessage(
  payload: SendTestMessagePayload,
  deps: SendTestMessageDeps = { createClient: createTelnyxClient, send: sendSms },
): Promise<SendTestMessageOutcome> {
  const { shopId, to, text } = payload;
  const claimed = await prisma.shopSettings.updateMany({
    where: { shopId, testMessageStatus: "queued", testMessageTo: to },
    data: { testMessageStatus: "sending" },
  });
  if (claimed.count === 0) return { status: "skipped" };

  try {
    const [settings, number] = await Promise.all([
      prisma.shopSettings.findUniqueOrThrow({ where: { shopId } }),
      prisma.sendingNumber.findFirst({ where: { shopId }, orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }] }),
    ]);
    if (!number) throw new TestMessageProblem("No sending number is connected: add one in Settings.");
    const config = env();
    let apiKey = config.TELNYX_API_KEY;
    if (settings.telnyxApiKeyEnc) {
      try {
        apiKey = decryptSecret(settings.telnyxApiKeyEnc, { context: shopId });
      } catch (error) {
        if (error instanceof DecryptionError) {
          throw new TestMessageProblem(
            "The saved Telnyx API key can no longer be decrypted (the encryption key changed?): enter it again in Settings.",
          );
        }
        throw error;
      }
    }
    if (!apiKey) throw new TestMessageProblem("No Telnyx API key: add yours in Settings.");

    const client = deps.createClient({ apiKey, baseURL: config.TELNYX_BASE_URL });
    const sent = await deps.send(client, {
      from: number.phoneE164,
      to,
      text,
      messagingProfileId:
        settings.telnyxMessagingProfileId ??
        number.messagingProfileId ??
        config.TELNYX_MESSAGING_PROFILE_ID ??
        undefined,
    });
    await prisma.shopSettings.updateMany({
      where: { shopId, testMessageStatus: "sending", testMessageTo: to },
      data: {
        testMessageStatus: "sent",
        testMessageProviderId: sent.providerMessageId,
        testMessageError: null,
        testMessageCompletedAt: new Date(),
      },
    });
    return { status: "sent", providerMessageId: sent.providerMessageId };
  } catch (error) {
    const reason = reasonOf(error);
    if (!(error instanceof TestMessageProblem)) log.warn("test message failed", { shopId, reason });
    await prisma.shopSettings.updateMany({
      where: { shopId, testMessageStatus: "sending", testMessageTo: to },
      data: { testMessageStatus: "failed", testMessageError: reason, testMessageCompletedAt: new Date() },
    });
    return { status: "failed", reason };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof TestMessageProblem) return error.message;
  if (error instanceof TelnyxSendError) {
    const code = error.code && /^\d+$/.test(error.code) ? ` (Telnyx error ${error.code})` : "";
    const status = error.httpStatus ? ` — HTTP ${error.httpStatus}` : "";
    return `${error.reason}${code}${status}`;
  }
  return error instanceof Error ? error.message : String(error);
}
