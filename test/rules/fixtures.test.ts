/**
 * Every fixture app linted with `configs.recommended`, exactly as a user's `npx eslint .` would, must report
 * exactly the findings its expectation comments name (file, line, rule, handler label): every blocking
 * handler flagged, every async twin, startup, script and worker file left alone.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import blockcheck from '../../rules/index.js';
import { describeFinding, expectedFindings, FIXTURES_DIR, handlerLabelOf, STATIC_FIXTURES, type ExpectedFinding } from '../fixture-expectations.js';

async function lintFixture(fixtureDir: string): Promise<ExpectedFinding[]> {
  const eslint = new ESLint({
    cwd: fixtureDir,
    overrideConfigFile: true,
    overrideConfig: [blockcheck.configs.recommended as never],
  });
  const results = await eslint.lintFiles(['.']);
  return results.flatMap((result) => {
    const fatal = result.messages.find((message) => message.fatal);
    assert.equal(fatal, undefined, `${result.filePath}: ${fatal?.message}`);
    return result.messages.map((message) => ({
      file: path.relative(fixtureDir, result.filePath).replaceAll('\\', '/'),
      line: message.line,
      rule: (message.ruleId ?? '').replace(/^blockcheck\//, ''),
      handler: handlerLabelOf(message.message),
    }));
  });
}

describe('fixture apps linted with configs.recommended', () => {
  for (const fixture of STATIC_FIXTURES) {
    it(`${fixture}: reports exactly the expected findings`, async () => {
      const fixtureDir = path.join(FIXTURES_DIR, fixture);
      const expected = expectedFindings(fixtureDir).map(describeFinding).sort();
      assert.ok(expected.length >= 3, 'a fixture app has at least three blocking calls');
      const actual = (await lintFixture(fixtureDir)).map(describeFinding).sort();
      assert.deepEqual(actual, expected);
    });
  }
});
