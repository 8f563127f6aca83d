// Reading request bodies within the 1 MiB limit (§5), whatever Content-Length says, and their media types.
import { MeshError } from "../../../shared/errors";
import type { MediaType } from "../../../shared/validate/index";
import { MAX_BODY_BYTES } from "../../../shared/validate/index";

const MEDIA_TYPES: Record<string, MediaType> = {
  "application/yaml": "yaml",
  "application/x-yaml": "yaml",
  "text/yaml": "yaml",
  "application/json": "json",
};

/** The body's format from `Content-Type` (parameters ignored); anything else is `415`. */
export function mediaTypeOf(request: Request): MediaType {
  const header = request.headers.get("content-type") ?? "";
  const essence = header.split(";")[0]!.trim().toLowerCase();
  const media = MEDIA_TYPES[essence];
  if (!media) {
    throw new MeshError(
      "unsupported_media_type",
      `Content-Type must be one of ${Object.keys(MEDIA_TYPES).join(", ")}${header ? `, not ${header}` : ""}`,
    );
  }
  return media;
}

/**
 * Reads the body as UTF-8 text. Counts the bytes actually received, so a missing or false Content-Length
 * cannot get more than `limit` bytes into memory; stops reading as soon as the limit is passed.
 */
export async function readTextBody(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(limit);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new MeshError("bad_request", "request body is not valid UTF-8");
  }
}

function tooLarge(limit: number): MeshError {
  return new MeshError("payload_too_large", `request body exceeds ${limit} bytes`);
}
