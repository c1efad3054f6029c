/** Express and the routers of its shape (Connect, router, Polka, Restify): `app.get('/x', fn)`, `app.use(fn)`. */
import type { FrameworkModel } from './model.js';

export const expressModel: FrameworkModel = {
  name: 'express',
  routers: {
    express: { route: 'express-route', middleware: 'express-middleware' },
    'express-serve-static-core': { route: 'express-route', middleware: 'express-middleware' },
    router: { route: 'express-route', middleware: 'express-middleware' },
    connect: { route: 'route', middleware: 'middleware' },
    restify: { route: 'route', middleware: 'middleware' },
    polka: { route: 'route', middleware: 'middleware' },
  },
};
