// Rows of `signing_keys`: each CA generation's public key, root certificate and sealed private key.
import type { SealedKey } from "./key-encryption";
import type { PublicJwk } from "./signing-key";

export interface KeyRow {
  kid: string;
  publicJwk: PublicJwk;
  certificatePem: string;
  /** Null once the key is superseded: a previous key only verifies, so its private half is destroyed. */
  sealed: SealedKey | null;
  createdAtMs: number;
  /** Expiry of the root certificate. */
  notAfterMs: number;
  /** When a newer key took over; null for the current key. */
  supersededAtMs: number | null;
}

interface Row extends Record<string, SqlStorageValue> {
  kid: string;
  public_jwk: string;
  certificate: string;
  private_key: string | null;
  private_iv: string | null;
  created_at: number;
  not_after: number;
  superseded_at: number | null;
}

export class KeyStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Every stored key, newest first. */
  all(): KeyRow[] {
    return this.sql
      .exec<Row>(`SELECT * FROM signing_keys ORDER BY created_at DESC, kid`)
      .toArray()
      .map((row) => ({
        kid: row.kid,
        publicJwk: JSON.parse(row.public_jwk) as PublicJwk,
        certificatePem: row.certificate,
        sealed:
          row.private_key !== null && row.private_iv !== null
            ? { ciphertext: row.private_key, iv: row.private_iv }
            : null,
        createdAtMs: row.created_at,
        notAfterMs: row.not_after,
        supersededAtMs: row.superseded_at,
      }));
  }

  current(): KeyRow | undefined {
    return this.all().find((k) => k.supersededAtMs === null && k.sealed !== null);
  }

  /** Adds a new current key and supersedes every other one (destroying their private halves), atomically. */
  insertCurrent(row: KeyRow & { sealed: SealedKey }): void {
    this.sql.exec(
      `UPDATE signing_keys SET superseded_at = ?, private_key = NULL, private_iv = NULL WHERE superseded_at IS NULL`,
      row.createdAtMs,
    );
    this.sql.exec(
      `INSERT INTO signing_keys (kid, public_jwk, certificate, private_key, private_iv, created_at, not_after, superseded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
      row.kid,
      JSON.stringify(row.publicJwk),
      row.certificatePem,
      row.sealed.ciphertext,
      row.sealed.iv,
      row.createdAtMs,
      row.notAfterMs,
    );
  }

  /** Forgets superseded keys whose overlap window ended before `cutoffMs`. */
  prune(cutoffMs: number): number {
    return this.sql.exec(`DELETE FROM signing_keys WHERE superseded_at IS NOT NULL AND superseded_at < ?`, cutoffMs)
      .rowsWritten;
  }
}
