import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ActivityPanel } from './ActivityPanel';
import { getJson, type Overview, type Pair, type PairPage, type PairStatus } from './api';
import { CountsBar } from './CountsBar';
import { formatClock } from './format';
import { PairDialog } from './PairDialog';
import { PairsTable } from './PairsTable';
import { ReconcilePanel } from './ReconcilePanel';
import { SignInPanel, SignUpPanel } from './UserPanels';
import { usePolling } from './usePolling';

/** Pairs shown on one page of the table. */
export const PAGE_SIZE = 50;
const POLL_MS = 1000;

/** The console: header, counts, users and rows, actions, and what happened. */
export function App() {
  const [overview, setOverview] = useState<Overview | undefined>();
  const [page, setPage] = useState<PairPage | undefined>();
  const [pollError, setPollError] = useState<string | undefined>();
  const [status, setStatus] = useState<PairStatus | undefined>();
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Pair | undefined>();
  const refreshRef = useRef<() => void>(() => {});

  useEffect(() => {
    getJson<Overview>('/overview').then(setOverview, (error: Error) => setPollError(error.message));
  }, []);

  const loadPairs = useCallback(async () => {
    const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE) });
    if (status) query.set('status', status);
    if (search.trim()) query.set('search', search.trim());
    try {
      const next = await getJson<PairPage>(`/pairs?${query}`);
      setPage(next);
      setPollError(undefined);
      if (next.total > 0 && offset >= next.total) {
        setOffset(Math.floor((next.total - 1) / PAGE_SIZE) * PAGE_SIZE);
      }
    } catch (error) {
      setPollError((error as Error).message);
    }
  }, [offset, status, search]);
  refreshRef.current = () => void loadPairs();
  usePolling(loadPairs, POLL_MS, [loadPairs]);

  // The dialog follows the pair it shows as the table refreshes.
  useEffect(() => {
    if (!selected || !page) return;
    const fresh = page.items.find((pair) => pair.key === selected.key);
    if (fresh && fresh !== selected) setSelected(fresh);
  }, [page, selected]);

  const refresh = useCallback(() => refreshRef.current(), []);
  const chooseStatus = (next: PairStatus | undefined) => {
    setStatus(next);
    setOffset(0);
  };

  return (
    <div class="layout">
      <header class="topbar">
        <div class="brand">
          <h1>User sync console</h1>
          <p class="subtitle">The local user pool and its table, side by side</p>
        </div>
        {overview && (
          <dl class="facts">
            <div>
              <dt>User pool</dt>
              <dd>{overview.userPoolId}</dd>
            </div>
            <div>
              <dt>Table</dt>
              <dd>
                {overview.tableName} <span class="muted">(key {overview.keyAttribute})</span>
              </dd>
            </div>
            <div>
              <dt>Confirmation code</dt>
              <dd>{overview.confirmationCode}</dd>
            </div>
          </dl>
        )}
        <LiveBadge page={page} error={pollError} />
      </header>

      <CountsBar counts={page?.counts} selected={status} onSelect={chooseStatus} />

      <main class="columns">
        <div class="main-column">
          <section class="card table-card" aria-labelledby="pairs-title">
            <div class="card-head">
              <h2 id="pairs-title">Users and rows</h2>
              <label class="search">
                <span class="visually-hidden">Search by e-mail or username</span>
                <input
                  type="search"
                  placeholder="Search e-mail or username"
                  value={search}
                  onInput={(event) => {
                    setSearch((event.target as HTMLInputElement).value);
                    setOffset(0);
                  }}
                />
              </label>
            </div>
            {pollError && (
              <p class="banner error" role="alert">
                {pollError}
              </p>
            )}
            <PairsTable
              page={page}
              filtered={status !== undefined || search.trim() !== ''}
              onOpen={setSelected}
              onPage={setOffset}
              expiryAttribute={overview?.deletedRows?.timeToLiveAttribute}
              groupsColumn={overview?.groupsColumn}
            />
          </section>
          <ActivityPanel />
        </div>

        <aside class="side">
          <SignUpPanel code={overview?.confirmationCode} onDone={refresh} />
          <ReconcilePanel onFinished={refresh} />
          <SignInPanel />
        </aside>
      </main>

      {selected && overview && (
        <PairDialog
          pair={selected}
          keyAttribute={overview.keyAttribute}
          poolGroups={page?.groups ?? []}
          groupsColumn={overview.groupsColumn}
          onClose={() => setSelected(undefined)}
          onChanged={refresh}
        />
      )}
    </div>
  );
}

function LiveBadge({ page, error }: { page: PairPage | undefined; error: string | undefined }) {
  if (error) {
    return (
      <p class="live offline" role="status">
        <span class="dot" aria-hidden="true" /> Not connected
      </p>
    );
  }
  return (
    <p class="live" role="status" aria-live="off">
      <span class="dot" aria-hidden="true" />
      {page ? `Live · read at ${formatClock(page.takenAt)}` : 'Connecting…'}
    </p>
  );
}
