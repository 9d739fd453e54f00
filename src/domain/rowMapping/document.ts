/**
 * The row mapping document: how a user becomes a row of the table. The JSON
 * form ({@link RowMappingDocument}) is what people write; {@link RowMapping}
 * is the checked, resolved form every path reads.
 */

/**
 * Every field of a row that this package owns, in one list (besides the key
 * attributes, the top-level attribute columns and the constants). Each can be
 * renamed or left out under `fields`. Every other column belongs to the
 * application: no path changes or removes it.
 */
export const ROW_MANAGED_FIELDS = [
  'sub',
  'userPoolId',
  'email',
  'emailVerified',
  'attributes',
  'source',
  'createdAt',
  'updatedAt',
  'lastSignInAt',
  'enabled',
  'status',
  'deletedAt',
  'userLastModifiedAt',
] as const;

/** One of {@link ROW_MANAGED_FIELDS}. */
export type RowManagedField = (typeof ROW_MANAGED_FIELDS)[number];

/**
 * Managed fields that are off unless the mapping names their column under
 * `fields` (absent from `{}`, so that the default row never changes):
 * `groups`, the user's Cognito groups as a sorted list of names (see
 * `src/domain/groups.ts`). Reading them costs a Cognito call per user.
 */
export const OPT_IN_FIELDS = ['groups'] as const;

/** One of {@link OPT_IN_FIELDS}. */
export type RowOptInField = (typeof OPT_IN_FIELDS)[number];

/** Every field name `fields` accepts: {@link ROW_MANAGED_FIELDS}, then {@link OPT_IN_FIELDS}. */
export const ROW_FIELDS = [...ROW_MANAGED_FIELDS, ...OPT_IN_FIELDS] as const;

/** One of {@link ROW_FIELDS}. */
export type RowField = (typeof ROW_FIELDS)[number];

/**
 * Managed fields that some path cannot do without, and which paths need
 * them: leaving one out (`false`) is a validation error that says so.
 * `sub` may be left out when a key template holds `{sub}` (the key then
 * carries it).
 */
export const REQUIRED_FIELDS: Readonly<Partial<Record<RowManagedField, string>>> = {
  sub: 'converge, the sign-in refresh, change signals and reconcile (--update, orphan detection) tell the user a row belongs to by it',
  createdAt: "reconcile's orphan detection skips rows created after the pool listing started by it",
  deletedAt:
    "converge and change signals mark a deleted user's row with it, reconcile --orphans mark does too, and every path leaves marked rows alone by it",
  userLastModifiedAt:
    'converge, change signals and reconcile --update make every write conditional on it, so that an older read never replaces a newer one',
};

/** The values a key template may use: they never change for a user. */
export const KEY_PLACEHOLDERS = ['sub', 'username', 'userPoolId'] as const;

/** One of {@link KEY_PLACEHOLDERS}. */
export type KeyPlaceholder = (typeof KEY_PLACEHOLDERS)[number];

/** Values of the placeholders for one user. */
export type KeyValues = Readonly<Record<KeyPlaceholder, string>>;

/** A key attribute as written in the document. */
export interface KeyDocument {
  /** The key attribute's name (a string attribute of the table's key schema). */
  readonly attribute: string;
  /** Its value, e.g. `USER#{sub}`: literal text and `{sub}`, `{username}`, `{userPoolId}`. */
  readonly template: string;
}

/** A fixed value written on create: a string, a number or a boolean. */
export type ConstantValue = string | number | boolean;

/** The row mapping document, exactly as given in JSON (every member optional). */
export interface RowMappingDocument {
  /** The JSON Schema's URL or path, for editors; ignored. @default - none */
  readonly $schema?: string;
  /** The partition key. @default { "attribute": "username", "template": "{username}" } */
  readonly key?: KeyDocument;
  /** Shorthand for `key: { attribute, template: "{username}" }`; not together with `key`. */
  readonly keyAttribute?: string;
  /** The sort key. @default - none */
  readonly sortKey?: KeyDocument;
  /**
   * Managed fields renamed (a column name) or left out (`false`); an opt-in
   * field ({@link OPT_IN_FIELDS}) is on when given a column name.
   * @default - every field of {@link ROW_MANAGED_FIELDS} under its own name, no opt-in field
   */
  readonly fields?: Readonly<Partial<Record<RowField, string | false>>>;
  /** Cognito attributes also written as top-level columns, by attribute name. @default - none */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Columns written with a fixed value on create, never changed afterwards. @default - none */
  readonly constants?: Readonly<Record<string, ConstantValue>>;
}

/** One piece of a parsed template: literal text or a placeholder. */
export type TemplatePart = { readonly literal: string } | { readonly placeholder: KeyPlaceholder };

/** A checked key: its attribute, its template and the template's parts. */
export interface KeyTemplate {
  /** The key attribute's name. */
  readonly attribute: string;
  /** The template as written. */
  readonly template: string;
  /** The template, parsed: never two placeholders side by side, none twice. */
  readonly parts: readonly TemplatePart[];
}

/** The checked, resolved mapping: what every path reads. */
export interface RowMapping {
  /** The partition key. */
  readonly key: KeyTemplate;
  /** The sort key, when the table has one. */
  readonly sortKey?: KeyTemplate | undefined;
  /**
   * The column of each managed field; `undefined` when it is left out. An
   * opt-in field ({@link OPT_IN_FIELDS}) is present only when it is on.
   */
  readonly fields: Readonly<Record<RowManagedField, string | undefined>> &
    Readonly<Partial<Record<RowOptInField, string>>>;
  /** Cognito attribute name to top-level column, in document order. */
  readonly attributeColumns: Readonly<Record<string, string>>;
  /** Column to fixed value, written on create. */
  readonly constants: Readonly<Record<string, ConstantValue>>;
  /**
   * Names of the attributes copied into the `attributes` map; `undefined`
   * copies all but `cognito:*` (today's `USER_ATTRIBUTES` allowlist).
   */
  readonly attributeAllowlist?: readonly string[] | undefined;
}

/** The key of today's row: the username under `username`. */
export const DEFAULT_KEY: KeyDocument = { attribute: 'username', template: '{username}' };

/** Prefix of Cognito's internal attributes, never copied into a row. */
export const COGNITO_INTERNAL_PREFIX = 'cognito:';
