import {
  KEY_PLACEHOLDERS,
  type KeyPlaceholder,
  type KeyTemplate,
  type KeyValues,
  type TemplatePart,
} from './document.js';

/**
 * Names that look like a user's attributes or state: they change over a
 * user's life, so a key built from them would move. Named as such in errors.
 */
const MUTABLE_NAMES = new Set([
  'email',
  'email_verified',
  'phone_number',
  'phone_number_verified',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'address',
  'updated_at',
  'emailVerified',
  'attributes',
  'enabled',
  'status',
  'source',
  'createdAt',
  'updatedAt',
  'lastSignInAt',
  'deletedAt',
  'userLastModifiedAt',
]);

/** The parsed template, or why it cannot be one (a sentence without the path). */
export type TemplateParse =
  | { readonly ok: true; readonly parts: readonly TemplatePart[] }
  | { readonly ok: false; readonly problem: string };

const ALLOWED = KEY_PLACEHOLDERS.map((name) => `{${name}}`).join(', ');

/**
 * Parses a key template: literal text and `{sub}`, `{username}`,
 * `{userPoolId}`. Rejects an empty template, an unknown or mutable
 * placeholder (`{email}`), an unbalanced brace, two placeholders side by side
 * (the key could not be read back) and a placeholder used twice. Pure.
 */
export function parseTemplate(template: string): TemplateParse {
  if (template === '') return { ok: false, problem: 'expected a non-empty template, got ""' };
  const parts: TemplatePart[] = [];
  const seen = new Set<string>();
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf('{', index);
    const close = template.indexOf('}', index);
    if (close !== -1 && (open === -1 || close < open)) {
      return { ok: false, problem: `a "}" without "{" at position ${close} of "${template}"` };
    }
    if (open === -1) {
      parts.push({ literal: template.slice(index) });
      break;
    }
    if (open > index) parts.push({ literal: template.slice(index, open) });
    if (close === -1) {
      return { ok: false, problem: `a "{" without "}" at position ${open} of "${template}"` };
    }
    const name = template.slice(open + 1, close);
    if (name.includes('{')) {
      return { ok: false, problem: `a "{" without "}" at position ${open} of "${template}"` };
    }
    if (!(KEY_PLACEHOLDERS as readonly string[]).includes(name)) {
      const why =
        MUTABLE_NAMES.has(name) || name.includes(':')
          ? `{${name}} can change over a user's life, so a key cannot hold it`
          : `unknown placeholder {${name}}`;
      return { ok: false, problem: `${why} (a key may use ${ALLOWED}), in "${template}"` };
    }
    if (seen.has(name)) {
      return { ok: false, problem: `{${name}} appears twice in "${template}"` };
    }
    const previous = parts.at(-1);
    if (previous && 'placeholder' in previous) {
      return {
        ok: false,
        problem: `{${previous.placeholder}} and {${name}} are side by side in "${template}": put literal text between them so that the key can be read back`,
      };
    }
    seen.add(name);
    parts.push({ placeholder: name as KeyPlaceholder });
    index = close + 1;
  }
  return { ok: true, parts };
}

/** The placeholders a template uses. */
export function placeholdersOf(key: Pick<KeyTemplate, 'parts'>): KeyPlaceholder[] {
  return key.parts.flatMap((part) => ('placeholder' in part ? [part.placeholder] : []));
}

/**
 * Renders a key for a user, e.g. `USER#{sub}` to `USER#1b2c…`. Pure.
 *
 * @returns the key's value, or `undefined` when a placeholder's value is
 *   empty (a user without a `sub`: no key can be built)
 */
export function renderTemplate(
  key: Pick<KeyTemplate, 'parts'>,
  values: KeyValues,
): string | undefined {
  let text = '';
  for (const part of key.parts) {
    if ('literal' in part) text += part.literal;
    else {
      const value = values[part.placeholder];
      if (typeof value !== 'string' || value === '') return undefined;
      text += value;
    }
  }
  return text;
}

/**
 * Reads a key value back: whether it matches the template, and the
 * placeholders' values when it does (each non-empty). With two placeholders
 * and a value holding their separator, the first split is taken; rendering
 * the values gives the key back either way. Pure.
 *
 * @returns the placeholders' values, or `undefined` when the value does not match
 */
export function matchTemplate(
  key: Pick<KeyTemplate, 'parts'>,
  value: unknown,
): Partial<Record<KeyPlaceholder, string>> | undefined {
  if (typeof value !== 'string') return undefined;
  const match = templateRegExp(key.parts).exec(value);
  if (!match) return undefined;
  const names = placeholdersOf(key);
  return Object.fromEntries(names.map((name, index) => [name, match[index + 1] ?? '']));
}

const expressions = new WeakMap<readonly TemplatePart[], RegExp>();

function templateRegExp(parts: readonly TemplatePart[]): RegExp {
  let expression = expressions.get(parts);
  if (!expression) {
    const source = parts
      .map((part) => ('literal' in part ? escapeRegExp(part.literal) : '([\\s\\S]+?)'))
      .join('');
    expression = new RegExp(`^${source}$`, 'u');
    expressions.set(parts, expression);
  }
  return expression;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** The literal text before the template's first placeholder (all of it when it has none). */
export function literalPrefix(key: Pick<KeyTemplate, 'parts'>): string {
  let prefix = '';
  for (const part of key.parts) {
    if (!('literal' in part)) break;
    prefix += part.literal;
  }
  return prefix;
}

/** Whether the template is literal text only (e.g. a sort key `PROFILE`). */
export function isConstantTemplate(key: Pick<KeyTemplate, 'parts'>): boolean {
  return key.parts.every((part) => 'literal' in part);
}
