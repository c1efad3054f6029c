/**
 * Every rule doc's ❌ examples are flagged by its rule and its ✅ examples are not, linted as a file of a
 * typed project exactly as a user's ESLint run would.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Linter } from 'eslint';
import blockcheck from '../../rules/index.js';
import * as parser from '../../rules/utils/parser.js';
import { REPO_ROOT } from '../fixture-expectations.js';
import { APP_DIR } from './rule-tester.js';

interface Example {
  kind: 'incorrect' | 'correct';
  code: string;
  line: number;
}

/** Code blocks under the `### ❌ Incorrect` and `### ✅ Correct` headings. */
function examplesOf(markdown: string): Example[] {
  const examples: Example[] = [];
  let kind: Example['kind'] | undefined;
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.startsWith('#')) kind = line.includes('❌') ? 'incorrect' : line.includes('✅') ? 'correct' : undefined;
    if (kind && /^```[jt]s$/.test(line)) {
      const end = lines.indexOf('```', index + 1);
      examples.push({ kind, code: lines.slice(index + 1, end).join('\n'), line: index + 1 });
      index = end;
    }
  }
  return examples;
}

const linter = new Linter({ configType: 'flat', cwd: APP_DIR });

function lint(ruleName: string, code: string): Linter.LintMessage[] {
  return linter.verify(code, [{
    files: ['**/*.ts'],
    plugins: { blockcheck: blockcheck as never },
    languageOptions: { parser, parserOptions: { projectService: true, tsconfigRootDir: APP_DIR } },
    rules: { [`blockcheck/${ruleName}`]: 'error' },
  }], { filename: path.join(APP_DIR, 'src/file.ts') });
}

for (const ruleName of Object.keys(blockcheck.rules ?? {})) {
  describe(`rules/docs/${ruleName}.md`, () => {
    const examples = examplesOf(fs.readFileSync(path.join(REPO_ROOT, 'rules', 'docs', `${ruleName}.md`), 'utf8'));
    it('has both incorrect and correct examples', () => {
      assert.ok(examples.some((example) => example.kind === 'incorrect'));
      assert.ok(examples.some((example) => example.kind === 'correct'));
    });
    for (const example of examples) {
      it(`the ${example.kind} example at line ${example.line} is ${example.kind === 'incorrect' ? '' : 'not '}flagged`, () => {
        const messages = lint(ruleName, example.code);
        const fatal = messages.find((message) => message.fatal);
        assert.equal(fatal, undefined, fatal?.message);
        if (example.kind === 'incorrect') assert.ok(messages.length > 0, 'no report');
        else assert.deepEqual(messages.map((message) => message.message), []);
      });
    }
  });
}
