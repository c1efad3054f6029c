/**
 * What `receiver.name` is, read from declarations instead of types, where they alone settle it. Asking the
 * checker types the receiver (for `service.count()`, the inference of `new Service()` across files), which
 * is most of an analysis's checker time. Every answer here is the one the checker gives; every other shape
 * is left to the checker.
 */
import * as path from 'node:path';
import * as ts from 'typescript';

/** Guards against pathological chains (`a.b.c.d...`). */
const MAX_RECEIVER_DEPTH = 8;

export function withoutAlias(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  if (!(symbol.flags & ts.SymbolFlags.Alias)) return symbol;
  try {
    return checker.getAliasedSymbol(symbol);
  } catch {
    return symbol;
  }
}

/**
 * The member a property access names when its receiver is:
 * - a module or namespace (`fs.readFileSync`, `fs.promises.readFile`, `express.Router`): its exports;
 * - a default-library global typed by its own interface (`JSON.parse`, `Math.max`);
 * - a `const` (or `readonly` property) holding `new C()`, or `this` in a method of C, where C is a program
 *   class with no base class and no type parameters, or a default-library global (`new Map()`): C's members.
 *
 * An instance's type can be narrowed where it is used (`if (db instanceof Replica) db.query()`), so an
 * instance is read this way only if its file never narrows that reference: never tests it with
 * `instanceof` or `.constructor`, never passes it to a function (a type predicate or assertion), and its class
 * has no `this is` predicates. Undefined when the declarations do not settle it.
 */
export function memberFromDeclarations(checker: ts.TypeChecker, access: ts.PropertyAccessExpression, depth = 0): ts.Symbol | undefined {
  if (depth > MAX_RECEIVER_DEPTH || ts.isPrivateIdentifier(access.name)) return undefined;
  const receiver = typePreservingInner(access.expression);
  const name = ts.escapeLeadingUnderscores(access.name.text);
  try {
    if (receiver.kind === ts.SyntaxKind.ThisKeyword) {
      const ownClass = classOfThis(receiver);
      const classSymbol = ownClass?.name && checker.getSymbolAtLocation(ownClass.name);
      return classSymbol && isPlainProgramClass(classSymbol) && !isNarrowed(receiver) ? classSymbol.members?.get(name) : undefined;
    }
    let holder: ts.Symbol | undefined;
    if (ts.isIdentifier(receiver)) {
      const symbol = checker.getSymbolAtLocation(receiver);
      holder = symbol && withoutAlias(checker, symbol);
    } else if (ts.isPropertyAccessExpression(receiver)) {
      holder = memberFromDeclarations(checker, receiver, depth + 1);
    }
    if (!holder) return undefined;
    if (holder.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) {
      // A variable merged with a namespace has the variable's type; a function's or class's namespace adds
      // to its statics, so what the namespace does not export may still be a member (`apply`).
      if (holder.flags & ts.SymbolFlags.Variable) return undefined;
      const exported = holder.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)
        ? holder.exports?.get(name)
        : checker.tryGetMemberInModuleExports(access.name.text, holder);
      return exported && withoutAlias(checker, exported);
    }
    const global = libraryGlobalInterface(checker, holder);
    if (global) return global.members?.get(name);
    const instanceOf = constructedClass(checker, holder);
    return instanceOf && !isNarrowed(receiver) ? instanceOf.members?.get(name) : undefined;
  } catch {
    return undefined;
  }
}

/** Parentheses and `!` keep the receiver's type; an `as` or `satisfies` may not. */
function typePreservingInner(expression: ts.Expression): ts.Expression {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isNonNullExpression(inner)) inner = inner.expression;
  return inner;
}

const DEFAULT_LIBRARY_DIRECTORY = path.posix.dirname(ts.getDefaultLibFilePath({}).replaceAll('\\', '/'));

/** A lib.*.d.ts of the TypeScript in use (what `program.isSourceFileDefaultLibrary` answers, without a program). */
function isDefaultLibraryFile(sourceFile: ts.SourceFile): boolean {
  return sourceFile.isDeclarationFile && path.posix.dirname(sourceFile.fileName) === DEFAULT_LIBRARY_DIRECTORY;
}

/** The interface a default-library global is declared with (`declare var JSON: JSON`). */
function libraryGlobalInterface(checker: ts.TypeChecker, global: ts.Symbol): ts.Symbol | undefined {
  const declarations = global.declarations ?? [];
  if (declarations.length === 0 || !declarations.every((declaration) => isDefaultLibraryFile(declaration.getSourceFile()))) return undefined;
  const typed = declarations.find((declaration): declaration is ts.VariableDeclaration => ts.isVariableDeclaration(declaration) && !!declaration.type);
  const typeName = typed?.type && ts.isTypeReferenceNode(typed.type) && ts.isIdentifier(typed.type.typeName) ? typed.type.typeName : undefined;
  return typeName ? plainLibraryInterface(checker.getSymbolAtLocation(typeName)) : undefined;
}

/**
 * A symbol only the default library declares, with an interface of its own that extends nothing and has no
 * `this is` predicates (`Map`, `JSON`): its members are its instances' members.
 */
function plainLibraryInterface(symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  const declarations = symbol?.declarations ?? [];
  const isPlain = declarations.some((declaration) => ts.isInterfaceDeclaration(declaration)) &&
    declarations.every((declaration) => isDefaultLibraryFile(declaration.getSourceFile()) &&
      (!ts.isInterfaceDeclaration(declaration) || !declaration.heritageClauses?.length));
  return isPlain && !hasThisPredicates(symbol!) ? symbol : undefined;
}

/** A class the program declares once, with no base class, no type parameters and no `this is` predicates. */
function isPlainProgramClass(symbol: ts.Symbol): boolean {
  const declaration = symbol.declarations?.length === 1 ? symbol.declarations[0] : undefined;
  return !!declaration && ts.isClassDeclaration(declaration) && !declaration.getSourceFile().isDeclarationFile &&
    !declaration.heritageClauses?.length && !declaration.typeParameters?.length && !hasThisPredicates(symbol);
}

/** The class of `const x = new C()` or `readonly x = new C()` (no annotation): the value's type is C's instances. */
function constructedClass(checker: ts.TypeChecker, holder: ts.Symbol): ts.Symbol | undefined {
  const declaration = holder.declarations?.length === 1 ? holder.declarations[0] : undefined;
  if (!declaration || (!ts.isVariableDeclaration(declaration) && !ts.isPropertyDeclaration(declaration))) return undefined;
  if (declaration.type || !declaration.initializer) return undefined;
  const neverReassigned = ts.isVariableDeclaration(declaration)
    ? (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0
    : ts.getModifiers(declaration)?.some((modifier) => modifier.kind === ts.SyntaxKind.ReadonlyKeyword) === true;
  let initializer = declaration.initializer;
  while (ts.isParenthesizedExpression(initializer)) initializer = initializer.expression;
  if (!neverReassigned || !ts.isNewExpression(initializer) || !ts.isIdentifier(initializer.expression)) return undefined;
  const constructor = checker.getSymbolAtLocation(initializer.expression);
  const classSymbol = constructor && withoutAlias(checker, constructor);
  if (!classSymbol) return undefined;
  return plainLibraryInterface(classSymbol) ?? (isPlainProgramClass(classSymbol) ? classSymbol : undefined);
}

/** The class whose instance `this` is: in a method, accessor, constructor or property initializer. */
function classOfThis(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isArrowFunction(current)) continue; // Arrows see their enclosing `this`.
    if (ts.isFunctionLike(current) || ts.isPropertyDeclaration(current)) {
      const isStatic = ts.getModifiers(current as ts.MethodDeclaration)?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword);
      return !isStatic && ts.isClassDeclaration(current.parent) ? current.parent : undefined;
    }
    if (ts.isClassStaticBlockDeclaration(current) || ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

const thisPredicates = new WeakMap<ts.Symbol, boolean>();

/** Whether a class or interface has a member narrowing its receiver (`isReady(): this is Ready`, `asserts this`). */
function hasThisPredicates(symbol: ts.Symbol): boolean {
  let found = thisPredicates.get(symbol);
  if (found === undefined) {
    found = false;
    symbol.members?.forEach((member) => {
      for (const declaration of member.declarations ?? []) {
        const type = (declaration as { type?: ts.TypeNode }).type;
        if (type && ts.isTypePredicateNode(type) && type.parameterName.kind === ts.SyntaxKind.ThisType) found = true;
      }
    });
    thisPredicates.set(symbol, found);
  }
  return found;
}

/** Whether the file may narrow this reference (by its text: `service`, `this`, `this.cache`). */
function isNarrowed(reference: ts.Expression): boolean {
  const text = referenceText(reference);
  return text === undefined || narrowedReferences(reference.getSourceFile()).has(text);
}

const narrowedByFile = new WeakMap<ts.SourceFile, Set<string>>();

/**
 * The references a file tests with `instanceof` or through `.constructor`, or passes to functions (where
 * a type predicate or assertion may narrow them): what the checker could see with a narrower type.
 */
function narrowedReferences(sourceFile: ts.SourceFile): Set<string> {
  let references = narrowedByFile.get(sourceFile);
  if (!references) {
    const found = new Set<string>();
    const note = (expression: ts.Expression): void => {
      const text = referenceText(typePreservingInner(expression));
      if (text !== undefined) found.add(text);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) note(node.left);
      else if (ts.isPropertyAccessExpression(node) && node.name.text === 'constructor') note(node.expression);
      else if (ts.isCallExpression(node) || ts.isNewExpression(node)) node.arguments?.forEach(note);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    references = found;
    narrowedByFile.set(sourceFile, references);
  }
  return references;
}

/** `service`, `this`, `this.cache`, `app.locals.db`: a reference the checker narrows by its path. */
function referenceText(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (node.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
    const base = referenceText(typePreservingInner(node.expression));
    return base === undefined ? undefined : `${base}.${node.name.text}`;
  }
  return undefined;
}
