// The request's URL as plain strings: parsed once from `request.url`, without the runtime's URL object.

/**
 * `new URL(request.url)` makes a runtime object, and every property read of it crosses into the runtime and
 * makes a new string; a request read ~13 of them (4 µs in a loop in workerd, against 0.2 µs for this). Most request
 * URLs are already in the form the URL parser would write them, so they are cut at their delimiters; any other
 * (dot segments, a default port, characters the parser would percent-encode, an IP or IDN host, a fragment, user
 * info…) is handed to `URL`, so the fields are always exactly the URL parser's.
 */
export class RequestUrl {
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  private path: string;
  private query: string;
  private params: URLSearchParams | null = null;

  constructor(href: string) {
    // Throws a TypeError for an invalid URL, as `new URL` always did here.
    const parts = canonicalParts(href) ?? new URL(href);
    this.protocol = parts.protocol;
    this.host = parts.host;
    this.hostname = parts.hostname;
    this.port = parts.port;
    this.path = parts.pathname;
    this.query = parts.search;
  }

  get pathname(): string {
    return this.path;
  }

  /** Like `URL.pathname`'s setter: the value as the URL parser writes a path (rare: a normalised path). */
  set pathname(value: string) {
    const u = new URL(`${this.protocol}//${this.host}`);
    u.pathname = value;
    this.path = u.pathname;
  }

  /** `?query`, or `` for none or an empty one (as `URL.search`). */
  get search(): string {
    return this.query;
  }

  /** The query's parameters, parsed on first use (most requests never ask). Read-only: see `deleteSearchParams`. */
  get searchParams(): Pick<URLSearchParams, "get" | "getAll" | "has" | "forEach"> {
    return this.params ?? (this.params = new URLSearchParams(this.query));
  }

  /** Removes parameters and re-serialises the query, as `url.searchParams.delete` does `url.search`. */
  deleteSearchParams(names: readonly string[]): void {
    if (names.length === 0) return;
    const params = (this.params ??= new URLSearchParams(this.query));
    for (const name of names) params.delete(name);
    const serialized = params.toString();
    this.query = serialized === "" ? "" : `?${serialized}`;
  }
}

interface Parts {
  protocol: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
}

/**
 * The parts of an http(s) URL that the URL parser would serialise unchanged, else null. Conservative: anything
 * this does not prove canonical goes to the parser.
 */
export function canonicalParts(href: string): Parts | null {
  let i: number;
  let protocol: string;
  if (href.startsWith("http://")) {
    protocol = "http:";
    i = 7;
  } else if (href.startsWith("https://")) {
    protocol = "https:";
    i = 8;
  } else return null;

  // Host: lower-case DNS labels only (no IP address, IDN, user info or percent-encoding), then an optional port.
  const hostStart = i;
  let labelStart = i;
  for (; i < href.length; i++) {
    const c = href.charCodeAt(i);
    if (c === 0x2e /* . */) {
      if (i === labelStart) return null;
      labelStart = i + 1;
    } else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) break;
  }
  const hostEnd = i;
  if (hostEnd === labelStart) return null; // empty host, or a trailing dot
  // A last label starting with a digit may be read as an IPv4 part; `xn--` asks for IDN validation.
  const first = href.charCodeAt(labelStart);
  if (first >= 0x30 && first <= 0x39) return null;
  const idn = href.indexOf("xn--", hostStart);
  if (idn !== -1 && idn < hostEnd) return null;
  let port = "";
  if (href.charCodeAt(i) === 0x3a /* : */) {
    const portStart = ++i;
    while (i < href.length && href.charCodeAt(i) >= 0x30 && href.charCodeAt(i) <= 0x39) i++;
    port = href.slice(portStart, i);
    // Empty, leading zeros, out of range or the scheme's default: the parser rewrites those.
    if (port === "" || port.length > 5 || port.charCodeAt(0) === 0x30) return null;
    const n = Number(port);
    if (n > 65535 || (protocol === "http:" && n === 80) || (protocol === "https:" && n === 443)) return null;
  }
  if (href.charCodeAt(i) !== 0x2f /* / */) return null;
  const host = href.slice(hostStart, i);
  const hostname = port === "" ? host : href.slice(hostStart, hostEnd);

  // Path: characters the parser leaves as they are, and no dot segment (plain or percent-encoded).
  const pathStart = i;
  for (; i < href.length; i++) {
    const c = href.charCodeAt(i);
    if (c === 0x3f /* ? */) break;
    if (!PATH_SAFE[c]) return null;
    if (c === 0x2e /* . */ && href.charCodeAt(i - 1) === 0x2f) return null; // a segment starting with "."
    if (c === 0x25 /* % */ && href.charCodeAt(i + 1) === 0x32 && (href.charCodeAt(i + 2) | 0x20) === 0x65) return null;
  }
  const pathname = href.slice(pathStart, i);
  let search = "";
  if (i < href.length) {
    const queryStart = i;
    for (i++; i < href.length; i++) if (!QUERY_SAFE[href.charCodeAt(i)]) return null;
    // `?` alone is an empty query, which `URL.search` shows as ``.
    if (i - queryStart > 1) search = href.slice(queryStart);
  }
  return { protocol, host, hostname, port, pathname, search };
}

/**
 * ASCII characters a serialised path or query carries unchanged: unreserved, sub-delims but `'`, `:@/%`; then `'`
 * in a path (a query's is percent-encoded), `?[]` in a query.
 */
function table(extra: string): boolean[] {
  const safe: boolean[] = new Array<boolean>(128).fill(false);
  const chars = `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&()*+,;=:@/%${extra}`;
  for (let k = 0; k < chars.length; k++) safe[chars.charCodeAt(k)] = true;
  return safe;
}
const PATH_SAFE = table("'");
const QUERY_SAFE = table("?[]");
