// Runs in a fresh Node process: imports two Lambda bundles (ours and the
// floor's, in the order given), makes WARM_UP untimed invocations of each, then
// times COUNT invocations of each, alternating call by call (the order swapping
// every call), so that whatever else runs on the machine falls on both alike.
// Every invocation confirms a new user (key PREFIX-<bundle>-i), so each one
// writes its row. Prints the durations (ms) as JSON on stderr, and the CPU time
// of the process over the timed calls; the handlers' stdout is the parent's
// pipe, as a Lambda function's is its log agent's.
// argv: <name>=<bundle path> <name>=<bundle path>; env: COUNT, WARM_UP, PREFIX,
// EVENT (a template event), TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB, region and
// credentials.
const bundles = process.argv.slice(2).map((arg) => arg.split('='));
const handlers = {};
for (const [name, path] of bundles) handlers[name] = (await import(path)).handler;
const names = bundles.map(([name]) => name);
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
for (let i = 0; i < warmUp; i++) {
  for (const name of names) await handlers[name](eventFor(`${prefix}-${name}-w${i}`), context);
}
const samples = Object.fromEntries(names.map((name) => [name, []]));
const cpuBefore = process.cpuUsage();
for (let i = 0; i < count; i++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(i + k) % names.length];
    const event = eventFor(`${prefix}-${name}-${i}`);
    const started = performance.now();
    await handlers[name](event, context);
    samples[name].push(performance.now() - started);
  }
}
const cpu = process.cpuUsage(cpuBefore);
process.stderr.write(`${JSON.stringify({ samples, cpuUs: cpu.user + cpu.system })}\n`);
