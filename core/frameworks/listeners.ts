/**
 * Event listeners, `emitter.on('event', fn)` and its kin, labelled by the family of the module declaring the
 * emitter's `on` (the other models' `emitters` data: sockets, servers, process), any other emitter as a plain
 * event listener. Not entry points: process shutdown events (blocking there delays nobody's request), a
 * server's `listening` (it is bound: startup code, once per server or cluster worker), and events no client sends, from file watchers (`fs.watch`, chokidar) and the terminal (`process.stdin`): a
 * developer's edit or keystroke, not traffic.
 */
import ts from 'typescript';
import { assignedValues, resolvedSymbol, skipOuterExpressions } from '../resolve.js';
import { everyParameter, noRequestParameters, type EmitterFamily, type FrameworkModel } from './model.js';
import { stringValue } from './syntax.js';

/** Modules whose emitters report file changes or terminal input, by the module declaring their `on`. */
const NON_TRAFFIC_MODULES = new Set(['node:readline', 'chokidar']);
/** `fs.watch(...)`, `fs.watchFile(...)`, `chokidar.watch(...)`, `readline.createInterface(...)`. */
const NON_TRAFFIC_FACTORIES = new Set(['watch', 'watchFile', 'createInterface']);
const TERMINAL_STREAMS = new Set(['stdin', 'stdout', 'stderr']);

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

const PROCESS: EmitterFamily = { prefix: 'process', kind: 'event-listener', carriesRequestData: false };
const GENERIC_EMITTER: EmitterFamily = { prefix: 'event', kind: 'event-listener', carriesRequestData: false };

/** Process events whose listeners must be synchronous or only run while shutting down. */
const SHUTDOWN_EVENTS = /^(?:exit|SIG[A-Z]+)$/;
/** A server (net, http, dgram, a cluster's workers) is bound: its listeners finish the start, before any traffic. */
const STARTUP_EVENT = 'listening';

/** What an emitter expression may have been made by: the expression, or the values its variable or property is given. */
function emitterSources(receiver: ts.Expression, checker: ts.TypeChecker): ts.Expression[] {
  const node = skipOuterExpressions(receiver);
  if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return [node];
  const values = assignedValues(resolvedSymbol(checker, ts.isPropertyAccessExpression(node) ? node.name : node));
  return [node, ...values.map(skipOuterExpressions)];
}

/** A file watcher (`fs.watch(...)`, `chokidar.watch(...)`, a readline interface) or the process's terminal streams. */
function isNonTrafficSource(source: ts.Expression): boolean {
  if (ts.isPropertyAccessExpression(source) && TERMINAL_STREAMS.has(source.name.text)) {
    const owner = skipOuterExpressions(source.expression);
    return ts.isIdentifier(owner) && owner.text === 'process';
  }
  if (!ts.isCallExpression(source)) return false;
  const callee = skipOuterExpressions(source.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
  return name !== undefined && NON_TRAFFIC_FACTORIES.has(name);
}

function isNonTrafficEmitter(receiver: ts.Expression | undefined, checker: ts.TypeChecker): boolean {
  return !!receiver && emitterSources(receiver, checker).some(isNonTrafficSource);
}

export function createListenersModel(emitters: Readonly<Record<string, EmitterFamily>>): FrameworkModel {
  const families: Readonly<Record<string, EmitterFamily>> = { ...emitters, 'node:process': PROCESS };
  return {
    name: 'listeners',
    methods: LISTENER_METHODS,
    matchCall(call, callee, context) {
      const event = stringValue(call.arguments[0]);
      if (event === undefined || event === STARTUP_EVENT) return;
      const { module } = context.declaringModule(call);
      if ((module !== undefined && NON_TRAFFIC_MODULES.has(module)) || isNonTrafficEmitter(callee.receiver, context.checker)) return;
      const family = (module !== undefined && Object.hasOwn(families, module) ? families[module] : undefined) ?? GENERIC_EMITTER;
      if (family === PROCESS && SHUTDOWN_EVENTS.test(event)) return;
      context.register(call.arguments[1], {
        kind: family.kind,
        label: `${family.prefix} ${event}`,
        site: callee.nameNode,
        requestParameters: family.carriesRequestData ? everyParameter : noRequestParameters,
      });
    },
  };
}
