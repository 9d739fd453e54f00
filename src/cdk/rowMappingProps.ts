import { Token } from 'aws-cdk-lib';
import { CfnGlobalTable, CfnTable, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RowMapping, RowMappingDocument } from '../domain/rowMapping/document.js';
import { resolveRowMapping } from '../domain/rowMapping/validate.js';
import { RowMappingError } from '../shared/errors.js';

/** The `rowMapping` prop, checked: the resolved mapping and what the functions get. */
export interface ValidRowMapping {
  /** The resolved mapping (the default one, from `keyAttribute`, when no document is given). */
  readonly mapping: RowMapping;
  /** The document as JSON, the functions' `ROW_MAPPING`; `undefined` when none is given. */
  readonly json: string | undefined;
}

/**
 * Checks the `rowMapping` prop with `resolveRowMapping`, `keyAttribute` being
 * its shorthand for `key.attribute`.
 *
 * @param document - the prop's value
 * @param keyAttribute - the `keyAttribute` prop, already checked (may be a token without a document)
 * @returns the mapping, or `undefined` when it cannot be known at synth time
 *   (a `keyAttribute` token and no document)
 * @throws RowMappingError naming every problem by its path under `rowMapping`,
 *   e.g. `rowMapping.fields.email: expected a string or false, got 3`
 */
export function validRowMapping(
  document: RowMappingDocument | undefined,
  keyAttribute: string | undefined,
): ValidRowMapping | undefined {
  if (keyAttribute !== undefined && Token.isUnresolved(keyAttribute)) {
    if (document === undefined) return undefined;
    throw new RowMappingError(
      'keyAttribute must be known at synth time when rowMapping is given (give the key as rowMapping.key instead), got a token',
    );
  }
  if (document !== undefined && JSON.stringify(document).includes('${Token[')) {
    throw new RowMappingError(
      'rowMapping must be known at synth time (the functions read it as JSON), got a token in it',
    );
  }
  let mapping: RowMapping;
  try {
    mapping = resolveRowMapping(document ?? {}, { source: 'rowMapping', keyAttribute });
  } catch (error) {
    if (!(error instanceof RowMappingError) || error.issues.length === 0) throw error;
    const problems = error.issues.map((issue) => `${pathOf(issue.path)}: ${issue.message}`);
    throw new RowMappingError(problems.join('; '), error.issues, { cause: error });
  }
  return { mapping, json: document === undefined ? undefined : JSON.stringify(document) };
}

function pathOf(path: string): string {
  return path === '(document)' ? 'rowMapping' : `rowMapping.${path}`;
}

/** One key attribute of a table's key schema, as CloudFormation declares it. */
interface DeclaredKey {
  readonly name: string;
  /** `S`, `N` or `B`; `undefined` when the definition cannot be read. */
  readonly type: string | undefined;
}

/** The key schema a table defined in this app declares; `undefined` for an imported table. */
function declaredKeySchema(
  table: ITable,
): { partition: DeclaredKey[]; sort: DeclaredKey[] } | undefined {
  const resource = table.node.defaultChild;
  if (!(resource instanceof CfnTable) && !(resource instanceof CfnGlobalTable)) return undefined;
  const { keySchema, attributeDefinitions } = resource;
  if (!Array.isArray(keySchema) || Token.isUnresolved(keySchema)) return undefined;
  const definitions = Array.isArray(attributeDefinitions) ? attributeDefinitions : [];
  const typeOf = (name: string): string | undefined => {
    const found = definitions.find(
      (definition: unknown) =>
        typeof definition === 'object' &&
        definition !== null &&
        (definition as CfnTable.AttributeDefinitionProperty).attributeName === name,
    ) as CfnTable.AttributeDefinitionProperty | undefined;
    return found?.attributeType;
  };
  const keysOf = (keyType: string): DeclaredKey[] =>
    (keySchema as CfnTable.KeySchemaProperty[])
      .filter((element) => element.keyType === keyType)
      .map((element) => ({ name: element.attributeName, type: typeOf(element.attributeName) }));
  return { partition: keysOf('HASH'), sort: keysOf('RANGE') };
}

function describeKeys(keys: readonly DeclaredKey[]): string {
  return keys.map((key) => `"${key.name}" (${key.type ?? 'unknown type'})`).join(' + ');
}

/**
 * Compares the key schema of a table defined in this app (a `Table` or a
 * `TableV2`, not an imported one) with the mapping's keys: the same partition
 * key, the same sort key or none, each a string attribute (`S`). An imported
 * table's key schema is not known at synth time: nothing is checked.
 *
 * @throws Error naming the mapping's key and the table's, when they differ
 */
export function checkTableKeys(table: ITable, mapping: RowMapping): void {
  const declared = declaredKeySchema(table);
  if (!declared) return;
  const path = table.node.path;
  const schema = `partition key ${describeKeys(declared.partition)}${declared.sort.length > 0 ? `, sort key ${describeKeys(declared.sort)}` : ', no sort key'}`;
  const compare = (
    what: 'partition key' | 'sort key',
    prop: string,
    member: string,
    expected: string | undefined,
    keys: readonly DeclaredKey[],
  ) => {
    if (expected === undefined) {
      if (keys.length === 0) return;
      throw new Error(
        `table ${path} has a sort key ${describeKeys(keys)}, but the row mapping has none: give the mapping a rowMapping.sortKey with attribute "${keys[0]?.name}" (e.g. { "attribute": "${keys[0]?.name}", "template": "PROFILE" }), or use a table without a sort key (the table's key schema: ${schema})`,
      );
    }
    const [key, ...more] = keys;
    if (!key) {
      throw new Error(
        `the row mapping's ${prop} is "${expected}", but table ${path} has no ${what}: remove ${member} or use a table whose ${what} is "${expected}" (the table's key schema: ${schema})`,
      );
    }
    if (more.length > 0 || key.name !== expected) {
      throw new Error(
        `the row mapping's ${prop} is "${expected}", but table ${path} has the ${what} ${describeKeys(keys)}: make them the same (the table's key schema: ${schema})`,
      );
    }
    if (key.type !== undefined && key.type !== 'S') {
      throw new Error(
        `the row mapping's ${prop} "${expected}" holds a string, but table ${path} declares it of type ${key.type}: make the table's ${what} a string attribute (AttributeType.STRING) (the table's key schema: ${schema})`,
      );
    }
  };
  compare(
    'partition key',
    'key attribute (rowMapping.key.attribute, or keyAttribute)',
    'rowMapping.key',
    mapping.key.attribute,
    declared.partition,
  );
  compare(
    'sort key',
    'sort key (rowMapping.sortKey.attribute)',
    'rowMapping.sortKey',
    mapping.sortKey?.attribute,
    declared.sort,
  );
}
