import type { PairStatus } from './api';

/** What each status means, for tooltips and the legend. */
export const STATUS_HINTS: Readonly<Record<PairStatus, string>> = {
  'row-missing':
    'The user can sign in but has no row: the trigger did not write it. Reconcile creates it.',
  'attributes-differ': 'The row does not say what the trigger would write for this user today.',
  'orphaned-row': 'The row belongs to no user of the pool. Reconcile reports, marks or deletes it.',
  'row-marked-deleted': 'The row carries deletedAt: reconcile marked it as orphaned.',
  unconfirmed: 'The user has not confirmed the sign-up: no row is expected yet.',
  'in-sync': 'The row matches the user.',
};

/** Statuses in the order of the counts bar. */
export const STATUS_ORDER: readonly PairStatus[] = [
  'in-sync',
  'row-missing',
  'attributes-differ',
  'orphaned-row',
  'row-marked-deleted',
  'unconfirmed',
];

const numberFormat = new Intl.NumberFormat('en');

/** 10000 → "10,000". */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}

/** An ISO time as local hh:mm:ss. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString('en-GB', { hour12: false });
}

/** An ISO time as local date and time, for rows. */
export function formatDateTime(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toLocaleDateString('en-CA')} ${date.toLocaleTimeString('en-GB', { hour12: false })}`;
}

/** Milliseconds in words: "12 ms", "3.4 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A long id cut to its start, e.g. "3f2a9c1e…". */
export function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/** "PostConfirmation_ConfirmSignUp" → "Post confirmation · ConfirmSignUp". */
export function describeSource(source: string): string {
  const [trigger, detail] = source.split('_');
  if (!detail || !trigger) return source;
  const words = trigger.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} · ${detail}`;
}

/** Who wrote a row, from its `source`: "the trigger (ConfirmSignUp)", "reconcile". */
export function describeRowSource(source: unknown): string {
  if (typeof source !== 'string' || source === '') return 'an unknown writer';
  const [trigger, detail] = source.split('_');
  if (trigger === 'PostConfirmation' && detail) return `the trigger (${detail})`;
  return source;
}
