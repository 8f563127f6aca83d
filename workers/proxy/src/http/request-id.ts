// `x-request-id`: keep a well-formed inbound id so that a client's correlation survives; else make one.

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(inbound: string | null): string {
  return inbound !== null && VALID.test(inbound) ? inbound : crypto.randomUUID();
}
