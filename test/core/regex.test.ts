import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSuperLinearRegex } from '../../core/regex.js';

describe('super-linear regex detection', () => {
  for (const literal of [
    '/(a|a)*/',
    '/(a|a)*$/',
    '/^(a+)+$/',
    '/(\\w+\\s?)*$/',
    '/([a-z]*)+x/',
    '/^(\\d+|x){2,}$/',
    '/^\\d*\\w+$/',
    '/^(a|A)+$/i',
    '/^(\\w|\\d)+$/',
  ]) {
    it(`flags ${literal}`, () => assert.equal(isSuperLinearRegex(literal), true));
  }
  for (const literal of [
    '/^[a-z]+$/',
    '/(ab)+/',
    '/(\\d+)-(\\d+)/',
    '/[(a+)+]/',
    '/\\(a+\\)+/',
    '/^(a|b){1,3}$/',
    '/a{2,5}(b)*/',
    '/^(a|b)*$/',
    '/((ab)+c*)*/',
    '/^(a|b)+$/i',
    '/(/',
  ]) {
    it(`leaves ${literal} alone`, () => assert.equal(isSuperLinearRegex(literal), false));
  }
});
