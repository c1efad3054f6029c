/**
 * Super-linear regular expressions: a pattern where the engine can match the same run of characters in
 * more than one way (`(a+)+`, `(\w+\s?)*$`, `(a|a)*`) backtracks exponentially or polynomially on a
 * near-match, so running one on request data lets one request hold the loop for seconds (ReDoS).
 *
 * Two analyses, both eslint-plugin-regexp's:
 * - scslre's `Self` (a quantifier reaching itself through a loop) and `Trade` (two quantifiers exchanging
 *   characters) reports, with its heuristic that a rejecting suffix must exist, as
 *   `no-super-linear-backtracking` uses them. Its `Move` reports (an unanchored pattern moved across the
 *   input, `no-super-linear-move`) are left out: nearly every unanchored `\d+x` has one, which is why that
 *   rule is not in eslint-plugin-regexp's recommended set.
 * - scslre only follows quantifiers, so it misses an unbounded loop over alternatives that share a word
 *   (`(a|a)*`, `(\w|\d)+`): each repetition may take either, 2^n ways. `no-dupe-disjunctions` reports those
 *   as exponential backtracking; here refa decides whether two alternatives' languages intersect.
 */
import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';
import { JS, NFA, isDisjointWith } from 'refa';
import { analyse } from 'scslre';

/** Bounds refa's automata: a pattern too large to decide is left unreported rather than stalling the analysis. */
const MAX_AUTOMATON_NODES = 10_000;

const parser = new RegExpParser();
/** Keyed by the literal's text: the verdict is a pure function of it. */
const verdicts = new Map<string, boolean>();

/** Whether the regex literal `/source/flags` can backtrack super-linearly. */
export function isSuperLinearRegex(literalText: string): boolean {
  let verdict = verdicts.get(literalText);
  if (verdict === undefined) {
    verdict = backtracksSuperLinearly(literalText);
    verdicts.set(literalText, verdict);
  }
  return verdict;
}

function backtracksSuperLinearly(literalText: string): boolean {
  let literal: AST.RegExpLiteral;
  try {
    literal = parser.parseLiteral(literalText);
  } catch {
    // Not a regex the engine accepts: TypeScript reports it, and it never runs.
    return false;
  }
  const ast = { pattern: literal.pattern, flags: literal.flags };
  if (analyse(ast, { reportTypes: { Move: false }, maxReports: 1 }).reports.length > 0) return true;
  return hasAmbiguousLoopedAlternatives(ast);
}

function hasAmbiguousLoopedAlternatives(ast: JS.RegexppAst): boolean {
  const groups: (AST.Group | AST.CapturingGroup)[] = [];
  visitRegExpAST(ast.pattern, {
    onGroupEnter: (group) => {
      if (group.alternatives.length > 1 && insideUnboundedLoop(group)) groups.push(group);
    },
    onCapturingGroupEnter: (group) => {
      if (group.alternatives.length > 1 && insideUnboundedLoop(group)) groups.push(group);
    },
  });
  if (groups.length === 0) return false;
  const refaParser = JS.Parser.fromAst(ast);
  try {
    return groups.some((group) => {
      const automata = group.alternatives.map((alternative) => automatonOf(refaParser, alternative));
      return automata.some((left, index) => automata.slice(index + 1).some((right) => !isDisjointWith(left, right, MAX_AUTOMATON_NODES)));
    });
  } catch {
    // refa's node limit: undecided, so not reported.
    return false;
  }
}

function automatonOf(refaParser: JS.Parser, alternative: AST.Alternative): NFA {
  const { expression, maxCharacter } = refaParser.parseElement(alternative, {
    backreferences: 'disable',
    assertions: 'disable',
    maxNodes: MAX_AUTOMATON_NODES,
  });
  return NFA.fromRegex(expression, { maxCharacter }, { assertions: 'disable' }, new NFA.LimitedNodeFactory(MAX_AUTOMATON_NODES));
}

function insideUnboundedLoop(node: AST.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'Quantifier' && current.max === Infinity) return true;
  }
  return false;
}
