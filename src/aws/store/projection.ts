/**
 * A ProjectionExpression of a row's key and some of its fields, every name
 * through a placeholder (`#key`, then `<prefix>0`, `<prefix>1`…) so that
 * reserved words and names such as `__proto__` are valid.
 *
 * @param keyAttribute - the table's partition key, always read
 * @param fields - the other fields, in order (the caller leaves the key and repeats out)
 * @param prefix - the placeholders' prefix, e.g. `#f`
 */
export function keyAndFieldsProjection(
  keyAttribute: string,
  fields: readonly string[],
  prefix: string,
): { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  const names: Record<string, string> = { '#key': keyAttribute };
  fields.forEach((field, index) => {
    names[`${prefix}${index}`] = field;
  });
  return {
    ProjectionExpression: ['#key', ...fields.map((_, index) => `${prefix}${index}`)].join(', '),
    ExpressionAttributeNames: names,
  };
}
