import type { RowMappingDocument } from '../../src/domain/rowMapping/document.js';
import { resolveRowMapping } from '../../src/domain/rowMapping/validate.js';

/** The four example mappings of docs/row-mapping.md, by name. */
export const EXAMPLE_MAPPINGS = {
  /** 1. the tutorial's table: key `username`, the e-mail in `useremail`. */
  tutorial: { fields: { email: 'useremail' } },
  /** 2. single-table design, shared with other entities. */
  singleTable: {
    key: { attribute: 'pk', template: 'USER#{sub}' },
    sortKey: { attribute: 'sk', template: 'PROFILE' },
    constants: { entityType: 'User' },
  },
  /** 3. keyed by sub, no attribute map, chosen attributes as top-level columns. */
  bySub: {
    key: { attribute: 'userId', template: '{sub}' },
    fields: { attributes: false },
    attributes: { given_name: 'firstName', 'custom:plan': 'plan' },
  },
  /** 4. today's row. */
  today: {},
} as const satisfies Record<string, RowMappingDocument>;

/** One of {@link EXAMPLE_MAPPINGS}. */
export type ExampleMapping = keyof typeof EXAMPLE_MAPPINGS;

/** The example's names, in document order. */
export const EXAMPLE_NAMES = Object.keys(EXAMPLE_MAPPINGS) as ExampleMapping[];

/** The example mapping, resolved. */
export function exampleMapping(name: ExampleMapping) {
  return resolveRowMapping(EXAMPLE_MAPPINGS[name]);
}

/** What a row is written for: the user's key values and managed values, in today's names. */
export interface RowValues {
  readonly username: string;
  readonly sub: string;
  readonly email?: string;
  /** The `attributes` map; `undefined` when the row has none (erased). */
  readonly attributes?: Readonly<Record<string, string>> | undefined;
  readonly [column: string]: unknown;
}

/**
 * The row an example mapping gives, written out by hand from today's row
 * (`values`: key `username`, every managed field under its own name), so that
 * tests compare the code with an independent statement of each mapping.
 */
export function exampleRow(
  name: ExampleMapping,
  values: RowValues,
  options: { readonly constants?: boolean } = {},
): Record<string, unknown> {
  const { username, email, attributes: map, ...rest } = values;
  const attributes = map ?? {};
  const withMap = map === undefined ? {} : { attributes: map };
  switch (name) {
    case 'today':
      return { username, ...(email === undefined ? {} : { email }), ...withMap, ...rest };
    case 'tutorial':
      return {
        username,
        ...(email === undefined ? {} : { useremail: email }),
        ...withMap,
        ...rest,
      };
    case 'singleTable':
      return {
        pk: `USER#${values.sub}`,
        sk: 'PROFILE',
        ...(options.constants === false ? {} : { entityType: 'User' }),
        ...(email === undefined ? {} : { email }),
        ...withMap,
        ...rest,
      };
    case 'bySub':
      return {
        userId: values.sub,
        ...(email === undefined ? {} : { email }),
        ...(attributes.given_name === undefined ? {} : { firstName: attributes.given_name }),
        ...(attributes['custom:plan'] === undefined ? {} : { plan: attributes['custom:plan'] }),
        ...rest,
      };
  }
}
