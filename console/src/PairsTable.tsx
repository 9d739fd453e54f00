import type { Pair, PairPage } from './api';
import { describeRowSource, formatCount, formatDateTime, shortId } from './format';
import { describeGroups, groupsView } from './groups';
import { RowExpiry } from './RowExpiry';
import { StatusBadge } from './StatusBadge';

/** The paired users and rows of one page, with paging. */
export function PairsTable({
  page,
  filtered,
  onOpen,
  onPage,
  expiryAttribute,
  groupsColumn,
}: {
  page: PairPage | undefined;
  filtered: boolean;
  onOpen: (pair: Pair) => void;
  onPage: (offset: number) => void;
  /** The rows' Time to Live attribute, whose expiry marked rows show. */
  expiryAttribute?: string | undefined;
  /** The row column that holds the groups, when the mapping keeps them. */
  groupsColumn?: string | undefined;
}) {
  if (!page) return <p class="empty">Reading the pool and the table…</p>;
  if (page.total === 0) {
    return (
      <p class="empty">
        {filtered
          ? 'Nothing matches this filter.'
          : 'The pool has no users and the table no rows yet. Sign a user up on the right to start.'}
      </p>
    );
  }
  const first = page.offset + 1;
  const last = page.offset + page.items.length;
  return (
    <>
      <div class="table-scroll">
        <table class="pairs">
          <thead>
            <tr>
              <th scope="col" class="col-status">
                Status
              </th>
              <th scope="col" class="col-user">
                User in the pool
              </th>
              <th scope="col" class="col-pool">
                Pool status
              </th>
              <th scope="col" class="col-row">
                Row in the table
              </th>
              <th scope="col">
                <span class="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((pair) => (
              <PairRow
                key={pair.key}
                pair={pair}
                onOpen={onOpen}
                expiryAttribute={expiryAttribute}
                groupsColumn={groupsColumn}
              />
            ))}
          </tbody>
        </table>
      </div>
      <div class="pager">
        <span>
          {formatCount(first)}–{formatCount(last)} of {formatCount(page.total)}
        </span>
        <button
          type="button"
          class="button secondary small"
          disabled={page.offset === 0}
          onClick={() => onPage(Math.max(0, page.offset - page.limit))}
        >
          Previous
        </button>
        <button
          type="button"
          class="button secondary small"
          disabled={last >= page.total}
          onClick={() => onPage(page.offset + page.limit)}
        >
          Next
        </button>
      </div>
    </>
  );
}

function PairRow({
  pair,
  onOpen,
  expiryAttribute,
  groupsColumn,
}: {
  pair: Pair;
  onOpen: (pair: Pair) => void;
  expiryAttribute: string | undefined;
  groupsColumn: string | undefined;
}) {
  const { user, row } = pair;
  const groups = groupsView(pair, groupsColumn);
  const rowEmail = typeof row?.email === 'string' ? row.email : undefined;
  const name = user?.email ?? rowEmail ?? pair.key;
  return (
    <tr data-key={pair.key} data-status={pair.status} data-email={user?.email ?? rowEmail ?? ''}>
      <td>
        <StatusBadge status={pair.status} />
        {pair.differences.length > 0 && (
          <div class="differences">differs: {pair.differences.join(', ')}</div>
        )}
      </td>
      <td>
        {user ? (
          <>
            <div class="primary">{user.email ?? '(no e-mail)'}</div>
            <div class="mono muted" title={user.userName}>
              {shortId(user.userName)}
            </div>
            {groups.user && (
              <div class={`groups${groups.differs ? ' differs' : ''}`} data-groups="user">
                groups: {describeGroups(groups.user)}
              </div>
            )}
          </>
        ) : (
          <span class="muted">no such user</span>
        )}
      </td>
      <td>
        {user ? (
          <>
            <div>{user.status}</div>
            <div class={user.enabled ? 'muted' : 'warning-text'}>
              {user.enabled ? 'enabled' : 'disabled'}
            </div>
          </>
        ) : (
          <span class="muted">–</span>
        )}
      </td>
      <td>
        {row ? (
          <>
            <div class="primary">
              {rowEmail ?? (
                <span class="muted">
                  {typeof row.deletedAt === 'string' ? '(personal data erased)' : '(no e-mail)'}
                </span>
              )}
              {typeof row.deletedAt === 'string' && (
                <span class="tag">deleted {formatDateTime(row.deletedAt)}</span>
              )}
            </div>
            <div class="muted">
              written by {describeRowSource(row.source)}
              <br />
              {typeof row.updatedAt === 'string'
                ? `updated ${formatDateTime(row.updatedAt)}`
                : formatDateTime(row.createdAt)}
              {typeof row.deletedAt === 'string' && expiryAttribute && (
                <RowExpiry value={row[expiryAttribute]} />
              )}
              {typeof row.lastSignInAt === 'string' && (
                <>
                  <br />
                  last sign-in {formatDateTime(row.lastSignInAt)}
                </>
              )}
            </div>
            {groups.row !== undefined && (
              <div class={`groups${groups.differs ? ' differs' : ''}`} data-groups="row">
                {groupsColumn}:{' '}
                {groups.row === 'absent' ? (
                  <span class="muted">(none yet)</span>
                ) : (
                  describeGroups(groups.row)
                )}
              </div>
            )}
          </>
        ) : (
          <span class="muted">no row</span>
        )}
      </td>
      <td class="actions-cell">
        <button
          type="button"
          class="button secondary small"
          aria-label={`Details and actions for ${name}`}
          onClick={() => onOpen(pair)}
        >
          Details
        </button>
      </td>
    </tr>
  );
}
