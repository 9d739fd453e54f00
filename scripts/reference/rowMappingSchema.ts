// Renders docs/reference/row-mapping.md from the checked-in JSON Schema of
// the row mapping document (row-mapping.schema.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of a JSON Schema node the reference reads. */
interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly anyOf?: readonly SchemaNode[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly required?: readonly string[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly description?: string;
  readonly default?: unknown;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A node's type in words: `key`, `string \| false`, `object of columnName`. */
export function schemaType(node: SchemaNode): string {
  if (node.$ref) return node.$ref.replace('#/$defs/', '');
  if (node.anyOf) return node.anyOf.map(schemaType).join(' | ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.type === 'object' && typeof node.additionalProperties === 'object') {
    return `object of ${schemaType(node.additionalProperties)}`;
  }
  if (Array.isArray(node.type)) return node.type.join(' | ');
  return typeof node.type === 'string' ? node.type : 'any';
}

function rule(node: SchemaNode): string {
  const rules = [
    ...(node.type ? [schemaType({ type: node.type })] : []),
    ...(node.required ? [`requires ${node.required.map((name) => `\`${name}\``).join(', ')}`] : []),
    ...(node.pattern ? [`matches \`${node.pattern}\``] : []),
    ...(node.minLength !== undefined ? [`at least ${node.minLength} character(s)`] : []),
    ...(node.maxLength !== undefined ? [`at most ${node.maxLength} characters`] : []),
  ];
  return rules.join(', ');
}

/** `docs/reference/row-mapping.md`: every member, managed field and definition of the schema. */
export function renderRowMappingReference(root: string, notice: string): string {
  const schema = JSON.parse(
    readFileSync(join(root, 'row-mapping.schema.json'), 'utf8'),
  ) as SchemaNode;
  const members = Object.entries(schema.properties ?? {});
  const fields = Object.entries(schema.properties?.fields?.properties ?? {});
  const defs = Object.entries(schema.$defs ?? {});
  return [
    notice,
    '',
    '# Reference: the row mapping',
    '',
    'Every member of the row mapping document, as its JSON Schema (`row-mapping.schema.json`,',
    'exported as `cognito-user-sync/row-mapping.schema.json`) describes it. The guide, with examples:',
    '[the row mapping](../row-mapping.md).',
    '',
    schema.description ?? '',
    '',
    '## Members',
    '',
    '| Member | Type | Default | Description |',
    '|---|---|---|---|',
    ...members.map(
      ([name, node]) =>
        `| \`${name}\` | \`${cell(schemaType(node))}\` | ${node.default === undefined ? '' : `\`${cell(JSON.stringify(node.default))}\``} | ${cell(node.description ?? '')} |`,
    ),
    '',
    '## Managed fields (`fields`)',
    '',
    '| Field | Type | Default column | Description |',
    '|---|---|---|---|',
    ...fields.map(
      ([name, node]) =>
        `| \`${name}\` | \`${cell(schemaType(node))}\` | \`${cell(String(node.default ?? name))}\` | ${cell(node.description ?? '')} |`,
    ),
    '',
    '## Definitions',
    '',
    '| Name | Rule | Description |',
    '|---|---|---|',
    ...defs.map(
      ([name, node]) => `| \`${name}\` | ${cell(rule(node))} | ${cell(node.description ?? '')} |`,
    ),
    '',
    ...defs.flatMap(([name, node]) =>
      node.properties
        ? [
            `### \`${name}\``,
            '',
            '| Member | Type | Description |',
            '|---|---|---|',
            ...Object.entries(node.properties).map(
              ([member, sub]) =>
                `| \`${member}\` | \`${cell(schemaType(sub))}\` | ${cell(sub.description ?? '')} |`,
            ),
            '',
          ]
        : [],
    ),
  ].join('\n');
}
