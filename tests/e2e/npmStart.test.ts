import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePortStackArgs, isPortFree } from '../../harness/localStack.js';
import type { StackFacts } from '../../src/local/stackFile.js';
import { useTempDir } from '../helpers/tempDir.js';

const root = join(import.meta.dirname, '..', '..');

describe('Local stack: npm start', () => {
  const temp = useTempDir('npm-start-');

  it('stops all three servers when the npm process gets SIGINT', async () => {
    const npm = spawn(
      'npm',
      ['start', '--silent', '--', ...freePortStackArgs(temp.path), '--log-level', 'warn'],
      // Its own process group, so that cleanup can reach every process under it.
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env }, detached: true },
    );
    let output = '';
    npm.stdout.on('data', (chunk) => {
      output += chunk;
    });
    npm.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | string>((resolve) =>
      npm.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    );
    try {
      for (let i = 0; i < 600 && !output.includes('Local stack ready.'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(output, /Local stack ready\./);
      const facts = JSON.parse(await readFile(join(temp.path, 'stack.json'), 'utf8')) as StackFacts;
      const ports = [facts.cognitoEndpoint, facts.dynamodbEndpoint, facts.lambdaEndpoint].map(
        (url) => Number(new URL(url).port),
      );

      npm.kill('SIGINT');

      const ended = await Promise.race([
        exited,
        new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000).unref()),
      ]);
      assert.notEqual(ended, 'still running', 'npm exits on SIGINT');
      for (const port of ports) {
        let free = false;
        // The servers close as the stack stops: give them a moment.
        for (let i = 0; i < 50 && !free; i++) {
          free = await isPortFree(port);
          if (!free) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.equal(free, true, `port ${port} is free`);
      }
    } finally {
      try {
        process.kill(-(npm.pid as number), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
});
