import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePortStackArgs } from '../harness/localStack.js';
import { type Summary, summarize } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'local', 'main.mjs');
/** The first line of the banner (`renderBanner`). */
const BANNER = 'Local stack ready.';

/** Time from `npm start` to the banner. */
export interface StackReadiness {
  /**
   * Runs that first rebuild the local stack's bundle (as after editing a
   * source file), with an empty tsx cache and empty temporary directory.
   */
  readonly cold: Summary;
  /** Runs from the bundle `npm ci` built (a fresh clone's first start and every later one). */
  readonly warm: Summary;
}

/**
 * Times `npm start` (free ports, a fresh data directory each run) from the
 * spawn to the banner's first line, alternating `runs` cold and `runs` warm
 * starts. `npm start` runs the local stack's bundle (`dist/local/main.mjs`)
 * and rebuilds it first when a source file is newer: a cold run dates the
 * bundle back so that it is rebuilt, and gets a new empty `TMPDIR`; the warm
 * run after it starts from the bundle as built.
 */
export async function measureStackReadiness(options: {
  readonly runs: number;
  readonly log: (line: string) => void;
}): Promise<StackReadiness> {
  const scratch = await mkdtemp(join(tmpdir(), 'cus-ready-'));
  const cold: number[] = [];
  const warm: number[] = [];
  try {
    for (let run = 0; run < options.runs; run++) {
      // A new empty TMPDIR for the first start; the second start reuses it,
      // filled by the first.
      const tmp = join(scratch, `tmp-${run}`);
      await utimes(bundle, 0, 0);
      cold.push(await timeStart(scratch, tmp, `cold-${run}`));
      warm.push(await timeStart(scratch, tmp, `warm-${run}`));
      options.log(
        `local stack: run ${run + 1}: with a rebuild ${Math.round(cold.at(-1) as number)} ms, from the bundle ${Math.round(warm.at(-1) as number)} ms`,
      );
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { cold: summarize(cold), warm: summarize(warm) };
}

/** Spawns `npm start` and resolves with the milliseconds until the banner. */
async function timeStart(scratch: string, tmp: string, name: string): Promise<number> {
  await mkdir(tmp, { recursive: true });
  const dataDir = join(scratch, `data-${name}`);
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent', '--', ...freePortStackArgs(dataDir)], {
    cwd: root,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    return await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => reject(new Error(`npm start printed no banner within 60 s:\n${output}`)),
        60_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(BANNER)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start ended (${code}) before its banner:\n${output}`));
      });
    });
  } finally {
    await stop(child);
  }
}

/** Stops npm and the stack it started (its own process group), and waits for them. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }, 5000);
  await exited;
  clearTimeout(timer);
}
