// Runs in a fresh Node process: imports one Lambda bundle, as Lambda would, and
// times COUNT sequential invocations after WARM_UP untimed ones. Every
// invocation confirms a new user (key PREFIX-i), so each one writes its row.
// Prints the durations (ms) as JSON on stderr; the handler's own stdout is the
// parent's pipe, as a Lambda function's is its log agent's.
// argv: <bundle path>; env: COUNT, WARM_UP, PREFIX, EVENT (a template event),
// TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB, region and credentials.
const { handler } = await import(process.argv[2]);
const count = Number(process.env.COUNT ?? '200');
const warmUp = Number(process.env.WARM_UP ?? '20');
const prefix = process.env.PREFIX ?? `warm-${process.pid}`;
const template = JSON.parse(process.env.EVENT);
const context = { getRemainingTimeInMillis: () => 5000 };
const eventFor = (id) => ({
  ...template,
  userName: id,
  request: {
    userAttributes: { ...template.request.userAttributes, sub: id, email: `${id}@example.com` },
  },
});
for (let i = 0; i < warmUp; i++) await handler(eventFor(`${prefix}-w${i}`), context);
const samples = new Array(count);
const cpuBefore = process.cpuUsage();
for (let i = 0; i < count; i++) {
  const event = eventFor(`${prefix}-${i}`);
  const started = performance.now();
  await handler(event, context);
  samples[i] = performance.now() - started;
}
const cpu = process.cpuUsage(cpuBefore);
// Client CPU per invocation (user + system, µs): what the handler costs the machine.
const cpuUs = (cpu.user + cpu.system) / count;
process.stderr.write(`${JSON.stringify({ samples, cpuUs })}\n`);
