const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A username as it may appear in a log line: kept when it is a UUID (e-mail
 * sign-in pools, where it equals `sub`), otherwise redacted, because users
 * may pick their e-mail address or phone number as username. The row's `sub`
 * identifies the user in logs instead.
 */
export function loggableUsername(userName: string): string {
  return UUID.test(userName) ? userName : `[redacted ${userName.length} chars]`;
}
