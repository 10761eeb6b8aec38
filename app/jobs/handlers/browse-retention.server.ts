import { sweepBrowseRetention } from "~/services/browse-events.server";

// Worker side of `browse.retention`: once a day, each shop's browse events older than its browseRetentionDays go
// (app/services/browse-events.server.ts deletes them in bounded batches). A missed day only delays the deletion.

export const BROWSE_RETENTION_CRON = "17 3 * * *";

export async function handleBrowseRetention() {
  return sweepBrowseRetention();
}
