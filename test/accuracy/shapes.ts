/**
 * Audits small packages written in the shapes published code takes (compiled CommonJS, servers a CLI starts,
 * middleware a library exports ...), and reads back which marked lines were reported. A line is marked with a
 * trailing comment: `// BLOCKS` where a finding is expected, `// SILENT` where none may be.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { auditJson, makeProject, removeProject } from '../cli/helpers.js';

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

/** Audits the package and asserts every `// BLOCKS` line is reported and no `// SILENT` line is. */
export function assertAudit(files: Record<string, string>): void {
  const root = makeProject(files);
  try {
    const { report, stderr } = auditJson(['--no-eslint-config', '.'], root);
    const reported = new Set(report.findings.map((finding) => `${finding.file.split(path.sep).join('/')}:${finding.line}`));
    const expected = marked(files);
    const missed = expected.blocks.filter((site) => !reported.has(site));
    const wrong = expected.silent.filter((site) => reported.has(site));
    assert.deepEqual({ missed, wrong }, { missed: [], wrong: [] }, `reported: ${[...reported].join(', ') || 'nothing'}\n${stderr}`);
  } finally {
    removeProject(root);
  }
}
