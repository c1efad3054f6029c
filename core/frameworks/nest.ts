/**
 * NestJS: methods of `@Controller` classes decorated `@Get()`, `@Post()` ... are routes (the class prefix
 * joined to the method's path), and `@MessagePattern`, `@EventPattern` and gateway `@SubscribeMessage` methods
 * are message handlers. Parameters decorated `@Res()`/`@Next()` carry no request data.
 */
import ts from 'typescript';
import { skipOuterExpressions } from '../resolve.js';
import type { FunctionNode } from '../syntax-index.js';
import type { HandlerKind } from '../types.js';
import type { FrameworkModel } from './model.js';
import { joinRoutePaths, objectProperty, stringValue } from './syntax.js';

const HTTP_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Options', 'Head', 'All', 'Search']);
const MESSAGE_DECORATORS: Readonly<Record<string, { prefix: string; kind: HandlerKind }>> = {
  MessagePattern: { prefix: 'message', kind: 'nest-message' },
  EventPattern: { prefix: 'event', kind: 'nest-message' },
  SubscribeMessage: { prefix: 'ws', kind: 'nest-gateway' },
};
/** Parameters NestJS fills with the response or `next`, not with request data. */
const NON_REQUEST_PARAMETERS = new Set(['Res', 'Response', 'Next']);

interface Decorator {
  name: string;
  args: readonly ts.Expression[];
}

function decoratorsOf(node: ts.HasDecorators): Decorator[] {
  return (ts.getDecorators(node) ?? []).flatMap((decorator): Decorator[] => {
    const expression = decorator.expression;
    if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression)) return [{ name: expression.expression.text, args: expression.arguments }];
    return ts.isIdentifier(expression) ? [{ name: expression.text, args: [] }] : [];
  });
}

function requestParameters(fn: FunctionNode): number[] {
  return fn.parameters.flatMap((parameter, index) => (decoratorsOf(parameter).some((decorator) => NON_REQUEST_PARAMETERS.has(decorator.name)) ? [] : [index]));
}

export const nestModel: FrameworkModel = {
  name: 'nest',
  matchClass(node, context) {
    const classDecorators = decoratorsOf(node);
    const controller = classDecorators.find((decorator) => decorator.name === 'Controller');
    const isGateway = classDecorators.some((decorator) => decorator.name === 'WebSocketGateway');
    if (!controller && !isGateway) return;
    const prefixArgument = controller?.args[0] && skipOuterExpressions(controller.args[0]);
    const prefix =
      prefixArgument && ts.isObjectLiteralExpression(prefixArgument) ? stringValue(objectProperty(prefixArgument, 'path')) : stringValue(prefixArgument);
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member) || !member.body) continue;
      for (const decorator of decoratorsOf(member)) {
        if (HTTP_DECORATORS.has(decorator.name)) {
          const httpMethod = decorator.name.toUpperCase();
          const routePath = joinRoutePaths(prefix, stringValue(decorator.args[0]));
          context.addRoot(member, {
            kind: 'nest-route',
            label: `${httpMethod} ${routePath}`,
            method: httpMethod,
            routePath,
            site: member.name,
            requestParameters,
          });
        } else if (Object.hasOwn(MESSAGE_DECORATORS, decorator.name)) {
          const { prefix: labelPrefix, kind } = MESSAGE_DECORATORS[decorator.name]!;
          const pattern = decorator.args[0] ? (stringValue(decorator.args[0]) ?? decorator.args[0].getText()) : '*';
          context.addRoot(member, { kind, label: `${labelPrefix} ${pattern}`, site: member.name, requestParameters });
        }
      }
    }
  },
};
