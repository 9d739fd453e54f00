// Runs in a fresh Node process: imports a Lambda bundle and handles one event,
// then prints how long each step took since the process started.
// argv: <bundle path>; env: EVENT (JSON), TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB…
const importStart = performance.now();
const { handler } = await import(process.argv[2]);
const imported = performance.now();
await handler(JSON.parse(process.env.EVENT), { getRemainingTimeInMillis: () => 5000 });
const handled = performance.now();
process.stderr.write(
  `${JSON.stringify({
    bootMs: importStart,
    importMs: imported - importStart,
    firstInvokeMs: handled - imported,
    totalMs: handled,
  })}\n`,
);
