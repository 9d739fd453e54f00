import type { RowMapping } from './document.js';
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
