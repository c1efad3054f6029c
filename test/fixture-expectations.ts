/**
 * Reading the `// expect-blockcheck: <rule> "<handler label>"` comments that fixtures put on each line a
 * rule must flag, and comparing them with what a run reported.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ExpectedFinding {
  file: string;
  line: number;
  rule: string;
  handler: string;
}

const EXPECTATION = /expect-blockcheck:\s*([\w-]+)\s+"([^"]+)"/g;
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'fixtures');

/** The static-analysis fixture apps (the probe-* folders are the runtime's). */
export const STATIC_FIXTURES = ['express', 'fastify', 'koa', 'node-http', 'ws', 'nestjs', 'nextjs', 'hapi', 'mixed'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return SOURCE_FILE.test(entry.name) ? [full] : [];
  });
}

export function expectedFindings(fixtureDir: string): ExpectedFinding[] {
  return sourceFiles(fixtureDir).flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, index) =>
        [...text.matchAll(EXPECTATION)].map((match) => ({
          file: path.relative(fixtureDir, file).replaceAll('\\', '/'),
          line: index + 1,
          rule: match[1]!,
          handler: match[2]!,
        })),
      ),
  );
}

export function describeFinding(finding: ExpectedFinding): string {
  return `${finding.file}:${finding.line} ${finding.rule} "${finding.handler}"`;
}

/** The handler label a message names: `... in handler GET /x (src/app.ts:3) ...`. */
export function handlerLabelOf(message: string): string {
  return /in handler (.+?) \([^()]*:\d+\)/.exec(message)?.[1] ?? '';
}
