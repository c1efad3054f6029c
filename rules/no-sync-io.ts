import { createBlockcheckRule } from './utils/blockcheck-rule.js';

export default createBlockcheckRule(
  'no-sync-io',
  'Disallow synchronous Node core fs, child_process, zlib and crypto calls that run inside event-loop handlers',
  true,
);
