/**
 * The one message text for a finding, shared by the ESLint rules, the CLI and the language server.
 * `fs.readFileSync blocks the event loop in handler GET /report/:id (src/app.ts:27) via renderReport(). Use await fs.promises.readFile(...)`
 */
import * as path from 'node:path';
import type { Finding, UnresolvedCall } from './types.js';

export function relativePath(fileName: string, cwd: string): string {
  const relative = path.relative(cwd, fileName);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? fileName : relative).replaceAll('\\', '/');
}

/** The parts of the message, as the rules' message template `{{call}} blocks the event loop{{where}}. {{advice}}` fills them. */
export interface MessageParts {
  call: string;
  /** ` in handler GET /x (src/app.ts:3) via render()`, or empty. */
  where: string;
  advice: string;
}

export const MESSAGE_TEMPLATE = '{{call}} blocks the event loop{{where}}. {{advice}}';

export function messageParts(finding: Finding, cwd: string): MessageParts {
  const [primary, ...others] = finding.reaches;
  let where = '';
  if (primary) {
    const { handler, chain } = primary;
    where = ` in handler ${handler.label} (${relativePath(handler.fileName, cwd)}:${handler.line})`;
    const via = chain.slice(0, -1).map((step) => `${step.name}()`);
    if (via.length > 0) where += ` via ${via.join(' → ')}`;
    if (others.length > 0) where += ` (and ${others.length} more handler${others.length === 1 ? '' : 's'})`;
  }
  // Catalog alternatives are things to use; CPU alternatives are instructions.
  const advice =
    finding.rule === 'no-cpu-loop' ? `${finding.alternative.charAt(0).toUpperCase()}${finding.alternative.slice(1)}` : `Use ${finding.alternative}`;
  return { call: finding.call, where, advice };
}

export function formatFindingMessage(finding: Finding, cwd: string = process.cwd()): string {
  const parts = messageParts(finding, cwd);
  return MESSAGE_TEMPLATE.replace(/\{\{(\w+)\}\}/g, (_, key: keyof MessageParts) => parts[key]);
}

/**
 * The one message for a call whose target cannot be known:
 * `handlers[...] calls a member picked at run time by \`kind\` in handler POST /jobs (src/app.ts:9): ...`
 */
export function formatUnresolvedMessage(call: UnresolvedCall, cwd: string = process.cwd()): string {
  const primary = call.reaches[0];
  const where = primary ? ` in handler ${primary.handler.label} (${relativePath(primary.handler.fileName, cwd)}:${primary.handler.line})` : '';
  if (call.reason === 'dynamic-require') {
    return `require(${call.decidedBy}) loads a module chosen at run time${where}: blockcheck cannot follow its code, and each first load reads the disk synchronously. Confirm with --probe, or require the candidates by literal name`;
  }
  return `${call.call} calls a member picked at run time by \`${call.decidedBy}\`${where}: blockcheck cannot tell what it runs or whether it blocks. Confirm with --probe, or give the key a literal-union type`;
}
