// Finds where JSON text first goes wrong: V8's JSON.parse errors often do not say.

const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
// eslint-disable-next-line no-control-regex -- JSON forbids raw control characters inside strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Scanner {
  at = 0;
  constructor(private readonly text: string) {}

  private ws(): void {
    while (WS.has(this.text[this.at] ?? "")) this.at++;
  }

  private fail(): never {
    throw this.at;
  }

  private token(re: RegExp): void {
    re.lastIndex = this.at;
    if (!re.test(this.text)) this.fail();
    this.at = re.lastIndex;
  }

  private literal(word: string): void {
    if (!this.text.startsWith(word, this.at)) this.fail();
    this.at += word.length;
  }

  private list(close: string, item: () => void): void {
    this.at++;
    this.ws();
    if (this.text[this.at] === close) {
      this.at++;
      return;
    }
    for (;;) {
      item();
      this.ws();
      const c = this.text[this.at];
      if (c === close) {
        this.at++;
        return;
      }
      if (c !== ",") this.fail();
      this.at++;
      this.ws();
    }
  }

  value(): void {
    this.ws();
    const c = this.text[this.at];
    if (c === "{") {
      this.list("}", () => {
        this.ws();
        if (this.text[this.at] !== '"') this.fail();
        this.token(STRING);
        this.ws();
        if (this.text[this.at] !== ":") this.fail();
        this.at++;
        this.value();
      });
    } else if (c === "[") this.list("]", () => this.value());
    else if (c === '"') this.token(STRING);
    else if (c === "t") this.literal("true");
    else if (c === "f") this.literal("false");
    else if (c === "n") this.literal("null");
    else this.token(NUMBER);
    this.ws();
  }

  document(): void {
    this.value();
    if (this.at < this.text.length) this.fail();
  }
}

/** `{line, column}` (1-based) of the first JSON syntax error, or undefined when none is found. */
export function jsonErrorPosition(text: string): { line: number; column: number } | undefined {
  let offset: number;
  try {
    new Scanner(text).document();
    return undefined;
  } catch (err) {
    if (typeof err !== "number") return undefined; // e.g. RangeError on absurd nesting
    offset = err;
  }
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}
