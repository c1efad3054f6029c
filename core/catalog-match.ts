/**
 * Deciding whether a resolved call is a catalog API: the catalog (plus the user's additions, minus what
 * they ignore) matched against the declaration the checker resolved, including overload-sensitive
 * entries (`randomBytes(n)` blocks, `randomBytes(n, cb)` does not).
 */
import * as childProcess from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import ts from 'typescript';
import { CATALOG } from './catalog.js';
import { declarationOrigin, normalizeModuleName, type DeclarationOrigin } from './declarations.js';
import { computedKeyNames } from './computed-keys.js';
import type { ResolvedCallee } from './resolve.js';
import { originFromSyntax, skipOuterExpressions } from './resolve.js';
import { specifierMatches } from './specifiers.js';
import { isFunctionExpressionLike } from './syntax-index.js';
import type { AnalysisOptions, CatalogEntry, DeclarationSpecifier } from './types.js';

export interface CatalogMatch {
  entry: CatalogEntry;
  /** The API's own name (`readFileSync`), whatever the local alias. */
  apiName: string;
}

function sameSpecifier(a: DeclarationSpecifier, b: DeclarationSpecifier): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The effective catalog: the user's additions first (they win), minus the entries ignored whole. */
export function effectiveCatalog(options: AnalysisOptions): CatalogEntry[] {
  const ignored = options.ignoredApis ?? [];
  const isIgnored = (entry: CatalogEntry): boolean =>
    ignored.some((item) => (typeof item === 'string' ? item === entry.id : sameSpecifier(item, entry.declaration)));
  const additions: CatalogEntry[] = (options.additionalApis ?? []).map((addition, index) => ({
    id: addition.id ?? `user.${index}`,
    category: addition.category ?? 'blocking-client',
    kind: addition.kind ?? 'io',
    severity: addition.severity ?? 'error',
    ...addition,
  }));
  return [...additions, ...CATALOG].filter((entry) => !isIgnored(entry));
}

/** Which entries could match an origin: those of its module, of the default library, or of the program's own files. */
function bucketOf(declaration: DeclarationSpecifier | DeclarationOrigin): string {
  if ('from' in declaration) {
    return declaration.from === 'package' ? normalizeModuleName(declaration.package) : declaration.from === 'lib' ? '\0lib' : '\0file';
  }
  return declaration.module ?? (declaration.isLib ? '\0lib' : '\0file');
}

/**
 * The synchronous exports of Node's blocking core modules, by name, read from the running Node. A method of
 * one of these names on an object nobody typed (memfs or the real fs behind webpack's `outputFileSystem`,
 * graceful-fs, an fs passed in as an option) is taken for that module's API: the names are Node's own.
 */
export const CORE_SYNC_EXPORTS: ReadonlyMap<string, string> = new Map(
  (
    [
      ['node:fs', fs],
      ['node:child_process', childProcess],
      ['node:zlib', zlib],
      ['node:crypto', crypto],
    ] as const
  ).flatMap(([module, exports]) =>
    Object.keys(exports)
      .filter((name) => name.endsWith('Sync'))
      .map((name) => [name, module] as const),
  ),
);

/** `x.readFileSync(...)` where nothing about `x` is known: the method's name. */
function untypedSyncMethod(resolved: ResolvedCallee): string | undefined {
  const callee = skipOuterExpressions(resolved.callee);
  return ts.isPropertyAccessExpression(callee) && CORE_SYNC_EXPORTS.has(callee.name.text) ? callee.name.text : undefined;
}

export class CatalogMatcher {
  /** The entries by bucket, each in catalog order: the first entry that names an API decides. */
  private readonly entriesByBucket = new Map<string, CatalogEntry[]>();
  /** Declarations' origins, asked for again by every call that resolves to the same function. */
  private readonly origins = new Map<ts.Node, DeclarationOrigin>();

  constructor(
    entries: readonly CatalogEntry[],
    private readonly program: ts.Program,
    /** APIs ignored one by one (`node:fs.existsSync`, or a specifier), even where a pattern entry covers them. */
    private readonly ignoredApis: AnalysisOptions['ignoredApis'] = [],
  ) {
    for (const entry of entries) {
      const bucket = bucketOf(entry.declaration);
      const list = this.entriesByBucket.get(bucket);
      if (list) list.push(entry);
      else this.entriesByBucket.set(bucket, [entry]);
    }
  }

  /** The value's own declaration first (its name), then the signature's, then what the syntax says. */
  match(node: ts.CallExpression | ts.NewExpression, resolved: ResolvedCallee): CatalogMatch | undefined {
    const { valueDeclaration, declaration, syntacticOrigin } = resolved;
    if (valueDeclaration) {
      const decided = this.matchOrigin(node, resolved, this.originOf(valueDeclaration));
      if (decided) return decided.match;
    }
    if (declaration && declaration !== valueDeclaration) {
      const decided = this.matchOrigin(node, resolved, this.originOf(declaration));
      if (decided) return decided.match;
    }
    if (syntacticOrigin) {
      const decided = this.matchOrigin(node, resolved, { ...syntacticOrigin, fileName: '', isLib: false });
      if (decided) return decided.match;
    }
    // Nothing declares the callee (an object nobody typed, or a package that is not installed): Node's own
    // sync names still say what it is (`hexo-fs`, `graceful-fs` and memfs mirror node:fs).
    const syncName = !valueDeclaration && !declaration ? untypedSyncMethod(resolved) : undefined;
    if (syncName) return this.matchOrigin(node, resolved, { module: CORE_SYNC_EXPORTS.get(syncName)!, path: [syncName], fileName: '', isLib: false })?.match;
    return this.matchComputedMember(node, resolved);
  }

  /** `zlib[method](data)`: the receiver's module with each name the key can hold; the first API named decides. */
  private matchComputedMember(node: ts.CallExpression | ts.NewExpression, resolved: ResolvedCallee): CatalogMatch | undefined {
    const callee = skipOuterExpressions(resolved.callee);
    if (!ts.isElementAccessExpression(callee) || ts.isStringLiteralLike(callee.argumentExpression)) return undefined;
    const checker = this.program.getTypeChecker();
    const names = computedKeyNames(callee.argumentExpression, checker);
    if (names.length === 0) return undefined;
    const receiver = originFromSyntax(callee.expression, checker, 0);
    for (const name of names) {
      const module = receiver?.module ?? CORE_SYNC_EXPORTS.get(name);
      if (module === undefined) continue;
      const path = receiver ? [...receiver.path, name] : [name];
      const decided = this.matchOrigin(node, resolved, { module, path, fileName: '', isLib: false });
      if (decided?.match) return decided.match;
    }
    return undefined;
  }

  /** Undefined when no entry names the API; else the decision (a match, or none for its asynchronous form). */
  private matchOrigin(
    node: ts.CallExpression | ts.NewExpression,
    resolved: ResolvedCallee,
    origin: DeclarationOrigin,
  ): { match: CatalogMatch | undefined } | undefined {
    const entries = this.entriesByBucket.get(bucketOf(origin));
    if (!entries) return undefined;
    const root = this.program.getCurrentDirectory();
    for (const entry of entries) {
      if (Boolean(entry.constructs) !== resolved.isConstruct) continue;
      if (!specifierMatches(entry.declaration, origin, root)) continue;
      // The first entry that names the API decides: a callback or a non-blocking argument makes this call
      // the API's asynchronous form, which no later, broader entry (`*`) may flag.
      if (entry.onlyWithoutCallback && this.hasCallback(node, resolved)) return { match: undefined };
      if (entry.onlyWhenArgument && !argumentEquals(resolved.args, entry.onlyWhenArgument)) return { match: undefined };
      if (this.isIgnored(origin, root)) return { match: undefined };
      return { match: { entry, apiName: origin.path[origin.path.length - 1] ?? 'default' } };
    }
    return undefined;
  }

  private originOf(declaration: ts.Node): DeclarationOrigin {
    let origin = this.origins.get(declaration);
    if (!origin) {
      origin = declarationOrigin(declaration, this.program);
      this.origins.set(declaration, origin);
    }
    return origin;
  }

  private isIgnored(origin: DeclarationOrigin, root: string): boolean {
    const qualified = `${origin.module ?? ''}.${origin.path.join('.')}`;
    return (this.ignoredApis ?? []).some((item) => (typeof item === 'string' ? normalizeQualified(item) === qualified : specifierMatches(item, origin, root)));
  }

  /** Whether the call passes a callback: the resolved overload's last parameter is a function. */
  private hasCallback(node: ts.CallExpression | ts.NewExpression, resolved: ResolvedCallee): boolean {
    const signature = resolved.resolveSignature();
    if (signature?.declaration) {
      const last = signature.parameters[signature.parameters.length - 1];
      if (!last) return false;
      const checker = this.program.getTypeChecker();
      const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(last, node));
      const members = type.isUnion() ? type.types : [type];
      return members.some((member) => member.getCallSignatures().length > 0);
    }
    const args = resolved.args;
    const lastArgument = args?.[args.length - 1];
    return !!lastArgument && isFunctionExpressionLike(skipOuterExpressions(lastArgument));
  }
}

function argumentEquals(args: readonly ts.Expression[] | undefined, condition: { index: number; equals: boolean | string | number }): boolean {
  const argument = args?.[condition.index];
  if (!argument) return false;
  const value = skipOuterExpressions(argument);
  switch (typeof condition.equals) {
    case 'boolean':
      return value.kind === (condition.equals ? ts.SyntaxKind.TrueKeyword : ts.SyntaxKind.FalseKeyword);
    case 'string':
      return ts.isStringLiteralLike(value) && value.text === condition.equals;
    case 'number':
      return ts.isNumericLiteral(value) && Number(value.text) === condition.equals;
  }
}

/** `fs.existsSync` → `node:fs.existsSync`, so ids may name Node core modules either way. */
function normalizeQualified(id: string): string {
  const dot = id.indexOf('.', id.startsWith('@') ? id.indexOf('/') : 0);
  return dot < 0 ? id : `${normalizeModuleName(id.slice(0, dot))}${id.slice(dot)}`;
}
