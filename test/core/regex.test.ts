import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasNestedQuantifier } from '../../core/regex.js';

describe('super-linear regex detection', () => {
  for (const source of ['^(a+)+$', '(\\w+\\s?)*$', '([a-z]*)+x', '^(\\d+|x){2,}$', '((ab)+c*)*']) {
    it(`flags /${source}/`, () => assert.equal(hasNestedQuantifier(source), true));
  }
  for (const source of ['^[a-z]+$', '(ab)+', '(\\d+)-(\\d+)', '[(a+)+]', '\\(a+\\)+', '^(a|b){1,3}$', 'a{2,5}(b)*']) {
    it(`leaves /${source}/ alone`, () => assert.equal(hasNestedQuantifier(source), false));
  }
});
