/**
 * The server's view of the user's files: open buffers, the TypeScript projects, settings and rule config per
 * workspace folder. `analyze(uri)` is the one path from a document to its findings, shared by diagnostics,
 * code actions and hover.
 */
import * as path from 'node:path';
import { MessageType, ShowMessageNotification, type Connection, type Diagnostic, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile, type FileAnalysis } from './analysis.js';
import { fileDiagnostics } from './diagnostics.js';
import { guarded } from './exit-guard.js';
import { isSourceFile } from '../../core/index.js';
import type { RuleSettings } from '../../engine/eslint-config.js';
import { nodeTypesWarning } from '../../engine/node-types.js';
import { LargeFileAnalyzer } from './large-file-analyzer.js';
import { fileNameToUri, uriToFileName } from './paths.js';
import type { ProjectRegistry } from './project-registry.js';
import { RuleConfigs } from './rule-config.js';
import { PerDocumentQueue } from './serial-queue.js';
import type { Settings } from './settings.js';
import { SettingsStore } from './settings-store.js';
import type { SourceStore } from './sources.js';

export interface AnalyzedDocument {
  uri: string;
  fileName: string;
  /** The workspace folder (or the file's directory): relative paths in messages start here. */
  cwd: string;
  settings: Settings;
  /** The buffer version the analysis saw, when the file is open. */
  version: number | undefined;
  /** False in on-save mode while the buffer has unsaved edits: positions refer to the saved text. */
  matchesBuffer: boolean;
  analysis: FileAnalysis;
}

export interface WorkspaceOptions {
  /** The client answers `workspace/configuration`. */
  clientAnswersConfiguration: boolean;
  /** The user consented to running the workspace's ESLint config (see InitializationOptions). */
  loadEslintConfig: boolean;
  log: { warn: (message: string) => void; error: (message: string) => void; info: (message: string) => void };
}

/** What an analysis of a document needs, its buffer handed over to the projects. */
interface AnalysisTarget {
  fileName: string;
  cwd: string;
  settings: Settings;
  rules: RuleSettings;
  document: TextDocument | undefined;
}

export class Workspace {
  readonly settings: SettingsStore;
  readonly rules: RuleConfigs;
  /** Serialises the work on each document (diagnostics, hover, code actions, fixes). */
  readonly queue = new PerDocumentQueue();
  readonly largeFiles = new LargeFileAnalyzer();
  /** Programs already checked for Node's types, and the warnings shown (once each). */
  private readonly nodeTypesChecked = new WeakSet<object>();
  private readonly shownWarnings = new Set<string>();
  readonly log: WorkspaceOptions['log'];

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
    readonly sources: SourceStore,
    readonly projects: ProjectRegistry,
    options: WorkspaceOptions,
  ) {
    this.log = options.log;
    this.settings = new SettingsStore(connection, options.clientAnswersConfiguration, options.log.warn);
    this.rules = new RuleConfigs(options.loadEslintConfig, options.log.warn);
  }

  settingsFor(fileName: string): Promise<Settings> {
    const folder = this.projects.workspaceFolderOf(fileName);
    return this.settings.forFolder(folder === undefined ? undefined : fileNameToUri(folder));
  }

  /**
   * Hand the buffer's text to the projects: every edit in on-type mode, only at open and save in on-save mode.
   * Called on each edit and again before every analysis, so an analysis never sees text older than the buffer's.
   */
  async syncDocument(document: TextDocument, reason: 'open' | 'change' | 'save'): Promise<void> {
    const fileName = uriToFileName(document.uri);
    if (!fileName) return;
    const settings = await this.settingsFor(fileName);
    const current = this.documents.get(document.uri);
    if (!current) return; // closed while the settings were read
    if (settings.run === 'onType' || reason !== 'change' || !this.sources.isBuffered(fileName)) {
      this.sources.setBuffer(fileName, current.getText());
    }
  }

  documentClosed(uri: string): void {
    const fileName = uriToFileName(uri);
    if (!fileName) return;
    this.sources.closeBuffer(fileName);
    this.projects.fileClosed(fileName);
  }

  /**
   * The findings to report in a document now (after handing over its latest buffer text), or undefined when
   * blockcheck does not analyze it here: not a source, disabled, or a large file (see `diagnostics`).
   */
  async analyze(uri: string): Promise<AnalyzedDocument | undefined> {
    const target = await this.target(uri);
    return target && this.analyzeHere(uri, target);
  }

  private analyzeHere(uri: string, target: AnalysisTarget): AnalyzedDocument | undefined {
    if (this.sources.isLarge(target.fileName)) return undefined;
    const { fileName, cwd, settings, rules, document } = target;
    const project = this.projects.projectFor(fileName);
    const analysis = guarded(`analyzing ${fileName}`, () => analyzeFile(project, fileName, rules));
    if (!analysis) return undefined;
    this.checkNodeTypes(analysis.program, cwd);
    return {
      uri,
      fileName,
      cwd,
      settings,
      version: document?.version,
      matchesBuffer: document === undefined || analysis.sourceFile.text === document.getText(),
      analysis,
    };
  }

  /** The document's diagnostics now; a large file's come from the worker thread, so no other request waits. */
  async diagnostics(uri: string): Promise<{ diagnostics: Diagnostic[]; settings: Settings } | undefined> {
    const target = await this.target(uri);
    if (!target) return undefined;
    const { fileName, cwd, settings, rules } = target;
    if (this.sources.isLarge(fileName)) {
      // The text the projects see: the buffer's (as of the last save in on-save mode), else the file's on disk.
      const text = this.sources.text(fileName);
      const workspaceFolders = this.projects.workspaceFolders();
      return { diagnostics: await this.largeFiles.diagnostics({ fileName, text, rules, strict: settings.strict, cwd, workspaceFolders }), settings };
    }
    const analyzed = this.analyzeHere(uri, target);
    if (!analyzed) return undefined;
    const { analysis } = analyzed;
    return { diagnostics: fileDiagnostics(analysis, analyzed.cwd, analyzed.settings.strict), settings: analyzed.settings };
  }

  /** Without Node's types many blocking calls go unreported: tell the user, once per problem. */
  private checkNodeTypes(program: FileAnalysis['program'], cwd: string): void {
    if (this.nodeTypesChecked.has(program)) return;
    this.nodeTypesChecked.add(program);
    const warning = nodeTypesWarning(program, program.getRootFileNames(), cwd);
    if (warning === undefined || this.shownWarnings.has(warning)) return;
    this.shownWarnings.add(warning);
    this.log.warn(`blockcheck: ${warning}`);
    // A notification: the request form (showWarningMessage) would wait for the user to pick an action.
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `blockcheck: ${warning}` });
  }

  private async target(uri: string): Promise<AnalysisTarget | undefined> {
    const fileName = uriToFileName(uri);
    if (!fileName || !isSourceFile(fileName)) return undefined;
    const settings = await this.settingsFor(fileName);
    if (!settings.enable) return undefined;
    const folder = this.projects.workspaceFolderOf(fileName);
    const cwd = folder ?? path.dirname(fileName);
    const rules = await this.rules.forFile(fileName, cwd, settings);
    const document = this.documents.get(uri);
    if (document) await this.syncDocument(document, 'change');
    return { fileName, cwd, settings, rules, document };
  }
}
