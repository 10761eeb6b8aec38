import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { withDatabaseName } from "../../app/db/database-url";
import { testEnvironment } from "../helpers/test-env";

// Each test file gets its own database cloned from the migrated template, so files never see each other's
// rows and can run in parallel. The environment is set before any app module reads it.
const adminUrl = inject("pgAdminUrl");
const name = `parley_t_${randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
try {
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("pgTemplate")}"`);
} finally {
  await admin.end();
}
Object.assign(process.env, testEnvironment(), { DATABASE_URL: withDatabaseName(adminUrl, name) });
