/** A defect that makes the table differ from the model, tolerated until it is fixed. */
export type KnownDrift =
  | 'trigger-row-lacks-enabled-and-status'
  | 'admin-update-by-changed-email-lost'
  | 'disabled-user-signs-in'
  | 'admin-delete-by-email-lost'
  | 'reconcile-row-lacks-enabled-and-status';

/**
 * The one switch that narrows the model-based test for known defects: each
 * entry lets the test accept exactly that drift, for the users it concerns,
 * and nothing else. Delete an entry once its fix is in: the test then holds
 * the table to the whole requirement again (its diagnostics say how often
 * each entry was needed).
 */
export const KNOWN_DRIFT: ReadonlySet<KnownDrift> = new Set<KnownDrift>([
  // Being fixed; each narrows only the 2-second check (change signals on, no faults):
  // (1) The Post Confirmation trigger's row lacks `enabled` and `status`
  //     (until a change signal, a sign-in or a reconcile adds them).
  'trigger-row-lacks-enabled-and-status',
  // (2) An AdminUpdateUserAttributes naming the user by an e-mail address it
  //     changes is lost: its change signal names an address nobody has any more.
  'admin-update-by-changed-email-lost',
  // (3) The local stack lets a disabled user sign in (answering as for an
  //     enabled user), and the sign-in refresh then sets `enabled: true`.
  'disabled-user-signs-in',

  // Found by this test, not among the defects being fixed:
  // (4) An AdminDeleteUser naming the user by e-mail is lost: its change
  //     signal names an address nobody has any more, so the row is not marked
  //     until a reconcile (docs/lifecycle.md lists it as a limitation).
  //     Narrows only the 2-second check.
  'admin-delete-by-email-lost',
  // (5) The rows `reconcile --update` creates lack `enabled` and `status` (a
  //     second run adds them). Narrows the check after the reconcile, for
  //     the rows that reconcile may have created.
  'reconcile-row-lacks-enabled-and-status',
]);
