import { useEffect, useRef, useState } from 'preact/hooks';
import type { Pair } from './api';
import { ConfirmButton } from './ConfirmButton';
import { STATUS_HINTS } from './format';
import { describeGroups, groupsView } from './groups';
import { OutcomeMessage } from './OutcomeMessage';
import { StatusBadge } from './StatusBadge';
import { useAction } from './useAction';

const COMMON_ATTRIBUTES = ['email', 'name', 'given_name', 'family_name', 'phone_number', 'locale'];

/** A user and its row in full, with every action on them. */
export function PairDialog({
  pair,
  keyAttribute,
  poolGroups,
  groupsColumn,
  onClose,
  onChanged,
}: {
  pair: Pair;
  keyAttribute: string;
  /** Every group of the pool. */
  poolGroups: readonly string[];
  /** The row column that holds the groups, when the mapping keeps them. */
  groupsColumn: string | undefined;
  onClose: () => void;
  onChanged: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { busy, outcome, run } = useAction();
  const { user, row } = pair;
  const title = user?.email ?? (typeof row?.email === 'string' ? row.email : pair.key);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const act = async (path: string, body: unknown): Promise<boolean> => {
    const result = await run(path, body);
    onChanged();
    return result.kind === 'success';
  };

  return (
    <dialog ref={dialog} class="pair-dialog" aria-labelledby="pair-title" onClose={onClose}>
      <header class="dialog-head">
        <div>
          <h2 id="pair-title">{title}</h2>
          <p class="muted mono">{pair.key}</p>
        </div>
        <button
          type="button"
          class="button secondary small"
          onClick={() => dialog.current?.close()}
        >
          Close
        </button>
      </header>
      <p class="dialog-status">
        <StatusBadge status={pair.status} /> <span class="muted">{STATUS_HINTS[pair.status]}</span>
      </p>
      {pair.differences.length > 0 && (
        <p class="banner warning">
          Row fields that differ from what the trigger would write now:{' '}
          <strong>{pair.differences.join(', ')}</strong>
        </p>
      )}
      <div class="dialog-columns">
        <section aria-labelledby="pool-side">
          <h3 id="pool-side">In the user pool</h3>
          {user ? (
            <>
              <dl class="details">
                <dt>Status</dt>
                <dd>{user.status}</dd>
                <dt>Enabled</dt>
                <dd>{user.enabled ? 'yes' : 'no (disabled)'}</dd>
                {Object.entries(user.attributes).map(([name, value]) => (
                  <div class="detail-pair" key={name}>
                    <dt>{name}</dt>
                    <dd>{value}</dd>
                  </div>
                ))}
              </dl>
              <GroupActions
                user={user}
                poolGroups={poolGroups}
                rowGroups={groupsView(pair, groupsColumn)}
                groupsColumn={groupsColumn}
                busy={busy}
                act={act}
              />
              <UserActions user={user} busy={busy} act={act} />
            </>
          ) : (
            <p class="muted">No user has this username: the row is left from a deleted user.</p>
          )}
        </section>
        <section aria-labelledby="table-side">
          <h3 id="table-side">In the table</h3>
          {row ? (
            <RowEditor
              row={row}
              rowKey={pair.key}
              keyAttribute={keyAttribute}
              busy={busy}
              act={act}
            />
          ) : (
            <p class="muted">No row under this username.</p>
          )}
        </section>
      </div>
      <OutcomeMessage outcome={outcome} />
    </dialog>
  );
}

type Act = (path: string, body: unknown) => Promise<boolean>;

function UserActions({
  user,
  busy,
  act,
}: {
  user: NonNullable<Pair['user']>;
  busy: boolean;
  act: Act;
}) {
  const [name, setName] = useState('email');
  const [value, setValue] = useState(user.attributes.email ?? '');
  const username = user.userName;
  return (
    <div class="action-block">
      <form
        class="form inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void act('/users/attribute', { username, name, value });
        }}
      >
        <h4>Change an attribute</h4>
        <div class="field-pair">
          <label>
            Attribute
            <input
              name="attribute-name"
              list="attribute-names"
              required
              value={name}
              onInput={(event) => {
                const next = (event.target as HTMLInputElement).value;
                setName(next);
                setValue(user.attributes[next] ?? '');
              }}
            />
            <datalist id="attribute-names">
              {COMMON_ATTRIBUTES.map((attribute) => (
                <option key={attribute} value={attribute} />
              ))}
            </datalist>
          </label>
          <label>
            New value
            <input
              name="attribute-value"
              value={value}
              onInput={(event) => setValue((event.target as HTMLInputElement).value)}
            />
          </label>
        </div>
        <button type="submit" class="button" disabled={busy}>
          Save attribute
        </button>
      </form>
      <div class="button-row">
        {user.status === 'UNCONFIRMED' && (
          <button
            type="button"
            class="button secondary"
            disabled={busy}
            onClick={() => act('/users/confirm', { username })}
          >
            Confirm sign-up
          </button>
        )}
        <button
          type="button"
          class="button secondary"
          disabled={busy}
          onClick={() => act(user.enabled ? '/users/disable' : '/users/enable', { username })}
        >
          {user.enabled ? 'Disable user' : 'Enable user'}
        </button>
        <ConfirmButton
          label="Delete user"
          confirmLabel="Click again to delete the user"
          disabled={busy}
          onConfirm={() => act('/users/delete', { username })}
        />
      </div>
    </div>
  );
}

/**
 * The user's groups, each with a button that removes the user from it, and
 * one field to add the user to a group or create a group of that name.
 */
function GroupActions({
  user,
  poolGroups,
  rowGroups,
  groupsColumn,
  busy,
  act,
}: {
  user: NonNullable<Pair['user']>;
  poolGroups: readonly string[];
  rowGroups: ReturnType<typeof groupsView>;
  groupsColumn: string | undefined;
  busy: boolean;
  act: Act;
}) {
  const [group, setGroup] = useState('');
  const username = user.userName;
  const groups = user.groups ?? [];
  const others = poolGroups.filter((name) => !groups.includes(name));
  return (
    <form
      class="form inline-form action-block"
      aria-labelledby="groups-title"
      onSubmit={(event) => {
        event.preventDefault();
        void act('/users/add-to-group', { username, group });
      }}
    >
      <h4 id="groups-title">Groups</h4>
      {groups.length === 0 ? (
        <p class="muted">In no group.</p>
      ) : (
        <ul class="group-list">
          {groups.map((name) => (
            <li key={name}>
              <span class="mono">{name}</span>{' '}
              <button
                type="button"
                class="button secondary small"
                disabled={busy}
                aria-label={`Remove from group ${name}`}
                onClick={() => act('/users/remove-from-group', { username, group: name })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {rowGroups.row !== undefined && (
        <p class={rowGroups.differs ? 'warning-text' : 'muted'}>
          The row's <code>{groupsColumn}</code>:{' '}
          {rowGroups.row === 'absent' ? 'not written yet' : describeGroups(rowGroups.row)}
          {rowGroups.differs && ' (reconcile with updates rewrites it)'}
        </p>
      )}
      <label>
        Group
        <input
          name="group-name"
          list="group-names"
          required
          autocomplete="off"
          value={group}
          onInput={(event) => setGroup((event.target as HTMLInputElement).value)}
        />
        <datalist id="group-names">
          {others.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </label>
      <div class="button-row">
        <button type="submit" class="button" disabled={busy}>
          Add to group
        </button>
        <button
          type="button"
          class="button secondary"
          disabled={busy}
          onClick={() => act('/groups/create', { group })}
        >
          Create group
        </button>
      </div>
    </form>
  );
}

function RowEditor({
  row,
  rowKey,
  keyAttribute,
  busy,
  act,
}: {
  row: Readonly<Record<string, unknown>>;
  rowKey: string;
  keyAttribute: string;
  busy: boolean;
  act: Act;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>();
  const save = async (event: Event) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      setParseError(`The row is not valid JSON: ${(error as Error).message}`);
      return;
    }
    setParseError(undefined);
    if (await act('/rows/put', { row: parsed })) setEditing(false);
  };
  return (
    <div>
      {editing ? (
        <form class="form" onSubmit={save}>
          <label>
            Row as JSON (keep <code>{keyAttribute}</code>)
            <textarea
              name="row-json"
              rows={12}
              spellcheck={false}
              value={text}
              onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
            />
          </label>
          {parseError && (
            <p class="outcome error" role="alert">
              {parseError}
            </p>
          )}
          <div class="button-row">
            <button type="submit" class="button" disabled={busy}>
              Save row
            </button>
            <button type="button" class="button secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <pre class="row-json">{JSON.stringify(row, undefined, 2)}</pre>
      )}
      {!editing && (
        <div class="button-row">
          <button
            type="button"
            class="button secondary"
            disabled={busy}
            onClick={() => {
              setText(JSON.stringify(row, undefined, 2));
              setEditing(true);
            }}
          >
            Edit row
          </button>
          <ConfirmButton
            label="Delete row"
            confirmLabel="Click again to delete the row"
            disabled={busy}
            onConfirm={() => act('/rows/delete', { key: rowKey })}
          />
        </div>
      )}
      <p class="hint">Editing or deleting the row simulates a write the trigger lost.</p>
    </div>
  );
}
