/** Each report format's content, checked on the same audited project. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { RULES } from '../../core/index.js';
import { auditJson, lineOf, makeProject, REPO_ROOT, removeProject, runCli, type JsonReport } from './helpers.js';
import { PLAIN_SERVER, plainProject } from './projects.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const require = createRequire(import.meta.url);

let root: string;
let json: Awaited<ReturnType<typeof auditJson>>;
before(async () => {
  root = plainProject({ 'broken.js': 'const = ;\n' });
  json = await auditJson([], root);
});
after(() => removeProject(root));

describe('--format json', () => {
  it('matches the shipped JSON Schema', () => {
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cli', 'schema', 'report.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(schema);
    assert.ok(json.report.findings.length > 0 && json.report.errors.length > 0, 'the report has findings and errors to validate');
    assert.ok(validate(json.report), ajv.errorsText(validate.errors));
  });

  it('names exactly the rules and categories of the rule table', () => {
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cli', 'schema', 'report.schema.json'), 'utf8')) as ReportSchema;
    assert.deepEqual(
      schema.definitions.rule.enum,
      RULES.map((rule) => `blockcheck/${rule.name}`),
    );
    assert.deepEqual(
      schema.definitions.finding.properties.category.enum,
      RULES.flatMap((rule) => rule.categories),
    );
  });

  it('rejects a report that breaks the schema (the schema is not vacuous)', () => {
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cli', 'schema', 'report.schema.json'), 'utf8')) as object;
    const validate = new Ajv().compile(schema);
    const broken = structuredClone(json.report) as JsonReport & { findings: Array<Record<string, unknown>> };
    broken.findings[0]!.line = 0;
    assert.equal(validate(broken), false);
  });
});

describe('--format sarif', () => {
  let sarif: SarifLog;
  before(async () => {
    const result = await runCli(['audit', '--format', 'sarif'], root);
    assert.equal(result.code, 1, result.stderr);
    sarif = JSON.parse(result.stdout) as SarifLog;
  });

  it('validates against the SARIF 2.1.0 JSON schema', () => {
    const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    // The official schema is draft-04; Ajv 8 reads it as draft-07 once the draft-04 `id`/`$schema` are dropped
    // (it uses no other draft-04-only keyword).
    const { $schema: _draft, id: _id, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
    // unicodeRegExp: false because one of the schema's patterns is not valid with the `u` flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(sarif), ajv.errorsText(validate.errors));
  });

  it('has every field GitHub code scanning reads', () => {
    assert.equal(sarif.version, '2.1.0');
    const [run] = sarif.runs;
    const { driver } = run!.tool;
    assert.equal(driver.name, 'blockcheck');
    assert.match(driver.semanticVersion, /^\d+\.\d+\.\d+/);
    assert.deepEqual(
      driver.rules.map((rule) => rule.id),
      ['blockcheck/no-sync-io', 'blockcheck/no-blocking-client', 'blockcheck/no-cpu-loop'],
    );
    for (const rule of driver.rules) {
      assert.ok(rule.shortDescription.text.length > 0, `${rule.id} shortDescription`);
      assert.ok(rule.fullDescription.text.length > 0, `${rule.id} fullDescription`);
      assert.ok(rule.help.text.length > 0 && rule.help.markdown.length > 0, `${rule.id} help`);
      assert.match(rule.helpUri, /^https?:\/\//, `${rule.id} helpUri`);
    }
    assert.equal(run!.originalUriBaseIds['%SRCROOT%']!.uri, `${pathToFileURL(root).href}/`);

    const finding = json.report.findings[0]!;
    assert.equal(run!.results.length, json.report.findings.length);
    const [result] = run!.results;
    assert.equal(result!.ruleId, finding.rule);
    assert.equal(driver.rules[result!.ruleIndex]!.id, finding.rule);
    assert.equal(result!.level, 'error');
    assert.equal(result!.message.text, finding.message);
    const { artifactLocation, region } = result!.locations[0]!.physicalLocation;
    assert.deepEqual(artifactLocation, { uri: 'server.js', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(region, { startLine: finding.line, startColumn: finding.column, endLine: finding.endLine, endColumn: finding.endColumn });
    assert.match(result!.partialFingerprints.primaryLocationLineHash, /^[0-9a-f]+:\d+$/);
  });

  it('puts the handler-to-call chain in a code flow', () => {
    const [result] = sarif.runs[0]!.results;
    const locations = result!.codeFlows[0]!.threadFlows[0]!.locations;
    assert.equal(locations[0]!.location.physicalLocation.region.startLine, lineOf(PLAIN_SERVER, 'http.createServer'));
    assert.equal(locations.at(-1)!.location.message.text, 'fs.readFileSync');
    assert.equal(locations.at(-1)!.location.physicalLocation.region.startLine, json.report.findings[0]!.line);
  });

  it('gives the same paths from any folder of the repository, relative to its root', async () => {
    const repository = makeProject({ '.git/HEAD': 'ref: refs/heads/main\n', 'services/api/server.js': PLAIN_SERVER });
    try {
      const fromRoot = JSON.parse((await runCli(['audit', '--format', 'sarif', 'services/api'], repository)).stdout) as SarifLog;
      const fromInside = JSON.parse((await runCli(['audit', '--format', 'sarif', '.'], path.join(repository, 'services/api'))).stdout) as SarifLog;
      for (const log of [fromRoot, fromInside]) {
        assert.equal(log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri, `${pathToFileURL(repository).href}/`);
        assert.deepEqual(
          log.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation),
          [{ uri: 'services/api/server.js', uriBaseId: '%SRCROOT%' }],
        );
      }
    } finally {
      removeProject(repository);
    }
  });

  it('reports the unparsable file as a tool notification', () => {
    const notifications = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications;
    assert.equal(notifications.length, 1);
    assert.equal(notifications[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'broken.js');
  });
});

describe('--format github', () => {
  it('prints one workflow command per finding and error', async () => {
    const result = await runCli(['audit', '--format', 'github'], root);
    assert.equal(result.code, 1);
    const finding = json.report.findings[0]!;
    const lines = result.stdout.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => line.slice(0, line.indexOf('::', 2))),
      [
        `::error file=server.js,line=${finding.line},col=${finding.column},endLine=${finding.endLine},endColumn=${finding.endColumn},title=blockcheck/no-sync-io`,
        `::error file=broken.js,line=1,title=blockcheck`,
      ],
    );
    assert.ok(lines[0]!.endsWith(`::${finding.message.replace(/%/g, '%25')}`));
  });
});

describe('--format text (default)', () => {
  it('groups findings under their handler with call, category, chain and fix, then the summary and recommendation', async () => {
    const result = await runCli(['audit'], root);
    assert.equal(result.code, 1);
    const text = result.stdout;
    const finding = json.report.findings[0]!;
    const handler = finding.handlers[0]!;
    assert.ok(text.startsWith(`${handler.label}  server.js:${handler.line} (${handler.kind})\n`), `${text}\n${result.stderr}`);
    assert.match(text, new RegExp(`^  server\\.js:${finding.line}:${finding.column}  error    fs\\.readFileSync  fs \\(io\\)  blockcheck/no-sync-io$`, 'm'));
    assert.match(text, /^ {4}via .*render \(server\.js:\d+\) → fs\.readFileSync \(server\.js:\d+\)$/m);
    assert.match(text, /^ {4}fix: .+$/m);
    assert.match(text, /^ {2}broken\.js:1 {2}Parsing error: /m);
    assert.match(text, /^1 finding in 1 handler, 1 file, \d+\.\d s \(1 error, 0 warnings; 2 files audited, 1 handler detected\)$/m);
    assert.match(text, /^Recommended worker class: fix-first$/m);
    assert.doesNotMatch(text, /\x1b\[/, 'no colors when stdout is not a terminal');
  });

  it('uses colors when forced with --color', async () => {
    assert.match((await runCli(['audit', '--color'], root)).stdout, /\x1b\[31merror/);
  });
});

interface ReportSchema {
  definitions: { rule: { enum: string[] }; finding: { properties: { category: { enum: string[] } } } };
}

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region: { startLine: number; startColumn?: number; endLine?: number; endColumn?: number };
  };
  message: { text: string };
}
interface SarifLog {
  version: string;
  runs: Array<{
    tool: {
      driver: {
        name: string;
        semanticVersion: string;
        rules: Array<{
          id: string;
          shortDescription: { text: string };
          fullDescription: { text: string };
          help: { text: string; markdown: string };
          helpUri: string;
        }>;
      };
    };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: SarifLocation[];
      partialFingerprints: { primaryLocationLineHash: string };
      codeFlows: Array<{ threadFlows: Array<{ locations: Array<{ location: SarifLocation }> }> }>;
    }>;
    invocations: Array<{ toolExecutionNotifications: Array<{ locations: SarifLocation[] }> }>;
  }>;
}
