import { useState } from 'preact/hooks';
import { type ActivityEntry, getJson } from './api';
import { describeSource, formatClock, formatDuration, shortId } from './format';
import { usePolling } from './usePolling';

const GOOD_OUTCOMES = ['created', 'already-present', 'skipped', 'converged'];

/** The trigger's and reconcile's recent invocations, newest first. */
export function ActivityPanel() {
  const [entries, setEntries] = useState<readonly ActivityEntry[] | undefined>();
  usePolling(
    async () => {
      const answer = await getJson<{ entries: ActivityEntry[] }>('/activity?limit=25');
      setEntries(answer.entries);
    },
    1500,
    [],
  );
  return (
    <section class="card" aria-labelledby="activity-title">
      <h2 id="activity-title">What happened</h2>
      <p class="hint">
        The trigger's and reconcile's recent invocations, newest first, from their log lines (e-mail
        addresses and phone numbers hidden).
      </p>
      {entries === undefined ? (
        <p class="muted">Reading…</p>
      ) : entries.length === 0 ? (
        <p class="muted">
          Nothing yet. Confirm a sign-up and the Post Confirmation trigger's invocation shows here.
        </p>
      ) : (
        <ol class="activity">
          {entries.map((entry) => (
            <li key={entry.id} data-source={entry.source} data-outcome={entry.outcome}>
              <div class="activity-line">
                <time dateTime={entry.time}>{formatClock(entry.time)}</time>
                <span class="activity-source">{describeSource(entry.source)}</span>
                <span
                  class={`outcome-tag ${GOOD_OUTCOMES.includes(entry.outcome) ? 'good' : 'bad'}`}
                >
                  {entry.outcome}
                </span>
              </div>
              <div class="activity-detail muted">
                {entry.username && (
                  <span class="mono" title={entry.username}>
                    {shortId(entry.username)}
                  </span>
                )}
                {entry.durationMs !== undefined && <span>{formatDuration(entry.durationMs)}</span>}
                {entry.source.startsWith('reconcile') && <span>{entry.message}</span>}
                {entry.error && <span class="warning-text">{entry.error}</span>}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
