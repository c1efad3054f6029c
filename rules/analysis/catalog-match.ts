/**
 * Deciding whether a resolved call is a catalog API: the catalog (plus the user's additions, minus what
 * they ignore) matched against the declaration the checker resolved, including overload-sensitive
 * entries (`randomBytes(n)` blocks, `randomBytes(n, cb)` does not).
 */
import * as ts from 'typescript';
import { CATALOG } from './catalog.js';
import { declarationOrigin, normalizeModuleName, type DeclarationOrigin } from './declarations.js';
import type { ResolvedCallee } from './resolve.js';
import { skipOuterExpressions } from './resolve.js';
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

export class CatalogMatcher {
  private readonly modules = new Set<string>();
  private readonly hasLibEntries: boolean;
  private readonly hasFileEntries: boolean;

  constructor(
    private readonly entries: readonly CatalogEntry[],
    private readonly program: ts.Program,
    /** APIs ignored one by one (`node:fs.existsSync`, or a specifier), even where a pattern entry covers them. */
    private readonly ignoredApis: AnalysisOptions['ignoredApis'] = [],
  ) {
    for (const entry of entries) {
      if (entry.declaration.from === 'package') this.modules.add(normalizeModuleName(entry.declaration.package));
    }
    this.hasLibEntries = entries.some((entry) => entry.declaration.from === 'lib');
    this.hasFileEntries = entries.some((entry) => entry.declaration.from === 'file');
  }

  match(node: ts.CallExpression | ts.NewExpression, resolved: ResolvedCallee): CatalogMatch | undefined {
    const root = this.program.getCurrentDirectory();
    for (const origin of this.originsOf(resolved)) {
      if (!this.mayMatch(origin)) continue;
      for (const entry of this.entries) {
        if (Boolean(entry.constructs) !== resolved.isConstruct) continue;
        if (!specifierMatches(entry.declaration, origin, root)) continue;
        // The first entry that names the API decides: a callback or a non-blocking argument makes this call
        // the API's asynchronous form, which no later, broader entry (`*`) may flag.
        if (entry.onlyWithoutCallback && this.hasCallback(node, resolved)) return undefined;
        if (entry.onlyWhenArgument && !argumentEquals(resolved.args, entry.onlyWhenArgument)) return undefined;
        if (this.isIgnored(origin, root)) return undefined;
        return { entry, apiName: origin.path[origin.path.length - 1] ?? 'default' };
      }
    }
    return undefined;
  }

  private isIgnored(origin: DeclarationOrigin, root: string): boolean {
    const qualified = `${origin.module ?? ''}.${origin.path.join('.')}`;
    return (this.ignoredApis ?? []).some((item) =>
      typeof item === 'string' ? normalizeQualified(item) === qualified : specifierMatches(item, origin, root));
  }

  /** The value's own declaration first (its name), then the signature's, then what the syntax says. */
  private *originsOf(resolved: ResolvedCallee): Generator<DeclarationOrigin> {
    if (resolved.valueDeclaration) yield declarationOrigin(resolved.valueDeclaration, this.program);
    if (resolved.declaration && resolved.declaration !== resolved.valueDeclaration) yield declarationOrigin(resolved.declaration, this.program);
    if (resolved.syntacticOrigin) yield { ...resolved.syntacticOrigin, fileName: '', isLib: false };
  }

  private mayMatch(origin: DeclarationOrigin): boolean {
    if (origin.module !== undefined) return this.modules.has(origin.module);
    return origin.isLib ? this.hasLibEntries : this.hasFileEntries;
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
