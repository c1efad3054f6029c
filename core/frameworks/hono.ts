/** Hono: `app.get('/x', (c) => ...)`, `app.use(async (c, next) => ...)`. */
import type { FrameworkModel } from './model.js';

export const honoModel: FrameworkModel = {
  name: 'hono',
  routers: { hono: { route: 'route', middleware: 'middleware' } },
};
