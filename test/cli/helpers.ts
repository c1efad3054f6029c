/**
 * Runs the CLI as a user would, on throwaway projects written for one test: the command in this process (as
 * the binary runs it, with buffers for its streams), or the built binary in a process of its own.
 */
import type { Report } from '../../engine/report.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { runCommand, type CommandOutput } from '../../cli/command.js';

/** dist/test/cli/helpers.js → dist/cli/main.js */
export const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
/** The repository root (dist/test/cli → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Compiler hosts whose parsed files are kept for all the audits of a test file, so the lib files and
 * @types/node are parsed once: a CLI process per audit parsed them again each time, which was most of what
 * the CLI suites cost. A file is parsed again when its text changed (a test may rewrite a file between two
 * audits) or an option that shapes its syntax tree did, as the language service's document registry decides.
 */
export function createReusedParseHosts(): (options: ts.CompilerOptions) => ts.CompilerHost {
  const parsed = new Map<string, ts.SourceFile>();
  const registry = ts.createDocumentRegistry();
  return (options) => {
    const host = ts.createCompilerHost(options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    const optionsKey = registry.getKeyForCompilationSettings(options);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
      const key = `${optionsKey}:${JSON.stringify(languageVersionOrOptions)}:${fileName}`;
      const known = parsed.get(key);
      if (known && !shouldCreate && host.readFile(fileName) === known.text) return known;
      const sourceFile = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (sourceFile) parsed.set(key, sourceFile);
      return sourceFile;
    };
    return host;
  };
}

const reusedParseHosts = createReusedParseHosts();

/** Runs `blockcheck <args>` in `cwd`, in this process: the command the binary runs, on buffers for its streams. */
export async function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  const stdout = outputBuffer();
  const stderr = outputBuffer();
  // The audit sets typescript-eslint's single-run mode for its process; it must not outlive the run here,
  // where the test's own ESLint runs follow.
  const singleRun = process.env.TSESTREE_SINGLE_RUN;
  try {
    const code = await runCommand(args, { cwd, stdout, stderr, hostFor: reusedParseHosts });
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    if (singleRun === undefined) delete process.env.TSESTREE_SINGLE_RUN;
    else process.env.TSESTREE_SINGLE_RUN = singleRun;
  }
}

/** A stream that is not a terminal, as the binary's stdout and stderr on a pipe. */
function outputBuffer(): CommandOutput & { text: string } {
  return {
    text: '',
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

/**
 * Runs the built binary in a process of its own: for what only the process shows (its exit code, what
 * reaches its stderr when Node loads it, that a pipe gets no progress bar).
 */
export function runBinary(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
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
export async function auditJson(args: readonly string[], cwd: string): Promise<{ code: number | null; report: JsonReport; stderr: string }> {
  const result = await runCli(['audit', '--format', 'json', ...args], cwd);
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
