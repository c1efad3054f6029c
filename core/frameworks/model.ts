/**
 * What a framework model is. Handler detection is a registry of models (`registry.ts`), one module per
 * framework family; each model is data (the packages it knows, their labels) plus small `match` functions
 * that the scanner (`../handlers.ts`) calls on the sites of one file: calls, classes, functions, the file.
 * A model never walks syntax itself: the scanner visits every site once and hands it to the models.
 */
import type * as ts from 'typescript';
import type { FunctionNode } from '../syntax-index.js';
import type { HandlerKind, HandlerRegistrar } from '../types.js';

/** One way a function becomes an entry point: how it is labelled, and which of its parameters carry request data. */
export interface Registration {
  kind: HandlerKind;
  label: string;
  method?: string;
  routePath?: string;
  /** Where the registration is written (the position reported for the handler). */
  site: ts.Node;
  /** Which parameters carry request data (for the CPU rule's request-data checks), given the function. */
  requestParameters: (fn: FunctionNode) => number[];
}

export const noRequestParameters = (): number[] => [];
export const firstParameter = (): number[] => [0];
export const everyParameter = (fn: FunctionNode): number[] => fn.parameters.map((_, index) => index);
/** Express error middleware `(err, req, res, next)` gets the request second. */
export const expressRequestParameter = (fn: FunctionNode): number[] => (fn.parameters.length === 4 ? [1] : [0]);

/** Where the function a call runs is declared (`resolved` false when the callee is untyped). */
export interface DeclaringModule {
  module: string | undefined;
  resolved: boolean;
  /** Declared in a declaration file, as the platform's globals are. */
  ambient: boolean;
}

/** What the scanner offers a model while it scans one file. */
export interface ScanContext {
  readonly checker: ts.TypeChecker;
  readonly program: ts.Program;
  readonly registrars: readonly HandlerRegistrar[];
  /** Registers every function `argument` stands for: inline, by reference, wrapped, bound, in an array. */
  register(argument: ts.Expression | undefined, registration: Registration): void;
  /** Registers one function as an entry point. */
  addRoot(fn: FunctionNode, registration: Registration): void;
  /**
   * Offers one function as an entry point unless some file registers it (it then carries that label) or, for
   * async functions, calls it while loading (startup code).
   */
  addCandidate(fn: FunctionNode, registration: Registration): void;
  declaringModule(call: ts.CallExpression): DeclaringModule;
  /** The router package whose factory made `receiver` (`const app = express()`), read from its declaration. */
  routerFactoryModule(receiver: ts.Expression): string | undefined;
}

/** The callee of a call, as the scanner dispatches it: `name(...)` or `receiver.name(...)`. */
export interface Callee {
  name: string;
  /** Absent for a plain call. */
  receiver: ts.Expression | undefined;
  /** The name node (the reported site of most registrations). */
  nameNode: ts.Identifier | ts.PrivateIdentifier;
}

export interface FrameworkModel {
  /** The family, as the docs and `--debug` name it. */
  readonly name: string;
  /**
   * The callee names this model owns. A call is handed to the one model owning its name (method names
   * for `receiver.name(...)`, function names for `name(...)`); calls no model owns go to the user's
   * handler registrars.
   */
  readonly methods?: ReadonlySet<string>;
  readonly functions?: ReadonlySet<string>;
  /** Router packages whose `get/post/.../use/route` methods register HTTP handlers (read by `routers.ts`). */
  readonly routers?: Readonly<Record<string, RouterFramework>>;
  /** Emitter families by the module declaring their `on` (read by `listeners.ts`). */
  readonly emitters?: Readonly<Record<string, EmitterFamily>>;
  /** Returns false when the call only shares a name with this model's (it then goes to the user's registrars). */
  matchCall?(call: ts.CallExpression, callee: Callee, context: ScanContext): boolean | undefined;
  matchClass?(node: ts.ClassDeclaration, context: ScanContext): void;
  matchFunction?(fn: FunctionNode, context: ScanContext): void;
  matchFile?(sourceFile: ts.SourceFile, context: ScanContext): void;
}

/** How the routes and middleware of one router package are labelled. */
export interface RouterFramework {
  route: HandlerKind;
  middleware: HandlerKind;
}

/** How listeners of one emitter family (the module declaring its `on`) are labelled. */
export interface EmitterFamily {
  prefix: string;
  kind: HandlerKind;
  /** Listener arguments carry data from the network (request data for the CPU rule). */
  carriesRequestData: boolean;
}
