/** Where each rule is documented, as the CLI's reports say it (the plugin's `meta.docs`), read once per rule. */
import { ruleDoc, type RuleDoc } from '../../engine/rule-docs.js';
import type { RuleName } from '../../core/types.js';

const docs = new Map<RuleName, RuleDoc>();

function docOf(rule: RuleName): RuleDoc {
  let doc = docs.get(rule);
  if (!doc) {
    doc = ruleDoc(rule);
    docs.set(rule, doc);
  }
  return doc;
}

export function ruleDocUrl(rule: RuleName): string | undefined {
  return docOf(rule).url || undefined;
}

/** The rule's one-line description from its meta. */
export function ruleDescription(rule: RuleName): string {
  return docOf(rule).description;
}

/** The rule id as ESLint spells it, which is also what disable comments name. */
export function ruleId(rule: RuleName): string {
  return `blockcheck/${rule}`;
}
