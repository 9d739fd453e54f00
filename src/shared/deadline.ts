import type { Context } from 'aws-lambda';
/** The part of the Lambda context (`Context` of `@types/aws-lambda`) the handlers use. */
export type DeadlineContext = Pick<Context, 'getRemainingTimeInMillis'>;

/** Default deadline of a trigger's work, in milliseconds: Cognito waits 5 s at most. */
export const DEFAULT_DEADLINE_MS = 3500;
const CONTEXT_MARGIN_MS = 300;
const ABORT_GRACE_MS = 250;

/**
 * Milliseconds the Lambda context says are left, or `undefined` when it
 * cannot tell: no context, no `getRemainingTimeInMillis` (a bare `{}` from a
 * test harness or a wrapper), a function that throws, or one that returns
 * anything but a finite number. Callers then use their default deadline.
 */
export function remainingTimeMs(context: unknown): number | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const read = (context as { getRemainingTimeInMillis?: unknown }).getRemainingTimeInMillis;
  if (typeof read !== 'function') return undefined;
  try {
    const remaining: unknown = read.call(context);
    return typeof remaining === 'number' && Number.isFinite(remaining) ? remaining : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The deadline of an invocation: `deadlineMs`, shortened to what the Lambda
 * context has left (minus a margin), never below 100 ms. A context that
 * cannot tell (see {@link remainingTimeMs}) leaves `deadlineMs`.
 */
export function deadlineFor(deadlineMs: number, context?: Partial<DeadlineContext>): number {
  const remaining = remainingTimeMs(context);
  if (remaining === undefined) return deadlineMs;
  return Math.max(100, Math.min(deadlineMs, remaining - CONTEXT_MARGIN_MS));
}

/**
 * Runs `work` with an abort signal that fires at the deadline. One timer per
 * call: when it fires it aborts the requests, then gives the client a short
 * grace to notice before rejecting with `onTimeout()` on its own.
 */
export function withDeadline<T>(
  deadlineMs: number,
  onTimeout: () => Error,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer = setTimeout(() => {
      controller.abort();
      timer = setTimeout(() => reject(onTimeout()), ABORT_GRACE_MS);
    }, deadlineMs);
    work(controller.signal).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
