// The proxy's ServiceModel validator: the zod model compiled into closures (compile-validator.ts) on first use.
import { compileValidator } from "./compile-validator";
import { ServiceModel, type ServiceValidator } from "./snapshot";

let compiled: ServiceValidator | null = null;

/** Equal to `parseServiceModel` (zod) in what it accepts and returns (validate-service.test.ts), several times faster in workerd. */
export const validateService: ServiceValidator = (value) => (compiled ??= compileValidator(ServiceModel))(value);
