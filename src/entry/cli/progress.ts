import { plural } from '../../shared/plural.js';
import type { PlanCounts } from '../../sync/reconcile/plan.js';
import type { ReconcileProgress } from '../../sync/reconcile/reconcile.js';

/** A writable text stream (stderr). */
export interface TextStream {
  write(chunk: string): unknown;
  /** Whether it is a terminal. */
  readonly isTTY?: boolean;
  /** Terminal width, when it is one. */
  readonly columns?: number;
}

/** Progress callbacks plus a way to close the line. */
export interface ProgressReporter extends ReconcileProgress {
  /**
   * Called on a timer: when nothing was reported since the previous call
   * (e.g. Cognito is silent), says what the run is waiting for, so that a
   * stalled run never looks dead.
   */
  heartbeat(): void;
  /** Ends the progress display (clears the bar on a terminal). */
  finish(): void;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  /** Where progress goes. */
  readonly stream: TextStream;
  /** Clock in milliseconds. @default performance.now */
  readonly now?: () => number;
  /** Minimum milliseconds between redraws on a terminal. @default 100 */
  readonly redrawMs?: number;
  /** Minimum milliseconds between progress lines elsewhere. @default 5000 */
  readonly lineMs?: number;
}

const BAR_WIDTH = 24;

/**
 * Reports progress on stderr: a redrawn line with a bar on a terminal, and
 * otherwise a line per phase plus one every few seconds while writing.
 */
export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const { stream } = options;
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const interval = tty ? (options.redrawMs ?? 100) : (options.lineMs ?? 5000);
  let listed = 0;
  let pages = 0;
  let scanned = 0;
  let written = 0;
  let queued = 0;
  let planned = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let retries = 0;
  const started = now();
  let lastActivity = started;
  let lastBeat = started;

  const draw = (text: string, force = false): void => {
    const time = now();
    if (!force && time - lastDraw < interval) return;
    lastDraw = time;
    if (tty) {
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r${text.slice(0, width).padEnd(width)}`);
      drawn = true;
    } else {
      stream.write(`${text}\n`);
    }
  };
  const clear = (): void => {
    if (tty && drawn) {
      stream.write(`\r${' '.repeat(Math.max(20, (stream.columns ?? 80) - 1))}\r`);
      drawn = false;
    }
  };
  // Creates start while the pool is still being listed: show them on the same line.
  const reading = (): string =>
    `listing users: ${listed} (${plural(pages, 'page')}) | scanning rows: ${scanned}` +
    (queued > 0 ? ` | written: ${written}/${queued}` : '');

  // Every callback counts as a sign of life for the heartbeat.
  const alive = (): void => {
    lastActivity = now();
  };

  return {
    listing(count, pageCount) {
      alive();
      listed = count;
      pages = pageCount;
      if (tty) draw(reading());
    },
    scanning(count) {
      alive();
      scanned = count;
      if (tty) draw(reading());
    },
    planned(counts: PlanCounts) {
      clear();
      // The listing is planned; the table's scan for orphans comes next, so no scan count yet.
      stream.write(
        `listed ${plural(counts.usersListed, 'user')} in ${plural(pages, 'page')}: ` +
          `${counts.toCreate} to create; now scanning the table for orphaned rows\n`,
      );
      lastDraw = Number.NEGATIVE_INFINITY;
      planned = true;
    },
    applying(done, total) {
      alive();
      written = done;
      queued = total;
      if (!planned) {
        draw(reading());
        return;
      }
      const text = tty ? `writing ${bar(done, total)} ${done}/${total}` : `wrote ${done}/${total}`;
      draw(text, done === total && !tty);
    },
    retrying(call, attempt, reason, delayMs) {
      alive();
      retries++;
      // Writes retry often under faults: they are counted, not listed.
      if (call === 'write') return;
      clear();
      stream.write(
        `${call} attempt ${attempt} failed (${reason}); retrying in ${(delayMs / 1000).toFixed(1)} s\n`,
      );
    },
    restarted(reason) {
      alive();
      clear();
      stream.write(
        `the checkpoint's page token was refused (${reason}); listing from the first page\n`,
      );
    },
    heartbeat() {
      const time = now();
      const quiet = lastActivity <= lastBeat;
      lastBeat = time;
      if (!quiet) return;
      const waited = ((now() - lastActivity) / 1000).toFixed(0);
      const total = ((now() - started) / 1000).toFixed(0);
      clear();
      stream.write(
        `still running after ${total} s: ${reading()}${retries > 0 ? ` | ${retries} retries` : ''}; nothing new for ${waited} s (waiting for ${planned ? 'DynamoDB' : 'Cognito or DynamoDB'})\n`,
      );
    },
    finish() {
      clear();
    },
  };
}

function bar(done: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}
