import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Kernel clock ticks a second, the unit of utime/stime in /proc/<pid>/stat. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export const CORES = os.cpus().length;

/** utime + stime of a process, in seconds; undefined once it has gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; every field after its ')' is plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from the first line of /proc/stat. */
export function machineJiffies(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.slice(0, 8).map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - n[3] - n[4], total };
}

/** Pids whose command is `name` (e.g. every PostgreSQL backend): read-only, to attribute load. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone between readdir and read
    }
  }
  return pids;
}

/**
 * Seconds the MAIN thread of a process spent runnable but waiting for a core (/proc/<pid>/schedstat,
 * second field). For a Node process that is the event loop starved by other processes, not busy.
 */
export function runQueueWaitSeconds(pid: number): number | undefined {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return undefined;
  }
}

/** CPU seconds (and run-queue wait) of a group of processes at one moment, to diff against a later sample. */
export interface CpuSample {
  at: number;
  perPid: Map<number, number>;
  waitPerPid: Map<number, number>;
  machine: { busy: number; total: number };
}

export function sampleCpu(pids: readonly number[]): CpuSample {
  const perPid = new Map<number, number>();
  const waitPerPid = new Map<number, number>();
  for (const pid of pids) {
    const s = cpuSeconds(pid);
    if (s !== undefined) perPid.set(pid, s);
    const w = runQueueWaitSeconds(pid);
    if (w !== undefined) waitPerPid.set(pid, w);
  }
  return { at: Date.now(), perPid, waitPerPid, machine: machineJiffies() };
}

/** Milliseconds per second the main threads of `pids` waited for a core between two samples. */
export function waitMsPerSecond(a: CpuSample, b: CpuSample, pids: readonly number[]): number {
  const seconds = (b.at - a.at) / 1000;
  let waited = 0;
  for (const pid of pids) {
    const end = b.waitPerPid.get(pid);
    if (end !== undefined) waited += end - (a.waitPerPid.get(pid) ?? end);
  }
  return seconds > 0 ? (1000 * waited) / seconds : 0;
}

/** % of one core each pid used between two samples (a pid missing from either counts what is known). */
export function cpuPercent(a: CpuSample, b: CpuSample, pids: readonly number[]): number {
  const seconds = (b.at - a.at) / 1000;
  let used = 0;
  for (const pid of pids) {
    const end = b.perPid.get(pid);
    if (end !== undefined) used += end - (a.perPid.get(pid) ?? end);
  }
  return seconds > 0 ? (100 * used) / seconds : 0;
}

/** The whole machine, as % of one core (so 2 cores flat out is 200 %). */
export function machinePercent(a: CpuSample, b: CpuSample): number {
  const total = b.machine.total - a.machine.total;
  return total > 0 ? (100 * CORES * (b.machine.busy - a.machine.busy)) / total : 0;
}
