/**
 * The public shapes of the analysis core. The core works on a TypeScript `Program` and knows nothing of
 * ESLint; the rules, the CLI and the language server all consume these shapes.
 */
import type * as ts from 'typescript';

import type { RuleName } from './rule-table.js';

export type { RuleName };

export type Category = 'fs' | 'child-process' | 'zlib' | 'crypto' | 'blocking-client' | 'wait' | 'cpu-loop' | 'regex' | 'json';

/** What the call spends its time on: disk/network I/O, CPU, or waiting on another thread or process. */
export type BlockKind = 'io' | 'cpu' | 'wait';

export type Severity = 'error' | 'warning';

/** Where an API is declared, in typescript-eslint's `TypeOrValueSpecifier` form (plus member paths). */
export type DeclarationSpecifier =
  | { from: 'package'; package: string; name: string | readonly string[] }
  | { from: 'lib'; name: string | readonly string[] }
  | { from: 'file'; name: string | readonly string[]; path?: string };

export interface CatalogEntry {
  /** Stable id, e.g. `node:fs.readFileSync`. */
  id: string;
  /**
   * Where it is declared. `name` is an export name, or a member path such as `Dir.readSync`,
   * `Database.prepare`; `*` matches every export of the package, `*Sync` every export ending in Sync.
   */
  declaration: DeclarationSpecifier;
  category: Category;
  kind: BlockKind;
  severity: Severity;
  /** The non-blocking alternative to suggest, e.g. `await fs.promises.readFile(...)`. */
  alternative: string;
  /** Only the overloads without a callback parameter block (crypto.randomBytes, jwt.sign ...). */
  onlyWithoutCallback?: boolean;
  /** Only when argument `index` is the literal `equals` (XMLHttpRequest `open(m, url, false)`). */
  onlyWhenArgument?: { index: number; equals: boolean | string | number };
  /** Calling it as a constructor (`new DatabaseSync()`) blocks too. */
  constructs?: boolean;
}

export type HandlerKind =
  | 'express-route'
  | 'express-middleware'
  | 'koa-middleware'
  | 'koa-router-route'
  | 'fastify-route'
  | 'fastify-hook'
  | 'hapi-route'
  | 'uws-route'
  | 'route'
  | 'middleware'
  | 'http-server'
  | 'net-server'
  | 'ws-listener'
  | 'socketio-listener'
  | 'event-listener'
  | 'timer'
  | 'microtask'
  | 'nest-route'
  | 'nest-message'
  | 'nest-gateway'
  | 'next-route'
  | 'library-middleware'
  | 'async-function';

/** One step of a handler-to-call chain. Lines and columns are 1-based. */
export interface ChainStep {
  fileName: string;
  line: number;
  column: number;
  /** What is called at this step: `renderReport`, then ... `fs.readFileSync` for the last step. */
  name: string;
}

export interface Handler {
  /** Human label used in messages: `GET /report/:id`, `ws message`, `setInterval`, `async render()`. */
  label: string;
  kind: HandlerKind;
  /** HTTP method and route path when the framework gives them (for load generation). */
  method?: string;
  path?: string;
  fileName: string;
  /** Position of the handler function (1-based). */
  line: number;
  column: number;
  /** The function-like node that runs on the event loop. */
  node: ts.SignatureDeclaration;
}

export interface HandlerReach {
  handler: Handler;
  /** From the call in the handler down to the blocking call; the last step is the blocking call. */
  chain: ChainStep[];
}

/** A text edit in one file, as offsets into the file's current text. */
export interface TextChange {
  fileName: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  description: string;
  changes: TextChange[];
}

/** Where something is reported: offsets into the file, and the 1-based lines and columns they fall on. */
export interface SourceRange {
  fileName: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * A blocking call or pattern a handler reaches. Its range runs from the callee name to the end of the call
 * for calls (so an editor underlines the call), the pattern itself for CPU findings.
 */
export interface Finding extends SourceRange {
  rule: RuleName;
  category: Category;
  kind: BlockKind;
  severity: Severity;
  /** The catalog entry id, or the CPU pattern id (`busy-wait`, `unbounded-loop`, ...). */
  patternId: string;
  /** How the call reads in messages: `fs.readFileSync`, `db.prepare(...).all`, `while (Date.now() < t)`. */
  call: string;
  alternative: string;
  /** Handlers that reach it, most specific first (framework routes before plain async functions). */
  reaches: HandlerReach[];
  /** A rewrite to the async alternative, when one is safe (enclosing function async). */
  fix?: Fix;
}

/**
 * Why a call's target cannot be known: a member picked by a key that no literal type or caller names, or a
 * module loaded by a name computed at run time.
 */
export type UnresolvedReason = 'computed-member' | 'dynamic-require';

/**
 * A call a handler reaches whose target the analysis cannot know, so what it runs is neither flagged nor
 * cleared (`audit --strict` lists them; the runtime probe measures them).
 */
export interface UnresolvedCall extends SourceRange {
  reason: UnresolvedReason;
  /** How the call reads: `handlers[...]`, `require(...)`. */
  call: string;
  /** What decides the target, as written (the key or the module name expression); the range is its own. */
  decidedBy: string;
  /** Handlers that reach it, most specific first. */
  reaches: HandlerReach[];
}

/** A user-declared function that registers event-loop handlers (its function arguments become handlers). */
export interface HandlerRegistrar {
  declaration: DeclarationSpecifier;
  /** Label prefix for the handlers it registers, e.g. `job`. */
  label: string;
}

/** Options shared by the rules, the CLI and the language server (the rules' option object). */
export interface AnalysisOptions {
  /** Extra blocking APIs, in the catalog's form (`alternative` is required). */
  additionalApis?: Array<Omit<CatalogEntry, 'id' | 'category' | 'kind' | 'severity'> & Partial<CatalogEntry>>;
  /** Catalog entries to drop, by id (`node:fs.existsSync`) or by specifier. */
  ignoredApis?: Array<string | DeclarationSpecifier>;
  /** Extra handler registrars. */
  handlerRegistrars?: HandlerRegistrar[];
  /** Globs (relative to the project root) of CLI/build scripts: their own code is not an entry point, the servers they start still have handlers. */
  scriptPatterns?: string[];
  /** Treat every named async or callback-style function that is not startup code as an entry point (default true). */
  asyncFunctionsAreHandlers?: boolean;
  /**
   * Follow calls into installed dependencies' JavaScript (node_modules) when a chain needs it; the finding
   * is then reported at the first call in the program's own code, with the rest of the chain (CLI).
   */
  followDependencies?: boolean;
}

export interface ProgramAnalysis {
  readonly program: ts.Program;
  /** Every event-loop entry point found in the program's own source files. */
  readonly handlers: readonly Handler[];
  /** Findings whose reported node is in `fileName` (absolute, as the program names it). */
  findingsInFile(fileName: string): readonly Finding[];
  /** Every finding in the program. */
  allFindings(): readonly Finding[];
  /** Calls in `fileName` that handlers reach and whose target cannot be known (none where a finding is). */
  unresolvedCallsInFile(fileName: string): readonly UnresolvedCall[];
}
