import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const repoModules = join(repoRoot, 'node_modules');

/** The packed package, installed in a folder outside the repository. */
export interface InstalledPackage {
  /** The folder holding `node_modules` and the consumer apps. */
  readonly root: string;
  /** The installed package's own folder (`node_modules/cognito-user-sync`). */
  readonly packageDir: string;
  /** The files `npm pack` put in the tarball, relative to the package. */
  readonly files: readonly string[];
}

/**
 * Packs the repository with `npm pack`, its packing scripts included (with
 * `COGNITO_USER_SYNC_PACK_PREBUILT=1`: the built `dist` must exist) and
 * unpacks the tarball as `node_modules/cognito-user-sync` of a new folder in
 * the system's temporary directory. Its dependencies and peers are this
 * repository's installed copies, linked, so nothing is downloaded.
 */
export function packAndInstall(): InstalledPackage {
  const root = mkdtempSync(join(tmpdir(), 'cognito-user-sync-consumer-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', root], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, COGNITO_USER_SYNC_PACK_PREBUILT: '1' },
  });
  const [packed] = JSON.parse(output) as { filename: string; files: { path: string }[] }[];
  if (!packed) throw new Error(`npm pack printed no package: ${output}`);

  const modules = join(root, 'node_modules');
  const packageDir = join(modules, 'cognito-user-sync');
  mkdirSync(packageDir, { recursive: true });
  execFileSync('tar', [
    '-xzf',
    join(root, packed.filename),
    '-C',
    packageDir,
    '--strip-components=1',
  ]);

  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
  };
  const linked = new Set<string>([
    '@types/node',
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  for (const name of linked) {
    const [scope] = name.split('/');
    if (name.includes('/') && scope) mkdirSync(join(modules, scope), { recursive: true });
    symlinkSync(join(repoModules, name), join(modules, name), 'dir');
  }
  return { root, packageDir, files: packed.files.map((file) => file.path).sort() };
}

/** The `cdk.json` context of every consumer app: offline, no telemetry, no notices. */
const CDK_CONTEXT = { 'cli-telemetry': false, '@aws-cdk/core:validateAgainstDefaultRules': true };

/** The stack every consumer app defines: a pool and the construct's minimal use. */
export const CONSUMER_STACK = 'ConsumerStack';

/**
 * The second stack of the ES module app: a single-table design row mapping
 * ({@link MAPPED_ROW_MAPPING}) on a created table, with every function.
 */
export const MAPPED_STACK = 'MappedStack';

/** The row mapping of {@link MAPPED_STACK}: the contract's single-table design. */
export const MAPPED_ROW_MAPPING = {
  key: { attribute: 'pk', template: 'USER#{sub}' },
  sortKey: { attribute: 'sk', template: 'PROFILE' },
  constants: { entityType: 'User' },
};

/**
 * Writes an ES module app (`app.mjs`, plain JavaScript) that uses the
 * construct as its README shows ({@link CONSUMER_STACK}), plus a stack with
 * a row mapping ({@link MAPPED_STACK}), and returns its folder.
 */
export function writeEsmApp(installed: InstalledPackage): string {
  const dir = join(installed.root, 'esm-app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'esm-app', type: 'module' }));
  writeFileSync(
    join(dir, 'app.mjs'),
    `import { App, Stack } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { UserTableSync } from 'cognito-user-sync/cdk';

const app = new App();
const stack = new Stack(app, '${CONSUMER_STACK}');
const userPool = new UserPool(stack, 'Users', { signInAliases: { email: true } });
new UserTableSync(stack, 'UserTableSync', { userPool, scheduledReconcile: {} });

const mapped = new Stack(app, '${MAPPED_STACK}');
new UserTableSync(mapped, 'UserTableSync', {
  userPool: new UserPool(mapped, 'Users', { signInAliases: { email: true } }),
  rowMapping: ${JSON.stringify(MAPPED_ROW_MAPPING)},
  changeSignals: true,
  scheduledReconcile: {},
});
`,
  );
  writeCdkJson(dir, 'node app.mjs');
  return dir;
}

/**
 * Writes a CommonJS TypeScript app laid out as `cdk init app --language
 * typescript` lays it out (no `"type"` in package.json, `module` and
 * `moduleResolution` NodeNext, checked by `tsc` then run by `tsx`), whose
 * stack is `stackSource`, and returns its folder.
 */
export function writeCommonJsTypeScriptApp(
  installed: InstalledPackage,
  stackSource: string,
): string {
  const dir = join(installed.root, 'cjs-app');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-app', version: '0.1.0' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['es2022'],
        strict: true,
        noImplicitReturns: true,
        skipLibCheck: true,
        noEmit: true,
        isolatedModules: true,
        types: ['node'],
      },
      exclude: ['node_modules', 'cdk.out'],
    }),
  );
  const stackClass = /export class (\w+)/.exec(stackSource)?.[1];
  if (!stackClass) throw new Error('the stack source exports no class');
  writeFileSync(join(dir, 'lib', 'consumer-stack.ts'), stackSource);
  writeFileSync(
    join(dir, 'bin', 'consumer.ts'),
    `import * as cdk from 'aws-cdk-lib/core';
import { ${stackClass} } from '../lib/consumer-stack';

const app = new cdk.App();
new ${stackClass}(app, '${CONSUMER_STACK}');
`,
  );
  const bin = join(repoModules, '.bin');
  writeCdkJson(dir, `${join(bin, 'tsc')} && ${join(bin, 'tsx')} bin/consumer.ts`);
  return dir;
}

function writeCdkJson(dir: string, app: string): void {
  writeFileSync(
    join(dir, 'cdk.json'),
    JSON.stringify({ app, notices: false, context: CDK_CONTEXT }, null, 2),
  );
}

/** A synthesized template, as CloudFormation reads it. */
export interface Template {
  readonly Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
}

/**
 * Runs `cdk synth` (this repository's CLI) offline in an app's folder and
 * returns the consumer stack's template.
 */
export function cdkSynth(dir: string): Template {
  synthApp(dir);
  return synthesizedTemplate(dir, CONSUMER_STACK);
}

/** A stack's template from the last {@link cdkSynth} in `dir`. */
export function synthesizedTemplate(dir: string, stack: string): Template {
  return JSON.parse(
    readFileSync(join(dir, 'cdk.out', `${stack}.template.json`), 'utf8'),
  ) as Template;
}

function synthApp(dir: string): void {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CDK_DISABLE_VERSION_CHECK: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  execFileSync(
    process.execPath,
    [join(repoModules, 'aws-cdk', 'bin', 'cdk'), 'synth', '--quiet', '--no-version-reporting'],
    { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
