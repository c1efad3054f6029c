/**
 * The worker thread of LargeFileAnalyzer: analyzes one large file per request, with the same projects, analysis
 * and diagnostics as the main thread, and posts the diagnostics back. Its projects live until files change on
 * disk, so edits to a large file re-parse only that file.
 */
import { parentPort } from 'node:worker_threads';
import { useClassicTypeScript } from '../../engine/typescript-runtime.js';
import type { LargeFileRequest, LargeFileResponse } from './large-file-analyzer.js';
import type { ProjectRegistry } from './project-registry.js';
import type { SourceStore } from './sources.js';

// Before anything imports 'typescript', as in the main thread (lsp/server.ts).
useClassicTypeScript();
const [{ SourceStore: Sources }, { ProjectRegistry: Projects }, { analyzeFile }, { fileDiagnostics }] = await Promise.all([
  import('./sources.js'),
  import('./project-registry.js'),
  import('./analysis.js'),
  import('./diagnostics.js'),
]);

let state: { diskGeneration: number; sources: SourceStore; projects: ProjectRegistry } | undefined;

function analyze(request: LargeFileRequest): LargeFileResponse {
  if (state?.diskGeneration !== request.diskGeneration) {
    state?.projects.dispose();
    const sources = new Sources();
    state = { diskGeneration: request.diskGeneration, sources, projects: new Projects(sources) };
  }
  const { sources, projects } = state;
  projects.setWorkspaceFolders(request.workspaceFolders);
  if (request.text === undefined) sources.closeBuffer(request.fileName);
  else sources.setBuffer(request.fileName, request.text);
  const analysis = analyzeFile(projects.projectFor(request.fileName), request.fileName, request.rules);
  const diagnostics = analysis ? fileDiagnostics(analysis, request.cwd, request.strict) : [];
  return { id: request.id, diagnostics };
}

parentPort?.on('message', (request: LargeFileRequest) => {
  let response: LargeFileResponse;
  try {
    response = analyze(request);
  } catch (error) {
    response = { id: request.id, error: (error instanceof Error ? error.message : String(error)).split('\n')[0]! };
  }
  parentPort?.postMessage(response);
});
