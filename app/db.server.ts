import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { env } from "./env.server";

// One Prisma client per process (kept across Vite's dev reloads, which would otherwise open a pool per edit).
declare global {
  var __parleyPrisma: PrismaClient | undefined;
}

function createClient() {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: 10 }) });
}

export const prisma: PrismaClient = globalThis.__parleyPrisma ?? createClient();
if (env().NODE_ENV !== "production") globalThis.__parleyPrisma = prisma;

export default prisma;
export * from "./generated/prisma/client.ts";
