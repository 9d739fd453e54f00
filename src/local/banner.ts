import type { StackFacts } from './stackFile.js';
import { LOCAL_CREDENTIALS } from './startLocalStack.js';

/** Where the stack keeps its data, for the banner. */
export interface BannerContext {
  /** The data directory, or `undefined` in memory mode. */
  readonly dataDir: string | undefined;
  /** Path of the stack file. */
  readonly stackFile: string;
}

/** Quotes a value for a POSIX shell when it needs it. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `export` lines that point the AWS CLI and SDKs at the stack: the SDKs'
 * standard endpoint variables, a region, dummy credentials, and the ids.
 */
export function renderExportLines(facts: StackFacts): string[] {
  const variables: [string, string][] = [
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', facts.cognitoEndpoint],
    ['AWS_ENDPOINT_URL_DYNAMODB', facts.dynamodbEndpoint],
    ['AWS_REGION', facts.region],
    ['AWS_DEFAULT_REGION', facts.region],
    ['AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey],
    ['USER_POOL_ID', facts.userPoolId],
    ['USER_POOL_CLIENT_ID', facts.userPoolClientId],
    ['TABLE_NAME', facts.tableName],
  ];
  return variables.map(([name, value]) => `export ${name}=${shellQuote(value)}`);
}

/**
 * Commands for AWS CLIs that ignore the endpoint variables (Debian's 2.9):
 * the same calls with `--endpoint-url`.
 */
export function renderEndpointUrlExamples(facts: StackFacts): string[] {
  return [
    `aws cognito-idp list-users --user-pool-id ${shellQuote(facts.userPoolId)} --endpoint-url ${shellQuote(facts.cognitoEndpoint)}`,
    `aws dynamodb scan --table-name ${shellQuote(facts.tableName)} --endpoint-url ${shellQuote(facts.dynamodbEndpoint)}`,
  ];
}

/** The banner printed when the stack is ready. Pure. */
export function renderBanner(facts: StackFacts, context: BannerContext): string {
  const rows: [string, string][] = [
    ['Console', `${facts.consoleUrl} (users and rows side by side, in your browser)`],
    ['Cognito API', facts.cognitoEndpoint],
    ['DynamoDB API', facts.dynamodbEndpoint],
    ['Lambda API', `${facts.lambdaEndpoint} (runs the triggers and the change-signal function)`],
    ['User pool', `${facts.userPoolId} (users sign in with their e-mail)`],
    ['App client', `${facts.userPoolClientId} (USER_PASSWORD_AUTH)`],
    [
      'Table',
      `${facts.tableName} (key: ${facts.keyAttribute}${facts.rowKeys?.sortKey ? `, sort key: ${facts.rowKeys.sortKey.attribute}` : ''})`,
    ],
    ['Confirmation code', facts.confirmationCode],
    ['Data', context.dataDir ?? 'in memory (lost on stop)'],
    ['Stack file', context.stackFile],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    'Local stack ready.',
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
    'Point the AWS CLI or SDK at it (paste into another shell):',
    '',
    ...renderExportLines(facts).map((line) => `  ${line}`),
    '',
    "Older AWS CLIs (Debian's 2.9) ignore the AWS_ENDPOINT_URL_* variables: pass --endpoint-url, e.g.",
    '',
    ...renderEndpointUrlExamples(facts).map((line) => `  ${line}`),
    '',
    'Sign a user up and see the row: npm run demo    Stop: Ctrl-C',
    '',
  ].join('\n');
}
