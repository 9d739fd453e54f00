import { MANAGED_FIELDS } from '../domain/converge.js';

/**
 * The projection of reconcile's Scan: the key, `deletedAt` and `createdAt`,
 * plus `sub` when asked, and every managed field when rows are compared
 * (`--update`). App-owned fields are never read.
 */
export function scanProjection(options: {
  readonly keyAttribute: string;
  readonly managedFields?: boolean;
  readonly sub?: boolean;
}): { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  const fields = options.managedFields
    ? [...new Set(['deletedAt', 'createdAt', ...MANAGED_FIELDS])]
    : ['deletedAt', 'createdAt', ...(options.sub ? ['sub'] : [])];
  const names: Record<string, string> = { '#key': options.keyAttribute };
  fields.forEach((field, index) => {
    names[`#f${index}`] = field;
  });
  return {
    ProjectionExpression: ['#key', ...fields.map((_, index) => `#f${index}`)].join(', '),
    ExpressionAttributeNames: names,
  };
}
