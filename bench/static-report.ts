/** The static report a probe benchmark hands the probe: no findings, one known handler to load. */
import { recommend } from '../engine/recommend.js';
import type { StaticReport } from '../runtime/index.js';

export function staticReportFor(root: string, handler: StaticReport['handlers'][number]): StaticReport {
  return {
    schemaVersion: 1,
    tool: { name: 'blockcheck', version: 'bench' },
    root,
    findings: [],
    recommendation: recommend({ findings: [], availableParallelism: 1 }),
    errors: [],
    stats: { files: 1, durationMs: 0 },
    handlers: [handler],
  };
}
