import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CheckpointConflictError,
  CheckpointCorruptError,
  CheckpointFormatError,
  ConfigError,
  InvalidEventError,
  TableReadError,
  TableWriteError,
  UserPoolReadError,
  UserSyncError,
} from '../../src/shared/errors.js';

describe('Module: errors', () => {
  for (const ErrorClass of [
    ConfigError,
    InvalidEventError,
    TableWriteError,
    TableReadError,
    UserPoolReadError,
    CheckpointConflictError,
    CheckpointCorruptError,
    CheckpointFormatError,
  ]) {
    it(`${ErrorClass.name} keeps its name literally (it must survive minification) and its cause`, () => {
      const cause = new Error('root');
      const error = new ErrorClass('message', { cause });
      assert.ok(error instanceof UserSyncError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, ErrorClass.name);
      assert.equal(error.cause, cause);
      assert.match(String(error), new RegExp(`^${ErrorClass.name}: message$`));
    });
  }
});
