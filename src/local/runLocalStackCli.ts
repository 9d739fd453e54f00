import { resolve } from 'node:path';
import { errorMessage } from '../shared/failure.js';
import { renderBanner } from './banner.js';
import { parseLocalStackArgs, USAGE } from './cliArgs.js';
import { removeStackFile, stackFacts, writeStackFile } from './stackFile.js';
import { LOCAL_STACK_DEFAULTS, startLocalStack } from './startLocalStack.js';

/** What the command runs with; tests pass their own. */
export interface LocalStackCliOptions {
  /** Arguments after the script name. */
  readonly args: readonly string[];
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Receives the banner. */
  readonly out: (text: string) => void;
  /** Receives errors. */
  readonly err: (text: string) => void;
  /** Resolves when the stack should stop (a signal); its value is the exit code. */
  readonly stopSignal: Promise<number>;
}

/**
 * Runs the local stack until `stopSignal` resolves: parses the options, starts
 * the stack, writes the stack file, prints the banner; then stops everything
 * and removes the stack file. Never calls `process.exit`.
 *
 * @returns the exit code: 0 after a clean stop, 1 when the stack could not start or stop
 */
export async function runLocalStackCli(options: LocalStackCliOptions): Promise<number> {
  let command: ReturnType<typeof parseLocalStackArgs>;
  try {
    command = parseLocalStackArgs(options.args, options.env);
  } catch (error) {
    options.err(`error: ${errorMessage(error)}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    options.out(USAGE);
    return 0;
  }
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    stack = await startLocalStack(command.options);
  } catch (error) {
    options.err(`error: the local stack did not start: ${errorMessage(error)}\n`);
    return 1;
  }
  const stackFile = resolve(command.stackFile);
  const keyAttribute = command.options.keyAttribute ?? LOCAL_STACK_DEFAULTS.keyAttribute;
  const facts = stackFacts(stack, keyAttribute);
  try {
    await writeStackFile(stackFile, facts);
  } catch (error) {
    options.err(`error: could not write ${stackFile}: ${errorMessage(error)}\n`);
    await stack.stop();
    return 1;
  }
  const dataDir =
    command.options.dataDir === undefined ? undefined : resolve(command.options.dataDir);
  options.out(renderBanner(facts, { dataDir, stackFile }));
  options.out(`(ready ${Math.round(performance.now())} ms after launch)\n`);
  const code = await options.stopSignal;
  options.out('Stopping the local stack…\n');
  try {
    await stack.stop();
    await removeStackFile(stackFile);
  } catch (error) {
    options.err(`error: the local stack did not stop cleanly: ${errorMessage(error)}\n`);
    return 1;
  }
  options.out('Stopped.\n');
  return code;
}
