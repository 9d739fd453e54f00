import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, postJson, type ReconcileState, type ReconcileSummary } from './api';
import { formatCount, formatDuration } from './format';

/** Runs reconcile (dry run or for real) and shows its progress and summary. */
export function ReconcilePanel({ onFinished }: { onFinished: () => void }) {
  const [orphans, setOrphans] = useState('report');
  const [noGrace, setNoGrace] = useState(false);
  const [update, setUpdate] = useState(true);
  const [state, setState] = useState<ReconcileState>({ state: 'idle' });
  const [error, setError] = useState<string | undefined>();
  const lastSeen = useRef<number | undefined>(undefined);

  const running = state.state === 'running';
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await getJson<ReconcileState>('/reconcile');
        if (stopped) return;
        setState(next);
        if (next.state !== 'idle' && next.state !== 'running' && lastSeen.current !== next.id) {
          lastSeen.current = next.id;
          onFinished();
        }
      } catch {
        // The table's poll reports a stack that does not answer.
      }
      if (!stopped) timer = setTimeout(poll, running ? 300 : 2000);
    };
    timer = setTimeout(poll, running ? 300 : 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [running, onFinished]);

  const start = async (dryRun: boolean) => {
    setError(undefined);
    try {
      setState(await postJson<ReconcileState>('/reconcile', { dryRun, orphans, noGrace, update }));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <section class="card" aria-labelledby="reconcile-title">
      <h2 id="reconcile-title">Reconcile</h2>
      <p class="hint">
        Creates the rows of users who have none, updates rows that differ, and handles rows of users
        who are gone: the same code as <code>cognito-user-sync reconcile</code>.
      </p>
      <div class="form">
        <label>
          Orphaned rows
          <select
            name="orphans"
            value={orphans}
            onChange={(event) => setOrphans((event.target as HTMLSelectElement).value)}
          >
            <option value="report">report them, change nothing</option>
            <option value="mark">mark them with deletedAt</option>
            <option value="delete">delete them</option>
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={update}
            onChange={(event) => setUpdate((event.target as HTMLInputElement).checked)}
          />
          Update rows whose attributes differ
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={noGrace}
            onChange={(event) => setNoGrace((event.target as HTMLInputElement).checked)}
          />
          Judge new rows too: no 10-minute grace period for orphaned rows created in the last 10
          minutes
        </label>
        <div class="button-row">
          <button
            type="button"
            class="button secondary"
            disabled={running}
            onClick={() => start(true)}
          >
            Dry run
          </button>
          <button type="button" class="button" disabled={running} onClick={() => start(false)}>
            Reconcile now
          </button>
        </div>
      </div>
      {error && (
        <p class="outcome error" role="alert">
          {error}
        </p>
      )}
      <div role="status" class="reconcile-state" data-reconcile={state.state}>
        <ReconcileStatus state={state} />
      </div>
    </section>
  );
}

function ReconcileStatus({ state }: { state: ReconcileState }) {
  if (state.state === 'idle') return <p class="muted">No run yet.</p>;
  const kind = state.dryRun ? 'Dry run' : 'Run';
  if (state.state === 'running') {
    return (
      <div>
        <p>
          {kind} {state.id}: {state.step}…
        </p>
        <p class="muted">
          {formatCount(state.listed)} users listed, {formatCount(state.scanned)} rows scanned
          {state.toApply > 0 &&
            `, ${formatCount(state.applied)} of ${formatCount(state.toApply)} writes`}
        </p>
        {state.toApply > 0 ? (
          <progress max={state.toApply} value={state.applied} aria-label="Writes done" />
        ) : (
          <progress aria-label="Reading the pool and the table" />
        )}
      </div>
    );
  }
  if (state.state === 'failed') {
    return (
      <p class="outcome error">
        {kind} {state.id} failed: {state.error}
      </p>
    );
  }
  return (
    <Summary
      id={state.id}
      kind={kind}
      summary={state.summary}
      problem={state.problem}
      failures={state.failures}
    />
  );
}

function Summary({
  id,
  kind,
  summary,
  problem,
  failures,
}: {
  id: number;
  kind: string;
  summary: ReconcileSummary;
  problem: string | undefined;
  failures: readonly string[];
}) {
  const toUpdate = summary.update ? summary.toUpdate : 0;
  const wrote = summary.created + summary.updated + summary.marked + summary.deleted;
  const headline = summary.dryRun
    ? summary.toCreate + toUpdate + summary.toMark + summary.toDelete === 0
      ? 'nothing to do: the table matches the pool.'
      : `would create ${summary.toCreate}, update ${toUpdate}, mark ${summary.toMark} and delete ${summary.toDelete} rows. Nothing was written.`
    : wrote === 0 && summary.failed === 0
      ? 'nothing to do: the table matches the pool.'
      : `created ${summary.created}, updated ${summary.updated}, marked ${summary.marked} and deleted ${summary.deleted} rows${summary.failed ? `; ${summary.failed} writes failed` : ''}.`;
  const rows: [string, number][] = [
    ['Users listed', summary.usersListed],
    ['Rows scanned', summary.rowsScanned],
    ['Users with a row', summary.inSync],
    ['Rows missing', summary.toCreate],
    ['Rows that differ', toUpdate],
    ['Orphaned rows', summary.orphans],
  ];
  return (
    <div class={`summary ${summary.converged ? 'converged' : 'not-converged'}`}>
      <p>
        <strong>
          {kind} {id} {summary.converged ? 'converged' : 'did not converge'}
        </strong>{' '}
        in {formatDuration(summary.durationMs)}: {headline}
      </p>
      {problem && !summary.dryRun && <p class="warning-text">{problem}</p>}
      {summary.orphansReported > 0 && (
        <p class="muted">
          {summary.orphansReported} orphaned{' '}
          {summary.orphansReported === 1 ? 'row was' : 'rows were'} reported and left in place:
          choose "mark" or "delete" to handle them.
        </p>
      )}
      {summary.orphansTooRecent > 0 && (
        <p class="muted">
          {summary.orphansTooRecent} orphaned{' '}
          {summary.orphansTooRecent === 1 ? 'row is' : 'rows are'} younger than 10 minutes and left
          alone: tick "Judge new rows too" to remove the grace period.
        </p>
      )}
      <dl class="summary-grid">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
      {failures.length > 0 && (
        <ul class="failures">
          {failures.map((failure) => (
            <li key={failure}>{failure}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
