import { type ChildProcess, fork } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";

// A benchmarked server process (bench/server.ts) and a tiny request/answer protocol over its IPC channel.

export type Memory = { rss: number; heapUsed: number; peakRss: number; peakHeap: number };

export type BenchChild = {
  port: number | null;
  origin: string;
  pid: number;
  command<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
};

export async function startChild(options: {
  mode: "bare" | "action" | "remix" | "none";
  env: Record<string, string>;
  logFile: string;
}): Promise<BenchChild> {
  const log = createWriteStream(options.logFile, { flags: "a" });
  const execArgv = [
    "--import",
    "tsx",
    ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(" ") : []),
  ];
  const child: ChildProcess = fork(path.resolve("bench/server.ts"), [], {
    execArgv,
    env: { ...options.env, BENCH_MODE: options.mode } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const ready = new Promise<{ port: number | null }>((resolve, reject) => {
    child.once("exit", (code) =>
      reject(
        new Error(`bench server (${options.mode}) exited with ${code} before it was ready; see ${options.logFile}`),
      ),
    );
    child.on(
      "message",
      (message: {
        ready?: boolean;
        port?: number | null;
        id?: number;
        ok?: boolean;
        result?: unknown;
        error?: string;
      }) => {
        if (message.ready) return resolve({ port: message.port ?? null });
        const waiter = pending.get(message.id!);
        if (!waiter) return;
        pending.delete(message.id!);
        if (message.ok) waiter.resolve(message.result);
        else waiter.reject(new Error(message.error));
      },
    );
  });
  const { port } = await ready;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    port,
    pid: child.pid!,
    origin: `http://127.0.0.1:${port}`,
    command<T>(cmd: string, args: Record<string, unknown> = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, ...args });
      });
    },
    async stop() {
      if (child.exitCode === null) {
        child.send({ id: 0, cmd: "exit" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}
