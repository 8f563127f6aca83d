// `x-request-id`: keep a well-formed inbound id so that a client's correlation survives; else make one.
import { uuidV4 } from "../../../../shared/uuid";
import { randomBytes } from "../random-pool";

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(inbound: string | null): string {
  return inbound !== null && VALID.test(inbound) ? inbound : uuidV4(randomBytes);
}
