/**
 * RuleTester wired to node:test, and helpers to state expected reports by where they are in the code
 * rather than by hand-counted lines and columns.
 */
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { RuleTester, type InvalidTestCase, type TestCaseError } from '@typescript-eslint/rule-tester';
import * as parser from '../../rules/utils/parser.js';
import type { MessageIds } from '../../rules/utils/blockcheck-rule.js';
import { REPO_ROOT } from '../fixture-expectations.js';

RuleTester.afterAll = after;
/* eslint-disable @typescript-eslint/no-misused-promises -- node:test awaits the promises its own describe/it return */
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;
/* eslint-enable @typescript-eslint/no-misused-promises */

export const APP_DIR = path.join(REPO_ROOT, 'test', 'projects', 'app');
export const PLAIN_JS_DIR = path.join(REPO_ROOT, 'test', 'projects', 'plain-js');

/** The file of the typed test project that cases are linted as, unless they name another. */
export const FILE = 'src/file.ts';

type TestedRule = Parameters<RuleTester['run']>[1];
type Tests = Parameters<RuleTester['run']>[2];

/**
 * Runs a rule's cases in a test project. File names are relative to the project, which is also the
 * linter's cwd, so messages name files as `src/app.ts`.
 */
export function runRuleTests(name: string, rule: unknown, tests: Tests, projectDir = APP_DIR): void {
  const tester = new RuleTester({
    languageOptions: {
      parser,
      parserOptions: { projectService: true, tsconfigRootDir: projectDir },
    },
  });
  // The rule tester bundles its own copy of @typescript-eslint/utils, whose rule type is nominally different.
  tester.run(name, rule as TestedRule, tests);
}

/** 1-based line and column of the `occurrence`-th `needle` in `code`. */
export function positionOf(code: string, needle: string, occurrence = 1): { line: number; column: number } {
  let index = -1;
  for (let count = 0; count < occurrence; count++) {
    index = code.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) is not in the test code`);
  }
  const before = code.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

export interface ExpectedReport {
  /** The callee name (or pattern text) the report starts at. */
  at: string;
  occurrence?: number;
}

/** A report of `blockingCall` at a place, without checking the message text. */
export function reportAt(code: string, expected: ExpectedReport | string): TestCaseError<MessageIds> {
  const { at, occurrence } = typeof expected === 'string' ? { at: expected, occurrence: 1 } : expected;
  return { messageId: 'blockingCall', ...positionOf(code, at, occurrence) };
}

export interface ExpectedMessage extends ExpectedReport {
  call: string;
  /** The handler label and where it is registered (a needle in `handlerFileCode`, default the case's code). */
  handler: string;
  handlerAt: string;
  handlerFile?: string;
  handlerFileCode?: string;
  via?: string[];
  advice: string;
}

/** A report whose whole message is checked: call, handler label and place, chain, advice. */
export function messageAt(code: string, filename: string, expected: ExpectedMessage): TestCaseError<MessageIds> {
  const handlerFile = expected.handlerFile ?? filename;
  const handlerLine = positionOf(expected.handlerFileCode ?? code, expected.handlerAt).line;
  const relative = handlerFile.replaceAll('\\', '/');
  const via = expected.via && expected.via.length > 0 ? ` via ${expected.via.map((name) => `${name}()`).join(' → ')}` : '';
  return {
    ...reportAt(code, expected),
    data: { call: expected.call, where: ` in handler ${expected.handler} (${relative}:${handlerLine})${via}`, advice: expected.advice },
  };
}

export type Invalid = InvalidTestCase<MessageIds, [Record<string, unknown>]>;
