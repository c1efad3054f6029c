/**
 * What the report formats say about each rule: the rule table's description and docs URL and its
 * markdown doc (rules/docs/<rule>.md, shipped in the package), so SARIF help matches the ESLint docs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ruleDefinition, ruleDocsUrl, type RuleName } from '../core/index.js';
import { PACKAGE_ROOT } from './package-info.js';

export interface RuleDoc {
  id: string;
  name: RuleName;
  description: string;
  url: string;
  /** The doc's first paragraph; the description when the doc is missing. */
  fullDescription: string;
  markdown: string;
}

export function ruleDoc(name: RuleName): RuleDoc {
  const { description } = ruleDefinition(name);
  const url = ruleDocsUrl(name);
  let markdown: string;
  try {
    markdown = readFileSync(path.join(PACKAGE_ROOT, 'rules', 'docs', `${name}.md`), 'utf8');
  } catch {
    markdown = `# blockcheck/${name}\n\n${description}\n`;
  }
  return { id: `blockcheck/${name}`, name, description, url, fullDescription: firstParagraph(markdown) ?? description, markdown };
}

/** The first prose paragraph: not the title, not eslint-doc-generator's notices and comment markers. */
function firstParagraph(markdown: string): string | undefined {
  for (const block of markdown.split(/\r?\n\s*\r?\n/)) {
    const text = block.trim();
    if (text === '' || /^(#|<!--|>|```|[💼⚠️🔧💡💭🚫❌✅]|\|)/u.test(text)) continue;
    return text.replace(/\s*\n\s*/g, ' ');
  }
  return undefined;
}
