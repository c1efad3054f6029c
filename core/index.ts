/** The analysis core's public surface, used by the rules, the CLI, the language server and the runtime. */
export * from './types.js';
export { analyzeProgram } from './analyze.js';
export { CATALOG } from './catalog.js';
export { formatFindingMessage, messageParts, relativePath, MESSAGE_TEMPLATE, type MessageParts } from './message.js';
export { createDefaultProgram, createGuardedCompilerHost, defaultCompilerOptions, projectRootOf, SOURCE_EXTENSIONS } from './default-program.js';
export { RULES, RULE_NAMES, ruleDefinition, ruleDocsUrl, ruleForCategory, type RuleDefinition } from './rule-table.js';
