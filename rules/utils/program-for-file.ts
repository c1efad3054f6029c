/**
 * The TypeScript program a rule analyzes for the file being linted: typescript-eslint's (projectService
 * or project) when the file has type information, else blockcheck's default program for the file's
 * project (plain JavaScript without a tsconfig), built once per project root and rebuilt only when the
 * linted text differs from what the program has.
 */
import * as path from 'node:path';
import ts from 'typescript';
import { createDefaultProgram, projectRootOf } from '../../core/index.js';

interface ParserServicesWithProgram {
  program?: ts.Program | null;
}

const defaultPrograms = new Map<string, ts.Program>();

function withOverride(rootDir: string, fileName: string, text: string, oldProgram: ts.Program | undefined): ts.Program {
  const options = oldProgram?.getCompilerOptions() ?? {};
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const normalized = path.resolve(fileName);
  host.readFile = (name) => (path.resolve(name) === normalized ? text : readFile(name));
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) =>
    path.resolve(name) === normalized ? ts.createSourceFile(name, text, languageVersion, true) : getSourceFile(name, languageVersion, onError, shouldCreate);
  const program = createDefaultProgram(rootDir, undefined, { host, ...(oldProgram ? { oldProgram } : {}) });
  return program;
}

export function programForFile(parserServices: unknown, fileName: string, text: string): { program: ts.Program; sourceFile: ts.SourceFile } | undefined {
  const typed = (parserServices as ParserServicesWithProgram | undefined)?.program;
  const typedFile = typed?.getSourceFile(fileName);
  if (typed && typedFile) return { program: typed, sourceFile: typedFile };

  const rootDir = projectRootOf(fileName);
  let program = defaultPrograms.get(rootDir);
  let sourceFile = program?.getSourceFile(fileName);
  if (!program || !sourceFile || sourceFile.text !== text) {
    program =
      sourceFile || !program ? withOverride(rootDir, fileName, text, program) : createDefaultProgram(rootDir, [...program.getRootFileNames(), fileName]);
    defaultPrograms.set(rootDir, program);
    sourceFile = program.getSourceFile(fileName);
  }
  return sourceFile ? { program, sourceFile } : undefined;
}
