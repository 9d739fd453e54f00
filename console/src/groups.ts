/** What the groups cells read of a pair (a `Pair` of the API); no imports, for the unit tests. */
export interface GroupsOfPair {
  readonly user?: { readonly groups?: readonly string[] };
  readonly row?: Readonly<Record<string, unknown>>;
  readonly differences: readonly string[];
}

/** A pair's groups as the page shows them: the user's in the pool beside the row's. */
export interface GroupsView {
  /** The user's groups in the pool; `undefined` for an orphaned row. */
  readonly user: readonly string[] | undefined;
  /**
   * The row's groups column: its names (sorted), `'absent'` when the row has
   * no such column or no list of names there, `undefined` when the mapping
   * keeps no groups or there is no row.
   */
  readonly row: readonly string[] | 'absent' | undefined;
  /** Whether `reconcile --update` would rewrite the row's groups (the server's comparison). */
  readonly differs: boolean;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What the groups cells of a pair show, with `column` the row column that
 * holds the groups when the row mapping keeps them; they differ when the
 * server lists that column among the pair's differences. Pure.
 */
export function groupsView(pair: GroupsOfPair, column: string | undefined): GroupsView {
  const user = pair.user?.groups;
  if (column === undefined || pair.row === undefined)
    return { user, row: undefined, differs: false };
  const value = pair.row[column];
  const row =
    Array.isArray(value) && value.every((name) => typeof name === 'string')
      ? [...new Set(value as string[])].sort(byCodeUnit)
      : 'absent';
  return { user, row, differs: pair.differences.includes(column) };
}

/** Groups in words: "admins, readers", or "no group". */
export function describeGroups(groups: readonly string[]): string {
  return groups.length === 0 ? 'no group' : groups.join(', ');
}
