import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function markdownFiles(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'].map((file) => join(ROOT, file));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  return files;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of withoutCode(text).split('\n')) {
    const heading = /^#{1,6} (.+)$/.exec(line)?.[1];
    if (heading) {
      anchors.add(
        heading
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      );
    }
  }
  return anchors;
}

function withoutCode(text: string): string {
  return text.replace(/```[\s\S]*?```/g, '');
}

describe('Docs: links', () => {
  it('finds the README under 150 lines, with the two quick-start commands', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

    assert.ok(readme.split('\n').length < 150, 'README.md is a front page');
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /npm test/);
    assert.match(readme, /npm install cognito-user-sync/);
  });

  for (const file of markdownFiles()) {
    it(`resolves every relative link of ${relative(ROOT, file)}`, () => {
      const text = withoutCode(readFileSync(file, 'utf8'));
      const broken: string[] = [];
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = match[1] as string;
        if (/^[a-z]+:/.test(link)) continue;
        const [path = '', anchor] = link.split('#');
        const target = path ? normalize(join(dirname(file), path)) : file;
        if (!existsSync(target)) broken.push(`${link} (no such file)`);
        else if (anchor && target.endsWith('.md')) {
          if (!anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
            broken.push(`${link} (no such heading)`);
          }
        }
      }
      assert.deepEqual(broken, []);
    });
  }
});
