import type { Category, RuleName } from './types.js';

/** Which rule reports each category. */
export function ruleForCategory(category: Category): RuleName {
  switch (category) {
    case 'fs':
    case 'child-process':
    case 'zlib':
    case 'crypto':
      return 'no-sync-io';
    case 'blocking-client':
    case 'wait':
      return 'no-blocking-client';
    case 'cpu-loop':
    case 'regex':
    case 'json':
      return 'no-cpu-loop';
  }
}
