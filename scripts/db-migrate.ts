// npm run db:migrate — applies prisma/migrations to DATABASE_URL (or the embedded database) offline, through
// Prisma's WebAssembly schema engine. Records them in _prisma_migrations like `prisma migrate deploy`.
import { resolveDatabase } from "../app/db/resolve-database.server";

const { embedded } = await resolveDatabase({ migrate: true });
console.log("Database is up to date.");
await embedded?.stop();
