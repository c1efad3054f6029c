/** The analysis core's public surface, used by the rules, the CLI, the language server and the runtime. */
export * from './types.js';
export { analyzeProgram } from './analyze.js';
export { CATALOG } from './catalog.js';
export { formatFindingMessage, formatUnresolvedMessage, messageParts, relativePath, MESSAGE_TEMPLATE, type MessageParts } from './message.js';
export { createDefaultProgram, createGuardedCompilerHost, defaultCompilerOptions, projectRootOf } from './default-program.js';
export { implementationFileName } from './implementations.js';
export { isDeclarationFile, isSourceFile, SOURCE_EXTENSIONS, SOURCE_FILES_GLOB } from './source-files.js';
export { recommendedLevel, RULES, RULE_NAMES, ruleDefinition, ruleDocsUrl, ruleForCategory, type RuleDefinition } from './rule-table.js';
