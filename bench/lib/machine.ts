import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";

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
  /** The host-speed probe's time just before the window (see hostProbeMs). */
  hostProbeMs: number;
  otherCoresBusy: number | null;
  benchCoresBusy: number | null;
  benchCpuMs: number | null;
  /** CPU ms of each named part of the bench (e.g. server, postgres) over the window. */
  parts: Record<string, number>;
};
export type CpuWindow = { stop(): CpuUse };

/** Starts a window; stop() gives other processes' and the bench's own average busy cores over it. */
export function cpuWindow(roots: () => number[], parts: () => Record<string, number[]> = () => ({})): CpuWindow {
  const probe = hostProbeMs();
  const t0 = Date.now();
  const busy0 = totalBusyTicks();
  const ours0 = busy0 === null ? 0 : treeTicks(roots());
  const parts0 =
    busy0 === null ? {} : Object.fromEntries(Object.entries(parts()).map(([name, pids]) => [name, treeTicks(pids)]));
  return {
    stop() {
      const busy1 = totalBusyTicks();
      if (busy0 === null || busy1 === null)
        return { hostProbeMs: probe, otherCoresBusy: null, benchCoresBusy: null, benchCpuMs: null, parts: {} };
      const ours1 = treeTicks(roots());
      const parts1 = Object.fromEntries(
        Object.entries(parts()).map(([name, pids]) => [name, (treeTicks(pids) - (parts0[name] ?? 0)) * TICK_MS]),
      );
      const elapsed = Math.max(1, Date.now() - t0);
      const total = ((busy1 - busy0) * TICK_MS) / elapsed;
      const ours = ((ours1 - ours0) * TICK_MS) / elapsed;
      return {
        hostProbeMs: probe,
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

// The host's speed drifts (a virtual machine on shared hardware): the same tree has needed 15 ms of CPU per STOP
// one hour and 28 ms the next, with no other process running and no steal time reported. A fixed piece of work
// timed just before each measurement (hashing and JSON, the kinds of work the app does) is a rough reading of the
// host's speed at that moment. It follows the drift only loosely (on 2026-12-03: probe 17–23 ms while the same tree
// took 21–27 ms per STOP); a large difference in it still says two figures are not comparable.
const PROBE_DATA = createHash("sha256").update("parley").digest().toString("hex").repeat(2048); // 128 kB
const PROBE_OBJECT = Array.from({ length: 200 }, (_, i) => ({ id: `m${i}`, to: "+15550100000", text: "STOP", i }));

/** Milliseconds for the fixed probe workload (best of three, so a single preemption does not count). */
export function hostProbeMs(): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    let sink = 0;
    for (let i = 0; i < 128; i++) sink += createHash("sha256").update(PROBE_DATA).digest()[0];
    for (let i = 0; i < 80; i++) sink += (JSON.parse(JSON.stringify(PROBE_OBJECT)) as unknown[]).length;
    best = Math.min(best, performance.now() - t0 + (sink < 0 ? 1 : 0));
  }
  return best;
}
