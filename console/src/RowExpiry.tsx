import { formatDateTime } from './format';

/** The time a Time to Live attribute (epoch seconds) stands for, as ISO-8601; `undefined` if it is none. */
export function expiryTime(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return new Date(value * 1000).toISOString();
}

/**
 * The expiry of a marked row, when its Time to Live attribute holds one, and
 * who acts on it: DynamoDB deletes the row after that time (typically within
 * a few days), the local stack's dynalite never does.
 */
export function RowExpiry({ value }: { value: unknown }) {
  const time = expiryTime(value);
  if (!time) return null;
  return (
    <>
      <br />
      <span
        class="expiry"
        title="DynamoDB's Time to Live deletes the row after this time, typically within a few days; the local stack (dynalite) has no Time to Live and keeps it"
      >
        expires {formatDateTime(time)}: DynamoDB removes it, not the local stack
      </span>
    </>
  );
}
