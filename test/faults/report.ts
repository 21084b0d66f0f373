/** The numbers each scenario checked, printed as it ends and again together when the suite ends. */
import fs from 'node:fs';
const lines: string[] = [];

export function report(scenario: string, numbers: Record<string, number | string>): void {
  const line = `${scenario}: ${Object.entries(numbers)
    .map(([name, value]) => `${name} ${value}`)
    .join(', ')}`;
  lines.push(line);
  process.stdout.write(`      ${line}\n`);
}

export function printReport(): void {
  if (lines.length === 0) return;
  process.stdout.write(`\nFault suite numbers:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
}

/** Seconds since `startedAt`, to one decimal. */
export const secondsSince = (startedAt: number): string => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;

/** Starts timing a scenario: its wall time, and the CPU time the suite and its processes used meanwhile. */
export function stopwatch(): () => { wall: string; cpu: string } {
  const startedAt = Date.now();
  const cpuAtStart = cpuSecondsOfTree();
  return () => ({ wall: secondsSince(startedAt), cpu: `${(cpuSecondsOfTree() - cpuAtStart).toFixed(1)} s` });
}

/** The value below which `share` of the sorted `values` fall (nearest rank). */
export function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))] ?? Number.NaN;
}

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by this process and every process it started (live ones read from
 * /proc, finished ones from this process's children's times). Linux only; NaN elsewhere. The
 * machine may be shared: CPU seconds over the cores give what a scenario would take on an idle one.
 */
export function cpuSecondsOfTree(): number {
  try {
    const stats = fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => procStat(Number(pid)))
      .filter((stat): stat is ProcStat => stat !== undefined);
    const children = new Map<number, ProcStat[]>();
    for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
    const self = stats.find((stat) => stat.pid === process.pid);
    if (!self) return Number.NaN;
    let ticks = 0;
    const pending = [self];
    for (let stat = pending.pop(); stat; stat = pending.pop()) {
      ticks += stat.ownTicks + stat.reapedTicks;
      pending.push(...(children.get(stat.pid) ?? []));
    }
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

interface ProcStat {
  pid: number;
  ppid: number;
  ownTicks: number;
  reapedTicks: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 (state) on.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const field = (n: number) => Number(fields[n - 3]);
    return { pid, ppid: field(4), ownTicks: field(14) + field(15), reapedTicks: field(16) + field(17) };
  } catch {
    return undefined;
  }
}
