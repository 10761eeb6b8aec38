import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

// How busy the machine was with other work while a measurement ran: total CPU busy time (/proc/stat) minus the
// CPU time of the bench's own processes (this process, its children, the embedded PostgreSQL and its backends).
// Linux only; elsewhere the figures read "n/a".

const TICK_MS = 10; // USER_HZ = 100 on Linux

function totalBusyTicks(): number | null {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    return user + nice + system + irq + softirq + (steal ?? 0);
  } catch {
    return null;
  }
}

function statOf(pid: number): { ppid: number; ticks: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = raw.slice(raw.lastIndexOf(")") + 2).split(" ");
    // utime + stime, plus cutime + cstime: children that exited and were reaped (e.g. a PostgreSQL backend whose
    // connection closed) stay counted in their parent.
    return {
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null;
  }
}

/** CPU ticks used by the given roots and all their descendants (processes alive now). */
function treeTicks(roots: number[]): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statOf(Number(entry));
    if (s) stats.set(Number(entry), s);
  }
  const included = new Set(roots.filter((r) => stats.has(r)));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of stats) {
      if (!included.has(pid) && included.has(s.ppid)) {
        included.add(pid);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const pid of included) ticks += stats.get(pid)!.ticks;
  return ticks;
}

export type CpuUse = {
  otherCoresBusy: number | null;
  benchCoresBusy: number | null;
  benchCpuMs: number | null;
  /** CPU ms of each named part of the bench (e.g. server, postgres) over the window. */
  parts: Record<string, number>;
};
export type CpuWindow = { stop(): CpuUse };

/** Starts a window; stop() gives other processes' and the bench's own average busy cores over it. */
export function cpuWindow(roots: () => number[], parts: () => Record<string, number[]> = () => ({})): CpuWindow {
  const t0 = Date.now();
  const busy0 = totalBusyTicks();
  const ours0 = busy0 === null ? 0 : treeTicks(roots());
  const parts0 =
    busy0 === null ? {} : Object.fromEntries(Object.entries(parts()).map(([name, pids]) => [name, treeTicks(pids)]));
  return {
    stop() {
      const busy1 = totalBusyTicks();
      if (busy0 === null || busy1 === null)
        return { otherCoresBusy: null, benchCoresBusy: null, benchCpuMs: null, parts: {} };
      const ours1 = treeTicks(roots());
      const parts1 = Object.fromEntries(
        Object.entries(parts()).map(([name, pids]) => [name, (treeTicks(pids) - (parts0[name] ?? 0)) * TICK_MS]),
      );
      const elapsed = Math.max(1, Date.now() - t0);
      const total = ((busy1 - busy0) * TICK_MS) / elapsed;
      const ours = ((ours1 - ours0) * TICK_MS) / elapsed;
      return {
        otherCoresBusy: Math.max(0, total - ours),
        benchCoresBusy: ours,
        benchCpuMs: (ours1 - ours0) * TICK_MS,
        parts: parts1,
      };
    },
  };
}

/** The postmaster's pid from its data directory (null when not found). */
export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(`${dataDir}/postmaster.pid`, "utf8").split("\n")[0]) || null;
  } catch {
    return null;
  }
}

export const cores = () => os.availableParallelism?.() ?? os.cpus().length;
export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
