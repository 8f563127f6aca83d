// The consistent-hash cookie minted while picking an endpoint, carried to the response (stages/session-cookie).
import type { ProxyContext } from "../context";

const minted = new WeakMap<ProxyContext, { value: string; setCookie: string }>();

export function issueSessionCookie(ctx: ProxyContext, value: string, setCookie: string): void {
  minted.set(ctx, { value, setCookie });
}

/** The cookie value minted for this request, or null. */
export function sessionCookieValue(ctx: ProxyContext): string | null {
  return minted.get(ctx)?.value ?? null;
}

/** The `Set-Cookie` to add to this request's response, or null. */
export function sessionSetCookieFor(ctx: ProxyContext): string | null {
  return minted.get(ctx)?.setCookie ?? null;
}
