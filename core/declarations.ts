/**
 * Where a declaration lives: the module or package that declares it and its member path inside it.
 * This is what catalog entries and handler registrars are matched against, so that every way of
 * reaching an API (alias, re-export, destructuring, typed method) ends at the same answer.
 */
import { builtinModules } from 'node:module';
import ts from 'typescript';
import { parentOf } from './parent-node.js';

export interface DeclarationOrigin {
  /** `node:fs`, `better-sqlite3`, `@koa/router`; undefined for the program's own files and lib files. */
  module: string | undefined;
  /** Containers then name: `['Dir', 'readSync']`, `['BetterSqlite3', 'Statement', 'all']`. */
  path: readonly string[];
  fileName: string;
  /** Declared in a TypeScript default library file (lib.*.d.ts). */
  isLib: boolean;
}

const builtins = new Set(builtinModules);

/** `fs` → `node:fs`, `fs/promises` → `node:fs/promises`; package names pass through. */
export function normalizeModuleName(name: string): string {
  if (name.startsWith('node:')) return name;
  return builtins.has(name) ? `node:${name}` : name;
}

const packageByFileName = new Map<string, string | undefined>();

/** The package a file belongs to, from its node_modules path (`@types/x` counts as `x`). */
export function packageOfFile(fileName: string): string | undefined {
  if (packageByFileName.has(fileName)) return packageByFileName.get(fileName);
  const name = packageOfPath(fileName);
  packageByFileName.set(fileName, name);
  return name;
}

function packageOfPath(fileName: string): string | undefined {
  const normalized = fileName.replaceAll('\\', '/');
  const index = normalized.lastIndexOf('/node_modules/');
  if (index < 0) return undefined;
  const parts = normalized.slice(index + '/node_modules/'.length).split('/');
  const first = parts[0] ?? '';
  let name = first.startsWith('@') ? `${first}/${parts[1] ?? ''}` : first;
  if (name.startsWith('@types/')) {
    const typed = name.slice('@types/'.length);
    // DefinitelyTyped spells `@scope/pkg` as `scope__pkg`.
    name = typed.includes('__') ? `@${typed.replace('__', '/')}` : typed;
    if (name === 'node') return undefined; // @types/node declares `declare module "fs"` blocks instead.
  }
  return name;
}

function containerName(node: ts.Node): string | undefined {
  if (
    (ts.isClassLike(node) || ts.isInterfaceDeclaration(node) || ts.isModuleDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isEnumDeclaration(node)) &&
    node.name &&
    ts.isIdentifier(node.name)
  ) {
    return node.name.text;
  }
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isPropertyAssignment(node) || ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) {
    return propertyNameText(node.name);
  }
  return undefined;
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName | ts.MemberName): string | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) {
    return name.text;
  }
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function ownName(declaration: ts.Node): string | undefined {
  if (ts.isConstructorDeclaration(declaration) || ts.isConstructSignatureDeclaration(declaration)) return undefined;
  const named = declaration as ts.Node & { name?: ts.PropertyName | ts.BindingName };
  return named.name ? propertyNameText(named.name) : undefined;
}

/**
 * The constructor a JavaScript member assignment declares a member of: `Database` for
 * `Database.prototype.exec = ...` and for the static `Database.open = ...` (a constructor function is
 * JavaScript's class, so its members are paths under its name, as a class's are).
 */
function assignedMemberOwner(declaration: ts.Node): string | undefined {
  const target = ts.isBinaryExpression(declaration) ? declaration.left : declaration;
  if (!ts.isPropertyAccessExpression(target)) return undefined;
  let owner = target.expression;
  if (ts.isPropertyAccessExpression(owner) && owner.name.text === 'prototype') owner = owner.expression;
  return ts.isIdentifier(owner) && /^[A-Z]/.test(owner.text) ? owner.text : undefined;
}

export function declarationOrigin(declaration: ts.Node, program: ts.Program): DeclarationOrigin {
  const path: string[] = [];
  const name = ts.isBinaryExpression(declaration) && ts.isPropertyAccessExpression(declaration.left) ? declaration.left.name.text : ownName(declaration);
  if (name !== undefined) path.push(name);
  const owner = assignedMemberOwner(declaration);
  if (owner !== undefined) path.unshift(owner);
  let module: string | undefined;
  for (let node = parentOf(declaration); node && !ts.isSourceFile(node); node = parentOf(node)) {
    if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      module = normalizeModuleName(node.name.text);
      break;
    }
    if (ts.isModuleBlock(node)) continue;
    const container = containerName(node);
    if (container !== undefined) path.unshift(container);
  }
  const sourceFile = declaration.getSourceFile();
  const isLib = program.isSourceFileDefaultLibrary(sourceFile);
  // Lib files live in node_modules/typescript, but they declare the platform, not a package.
  if (!isLib) module ??= packageOfFile(sourceFile.fileName);
  return { module, path, fileName: sourceFile.fileName, isLib };
}
