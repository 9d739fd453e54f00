import { useState } from 'preact/hooks';

/**
 * A button for an action that cannot be undone: the first click arms it (its
 * text becomes `confirmLabel`), the second runs `onConfirm`; leaving the
 * button disarms it.
 */
export function ConfirmButton({
  label,
  confirmLabel,
  disabled,
  onConfirm,
}: {
  label: string;
  confirmLabel: string;
  disabled: boolean;
  onConfirm: () => Promise<unknown>;
}) {
  const [armed, setArmed] = useState(false);
  return (
    <button
      type="button"
      class="button danger"
      disabled={disabled}
      onClick={async () => {
        if (!armed) {
          setArmed(true);
          return;
        }
        setArmed(false);
        await onConfirm();
      }}
      onBlur={() => setArmed(false)}
    >
      {armed ? confirmLabel : label}
    </button>
  );
}
