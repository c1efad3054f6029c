/**
 * Builds the TypeScript program and the analysis of each workspace folder's project right after startup, one
 * project per event-loop turn so requests still get through between them, reporting `window/workDoneProgress`.
 * The first diagnostics after a warm-up only pay for the edit.
 */
import { performance } from 'node:perf_hooks';
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { analyzeProgram } from '../../core/index.js';
import { oneLine } from './diagnostics-service.js';
import { guarded } from './exit-guard.js';
import { isSourceFile } from '../../core/index.js';
import type { Workspace } from './workspace.js';

export async function warmUp(workspace: Workspace, progress: WorkDoneProgressServerReporter | undefined): Promise<void> {
  const started = performance.now();
  const projects = workspace.projects.rootProjects();
  progress?.begin('blockcheck', 0, `loading ${projects.length} TypeScript project(s)`, false);
  let files = 0;
  for (const [index, project] of projects.entries()) {
    await new Promise((resolve) => setImmediate(resolve));
    progress?.report(Math.round((index / Math.max(1, projects.length)) * 100), `analyzing ${project.id}`);
    try {
      const program = project.program();
      const sources = program.getRootFileNames().filter(isSourceFile);
      files += sources.length;
      const representative = sources[0];
      if (!representative) continue;
      // The options of the project's first file are what nearly every file of the project will use.
      const settings = await workspace.settingsFor(representative);
      if (!settings.enable) continue;
      const rules = await workspace.rules.forFile(representative, workspace.projects.workspaceFolderOf(representative) ?? project.directory, settings);
      await new Promise((resolve) => setImmediate(resolve));
      for (const setting of Object.values(rules)) {
        if (setting) guarded(`analyzing ${project.id}`, () => analyzeProgram(project.program(), setting.options));
      }
    } catch (error) {
      workspace.log.error(`blockcheck: could not load ${project.id}: ${oneLine(error)}`);
    }
    for (const problem of project.configErrors) workspace.log.warn(`blockcheck: ${project.id}: ${problem}`);
  }
  const ms = Math.round(performance.now() - started);
  progress?.done();
  workspace.log.info(`blockcheck: warmed ${projects.length} project(s), ${files} file(s) in ${ms} ms`);
}
