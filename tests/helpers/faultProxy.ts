import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The faults the proxy can inject, one per request at most. */
export const FAULT_KINDS = [
  'delay',
  'reset-before',
  'reset-after',
  'http500-json',
  'http500-html',
  'throttle',
  'black-hole',
] as const;

/** One of {@link FAULT_KINDS}. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which service the proxy fronts: decides the body of a throttling answer. */
export type FaultService = 'dynamodb' | 'cognito';

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** `http://host:port` of the real server. */
  readonly target: string;
  /** Shapes the throttling error like the service's own. */
  readonly service: FaultService;
  /** Seed of the pseudo-random sequence: the same seed gives the same faults in the same order. */
  readonly seed: number;
  /** Probability of each fault per request; their sum is the fault rate (at most 1). */
  readonly rates: Partial<Record<FaultKind, number>>;
  /** Longest injected delay, in milliseconds. @default 1500 */
  readonly maxDelayMs?: number;
  /** Most faults injected in all; later requests pass untouched. @default - unbounded */
  readonly maxFaults?: number;
}

/** A running fault-injecting proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: point the client here. */
  readonly endpoint: string;
  /** Requests seen, and faults injected by kind. */
  stats(): { readonly requests: number; readonly faults: Record<FaultKind, number> };
  /** Turns fault injection on or off (requests are forwarded either way). */
  setEnabled(enabled: boolean): void;
  /**
   * Starts a new sequence of faults: new rates, drawn from a generator seeded
   * with `seed` (a proxy shared by several runs replays each run's faults
   * from its own seed). Counts and the fault budget start again from zero.
   */
  configure(next: { readonly seed: number; readonly rates: FaultProxyOptions['rates'] }): void;
  /** Stops the proxy and drops every connection it holds (black holes included). */
  close(): Promise<void>;
}

/**
 * A small, seeded pseudo-random generator (mulberry32): deterministic, so a
 * failing run can be replayed with its seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THROTTLE_BODIES: Record<FaultService, string> = {
  dynamodb: JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
    message: 'Rate of requests exceeds the allowed throughput (injected)',
  }),
  cognito: JSON.stringify({
    __type: 'TooManyRequestsException',
    message: 'Too many requests (injected)',
  }),
};

const ERROR_500_JSON: Record<FaultService, string> = {
  dynamodb: JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error (injected)',
  }),
  cognito: JSON.stringify({
    __type: 'InternalErrorException',
    message: 'Internal error (injected)',
  }),
};

const ERROR_500_HTML =
  '<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n<h1>Internal Server Error</h1>\n<p>injected</p>\n</body>\n</html>\n';

/**
 * Starts an HTTP proxy on a free loopback port that forwards requests to
 * `target`, injecting faults drawn from a seeded generator:
 * - `delay`: waits up to `maxDelayMs` before forwarding;
 * - `reset-before`: resets the connection (TCP RST) without forwarding: the server never sees the request;
 * - `reset-after`: forwards, lets the server answer, then resets instead of replying: the request took effect;
 * - `http500-json` / `http500-html`: answers 500 with a JSON or an HTML body, after forwarding half of the time;
 * - `throttle`: answers 400 with the service's throttling error, without forwarding;
 * - `black-hole`: reads the request and never answers (the client's timeout must end it).
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let random = seededRandom(options.seed);
  let rates = options.rates;
  const maxDelayMs = options.maxDelayMs ?? 1500;
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<
    FaultKind,
    number
  >;
  let requests = 0;
  let injected = 0;
  let enabled = true;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const draw = (): FaultKind | undefined => {
    const roll = random();
    if (!enabled || (options.maxFaults !== undefined && injected >= options.maxFaults)) {
      return undefined;
    }
    let sum = 0;
    for (const kind of FAULT_KINDS) {
      sum += rates[kind] ?? 0;
      if (roll < sum) return kind;
    }
    return undefined;
  };

  const forward = (
    incoming: IncomingMessage,
    body: Buffer,
    onAnswer: (status: number, headers: IncomingMessage['headers'], payload: Buffer) => void,
  ): void => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
        agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          onAnswer(response.statusCode ?? 502, response.headers, Buffer.concat(chunks)),
        );
      },
    );
    forwarded.on('error', (error) =>
      onAnswer(502, { 'content-type': 'text/plain' }, Buffer.from(`fault proxy: ${error.message}`)),
    );
    forwarded.end(body);
  };

  const reply = (
    outgoing: ServerResponse,
    status: number,
    headers: IncomingMessage['headers'],
    payload: Buffer | string,
  ): void => {
    if (outgoing.destroyed) return;
    const { 'content-length': _length, 'transfer-encoding': _encoding, ...rest } = headers;
    outgoing.writeHead(status, { ...rest, 'content-length': Buffer.byteLength(payload) });
    outgoing.end(payload);
  };

  const later = (ms: number, run: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      requests++;
      const body = Buffer.concat(chunks);
      const fault = draw();
      const pass = () =>
        forward(incoming, body, (status, headers, payload) =>
          reply(outgoing, status, headers, payload),
        );
      if (fault === undefined) {
        pass();
        return;
      }
      injected++;
      faults[fault]++;
      const json = { 'content-type': 'application/x-amz-json-1.1' };
      switch (fault) {
        case 'delay':
          later(Math.floor(random() * maxDelayMs), pass);
          return;
        case 'reset-before':
          incoming.socket.resetAndDestroy();
          return;
        case 'reset-after':
          forward(incoming, body, () => incoming.socket.resetAndDestroy());
          return;
        case 'http500-json':
        case 'http500-html': {
          const answer = () =>
            fault === 'http500-json'
              ? reply(outgoing, 500, json, ERROR_500_JSON[options.service])
              : reply(outgoing, 500, { 'content-type': 'text/html' }, ERROR_500_HTML);
          if (random() < 0.5) forward(incoming, body, answer);
          else answer();
          return;
        }
        case 'throttle':
          reply(outgoing, 400, json, THROTTLE_BODIES[options.service]);
          return;
        case 'black-hole':
          return;
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats: () => ({ requests, faults: { ...faults } }),
    setEnabled: (value) => {
      enabled = value;
    },
    configure: (next) => {
      random = seededRandom(next.seed);
      rates = next.rates;
      requests = 0;
      injected = 0;
      for (const kind of FAULT_KINDS) faults[kind] = 0;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
