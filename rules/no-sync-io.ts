import { createBlockcheckRule } from './utils/blockcheck-rule.js';

export default createBlockcheckRule('no-sync-io');
