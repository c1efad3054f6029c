/**
 * Every rule doc's ❌ examples are flagged by its rule and its ✅ examples are not, linted as a file of a
 * typed project exactly as a user's ESLint run would. What the ❌ examples report (line:column and message,
 * drawn under the code) is compared with a committed snapshot per rule, `test/rules/docs-snapshots/<rule>.shot`,
 * as typescript-eslint snapshots its docs, so a change to a message or a position shows in review.
 * `UPDATE_SNAPSHOTS=1 node --test dist/test/rules/docs.test.js` rewrites the snapshots.
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

/** Where the snapshots are committed (the tests run from dist/, the snapshots live beside the sources). */
const SNAPSHOT_DIR = path.join(REPO_ROOT, 'test', 'rules', 'docs-snapshots');
const UPDATE_SNAPSHOTS = process.env.UPDATE_SNAPSHOTS === '1';

/** One example as the snapshot shows it: its code, each message underlined (`~`) below the line it starts on. */
function rendered(ruleName: string, example: Example, messages: readonly Linter.LintMessage[]): string {
  const heading = `${example.kind === 'incorrect' ? '❌ Incorrect' : '✅ Correct'}: rules/docs/${ruleName}.md, line ${example.line}`;
  const out = [heading, ''];
  const lines = example.code.split('\n');
  lines.forEach((text, index) => {
    out.push(text);
    for (const message of messages.filter((candidate) => candidate.line === index + 1)) {
      const end = message.endLine === message.line && message.endColumn ? message.endColumn : text.length + 1;
      const width = Math.max(1, end - message.column);
      out.push(`${' '.repeat(message.column - 1)}${'~'.repeat(width)} ${message.line}:${message.column} ${message.message}`);
    }
  });
  return out.join('\n');
}

/** Compares the snapshot file with `actual`, or writes it under UPDATE_SNAPSHOTS=1. */
function matchSnapshot(ruleName: string, actual: string): void {
  const file = path.join(SNAPSHOT_DIR, `${ruleName}.shot`);
  if (UPDATE_SNAPSHOTS) {
    fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `${path.relative(REPO_ROOT, file)} is missing: run the test with UPDATE_SNAPSHOTS=1 and commit it`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `the output of the examples changed: rerun with UPDATE_SNAPSHOTS=1 if intended`);
}

const linter = new Linter({ configType: 'flat', cwd: APP_DIR });

function lint(ruleName: string, code: string): Linter.LintMessage[] {
  return linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        plugins: { blockcheck: blockcheck as never },
        languageOptions: { parser, parserOptions: { projectService: true, tsconfigRootDir: APP_DIR } },
        rules: { [`blockcheck/${ruleName}`]: 'error' },
      },
    ],
    { filename: path.join(APP_DIR, 'src/file.ts') },
  );
}

for (const ruleName of Object.keys(blockcheck.rules ?? {})) {
  describe(`rules/docs/${ruleName}.md`, () => {
    const examples = examplesOf(fs.readFileSync(path.join(REPO_ROOT, 'rules', 'docs', `${ruleName}.md`), 'utf8'));
    it('has both incorrect and correct examples', () => {
      assert.ok(examples.some((example) => example.kind === 'incorrect'));
      assert.ok(examples.some((example) => example.kind === 'correct'));
    });
    const results = new Map<Example, Linter.LintMessage[]>();
    const messagesOf = (example: Example): Linter.LintMessage[] => {
      if (!results.has(example)) results.set(example, lint(ruleName, example.code));
      return results.get(example)!;
    };
    for (const example of examples) {
      it(`the ${example.kind} example at line ${example.line} is ${example.kind === 'incorrect' ? '' : 'not '}flagged`, () => {
        const messages = messagesOf(example);
        const fatal = messages.find((message) => message.fatal);
        assert.equal(fatal, undefined, fatal?.message);
        if (example.kind === 'incorrect') assert.ok(messages.length > 0, 'no report');
        else
          assert.deepEqual(
            messages.map((message) => message.message),
            [],
          );
      });
    }
    it('reports exactly what its snapshot shows', () => {
      const snapshot = examples.map((example) => rendered(ruleName, example, messagesOf(example))).join('\n\n');
      matchSnapshot(ruleName, `${snapshot}\n`);
    });
  });
}
