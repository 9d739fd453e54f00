import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { useTempDir } from '../../helpers/tempDir.js';

const root = join(import.meta.dirname, '..', '..', '..');
const depcruise = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** One broken rule, as dependency-cruiser reports it. */
interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** Runs dependency-cruiser with the project's own rules on `paths` under `cwd`; returns the violations. */
async function violationsIn(cwd: string, paths: string[]): Promise<Violation[]> {
  const args = [
    depcruise,
    '--config',
    join(root, '.dependency-cruiser.cjs'),
    '--output-type',
    'json',
    ...paths,
  ];
  // It exits non-zero when it finds violations: the JSON on stdout says which.
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** Writes `files` (path → source) under `dir`. */
async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

// `npm run lint:imports` checks the real tree; this proves the rules catch what they name.
describe('Architecture: the import rule (.dependency-cruiser.cjs)', () => {
  const temp = useTempDir('import-rule-');

  it('fails an import that runs up a layer, across adapters, into the tooling or in a circle', async () => {
    const dir = temp.path;
    {
      await writeTree(dir, {
        'tsconfig.json':
          '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext" } }\n',
        'src/shared/retry.ts':
          "import { plan } from '../sync/reconcile/plan.js';\nexport const r = plan;\n",
        'src/sync/reconcile/plan.ts': 'export const plan = 1;\n',
        'src/aws/pool/list.ts': "import { put } from '../store/put.js';\nexport const l = put;\n",
        'src/aws/store/put.ts': 'export const put = 1;\n',
        'src/cdk/construct.ts':
          "import { put } from '../aws/store/put.js';\nexport const c = put;\n",
        'src/domain/row.ts':
          "import { stack } from '../local/stack.js';\nexport const row = stack;\n",
        'src/local/stack.ts': 'export const stack = 1;\n',
        'src/domain/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'src/domain/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
        'bench/run.ts':
          "import { helper } from '../tests/helpers/x.js';\nexport const run = helper;\n",
        'tests/helpers/x.ts': 'export const helper = 1;\n',
      });

      const violations = await violationsIn(dir, ['src', 'bench']);

      const found = new Set(
        violations.map((violation) => `${violation.rule.name} ${violation.from}`),
      );
      for (const expected of [
        'shared-imports-downward src/shared/retry.ts',
        'aws-adapters-stand-apart src/aws/pool/list.ts',
        'cdk-imports-downward src/cdk/construct.ts',
        'domain-imports-downward src/domain/row.ts',
        'no-circular src/domain/a.ts',
        'bench-imports-downward bench/run.ts',
      ]) {
        assert.ok(found.has(expected), `${expected} is reported; got ${[...found].join(', ')}`);
      }
    }
  });
});
