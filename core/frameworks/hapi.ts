/** Hapi: `server.route({ method, path, handler })` (the route objects are read by `routers.ts`). */
import type { FrameworkModel } from './model.js';

export const hapiModel: FrameworkModel = {
  name: 'hapi',
  routers: { '@hapi/hapi': { route: 'hapi-route', middleware: 'middleware' } },
};
