import { Hono } from 'hono';
import type { Logger } from '../../platform/logger';
import { EmulatorApiError } from '../api-error';
import { errorHandler } from '../routes/error-handler';
import type { AdminContext } from './admin-context';
import type { FaultRegistry } from '../emulation/faults/fault-registry';
import { clockRoutes } from './clock-routes';
import { executionRoutes } from './execution-routes';
import { faultRoutes } from './fault-routes';
import { seedRoutes } from './seed-routes';
import { timeScaleRoutes } from './time-scale-routes';
import { excerpt } from '../../platform/request-input';

/**
 * `/api/emulator`: controls that exist only in emulator mode. Each concern is its own route file mounted here
 * (a fault-injection file slots in the same way).
 */
export function createAdminRouter(context: AdminContext, logger: Logger, faults: FaultRegistry): Hono {
  const admin = new Hono();
  admin.onError(errorHandler(logger));
  admin.route('/', clockRoutes(context));
  admin.route('/', timeScaleRoutes(context));
  admin.route('/', seedRoutes(context));
  admin.route('/', faultRoutes(faults));
  admin.route('/', executionRoutes(context));
  admin.all('*', (c) => {
    throw new EmulatorApiError(404, `Unknown route ${c.req.method} ${excerpt(c.req.path)}.`);
  });
  return admin;
}
