import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { TableWriteError } from '../../shared/errors.js';
import { isConditionFailure } from '../../shared/failure.js';
import { describeFailure } from './tableFailure.js';

/** What a conditional write did: `written` with the call's answer, or `condition-failed` with DynamoDB's error. */
export type ConditionalResult<T> =
  | { readonly kind: 'written'; readonly output: T }
  | { readonly kind: 'condition-failed'; readonly error: unknown };

/** How a failed write is reported. */
export interface ConditionalWriteFailure {
  /** The start of the error message, e.g. `could not write the user's row to table "users"`. */
  readonly failure: string;
  /** The mapping the row was written under, for a refused key. @default - none */
  readonly mapping?: RowMapping | undefined;
}

/**
 * Runs one conditional write and turns its outcome into a value: a failed
 * condition (the row is not as the write requires) is `condition-failed`,
 * never an error; any other failure is a `TableWriteError` saying why. The
 * one place every conditional write of the user table goes through.
 *
 * @throws TableWriteError when the table could not be written
 */
export async function conditionalWrite<T>(
  write: () => Promise<T>,
  report: ConditionalWriteFailure,
): Promise<ConditionalResult<T>> {
  try {
    return { kind: 'written', output: await write() };
  } catch (error) {
    if (isConditionFailure(error)) return { kind: 'condition-failed', error };
    throw new TableWriteError(`${report.failure}: ${describeFailure(error, report.mapping)}`, {
      cause: error,
    });
  }
}

/**
 * The item a ConditionalCheckFailedException carries when the call asked for
 * it (`ReturnValuesOnConditionCheckFailure: ALL_OLD`): `undefined` when it
 * carries none (no item at the key, or an emulator that does not return it).
 */
export function itemOfFailedCondition(error: unknown): Record<string, AttributeValue> | undefined {
  if (typeof error !== 'object' || error === null || !('Item' in error)) return undefined;
  return (error as { Item?: Record<string, AttributeValue> }).Item ?? undefined;
}
