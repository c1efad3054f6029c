export * from './types.js';
export { analyzeProgram, isOwnSourceFile } from './analyze.js';
export { CATALOG } from './catalog.js';
export { ruleForCategory } from './rule-of.js';
export { formatFindingMessage, messageParts, relativePath, MESSAGE_TEMPLATE, type MessageParts } from './message.js';
export {
  createDefaultProgram, createGuardedCompilerHost, defaultCompilerOptions, projectRootOf, sourceFilesUnder, SOURCE_EXTENSIONS,
} from './default-program.js';
export { DEFAULT_SCRIPT_PATTERNS } from './file-roles.js';
