/**
 * `audit --strict`: the calls handlers reach whose target the analysis cannot know are listed as information
 * (a member picked by a computed key, `require()` of a computed name), so a blind spot is said rather than
 * passed over in silence; they never change the exit code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { auditJson, lineOf, REPO_ROOT, runCli, suiteProjects } from './helpers.js';

const APP = `const crypto = require('crypto');
const http = require('http');
const handlers = { ping: () => 'pong', time: () => String(Date.now()) };
const pipeline = [() => 1, () => 2];
const HASHES = { strong: 'sha512', weak: 'md5' };
function digest(kind, body) {
  return crypto[kind](body);
}
function codec(name) {
  return crypto[name];
}
const sha = codec('createHash');
function startup(mode) {
  return crypto[mode]('sha256');
}
startup(process.env.MODE);
http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const run = handlers[url.searchParams.get('op')];
    const plugin = require('./plugins/' + url.searchParams.get('plugin'));
    for (let i = 0; i < pipeline.length; i++) pipeline[i]();
    // eslint-disable-next-line blockcheck/no-blocking-client -- the table only holds pure functions
    const checked = handlers[url.pathname.slice(1)];
    res.end(run() + digest(url.searchParams.get('algo'), 'x') + plugin.name + sha(HASHES.strong) + checked());
  })
  .listen(8080);
`;

describe('audit --strict', () => {
  const project = suiteProjects();
  const files = { 'package.json': JSON.stringify({ name: 'dispatching-server', version: '1.0.0', main: 'server.js' }), 'server.js': APP };

  it('lists the computed dispatch and module loads handlers reach, and nothing else', async () => {
    const root = project(files);
    const { code, report, stderr } = await auditJson(['--strict', '--no-eslint-config', '.'], root);
    assert.equal(code, 0, stderr);
    assert.deepEqual(report.findings, []);
    const listed = (report.unresolved ?? []).map((call) => ({ line: call.line, reason: call.reason, call: call.call, decidedBy: call.decidedBy }));
    assert.deepEqual(listed, [
      { line: lineOf(APP, 'crypto[kind]'), reason: 'computed-member', call: 'crypto[...]', decidedBy: 'kind' },
      { line: lineOf(APP, 'const run ='), reason: 'computed-member', call: 'run', decidedBy: "url.searchParams.get('op')" },
      {
        line: lineOf(APP, "require('./plugins/'"),
        reason: 'dynamic-require',
        call: 'require(...)',
        decidedBy: "'./plugins/' + url.searchParams.get('plugin')",
      },
    ]);
    const viaHelper = report.unresolved![0]!;
    assert.deepEqual(
      viaHelper.handlers[0]!.chain.map((step) => step.name),
      ['digest', 'crypto[...]'],
    );
    assert.match(viaHelper.message, /picked at run time by `kind` in handler .*server\.js/);
  });

  it('leaves them out without --strict, and under --quiet', async () => {
    const root = project(files);
    assert.equal((await auditJson(['--no-eslint-config', '.'], root)).report.unresolved, undefined);
    assert.deepEqual((await auditJson(['--strict', '--quiet', '--no-eslint-config', '.'], root)).report.unresolved, []);
  });

  it('fits the shipped JSON Schema', async () => {
    const root = project(files);
    const { report } = await auditJson(['--strict', '--no-eslint-config', '.'], root);
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cli', 'schema', 'report.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    assert.ok((report.unresolved ?? []).length > 0);
    assert.ok(validate(report), new Ajv().errorsText(validate.errors));
  });

  it('shows them in the text report and as SARIF notes of their own descriptor', async () => {
    const root = project(files);
    const text = await runCli(['audit', '--strict', '--no-eslint-config', '.'], root);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /cannot know \(--strict\)\n {2}server\.js:\d+:\d+ +info +crypto\[\.\.\.\] +picked by kind/);
    assert.match(text.stdout, /3 unresolved calls/);
    const sarif = JSON.parse((await runCli(['audit', '--strict', '--format', 'sarif', '--no-eslint-config', '.'], root)).stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; ruleIndex: number; level: string }> }>;
    };
    const [run] = sarif.runs;
    const notes = run!.results.filter((result) => result.level === 'note');
    assert.equal(notes.length, 3);
    for (const note of notes) assert.equal(run!.tool.driver.rules[note.ruleIndex]!.id, note.ruleId);
    assert.equal(notes[0]!.ruleId, 'blockcheck/unresolved-call');
  });

  it('says nothing where the call is already reported as blocking', async () => {
    const source = `const http = require('http');
http.createServer((req, res) => {
  const name = './data/' + req.url.slice(1) + '.json';
  delete require.cache[require.resolve(name)];
  res.end(JSON.stringify(require(name)));
}).listen(8080);
`;
    const root = project({ 'package.json': JSON.stringify({ name: 'fresh-data', version: '1.0.0' }), 'server.js': source });
    const { report } = await auditJson(['--strict', '--no-eslint-config', '.'], root);
    assert.deepEqual(
      report.findings.map((finding) => [finding.line, finding.rule]),
      [[lineOf(source, 'require(name)))'), 'blockcheck/no-sync-io']],
    );
    assert.deepEqual(report.unresolved, []);
  });
});
