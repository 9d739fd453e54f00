import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import type { Config } from 'cognito-local/lib/server/config.js';
import { Router } from 'cognito-local/lib/server/Router.js';
import { createServer } from 'cognito-local/lib/server/server.js';
import { DateClock } from 'cognito-local/lib/services/clock.js';
import {
  type CognitoService,
  CognitoServiceFactoryImpl,
  CognitoServiceImpl,
} from 'cognito-local/lib/services/cognitoService.js';
import type { Context } from 'cognito-local/lib/services/context.js';
import type { CryptoService, KMSConfig } from 'cognito-local/lib/services/crypto.js';
import type { Services } from 'cognito-local/lib/services/index.js';
import { LambdaService } from 'cognito-local/lib/services/lambda.js';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js';
import { MessagesService } from 'cognito-local/lib/services/messages.js';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator.js';
import { TriggersService } from 'cognito-local/lib/services/triggers/triggers.js';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js';
import type { Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../shared/logger.js';
import { type CloudTrailApiCallEvent, emitChangeSignals } from './changeSignals.js';
import { JsonDataStoreFactory } from './fileDataStore.js';
import { pagedGroupCalls } from './pagedGroupCalls.js';
import { pagedListUsers } from './pagedListUsers.js';
import { refuseDisabledSignIns } from './refuseDisabledSignIns.js';
import { closeServer, listenOn, urlHost } from './support/ports.js';

// cognito-local's own dependencies (pino, the v2 AWS SDK), resolved from where it is installed.
const fromCognitoLocal = createRequire(
  createRequire(import.meta.url).resolve('cognito-local/package.json'),
);

/** Options of {@link startCognitoServer}. */
export interface CognitoServerOptions {
  /** Interface to bind. */
  readonly host: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
  /** Where user pools and app clients are stored, one JSON file each. @default - in memory */
  readonly directory?: string | undefined;
  /** The Lambda Invoke API endpoint that runs the triggers. */
  readonly lambdaEndpoint: string;
  /** Trigger functions by trigger (e.g. `{ PostConfirmation: 'name' }`). */
  readonly triggerFunctions: Readonly<Record<string, string>>;
  /** Every code the emulator "sends" (sign-up, forgotten password, attribute verification). */
  readonly confirmationCode: string;
  /**
   * Level of the emulator's own log lines (JSON, on stdout); `silent` for
   * none (see {@link emulatorLogLevel}).
   */
  readonly logLevel: LogLevel | 'silent';
  /**
   * Receives the CloudTrail-shaped event of each successful change-signal
   * call (see `emitChangeSignals`). @default - no events
   */
  readonly onChangeSignal?: ((event: CloudTrailApiCallEvent) => void) | undefined;
  /** Region written in those events. @default 'us-east-1' */
  readonly region?: string | undefined;
}

/** A running Cognito-API emulator. */
export interface CognitoServer {
  /** `http://<host>:<port>` */
  readonly endpoint: string;
  /** The port bound. */
  readonly port: number;
  /** Runs a Cognito API action in process, e.g. `call('CreateUserPool', {...})`. */
  call<T = Record<string, unknown>>(action: string, request: object): Promise<T>;
  /** Stops the server and waits until its data is on disk. */
  close(): Promise<void>;
}

/**
 * The level of cognito-local's own log lines for a stack run at `stackLevel`:
 * none unless `debug`. It logs routine client errors (a duplicate sign-up, a
 * wrong code) at error level with a full stack trace, which would bury the
 * functions' lines and the banner that people read.
 */
export function emulatorLogLevel(stackLevel: LogLevel): LogLevel | 'silent' {
  return stackLevel === 'debug' ? 'debug' : 'silent';
}

/**
 * Starts cognito-local, composed in this process from its parts, with four
 * differences from its stock server:
 * - pools and clients are stored by {@link JsonDataStoreFactory}, which
 *   serialises writes and replaces files atomically (the stock store corrupts
 *   its files under concurrent requests), or kept in memory;
 * - `ListUsers` pages as Cognito does ({@link pagedListUsers}), and so do the group
 *   listings (`pagedGroupCalls`);
 * - sign-ins of disabled users are refused as Cognito refuses them
 *   ({@link refuseDisabledSignIns});
 * - messages are not printed: every code is `confirmationCode`.
 * Triggers are called through the Lambda Invoke API at `lambdaEndpoint`.
 */
export async function startCognitoServer(options: CognitoServerOptions): Promise<CognitoServer> {
  const httpServer = createHttpServer();
  const port = await listenOn(httpServer, options.host, options.port, {
    service: 'Cognito',
    setting: '--cognito-port (cognitoPort)',
  });
  const endpoint = `http://${urlHost(options.host)}:${port}`;
  try {
    const pino = fromCognitoLocal('pino') as (options: object) => PinoLogger;
    const logger = pino({ level: options.logLevel, base: { service: 'cognito-local' } });
    const ctx = { logger };
    const config = buildConfig(options, endpoint, port);
    const clock = new DateClock();
    const dataStores = new JsonDataStoreFactory(options.directory);
    await dataStores.prepare();
    const cognito = await createCognitoService(ctx, dataStores, config);
    const triggers = new TriggersService(
      clock,
      cognito,
      new LambdaService(config.TriggerFunctions, createLambdaClient(config)),
      lazyCryptoService(config.KMSConfig),
    );
    const services: Services = {
      clock,
      cognito,
      config,
      messages: new MessagesService(triggers, new MessageDeliveryService(quietSender(ctx))),
      otp: () => options.confirmationCode,
      tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
      triggers,
    };
    const stockRouter = Router(services);
    const listUsers = pagedListUsers(services);
    const pagedRouter = refuseDisabledSignIns(
      pagedGroupCalls((target: string) =>
        target === 'ListUsers' ? listUsers : stockRouter(target),
      ),
      services,
    );
    const router = options.onChangeSignal
      ? emitChangeSignals(pagedRouter, options.onChangeSignal, {
          region: options.region ?? 'us-east-1',
          subOf: (ctx, request) => userSub(services, ctx, request),
        })
      : pagedRouter;
    const { application } = createServer(router, logger, config.ServerConfig, services);
    httpServer.on('request', application);
    return {
      endpoint,
      port,
      call: (action, request) => router(action)(ctx, request),
      close: async () => {
        await closeServer(httpServer);
        await dataStores.flush();
      },
    };
  } catch (error) {
    await closeServer(httpServer);
    throw error;
  }
}

/** The `sub` of the user a request names by `UserPoolId` and `Username`, if there is one. */
async function userSub(
  services: Pick<Services, 'cognito'>,
  ctx: Context,
  request: Readonly<Record<string, unknown>>,
): Promise<string | undefined> {
  const { UserPoolId, Username } = request;
  if (typeof UserPoolId !== 'string' || typeof Username !== 'string') return undefined;
  try {
    const userPool = await services.cognito.getUserPool(ctx, UserPoolId);
    const user = await userPool.getUserByUsername(ctx, Username);
    return user?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  } catch {
    return undefined;
  }
}

function buildConfig(options: CognitoServerOptions, endpoint: string, port: number): Config {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  return {
    LambdaClient: {
      endpoint: options.lambdaEndpoint,
      region: 'us-east-1',
      credentials,
      maxRetries: 0,
      httpOptions: { timeout: 7000, connectTimeout: 1000 },
    },
    TriggerFunctions: { ...options.triggerFunctions },
    UserPoolDefaults: { UsernameAttributes: ['email'] },
    KMSConfig: { credentials, region: 'us-east-1' },
    ServerConfig: { port, hostname: options.host, development: false, https: false },
    TokenConfig: { IssuerDomain: endpoint },
  };
}

async function createCognitoService(
  ctx: { logger: PinoLogger },
  dataStores: JsonDataStoreFactory,
  config: Config,
): Promise<CognitoService> {
  const clock = new DateClock();
  const userPools = new UserPoolServiceFactoryImpl(clock, dataStores);
  if (dataStores.directory) {
    return new CognitoServiceFactoryImpl(dataStores.directory, dataStores, userPools).create(
      ctx,
      config.UserPoolDefaults,
    );
  }
  // In memory there is no directory to scan for pools: start with none.
  const clients = await dataStores.create(ctx, 'clients', { Clients: {} });
  const service = new CognitoServiceImpl('', clients, config.UserPoolDefaults, userPools);
  Reflect.set(service, 'userPools', []);
  return service;
}

function createLambdaClient(config: Config): ConstructorParameters<typeof LambdaService>[1] {
  const Lambda = fromCognitoLocal('aws-sdk/clients/lambda') as new (
    options: object,
  ) => ConstructorParameters<typeof LambdaService>[1];
  return new Lambda(config.LambdaClient);
}

/**
 * cognito-local's `CryptoService`, loaded on first use. It encrypts codes for a
 * custom e-mail or SMS sender trigger, which the local stack never wires, and
 * loading it pulls in the AWS Encryption SDK and the whole v2 AWS SDK: most of
 * the stack's start-up time.
 */
function lazyCryptoService(config: KMSConfig | undefined): CryptoService {
  let service: CryptoService | undefined;
  const load = (): CryptoService => {
    if (!service) {
      const { CryptoService: Service } = fromCognitoLocal('./lib/services/crypto.js') as {
        CryptoService: new (config?: KMSConfig) => CryptoService;
      };
      service = new Service(config);
    }
    return service;
  };
  return {
    get keyringNode() {
      return load().keyringNode;
    },
    encrypt: (ctx, plaintext) => load().encrypt(ctx, plaintext),
  } as CryptoService;
}

function quietSender(ctx: { logger: PinoLogger }) {
  const send = async (_ctx: unknown, user: { Username: string }) => {
    ctx.logger.debug({ username: user.Username }, 'code sent');
  };
  return { sendEmail: send, sendSms: send };
}
