import { ROW_MANAGED_FIELDS } from '../../domain/rowMapping/document.js';
import { keyAndFieldsProjection } from './projection.js';

/** What {@link projectedFields} and {@link scanProjection} read. */
export interface ProjectionOptions {
  readonly keyAttribute: string;
  readonly managedFields?: boolean;
  readonly sub?: boolean;
}

/**
 * The fields reconcile reads of a row besides its key: `deletedAt` and
 * `createdAt`, plus `sub` when asked, and every managed field when rows are
 * compared (`--update`). App-owned fields are never read.
 */
export function projectedFields(options: ProjectionOptions): string[] {
  return options.managedFields
    ? [...new Set(['deletedAt', 'createdAt', ...ROW_MANAGED_FIELDS])]
    : ['deletedAt', 'createdAt', ...(options.sub ? ['sub'] : [])];
}

/** The projection of reconcile's Scan: the key and the {@link projectedFields}. */
export function scanProjection(options: ProjectionOptions): {
  ProjectionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
} {
  return keyAndFieldsProjection(options.keyAttribute, projectedFields(options), '#f');
}
