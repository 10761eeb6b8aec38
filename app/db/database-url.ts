// PostgreSQL connection strings, as node-postgres and Prisma's pg adapter read them. The embedded cluster is
// reached over its Unix-domain socket (`?host=<socket directory>`, decision 0012), so a database name is never
// the string's last characters: change it by parsing, not by text replacement.

/** The same server, user and options, another database. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** A connection string for a cluster on this machine: over its socket directory when given, else TCP. */
export function localDatabaseUrl(options: {
  user: string;
  password: string;
  port: number;
  database: string;
  socketDir: string | null;
}): string {
  const credentials = `${encodeURIComponent(options.user)}:${encodeURIComponent(options.password)}`;
  const base = `postgresql://${credentials}@${options.socketDir ? "localhost" : "127.0.0.1"}:${options.port}`;
  const url = `${base}/${encodeURIComponent(options.database)}`;
  return options.socketDir ? `${url}?host=${encodeURIComponent(options.socketDir)}` : url;
}
