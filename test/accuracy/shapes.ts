/**
 * Audits small packages written in the shapes published code takes (compiled CommonJS, servers a CLI starts,
 * middleware a library exports ...), and reads back which marked lines were reported. A line is marked with a
 * trailing comment: `// BLOCKS` where a finding is expected, `// SILENT` where none may be.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { runAudit } from '../../cli/audit.js';
import { RECOMMENDED_SOURCE } from '../../engine/eslint-config.js';
import { createReusedParseHosts, makeProject, removeProject } from '../cli/helpers.js';

/** The lib files and @types/node, parsed once for all the audits of a test file (see createReusedParseHosts). */
const reusedParseHosts = createReusedParseHosts();
const SILENT = { phase() {}, tick() {}, done() {} };

export interface Expectations {
  /** `file:line` of every line marked `// BLOCKS`. */
  blocks: string[];
  /** `file:line` of every line marked `// SILENT`. */
  silent: string[];
}

function marked(files: Record<string, string>): Expectations {
  const expectations: Expectations = { blocks: [], silent: [] };
  for (const [file, text] of Object.entries(files)) {
    text.split('\n').forEach((line, index) => {
      if (/\/\/ BLOCKS\b/.test(line)) expectations.blocks.push(`${file}:${index + 1}`);
      if (/\/\/ SILENT\b/.test(line)) expectations.silent.push(`${file}:${index + 1}`);
    });
  }
  return expectations;
}

/**
 * Audits the package as `blockcheck audit --no-eslint-config .` run from its folder does (the same `runAudit`,
 * in this process), and asserts every `// BLOCKS` line is reported and no `// SILENT` line is.
 */
export async function assertAudit(files: Record<string, string>): Promise<void> {
  const root = makeProject(files);
  try {
    const { report, warnings } = await runAudit({
      cwd: root,
      paths: [root],
      projects: [],
      ignorePatterns: [],
      settings: RECOMMENDED_SOURCE,
      errorsOnly: false,
      targetRps: undefined,
      strict: false,
      progress: SILENT,
      hostFor: reusedParseHosts,
    });
    const reported = new Set(report.findings.map((finding) => `${finding.file.split(path.sep).join('/')}:${finding.line}`));
    const expected = marked(files);
    const missed = expected.blocks.filter((site) => !reported.has(site));
    const wrong = expected.silent.filter((site) => reported.has(site));
    const notes = [...warnings, ...report.errors.map((error) => `${error.file}: ${error.message}`)].join('\n');
    assert.deepEqual({ missed, wrong }, { missed: [], wrong: [] }, `reported: ${[...reported].join(', ') || 'nothing'}\n${notes}`);
  } finally {
    removeProject(root);
  }
}
