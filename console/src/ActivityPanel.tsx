import { useState } from 'preact/hooks';
import { type ActivityEntry, getJson } from './api';
import { describeSource, formatClock, formatDuration } from './format';
import { outcomeTone } from './outcomeTone';
import { usePolling } from './usePolling';

/** What ran, in words: a trigger, a change signal (named by its API call), reconcile. */
function whatRan(entry: ActivityEntry): string {
  if (entry.message.startsWith('change signal')) return `Change signal · ${entry.source}`;
  return describeSource(entry.source);
}

/** Recent invocations of the triggers, the change signals and reconcile, newest first. */
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
        Recent invocations of the triggers, the change signals and reconcile, newest first, from
        their log lines, and the console's group actions (e-mail addresses and phone numbers
        hidden).
      </p>
      {entries === undefined ? (
        <p class="muted">Reading…</p>
      ) : entries.length === 0 ? (
        <p class="muted">
          Nothing yet. Confirm a sign-up and the Post Confirmation trigger's invocation shows here.
        </p>
      ) : (
        <div class="activity-scroll">
          <table class="activity">
            <thead>
              <tr>
                <th scope="col" class="col-time">
                  Time
                </th>
                <th scope="col" class="col-ran">
                  What ran
                </th>
                <th scope="col" class="col-user">
                  User
                </th>
                <th scope="col">Outcome</th>
                <th scope="col" class="numeric col-took">
                  Took
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-source={entry.source} data-outcome={entry.outcome}>
                  <td>
                    <time dateTime={entry.time}>{formatClock(entry.time)}</time>
                  </td>
                  <td>{whatRan(entry)}</td>
                  <td>
                    {entry.username && (
                      <span class="mono" title={entry.username}>
                        {entry.username}
                      </span>
                    )}
                    {entry.error && <div class="warning-text">{entry.error}</div>}
                  </td>
                  <td>
                    <span class={`outcome-tag ${outcomeTone(entry)}`}>{entry.outcome}</span>
                    {/* A reconcile run names no user: its summary goes with its outcome; a
                        console action says what it did (the group). */}
                    {((!entry.username && entry.source.startsWith('reconcile')) ||
                      entry.source.startsWith('console_')) && (
                      <div class="muted activity-summary">{entry.message}</div>
                    )}
                  </td>
                  <td class="numeric">{formatDuration(entry.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
