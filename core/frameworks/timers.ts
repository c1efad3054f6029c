/**
 * Callbacks the loop runs later: timers (`setTimeout`, `setInterval`, `setImmediate`, from the globals or
 * node:timers, not a local function of the same name) and microtasks (`queueMicrotask`, `process.nextTick`).
 * Promise callbacks are not entry points of their own: they run as part of the function that chains them
 * (its summary takes them in), once if that is startup code, per request if it is a handler.
 */
import ts from 'typescript';
import { noRequestParameters, type Callee, type FrameworkModel, type ScanContext } from './model.js';
import type { HandlerKind } from '../types.js';

const SCHEDULERS: Readonly<Record<string, HandlerKind>> = {
  setTimeout: 'timer',
  setInterval: 'timer',
  setImmediate: 'timer',
  queueMicrotask: 'microtask',
};

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
  methods: new Set([...Object.keys(SCHEDULERS), 'nextTick']),
  matchCall(call, callee, context) {
    if (Object.hasOwn(SCHEDULERS, callee.name)) return matchScheduler(call, callee, context);
    const receiver = callee.receiver;
    if (!receiver || !ts.isIdentifier(receiver) || receiver.text !== 'process') return false;
    context.register(call.arguments[0], { kind: 'microtask', label: 'process.nextTick', site: callee.nameNode.parent, requestParameters: noRequestParameters });
    return true;
  },
};
