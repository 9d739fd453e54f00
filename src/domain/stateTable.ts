/** The state table that long runs keep their checkpoints in: what the construct and the store must agree on. */

/**
 * The TTL attribute of every state item, in epoch seconds. DynamoDB compares
 * it with the current time and deletes expired items "typically within two
 * days"; until then they still show up in reads (verified: API reference,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html).
 * So a head can outlive its segments for a while: loading then throws
 * CheckpointCorruptError, never a short blob. Enabling TTL on the table is
 * the table owner's job (dynalite does not implement TTL).
 */
export const CHECKPOINT_TTL_ATTRIBUTE = 'expiresAt';
