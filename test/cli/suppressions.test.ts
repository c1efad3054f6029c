import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { readSuppressions } from '../../engine/suppressions.js';

const RULE = 'blockcheck/no-sync-io';

function suppressedLines(source: string, rule = RULE): number[] {
  const sourceFile = ts.createSourceFile('file.ts', source, ts.ScriptTarget.Latest, true);
  const suppressions = readSuppressions(sourceFile);
  return source.split('\n').flatMap((line, index) => {
    const column = line.indexOf('CALL');
    return column >= 0 && suppressions.isSuppressed(rule, index + 1, column + 1) ? [index + 1] : [];
  });
}

describe('readSuppressions', () => {
  it('honours eslint-disable-next-line and eslint-disable-line for the rule or for every rule', () => {
    const source = [
      '// eslint-disable-next-line blockcheck/no-sync-io -- startup only',
      'CALL();', // 2
      'CALL(); // eslint-disable-line', // 3
      '/* eslint-disable-next-line no-console, blockcheck/no-sync-io */',
      'CALL();', // 5
      'CALL();', // 6: not suppressed
      '// eslint-disable-next-line blockcheck/no-cpu-loop',
      'CALL();', // 8: another rule
    ].join('\n');
    assert.deepEqual(suppressedLines(source), [2, 3, 5]);
    assert.deepEqual(suppressedLines(source, 'blockcheck/no-cpu-loop'), [3, 8]);
  });

  it('applies block eslint-disable until eslint-enable, and ignores them in line comments as ESLint does', () => {
    const source = [
      'CALL();', // 1
      '/* eslint-disable blockcheck/no-sync-io */',
      'CALL();', // 3
      '/* eslint-enable blockcheck/no-sync-io */',
      'CALL();', // 5
      '// eslint-disable',
      'CALL();', // 7: line-comment eslint-disable does nothing
      '/* eslint-disable blockcheck/no-sync-io */',
      'CALL();', // 9
    ].join('\n');
    assert.deepEqual(suppressedLines(source), [3, 9]);
  });

  it("does not let a blanket eslint-disable region (a bundle's or a generated file's) hide blocking calls", () => {
    const source = [
      '/* eslint-disable */',
      'CALL();', // 2: reported
      '/* eslint-enable */',
      '/* eslint-disable no-console */',
      'CALL();', // 5: another plugin's rule
      'CALL(); /* eslint-disable-line */', // 6: written for this line
    ].join('\n');
    assert.deepEqual(suppressedLines(source), [6]);
  });

  it('ignores directives for other plugins and comment-like text in strings, regexes and templates', () => {
    const source = [
      '// eslint-disable-next-line no-sync',
      'CALL();', // 2: a core ESLint rule, not ours
      "const s = '// eslint-disable-line'; CALL();", // 3
      'const r = /\\/\\/ eslint-disable-line/; CALL();', // 4
      'const t = `${1} // eslint-disable-line`; CALL();', // 5
    ].join('\n');
    assert.deepEqual(suppressedLines(source), []);
  });

  it('reads quoted rule names and a `--` description in a rule list as ESLint does', () => {
    const source = [
      '/* eslint-disable-next-line "blockcheck/no-sync-io", \'no-console\' -- reads config once */',
      'CALL();', // 2
      '// eslint-disable-next-line no-console -- blockcheck/no-sync-io is named only in the description',
      'CALL();', // 4: not suppressed
      'CALL(); // eslint-disable-line no-console,blockcheck/no-sync-io --- three dashes',
    ].join('\n');
    assert.deepEqual(suppressedLines(source), [2, 5]);
  });

  it('starts a next-line directive after a multi-line block comment ends', () => {
    const source = ['/* eslint-disable-next-line', '   blockcheck/no-sync-io */', 'CALL();'].join('\n');
    assert.deepEqual(suppressedLines(source), [3]);
  });
});
