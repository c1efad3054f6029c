import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { createDefaultProgram } from '../../core/index.js';
import { resolvedSymbol } from '../../core/resolve.js';
import { REPO_ROOT } from '../fixture-expectations.js';
import { virtualProgram } from './virtual-program.js';

/** What the checker says `receiver.name` is, aliases followed: the answer the declaration-based lookup must give. */
function checkerAnswer(checker: ts.TypeChecker, name: ts.Node): ts.Declaration | undefined {
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.[0];
}

/** Every `a.b` of the program's own files whose lookup disagrees with the checker, as `file: text`. */
function disagreements(program: ts.Program): { checked: number; wrong: string[] } {
  const checker = program.getTypeChecker();
  const wrong: string[] = [];
  let checked = 0;
  for (const sourceFile of program.getSourceFiles()) {
    if (sourceFile.isDeclarationFile || sourceFile.fileName.includes('/node_modules/')) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
        checked++;
        if (resolvedSymbol(checker, node.name)?.declarations?.[0] !== checkerAnswer(checker, node.name)) {
          wrong.push(`${path.basename(sourceFile.fileName)}: ${node.getText()}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return { checked, wrong };
}

describe('member resolution without typing the receiver', () => {
  it('agrees with the checker on modules, instances, typed declarations, returned instances, base classes, this, library globals, and the shapes it leaves to the checker', () => {
    const program = virtualProgram({
      'members.ts': `
        import fs from 'node:fs';
        import * as fsNamespace from 'node:fs';
        import express from 'express';
        import { Service, Base, Derived, Box, Special, Ready, Observable, make, makeOverloaded, Mixed } from './service.js';

        const service = new Service();
        let reassigned = new Service();
        reassigned = new Derived();
        const typed: Base = new Derived();
        const boxed = new Box<string>('x');
        const counts = new Map<string, number>();

        function isSpecial(value: Service): value is Special { return value instanceof Special; }
        class SpecialStore extends Store { readonly special = true; override write(key: string): void { void key; } }

        export class Store {
          private readonly cache = new Map<string, string>();
          private mutable = new Set<string>();
          read(key: string): string | undefined {
            this.mutable.add(key);
            const run = () => this.write(key);
            run();
            return this.cache.get(key);
          }
          write(key: string): void {
            this.cache.set(key, key);
          }
          static create(): Store {
            return new Store();
          }
          check(): void {
            if (this instanceof SpecialStore) this.write('special');
          }
        }

        export function handler(): void {
          fs.readFileSync('a');
          fs.promises.readFile('a');
          fsNamespace.statSync('a');
          express.Router();
          service.count('a');
          service.missing;
          reassigned.count('b');
          let narrowed = new Service();
          narrowed = new Derived();
          narrowed.count('c');
          if (service instanceof Special) service.count('d');
          const guarded = new Service();
          if (isSpecial(guarded)) guarded.count('f');
          const compared = new Service();
          if (compared.constructor === Special) compared.count('g');
          const predicated = new Ready();
          if (predicated.isReady()) predicated.start();
          (service as Special).count('e');
          (fs as unknown as { readFileSync(): void }).readFileSync();
          (fs).existsSync('a');
          typed.describe();
          boxed.value;
          counts.get('a');
          JSON.parse('{}');
          Math.max(1, 2);
          Promise.resolve(1);
          Object.keys({});
          process.env.HOME;
          Store.create().read('a');
          [1, 2].map((n) => n).join(',');
        }

        export class Holder {
          private cache: Map<string, string> = new Map();
          private service: Service;
          constructor(private readonly derived: Derived) { this.service = new Service(); }
          run(): void {
            this.cache.get('a');
            this.service.count('a');
            this.derived.describe();
            this.derived.count('b');
          }
        }

        export function typed(param: Service, derived: Derived, observable: Observable<number>, guard: Service, optional?: Service): void {
          param.count('a');
          derived.describe();
          derived.count('x');
          observable.subscribe();
          observable.pipe().pipe();
          if (guard instanceof Special) guard.count('n');
          optional?.count('o');
          make().count('m');
          makeOverloaded('a').describe();
          makeOverloaded(1).describe();
          new Mixed().describe();
          const mixed: Mixed = new Mixed();
          mixed.describe();
        }
      `,
      'service.ts': `
        export class Service {
          count(kind: string): number { return kind.length; }
          remove = async (id: string): Promise<void> => { void id; };
        }
        export class Base { describe(): string { return 'base'; } }
        export class Derived extends Base { override describe(): string { return 'derived'; } count(kind: string): number { return kind.length + 1; } }
        export class Box<T> { constructor(readonly value: T) {} }
        export class Special extends Service { readonly special = true; override count(kind: string): number { return -kind.length; } }
        export class Ready {
          started = false;
          isReady(): this is StartedReady { return this.started; }
          start(): void { this.started = true; }
        }
        export class StartedReady extends Ready { readonly startedAt = Date.now(); override start(): void { throw new Error('started'); } }
        export class Stream<T> {
          pipe(): Stream<T> { return this; }
          twice(): Stream<T> { return this.pipe().pipe(); }
        }
        export class Observable<T> extends Stream<T> { subscribe(): void { this.twice(); } }
        export function make(): Service { return new Service(); }
        export function makeOverloaded(x: string): Base;
        export function makeOverloaded(x: number): Derived;
        export function makeOverloaded(x: string | number): Base { return typeof x === 'string' ? new Base() : new Derived(); }
        function mixin<T extends new (...args: any[]) => object>(base: T) { return class extends base { mixed = true; }; }
        export class Mixed extends mixin(Base) {}
      `,
    });
    const { checked, wrong } = disagreements(program);
    assert.ok(checked >= 30, `only ${checked} member accesses checked`);
    assert.deepEqual(wrong, []);
  });

  it('agrees with the checker over every fixture app', () => {
    const fixtures = path.join(REPO_ROOT, 'fixtures');
    for (const name of fs.readdirSync(fixtures)) {
      const dir = path.join(fixtures, name);
      if (!fs.statSync(dir).isDirectory()) continue;
      const { wrong } = disagreements(createDefaultProgram(dir));
      assert.deepEqual(wrong, [], `fixture ${name}`);
    }
  });
});
