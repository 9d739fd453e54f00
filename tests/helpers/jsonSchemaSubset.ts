// A JSON Schema (2020-12) checker for the keywords our checked-in schemas
// use, so that a test can ask a schema whether it accepts a document. It
// throws on any keyword it does not know, so that a schema cannot silently
// rely on one it skips.

type Schema = boolean | { readonly [keyword: string]: unknown };

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'default',
  'examples',
  '$defs',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether `schema` (whose root is `root`, for `$ref: #/...`) accepts `value`. */
export function schemaAccepts(root: Schema, value: unknown, schema: Schema = root): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  for (const [keyword, argument] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (!check(root, keyword, argument, value, schema)) return false;
  }
  return true;
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
  let target: unknown = root;
  for (const segment of ref.slice(2).split('/')) {
    target = (target as Record<string, unknown>)[segment];
  }
  if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
  return target as Schema;
}

function check(
  root: Schema,
  keyword: string,
  argument: unknown,
  value: unknown,
  schema: Schema,
): boolean {
  const object = typeOf(value) === 'object' ? (value as Record<string, unknown>) : undefined;
  switch (keyword) {
    case '$ref':
      return schemaAccepts(root, value, resolve(root, argument as string));
    case 'type':
      return (Array.isArray(argument) ? argument : [argument]).some((type) => hasType(value, type));
    case 'const':
      return equal(value, argument);
    case 'enum':
      return (argument as unknown[]).some((option) => equal(value, option));
    case 'not':
      return !schemaAccepts(root, value, argument as Schema);
    case 'anyOf':
      return (argument as Schema[]).some((option) => schemaAccepts(root, value, option));
    case 'oneOf':
      return (
        (argument as Schema[]).filter((option) => schemaAccepts(root, value, option)).length === 1
      );
    case 'allOf':
      return (argument as Schema[]).every((option) => schemaAccepts(root, value, option));
    case 'pattern':
      return typeof value !== 'string' || new RegExp(argument as string, 'u').test(value);
    case 'minLength':
      return typeof value !== 'string' || [...value].length >= (argument as number);
    case 'maxLength':
      return typeof value !== 'string' || [...value].length <= (argument as number);
    case 'required':
      return !object || (argument as string[]).every((name) => Object.hasOwn(object, name));
    case 'properties':
      return (
        !object ||
        Object.entries(argument as Record<string, Schema>).every(
          ([name, sub]) => !Object.hasOwn(object, name) || schemaAccepts(root, object[name], sub),
        )
      );
    case 'propertyNames':
      return (
        !object ||
        Object.keys(object).every((name) => schemaAccepts(root, name, argument as Schema))
      );
    case 'additionalProperties': {
      if (!object) return true;
      const declared = (typeof schema === 'object' && (schema.properties as object)) || {};
      return Object.entries(object).every(
        ([name, sub]) =>
          Object.hasOwn(declared, name) || schemaAccepts(root, sub, argument as Schema),
      );
    }
    default:
      throw new Error(`the schema uses "${keyword}", which this checker does not know`);
  }
}
