// `npm run docs`: writes the generated reference (docs/reference/*.md) from
// the TSDoc and the settings schema. A test fails when a file is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, renderReference } from './render.js';

for (const [file, content] of renderReference()) {
  mkdirSync(dirname(join(ROOT, file)), { recursive: true });
  writeFileSync(join(ROOT, file), content);
  console.error(`wrote ${file}`);
}
