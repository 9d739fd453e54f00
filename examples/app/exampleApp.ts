import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExampleStack, type ExampleStackProps } from './ExampleStack.js';

/** Id (and CloudFormation name) of the example stack. */
export const EXAMPLE_STACK_ID = 'CognitoUserSyncExample';

/** Options of {@link createExampleApp}. */
export interface ExampleAppOptions {
  /** Props of the app (context, output directory…). @default - read from `cdk.json` by the CLI */
  readonly app?: AppProps;
  /** Props of the stack. @default - an environment-agnostic stack with the construct's defaults */
  readonly stack?: ExampleStackProps;
}

/** The example app and its one stack. */
export interface ExampleApp {
  /** The app; call `synth()` on it. */
  readonly app: App;
  /** The example stack. */
  readonly stack: ExampleStack;
}

/**
 * Builds the example app: {@link ExampleStack}, with cdk-nag's AwsSolutions
 * pack registered as a validation plugin, so every synth fails on a finding
 * that is not acknowledged.
 */
export function createExampleApp(options: ExampleAppOptions = {}): ExampleApp {
  const app = new App(options.app);
  const stack = new ExampleStack(app, EXAMPLE_STACK_ID, options.stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
