import { readFileSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';

/** The repository's `cdk.json`, as the CLI reads it. */
export const cdkJson = JSON.parse(
  readFileSync(new URL('../../../examples/app/cdk.json', import.meta.url), 'utf8'),
) as { app: string; notices: boolean; context: Record<string, unknown> };

/** Context of every test app: the feature flags of `cdk.json`, bundling skipped. */
export const testContext: Record<string, unknown> = {
  ...cdkJson.context,
  'aws:cdk:bundling-stacks': [],
};

/** A fresh app with {@link testContext} (plus `extra`) and one empty stack. */
export function newStack(extra: Record<string, unknown> = {}): { app: App; stack: Stack } {
  const app = new App({ context: { ...testContext, ...extra } });
  return { app, stack: new Stack(app, 'TestStack') };
}

/** Logical id of a construct's CloudFormation resource. */
export function logicalIdOf(stack: Stack, element: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(element.node.defaultChild as CfnElement);
}

/** The one resource of a type, failing when there is not exactly one. */
export function onlyResource(
  template: Template,
  type: string,
): { id: string; resource: { Properties: Record<string, unknown>; [key: string]: unknown } } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  const [id, resource] = found[0] as [string, { Properties: Record<string, unknown> }];
  return { id, resource };
}

/**
 * The ARN CloudFormation builds for a resource imported by name (`fromTableName`,
 * `fromUserPoolId`): partition, region and account from the stack.
 */
export function importedArn(service: 'cognito-idp' | 'dynamodb', resource: string): unknown {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        `:${service}:`,
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:${resource}`,
      ],
    ],
  };
}
