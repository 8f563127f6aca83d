// httpbin `/requests`: the last requests this instance saw (per isolate), so a shadow copy can be observed.

const KEEP = 100;

export interface SeenRequest {
  method: string;
  url: string;
  host: string | null;
  headers: Record<string, string>;
}

const seen: SeenRequest[] = [];

export function remember(request: Request): void {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  seen.push({ method: request.method, url: request.url, host: request.headers.get("host"), headers });
  if (seen.length > KEEP) seen.splice(0, seen.length - KEEP);
}

/** Newest last. */
export function recentRequests(): SeenRequest[] {
  return [...seen];
}
