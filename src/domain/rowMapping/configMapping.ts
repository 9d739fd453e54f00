import type { RowMapping } from './document.js';
import { readRowMapping } from './readRowMapping.js';
import { resolveRowMapping } from './validate.js';

/** What a configuration says about rows: the older settings and, when given, the resolved mapping. */
export interface RowMappingSettings {
  /** The older `keyAttribute` setting: the partition key, holding the username. */
  readonly keyAttribute: string;
  /** The `USER_ATTRIBUTES` allowlist. @default - all but `cognito:*` */
  readonly userAttributes?: readonly string[] | undefined;
  /** The resolved row mapping (`ROW_MAPPING`, `--row-mapping`, the construct's `rowMapping`). @default - `{}` with the settings above */
  readonly rowMapping?: RowMapping | undefined;
}

const legacy = new Map<string, RowMapping>();

/**
 * The mapping of today's row under a key attribute and an allowlist: `{}`
 * with `keyAttribute` as shorthand, resolved once per pair. Pure.
 */
export function legacyRowMapping(
  keyAttribute: string,
  attributeAllowlist?: readonly string[] | undefined,
): RowMapping {
  const id = JSON.stringify([keyAttribute, attributeAllowlist ?? null]);
  let mapping = legacy.get(id);
  if (!mapping) {
    mapping = resolveRowMapping(
      {},
      { keyAttribute, ...(attributeAllowlist ? { attributeAllowlist } : {}) },
    );
    legacy.set(id, mapping);
  }
  return mapping;
}

/**
 * The mapping a configuration means: its `rowMapping` when it has one, else
 * today's row under its `keyAttribute` and `userAttributes`. Pure.
 */
export function rowMappingOf(settings: RowMappingSettings): RowMapping {
  return settings.rowMapping ?? legacyRowMapping(settings.keyAttribute, settings.userAttributes);
}

/** The row settings as a settings family reads them: the mapping still as text. */
export interface RowMappingText {
  readonly keyAttribute: string;
  readonly userAttributes?: readonly string[] | undefined;
  /** `ROW_MAPPING` (or `--row-mapping`) as given: a JSON document, or for the command line a file's path. */
  readonly rowMapping?: string | undefined;
}

/**
 * Resolves a family's row settings into the mapping every path reads rows by:
 * the `ROW_MAPPING` document (or `{}`), with `KEY_ATTRIBUTE` as shorthand for
 * its key only when that was given (its default is the mapping's own), and
 * the `USER_ATTRIBUTES` allowlist.
 *
 * @param keyAttributeGiven - whether `KEY_ATTRIBUTE` (or `--key-attribute`) was set
 * @param source - names the setting in errors, e.g. `ROW_MAPPING`
 * @throws RowMappingError naming the source and every problem by its path
 */
export function resolveSettingsRowMapping<T extends RowMappingText>(
  values: T,
  keyAttributeGiven: boolean,
  source = 'ROW_MAPPING',
): Omit<T, 'rowMapping'> & { readonly rowMapping: RowMapping } {
  return {
    ...values,
    rowMapping: readRowMapping(values.rowMapping, {
      source,
      ...(keyAttributeGiven ? { keyAttribute: values.keyAttribute } : {}),
      ...(values.userAttributes ? { attributeAllowlist: values.userAttributes } : {}),
    }),
  };
}
