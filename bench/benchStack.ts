import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  LOCAL_CREDENTIALS,
  type LocalStack,
  startLocalStack,
} from '../src/local/startLocalStack.js';

/** The local stack in this process, and a Cognito client on it. */
export interface BenchStack {
  readonly stack: LocalStack;
  readonly cognito: CognitoIdentityProviderClient;
  /** Destroys the client and stops the stack. */
  close(): Promise<void>;
}

/** Starts the local stack in process: in memory, every server on a free port, silent. */
export async function startBenchStack(): Promise<BenchStack> {
  const stack = await startLocalStack({
    cognitoPort: 0,
    dynamodbPort: 0,
    lambdaPort: 0,
    consolePort: 0,
    logLevel: 'silent',
  });
  const cognito = new CognitoIdentityProviderClient({
    endpoint: stack.cognitoEndpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    stack,
    cognito,
    close: async () => {
      cognito.destroy();
      await stack.stop();
    },
  };
}
