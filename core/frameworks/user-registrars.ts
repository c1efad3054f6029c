/**
 * The user's own registration functions (the rules' `handlerRegistrars` option): a call to a function that
 * a registrar's declaration specifier names registers every function passed to it. Calls that no framework
 * model owns come here.
 */
import { declarationOrigin } from '../declarations.js';
import { calleeNameNode, resolvedSymbol } from '../resolve.js';
import { specifierMatches } from '../specifiers.js';
import { everyParameter, type FrameworkModel } from './model.js';

export const userRegistrarsModel: FrameworkModel = {
  name: 'user-registrars',
  matchCall(call, _callee, context) {
    if (context.registrars.length === 0) return;
    const symbol = resolvedSymbol(context.checker, calleeNameNode(call.expression));
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!declaration) return;
    const origin = declarationOrigin(declaration, context.program);
    const registrar = context.registrars.find((candidate) => specifierMatches(candidate.declaration, origin, context.program.getCurrentDirectory()));
    if (!registrar) return;
    for (const argument of call.arguments) {
      context.register(argument, { kind: 'event-listener', label: registrar.label, site: call.expression, requestParameters: everyParameter });
    }
  },
};
