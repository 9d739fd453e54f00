import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { errorMessage } from '../../shared/failure.js';
import { packageRoot } from '../../shared/packageRoot.js';
import { closeServer, createHandlingServer, listenOn, urlHost } from '../support/ports.js';
import { RequestBodyTooLargeError, readBody } from '../support/readBody.js';
import type { ApiResponse, ConsoleApi } from './consoleApi.js';
import { parseBody } from './consoleInput.js';

/** Where the built console (`npm run build:console`) is: `dist/console` of this package. */
export const CONSOLE_ASSETS_DIR = join(packageRoot(import.meta.url), 'dist', 'console');

/** Options of {@link startConsoleServer}. */
export interface ConsoleServerOptions {
  /** Interface to bind. */
  readonly host: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
  /** Answers `/api/…` requests. */
  readonly api: ConsoleApi;
  /** Folder of the built page. @default {@link CONSOLE_ASSETS_DIR} */
  readonly assetsDir?: string;
}

/** A running console. */
export interface ConsoleServer {
  /** `http://<host>:<port>/` */
  readonly url: string;
  /** The port bound. */
  readonly port: number;
  /** Stops the server. */
  close(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** The largest request body the console's API accepts. */
export const CONSOLE_MAX_BODY_BYTES = 256 * 1024;

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Console not built</title>
<body style="font-family:system-ui;margin:3rem;max-width:40rem">
<h1>The console has not been built</h1>
<p>Its page is built by <code>npm ci</code> (the <code>prepare</code> script). Build it now with
<code>npm run build:console</code> and reload this page.</p></body></html>`;

/**
 * Serves the console: the built page from `assetsDir`, and the JSON API under
 * `/api/`. Requests that change something must be `POST` with a JSON body
 * (`Content-Type: application/json`), which a page of another origin cannot
 * send without the preflight this server never grants.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const assetsDir = options.assetsDir ?? CONSOLE_ASSETS_DIR;
  const server = createHandlingServer(
    (request, response) => handle(request, response, options.api, assetsDir),
    (response, error) => sendJson(response, { status: 500, body: { error: errorMessage(error) } }),
  );
  const port = await listenOn(server, options.host, options.port, {
    service: 'Console',
    setting: '--console-port (consolePort)',
  });
  return {
    url: `http://${urlHost(options.host)}:${port}/`,
    port,
    close: () => closeServer(server),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  api: ConsoleServerOptions['api'],
  assetsDir: string,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://console.local');
  const method = request.method ?? 'GET';
  if (url.pathname.startsWith('/api/')) {
    let body = {};
    if (method === 'POST') {
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        request.resume();
        sendJson(response, {
          status: 415,
          body: { error: 'Invalid input: send the request body as application/json.' },
        });
        return;
      }
      const text = await readBody(request, CONSOLE_MAX_BODY_BYTES).catch((error: unknown) => {
        if (error instanceof RequestBodyTooLargeError) return error;
        throw error;
      });
      try {
        if (text instanceof RequestBodyTooLargeError) throw text;
        body = parseBody(text);
      } catch (error) {
        sendJson(response, {
          status: 400,
          body: { error: `Invalid input: ${errorMessage(error)}.` },
        });
        return;
      }
    } else {
      request.resume();
    }
    const path = url.pathname.slice('/api'.length);
    sendJson(response, await api({ method, path, query: url.searchParams, body }));
    return;
  }
  request.resume();
  if (method !== 'GET' && method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  await sendAsset(response, assetsDir, url.pathname);
}

async function sendAsset(response: ServerResponse, assetsDir: string, pathname: string) {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    response.writeHead(400).end();
    return;
  }
  const relative = decoded === '/' ? 'index.html' : normalize(decoded).replace(/^[/\\]+/, '');
  const file = join(assetsDir, relative);
  if (file !== assetsDir && !file.startsWith(assetsDir + sep)) {
    response.writeHead(404).end();
    return;
  }
  try {
    const content = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const cache = relative.startsWith('assets/')
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    response.writeHead(200, { 'Content-Type': type, 'Cache-Control': cache }).end(content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR') throw error;
    if (relative === 'index.html') {
      response.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8' }).end(NOT_BUILT);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  }
}

function sendJson(response: ServerResponse, answer: ApiResponse): void {
  response
    .writeHead(answer.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    })
    .end(JSON.stringify(answer.body));
}
