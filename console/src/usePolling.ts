import { useEffect } from 'preact/hooks';

/** Calls `tick` now, then again `intervalMs` after each call settles, until unmounted. */
export function usePolling(tick: () => Promise<void>, intervalMs: number, deps: unknown[]): void {
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = async (): Promise<void> => {
      await tick().catch(() => {});
      if (!stopped) timer = setTimeout(loop, intervalMs);
    };
    void loop();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, deps);
}
