/**
 * The core never throws on syntactically valid code, however odd: a call it cannot resolve is simply not
 * reported.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeProgram } from '../../core/index.js';
import { virtualPath, virtualProgram } from './virtual-program.js';

const ODD_CODE: Record<string, string> = {
  'generators.ts': `import fs from 'node:fs';
export async function* lines() { yield fs.readFileSync('/a'); for await (const x of [Promise.resolve(1)]) yield x; }
export function* counter() { let i = 0; while (true) yield i++; }`,
  'classes.ts': `import fs from 'node:fs';
const key = 'dyn';
export class Odd {
  static #secret = 1;
  static { fs.readFileSync('/static-block'); }
  [key] = () => fs.readFileSync('/a');
  get value() { return fs.readFileSync('/b'); }
  set value(v) { void v; }
  async ['computed' + key]() { return this[key](); }
  async #privateMethod() { return Odd.#secret; }
  async run() { return this.#privateMethod(); }
}
export class Child extends Odd { constructor() { super(); } async go() { return super.run(); } }`,
  'expressions.ts': `import fs from 'node:fs';
declare const maybe: { fn?: () => void } | undefined;
declare function factory(): new () => object;
export async function odd(tag: (s: TemplateStringsArray) => string) {
  maybe?.fn?.();
  new (factory())();
  tag\`x\${fs.readFileSync('/t')}\`;
  (0, fs.readFileSync)('/comma');
  (fs.readFileSync as any)('/cast');
  const f = fs.readFileSync satisfies unknown;
  label: for (;;) { for (;;) { break label; } }
  switch (1) { case 1: while (true) { break; } }
  return [...Array(3)].map((_, i) => i ** 2);
}`,
  'deep.ts': `export async function deep() { return ${'('.repeat(300)}1${')'.repeat(300)}; }`,
  'jsx.tsx': `import fs from 'node:fs';
declare namespace JSX { interface IntrinsicElements { [name: string]: unknown } }
export async function View() { return <div>{fs.readFileSync('/jsx').toString()}</div>; }`,
  'plain.js': `const fs = require('fs');
module.exports = async function handler(req) { return eval('fs.readFileSync')(req.url) + fs.readFileSync(req.url); };
exports.more = async () => { with (Math) { return max(1, 2); } };`,
  'recursive.ts': `import fs from 'node:fs';
export async function a(n: number): Promise<void> { if (n) await b(n - 1); fs.readFileSync('/r'); }
export async function b(n: number): Promise<void> { if (n) await a(n - 1); }`,
};

describe('robustness of the analysis core', () => {
  it('analyzes odd but valid code without throwing, and still finds what it can resolve', () => {
    const analysis = analyzeProgram(virtualProgram(ODD_CODE));
    const findings = analysis.allFindings();
    const files = new Set(findings.map((finding) => finding.fileName));
    assert.ok(files.has(virtualPath('generators.ts')));
    assert.ok(files.has(virtualPath('recursive.ts')));
    assert.ok(files.has(virtualPath('plain.js')));
    assert.ok(files.has(virtualPath('jsx.tsx')));
    const recursive = findings.find((finding) => finding.fileName === virtualPath('recursive.ts'));
    assert.ok(recursive && recursive.reaches.length >= 2, 'both async functions reach the read');
  });
});
