import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The prebuilt bundle of a function, e.g. `post-confirmation`. */
export function lambdaBundlePath(name: string): string {
  return fileURLToPath(new URL(`../../dist/lambda/${name}/index.mjs`, import.meta.url));
}

/**
 * Imports a Lambda bundle in a fresh Node process, as Lambda does, and
 * handles one event; the handler's result is written to stderr after
 * `RESULT `. The process gets `PATH`, a region and `env`, nothing else (no
 * credentials unless `env` has them). Rejects, with the error's `stdout`
 * and `stderr`, when the process fails.
 *
 * `context` is the source of the context object passed to the handler
 * (default: one with 5 s left), e.g. `'{}'` for a bare context.
 */
export function invokeLambdaBundle(
  name: string,
  env: Record<string, string>,
  event: unknown,
  context = '{ getRemainingTimeInMillis: () => 5000 }',
): Promise<{ stdout: string; stderr: string }> {
  return invokeBundleFile(lambdaBundlePath(name), env, event, context);
}

/** {@link invokeLambdaBundle} for the bundle at `path` (any ESM file exporting `handler`). */
export function invokeBundleFile(
  path: string,
  env: Record<string, string>,
  event: unknown,
  context = '{ getRemainingTimeInMillis: () => 5000 }',
): Promise<{ stdout: string; stderr: string }> {
  const script = `
    const { handler } = await import(${JSON.stringify(path)});
    const result = await handler(JSON.parse(process.env.EVENT), ${context});
    process.stderr.write('RESULT ' + JSON.stringify(result));
  `;
  return run(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      EVENT: JSON.stringify(event),
      ...env,
    },
    timeout: 15_000,
  });
}
