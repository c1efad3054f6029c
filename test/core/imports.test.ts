/**
 * Which program files a file imports: read from the program's own resolutions, with the checker as the
 * fallback for a TypeScript without that table. Both must name the same files (file roles propagate
 * through them: a module only scripts import is script code).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { resolvedImportNames } from '../../core/imports.js';
import { virtualPath, virtualProgram } from './virtual-program.js';

const files = (marker: string): Record<string, string> => ({
  'entry.ts': `// ${marker}
    import { helper } from './helper.js';
    import type { Shape } from './types.js';
    import fs from 'node:fs';
    import express from 'express';
    import legacy = require('./legacy.js');
    export * from './reexported.js';
    export { other } from './other.js';
    import './side-effect.js';
    require('./required-from-ts.js');
    export async function load(): Promise<unknown> {
      const lazy = await import('./lazy.js');
      return [helper, fs, express, legacy, lazy] as unknown as Shape;
    }
  `,
  'helper.ts': 'export const helper = 1;',
  'types.ts': 'export interface Shape { x: number }',
  'legacy.ts': 'const legacy = 1; export = legacy;',
  'reexported.ts': 'export const reexported = 1;',
  'other.ts': 'export const other = 1;',
  'side-effect.ts': 'export {};',
  'required-from-ts.ts': 'export {};',
  'lazy.ts': 'export const lazy = 1;',
  'script.js': `// ${marker}
    const { helper } = require('./helper.js');
    module.exports = helper;
  `,
});

/** The program without TypeScript's resolution table, as an older TypeScript would give it. */
function withoutResolutionTable(program: ts.Program): ts.Program {
  return new Proxy(program, {
    get: (target, property): unknown => (property === 'getResolvedModuleFromModuleSpecifier' ? undefined : Reflect.get(target, property)),
  });
}

const imported = (program: ts.Program, name: string): string[] => [...new Set(resolvedImportNames(program.getSourceFile(virtualPath(name))!, program))].sort();

describe('imported files', () => {
  const expectedFromEntry = ['helper.ts', 'lazy.ts', 'legacy.ts', 'other.ts', 'reexported.ts', 'side-effect.ts', 'types.ts'].map(virtualPath).sort();

  it('names the program files of imports, re-exports, import-equals and import(), a package by its declaration file, and neither core modules nor require() in TypeScript', () => {
    const program = virtualProgram(files('table'));
    const entry = imported(program, 'entry.ts');
    assert.deepEqual(
      entry.filter((name) => !name.includes('node_modules')),
      expectedFromEntry,
    );
    // `node:fs` is an ambient module of @types/node, not a file a specifier resolves to.
    assert.deepEqual(
      entry.filter((name) => name.includes('node_modules')).map((name) => name.split('/node_modules/')[1]),
      ['@types/express/index.d.ts'],
    );
    assert.deepEqual(imported(program, 'script.js'), [virtualPath('helper.ts')]);
  });

  it('gives the same files through the checker when the program has no resolution table', () => {
    const withTable = virtualProgram(files('table'));
    // Other text, so that new SourceFile objects are made and nothing is answered from the first program.
    const withoutTable = withoutResolutionTable(virtualProgram(files('checker')));
    for (const name of ['entry.ts', 'script.js']) {
      assert.deepEqual(imported(withoutTable, name), imported(withTable, name), name);
    }
  });
});
