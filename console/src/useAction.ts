import { useState } from 'preact/hooks';
import { type Outcome, runAction } from './api';

/** An action button's state: whether a call is under way, and the last call's outcome. */
export interface ActionState {
  readonly busy: boolean;
  readonly outcome: Outcome | undefined;
  /** Calls the console API's action at `path`; resolves with its outcome once shown. */
  run(path: string, body: unknown): Promise<Outcome>;
}

/** Runs console actions one at a time, clearing the last outcome when a new one starts. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const run = async (path: string, body: unknown): Promise<Outcome> => {
    setBusy(true);
    setOutcome(undefined);
    const result = await runAction(path, body);
    setOutcome(result);
    setBusy(false);
    return result;
  };
  return { busy, outcome, run };
}
