/** Document and transaction ids. */
import { randomBytes } from 'node:crypto';

// One randomBytes call per 1024 ids: per-id calls cost more than the SQLite insert itself in bulk loads.
let idPool = Buffer.alloc(0);
let idPoolAt = 0;

/** A random 32-hex-character _id, the cloud's format. */
export function generateId(): string {
  if (idPoolAt + 16 > idPool.length) {
    idPool = randomBytes(16 * 1024);
    idPoolAt = 0;
  }
  const id = idPool.toString('hex', idPoolAt, idPoolAt + 16);
  idPoolAt += 16;
  return id;
}
