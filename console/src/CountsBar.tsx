import { PAIR_STATUS_LABELS, type PairCounts, type PairStatus } from './api';
import { formatCount, STATUS_HINTS, STATUS_ORDER } from './format';

/** The counts at the top; each one filters the table to its status. */
export function CountsBar({
  counts,
  selected,
  onSelect,
}: {
  counts: PairCounts | undefined;
  selected: PairStatus | undefined;
  onSelect: (status: PairStatus | undefined) => void;
}) {
  return (
    <nav class="counts" aria-label="Counts by status (choose one to filter the table)">
      <button
        type="button"
        class="count all"
        aria-pressed={selected === undefined}
        onClick={() => onSelect(undefined)}
      >
        <span class="count-number">{counts ? formatCount(counts.total) : '–'}</span>
        <span class="count-label">all users and rows</span>
      </button>
      {STATUS_ORDER.map((status) => (
        <button
          key={status}
          type="button"
          class={`count status-${status}${counts && counts[status] > 0 ? ' nonzero' : ''}`}
          aria-pressed={selected === status}
          title={STATUS_HINTS[status]}
          data-count={status}
          onClick={() => onSelect(selected === status ? undefined : status)}
        >
          <span class="count-number">{counts ? formatCount(counts[status]) : '–'}</span>
          <span class="count-label">{PAIR_STATUS_LABELS[status]}</span>
        </button>
      ))}
    </nav>
  );
}
