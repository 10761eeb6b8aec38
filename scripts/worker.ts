// npm run worker — a job worker for production. Run as many as you like, on as many machines as you like:
// they share the queue in PostgreSQL and claim jobs with SKIP LOCKED.
import { resolveDatabase } from "../app/db/resolve-database.server";
import { EnvError, parseEnv } from "../app/env.server";

try {
  const { url } = await resolveDatabase({ migrate: false });
  process.env.DATABASE_URL = url;
  const config = parseEnv(process.env);
  const { startWorkerProcess } = await import("../app/jobs/worker.server");
  const stop = await startWorkerProcess(config.DATABASE_URL);
  const shutdown = async () => {
    await stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
