// httpbin's request echo: what `/get`, `/headers`, `/anything` and `/post` report about the request.

export function headersObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** Query parameters; a repeated key becomes an array, as httpbin does. */
export function argsObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return out;
}

/** The caller's address as the edge saw it. */
export function origin(headers: Headers): string {
  return (
    headers.get("cf-connecting-ip") ??
    headers.get("x-forwarded-for")?.split(",")[0]?.trim() ??
    headers.get("x-real-ip") ??
    "unknown"
  );
}

/** `/get`: no body. */
export function describeGet(request: Request): Record<string, unknown> {
  const url = new URL(request.url);
  return {
    args: argsObject(url),
    headers: headersObject(request.headers),
    origin: origin(request.headers),
    url: url.href,
  };
}

/** `/anything`, `/post`, ...: the request including its body as text and, when it is JSON, parsed. */
export async function describeWithBody(request: Request): Promise<Record<string, unknown>> {
  const data = request.body ? await request.text() : "";
  const form: Record<string, string> = {};
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    new URLSearchParams(data).forEach((value, key) => {
      form[key] = value;
    });
  }
  return { method: request.method, ...describeGet(request), data, form, json: parseJson(data) };
}

function parseJson(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
