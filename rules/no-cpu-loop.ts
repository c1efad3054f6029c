import { createBlockcheckRule } from './utils/blockcheck-rule.js';

export default createBlockcheckRule(
  'no-cpu-loop',
  'Disallow CPU-bound work on the event loop: busy waits, loops with no exit, nested loops and super-linear regexes over request data',
  false,
);
