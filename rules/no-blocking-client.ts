import { createBlockcheckRule } from './utils/blockcheck-rule.js';

export default createBlockcheckRule(
  'no-blocking-client',
  'Disallow blocking third-party and platform clients (sqlite drivers, sync HTTP, deasync, bcrypt and jwt sync forms ...) inside event-loop handlers',
  false,
);
