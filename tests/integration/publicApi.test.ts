import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = join(import.meta.dirname, '..', '..');

const CONFIG_FILES = ['api-extractor.json', 'api-extractor.cdk.json'] as const;
const configs = new Map(
  CONFIG_FILES.map((file) => [file, ExtractorConfig.loadFileAndPrepare(join(root, file))]),
);
/** One TypeScript program for both entries, so that the declarations are read once. */
let compilerState: CompilerState | undefined;

/** Runs API Extractor on one entry's built declarations, comparing with the checked-in report. */
function checkReport(configFile: (typeof CONFIG_FILES)[number]): {
  changed: boolean;
  errors: string[];
} {
  const config = configs.get(configFile);
  if (!config) throw new Error(`no API Extractor configuration ${configFile}`);
  compilerState ??= CompilerState.create(config, {
    additionalEntryPoints: [...configs.values()].map((each) => each.mainEntryPointFilePath),
  });
  const errors: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: false,
    compilerState,
    messageCallback: (message) => {
      if (message.logLevel === 'error') errors.push(message.text);
      message.handled = true;
    },
  });
  return { changed: result.apiReportChanged, errors };
}

describe('Public API: the reports in api/ match what the package exports', () => {
  for (const [entry, configFile, report] of [
    ['cognito-user-sync', 'api-extractor.json', 'api/cognito-user-sync.api.md'],
    ['cognito-user-sync/cdk', 'api-extractor.cdk.json', 'api/cognito-user-sync-cdk.api.md'],
  ] as const) {
    it(`${entry}: the exported surface is the one ${report} records`, () => {
      const { changed, errors } = checkReport(configFile);

      assert.equal(
        changed,
        false,
        `the public API of ${entry} changed without ${report} being updated: run \`npm run api\`, review the diff and commit it`,
      );
      assert.deepEqual(errors, []);
    });
  }
});
