/**
 * Valid code nested deeper than a recursive walk can go (a 5,000-term sum in a file that calls `require`)
 * must not end the run: the audit and ESLint both still report the server beside it.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ESLint, type Linter } from 'eslint';
import blockcheck from '../../rules/index.js';
import { auditJson, makeProject, removeProject } from '../cli/helpers.js';

const SERVER = "const fs = require('fs');\nrequire('http').createServer((req, res) => res.end(fs.readFileSync('/etc/hosts'))).listen(0);\n";
const DEEP = `const path = require('path');\nmodule.exports = ${Array.from({ length: 5_000 }, (_, index) => `path.sep.length * ${index}`).join(' + ')};\n`;

describe('deeply nested valid syntax', () => {
  let dir: string;
  before(() => {
    dir = makeProject({ 'package.json': '{ "name": "deep", "private": true }', 'server.js': SERVER, 'deep.js': DEEP });
  });
  after(() => removeProject(dir));

  it('is audited without ending the run', async () => {
    const { code, report, stderr } = await auditJson(['--no-eslint-config', '.'], dir);
    assert.equal(code, 1, stderr);
    assert.deepEqual(
      report.findings.map((finding) => `${path.basename(finding.file)} ${finding.call}`),
      ['server.js fs.readFileSync'],
    );
    assert.deepEqual(report.errors, []);
    assert.doesNotMatch(stderr, /internal error|RangeError/);
  });

  it('is linted by the ESLint rules without a crash', async () => {
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [blockcheck.configs.recommended as Linter.Config] });
    const results = await eslint.lintFiles(['server.js', 'deep.js']);
    const reported = results.flatMap((result) => result.messages.map((message) => `${path.basename(result.filePath)} ${message.ruleId ?? message.message}`));
    // typescript-eslint's own parser may give up on deep.js (a parsing error for that file, ESLint's answer);
    // the rules running on server.js must not.
    assert.deepEqual(
      reported.filter((entry) => !entry.startsWith('deep.js Parsing error')),
      ['server.js blockcheck/no-sync-io'],
    );
  });
});
