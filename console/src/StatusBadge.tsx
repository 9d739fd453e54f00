import { PAIR_STATUS_LABELS, type PairStatus } from './api';
import { STATUS_HINTS } from './format';

/** A status in words, coloured. */
export function StatusBadge({ status }: { status: PairStatus }) {
  return (
    <span class={`badge status-${status}`} title={STATUS_HINTS[status]}>
      <span class="badge-dot" aria-hidden="true" />
      {PAIR_STATUS_LABELS[status]}
    </span>
  );
}
