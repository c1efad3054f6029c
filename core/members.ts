/**
 * What `receiver.name` is, read from declarations instead of types, where they alone settle it. Asking the
 * checker types the receiver (for `service.count()`, the inference of `new Service()` across files), which
 * is most of an analysis's checker time. Every answer here is the one the checker gives; every other shape
 * is left to the checker.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { syntaxIndex } from './syntax-index.js';
import { parentOf } from './parent-node.js';

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
 * - an instance of a class C: a `const` (or `readonly` property) holding `new C()`, `this` in a method of C,
 *   a parameter, variable or property declared as `C` (`subscriber: Subscriber<T>`), or the result of a
 *   function or method declared to return `C` (`innerFrom(input).subscribe`). C is a program class declared
 *   once, whose base classes (if any) are too, or an interface that extends nothing (`Map`): C's members,
 *   then its base classes'.
 *
 * An instance's type can be narrowed where it is used (`if (db instanceof Replica) db.query()`), so a
 * variable, parameter or property is read this way only if its file never narrows that reference: never
 * tests it with `instanceof` or `.constructor`, never passes it to a function (a type predicate or
 * assertion), and no class on the chain has `this is` predicates. Undefined when the declarations do not
 * settle it.
 */
export function memberFromDeclarations(checker: ts.TypeChecker, access: ts.PropertyAccessExpression, depth = 0): ts.Symbol | undefined {
  if (depth > MAX_RECEIVER_DEPTH || ts.isPrivateIdentifier(access.name)) return undefined;
  const receiver = typePreservingInner(access.expression);
  const name = ts.escapeLeadingUnderscores(access.name.text);
  try {
    if (receiver.kind === ts.SyntaxKind.ThisKeyword) {
      const ownClass = classOfThis(receiver);
      const classSymbol = ownClass?.name && checker.getSymbolAtLocation(ownClass.name);
      const chain = classSymbol ? programClassChain(checker, classSymbol) : undefined;
      return chain && !isNarrowed(receiver) ? memberOfChain(chain, name) : undefined;
    }
    if (ts.isCallExpression(receiver)) {
      const chain = returnedInstanceChain(checker, receiver, depth);
      return chain && memberOfChain(chain, name);
    }
    const holder = namedSymbol(checker, receiver, depth);
    if (!holder) return undefined;
    if (holder.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) {
      // A variable merged with a namespace has the variable's type; a function's or class's namespace adds
      // to its statics, so what the namespace does not export may still be a member (`apply`).
      if (holder.flags & ts.SymbolFlags.Variable) return undefined;
      const exported =
        holder.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)
          ? holder.exports?.get(name)
          : checker.tryGetMemberInModuleExports(access.name.text, holder);
      return exported && withoutAlias(checker, exported);
    }
    const global = libraryGlobalInterface(checker, holder);
    if (global) return global.members?.get(name);
    const chain = constructedClassChain(checker, holder) ?? declaredTypeChain(checker, holder);
    return chain && !isNarrowed(receiver) ? memberOfChain(chain, name) : undefined;
  } catch {
    return undefined;
  }
}

/** What a name (`service`) or a member chain (`this.cache`, `fs.promises`) stands for, aliases followed. */
function namedSymbol(checker: ts.TypeChecker, expression: ts.Expression, depth: number): ts.Symbol | undefined {
  if (ts.isIdentifier(expression)) {
    const symbol = checker.getSymbolAtLocation(expression);
    return symbol && withoutAlias(checker, symbol);
  }
  return ts.isPropertyAccessExpression(expression) ? memberFromDeclarations(checker, expression, depth + 1) : undefined;
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
  const onlyLibrary = declarations.every((declaration) => isDefaultLibraryFile(declaration.getSourceFile()));
  return onlyLibrary && symbol && plainInterface(symbol, true) ? symbol : undefined;
}

/**
 * An interface (all its merged declarations) that extends nothing and has no `this is` predicates; with
 * `valueToo`, the symbol may also be a value (`declare var Map: MapConstructor`), else nothing but the interface.
 */
function plainInterface(symbol: ts.Symbol, valueToo = false): boolean {
  const declarations = symbol.declarations ?? [];
  const interfaces = declarations.filter((declaration): declaration is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(declaration));
  return (
    interfaces.length > 0 &&
    (valueToo || interfaces.length === declarations.length) &&
    interfaces.every((declaration) => !declaration.heritageClauses?.length) &&
    !hasThisPredicates(symbol)
  );
}

/** The first declaration of a member along a class chain (the class, then its bases): what overrides what. */
function memberOfChain(chain: readonly ts.Symbol[], name: ts.__String): ts.Symbol | undefined {
  for (const symbol of chain) {
    const member = symbol.members?.get(name);
    if (member) return member;
  }
  return undefined;
}

/** Guards against pathological class hierarchies. */
const MAX_CLASS_CHAIN = 16;

const classChains = new WeakMap<ts.Symbol, readonly ts.Symbol[] | null>();

/**
 * A program class and its base classes, each declared once in the program's own code (not a declaration
 * file), extending at most a named class (`extends Base<T>`, not a mixin call), with no `this is`
 * predicates; undefined otherwise. Type parameters do not matter: an instantiation's members have the
 * class's declarations.
 */
function programClassChain(checker: ts.TypeChecker, symbol: ts.Symbol): readonly ts.Symbol[] | undefined {
  let chain = classChains.get(symbol);
  if (chain === undefined) {
    chain = classChainFrom(checker, symbol) ?? null;
    classChains.set(symbol, chain);
  }
  return chain ?? undefined;
}

function classChainFrom(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol[] | undefined {
  const chain: ts.Symbol[] = [];
  for (let current: ts.Symbol | undefined = symbol; current;) {
    const declaration = current.declarations?.length === 1 ? current.declarations[0] : undefined;
    if (
      !declaration ||
      !ts.isClassDeclaration(declaration) ||
      declaration.getSourceFile().isDeclarationFile ||
      hasThisPredicates(current) ||
      chain.includes(current) ||
      chain.length >= MAX_CLASS_CHAIN
    ) {
      return undefined;
    }
    chain.push(current);
    const extendsClause = declaration.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
    if (!extendsClause) return chain;
    const base = extendsClause.types.length === 1 ? extendsClause.types[0]!.expression : undefined;
    if (!base || !(ts.isIdentifier(base) || ts.isPropertyAccessExpression(base))) return undefined;
    const baseSymbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(base) ? base.name : base);
    current = baseSymbol && withoutAlias(checker, baseSymbol);
  }
  return undefined;
}

/** The instances' members of a type a declaration names: a program class chain, or an interface that extends nothing. */
function instanceChainOfType(checker: ts.TypeChecker, type: ts.TypeNode | undefined): readonly ts.Symbol[] | undefined {
  if (!type || !ts.isTypeReferenceNode(type)) return undefined;
  const nameNode = ts.isQualifiedName(type.typeName) ? type.typeName.right : type.typeName;
  const referenced = checker.getSymbolAtLocation(nameNode);
  const symbol = referenced && withoutAlias(checker, referenced);
  if (!symbol) return undefined;
  if (symbol.flags & ts.SymbolFlags.Class) return programClassChain(checker, symbol);
  return plainInterface(symbol) ? [symbol] : undefined;
}

/**
 * A parameter, variable or property declared with a class or interface type (`subscriber: Subscriber<T>`),
 * not optional: a reassignment or an `if` cannot change which members a single declared type has, only
 * the narrowing checked by the caller can.
 */
function declaredTypeChain(checker: ts.TypeChecker, holder: ts.Symbol): readonly ts.Symbol[] | undefined {
  const declaration = holder.declarations?.length === 1 ? holder.declarations[0] : undefined;
  if (!declaration || !(ts.isParameter(declaration) || ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration))) return undefined;
  if (!ts.isIdentifier(declaration.name) || (!ts.isVariableDeclaration(declaration) && declaration.questionToken)) return undefined;
  if (ts.isParameter(declaration) && declaration.dotDotDotToken) return undefined;
  return instanceChainOfType(checker, declaration.type);
}

/**
 * What a call returns when every declaration of the function or method called (overloads included) says
 * it returns the same class or interface (`innerFrom(input): Observable<...>`): the inference of the call
 * is then not needed to know its members.
 */
function returnedInstanceChain(checker: ts.TypeChecker, call: ts.CallExpression, depth: number): readonly ts.Symbol[] | undefined {
  const declarations = namedSymbol(checker, typePreservingInner(call.expression), depth)?.declarations ?? [];
  if (declarations.length === 0 || !declarations.every((declaration) => ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration))) {
    return undefined;
  }
  let chain: readonly ts.Symbol[] | undefined;
  for (const declaration of declarations) {
    const returned = instanceChainOfType(checker, declaration.type);
    if (!returned || (chain && chain[0] !== returned[0])) return undefined;
    chain = returned;
  }
  return chain;
}

/** The class of `const x = new C()` or `readonly x = new C()` (no annotation): the value's type is C's instances. */
function constructedClassChain(checker: ts.TypeChecker, holder: ts.Symbol): readonly ts.Symbol[] | undefined {
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
  const libraryInterface = plainLibraryInterface(classSymbol);
  return libraryInterface ? [libraryInterface] : programClassChain(checker, classSymbol);
}

/** The class whose instance `this` is: in a method, accessor, constructor or property initializer. */
function classOfThis(node: ts.Node): ts.ClassDeclaration | undefined {
  for (let current = parentOf(node); current; current = parentOf(current)) {
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
  if (text === undefined) return true;
  const narrowed = narrowedReferences(reference.getSourceFile());
  return narrowed === undefined || narrowed.has(text);
}

const narrowedByFile = new WeakMap<ts.SourceFile, ReadonlySet<string> | undefined>();

/**
 * The references a file tests with `instanceof` or through `.constructor`, or passes to functions (where
 * a type predicate or assertion may narrow them): what the checker could see with a narrower type.
 * Undefined when the file could not be indexed whole.
 */
function narrowedReferences(sourceFile: ts.SourceFile): ReadonlySet<string> | undefined {
  if (narrowedByFile.has(sourceFile)) return narrowedByFile.get(sourceFile);
  const operands = syntaxIndex(sourceFile).narrowingOperands;
  const references = operands && new Set(operands.flatMap((operand) => referenceText(typePreservingInner(operand)) ?? []));
  narrowedByFile.set(sourceFile, references);
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
