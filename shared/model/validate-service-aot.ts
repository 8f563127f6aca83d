// ServiceModel validation by ahead-of-time code (generated from the zod model by `npm run schemas`), for the proxy.
import validate from "./generated/validate-service.js";
import type { ServiceModel, ServiceValidator } from "./snapshot";

/**
 * Equal to `parseServiceModel` (zod) in what it accepts and returns (snapshot.test.ts), ~3× faster in workerd,
 * where zod cannot compile its checks. Fills in defaults in place: the value must be the caller's own (e.g. fresh
 * from `JSON.parse`).
 */
export const validateServiceAot: ServiceValidator = (value) => (validate(value) ? (value as ServiceModel) : null);
