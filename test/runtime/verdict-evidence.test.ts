/**
 * Verdicts from evidence: a line that ran is never "unreached" (coverage is read at the finding's column,
 * not the line's first character), and an unreached line says why: its route turned the requests away with
 * a 4xx, or no request reached it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { probe } from '../../runtime/index.js';
import type { ProbedReport, ReportFinding } from '../../runtime/index.js';
import { assertNoChildLeft, finding, fixture, lineOf, route, staticReport } from './helpers.js';

const app = fixture('probe-verdicts', 'app.mjs');

/** A finding on the call `call` of the marked line, at its column as the static pass reports it. */
function at(marker: string, call: string, handler: string): ReportFinding {
  const line = lineOf(app, marker);
  const column = readFileSync(app, 'utf8').split('\n')[line - 1]!.indexOf(call) + 1;
  return finding(app, marker, {
    call: `fs.${call}`,
    category: 'fs',
    column,
    handlers: [{ label: handler, kind: 'route', file: app, line, chain: [] }],
  });
}

describe('probe: verdicts from evidence', () => {
  let probed: ProbedReport;
  const runtimeOf = (marker: string) => probed.findings.find((candidate) => candidate.id === `test-${marker}`)!.runtime;

  before(async () => {
    probed = await probe(
      staticReport(
        [at('one-line', 'readFileSync', 'GET /one-line'), at('guarded', 'readFileSync', 'GET /guarded'), at('post-only', 'writeFileSync', 'POST /notes')],
        [route('GET', '/one-line', app), route('GET', '/guarded', app), route('POST', '/notes', app)],
      ),
      {
        target: { kind: 'command', command: 'PORT=0 node app.mjs' },
        cwd: fixture('probe-verdicts'),
        load: { requests: 8, concurrency: 2, durationSec: 10, warmupRequests: 0 },
      },
    );
  });
  after(assertNoChildLeft);

  it('a call in a one-line handler that ran on every request is not "unreached"', () => {
    const runtime = runtimeOf('one-line');
    assert.notEqual(runtime.verdict, 'unreached');
    assert.ok(runtime.executions >= 8, `executions ${runtime.executions}`);
  });

  it('a line after a 401 is unreached because the route answered early, and says so', () => {
    const runtime = runtimeOf('guarded');
    assert.equal(runtime.verdict, 'unreached');
    assert.equal(runtime.unreachedReason, 'answered-4xx');
    assert.match(runtime.hint!, /GET \/guarded answered 8 of its 8 requests with 401/);
  });

  it('a line on a route the probe did not send is unreached because no request reached it, with the flag to send it', () => {
    const runtime = runtimeOf('post-only');
    assert.equal(runtime.verdict, 'unreached');
    assert.equal(runtime.unreachedReason, 'not-requested');
    assert.match(runtime.hint!, /POST \/notes was not loaded: .*--methods/);
  });
});
