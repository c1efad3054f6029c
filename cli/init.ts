/**
 * `blockcheck init`: the eslint.config.js block for projects that want the rules in their own ESLint run.
 * It only writes a new config file; an existing one is never rewritten (its shape is the user's), the
 * block is printed to paste instead.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const CONFIG_NAMES = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];

export const CONFIG_BLOCK = `import blockcheck from 'blockcheck';

export default [
  // Reports calls that block the event loop inside request handlers (blockcheck/no-sync-io,
  // no-blocking-client, no-cpu-loop). Run \`npx blockcheck audit\` for the report with call chains.
  blockcheck.configs.recommended,
];
`;

export interface InitResult {
  /** What to print on stdout. */
  output: string;
  /** What to tell the user on stderr. */
  note: string;
}

export function runInit(cwd: string, write: boolean): InitResult {
  const existing = CONFIG_NAMES.find((name) => existsSync(path.join(cwd, name)));
  if (!write) return { output: CONFIG_BLOCK, note: '' };
  if (existing && /\bblockcheck\b/.test(readFileSync(path.join(cwd, existing), 'utf8'))) {
    return { output: '', note: `${existing} already configures blockcheck: nothing to write.` };
  }
  if (existing) {
    return {
      output: CONFIG_BLOCK,
      note: `${existing} already exists and was left unchanged: add blockcheck.configs.recommended (above) to its exported array.`,
    };
  }
  // ESM syntax needs .mjs unless the package is "type": "module".
  const name = isModulePackage(cwd) ? 'eslint.config.js' : 'eslint.config.mjs';
  writeFileSync(path.join(cwd, name), CONFIG_BLOCK);
  return { output: '', note: `wrote ${name}` };
}

function isModulePackage(cwd: string): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { type?: string }).type === 'module';
  } catch {
    return false;
  }
}
