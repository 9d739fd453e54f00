// Every unit test file (tests/unit/**/*.test.ts) in one process: they never
// touch the network or share a server, so one process spares `npm test` a
// Node.js start and a module graph per file (about half a minute of CPU on
// this project). Each file still runs alone with
// `node --import tsx --import ./tests/helpers/env.ts --test tests/unit/<file>`.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = join(import.meta.dirname, 'unit');
const files = (await readdir(dir, { recursive: true }))
  .filter((file) => file.endsWith('.test.ts'))
  .sort();
if (files.length === 0) throw new Error(`no unit test files under ${dir}`);
for (const file of files) await import(pathToFileURL(join(dir, file)).href);
