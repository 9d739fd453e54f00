import type { ReconcileConfig } from '../../src/domain/reconcileConfig.js';
import { resolveRowMapping } from '../../src/domain/rowMapping/validate.js';

/**
 * A reconcile configuration as the defaults make it (pool `us-east-1_Pool1`,
 * table `users`), written out literally so that a test comparing against it
 * fails when a default changes; `patch` overrides fields. Without a
 * `rowMapping` in `patch`, the mapping is `{}` under the patch's key
 * attribute and attribute allowlist.
 */
export function testReconcileConfig(patch: Partial<ReconcileConfig> = {}): ReconcileConfig {
  return {
    userPoolId: 'us-east-1_Pool1',
    tableName: 'users',
    keyAttribute: 'username',
    userAttributes: undefined,
    statusFilter: { except: ['UNCONFIRMED'] },
    orphans: 'report',
    failOnOrphans: false,
    concurrency: 16,
    listRate: 10,
    scanSegments: 4,
    dryRun: false,
    rowMapping: resolveRowMapping(
      {},
      {
        ...(patch.keyAttribute && patch.keyAttribute !== 'username'
          ? { keyAttribute: patch.keyAttribute }
          : {}),
        ...(patch.userAttributes ? { attributeAllowlist: patch.userAttributes } : {}),
      },
    ),
    ...patch,
  };
}
