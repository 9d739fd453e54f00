import { RowMappingError, type RowMappingIssue } from '../../shared/errors.js';
import { isRecord } from '../../shared/values.js';
import {
  COGNITO_INTERNAL_PREFIX,
  type ConstantValue,
  DEFAULT_KEY,
  type KeyTemplate,
  OPT_IN_FIELDS,
  REQUIRED_FIELDS,
  ROW_FIELDS,
  ROW_MANAGED_FIELDS,
  type RowManagedField,
  type RowMapping,
  type RowOptInField,
} from './document.js';
import { parseTemplate, placeholdersOf } from './templates.js';

/** Members a row mapping document may have (besides `$schema`, which editors read and the mapping ignores). */
export const DOCUMENT_MEMBERS = [
  'key',
  'keyAttribute',
  'sortKey',
  'fields',
  'attributes',
  'constants',
] as const;

/** A key attribute's name: 1-255 characters of `A-Z a-z 0-9 _ . : -` (as `KEY_ATTRIBUTE`). */
export const KEY_ATTRIBUTE_NAME = /^[A-Za-z0-9_.:-]{1,255}$/;

/** Longest column name accepted (DynamoDB's limit for key attributes, kept for every column). */
export const MAX_COLUMN_NAME_LENGTH = 255;

/** How a document is resolved besides its own content. */
export interface ResolveOptions {
  /** Where the document came from, for the error message, e.g. `ROW_MAPPING` or `--row-mapping`. @default 'row mapping' */
  readonly source?: string;
  /**
   * The older `keyAttribute` setting (`KEY_ATTRIBUTE`, `--key-attribute`,
   * the construct's `keyAttribute`): shorthand for `key.attribute` with
   * `{username}`, used when the document names no key; an error when it
   * names another key attribute.
   * @default - the document's key, else `username`
   */
  readonly keyAttribute?: string | undefined;
  /** Attributes copied into the `attributes` map (`USER_ATTRIBUTES`). @default - all but `cognito:*` */
  readonly attributeAllowlist?: readonly string[] | undefined;
}

/** The document's path of the root, in messages. */
const ROOT = '(document)';

/** Describes a bad value for a message: `3`, `"x"`, `true`, `null`, `an array`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface Draft {
  key?: KeyTemplate;
  sortKey?: KeyTemplate;
  fields: Record<RowManagedField, string | undefined> & Partial<Record<RowOptInField, string>>;
  attributeColumns: Record<string, string>;
  constants: Record<string, ConstantValue>;
}

/**
 * Checks a row mapping document (the value of parsed JSON) and lists every
 * problem by its path, e.g. `fields.email: expected a string or false, got 3`.
 * Checks types and members, templates (placeholders `{sub}`, `{username}`,
 * `{userPoolId}` only, and the key must name the user by `{sub}` or
 * `{username}`), column names (two of the mapping's columns never share a
 * name: keys, managed fields, attribute columns and constants), and that no
 * field a path needs is left out. Pure.
 *
 * @returns the problems, empty when the document is valid
 */
export function rowMappingIssues(document: unknown): RowMappingIssue[] {
  return check(document).issues;
}

/**
 * Checks a row mapping document and resolves it: defaults filled in, every
 * template parsed. `{}` gives today's row exactly.
 *
 * @throws RowMappingError naming the source and every problem by its path
 */
export function resolveRowMapping(document: unknown, options: ResolveOptions = {}): RowMapping {
  const source = options.source ?? 'row mapping';
  let input = document;
  if (options.keyAttribute !== undefined && isRecord(document)) {
    const named = isRecord(document.key) ? document.key.attribute : document.keyAttribute;
    if (named === undefined) input = { ...document, keyAttribute: options.keyAttribute };
    else if (named !== options.keyAttribute) {
      const issue = {
        path: isRecord(document.key) ? 'key.attribute' : 'keyAttribute',
        message: `names key attribute ${describeValue(named)}, but the keyAttribute setting is ${describeValue(options.keyAttribute)}: give one of them`,
      };
      throw new RowMappingError(`${source}: ${issue.path}: ${issue.message}`, [issue]);
    }
  }
  const { issues, draft } = check(input);
  if (issues.length > 0 || !draft?.key) {
    const list = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new RowMappingError(`${source} is invalid: ${list}`, issues);
  }
  return {
    key: draft.key,
    ...(draft.sortKey ? { sortKey: draft.sortKey } : {}),
    fields: draft.fields,
    attributeColumns: draft.attributeColumns,
    constants: draft.constants,
    ...(options.attributeAllowlist ? { attributeAllowlist: options.attributeAllowlist } : {}),
  };
}

function check(document: unknown): { issues: RowMappingIssue[]; draft?: Draft } {
  const issues: RowMappingIssue[] = [];
  const report = (path: string, message: string) => issues.push({ path, message });
  if (!isRecord(document)) {
    report(ROOT, `expected an object, got ${describeValue(document)}`);
    return { issues };
  }
  if (Object.hasOwn(document, '$schema') && typeof document.$schema !== 'string') {
    report(
      '$schema',
      `expected the schema's URL or path (a string), got ${describeValue(document.$schema)}`,
    );
  }
  for (const member of Object.keys(document)) {
    if (member !== '$schema' && !(DOCUMENT_MEMBERS as readonly string[]).includes(member)) {
      report(member, `unknown member (expected ${DOCUMENT_MEMBERS.join(', ')})`);
    }
  }
  const draft: Draft = {
    fields: Object.fromEntries(ROW_MANAGED_FIELDS.map((field) => [field, field])) as Record<
      RowManagedField,
      string
    >,
    attributeColumns: {},
    constants: {},
  };

  if (Object.hasOwn(document, 'key') && Object.hasOwn(document, 'keyAttribute')) {
    report('keyAttribute', 'give either keyAttribute or key, not both');
  }
  if (Object.hasOwn(document, 'keyAttribute')) {
    const name = document.keyAttribute;
    if (checkKeyAttribute('keyAttribute', name, report)) {
      draft.key = keyTemplate(name as string, DEFAULT_KEY.template);
    }
  } else if (Object.hasOwn(document, 'key')) {
    const key = checkKey('key', document.key, report);
    if (key) draft.key = key;
  } else draft.key = keyTemplate(DEFAULT_KEY.attribute, DEFAULT_KEY.template);
  if (Object.hasOwn(document, 'sortKey')) {
    const sortKey = checkKey('sortKey', document.sortKey, report);
    if (sortKey) draft.sortKey = sortKey;
  }

  checkFields(document, draft, report);
  checkAttributes(document, draft, report);
  checkConstants(document, draft, report);

  const keyPlaceholders = [draft.key, draft.sortKey].flatMap((key) =>
    key ? placeholdersOf(key) : [],
  );
  // A sort key that failed its own check may be the one naming the user: no second error then.
  const keysChecked =
    draft.key !== undefined && (draft.sortKey !== undefined || !Object.hasOwn(document, 'sortKey'));
  if (
    keysChecked &&
    draft.key &&
    !keyPlaceholders.includes('sub') &&
    !keyPlaceholders.includes('username')
  ) {
    report(
      'key.template',
      `the key must name the user: put {sub} or {username} in key.template${draft.sortKey ? ' or sortKey.template' : ''} (${describeValue(draft.key.template)}${draft.sortKey ? ` and ${describeValue(draft.sortKey.template)}` : ''} ${draft.sortKey ? 'hold' : 'holds'} neither)`,
    );
  }
  for (const [field, why] of Object.entries(REQUIRED_FIELDS) as [RowManagedField, string][]) {
    if (draft.fields[field] !== undefined) continue;
    if (field === 'sub' && (keyPlaceholders.includes('sub') || !keysChecked)) continue;
    report(
      `fields.${field}`,
      `cannot be left out: ${why}; rename it instead${field === 'sub' ? ', or key rows by {sub}' : ''}`,
    );
  }
  checkColumns(draft, report);
  return { issues, draft };
}

type Report = (path: string, message: string) => void;

function keyTemplate(attribute: string, template: string): KeyTemplate {
  const parsed = parseTemplate(template);
  return { attribute, template, parts: parsed.ok ? parsed.parts : [] };
}

function checkKeyAttribute(path: string, name: unknown, report: Report): boolean {
  if (typeof name !== 'string') {
    report(path, `expected an attribute name, got ${describeValue(name)}`);
    return false;
  }
  if (!KEY_ATTRIBUTE_NAME.test(name)) {
    report(path, `expected 1-255 characters of A-Z a-z 0-9 _ . : -, got ${describeValue(name)}`);
    return false;
  }
  return true;
}

function checkKey(path: string, value: unknown, report: Report): KeyTemplate | undefined {
  if (!isRecord(value)) {
    report(
      path,
      `expected an object { "attribute": …, "template": … }, got ${describeValue(value)}`,
    );
    return undefined;
  }
  for (const member of Object.keys(value)) {
    if (member !== 'attribute' && member !== 'template') {
      report(`${path}.${member}`, 'unknown member (expected attribute, template)');
    }
  }
  const attributeOk = checkKeyAttribute(`${path}.attribute`, value.attribute, report);
  const template = value.template;
  if (typeof template !== 'string') {
    report(
      `${path}.template`,
      `expected a template such as "USER#{sub}", got ${describeValue(template)}`,
    );
    return undefined;
  }
  const parsed = parseTemplate(template);
  if (!parsed.ok) {
    report(`${path}.template`, parsed.problem);
    return undefined;
  }
  return attributeOk
    ? { attribute: value.attribute as string, template, parts: parsed.parts }
    : undefined;
}

function checkColumnName(path: string, name: unknown, what: string, report: Report): boolean {
  if (typeof name !== 'string' || name === '' || name.length > MAX_COLUMN_NAME_LENGTH) {
    report(path, `expected ${what}, got ${describeValue(name)}`);
    return false;
  }
  return true;
}

function checkFields(document: Record<string, unknown>, draft: Draft, report: Report): void {
  if (!Object.hasOwn(document, 'fields')) return;
  const fields = document.fields;
  if (!isRecord(fields)) {
    report('fields', `expected an object of managed fields, got ${describeValue(fields)}`);
    return;
  }
  for (const [field, value] of Object.entries(fields)) {
    const path = `fields.${field}`;
    if (!(ROW_FIELDS as readonly string[]).includes(field)) {
      report(path, `unknown managed field (expected one of ${ROW_FIELDS.join(', ')})`);
      continue;
    }
    if ((OPT_IN_FIELDS as readonly string[]).includes(field)) {
      // Off by default: `false` keeps it off, a column name turns it on.
      if (value !== false && checkColumnName(path, value, 'a column name or false', report)) {
        draft.fields[field as RowOptInField] = value as string;
      }
      continue;
    }
    if (value === false) draft.fields[field as RowManagedField] = undefined;
    else if (checkColumnName(path, value, 'a string or false', report)) {
      draft.fields[field as RowManagedField] = value as string;
    }
  }
}

function checkAttributes(document: Record<string, unknown>, draft: Draft, report: Report): void {
  if (!Object.hasOwn(document, 'attributes')) return;
  const attributes = document.attributes;
  if (!isRecord(attributes)) {
    report(
      'attributes',
      `expected an object of attribute name to column, got ${describeValue(attributes)}`,
    );
    return;
  }
  for (const [name, column] of Object.entries(attributes)) {
    const path = `attributes.${name}`;
    if (name === '' || name.length > MAX_COLUMN_NAME_LENGTH) {
      report(path, `expected a Cognito attribute name, got ${describeValue(name)}`);
      continue;
    }
    if (name.startsWith(COGNITO_INTERNAL_PREFIX)) {
      report(
        path,
        `Cognito's internal attributes (${COGNITO_INTERNAL_PREFIX}*) are never copied into a row; fields.status holds the user's status`,
      );
      continue;
    }
    if (checkColumnName(path, column, 'a column name (a string)', report)) {
      draft.attributeColumns[name] = column as string;
    }
  }
}

function checkConstants(document: Record<string, unknown>, draft: Draft, report: Report): void {
  if (!Object.hasOwn(document, 'constants')) return;
  const constants = document.constants;
  if (!isRecord(constants)) {
    report('constants', `expected an object of column to value, got ${describeValue(constants)}`);
    return;
  }
  for (const [column, value] of Object.entries(constants)) {
    const path = `constants.${column}`;
    if (column === '' || column.length > MAX_COLUMN_NAME_LENGTH) {
      report(
        path,
        `expected a column name of 1-${MAX_COLUMN_NAME_LENGTH} characters, got ${describeValue(column)}`,
      );
      continue;
    }
    const ok =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok) report(path, `expected a string, a number or a boolean, got ${describeValue(value)}`);
    else draft.constants[column] = value as ConstantValue;
  }
}

/** Two of the mapping's columns never share a name. */
function checkColumns(draft: Draft, report: Report): void {
  const owners = new Map<string, string>();
  const claim = (column: string, owner: string, path: string) => {
    const other = owners.get(column);
    if (other === undefined) owners.set(column, owner);
    else
      report(
        path,
        `column ${describeValue(column)} is already ${other}: every column of the row has one job`,
      );
  };
  if (draft.key) claim(draft.key.attribute, 'the key attribute (key.attribute)', 'key.attribute');
  if (draft.sortKey)
    claim(draft.sortKey.attribute, 'the sort key (sortKey.attribute)', 'sortKey.attribute');
  for (const field of ROW_FIELDS) {
    const column = draft.fields[field];
    if (column !== undefined)
      claim(
        column,
        `the column of the managed field ${field} (fields.${field})`,
        `fields.${field}`,
      );
  }
  for (const [name, column] of Object.entries(draft.attributeColumns)) {
    claim(column, `the column of attribute ${name} (attributes.${name})`, `attributes.${name}`);
  }
  for (const column of Object.keys(draft.constants)) {
    claim(column, `a constant (constants.${column})`, `constants.${column}`);
  }
}
