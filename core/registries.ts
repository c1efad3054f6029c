/**
 * Values shared through a string-keyed registry: `app.set('view', View)` at start-up and
 * `const View = this.get('view')` per request (Express settings, `app.set('db', db)` / `req.app.get('db')`).
 * The checker types the read as `any`; the values stored under the same literal key anywhere in the same
 * package say what it can be.
 */
import ts from 'typescript';
import { packageOfFile } from './declarations.js';
import { skipOuterExpressions } from './resolve.js';

const indexes = new WeakMap<ts.Program, Map<string | undefined, Map<string, ts.Expression[]>>>();

/** `x.get('key')` (one string-literal argument): the key, else undefined. */
export function registryReadKey(expression: ts.Expression): string | undefined {
  const node = skipOuterExpressions(expression);
  if (!ts.isCallExpression(node) || node.arguments.length !== 1) return undefined;
  const callee = skipOuterExpressions(node.expression);
  const key = node.arguments[0]!;
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'get' && ts.isStringLiteralLike(key) ? key.text : undefined;
}

/** The values `x.set(key, value)` stores under a key in the files of the package `from` belongs to. */
export function registryValues(key: string, from: ts.Node, program: ts.Program): readonly ts.Expression[] {
  let byPackage = indexes.get(program);
  if (!byPackage) {
    byPackage = new Map();
    indexes.set(program, byPackage);
  }
  const packageName = packageOfFile(from.getSourceFile().fileName);
  let stored = byPackage.get(packageName);
  if (!stored) {
    stored = storedValues(program, packageName);
    byPackage.set(packageName, stored);
  }
  return stored.get(key) ?? [];
}

function storedValues(program: ts.Program, packageName: string | undefined): Map<string, ts.Expression[]> {
  const stored = new Map<string, ts.Expression[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length === 2) {
      const callee = skipOuterExpressions(node.expression);
      const [key, value] = node.arguments as unknown as [ts.Expression, ts.Expression];
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'set' && ts.isStringLiteralLike(key)) {
        stored.set(key.text, [...(stored.get(key.text) ?? []), value]);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const sourceFile of program.getSourceFiles()) {
    if (!sourceFile.isDeclarationFile && packageOfFile(sourceFile.fileName) === packageName) visit(sourceFile);
  }
  return stored;
}
