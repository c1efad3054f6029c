/**
 * One TypeScript project (a tsconfig/jsconfig, or an inferred project for files outside any config) served by
 * its own incremental LanguageService. Parsed files live in a DocumentRegistry shared by all projects, keyed by
 * the SourceStore's per-file versions, so an edit re-parses only the edited file. Module resolutions and
 * package.json lookups are cached across programs, as tsserver does: without a cache of its own, each new
 * program asks every file's package.json scope again (its module format), which costs an edit more than
 * re-parsing the edited file. The cache lives as long as the layout (files created or deleted, package.json
 * changes); a new layout makes every file resolve its imports again.
 */
import ts from 'typescript';
import { isBuiltin } from 'node:module';
import * as path from 'node:path';
import type { SourceStore } from './sources.js';
import { toTsPath } from '../../engine/paths.js';

export interface ProjectConfig {
  options: ts.CompilerOptions;
  fileNames: string[];
  projectReferences?: readonly ts.ProjectReference[];
  /** One-line reasons the config is partly unusable (shown to the user, never thrown). */
  errors: string[];
}

export class TsProject {
  private config: ProjectConfig;
  private configGeneration = 0;
  private readonly rootFiles: Set<string>;
  private readonly service: ts.LanguageService;
  private resolutionCache: { key: string; cache: ts.ModuleResolutionCache } | undefined;
  /** The layout key the current program resolved its imports under. */
  private programLayoutKey: string | undefined;

  constructor(
    /** The config file, or the folder of an inferred project. */
    readonly id: string,
    readonly kind: 'configured' | 'inferred',
    private readonly loadConfig: () => ProjectConfig,
    private readonly sources: SourceStore,
    registry: ts.DocumentRegistry,
  ) {
    this.config = loadConfig();
    this.rootFiles = new Set(this.config.fileNames.map(toTsPath));
    this.service = ts.createLanguageService(this.createHost(), registry);
  }

  get directory(): string {
    return this.kind === 'configured' ? path.dirname(this.id) : this.id;
  }

  get references(): readonly ts.ProjectReference[] {
    return this.config.projectReferences ?? [];
  }

  get configErrors(): readonly string[] {
    return this.config.errors;
  }

  /** Whether the config lists the file as one of its roots. */
  includes(fileName: string): boolean {
    return this.rootFiles.has(fileName);
  }

  /** Inferred projects are made of the open files nobody else claims. */
  addRoot(fileName: string): void {
    if (this.rootFiles.has(fileName)) return;
    this.rootFiles.add(fileName);
    this.configGeneration++;
  }

  removeRoot(fileName: string): void {
    if (this.rootFiles.delete(fileName)) this.configGeneration++;
  }

  get rootCount(): number {
    return this.rootFiles.size;
  }

  /** Re-read the config: it changed, or files matching its globs appeared or vanished. */
  reload(): void {
    const kept = this.kind === 'inferred' ? [...this.rootFiles] : [];
    this.config = this.loadConfig();
    this.rootFiles.clear();
    for (const fileName of [...this.config.fileNames.map(toTsPath), ...kept]) this.rootFiles.add(fileName);
    this.configGeneration++;
  }

  /** The program for the current text of every file; the same object as last time when nothing changed. */
  program(): ts.Program {
    const layoutKey = this.layoutKey();
    const program = this.service.getProgram();
    if (!program) throw new Error(`TypeScript could not build a program for ${this.id}`);
    this.programLayoutKey = layoutKey;
    return program;
  }

  dispose(): void {
    this.service.dispose();
  }

  private layoutKey(): string {
    return `${this.sources.layoutGeneration}:${this.configGeneration}`;
  }

  /** The cache of the current layout and config: a file created or deleted, or a new config, starts a new one. */
  private moduleResolutionCache(): ts.ModuleResolutionCache {
    const key = this.layoutKey();
    if (this.resolutionCache?.key !== key) {
      const getCanonicalFileName = ts.sys.useCaseSensitiveFileNames ? (name: string) => name : (name: string) => name.toLowerCase();
      this.resolutionCache = { key, cache: ts.createModuleResolutionCache(this.directory, getCanonicalFileName, this.config.options) };
    }
    return this.resolutionCache.cache;
  }

  private createHost(): ts.LanguageServiceHost {
    const sources = this.sources;
    // The LanguageService also reads two members that only CompilerHost declares: `getModuleResolutionCache`
    // (handed on to createProgram, which reads package.json scopes through it) and `hasInvalidatedResolutions`.
    const host: ts.LanguageServiceHost & Pick<ts.CompilerHost, 'getModuleResolutionCache' | 'hasInvalidatedResolutions'> = {
      getProjectVersion: () => `${sources.projectGeneration}:${sources.layoutGeneration}:${this.configGeneration}`,
      getCompilationSettings: () => this.config.options,
      getProjectReferences: () => this.config.projectReferences,
      getScriptFileNames: () => [...this.rootFiles],
      getScriptVersion: (fileName) => sources.version(toTsPath(fileName)),
      getScriptSnapshot: (fileName) => sources.snapshot(toTsPath(fileName)),
      getCurrentDirectory: () => this.directory,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
      fileExists: (fileName) => sources.fileExists(toTsPath(fileName)),
      readFile: (fileName) => sources.text(toTsPath(fileName)),
      readDirectory: (...args) => ts.sys.readDirectory(...args),
      directoryExists: (dir) => ts.sys.directoryExists(dir),
      getDirectories: (dir) => ts.sys.getDirectories(dir),
      realpath: ts.sys.realpath?.bind(ts.sys),
      getModuleResolutionCache: () => this.moduleResolutionCache(),
      resolveModuleNameLiterals: (literals, containingFile, redirectedReference, options, containingSourceFile) => {
        const cache = this.moduleResolutionCache();
        const modeOptions = redirectedReference?.commandLine.options ?? options;
        return literals.map((literal) => {
          const mode = ts.getModeForUsageLocation(containingSourceFile, literal, modeOptions);
          const cached = ts.resolveModuleName(literal.text, containingFile, options, host, cache, redirectedReference, mode);
          // An edited file asks again, without the cache, about what it failed to resolve, as each program
          // did before there was a cache: an install into node_modules reaches no watcher. Not about Node's
          // core modules: they never resolve to a file (@types/node declares them), and every file imports some.
          return cached.resolvedModule || isBuiltin(literal.text)
            ? cached
            : ts.resolveModuleName(literal.text, containingFile, options, host, undefined, redirectedReference, mode);
        });
      },
      // After a layout change, unchanged files resolve their imports again (through the new cache): the
      // program is otherwise kept, or rebuilt with their old resolutions.
      hasInvalidatedResolutions: () => this.programLayoutKey !== undefined && this.programLayoutKey !== this.layoutKey(),
    };
    return host;
  }
}

/** Parse a tsconfig/jsconfig the way tsc does; a broken config still yields a project (with errors to show). */
export function loadConfigFile(configFile: string): ProjectConfig {
  const errors: string[] = [];
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => errors.push(flatten(diagnostic)),
  };
  const isJsConfig = path.basename(configFile) === 'jsconfig.json';
  const existing = isJsConfig ? { allowJs: true, maxNodeModuleJsDepth: 2 } : undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, existing, host);
  if (!parsed) return { options: inferredOptions(), fileNames: [], errors };
  for (const diagnostic of parsed.errors) {
    // "No inputs were found" is normal for a config whose sources are all outside it (solution configs).
    if (diagnostic.code !== 18003) errors.push(flatten(diagnostic));
  }
  return {
    options: { ...parsed.options, noEmit: true },
    fileNames: parsed.fileNames,
    ...(parsed.projectReferences ? { projectReferences: parsed.projectReferences } : {}),
    errors,
  };
}

/** Options for files outside any config: a modern Node project with JS allowed and Node's types. */
export function inferredOptions(): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowJs: true,
    checkJs: false,
    types: ['node'],
    noEmit: true,
    skipLibCheck: true,
  };
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
}
