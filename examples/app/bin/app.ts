#!/usr/bin/env node
// The example app run by `cdk synth` / `cdk deploy` (see cdk.json).
import { createExampleApp } from '../exampleApp.js';

createExampleApp().app.synth();
