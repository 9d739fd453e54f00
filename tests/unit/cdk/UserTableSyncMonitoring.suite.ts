import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { UserTableSync, type UserTableSyncProps } from '../../../src/cdk/UserTableSync.js';
import { logicalIdOf, newStack } from './testApp.js';

/** GIVEN a stack with a user pool and a topic, WHEN the construct is added with `props(topic)`. */
function synth(props: (topic: Topic) => Omit<UserTableSyncProps, 'userPool'> = () => ({})) {
  const { stack } = newStack();
  const userPool = new UserPool(stack, 'Pool');
  const topic = new Topic(stack, 'Alarms');
  const sync = new UserTableSync(stack, 'Sync', { userPool, ...props(topic) });
  return { stack, topic, sync, template: Template.fromStack(stack) };
}

function alarmsOn(template: Template, metricName: string) {
  return Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
  );
}

describe('Construct: UserTableSync monitoring', () => {
  describe('with the defaults', () => {
    let built: ReturnType<typeof synth>;
    before(() => {
      built = synth();
    });

    it('alarms on write failures of the trigger, by its function name, from one occurrence', () => {
      const { stack, sync, template } = built;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'CognitoUserSync',
        MetricName: 'WriteFailures',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack, sync.function) } }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('alarms on errors and throttles of the trigger and the sign-in function, without actions when no topic is given', () => {
      const { stack, sync, template } = built;
      for (const fn of [sync.function, sync.signInFunction]) {
        const ref = { Ref: logicalIdOf(stack, fn as never) };
        for (const name of ['Errors', 'Throttles']) {
          template.hasResourceProperties('AWS::CloudWatch::Alarm', {
            Namespace: 'AWS/Lambda',
            MetricName: name,
            Dimensions: [{ Name: 'FunctionName', Value: ref }],
            Threshold: 1,
          });
        }
      }
      const all = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      assert.equal(all.length, 5);
      for (const alarm of all) assert.equal(alarm.Properties.AlarmActions, undefined);
    });

    it('tells the trigger to continue on a failed write', () => {
      built.template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ ON_WRITE_FAILURE: 'continue' }) },
      });
    });
  });

  describe('with a scheduled reconcile and an alarm topic', () => {
    let built: ReturnType<typeof synth>;
    let reconcileRef: { Ref: string };
    let topicRef: { Ref: string };
    before(() => {
      built = synth((topic) => ({
        scheduledReconcile: {},
        changeSignals: true,
        alarmTopic: topic,
      }));
      const stack: Stack = built.stack;
      reconcileRef = { Ref: logicalIdOf(stack, built.sync.reconcileFunction as never) };
      topicRef = { Ref: logicalIdOf(stack, built.topic) };
    });

    it('adds reconcile alarms: missing rows found, failed writes, errors, throttles', () => {
      const { template } = built;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'MissingRowsFound',
        Dimensions: [{ Name: 'FunctionName', Value: reconcileRef }],
        Statistic: 'Maximum',
        Threshold: 1,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'FailedWrites',
        Dimensions: [{ Name: 'FunctionName', Value: reconcileRef }],
      });
      // Trigger, sign-in, reconcile and change-signal functions: errors and throttles each.
      assert.equal(alarmsOn(template, 'Errors').length, 4);
      assert.equal(alarmsOn(template, 'Throttles').length, 4);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 11);
    });

    it('sends every alarm and its return to OK to the topic', () => {
      for (const alarm of Object.values(built.template.findResources('AWS::CloudWatch::Alarm'))) {
        assert.deepEqual(alarm.Properties.AlarmActions, [topicRef]);
        assert.deepEqual(alarm.Properties.OKActions, [topicRef]);
      }
    });

    it('adds one dashboard with the trigger and reconcile metrics', () => {
      const { template } = built;
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      const body = JSON.stringify(dashboard?.Properties.DashboardBody);
      for (const name of [
        'RowsCreated',
        'WriteFailures',
        'MissingRowsFound',
        'Orphans',
        'FailedWrites',
      ]) {
        assert.ok(body.includes(name), `dashboard shows ${name}`);
      }
    });
  });

  it('creates no alarm and no dashboard with monitoring false, and passes reject to the trigger', () => {
    const { template } = synth(() => ({ monitoring: false, onWriteFailure: 'reject' }));
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ ON_WRITE_FAILURE: 'reject', METRICS: 'off' }) },
    });
  });

  it('fails on an unknown write failure mode, or a topic without monitoring', () => {
    const { stack } = newStack();
    const userPool = new UserPool(stack, 'Pool');
    assert.throws(
      () => new UserTableSync(stack, 'A', { userPool, onWriteFailure: 'retry' as never }),
      /onWriteFailure must be one of continue, reject, got "retry"/,
    );
    assert.throws(
      () =>
        new UserTableSync(stack, 'B', {
          userPool,
          monitoring: false,
          alarmTopic: new Topic(stack, 'T'),
        }),
      /alarmTopic needs monitoring/,
    );
  });
});
