/**
 * Finds the TypeScript project that owns a file: the nearest tsconfig.json/jsconfig.json that lists it (or one
 * of that config's references), else an inferred project for the file's workspace folder. Projects are created
 * lazily and kept until their config changes.
 */
import ts from 'typescript';
import * as path from 'node:path';
import type { SourceStore } from './sources.js';
import { TsProject, inferredOptions, loadConfigFile } from './ts-project.js';
import { toTsPath } from '../../engine/paths.js';
import { isInside } from './paths.js';

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

export class ProjectRegistry {
  private readonly registry: ts.DocumentRegistry = ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames);
  private readonly configured = new Map<string, TsProject>();
  private readonly inferred = new Map<string, TsProject>();
  private readonly owners = new Map<string, TsProject>();
  private folders: string[] = [];

  constructor(private readonly sources: SourceStore) {}

  setWorkspaceFolders(folders: readonly string[]): void {
    // Deepest first, so a nested folder wins over its parent.
    this.folders = [...folders].sort((a, b) => b.length - a.length);
  }

  workspaceFolders(): readonly string[] {
    return this.folders;
  }

  workspaceFolderOf(fileName: string): string | undefined {
    return this.folders.find((folder) => isInside(fileName, folder));
  }

  projectFor(fileName: string): TsProject {
    const known = this.owners.get(fileName);
    if (known) return known;
    const project = this.findConfiguredOwner(fileName) ?? this.inferredProjectFor(fileName);
    this.owners.set(fileName, project);
    return project;
  }

  /** Load the projects of the configs directly in each workspace folder (used to warm up at startup). */
  rootProjects(): TsProject[] {
    const found: TsProject[] = [];
    for (const folder of this.folders) {
      for (const name of CONFIG_NAMES) {
        const configFile = toTsPath(path.join(folder, name));
        if (ts.sys.fileExists(configFile)) found.push(this.configuredProject(configFile));
      }
    }
    return found;
  }

  /** An open file closed: inferred projects only hold open files. */
  fileClosed(fileName: string): void {
    const owner = this.owners.get(fileName);
    if (owner?.kind !== 'inferred') return;
    owner.removeRoot(fileName);
    this.owners.delete(fileName);
    if (owner.rootCount === 0) {
      owner.dispose();
      this.inferred.delete(owner.id);
    }
  }

  /** A config file changed on disk: rebuild its project and re-decide which project owns each file. */
  configChanged(configFile: string): void {
    this.configured.get(configFile)?.reload();
    this.forgetOwners();
  }

  /** Files appeared or vanished: configs with include globs may list different files now. */
  fileSetChanged(): void {
    for (const project of this.configured.values()) project.reload();
    this.forgetOwners();
  }

  /** Ownership is decided again on next use; inferred projects are rebuilt from the files that still need one. */
  private forgetOwners(): void {
    for (const project of this.inferred.values()) project.dispose();
    this.inferred.clear();
    this.owners.clear();
  }

  dispose(): void {
    for (const project of [...this.configured.values(), ...this.inferred.values()]) project.dispose();
    this.configured.clear();
    this.inferred.clear();
    this.owners.clear();
  }

  private findConfiguredOwner(fileName: string): TsProject | undefined {
    let dir = path.dirname(fileName);
    for (;;) {
      for (const name of CONFIG_NAMES) {
        const configFile = toTsPath(path.join(dir, name));
        if (!ts.sys.fileExists(configFile)) continue;
        const owner = this.searchConfig(configFile, fileName, new Set());
        if (owner) return owner;
      }
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }

  /** The config itself, or (for solution-style configs) one of the projects it references. */
  private searchConfig(configFile: string, fileName: string, seen: Set<string>): TsProject | undefined {
    if (seen.has(configFile)) return undefined;
    seen.add(configFile);
    const project = this.configuredProject(configFile);
    if (project.includes(fileName)) return project;
    for (const reference of project.references) {
      const referenced = ts.resolveProjectReferencePath(reference);
      const owner = ts.sys.fileExists(referenced) ? this.searchConfig(toTsPath(referenced), fileName, seen) : undefined;
      if (owner) return owner;
    }
    return undefined;
  }

  private configuredProject(configFile: string): TsProject {
    let project = this.configured.get(configFile);
    if (!project) {
      project = new TsProject(configFile, 'configured', () => loadConfigFile(configFile), this.sources, this.registry);
      this.configured.set(configFile, project);
    }
    return project;
  }

  private inferredProjectFor(fileName: string): TsProject {
    const root = this.workspaceFolderOf(fileName) ?? path.dirname(fileName);
    let project = this.inferred.get(root);
    if (!project) {
      const load = () => ({ options: inferredOptions(), fileNames: [], errors: [] });
      project = new TsProject(root, 'inferred', load, this.sources, this.registry);
      this.inferred.set(root, project);
    }
    project.addRoot(fileName);
    return project;
  }
}
