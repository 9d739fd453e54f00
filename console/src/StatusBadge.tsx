import type { PairStatus } from './api';
import { STATUS_HINTS, STATUS_LABELS } from './format';

/** A status in words, coloured. */
export function StatusBadge({ status }: { status: PairStatus }) {
  return (
    <span class={`badge status-${status}`} title={STATUS_HINTS[status]}>
      <span class="badge-dot" aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}
