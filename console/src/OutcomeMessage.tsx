import type { Outcome } from './api';

/** The result or error of the last action, read out by screen readers. */
export function OutcomeMessage({ outcome }: { outcome: Outcome | undefined }) {
  return (
    <p
      class={`outcome ${outcome?.kind ?? 'none'}`}
      role={outcome?.kind === 'error' ? 'alert' : 'status'}
      data-outcome={outcome?.kind ?? ''}
    >
      {outcome?.text ?? ''}
    </p>
  );
}
