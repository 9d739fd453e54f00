import { createHash, createHmac } from 'node:crypto';
import type { CredentialsSource } from '../lambdaCredentials.js';
import type { GroupsPage, GroupsPageLister } from './groupPages.js';

/** Options of {@link createSignedGroupsLister}. */
export interface SignedGroupsListerOptions {
  /** Credentials: fixed ones or a provider (`lambdaEnvironmentCredentials()`). */
  readonly credentials: CredentialsSource;
  /** Region. @default - `AWS_REGION` */
  readonly region?: string;
  /**
   * Endpoint.
   * @default - `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`, else `AWS_ENDPOINT_URL`, else `https://cognito-idp.<region>.amazonaws.com`
   */
  readonly endpoint?: string;
  /** Milliseconds allowed for one request and its answer. @default 3000 */
  readonly requestTimeoutMs?: number;
  /** Where the defaults are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** HTTP client (tests inject one). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Clock (tests fix it). @default - `new Date()` */
  readonly now?: () => Date;
}

/** The signing name and JSON protocol target of the Cognito user pools API. */
const SERVICE = 'cognito-idp';
const TARGET = 'AWSCognitoIdentityProviderService.AdminListGroupsForUser';

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

/** The fields of an AWS Signature Version 4 request this module signs. */
export interface SignableRequest {
  readonly method: string;
  readonly host: string;
  readonly path: string;
  /** Headers besides `host` and `x-amz-date`, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Signs a request with AWS Signature Version 4 (header form): the
 * `Authorization` and `X-Amz-Date` headers (and `X-Amz-Security-Token` with
 * temporary credentials), every header signed. A request without a query
 * string, as AWS JSON protocol calls are
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html, verified).
 *
 * @returns the headers to send, `host` included
 */
export function signRequest(
  request: SignableRequest,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined },
  scope: { region: string; service: string; now: Date },
): Record<string, string> {
  const amzDate = scope.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.host,
    'x-amz-date': amzDate,
    ...(credentials.sessionToken ? { 'x-amz-security-token': credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers)
    .map((name) => name.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names
    .map((name) => `${name}:${String(lower[name]).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method,
    request.path,
    '',
    canonicalHeaders,
    signedHeaders,
    sha256(request.body),
  ].join('\n');
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    credentialScope,
    sha256(canonicalRequest),
  ].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), scope.region), scope.service),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** An error shaped as the SDK's: its name, `$metadata.httpStatusCode`, `$fault`. */
function serviceError(status: number, text: string, typeHeader: string | null): Error {
  let type = typeHeader ?? '';
  let message = `HTTP ${status}`;
  try {
    const parsed = JSON.parse(text) as { __type?: unknown; message?: unknown; Message?: unknown };
    if (typeof parsed.__type === 'string') type = parsed.__type;
    const said = parsed.message ?? parsed.Message;
    if (typeof said === 'string') message = said;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const name =
    type.split(':')[0]?.split('#').at(-1) || (status >= 500 ? 'InternalErrorException' : 'Error');
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/**
 * A {@link GroupsPageLister} that sends `AdminListGroupsForUser` as a signed
 * HTTPS request of its own (AWS JSON 1.1 protocol, `X-Amz-Target`) with
 * `fetch`, instead of the SDK's Cognito client: the Post Confirmation
 * trigger reads a user's groups with it, so that its bundle gains a few
 * hundred bytes instead of the client (about 24 KB minified for one command,
 * measured with esbuild). Errors have the SDK's shape (name,
 * `$metadata.httpStatusCode`, `$fault`), so the usual classification
 * (transient, throttling, `UserNotFoundException`) applies.
 */
export function createSignedGroupsLister(options: SignedGroupsListerOptions): GroupsPageLister {
  const env = options.env ?? process.env;
  const send = options.fetch ?? globalThis.fetch;
  return async (input, signal): Promise<GroupsPage> => {
    const region = options.region ?? env.AWS_REGION ?? '';
    const endpoint = new URL(
      options.endpoint ??
        env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER ??
        env.AWS_ENDPOINT_URL ??
        `https://${SERVICE}.${region}.amazonaws.com`,
    );
    const source = options.credentials;
    const credentials = typeof source === 'function' ? await source() : source;
    const body = JSON.stringify(input);
    const headers = signRequest(
      {
        method: 'POST',
        host: endpoint.host,
        path: endpoint.pathname || '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': TARGET,
        },
        body,
      },
      credentials,
      { region, service: SERVICE, now: (options.now ?? (() => new Date()))() },
    );
    const timeout = AbortSignal.timeout(options.requestTimeoutMs ?? 3000);
    const { host: _host, ...sent } = headers;
    const response = await send(endpoint, {
      method: 'POST',
      headers: sent,
      body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await response.text();
    if (!response.ok) {
      throw serviceError(response.status, text, response.headers.get('x-amzn-errortype'));
    }
    return JSON.parse(text) as GroupsPage;
  };
}
