/**
 * The framework models handler detection runs, in one list. Adding a framework is adding its model file here
 * (see CONTRIBUTING.md, "Add a framework model"); the scanner in `../handlers.ts` needs no change.
 */
import { asyncFunctionsModel } from './async-functions.js';
import { expressModel } from './express.js';
import { fastifyModel } from './fastify.js';
import { hapiModel } from './hapi.js';
import { honoModel } from './hono.js';
import { koaModel } from './koa.js';
import { libraryMiddlewareModel } from './library-middleware.js';
import { createListenersModel } from './listeners.js';
import type { FrameworkModel, RouterFramework } from './model.js';
import { nestModel } from './nest.js';
import { nextModel } from './next.js';
import { nodeServersModel } from './node-servers.js';
import { createRoutersModel } from './routers.js';
import { socketsModel } from './sockets.js';
import { timersModel } from './timers.js';
import { userRegistrarsModel } from './user-registrars.js';
import { uwebsocketsModel } from './uwebsockets.js';

/** Families that contribute data (routers, emitters) and matchers of their own. */
const FAMILIES: readonly FrameworkModel[] = [
  expressModel,
  koaModel,
  fastifyModel,
  hapiModel,
  honoModel,
  nodeServersModel,
  socketsModel,
  timersModel,
  nestModel,
  nextModel,
  uwebsocketsModel,
  libraryMiddlewareModel,
  asyncFunctionsModel,
];

/** The router packages of every family (a later family's entry for a package wins). */
export const ROUTER_FRAMEWORKS: Readonly<Record<string, RouterFramework>> = Object.fromEntries(
  FAMILIES.flatMap((family) => Object.entries(family.routers ?? {})),
);

/** Every model: the families, the router and listener models built from their data. */
export const FRAMEWORK_MODELS: readonly FrameworkModel[] = [
  ...FAMILIES,
  createRoutersModel(ROUTER_FRAMEWORKS),
  createListenersModel(Object.fromEntries(FAMILIES.flatMap((family) => Object.entries(family.emitters ?? {})))),
];

/** Calls that no model owns go to the user's registrars. */
export const FALLBACK_CALL_MODEL: FrameworkModel = userRegistrarsModel;

export type { FrameworkModel } from './model.js';
