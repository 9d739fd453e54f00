import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../../scripts/reference/render.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import { RowMappingError } from '../../../src/shared/errors.js';
import { EXAMPLES } from '../domain/rowMapping/examples.js';

const GUIDE = readFileSync(join(ROOT, 'docs/row-mapping.md'), 'utf8');

/** The documents of the guide's jsonc block, one per `// n.` comment. */
function guideExamples(): unknown[] {
  const block = GUIDE.match(/```jsonc\n([\s\S]*?)```/)?.[1] ?? '';
  return block
    .split(/^\/\/ \d\..*$/m)
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text) => JSON.parse(text));
}

describe('Guide: docs/row-mapping.md', () => {
  it('shows the four examples of the format, exactly', () => {
    assert.deepEqual(guideExamples(), Object.values(EXAMPLES));
  });

  it('quotes validation errors the validator gives', () => {
    const block =
      GUIDE.match(/## When a mapping is wrong[\s\S]*?```text\n([\s\S]*?)```/)?.[1] ?? '';
    const quoted = block.trim().split('\n');
    const documents: [unknown, string | undefined][] = [
      [{ fields: { email: 3 } }, 'ROW_MAPPING'],
      [{ fields: { email: 'status' } }, undefined],
      [{ key: { attribute: 'pk', template: 'USER#{email}' } }, undefined],
      [{ fields: { sub: false } }, undefined],
    ];
    const actual = documents.map(([document, source]) => {
      try {
        resolveRowMapping(document, source ? { source } : {});
        return 'valid';
      } catch (error) {
        assert.ok(error instanceof RowMappingError);
        return error.message;
      }
    });
    assert.deepEqual(quoted, actual);
  });
});
