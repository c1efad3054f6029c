/**
 * Event listeners, `emitter.on('event', fn)` and its kin, labelled by the family of the module declaring the
 * emitter's `on` (the other models' `emitters` data: sockets, servers, process), any other emitter as a plain
 * event listener. Process shutdown events are not entry points: blocking there delays nobody's request.
 */
import { everyParameter, noRequestParameters, type EmitterFamily, type FrameworkModel } from './model.js';
import { stringValue } from './syntax.js';

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

const PROCESS: EmitterFamily = { prefix: 'process', kind: 'event-listener', carriesRequestData: false };
const GENERIC_EMITTER: EmitterFamily = { prefix: 'event', kind: 'event-listener', carriesRequestData: false };

/** Process events whose listeners must be synchronous or only run while shutting down. */
const SHUTDOWN_EVENTS = /^(?:exit|SIG[A-Z]+)$/;

export function createListenersModel(emitters: Readonly<Record<string, EmitterFamily>>): FrameworkModel {
  const families: Readonly<Record<string, EmitterFamily>> = { ...emitters, 'node:process': PROCESS };
  return {
    name: 'listeners',
    methods: LISTENER_METHODS,
    matchCall(call, callee, context) {
      const event = stringValue(call.arguments[0]);
      if (event === undefined) return;
      const { module } = context.declaringModule(call);
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
