import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyDocument } from '../domain/rowMapping/document.js';
import type { LocalStack } from './startLocalStack.js';
import { LocalStackError } from './support/localStackError.js';

/** The facts written to `.local/stack.json` for scripts and people. */
export interface StackFacts {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly tableName: string;
  readonly cognitoEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly confirmationCode: string;
  /** Endpoint of the Lambda Invoke API running the trigger. */
  readonly lambdaEndpoint: string;
  /** Address of the web console. */
  readonly consoleUrl: string;
  /** Partition key attribute of the table. */
  readonly keyAttribute: string;
  /** The row mapping's keys, to find a user's row: its partition key and its sort key if any. */
  readonly rowKeys?: { readonly key: KeyDocument; readonly sortKey?: KeyDocument };
}

/** Picks the facts of a running stack. */
export function stackFacts(stack: LocalStack, keyAttribute: string): StackFacts {
  return {
    region: stack.region,
    userPoolId: stack.userPoolId,
    userPoolClientId: stack.userPoolClientId,
    tableName: stack.tableName,
    cognitoEndpoint: stack.cognitoEndpoint,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    confirmationCode: stack.confirmationCode,
    lambdaEndpoint: stack.lambdaEndpoint,
    consoleUrl: stack.consoleUrl,
    keyAttribute: stack.rowMapping?.key.attribute ?? keyAttribute,
    ...(stack.rowMapping
      ? {
          rowKeys: {
            key: {
              attribute: stack.rowMapping.key.attribute,
              template: stack.rowMapping.key.template,
            },
            ...(stack.rowMapping.sortKey
              ? {
                  sortKey: {
                    attribute: stack.rowMapping.sortKey.attribute,
                    template: stack.rowMapping.sortKey.template,
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/** Writes the facts atomically (readers never see half a file). */
export async function writeStackFile(file: string, facts: StackFacts): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(facts, undefined, 2)}\n`, 'utf8');
  await rename(temp, file);
}

/** Removes the stack file, if present. */
export async function removeStackFile(file: string): Promise<void> {
  await rm(file, { force: true });
}

/**
 * Reads a stack file.
 *
 * @throws LocalStackError when it is missing (the stack is not running) or not valid
 */
export async function readStackFile(file: string): Promise<StackFacts> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LocalStackError(`${file} not found: start the local stack first with "npm start"`);
    }
    throw error;
  }
  const facts = JSON.parse(text) as Partial<StackFacts>;
  for (const key of [
    'cognitoEndpoint',
    'dynamodbEndpoint',
    'userPoolClientId',
    'tableName',
  ] as const) {
    if (typeof facts[key] !== 'string') {
      throw new LocalStackError(
        `${file} has no "${key}": restart the local stack with "npm start"`,
      );
    }
  }
  return facts as StackFacts;
}
