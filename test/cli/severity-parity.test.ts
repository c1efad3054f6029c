/**
 * One answer everywhere: ESLint, `blockcheck audit` and the language server report the same calls at the
 * same places with the same severity, the rule's configured one (as ESLint does), not a catalog entry's own
 * (`crypto.randomBytes()` and `JSON.parse` of a request body are warning-level entries). Checked with the
 * recommended settings and with an ESLint config that sets other severities.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ESLint, type Linter } from 'eslint';
import { DiagnosticSeverity, DocumentDiagnosticReportKind } from 'vscode-languageserver-protocol';
import blockcheck from '../../rules/index.js';
import { LspClient } from '../lsp/lsp-client.js';
import { TempProject, TSCONFIG } from '../lsp/temp-project.js';
import { auditJson } from './helpers.js';

const APP_TS = `import express from 'express';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

const app = express();
app.use(express.json());

app.post('/report/:id', (req, res) => {
  const token = crypto.randomBytes(16).toString('hex');
  const body = JSON.parse(req.body);
  res.send(fs.readFileSync(\`reports/\${req.params.id}-\${token}-\${body.name}.json\`, 'utf8'));
});

app.listen(3000);
`;

const FILES = { 'package.json': JSON.stringify({ name: 'parity', private: true, type: 'module' }), 'tsconfig.json': TSCONFIG, 'src/app.ts': APP_TS };

/** `file:line:column rule severity`, the same spelling for every front end. */
type Reported = string[];

async function fromEslint(root: string, config: Linter.Config[] | undefined): Promise<Reported> {
  const eslint = new ESLint({ cwd: root, ...(config ? { overrideConfigFile: true, overrideConfig: config } : {}) });
  const results = await eslint.lintFiles(['src/app.ts']);
  return results
    .flatMap((result) =>
      result.messages.map(
        (message) =>
          `${path.relative(root, result.filePath)}:${message.line}:${message.column} ${message.ruleId ?? message.message} ${message.severity === 2 ? 'error' : 'warning'}`,
      ),
    )
    .sort();
}

async function fromAudit(root: string): Promise<Reported> {
  const { report, stderr } = await auditJson([], root);
  assert.equal(report.errors.length, 0, stderr);
  return report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.rule} ${finding.severity}`).sort();
}

async function fromLanguageServer(project: TempProject): Promise<Reported> {
  // The user consented to the workspace's ESLint config, as the CLI reads it.
  const { client } = await LspClient.start({ rootUri: project.rootUri, initializationOptions: { loadEslintConfig: true } });
  try {
    const uri = project.uri('src/app.ts');
    await client.open(uri, APP_TS);
    const report = await client.pull(uri);
    assert.equal(report.kind, DocumentDiagnosticReportKind.Full);
    return report.items
      .map(
        (diagnostic) =>
          `src/app.ts:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${String(diagnostic.code)} ${diagnostic.severity === DiagnosticSeverity.Error ? 'error' : 'warning'}`,
      )
      .sort();
  } finally {
    await client.shutdown();
  }
}

function lineOf(text: string): number {
  return APP_TS.split('\n').findIndex((line) => line.includes(text)) + 1;
}

describe('ESLint, the audit and the language server report the same findings at the same severity', () => {
  const projects: TempProject[] = [];
  after(() => {
    for (const project of projects) project.remove();
  });

  describe('with the recommended settings', () => {
    let project: TempProject;
    before(() => {
      project = new TempProject(FILES);
      projects.push(project);
    });

    it('reports each call at its rule’s severity in all three', async () => {
      const eslint = await fromEslint(project.root, [blockcheck.configs.recommended as Linter.Config]);
      const rules = eslint.map((entry) => entry.replace(/^src\/app\.ts:(\d+):\d+ /, (_, line: string) => `${line} `));
      assert.deepEqual(
        rules,
        [
          `${lineOf('randomBytes')} blockcheck/no-sync-io error`,
          `${lineOf('JSON.parse')} blockcheck/no-cpu-loop error`,
          `${lineOf('readFileSync')} blockcheck/no-sync-io error`,
        ].sort(),
      );
      assert.deepEqual(await fromAudit(project.root), eslint, 'the audit');
      assert.deepEqual(await fromLanguageServer(project), eslint, 'the language server');
    });
  });

  describe('with an ESLint config that sets the severities', () => {
    let project: TempProject;
    before(() => {
      const plugin = new URL('../../rules/index.js', import.meta.url).href;
      project = new TempProject({
        ...FILES,
        'eslint.config.mjs': `import blockcheck from ${JSON.stringify(plugin)};
export default [
  blockcheck.configs.recommended,
  { rules: { 'blockcheck/no-sync-io': 'warn', 'blockcheck/no-cpu-loop': 'error' } },
];
`,
      });
      projects.push(project);
    });

    it('reports each call at the configured severity in all three', async () => {
      const eslint = await fromEslint(project.root, undefined);
      assert.deepEqual(eslint.map((entry) => entry.split(' ').slice(1).join(' ')).sort(), [
        'blockcheck/no-cpu-loop error',
        'blockcheck/no-sync-io warning',
        'blockcheck/no-sync-io warning',
      ]);
      assert.deepEqual(await fromAudit(project.root), eslint, 'the audit');
      assert.deepEqual(await fromLanguageServer(project), eslint, 'the language server');
    });
  });
});
