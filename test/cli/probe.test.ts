/**
 * `blockcheck audit --probe` end to end: the static report goes to the runtime, each finding comes back
 * with its measured verdict (valid against the shipped schema, and carried into SARIF), the report is kept
 * for the language server, and a target that never listens
 * is one clear line and a non-zero exit, with no process left behind.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { formatSarif } from '../../cli/formats/sarif.js';
import type { Report } from '../../engine/report.js';
import { REPO_ROOT, runBinary } from './helpers.js';

interface ProbedFinding {
  file: string;
  call: string;
  runtime: { verdict: string; blockedMsPerRequest: { p95: number } | null; cpuWallRatio: number | null } | null;
}

describe('audit --probe', () => {
  it('confirms the blocking client of the slow service, with what it costs, and keeps the report', { timeout: 180_000 }, () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'blockcheck-probe-cli-'));
    try {
      const service = path.join(REPO_ROOT, 'fixtures', 'slow-service');
      const result = runBinary(
        [
          'audit',
          service,
          '--format',
          'json',
          '--probe',
          '--module',
          path.join(service, 'app.mjs'),
          '--export',
          'handler',
          '--requests-file',
          path.join(service, 'requests.json'),
          '--requests',
          '10',
          '--concurrency',
          '2',
        ],
        cwd,
        { SLOW_SERVICE_DELAY_MS: '150' },
      );
      assert.equal(result.code, 1, result.stderr);
      const report = JSON.parse(result.stdout) as { findings: ProbedFinding[]; recommendation: { workerClass: string } };
      const blocking = report.findings.find((finding) => finding.call === 'Atomics.wait');
      assert.ok(blocking?.runtime, 'the blocking client is measured');
      assert.equal(blocking.runtime.verdict, 'confirmed');
      assert.ok(blocking.runtime.blockedMsPerRequest && blocking.runtime.blockedMsPerRequest.p95 >= 100, 'it blocks about as long as the service takes');
      assert.ok((blocking.runtime.cpuWallRatio ?? 1) < 0.5, 'waiting, not computing');
      assert.equal(report.recommendation.workerClass, 'fix-first');
      // The probed report is what the shipped schema describes, runtime sections and probe summary included.
      const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cli', 'schema', 'report.schema.json'), 'utf8')) as object;
      const ajv = new Ajv({ allErrors: true });
      const validate = ajv.compile(schema);
      assert.ok(validate(report), ajv.errorsText(validate.errors));
      // SARIF carries each verdict in the result's property bag.
      const sarif = JSON.parse(formatSarif(report as unknown as Report, { cwd })) as {
        runs: Array<{ results: Array<{ properties: { call: string; runtime?: { verdict: string } } }> }>;
      };
      const blockingResult = sarif.runs[0]!.results.find((sarifResult) => sarifResult.properties.call === 'Atomics.wait');
      assert.equal(blockingResult?.properties.runtime?.verdict, 'confirmed');
      const saved = JSON.parse(fs.readFileSync(path.join(cwd, '.blockcheck', 'last-audit.json'), 'utf8')) as { findings: ProbedFinding[] };
      assert.deepEqual(
        saved.findings.map((finding) => finding.runtime?.verdict),
        report.findings.map((finding) => finding.runtime?.verdict),
      );
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('gives one clear line and a non-zero exit when the app never listens', { timeout: 60_000 }, () => {
    const app = path.join(REPO_ROOT, 'fixtures', 'probe-express');
    const result = runBinary(['audit', app, '--probe', '--start', `${process.execPath} -e "setInterval(() => {}, 1000)"`, '--start-timeout', '2'], REPO_ROOT);
    assert.notEqual(result.code, 0);
    assert.notEqual(result.code, 1);
    const lines = result.stderr.trim().split('\n');
    assert.match(lines[0] ?? '', /^blockcheck: .*listen/i);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
  });

  it('refuses probe options without --probe', () => {
    const result = runBinary(['audit', '.', '--start', 'node server.js'], REPO_ROOT);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--start is a probe option: add --probe/);
  });
});
