import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CONSUMER_STACK,
  cdkSynth,
  type InstalledPackage,
  MAPPED_ROW_MAPPING,
  MAPPED_STACK,
  packAndInstall,
  repoRoot,
  synthesizedTemplate,
  type Template,
  writeCommonJsTypeScriptApp,
  writeEsmApp,
} from './consumerApps.js';

let installed: InstalledPackage;
let esmAppDir: string | undefined;

/** The ES module consumer app, written and synthesized once for the tests that read it. */
function esmApp(): string {
  if (esmAppDir === undefined) {
    const dir = writeEsmApp(installed);
    cdkSynth(dir);
    esmAppDir = dir;
  }
  return esmAppDir;
}

before(() => {
  installed = packAndInstall();
});

after(() => {
  rmSync(installed.root, { recursive: true, force: true });
});

/** Runs a script in a fresh Node process in the consumer folder and parses what it prints. */
function runIn(dir: string, args: readonly string[]): unknown {
  const output = execFileSync(process.execPath, args, {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(output);
}

/** The README's TypeScript block under the heading "Use the construct in your app". */
function readmeStack(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Use the construct'));
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (!code) throw new Error('README.md has no ```ts block under "Use the construct in your app"');
  return code;
}

function resourcesOf(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/**
 * Checks a consumer's template: the trigger attached to the pool, its code
 * taken from the package's prebuilt bundle, and its exact IAM statements.
 */
function assertConsumerTemplate(template: Template, appDir: string): void {
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const trigger = functions.find(([, fn]) =>
    String(fn.Properties.Description).includes('Post Confirmation'),
  );
  assert.ok(trigger, 'a Post Confirmation function');
  const [triggerId, triggerFn] = trigger;
  assert.equal(triggerFn.Properties.Handler, 'index.handler');
  assert.equal(triggerFn.Properties.Runtime, 'nodejs24.x');
  assert.deepEqual(triggerFn.Properties.Architectures, ['arm64']);

  const [[, pool] = []] = resourcesOf(template, 'AWS::Cognito::UserPool');
  assert.ok(pool, 'a user pool');
  assert.deepEqual((pool.Properties.LambdaConfig as Record<string, unknown>).PostConfirmation, {
    'Fn::GetAtt': [triggerId, 'Arn'],
  });

  const assetPath = triggerFn.Metadata?.['aws:asset:path'];
  assert.equal(typeof assetPath, 'string');
  const staged = join(appDir, 'cdk.out', assetPath as string);
  assert.deepEqual(readdirSync(staged), ['index.mjs']);
  assert.ok(
    readFileSync(join(staged, 'index.mjs')).equals(
      readFileSync(join(installed.packageDir, 'dist/lambda/post-confirmation/index.mjs')),
    ),
    'the deployed code is the prebuilt bundle of the installed package',
  );

  const role = (triggerFn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([, policy]) =>
    (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === role),
  );
  assert.equal(policies.length, 1, 'one policy on the trigger role');
  const [[, policy] = []] = policies;
  assert.ok(policy, 'the trigger policy');
  const statements = (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
  const [table] = resourcesOf(template, 'AWS::DynamoDB::Table');
  const logGroup = (triggerFn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup;
  const logs = [logGroup.Ref];
  assert.ok(table);
  assert.deepEqual(statements, [
    {
      Action: 'dynamodb:PutItem',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [table[0], 'Arn'] },
    },
    {
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [logs[0], 'Arn'] },
    },
  ]);
}

describe('Package: cognito-user-sync as npm pack builds it', () => {
  it('holds the compiled library with its types, the prebuilt bundles, the command line and the row mapping schema, nothing else', () => {
    const files = installed.files;
    for (const required of [
      'package.json',
      'README.md',
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      'dist/lib/cdk/index.js',
      'dist/lib/cdk/index.d.ts',
      'dist/lambda/post-confirmation/index.mjs',
      'dist/lambda/scheduled-reconcile/index.mjs',
      'dist/cli/cognito-user-sync.mjs',
      'row-mapping.schema.json',
    ]) {
      assert.ok(files.includes(required), `${required} is packed`);
    }
    const unexpected = files.filter(
      (file) =>
        !['package.json', 'README.md', 'row-mapping.schema.json'].includes(file) &&
        !/^dist\/lib\/.+\.(js|d\.ts)$/.test(file) &&
        !/^dist\/lambda\/[a-z-]+\/index\.mjs$/.test(file) &&
        file !== 'dist/cli/cognito-user-sync.mjs',
    );
    assert.deepEqual(unexpected, []);
  });

  it('exports the row mapping schema by its package path, for editors and tools', () => {
    const requireFromApp = createRequire(join(installed.root, 'app.cjs'));
    const schema = requireFromApp('cognito-user-sync/row-mapping.schema.json');
    assert.equal(schema.title, 'cognito-user-sync row mapping');
    assert.ok(schema.properties.fields.properties.userLastModifiedAt);
  });

  it('asks consumers to run no script: no install-time or packing script in its package.json', () => {
    const manifest = JSON.parse(readFileSync(join(installed.packageDir, 'package.json'), 'utf8'));
    const scripts = Object.keys(manifest.scripts ?? {});
    for (const name of ['preinstall', 'install', 'postinstall', 'prepare', 'prepack', 'postpack']) {
      assert.ok(!scripts.includes(name), `${name} is left out of the packed package.json`);
    }
    const source = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(
      source.scripts.prepare,
      'node scripts/prepare.mjs',
      'the repository still builds on npm ci',
    );
  });

  it('imports no development tool (cdk-nag, esbuild, the emulators) from what it exports', () => {
    const libFiles = installed.files.filter((file) => file.startsWith('dist/lib/'));
    for (const file of libFiles) {
      const text = readFileSync(join(installed.packageDir, file), 'utf8');
      assert.doesNotMatch(
        text,
        /from ['"](cdk-nag|esbuild|cognito-local|dynalite|tsx)['"/]/,
        `${file} imports a development tool`,
      );
    }
    const manifest = JSON.parse(readFileSync(join(installed.packageDir, 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.peerDependencies).sort(), ['aws-cdk-lib', 'constructs']);
    for (const name of Object.keys(manifest.dependencies)) {
      assert.match(
        name,
        /^(@aws-sdk\/|@smithy\/|@types\/aws-lambda$)/,
        `${name} is a runtime dependency`,
      );
    }
  });

  it('loads every export of both entries, typed, from an ES module in a fresh process', () => {
    const script = `
      import * as root from 'cognito-user-sync';
      import * as cdk from 'cognito-user-sync/cdk';
      const undefinedExports = [...Object.entries(root), ...Object.entries(cdk)]
        .filter(([, value]) => value === undefined).map(([name]) => name);
      console.log(JSON.stringify({ root: Object.keys(root), cdk: Object.keys(cdk), undefinedExports }));
    `;
    const loaded = runIn(installed.root, ['--input-type=module', '-e', script]) as {
      root: string[];
      cdk: string[];
      undefinedExports: string[];
    };

    assert.deepEqual(loaded.undefinedExports, []);
    for (const name of [
      'createPostConfirmationHandler',
      'createPostAuthenticationHandler',
      'createChangeSignalHandler',
      'createScheduledReconcileHandler',
      'readHandlerConfig',
      'toUserRow',
      'parseConfirmedUser',
      'readRowMapping',
      'expectedRow',
      'compareRow',
      'convergeUser',
      'reconcile',
      'createDynamoDocumentClient',
      'createCognitoClient',
      'UserSyncError',
      'TableWriteError',
      'ConfigError',
      'RowMappingError',
    ]) {
      assert.ok(loaded.root.includes(name), `the root exports ${name}`);
    }
    // The internals are free to change, so they are not exported.
    for (const name of [
      'planPage',
      'judgeOrphan',
      'FingerprintSet',
      'scanPages',
      'ensureUserTable',
      'saveCheckpoint',
    ]) {
      assert.ok(!loaded.root.includes(name), `the root does not export the internal ${name}`);
    }
    assert.ok(loaded.cdk.includes('UserTableSync'));
    assert.ok(!loaded.root.includes('UserTableSync'), 'the root does not load aws-cdk-lib');
    for (const entry of ['index.d.ts', 'cdk/index.d.ts']) {
      const types = readFileSync(join(installed.packageDir, 'dist/lib', entry), 'utf8');
      assert.doesNotMatch(types, /export \*/, `${entry} names what it exports`);
    }
  });

  it('loads the construct with require() from CommonJS', () => {
    const script = `const { UserTableSync } = require('cognito-user-sync/cdk');
      const { toUserRow } = require('cognito-user-sync');
      console.log(JSON.stringify([typeof UserTableSync, typeof toUserRow]));`;

    assert.deepEqual(runIn(installed.root, ['-e', script]), ['function', 'function']);
  });

  it('synthesizes an ES module app offline: trigger, prebuilt code, exact IAM', () => {
    const dir = esmApp();

    const template = synthesizedTemplate(dir, CONSUMER_STACK);

    assertConsumerTemplate(template, dir);
    const reconcileFn = resourcesOf(template, 'AWS::Lambda::Function').find(([, fn]) =>
      String(fn.Properties.Description).includes('Reconciles'),
    );
    assert.ok(reconcileFn, 'the scheduled reconcile function');
    const staged = join(dir, 'cdk.out', reconcileFn[1].Metadata?.['aws:asset:path'] as string);
    assert.ok(
      readFileSync(join(staged, 'index.mjs')).equals(
        readFileSync(join(installed.packageDir, 'dist/lambda/scheduled-reconcile/index.mjs')),
      ),
    );
  });

  it('synthesizes a row mapping: the created table keyed by it, ROW_MAPPING on every function', () => {
    const dir = esmApp();

    const template = synthesizedTemplate(dir, MAPPED_STACK);

    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    const [, trigger] =
      functions.find(([, fn]) => String(fn.Properties.Description).includes('Post Confirmation')) ??
      assert.fail('no Post Confirmation function');
    const variablesOf = (fn: { Properties: Record<string, unknown> }) =>
      (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    const tableId = (variablesOf(trigger).TABLE_NAME as { Ref: string }).Ref;
    const users = template.Resources[tableId];
    assert.equal(users?.Type, 'AWS::DynamoDB::Table');
    assert.deepEqual(users?.Properties.KeySchema, [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    assert.equal(functions.length, 4, 'trigger, sign-in, change signals, scheduled reconcile');
    for (const [id, fn] of functions) {
      const variables = variablesOf(fn);
      assert.equal(variables.ROW_MAPPING, JSON.stringify(MAPPED_ROW_MAPPING), id);
      assert.equal(variables.KEY_ATTRIBUTE, 'pk', id);
    }
  });

  it("type-checks and synthesizes the README's stack in a CommonJS TypeScript app like cdk init's", () => {
    const dir = writeCommonJsTypeScriptApp(installed, readmeStack());

    const template = cdkSynth(dir);

    assertConsumerTemplate(template, dir);
  });
});
