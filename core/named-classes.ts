/**
 * Untyped JavaScript often hands an object into a constructor or function under the name of the class that
 * made it (`new Portal(endpoints)` keeps `this.endpoints`; `endpoint = this.db[id]`), and nothing types the
 * receiver after that. Such a receiver is taken for an instance of the package's class of the same name
 * (case aside, leading underscores dropped) when that class alone declares the method.
 */
import ts from 'typescript';
import { packageOfFile } from './declarations.js';
import { skipOuterExpressions } from './resolve.js';

type ClassesByName = Map<string, ts.ClassLikeDeclaration[]>;

/** Per program, per package (undefined for the program's own files): its top-level classes by lowercased name. */
const classIndexes = new WeakMap<ts.Program, Map<string | undefined, ClassesByName>>();

export function methodOfClassNamedLikeReceiver(callee: ts.Expression, program: ts.Program): ts.MethodDeclaration | undefined {
  const inner = skipOuterExpressions(callee);
  if (!ts.isPropertyAccessExpression(inner)) return undefined;
  const receiverName = nameOf(skipOuterExpressions(inner.expression));
  if (receiverName === undefined) return undefined;
  const classes = classesOf(program, packageOfFile(inner.getSourceFile().fileName)).get(receiverName) ?? [];
  const methods = classes.flatMap((declaration) =>
    declaration.members.filter(
      (member): member is ts.MethodDeclaration =>
        ts.isMethodDeclaration(member) && !!member.body && ts.isIdentifier(member.name) && member.name.text === inner.name.text,
    ),
  );
  return methods.length === 1 ? methods[0] : undefined;
}

/** `endpoints`, `this.Endpoints`, `this._store`: the name a receiver goes by. */
function nameOf(receiver: ts.Expression): string | undefined {
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  return name?.replace(/^_+/, '').toLowerCase() || undefined;
}

function classesOf(program: ts.Program, packageName: string | undefined): ClassesByName {
  let byPackage = classIndexes.get(program);
  if (!byPackage) {
    byPackage = new Map();
    classIndexes.set(program, byPackage);
  }
  let classes = byPackage.get(packageName);
  if (!classes) {
    classes = new Map();
    for (const sourceFile of program.getSourceFiles()) {
      if (sourceFile.isDeclarationFile || packageOfFile(sourceFile.fileName) !== packageName) continue;
      for (const [name, declaration] of topLevelClasses(sourceFile)) {
        const key = name.toLowerCase();
        classes.set(key, [...(classes.get(key) ?? []), declaration]);
      }
    }
    byPackage.set(packageName, classes);
  }
  return classes;
}

/** `class X {}`, `const X = class {}` and `module.exports = class X {}` at a file's top level, by name. */
function topLevelClasses(sourceFile: ts.SourceFile): [string, ts.ClassLikeDeclaration][] {
  const classes: [string, ts.ClassLikeDeclaration][] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isClassDeclaration(statement) && statement.name) classes.push([statement.name.text, statement]);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const initializer = declaration.initializer && skipOuterExpressions(declaration.initializer);
        if (initializer && ts.isClassExpression(initializer) && ts.isIdentifier(declaration.name)) classes.push([declaration.name.text, initializer]);
      }
    }
    if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      const value = skipOuterExpressions(statement.expression.right);
      if (ts.isClassExpression(value) && value.name) classes.push([value.name.text, value]);
    }
  }
  return classes;
}
