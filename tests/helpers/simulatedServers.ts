import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import {
  type SimulatedCognito,
  type SimulatedCognitoOptions,
  startSimulatedCognito,
} from '../../bench/simulatedCognito.js';
import { createCognitoClient } from '../../src/aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { startDynalite, type TestDynalite } from './dynalite.js';

/** dynalite and a simulated Cognito, with a client of each (the Cognito one makes one attempt a call). */
export interface SimulatedServers {
  readonly dynalite: TestDynalite;
  readonly cognito: SimulatedCognito;
  readonly dynamo: ReturnType<typeof createDynamoDocumentClient>;
  readonly cognitoClient: ReturnType<typeof createCognitoClient>;
}

/**
 * Starts dynalite and a simulated Cognito before the suite's tests and stops
 * them after; the returned getter gives them once started.
 */
export function useSimulatedServers(
  cognitoOptions: SimulatedCognitoOptions,
): () => SimulatedServers {
  let servers: SimulatedServers | undefined;
  before(async () => {
    const dynalite = await startDynalite();
    const cognito = await startSimulatedCognito(cognitoOptions);
    servers = {
      dynalite,
      cognito,
      dynamo: createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' }),
      cognitoClient: createCognitoClient({
        endpoint: cognito.endpoint,
        region: 'us-east-1',
        maxAttempts: 1,
      }),
    };
  });
  after(async () => {
    servers?.dynamo.destroy();
    servers?.cognitoClient.destroy();
    await servers?.cognito.close();
    await servers?.dynalite.close();
  });
  return () => servers ?? assert.fail('the simulated servers are not started');
}
