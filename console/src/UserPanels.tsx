import { useState } from 'preact/hooks';
import { type Outcome, runAction } from './api';
import { OutcomeMessage } from './OutcomeMessage';

const SAMPLE_PASSWORD = 'Local-passw0rd!';

function inputValue(event: Event): string {
  return (event.target as HTMLInputElement).value;
}

/** Signs a user up through the app client, and confirms it with the local code. */
export function SignUpPanel({ code, onDone }: { code: string | undefined; onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState(SAMPLE_PASSWORD);
  const [confirm, setConfirm] = useState(true);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(undefined);
    const result = await runAction('/users/sign-up', { email, password, confirm });
    setOutcome(result);
    setBusy(false);
    if (result.kind === 'success') setEmail('');
    onDone();
  };
  return (
    <section class="card" aria-labelledby="sign-up-title">
      <h2 id="sign-up-title">Sign up a user</h2>
      <form onSubmit={submit} class="form">
        <label>
          E-mail
          <input
            type="email"
            name="email"
            required
            autocomplete="off"
            placeholder="ada@example.com"
            value={email}
            onInput={(event) => setEmail(inputValue(event))}
          />
        </label>
        <label>
          Password
          <input
            type="text"
            name="password"
            required
            autocomplete="off"
            value={password}
            onInput={(event) => setPassword(inputValue(event))}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="confirm"
            checked={confirm}
            onChange={(event) => setConfirm((event.target as HTMLInputElement).checked)}
          />
          Confirm with the local code{code ? ` (${code})` : ''}: runs the trigger
        </label>
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Signing up…' : confirm ? 'Sign up and confirm' : 'Sign up'}
        </button>
      </form>
      <OutcomeMessage outcome={outcome} />
    </section>
  );
}

/** Signs a user in with USER_PASSWORD_AUTH. */
export function SignInPanel() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState(SAMPLE_PASSWORD);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setOutcome(undefined);
    setOutcome(await runAction('/users/sign-in', { username, password }));
    setBusy(false);
  };
  return (
    <section class="card" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      <form onSubmit={submit} class="form">
        <label>
          E-mail or username
          <input
            type="text"
            name="username"
            required
            autocomplete="off"
            value={username}
            onInput={(event) => setUsername(inputValue(event))}
          />
        </label>
        <label>
          Password
          <input
            type="text"
            name="password"
            required
            autocomplete="off"
            value={password}
            onInput={(event) => setPassword(inputValue(event))}
          />
        </label>
        <button type="submit" class="button secondary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in (USER_PASSWORD_AUTH)'}
        </button>
      </form>
      <OutcomeMessage outcome={outcome} />
    </section>
  );
}
