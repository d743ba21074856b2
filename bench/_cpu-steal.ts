// The share of the machine's CPU time the hypervisor gave to other guests ("steal", Linux
// /proc/stat) between two readings: on a shared virtual machine it explains stalls that no code
// of ours made. (The leading underscore keeps bench/main.ts from listing this file as a bench.)
import { readFileSync } from "node:fs";

export interface CpuTimes {
  total: number;
  steal: number;
}

/** The machine's CPU times so far (jiffies), or undefined where /proc/stat cannot be read. */
export function cpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already within user)
    const used = f.slice(0, 8);
    if (used.length < 8 || used.some((v) => !Number.isFinite(v))) return undefined;
    return { total: used.reduce((a, b) => a + b, 0), steal: used[7]! };
  } catch {
    return undefined;
  }
}

/** Steal since `from` in % of all CPU time, or undefined. */
export function stealPercentSince(from: CpuTimes | undefined): number | undefined {
  const to = cpuTimes();
  if (!from || !to || to.total <= from.total) return undefined;
  return ((to.steal - from.steal) / (to.total - from.total)) * 100;
}
