#!/usr/bin/env node
// The own-trigger example app run by `cdk synth` / `cdk deploy` (see cdk.json).
import { App } from 'aws-cdk-lib';
import { OwnTriggerStack } from '../OwnTriggerStack.js';

const app = new App();
new OwnTriggerStack(app, 'CognitoUserSyncOwnTrigger');
app.synth();
