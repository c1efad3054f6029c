/**
 * `workspace/executeCommand` handlers. Applying a fix goes through the server (`workspace/applyEdit`) rather
 * than a precomputed edit so the fix is recomputed from the current analysis and refused if the buffer changed.
 */
import { ResponseError, ErrorCodes } from 'vscode-languageserver';
import type { ApplyFixArguments } from './code-actions.js';
import { workspaceEditFor } from './edits.js';
import { Commands } from './protocol.js';
import type { Workspace } from './workspace.js';

export async function executeCommand(workspace: Workspace, command: string, args: unknown[], useDocumentChanges: boolean): Promise<unknown> {
  switch (command) {
    case Commands.applyFix:
      return applyFix(workspace, parseApplyFixArguments(args[0]), useDocumentChanges);
    case Commands.showDocumentation: {
      const url = args[0];
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw invalid(`${command} needs a documentation URL`);
      return workspace.connection.window.showDocument({ uri: url, external: true });
    }
    default:
      throw invalid(`unknown command ${command}`);
  }
}

async function applyFix(workspace: Workspace, args: ApplyFixArguments, useDocumentChanges: boolean): Promise<{ applied: boolean }> {
  return workspace.queue.run(args.uri, async () => {
    const document = workspace.documents.get(args.uri);
    if (!document) throw invalid(`${args.uri} is not open`);
    if (document.version !== args.version) {
      throw new ResponseError(ErrorCodes.InvalidRequest, 'the document changed since the fix was offered; ask for code actions again');
    }
    const analyzed = await workspace.analyze(args.uri);
    const finding = analyzed?.matchesBuffer
      ? analyzed.analysis.findings.find(({ finding }) => finding.patternId === args.patternId && finding.start === args.start && finding.end === args.end)
          ?.finding
      : undefined;
    if (!analyzed || !finding?.fix) {
      throw new ResponseError(ErrorCodes.InvalidRequest, 'blockcheck no longer reports this call; nothing to fix');
    }
    const edit = workspaceEditFor(finding.fix.changes, analyzed.analysis.program, workspace.documents, useDocumentChanges);
    const result = await workspace.connection.workspace.applyEdit({ label: finding.fix.description, edit });
    if (!result.applied)
      workspace.log.warn(`blockcheck: the editor did not apply "${finding.fix.description}"${result.failureReason ? `: ${result.failureReason}` : ''}`);
    return { applied: result.applied };
  });
}

function parseApplyFixArguments(value: unknown): ApplyFixArguments {
  const args = value as Partial<ApplyFixArguments> | undefined;
  if (
    typeof args?.uri !== 'string' ||
    typeof args.version !== 'number' ||
    typeof args.patternId !== 'string' ||
    typeof args.start !== 'number' ||
    typeof args.end !== 'number'
  ) {
    throw invalid(`${Commands.applyFix} needs { uri, version, patternId, start, end }`);
  }
  return args as ApplyFixArguments;
}

function invalid(message: string): ResponseError {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}
