// The CLI's failure kinds and their exit codes: API errors 1, unreachable server 2, usage/input errors 1.

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

/** Bad input found by the CLI itself (missing file, YAML syntax, unknown kind...). */
export class UsageError extends Error {
  /** @param {string} message @param {string[]} [lines] extra lines printed below the message */
  constructor(message, lines = []) {
    super(message);
    this.name = "UsageError";
    this.lines = lines;
  }
}

export const EXIT = Object.freeze({ ok: 0, failure: 1, unreachable: 2 });
