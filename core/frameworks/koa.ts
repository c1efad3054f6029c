/** Koa (`app.use(async (ctx, next) => ...)`) and its routers (`@koa/router`, `koa-router`). */
import type { FrameworkModel } from './model.js';

export const koaModel: FrameworkModel = {
  name: 'koa',
  routers: {
    koa: { route: 'route', middleware: 'koa-middleware' },
    '@koa/router': { route: 'koa-router-route', middleware: 'koa-middleware' },
    'koa-router': { route: 'koa-router-route', middleware: 'koa-middleware' },
  },
};
