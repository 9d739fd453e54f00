import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';

/** A temporary directory's path, valid while the suite (or the test) runs. */
export interface TempDir {
  /** The directory, made by the hook before the tests. */
  readonly path: string;
}

/**
 * Registers, in the current suite, hooks that make a fresh temporary
 * directory (named `<prefix>XXXXXX` in the system's temporary folder) before
 * the suite's tests, or before `each` test, and remove it afterwards.
 */
export function useTempDir(prefix: string, scope: 'suite' | 'each' = 'suite'): TempDir {
  let current: string | undefined;
  const make = async () => {
    current = await mkdtemp(join(tmpdir(), prefix));
  };
  const remove = async () => {
    if (current) await rm(current, { recursive: true, force: true });
    current = undefined;
  };
  if (scope === 'each') {
    beforeEach(make);
    afterEach(remove);
  } else {
    before(make);
    after(remove);
  }
  return {
    get path() {
      if (!current) throw new Error('the temporary directory exists only while the tests run');
      return current;
    },
  };
}
