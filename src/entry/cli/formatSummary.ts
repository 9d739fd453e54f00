import type { ReconcileReport } from '../../sync/reconcile/reconcile.js';

/** Keys of each planned action listed in a dry run's text summary, at most. */
export const DRY_RUN_KEYS_SHOWN = 20;

/** The human-readable summary printed on stdout (without `--json`). */
export function formatSummary(report: ReconcileReport, keyAttribute: string): string {
  const { summary: s, plan } = report;
  const lines = [
    `reconcile${s.dryRun ? ' (dry run: nothing written)' : ''}`,
    // A user counts as listed once their page's rows are read: a page whose rows
    // could not be read is listed again when the run continues.
    `  users listed          ${s.usersListed}${s.stopReason !== undefined ? '  (counted once their rows are read: a page whose rows could not be read is not counted)' : ''}`,
    `  users eligible        ${s.usersEligible}  (statuses: ${s.statuses})`,
    `  rows scanned          ${s.rowsScanned}`,
    `  rows in sync          ${s.inSync}`,
    `  rows to create        ${s.toCreate}${s.dryRun ? '' : `  (created ${s.created}, already present ${s.alreadyPresent}${s.createdOrPresent > 0 ? `, created or present ${s.createdOrPresent}: answer lost, row there` : ''})`}`,
    `  orphaned rows         ${s.orphans}  (mode: ${s.orphanMode}; already marked ${s.orphansAlreadyMarked}, too recent ${s.orphansTooRecent})`,
  ];
  if (s.orphanMode === 'mark') {
    lines.push(
      `  orphans to mark       ${s.toMark}${s.dryRun ? '' : `  (marked ${s.marked}, skipped ${s.markSkipped})`}`,
    );
  } else if (s.orphanMode === 'delete') {
    lines.push(
      `  orphans to delete     ${s.toDelete}${s.dryRun ? '' : `  (deleted ${s.deleted}, skipped ${s.deleteSkipped})`}`,
    );
  } else {
    lines.push(`  orphans reported      ${s.orphansReported}`);
  }
  if (s.update) {
    lines.push(
      `  rows to update        ${s.toUpdate}${s.dryRun ? '' : `  (updated ${s.updated}, skipped ${s.updateSkipped})`}`,
    );
    if (s.toAdopt > 0) {
      lines.push(
        `  rows to adopt         ${s.toAdopt}${s.dryRun ? '' : `  (adopted ${s.adopted})`}  (rows without sub at a user's key: managed fields added, other fields kept)`,
      );
    }
  }
  if (s.markedButPresent > 0) {
    lines.push(
      `  marked but present    ${s.markedButPresent}  (rows with deletedAt whose username is listed)`,
    );
  }
  if (s.orphansInPool > 0) {
    lines.push(
      `  found in the pool     ${s.orphansInPool}  (rows not listed, without createdAt, whose user the pool has now: not orphans)`,
    );
  }
  if (s.orphansOutsideShards > 0) {
    lines.push(
      `  outside the shards    ${s.orphansOutsideShards}  (rows not listed whose sub no shard covers: never treated as orphans)`,
    );
  }
  if (!s.dryRun) lines.push(`  failed writes         ${s.failed}`);
  if (s.retries > 0) lines.push(`  retried requests      ${s.retries}`);
  if (s.notStarted > 0) lines.push(`  writes not started    ${s.notStarted}`);
  if (s.resumed) lines.push(`  resumed               yes (run ${s.runId}, from a checkpoint)`);
  if (s.stopReason !== undefined) lines.push(`  stopped early         ${s.stopReason}`);
  lines.push(`  duration              ${(s.durationMs / 1000).toFixed(1)} s`);
  lines.push(`  converged             ${s.converged ? 'yes' : 'no'}`);
  if (s.dryRun) {
    appendKeys(
      lines,
      'would create',
      plan.creates.map((row) => String(row[keyAttribute])),
      s.toCreate,
    );
    appendKeys(lines, 'would mark', plan.marks, s.toMark);
    appendKeys(lines, 'would delete', plan.deletes, s.toDelete);
  }
  if (s.orphanMode === 'report') appendKeys(lines, 'orphaned', plan.reported, s.orphansReported);
  appendKeys(lines, 'marked but present', plan.markedButPresent, s.markedButPresent);
  return `${lines.join('\n')}\n`;
}

/** Appends the first keys of an action; `total` (the count) says how many more there are. */
function appendKeys(lines: string[], label: string, keys: readonly string[], total: number): void {
  if (keys.length === 0) return;
  const shown = keys.slice(0, DRY_RUN_KEYS_SHOWN);
  const count = Math.max(total, keys.length);
  const more = count > shown.length ? ` (and ${count - shown.length} more)` : '';
  lines.push(`${label}: ${shown.join(', ')}${more}`);
}
