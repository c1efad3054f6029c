/**
 * typescript-eslint's parser, with one difference: a file that no tsconfig includes (most JavaScript,
 * config files, a stray script) is parsed without type information instead of failing with "was not
 * found by the project service". blockcheck's rules then analyze it in their default program.
 */
import * as tsParser from '@typescript-eslint/parser';

type ParserOptions = Parameters<typeof tsParser.parseForESLint>[1];

function isOutsideAnyProject(error: unknown): boolean {
  return error instanceof Error && /was not found by the project service|none of those TSConfigs include this file/.test(error.message);
}

export const meta = { name: 'blockcheck/parser', version: tsParser.version };

export function parseForESLint(code: string, options?: ParserOptions): ReturnType<typeof tsParser.parseForESLint> {
  try {
    return tsParser.parseForESLint(code, options);
  } catch (error) {
    if (!isOutsideAnyProject(error) || !options) throw error;
    const { projectService: _projectService, project: _project, ...untyped } = options;
    return tsParser.parseForESLint(code, untyped);
  }
}
