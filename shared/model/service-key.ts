// A service key is `<namespace>/<name>`: how snapshots and policies name a Service.
import * as z from "zod";

export const ServiceKey = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
