/**
 * ESLint's inline disable directives, for the blockcheck rules only: `eslint-disable` / `eslint-enable`
 * block comments (whole rest of the file, or until enabled again), and `eslint-disable-line` /
 * `eslint-disable-next-line` in line or block comments. The same rules ESLint applies
 * (SourceCode#getDisableDirectives), so an audit hides what the user's ESLint run hides, except blanket
 * regions (see `appliesToAudit`); the comment text is read by ESLint's own parser (`ConfigCommentParser`
 * from @eslint/plugin-kit).
 */
import { ConfigCommentParser } from '@eslint/plugin-kit';
import ts from 'typescript';

const PLUGIN_PREFIX = 'blockcheck/';
const DIRECTIVE_TYPES: ReadonlySet<string> = new Set(['disable', 'enable', 'disable-line', 'disable-next-line']);
const commentParser = new ConfigCommentParser();

interface Directive {
  type: 'disable' | 'enable' | 'disable-line' | 'disable-next-line';
  /** Rule names it names; empty means every rule. */
  rules: string[];
  /** 1-based line and column of the comment start, and the comment's last line. */
  line: number;
  column: number;
  endLine: number;
}

export interface Suppressions {
  /** Whether a report of `rule` (`blockcheck/no-sync-io`) at 1-based line/column is disabled. */
  isSuppressed(rule: string, line: number, column: number): boolean;
}

/**
 * A blanket region (`/* eslint-disable *\/` naming no rule) does not hide blocking calls from the audit: it is
 * what bundles and generated files carry (each concatenated module's header silences the rest of the
 * bundle) and what legacy files use to turn off style rules, written before any blockcheck rule existed.
 * ESLint itself still applies it; a blanket `-line`/`-next-line` directive, written for the one line, applies.
 */
function appliesToAudit(directive: Directive): boolean {
  if (directive.rules.length > 0) return directive.rules.some((rule) => rule.startsWith(PLUGIN_PREFIX));
  return directive.type === 'disable-line' || directive.type === 'disable-next-line';
}

export function readSuppressions(sourceFile: ts.SourceFile): Suppressions {
  const directives = collectDirectives(sourceFile).filter(appliesToAudit);
  return {
    isSuppressed(rule, line, column) {
      const names = (directive: Directive) => directive.rules.length === 0 || directive.rules.includes(rule);
      let disabled = false;
      for (const directive of directives) {
        if (!names(directive)) continue;
        switch (directive.type) {
          case 'disable-line':
            if (directive.line === line) return true;
            break;
          case 'disable-next-line':
            if (directive.endLine + 1 === line) return true;
            break;
          case 'disable':
          case 'enable':
            // Block directives apply from their position on, in source order.
            if (directive.line < line || (directive.line === line && directive.column <= column)) {
              disabled = directive.type === 'disable';
            }
            break;
        }
      }
      return disabled;
    },
  };
}

function collectDirectives(sourceFile: ts.SourceFile): Directive[] {
  const text = sourceFile.text;
  const directives: Directive[] = [];
  for (const comment of commentRanges(sourceFile)) {
    const isLine = comment.kind === ts.SyntaxKind.SingleLineCommentTrivia;
    const body = isLine ? text.slice(comment.pos + 2, comment.end) : text.slice(comment.pos + 2, comment.end - 2);
    const directive = parseDirective(body);
    if (!directive) continue;
    // ESLint ignores `// eslint-disable` and `// eslint-enable`: only the -line forms work in line comments.
    if (isLine && directive.type !== 'disable-line' && directive.type !== 'disable-next-line') continue;
    const start = sourceFile.getLineAndCharacterOfPosition(comment.pos);
    const end = sourceFile.getLineAndCharacterOfPosition(comment.end);
    if (directive.type === 'disable-line' && start.line !== end.line) continue;
    directives.push({ ...directive, line: start.line + 1, column: start.character + 1, endLine: end.line + 1 });
  }
  return directives.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Every comment in the file, in order. Each comment is leading trivia of some token (the end-of-file token
 * at the latest) or trailing trivia of the token before it on the same line; asking the parser's tokens
 * rather than rescanning the text keeps regex and template text from being read as comments.
 */
function commentRanges(sourceFile: ts.SourceFile): ts.CommentRange[] {
  const text = sourceFile.text;
  const byPosition = new Map<number, ts.CommentRange>();
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) byPosition.set(range.pos, range);
    // Comments after a token on its own line are not leading trivia of the next token, but trailing trivia.
    for (const range of ts.getTrailingCommentRanges(text, node.end) ?? []) byPosition.set(range.pos, range);
    for (const child of node.getChildren(sourceFile)) visit(child);
  };
  visit(sourceFile);
  return [...byPosition.values()].sort((a, b) => a.pos - b.pos);
}

function parseDirective(body: string): Pick<Directive, 'type' | 'rules'> | undefined {
  const directive = commentParser.parseDirective(body);
  const type = directive?.label.startsWith('eslint-') ? directive.label.slice('eslint-'.length) : undefined;
  if (!directive || !type || !isDirectiveType(type)) return undefined;
  // The justification after `--` is not part of the rule list; parseDirective has already cut it off.
  return { type, rules: Object.keys(commentParser.parseListConfig(directive.value)) };
}

function isDirectiveType(type: string): type is Directive['type'] {
  return DIRECTIVE_TYPES.has(type);
}
