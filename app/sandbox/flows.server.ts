import express from "express";
import { log } from "~/lib/log.server";
import { fireShopTimersNow } from "~/services/flows/timers.server";

// Sandbox only (mounted by mount.server.ts, never in production): "fire the flows' timers now", so a story that
// waits an hour (the abandoned cart's opener) can be watched — and tested end to end — in seconds.
//   POST /sandbox/flows/fire-timers            every pending timer of the sandbox shop
//   POST /sandbox/flows/fire-timers?runId=…    one run's
// Answers { due, fired }. The timers are brought forward to now and fired through the engine as due timers are.
export function createFlowsSandboxRouter(shop: string) {
  const router = express.Router();
  router.post("/fire-timers", express.json(), async (req, res) => {
    const runId =
      (typeof req.query.runId === "string" && req.query.runId) ||
      (typeof req.body?.runId === "string" && req.body.runId) ||
      undefined;
    try {
      res.json(await fireShopTimersNow({ shopId: shop, runId }));
    } catch (error) {
      log.error("sandbox: firing flow timers failed", { error });
      res.status(500).json({ error: "failed" });
    }
  });
  return router;
}
