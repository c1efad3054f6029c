/**
 * Callbacks the loop runs later: timers (`setTimeout`, `setInterval`, `setImmediate`, from the globals or
 * node:timers, not a local function of the same name), microtasks (`queueMicrotask`, `process.nextTick`) and
 * promise callbacks (`then/catch/finally`) of chains that do not start while the module loads.
 */
import * as ts from 'typescript';
import { runsAtModuleLoad } from './syntax.js';
import { noRequestParameters, type Callee, type FrameworkModel, type ScanContext } from './model.js';
import type { HandlerKind } from '../types.js';

const SCHEDULERS: Readonly<Record<string, HandlerKind>> = {
  setTimeout: 'timer',
  setInterval: 'timer',
  setImmediate: 'timer',
  queueMicrotask: 'microtask',
};

const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

function isGlobalScheduler(call: ts.CallExpression, context: ScanContext): boolean {
  const { module, resolved, ambient } = context.declaringModule(call);
  return !resolved || (ambient && (module === undefined || module === 'node:timers'));
}

/** False for a local function or method that only shares a scheduler's name. */
function matchScheduler(call: ts.CallExpression, callee: Callee, context: ScanContext): boolean {
  if (!isGlobalScheduler(call, context)) return !callee.receiver;
  const site = callee.receiver ? callee.nameNode.parent : call.expression;
  context.register(call.arguments[0], { kind: SCHEDULERS[callee.name]!, label: callee.name, site, requestParameters: noRequestParameters });
  return true;
}

export const timersModel: FrameworkModel = {
  name: 'timers',
  functions: new Set(Object.keys(SCHEDULERS)),
  methods: new Set([...Object.keys(SCHEDULERS), 'nextTick', ...PROMISE_METHODS]),
  matchCall(call, callee, context) {
    if (Object.hasOwn(SCHEDULERS, callee.name)) return matchScheduler(call, callee, context);
    if (callee.name === 'nextTick') {
      const receiver = callee.receiver;
      if (!receiver || !ts.isIdentifier(receiver) || receiver.text !== 'process') return false;
      context.register(call.arguments[0], { kind: 'microtask', label: 'process.nextTick', site: callee.nameNode.parent, requestParameters: noRequestParameters });
    } else if (!runsAtModuleLoad(call)) {
      // A promise chain started while the module loads is startup code (`main().then(...)`).
      for (const argument of call.arguments) {
        context.register(argument, { kind: 'promise-callback', label: `promise ${callee.name}`, site: callee.nameNode, requestParameters: noRequestParameters });
      }
    }
    return true;
  },
};
