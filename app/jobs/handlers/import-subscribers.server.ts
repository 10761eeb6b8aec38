import { recordImportFailure, runSubscriberImport } from "~/services/subscribers/import.server";
import type { QueuePayload } from "../queues";

// Worker for `subscribers.import`: runs or resumes one import. A failure is recorded on the import (the page shows
// it) and rethrown so pg-boss retries; the retry resumes from the last committed batch. The last attempt's failure
// marks the import failed.
export async function handleImportSubscribers(
  payload: QueuePayload<"importSubscribers">,
  attempt: { retryCount: number; retryLimit: number },
) {
  try {
    return await runSubscriberImport(payload.shopId, payload.importId);
  } catch (error) {
    await recordImportFailure(payload.shopId, payload.importId, error, attempt.retryCount >= attempt.retryLimit);
    throw error;
  }
}
