import type { HandlerKind } from './types.js';

/** Handler kinds by how specific a label they give, for choosing the one a message names. */
export function handlerKindRank(kind: HandlerKind): number {
  switch (kind) {
    case 'async-function':
      return 3;
    case 'timer':
    case 'microtask':
    case 'event-listener':
      return 2;
    case 'library-middleware':
    case 'middleware':
    case 'express-middleware':
    case 'koa-middleware':
      return 1;
    default:
      return 0;
  }
}
