/**
 * A variant of a warm benchmark: given the call's index, it prepares its
 * input (untimed) and returns the call to time.
 */
export type TimedVariant = (i: number) => () => Promise<unknown>;

/**
 * Times `count` calls of each variant, interleaved (call `i` of each variant,
 * in an order that rotates with `i`), after `warmUp` untimed calls of each
 * (connections, JIT), which get the indices -1 to -warmUp. Returns each
 * variant's durations, milliseconds.
 */
export async function timeInterleaved(
  variants: Readonly<Record<string, TimedVariant>>,
  count: number,
  warmUp: number,
): Promise<Record<string, number[]>> {
  const names = Object.keys(variants);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const call = (name: string, i: number) => (variants[name] as TimedVariant)(i);
  for (const name of names) for (let i = 1; i <= warmUp; i++) await call(name, -i)();
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] as string;
      const timed = call(name, i);
      const started = performance.now();
      await timed();
      samples[name]?.push(performance.now() - started);
    }
  }
  return samples;
}
