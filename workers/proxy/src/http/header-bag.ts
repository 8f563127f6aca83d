// The request headers as a plain map for the stages, turned into a runtime `Headers` once, when a try is sent.

/**
 * Every `Headers` call crosses from JavaScript into the runtime and copies strings both ways; a request through
 * the pipeline made ~90 of them (route matching alone read `x-tenant` once per candidate route). The bag reads
 * the inbound headers once (one `forEach`), serves every read and edit from a Map, and `toHeaders()` copies the
 * inbound `Headers` and replays only the net changes. Names are case-insensitive, as in `Headers`.
 */
export class HeaderBag {
  private readonly inbound = new Map<string, string>();
  /**
   * The stages' net edits over `inbound`: a value, or null for a deleted header. An overlay rather than a copy of
   * the inbound map: a request edits a handful of headers, and `toHeaders()` replays exactly these.
   */
  private readonly edits = new Map<string, string | null>();

  constructor(private readonly source: Headers) {
    source.forEach((value, name) => this.inbound.set(name, value));
  }

  /** The value the request arrived with, whatever the stages did since (null when absent). */
  original(name: string): string | null {
    return this.inbound.get(lower(name)) ?? null;
  }

  /** The inbound headers as a read-only `get` (what shared/ readers take). */
  readonly inboundReader = new InboundReader(this.inbound);

  get(name: string): string | null {
    return this.current(lower(name));
  }

  has(name: string): boolean {
    return this.current(lower(name)) !== null;
  }

  set(name: string, value: string): void {
    this.edits.set(lower(name), trimHttpWhitespace(value));
  }

  /** Like `Headers.append`: a second value joins the first with `, `. */
  append(name: string, value: string): void {
    const key = lower(name);
    const prior = this.current(key);
    const v = trimHttpWhitespace(value);
    this.edits.set(key, prior === null ? v : `${prior}, ${v}`);
  }

  delete(name: string): void {
    const key = lower(name);
    if (this.current(key) !== null) this.edits.set(key, null);
  }

  /** Like `Map.forEach`, inbound headers first: the callback may delete the entry it visits. */
  forEach(callback: (value: string, name: string) => void): void {
    this.inbound.forEach((value, name) => {
      const edited = this.edits.get(name);
      if (edited === undefined) callback(value, name);
      else if (edited !== null) callback(edited, name);
    });
    this.edits.forEach((edited, name) => {
      if (edited !== null && !this.inbound.has(name)) callback(edited, name);
    });
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [name, value] of this.inbound) {
      const edited = this.edits.get(name);
      if (edited === undefined) yield [name, value];
      else if (edited !== null) yield [name, edited];
    }
    for (const [name, edited] of this.edits) if (edited !== null && !this.inbound.has(name)) yield [name, edited];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  /**
   * A runtime `Headers` with the bag's content: a copy of the inbound headers plus the net changes only. Throws
   * a TypeError, like `Headers.set`, for a value the runtime refuses. A new object per call (one per try).
   */
  toHeaders(): Headers {
    const out = new Headers(this.source);
    this.edits.forEach((value, name) => {
      if (value === null) {
        if (this.inbound.has(name)) out.delete(name);
      } else if (value !== this.inbound.get(name)) out.set(name, value);
    });
    return out;
  }

  private current(key: string): string | null {
    const edited = this.edits.get(key);
    return edited === undefined ? (this.inbound.get(key) ?? null) : edited;
  }
}

/** `get` of the headers as they arrived (one object per request, no closure). */
class InboundReader {
  constructor(private readonly inbound: ReadonlyMap<string, string>) {}
  get(name: string): string | null {
    return this.inbound.get(lower(name)) ?? null;
  }
}

function lower(name: string): string {
  // Header names in the code are mostly lower-case already; skip the copy then.
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.toLowerCase();
  }
  return name;
}

/** `Headers` strips leading and trailing HTTP whitespace (space, tab, CR, LF) from values. */
function trimHttpWhitespace(value: string): string {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (!isHttpWhitespace(first) && !isHttpWhitespace(last)) return value;
  return value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

function isHttpWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}
