// The CLI's failure kinds and their exit codes: 0 ok; 1 differences, invalid input or an API error;
// 2 a usage error (bad flags, missing file) or a control plane that cannot be reached.

/** The control API answered with an error (`{error:{code,message,details}}` or something else non-2xx). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {Array<{document?: string, path?: string, message: string}>} details
   */
  constructor(status, code, message, details = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The control plane could not be reached at all (refused, DNS, TLS, timeout). */
export class ConnectionError extends Error {
  /** @param {string} server @param {string} reason */
  constructor(server, reason) {
    super(`cannot reach the control plane at ${server}: ${reason}`);
    this.name = "ConnectionError";
    this.server = server;
  }
}

/** The command was used wrongly: a missing file, a bad argument, an unknown context. Exit 2. */
export class UsageError extends Error {
  /** @param {string} message @param {string[]} [lines] extra lines printed below the message */
  constructor(message, lines = []) {
    super(message);
    this.name = "UsageError";
    this.lines = lines;
  }
}

/** The input itself is wrong (YAML syntax, a document without kind...). Exit 1, like a validation problem. */
export class InputError extends UsageError {
  constructor(message, lines = []) {
    super(message, lines);
    this.name = "InputError";
  }
}

export const EXIT = Object.freeze({ ok: 0, failure: 1, usage: 2, unreachable: 2 });
