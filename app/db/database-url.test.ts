import { describe, expect, test } from "vitest";
import pgConnectionString from "pg-connection-string";
import { localDatabaseUrl, withDatabaseName } from "./database-url";

// What node-postgres (and so Prisma's pg adapter and pg-boss) will connect to, from each string.
const target = (url: string) => {
  const { host, port, database, user, password } = pgConnectionString.parse(url);
  return { host, port, database, user, password };
};

describe("localDatabaseUrl", () => {
  test.each([
    {
      name: "socket directory: host is the directory, TCP port names the socket file",
      input: { socketDir: "/work/app/.data/postgres", database: "parley" },
      expected: { host: "/work/app/.data/postgres", port: "5433", database: "parley" },
    },
    {
      name: "no socket directory: loopback TCP",
      input: { socketDir: null, database: "parley" },
      expected: { host: "127.0.0.1", port: "5433", database: "parley" },
    },
    {
      name: "a directory with spaces and a database name that needs quoting",
      input: { socketDir: "/tmp/my dir/pg", database: "parley test" },
      expected: { host: "/tmp/my dir/pg", port: "5433", database: "parley test" },
    },
  ])("$name", ({ input, expected }) => {
    const url = localDatabaseUrl({ user: "parley", password: "p@ss:word", port: 5433, ...input });
    expect(target(url)).toEqual({ ...expected, user: "parley", password: "p@ss:word" });
  });
});

describe("withDatabaseName", () => {
  test.each([
    ["postgresql://u:p@localhost:5433/postgres?host=%2Ftmp%2Fpg", "parley_t_1", "/tmp/pg"],
    ["postgresql://u:p@127.0.0.1:5433/postgres", "parley_t_2", "127.0.0.1"],
    ["postgres://u:p@db.example.com:5432/parley?application_name=x", "other", "db.example.com"],
  ])("%s → database %s on the same server", (url, database, host) => {
    const changed = target(withDatabaseName(url, database));
    expect(changed).toEqual({ ...target(url), database, host });
  });

  test("keeps every option of the string", () => {
    expect(withDatabaseName("postgres://u:p@h:1/a?connect_timeout=5&application_name=x", "b")).toBe(
      "postgres://u:p@h:1/b?connect_timeout=5&application_name=x",
    );
  });
});
