/**
 * Typed errors for cognito-user-sync. Every error carries a message that names
 * what was wrong (a field, a variable, a table) and never an attribute value.
 */

/** Base class of every error this package throws on purpose. */
export class UserSyncError extends Error {
  /**
   * @param message - what went wrong, naming the offending field or resource
   * @param options - `cause`: the underlying error, when there is one
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** The error's class name, kept explicit so that it survives minification. */
  override name = 'UserSyncError';
}

/** The Cognito event does not have the shape of a Post Confirmation event. */
export class InvalidEventError extends UserSyncError {
  override name = 'InvalidEventError';
}

/** A configuration value (environment variable or option) is missing or invalid. */
export class ConfigError extends UserSyncError {
  override name = 'ConfigError';
}

/** The user's row could not be written to the table (after retries, or past the deadline). */
export class TableWriteError extends UserSyncError {
  override name = 'TableWriteError';
}

/** The table could not be read. */
export class TableReadError extends UserSyncError {
  override name = 'TableReadError';
}

/** The user pool could not be listed. */
export class UserPoolReadError extends UserSyncError {
  override name = 'UserPoolReadError';
}

/** A reconcile run ended without the table matching the pool (failed writes, or orphans left with `failOnOrphans`). */
export class ReconcileIncompleteError extends UserSyncError {
  override name = 'ReconcileIncompleteError';
}

/** A checkpoint write lost its condition: the checkpoint moved on to another generation, or another owner holds its lease. */
export class CheckpointConflictError extends UserSyncError {
  override name = 'CheckpointConflictError';
}

/** A stored checkpoint cannot be read back whole (a chunk missing or of the wrong size, or its checksum differs). */
export class CheckpointCorruptError extends UserSyncError {
  override name = 'CheckpointCorruptError';
}

/**
 * A stored checkpoint is of another format than this version writes (e.g. one
 * saved before an upgrade): it cannot be rebuilt, like a corrupt one, and is
 * handled the same way.
 */
export class CheckpointFormatError extends CheckpointCorruptError {
  override name = 'CheckpointFormatError';
}

/** One problem of a row mapping document: where it is and what is wrong. */
export interface RowMappingIssue {
  /** Where in the document, e.g. `fields.email` (`(document)` for the document itself). */
  readonly path: string;
  /** What is wrong, with the bad value, e.g. `expected a string or false, got 3`. */
  readonly message: string;
}

/**
 * A row mapping document is invalid (or cannot be read). The message names
 * where the document came from and every problem by its path; `issues` holds
 * them one by one. A `ConfigError`, so every entry treats it as bad configuration.
 */
export class RowMappingError extends ConfigError {
  /** The problems one by one (empty when the document could not be read at all). */
  readonly issues: readonly RowMappingIssue[];

  /**
   * @param message - the whole explanation, naming the source and every problem
   * @param issues - the problems one by one
   * @param options - `cause`: the underlying error (a JSON syntax error, a file read), when there is one
   */
  constructor(
    message: string,
    issues: readonly RowMappingIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.issues = issues;
  }

  override name = 'RowMappingError';
}
