/**
 * The one table of blockcheck's rules. The ESLint plugin's rule list and recommended config, the CLI's and
 * the language server's rule settings, SARIF's rule descriptors and the runtime's category → rule map are
 * all derived from it, so adding a rule is adding a row here (and its file, doc and tests).
 */
import type { Category } from './types.js';

export interface RuleDefinition {
  /** The rule's name without the `blockcheck/` prefix. */
  readonly name: string;
  /** One line, shown by ESLint, the rules table of the README and SARIF. */
  readonly description: string;
  /** The finding categories this rule reports; every category belongs to exactly one rule. */
  readonly categories: readonly Category[];
  /** Its findings can carry a rewrite to the async alternative (an editor suggestion). */
  readonly suggestsFixes: boolean;
  /** Its severity in `configs.recommended` (and in the CLI and editor when no config mentions blockcheck). */
  readonly recommended: 'error' | 'warning';
}

export const RULES = [
  {
    name: 'no-sync-io',
    description: 'Disallow synchronous Node core fs, child_process, zlib and crypto calls that run inside event-loop handlers',
    categories: ['fs', 'child-process', 'zlib', 'crypto'],
    suggestsFixes: true,
    recommended: 'error',
  },
  {
    name: 'no-blocking-client',
    description:
      'Disallow blocking third-party and platform clients (sqlite drivers, sync HTTP, deasync, bcrypt and jwt sync forms ...) inside event-loop handlers',
    categories: ['blocking-client', 'wait'],
    suggestsFixes: false,
    recommended: 'error',
  },
  {
    name: 'no-cpu-loop',
    description: 'Disallow CPU-bound work on the event loop: busy waits, loops with no exit, nested loops and super-linear regexes over request data',
    categories: ['cpu-loop', 'regex', 'json'],
    suggestsFixes: false,
    recommended: 'error',
  },
] as const satisfies readonly RuleDefinition[];

export type RuleName = (typeof RULES)[number]['name'];

export const RULE_NAMES: readonly RuleName[] = RULES.map((rule) => rule.name);

/** Where each rule's doc is published (the `rules/docs/<rule>.md` of this repository). */
export const RULE_DOCS_BASE_URL = 'https://github.com/blockcheck/blockcheck/blob/main/rules/docs/';

export function ruleDocsUrl(name: RuleName): string {
  return `${RULE_DOCS_BASE_URL}${name}.md`;
}

/** The ESLint level a rule gets in `configs.recommended`. */
export function recommendedLevel(rule: RuleDefinition): 'error' | 'warn' {
  return rule.recommended === 'error' ? 'error' : 'warn';
}

export function ruleDefinition(name: RuleName): RuleDefinition {
  return RULES.find((rule) => rule.name === name)!;
}

const RULE_OF_CATEGORY = new Map<Category, RuleName>(RULES.flatMap((rule) => rule.categories.map((category) => [category, rule.name] as const)));

/** Which rule reports each category. */
export function ruleForCategory(category: Category): RuleName {
  return RULE_OF_CATEGORY.get(category)!;
}
