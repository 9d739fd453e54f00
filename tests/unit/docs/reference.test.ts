import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { constructInterfaces, ROOT, renderReference } from '../../../scripts/reference/render.js';
import { readInterfaces } from '../../../scripts/reference/tsdoc.js';

describe('Function: renderReference', () => {
  for (const [file, expected] of renderReference()) {
    it(`finds ${file} up to date with the code (else run npm run docs)`, () => {
      const actual = readFileSync(join(ROOT, file), 'utf8');
      assert.equal(actual, expected, `${file} is stale: run "npm run docs" and commit it`);
    });
  }

  it('documents every prop of UserTableSyncProps, each with a default or required', () => {
    const props = constructInterfaces().find((found) => found.name === 'UserTableSyncProps');

    assert.ok(props);
    for (const name of ['userPool', 'table', 'keyAttribute', 'scheduledReconcile']) {
      assert.ok(
        props.members.some((member) => member.name === name),
        name,
      );
    }
    for (const member of props.members) {
      assert.ok(member.summary.length > 0, `${member.name} has a description`);
      if (member.optional) assert.ok(member.defaultText, `${member.name} has a @default`);
    }
  });
});

describe('Function: readInterfaces', () => {
  it('reads summaries, optional members, multi-line types and @default tags', () => {
    const source = `
/** The options. See {@link Other}. */
export interface FooProps extends Base {
  /**
   * The size,
   * in MB.
   *
   * @default 512
   */
  readonly size?: number;
  /** A map. */
  readonly map: Record<
    string,
    { a: number; b: string }
  >;
}`;
    assert.deepEqual(readInterfaces(source), [
      {
        name: 'FooProps',
        summary: 'The options. See `Other`.',
        members: [
          {
            name: 'size',
            optional: true,
            type: 'number',
            summary: 'The size, in MB.',
            defaultText: '512',
          },
          {
            name: 'map',
            optional: false,
            type: 'Record< string, { a: number; b: string } >',
            summary: 'A map.',
            defaultText: undefined,
          },
        ],
      },
    ]);
  });

  it('fails on a member without TSDoc, naming it', () => {
    assert.throws(
      () => readInterfaces('/** X. */\nexport interface X {\n  readonly bare: string;\n}'),
      /X: a member without TSDoc, at "readonly bare: string;"/,
    );
  });
});
