/**
 * The import rule (docs/architecture.md): layers import only downward.
 *
 *   src/shared  →  src/domain  →  src/aws  →  src/sync  →  src/entry, src/cdk, src/index.ts
 *
 * Tooling sits on top and nothing in the product imports it: src/local (the
 * local stack and its console), harness/ (drives a stack or a browser from
 * outside), bench/, tests/. `npm test` runs `depcruise` with this file; an arrow
 * running up fails the build.
 */
const layer = (name, mayImport) => ({
  name: `${name.replace(/^src\//, '')}-imports-downward`,
  comment: `${name} may import only ${mayImport.join(', ')}`,
  severity: 'error',
  from: { path: `^${name}/` },
  to: {
    path: '^(src|harness|bench|tests|scripts|console|examples)/',
    pathNot: mayImport.map((m) => `^${m}(/|\\.ts$)`),
  },
});

module.exports = {
  forbidden: [
    layer('src/shared', ['src/shared', 'src/types']),
    layer('src/domain', ['src/shared', 'src/domain', 'src/types']),
    layer('src/aws', ['src/shared', 'src/domain', 'src/aws', 'src/types']),
    layer('src/sync', ['src/shared', 'src/domain', 'src/aws', 'src/sync', 'src/types']),
    layer('src/entry', [
      'src/shared',
      'src/domain',
      'src/aws',
      'src/sync',
      'src/entry',
      'src/types',
    ]),
    layer('src/cdk', ['src/shared', 'src/domain', 'src/cdk', 'src/types']),
    layer('src/local/support', [
      'src/shared',
      'src/domain',
      'src/aws',
      'src/sync',
      'src/entry',
      'src/local/support',
      'src/types',
    ]),
    layer('src/local/console', [
      'src/shared',
      'src/domain',
      'src/aws',
      'src/sync',
      'src/entry',
      'src/local/support',
      'src/local/console',
      'src/types',
    ]),
    layer('harness', ['src', 'harness']),
    layer('bench', ['src', 'harness', 'bench', 'scripts']),
    {
      name: 'index-is-the-product',
      comment: 'the public API exports the product, never the tooling',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^(src/local|harness|bench|tests|scripts|console)/' },
    },
    {
      name: 'aws-adapters-stand-apart',
      comment: 'the Cognito adapters and the DynamoDB adapters do not import each other',
      severity: 'error',
      from: { path: '^src/aws/(pool|store)/' },
      to: { path: '^src/aws/(pool|store)/', pathNot: '^src/aws/$1/' },
    },
    {
      name: 'sync-converge-below-reconcile-and-handlers',
      severity: 'error',
      from: { path: '^src/sync/converge/' },
      to: { path: '^src/sync/(reconcile|handler)/' },
    },
    {
      name: 'sync-reconcile-below-handlers',
      severity: 'error',
      from: { path: '^src/sync/reconcile/' },
      to: { path: '^src/sync/handler/' },
    },
    {
      name: 'no-circular',
      comment: 'no module reaches itself through its imports',
      severity: 'error',
      from: { path: '^(src|harness|bench)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|node_modules|bench/.build)/' },
  },
};
