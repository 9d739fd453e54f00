import { UserSyncError } from '../../shared/errors.js';

/** The local stack could not start or stop: a port in use, unreadable data, a bad option. */
export class LocalStackError extends UserSyncError {
  override name = 'LocalStackError';
}
