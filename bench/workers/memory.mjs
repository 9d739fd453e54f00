// Runs in a fresh Node process: imports a Lambda bundle, handles COUNT events one
// after the other (a warm function), then prints the process's peak RSS.
// argv: <bundle path>; env: EVENT (JSON template), COUNT, PREFIX, TABLE_NAME,
// AWS_ENDPOINT_URL_DYNAMODB…
const { handler } = await import(process.argv[2]);
const template = JSON.parse(process.env.EVENT);
const count = Number(process.env.COUNT);
const context = { getRemainingTimeInMillis: () => 5000 };
for (let i = 0; i < count; i++) {
  const id = `${process.env.PREFIX}-${i}`;
  const event = structuredClone(template);
  event.userName = id;
  event.request.userAttributes.sub = id;
  event.request.userAttributes.email = `${id}@example.com`;
  await handler(event, context);
}
const maxRssKb = process.resourceUsage().maxRSS;
// What stays reachable once garbage is collected (run with --expose-gc): a leak shows here.
globalThis.gc?.();
const retainedHeapKb = Math.round(process.memoryUsage().heapUsed / 1024);
process.stderr.write(`${JSON.stringify({ maxRssKb, retainedHeapKb })}\n`);
