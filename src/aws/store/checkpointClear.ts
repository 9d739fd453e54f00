/** Deleting a checkpoint, whatever its format, under its lease. */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CheckpointClient,
  type CheckpointStoreOptions,
  callOptions,
  checkOwner,
  checkStore,
  conflict,
  deleteItemsQuietly,
  isConditionFailure,
  writing,
} from './checkpointCalls.js';
import { HEAD, storedItemIds } from './checkpointLayout.js';

/** Options of {@link clearCheckpoint}. */
export interface ClearCheckpointOptions extends CheckpointStoreOptions {
  /** Who clears: the head's lease must be held by this owner. */
  readonly owner: string;
}

/**
 * Deletes the checkpoint: its head, on the condition that `owner` holds the
 * lease (a checkpoint already gone is fine), then the segment items the head
 * listed, or the chunk items of a format-1 head (best effort: leftovers
 * expire through the TTL). A head that cannot be read (corrupt, of another
 * format) is deleted all the same.
 *
 * @throws CheckpointConflictError when another owner holds the lease, or none does
 * @throws TableWriteError when the state table cannot be written, saying why
 */
export async function clearCheckpoint(
  client: CheckpointClient,
  options: ClearCheckpointOptions,
): Promise<void> {
  checkStore(options);
  checkOwner(options.owner);
  let previous: Record<string, unknown> | undefined;
  try {
    previous = await writing(options, 'delete the head', async () => {
      const answer = await client.send(
        new DeleteCommand({
          TableName: options.tableName,
          Key: { [HEAD.id]: options.id },
          ConditionExpression: 'attribute_not_exists(#id) OR #owner = :owner',
          ExpressionAttributeNames: { '#id': HEAD.id, '#owner': HEAD.leaseOwner },
          ExpressionAttributeValues: { ':owner': options.owner },
          ReturnValues: 'ALL_OLD',
        }),
        callOptions(options),
      );
      return answer.Attributes;
    });
  } catch (error) {
    throw isConditionFailure(error) ? await conflict(client, options, error) : error;
  }
  if (previous) await deleteItemsQuietly(client, options, storedItemIds(previous, options.id));
}
