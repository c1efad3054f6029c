/** Shared by the runtime tests: fixture paths, marker lines, hand-made static reports, leak checks. */
import { recommend } from '../../engine/recommend.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportFinding, ReportHandler, StaticReport } from '../../runtime/report.js';
import { startedProcessGroups } from '../../runtime/processes.js';

/** The repository root (tests run from dist/test/runtime). */
export const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));

export function fixture(...parts: string[]): string {
  return resolve(ROOT, 'fixtures', ...parts);
}

/** The 1-based line of the `// probe: <marker>` comment in a fixture file. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(`probe: ${marker}`));
  if (index < 0) throw new Error(`marker ${marker} not in ${file}`);
  return index + 1;
}

export function finding(file: string, marker: string, fields: Partial<ReportFinding> & Pick<ReportFinding, 'call' | 'category'>): ReportFinding {
  const line = lineOf(file, marker);
  return {
    id: `test-${marker}`,
    rule: 'blockcheck/no-sync-io',
    kind: 'io',
    severity: 'error',
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 80,
    message: `${fields.call} blocks`,
    alternative: 'the async form',
    handlers: [],
    runtime: null,
    ...fields,
  };
}

export function route(method: string, path: string, file: string): ReportHandler {
  return { label: `${method} ${path}`, kind: 'route', file, line: 1, method, path };
}

export function staticReport(findings: ReportFinding[], handlers: ReportHandler[]): StaticReport {
  return {
    schemaVersion: 1,
    tool: { name: 'blockcheck', version: '0.0.0-test' },
    root: ROOT,
    findings,
    handlers,
    recommendation: recommend({ findings: [], availableParallelism: 1 }),
    errors: [],
    stats: { files: 1, durationMs: 0 },
  };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process group the runtime started is gone (no leader, no orphaned member). */
export async function assertNoChildLeft(): Promise<void> {
  // Killed processes stay zombies until reaped (by init, for orphaned members): allow up to 5 s under load.
  for (let attempt = 0; attempt < 100; attempt++) {
    const alive = startedProcessGroups().filter(groupAlive);
    if (alive.length === 0) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  throw new Error(`process groups still alive: ${startedProcessGroups().filter(groupAlive).join(', ')}`);
}
