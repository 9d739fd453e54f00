import { useState } from 'preact/hooks';
import { OutcomeMessage } from './OutcomeMessage';
import { useAction } from './useAction';

const SAMPLE_PASSWORD = 'Local-passw0rd!';

/** A labelled text field of a form, bound to a piece of state. */
function TextField({
  label,
  name,
  type = 'text',
  value,
  onValue,
  placeholder,
}: {
  label: string;
  name: string;
  type?: 'text' | 'email';
  value: string;
  onValue: (value: string) => void;
  placeholder?: string;
}) {
  return (
    <label>
      {label}
      <input
        // Preact types each input type apart; both of ours take the same attributes.
        type={type as 'text'}
        name={name}
        required
        autocomplete="off"
        {...(placeholder ? { placeholder } : {})}
        value={value}
        onInput={(event) => onValue((event.target as HTMLInputElement).value)}
      />
    </label>
  );
}

/** Signs a user up through the app client, and confirms it with the local code. */
export function SignUpPanel({ code, onDone }: { code: string | undefined; onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState(SAMPLE_PASSWORD);
  const [confirm, setConfirm] = useState(true);
  const { busy, outcome, run } = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const result = await run('/users/sign-up', { email, password, confirm });
    if (result.kind === 'success') setEmail('');
    onDone();
  };
  return (
    <section class="card" aria-labelledby="sign-up-title">
      <h2 id="sign-up-title">Sign up a user</h2>
      <form onSubmit={submit} class="form">
        <TextField
          label="E-mail"
          name="email"
          type="email"
          placeholder="ada@example.com"
          value={email}
          onValue={setEmail}
        />
        <TextField label="Password" name="password" value={password} onValue={setPassword} />
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
  const { busy, outcome, run } = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    await run('/users/sign-in', { username, password });
  };
  return (
    <section class="card" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      <form onSubmit={submit} class="form">
        <TextField
          label="E-mail or username"
          name="username"
          value={username}
          onValue={setUsername}
        />
        <TextField label="Password" name="password" value={password} onValue={setPassword} />
        <button type="submit" class="button secondary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in (USER_PASSWORD_AUTH)'}
        </button>
      </form>
      <OutcomeMessage outcome={outcome} />
    </section>
  );
}
