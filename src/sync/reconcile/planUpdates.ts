import type { PoolUser } from '../../aws/pool/listPoolUsers.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { type MappedItem, planPage, type UpdateTask } from './plan.js';

export type { UpdateTask } from './plan.js';

/** Inputs of {@link planUpdates}. */
export interface UpdatePlanOptions {
  /** The pool the users come from. */
  readonly userPoolId: string;
  /** How a user becomes a row. */
  readonly rowMapping: RowMapping;
  /** `updatedAt` of the updated rows (and `createdAt` of adopted rows that have none). */
  readonly now: Date;
}

/**
 * The `--update` part of reconcile: for every listed user whose row exists
 * and is not marked `deletedAt`, the conditional update of the managed
 * columns that differ (`compareRow`, `updateFor`), which never replaces a
 * newer state; a row without `sub` at the user's key is adopted. Rows
 * holding another `sub` (a reused username) and marked rows are left as
 * they are. Whatever the user's status. Pure.
 *
 * @param rowsById - the rows read, by `rowKeyId`
 */
export function planUpdates(
  users: readonly PoolUser[],
  rowsById: ReadonlyMap<string, MappedItem>,
  options: UpdatePlanOptions,
): UpdateTask[] {
  return [
    ...planPage(users, rowsById, {
      ...options,
      statusFilter: { except: [] },
      update: true,
      writeTime: options.now,
    }).updates,
  ];
}
