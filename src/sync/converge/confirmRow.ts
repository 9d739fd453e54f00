import { adoptRow } from '../../aws/store/adoptRow.js';
import { createRowIfAbsent, type UserTableOptions } from '../../aws/store/userTable.js';
import type { UserState } from '../../domain/converge.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { absentColumns, expectedRow } from '../../domain/rowMapping/expectedRow.js';

/** What confirming a user's row did: created it, adopted a row without `sub`, or found one there. */
export type ConfirmRowOutcome = 'created' | 'adopted' | 'already-present';

/** Options of {@link confirmRow}. */
export interface ConfirmRowOptions {
  /** `source` of the row: the trigger source. */
  readonly source: string;
  /** The time of the write: `createdAt`, `updatedAt`. */
  readonly now: Date;
  /** Aborts the calls when signalled. @default - no deadline */
  readonly abortSignal?: AbortSignal;
}

/**
 * Writes the row of a user who has just confirmed (the Post Confirmation
 * trigger), under the row mapping: the row `expectedRow` gives is created at
 * the user's key unless a row is there (a conditional put). When one is, a
 * second conditional write adopts it if it has no `sub` (written before
 * this product, e.g. by the tutorial's trigger): the managed columns are
 * added (and `createdAt`, `source`, the constants it lacks), every other
 * column is kept. Any other row (the user's own, a retry's, or another
 * `sub`'s: a reused username) is left untouched: `already-present`.
 *
 * @throws TableWriteError when the table cannot be written
 */
export async function confirmRow(
  table: UserTableOptions & { readonly rowMapping: RowMapping },
  user: UserState,
  options: ConfirmRowOptions,
): Promise<ConfirmRowOutcome> {
  const mapping = table.rowMapping;
  const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const expected = expectedRow(mapping, user, { now: options.now, source: options.source });
  // A trigger event always carries a sub (parseTriggeredUser checks it): the key renders.
  if (!expected) return 'already-present';
  if ((await createRowIfAbsent(table, expected.item, call)) === 'created') return 'created';
  const adopted = await adoptRow(
    table,
    {
      row: expected.item,
      absent: absentColumns(mapping, user),
      notNewerThan: user.lastModifiedAt ?? options.now.toISOString(),
    },
    call,
  );
  return adopted === 'adopted' ? 'adopted' : 'already-present';
}
