/** Runs the built CLI as a user would, on throwaway projects written for one test. */
import type { Report } from '../../engine/report.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

/** dist/test/cli/helpers.js → dist/cli/main.js */
export const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
/** The repository root (dist/test/cli → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `blockcheck audit --format json` and parses the report. */
export function auditJson(args: readonly string[], cwd: string): { code: number | null; report: JsonReport; stderr: string } {
  const result = runCli(['audit', '--format', 'json', ...args], cwd);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, report, stderr: result.stderr };
}

/** The JSON report as the CLI writes it (the schema test checks it against the shipped schema). */
export type JsonReport = Report;

/** Writes `files` (relative path → content) into a new temporary folder under `parent` and returns it. */
export function makeProject(files: Record<string, string>, parent = os.tmpdir()): string {
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(path.join(parent, 'blockcheck-cli-'));
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return root;
}

export function removeProject(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** Inside a `describe`: a `makeProject` whose folders are removed after the suite. */
export function suiteProjects(): (files: Record<string, string>) => string {
  const roots: string[] = [];
  after(() => roots.forEach(removeProject));
  return (files) => {
    const root = makeProject(files);
    roots.push(root);
    return root;
  };
}

/** 1-based line of the first line containing `text` in `source`. */
export function lineOf(source: string, text: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`'${text}' not in source`);
  return index + 1;
}
