import type { PoolUser } from '../../aws/pool/listPoolUsers.js';
import type { ManagedUpdate } from '../../aws/store/managedRows.js';
import type { TableKey } from '../../aws/store/scanPages.js';
import type { MappingConfig } from '../../domain/config.js';
import { decideConverge } from '../../domain/converge.js';

/** One row whose managed fields differ from its user's. */
export interface UpdateTask {
  /** The row's key (the username). */
  readonly key: string;
  /** The conditional update that makes it match. */
  readonly update: ManagedUpdate;
}

/** Inputs of {@link planUpdates}. */
export interface UpdatePlanOptions {
  /** The pool the users come from. */
  readonly userPoolId: string;
  /** Key attribute and attribute allowlist. */
  readonly mapping: MappingConfig;
  /** `updatedAt` of the updated rows. */
  readonly now: Date;
}

/**
 * The `--update` part of reconcile: for every listed user whose row exists,
 * is not marked `deletedAt` and holds the same `sub`, the managed fields that
 * differ (see `decideConverge`), as conditional updates that never replace a
 * newer state. Pure. Rows marked `deletedAt` stay reported, never modified.
 */
export function planUpdates(
  users: readonly PoolUser[],
  rowsByKey: ReadonlyMap<string, TableKey>,
  options: UpdatePlanOptions,
): UpdateTask[] {
  const tasks: UpdateTask[] = [];
  const seen = new Set<string>();
  for (const user of users) {
    if (seen.has(user.userName)) continue;
    seen.add(user.userName);
    const scanned = rowsByKey.get(user.userName);
    if (!scanned?.row || scanned.deletedAt !== undefined) continue;
    const decision = decideConverge({
      row: scanned.row,
      user: {
        username: user.userName,
        userPoolId: options.userPoolId,
        attributes: user.attributes,
        enabled: user.enabled,
        status: user.status,
        lastModifiedAt: user.lastModifiedAt,
      },
      mapping: options.mapping,
      now: options.now,
      source: 'reconcile',
    });
    if (decision.kind === 'update') tasks.push({ key: user.userName, update: decision });
  }
  return tasks;
}
