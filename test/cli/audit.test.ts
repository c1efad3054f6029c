/** `blockcheck audit`: what it finds on zero-config and TypeScript projects, and its exit codes. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { discoverProjects } from '../../cli/project.js';
import { auditJson, lineOf, makeProject, removeProject, runBinary, runCli, type JsonReport } from './helpers.js';
import { CLEAN_SERVER, ESM_SERVER, PLAIN_SERVER, plainProject, projectInRepo, STORE_APP, STORE_PACKAGE } from './projects.js';

/** The text at a finding's column on its line: the finding must point at the callee. */
function textAt(source: string, finding: { line: number; column: number }): string {
  return source.split('\n')[finding.line - 1]!.slice(finding.column - 1);
}

describe('audit of a plain CommonJS project with no configuration', () => {
  let root: string;
  let result: Awaited<ReturnType<typeof auditJson>>;
  before(async () => {
    root = plainProject();
    result = await auditJson([], root);
  });
  after(() => removeProject(root));

  it('reports the blocking call reached from the http handler, with its chain, and exits 1', () => {
    assert.equal(result.code, 1, result.stderr);
    const reported = result.report.findings.map((finding) => [finding.rule, finding.file, finding.line, finding.call]);
    assert.deepEqual(reported, [['blockcheck/no-sync-io', 'server.js', lineOf(PLAIN_SERVER, "'./reports/'"), 'fs.readFileSync']]);
    const [finding] = result.report.findings;
    assert.match(textAt(PLAIN_SERVER, finding!), /^(fs\.)?readFileSync\(/);
    assert.equal(finding!.severity, 'error');
    assert.equal(finding!.category, 'fs');
    assert.equal(finding!.kind, 'io');
    const [handler] = finding!.handlers;
    assert.equal(handler!.kind, 'http-server');
    assert.equal(handler!.line, lineOf(PLAIN_SERVER, 'http.createServer'));
    assert.deepEqual(handler!.chain.map((step) => step.name).slice(-2), ['render', 'fs.readFileSync'], 'the chain goes through render() to the blocking call');
  });

  it('leaves out the call disabled with eslint-disable-next-line', () => {
    assert.ok(!result.report.findings.some((finding) => finding.line === lineOf(PLAIN_SERVER, './config.json')));
  });

  it('lists the http handler and recommends fixing the I/O first', () => {
    assert.deepEqual(
      result.report.handlers.map((handler) => [handler.kind, handler.file, handler.line]),
      [['http-server', 'server.js', lineOf(PLAIN_SERVER, 'http.createServer')]],
    );
    assert.equal(result.report.recommendation.workerClass, 'fix-first');
    assert.equal(result.report.recommendation.processes, null);
    assert.deepEqual(result.report.errors, []);
    assert.equal(result.report.stats.files, 1);
    assert.equal(result.report.root, root);
  });

  it('gives the same ids on a second run, and keeps them when the call moves down a line', async () => {
    // The second run is the binary's, in a process of its own: the ids owe nothing to what this process kept.
    const again = runBinary(['audit', '--format', 'json'], root);
    assert.equal(again.code, 1, again.stderr);
    assert.deepEqual(
      (JSON.parse(again.stdout) as JsonReport).findings.map((finding) => finding.id),
      result.report.findings.map((finding) => finding.id),
    );
    const moved = makeProject({ 'server.js': `// a new first line\n${PLAIN_SERVER}` });
    try {
      const shifted = (await auditJson([], moved)).report.findings;
      assert.equal(shifted[0]!.line, result.report.findings[0]!.line + 1);
      assert.equal(shifted[0]!.id, result.report.findings[0]!.id);
    } finally {
      removeProject(moved);
    }
  });
});

describe('audit of other project shapes', () => {
  const roots: string[] = [];
  after(() => roots.forEach(removeProject));
  const project = (files: Record<string, string>, inRepo = false) => {
    const root = inRepo ? projectInRepo(files) : makeProject(files);
    roots.push(root);
    return root;
  };

  it('audits plain ESM JavaScript', async () => {
    const root = project({ 'package.json': '{ "type": "module" }', 'server.js': ESM_SERVER });
    const { code, report } = await auditJson([], root);
    assert.equal(code, 1);
    assert.deepEqual(
      report.findings.map((finding) => [finding.rule, finding.file, finding.line, finding.category]),
      [['blockcheck/no-sync-io', 'server.js', lineOf(ESM_SERVER, 'execSync('), 'child-process']],
    );
  });

  it('follows a call into a dependency and reports it at the first line in the audited code', async () => {
    const root = project({ 'app.js': STORE_APP, ...STORE_PACKAGE });
    const { code, report } = await auditJson([], root);
    assert.equal(code, 1);
    assert.equal(report.findings.length, 1, JSON.stringify(report.findings));
    const [finding] = report.findings;
    assert.equal(finding!.file, 'app.js');
    assert.equal(finding!.line, lineOf(STORE_APP, 'store.write('));
    const chain = finding!.handlers[0]!.chain;
    assert.deepEqual(chain.at(-1), {
      file: 'node_modules/kv-file-store/index.js',
      line: lineOf(STORE_PACKAGE['node_modules/kv-file-store/index.js'], 'writeFileSync'),
      name: 'fs.writeFileSync',
    });
    assert.equal(report.stats.files, 1, 'node_modules is not audited itself');
  });

  it('reports a clean project with no findings, the event-loop class and exit 0', async () => {
    const root = project({ 'server.js': CLEAN_SERVER });
    const { code, report } = await auditJson([], root);
    assert.equal(code, 0);
    assert.deepEqual(report.findings, []);
    assert.equal(report.handlers.length, 1);
    assert.equal(report.recommendation.workerClass, 'event-loop');
  });

  it('lists an unparsable file under errors, still reports the others, and exits 1', async () => {
    const root = project({ 'server.js': CLEAN_SERVER, 'lib/broken.js': 'function broken( {\n  return 1;\n', 'lib/report.js': PLAIN_SERVER });
    const { code, report } = await auditJson([], root);
    assert.equal(code, 1);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.file, 'lib/broken.js');
    assert.match(report.errors[0]!.message, /^Parsing error: /);
    assert.deepEqual(
      report.findings.map((finding) => finding.file),
      ['lib/report.js'],
    );
    assert.equal(report.stats.files, 3);
  });

  it('reports a tsconfig it cannot use, audits its files without it, and exits 2 (a configuration error)', async () => {
    const root = project({
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'bogus', allowJs: true }, include: ['src'] }),
      'src/server.js': PLAIN_SERVER,
    });
    const result = await runCli(['audit', '--format', 'json'], root);
    assert.equal(result.code, 2);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(
      report.findings.map((finding) => finding.file),
      ['src/server.js'],
    );
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.file, 'tsconfig.json');
    assert.match(report.errors[0]!.message, /--module/);
    assert.match(result.stderr, /^blockcheck: cannot use tsconfig\.json:1: .*--module.* \(its files were audited without it\)$/m);
  });

  it('audits only the given paths, with paths relative to the current directory', async () => {
    const root = project({ 'src/server.js': PLAIN_SERVER, 'scripts/build.js': PLAIN_SERVER });
    const { report } = await auditJson(['src'], root);
    assert.deepEqual([...new Set(report.findings.map((finding) => finding.file))], ['src/server.js']);
    assert.equal(report.root, path.join(root, 'src'));
    const fromInside = await auditJson(['.'], path.join(root, 'scripts'));
    assert.deepEqual([...new Set(fromInside.report.findings.map((finding) => finding.file))], ['build.js']);
  });

  it('audits a TypeScript solution through its project references', async () => {
    const server = `import http from 'node:http';
import { readFileSync } from 'node:fs';

export const server = http.createServer((req, res) => {
  res.end(readFileSync('./page.html'));
});
`;
    const root = project(
      {
        'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/api' }] }),
        'packages/api/tsconfig.json': JSON.stringify({
          compilerOptions: { composite: true, module: 'NodeNext', target: 'ES2022', strict: true, types: ['node'], outDir: 'dist' },
          include: ['src'],
        }),
        'packages/api/src/server.ts': server,
      },
      true,
    );
    const { code, report, stderr } = await auditJson([], root);
    assert.equal(code, 1, stderr);
    assert.deepEqual(
      report.findings.map((finding) => [finding.file, finding.line, finding.call]),
      [['packages/api/src/server.ts', lineOf(server, 'readFileSync('), 'readFileSync']],
    );
  });
});

describe('programs of a project without a tsconfig', () => {
  it('builds one program for package roots that would get the same options (a package that bundles others)', () => {
    const root = makeProject({
      'package.json': '{ "name": "bundle" }',
      'server.js': STORE_APP,
      'compiled/a/package.json': '{ "name": "a" }',
      'compiled/a/index.js': 'module.exports = 1;\n',
      'compiled/b/package.json': '{ "name": "b" }',
      'compiled/b/index.js': 'module.exports = 2;\n',
    });
    try {
      const files = ['compiled/a/index.js', 'compiled/b/index.js', 'server.js'].map((file) => path.join(root, file));
      const { projects } = discoverProjects([root], [], files);
      assert.deepEqual(
        projects.map((project) => project.rootNames.length),
        [3],
      );
    } finally {
      removeProject(root);
    }
  });
});

describe('exit codes and warnings', () => {
  let root: string;
  before(() => {
    root = plainProject();
  });
  after(() => removeProject(root));

  it('exits 0 under --quiet when nothing is at error level, and 1 with --max-warnings 0 over a warning', async () => {
    // An ESLint config that sets the rule to "warn" makes every finding a warning.
    const warnRoot = projectInRepo({
      'server.js': PLAIN_SERVER,
      'eslint.config.mjs': eslintConfig(`'blockcheck/no-sync-io': 'warn'`),
    });
    try {
      const plain = await auditJson([], warnRoot);
      assert.equal(plain.code, 0, plain.stderr);
      assert.deepEqual(
        plain.report.findings.map((finding) => finding.severity),
        ['warning'],
      );
      assert.equal((await runCli(['audit', '--max-warnings', '0'], warnRoot)).code, 1);
      assert.equal((await runCli(['audit', '--max-warnings', '1'], warnRoot)).code, 0);
      const quiet = await auditJson(['--quiet'], warnRoot);
      assert.equal(quiet.code, 0);
      assert.deepEqual(quiet.report.findings, []);
      // Hidden warnings still count against --max-warnings, and a clean quiet text run prints nothing.
      assert.equal((await runCli(['audit', '--quiet', '--max-warnings', '0'], warnRoot)).code, 1);
      const quietText = await runCli(['audit', '--quiet'], warnRoot);
      assert.equal(quietText.code, 0);
      assert.equal(quietText.stdout, '');
      const ignoringConfig = await auditJson(['--no-eslint-config'], warnRoot);
      assert.equal(ignoringConfig.code, 1);
      assert.deepEqual(
        ignoringConfig.report.findings.map((finding) => finding.severity),
        ['error'],
      );
    } finally {
      removeProject(warnRoot);
    }
  });

  it('drops a rule the ESLint config turns off and passes the rule options to the analysis', async () => {
    // An exported async function is an entry point of a server file, not of a script's code.
    const task = "const fs = require('fs');\nasync function rebuild() { return fs.readFileSync('./data.json', 'utf8'); }\nmodule.exports = rebuild;\n";
    const offRoot = projectInRepo({ 'server.js': PLAIN_SERVER, 'eslint.config.mjs': eslintConfig(`'blockcheck/no-sync-io': 'off'`) });
    const plainRoot = projectInRepo({ 'task.js': task, 'eslint.config.mjs': eslintConfig(`'blockcheck/no-sync-io': ['error', {}]`) });
    const scriptRoot = projectInRepo({
      'task.js': task,
      'eslint.config.mjs': eslintConfig(`'blockcheck/no-sync-io': ['error', { scriptPatterns: ['task.js'] }]`),
    });
    try {
      const off = await auditJson([], offRoot);
      assert.equal(off.code, 0, off.stderr);
      assert.deepEqual(off.report.findings, []);
      assert.equal(off.report.handlers.length, 1, 'handlers are listed even with the rules off');
      assert.equal((await auditJson([], plainRoot)).report.findings.length, 1);
      // The option marks task.js as a script, whose own code is not an entry point.
      const script = await auditJson([], scriptRoot);
      assert.equal(script.code, 0, script.stderr);
      assert.deepEqual(script.report.findings, []);
    } finally {
      removeProject(offRoot);
      removeProject(plainRoot);
      removeProject(scriptRoot);
    }
  });

  it('reports with the recommended settings and exits 2, in one line, when the ESLint config is broken', async () => {
    const throwing = projectInRepo({ 'server.js': PLAIN_SERVER, 'eslint.config.mjs': "throw new Error('boom');\n" });
    const syntaxError = projectInRepo({ 'server.js': PLAIN_SERVER, 'eslint.config.mjs': 'export default [ {\n' });
    try {
      const thrown = await auditJson([], throwing);
      assert.equal(thrown.code, 2);
      assert.equal(thrown.report.findings.length, 1);
      assert.equal(
        thrown.stderr,
        'blockcheck: cannot use eslint.config.mjs: boom (fix it, or pass --no-eslint-config; the files were audited with the recommended rule settings)\n',
      );
      const broken = await auditJson([], syntaxError);
      assert.equal(broken.code, 2);
      assert.equal(broken.report.findings.length, 1);
      assert.match(broken.stderr, /^blockcheck: cannot use eslint\.config\.mjs: Unexpected end of input \(fix it, or pass --no-eslint-config; [^\n]*\)\n$/);
      const debug = await auditJson(['--debug'], syntaxError);
      assert.match(debug.stderr, /^SyntaxError: Unexpected end of input\n\s+at /m);
    } finally {
      removeProject(throwing);
      removeProject(syntaxError);
    }
  });

  it("warns in one line when Node's types do not resolve, and still reports what it finds by name", async () => {
    const server =
      "import http from 'node:http';\nimport fs from 'node:fs';\n\nhttp.createServer((req, res) => res.end(fs.readFileSync('index.html'))).listen(8080);\n";
    const tsconfig = JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src'] });
    // Outside the repository: no node_modules, so no @types/node above the project.
    const untyped = makeProject({ 'tsconfig.json': tsconfig, 'src/app.ts': server });
    try {
      const { code, report, stderr } = await auditJson([], untyped);
      assert.equal(code, 1);
      assert.equal(report.findings.length, 1);
      assert.equal(
        stderr,
        "blockcheck: warning: tsconfig.json: Node's types do not resolve (src/app.ts imports 'node:http'), so calls into Node are matched by name only " +
          'and some are missed: install @types/node (npm install --save-dev @types/node)\n',
      );
    } finally {
      removeProject(untyped);
    }
  });

  it('writes the report to --output-file and nothing to stdout', async () => {
    const result = await runCli(['audit', '--format', 'json', '--output-file', 'out/report.json'], root);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const report = JSON.parse(readFileSync(path.join(root, 'out/report.json'), 'utf8')) as JsonReport;
    assert.equal(report.findings.length, 1);
  });
});

function eslintConfig(rules: string): string {
  return `import blockcheck from ${JSON.stringify(new URL('../../rules/index.js', import.meta.url).href)};
export default [{ plugins: { blockcheck }, rules: { ${rules} } }];
`;
}
