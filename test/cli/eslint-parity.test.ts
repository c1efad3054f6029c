/**
 * The audit and the ESLint rules share one analysis, so on every fixture app they must report the same
 * calls at the same places with the same messages.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { ESLint, type Linter } from 'eslint';
import blockcheck from '../../rules/index.js';
import { auditJson, REPO_ROOT } from './helpers.js';

// ESLint runs as its binary does, for a single run: typescript-eslint infers that from the `eslint` binary and
// must be told here, or it lints as in an editor and reloads every project for each file no tsconfig has.
process.env.TSESTREE_SINGLE_RUN = 'true';

const FIXTURES = path.join(REPO_ROOT, 'fixtures');
const fixtureDirs = existsSync(FIXTURES)
  ? readdirSync(FIXTURES, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(FIXTURES, entry.name))
  : [];

// Every fixture's report must also fit the shipped schema: together they cover every handler kind and category.
const validateReport = new Ajv({ allErrors: true }).compile(
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'cli', 'schema', 'report.schema.json'), 'utf8')) as object,
);

describe('audit findings equal the ESLint rules’ findings', () => {
  it('has fixtures to compare', () => {
    assert.ok(fixtureDirs.length > 0, `no fixture apps under ${FIXTURES}`);
  });

  for (const dir of fixtureDirs) {
    it(`on fixtures/${path.basename(dir)}`, async () => {
      const eslint = new ESLint({
        cwd: dir,
        overrideConfigFile: true,
        // Build output left out as the README's config does (the audit leaves out the tsconfig's outDir).
        // typescript-eslint looks for tsconfigs up to the fixture's folder, as when ESLint runs in it: past it,
        // it would load the repository's own project to learn that the fixture's files are not in it.
        overrideConfig: [
          { ignores: ['dist/**'] },
          blockcheck.configs.recommended as Linter.Config,
          { languageOptions: { parserOptions: { tsconfigRootDir: dir } } },
        ],
      });
      const results = await eslint.lintFiles(['.']);
      const fromEslint = results.flatMap((result) =>
        result.messages
          .filter((message) => message.ruleId?.startsWith('blockcheck/'))
          .map((message) => key(path.relative(dir, result.filePath), message.line, message.column, message.ruleId!, message.message)),
      );
      const { report, stderr } = await auditJson(['--no-eslint-config'], dir);
      assert.ok(validateReport(report), JSON.stringify(validateReport.errors));
      const fromAudit = report.findings.map((finding) => key(finding.file, finding.line, finding.column, finding.rule, finding.message));
      assert.deepEqual(fromAudit.sort(), fromEslint.sort(), stderr);
      const unparsable = results.filter((result) => result.messages.some((message) => message.fatal)).map((result) => path.relative(dir, result.filePath));
      assert.deepEqual(report.errors.map((error) => error.file).sort(), unparsable.sort());
    });
  }
});

function key(file: string, line: number, column: number, rule: string, message: string): string {
  return `${file.split(path.sep).join('/')}:${line}:${column} ${rule} ${message}`;
}
