/** One member of an interface, with its TSDoc. */
export interface DocumentedMember {
  /** The member's name. */
  readonly name: string;
  /** Whether it is optional (`?`). */
  readonly optional: boolean;
  /** Its type, as written. */
  readonly type: string;
  /** The TSDoc's text before its first block tag, on one line. */
  readonly summary: string;
  /** The `@default` tag's text, when there is one. */
  readonly defaultText: string | undefined;
}

/** An exported interface, with its TSDoc and its members. */
export interface DocumentedInterface {
  /** The interface's name. */
  readonly name: string;
  /** The TSDoc's text before its first block tag. */
  readonly summary: string;
  /** Its members, in source order. */
  readonly members: readonly DocumentedMember[];
}

const INTERFACE = /\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*export interface (\w+)[^{]*\{/g;
const MEMBER = /\/\*\*((?:[^*]|\*(?!\/))*)\*\/\s*readonly (\w+)(\??):\s*/y;

/**
 * Reads the exported interfaces of a TypeScript source and the TSDoc of
 * their members. It reads this project's own style (one TSDoc block per
 * member, `readonly` members); a member without TSDoc is an error, so that
 * the generated reference cannot silently miss one.
 *
 * @throws Error naming the interface and the member that has no TSDoc
 */
export function readInterfaces(source: string): DocumentedInterface[] {
  const found: DocumentedInterface[] = [];
  for (const match of source.matchAll(INTERFACE)) {
    const name = match[2] as string;
    const bodyStart = (match.index ?? 0) + match[0].length;
    const body = source.slice(bodyStart, closingBrace(source, bodyStart));
    found.push({ name, summary: summaryOf(match[1] as string), members: readMembers(name, body) });
  }
  return found;
}

function readMembers(interfaceName: string, body: string): DocumentedMember[] {
  const members: DocumentedMember[] = [];
  let position = 0;
  for (;;) {
    while (position < body.length && /\s/.test(body[position] as string)) position++;
    if (position >= body.length) return members;
    MEMBER.lastIndex = position;
    const match = MEMBER.exec(body);
    if (!match) {
      const line = body.slice(position).split('\n')[0];
      throw new Error(`${interfaceName}: a member without TSDoc, at "${line}"`);
    }
    const typeStart = MEMBER.lastIndex;
    const typeEnd = endOfType(body, typeStart);
    const doc = match[1] as string;
    members.push({
      name: match[2] as string,
      optional: match[3] === '?',
      type: body.slice(typeStart, typeEnd).replace(/\s+/g, ' ').trim(),
      summary: summaryOf(doc),
      defaultText: tagOf(doc, 'default'),
    });
    position = typeEnd + 1;
  }
}

/** The index of the `}` closing the block that starts at `start`. */
function closingBrace(source: string, start: number): number {
  let depth = 1;
  for (let i = start; i < source.length; i++) {
    if (source[i] === '{') depth++;
    if (source[i] === '}' && --depth === 0) return i;
  }
  throw new Error('an interface is not closed');
}

/** The index of the `;` ending a member's type, outside brackets. */
function endOfType(body: string, start: number): number {
  let depth = 0;
  for (let i = start; i < body.length; i++) {
    const char = body[i];
    if (char === '{' || char === '(' || char === '[' || char === '<') depth++;
    if (char === '}' || char === ')' || char === ']' || char === '>') depth--;
    if (char === ';' && depth === 0) return i;
  }
  throw new Error(`a member's type does not end: "${body.slice(start, start + 40)}"`);
}

function docLines(doc: string): string[] {
  return doc.split('\n').map((line) => line.replace(/^\s*\*\s?/, '').trimEnd());
}

/** The text before the first block tag, joined on one line, `{@link X}` as `X`. */
function summaryOf(doc: string): string {
  const lines: string[] = [];
  for (const line of docLines(doc)) {
    if (line.trimStart().startsWith('@')) break;
    lines.push(line.trim());
  }
  return oneLine(lines.join(' '));
}

function tagOf(doc: string, tag: string): string | undefined {
  const lines = docLines(doc);
  const start = lines.findIndex((line) => line.trimStart().startsWith(`@${tag}`));
  if (start === -1) return undefined;
  const text = [(lines[start] as string).trimStart().slice(tag.length + 1)];
  for (const line of lines.slice(start + 1)) {
    if (line.trimStart().startsWith('@')) break;
    text.push(line.trim());
  }
  return oneLine(text.join(' '));
}

function oneLine(text: string): string {
  return text
    .replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`')
    .replace(/\s+/g, ' ')
    .trim();
}
