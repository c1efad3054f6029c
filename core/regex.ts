/**
 * Super-linear regular expressions: a quantified group that itself contains an unbounded quantifier
 * (`(a+)+`, `(\w+\s?)*`, `([a-z]*)+`) backtracks exponentially on a near-match, so running one on
 * request data lets one request hold the loop for seconds (ReDoS).
 */

/** Whether the quantifier starting at `index` is unbounded (`*`, `+`, `{n,}`). */
function unboundedQuantifierAt(source: string, index: number): boolean {
  const char = source[index];
  if (char === '*' || char === '+') return true;
  if (char !== '{') return false;
  const match = /^\{\d+,\}/.exec(source.slice(index));
  return match !== null;
}

export function hasNestedQuantifier(source: string): boolean {
  const enclosing: boolean[] = [];
  let groupHasUnbounded = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      index++;
    } else if (char === '[') {
      for (index++; index < source.length && source[index] !== ']'; index++) {
        if (source[index] === '\\') index++;
      }
    } else if (char === '(') {
      enclosing.push(groupHasUnbounded);
      groupHasUnbounded = false;
    } else if (char === ')') {
      const inner: boolean = groupHasUnbounded;
      const outer = enclosing.pop() ?? false;
      const quantified = unboundedQuantifierAt(source, index + 1);
      if (inner && quantified) return true;
      groupHasUnbounded = outer || inner || quantified;
    } else if (unboundedQuantifierAt(source, index)) {
      groupHasUnbounded = true;
    }
  }
  return false;
}

/** The pattern of a regex literal's text `/.../flags`. */
export function regexLiteralSource(text: string): string {
  return text.slice(1, text.lastIndexOf('/'));
}
