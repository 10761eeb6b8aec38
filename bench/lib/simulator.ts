import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import express from "express";
import type { SandboxTelnyxKeys } from "../../app/sandbox/telnyx/keys";
import { createTelnyxSimulator, type TelnyxSimulator } from "../../app/sandbox/telnyx/router";

// The Telnyx simulator on its own port, with a tap in front of POST /v2/messages that notes when each send
// arrived (performance.now() in this process, the same clock the load generators use) and to whom.

export type SeenSend = { to: string; text: string; at: number };

export type HostedSimulator = {
  sim: TelnyxSimulator;
  origin: string;
  baseUrl: string;
  sends: SeenSend[];
  onSend?: (send: SeenSend) => void;
  close(): Promise<void>;
};

export async function hostSimulator(options: {
  apiKey: string;
  keys: SandboxTelnyxKeys;
  webhookUrl: string;
  /** false: no delivery receipts during the measurement (message.sent/finalized deferred past the run). */
  receipts: boolean;
}): Promise<HostedSimulator> {
  const sim = createTelnyxSimulator({
    apiKey: options.apiKey,
    keys: options.keys,
    webhookUrl: options.webhookUrl,
    ...(options.receipts ? {} : { sentAfterMs: 3_600_000, finalizedAfterMs: 3_600_000 }),
  });
  const app = express();
  app.disable("x-powered-by");
  const hosted: HostedSimulator = {
    sim,
    origin: "",
    baseUrl: "",
    sends: [],
    async close() {
      await sim.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  app.post("/v2/messages", express.json({ limit: "1mb" }), (req, _res, next) => {
    const body = (req.body ?? {}) as { to?: string; text?: string };
    const send = { to: String(body.to ?? ""), text: String(body.text ?? ""), at: performance.now() };
    hosted.sends.push(send);
    hosted.onSend?.(send);
    next();
  });
  app.use(sim.router);
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hosted.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hosted.baseUrl = `${hosted.origin}/v2`;
  return hosted;
}
