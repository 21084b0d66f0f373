/**
 * CPU time of server processes, from /proc (Linux): utime + stime of a process and of every
 * descendant alive, plus what they have collected of their children that ended (cutime + cstime),
 * so that PostgreSQL's backends count towards PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

interface Stat {
  pid: number;
  ppid: number;
  ticks: number;
}

const ticksPerSecond = ((): number => {
  const answer = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout);
  return Number.isFinite(answer) && answer > 0 ? answer : 100;
})();

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime fields 14-17.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return { pid, ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime };
}

function allStats(): Stat[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is Stat => stat !== undefined);
}

/** The processes whose command line contains `marker` and whose parent's does not. */
export function pidsByCommandLine(marker: string): number[] {
  const matches = new Set<number>();
  const parents = new Map<number, number>();
  for (const stat of allStats()) {
    parents.set(stat.pid, stat.ppid);
    try {
      if (fs.readFileSync(`/proc/${stat.pid}/cmdline`, 'utf8').includes(marker)) matches.add(stat.pid);
    } catch {
      // gone
    }
  }
  return [...matches].filter((pid) => !matches.has(parents.get(pid) ?? 0));
}

/** CPU milliseconds used so far by each group of process trees (a group: the roots of its trees). */
export function cpuMilliseconds(groups: Record<string, number[]>): Record<string, number> {
  const stats = allStats();
  const children = new Map<number, Stat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const byPid = new Map(stats.map((stat) => [stat.pid, stat]));
  const treeTicks = (pid: number): number => (byPid.get(pid)?.ticks ?? 0) + (children.get(pid) ?? []).reduce((sum, child) => sum + treeTicks(child.pid), 0);
  return Object.fromEntries(Object.entries(groups).map(([name, roots]) => [name, (roots.reduce((sum, pid) => sum + treeTicks(pid), 0) * 1000) / ticksPerSecond]));
}
