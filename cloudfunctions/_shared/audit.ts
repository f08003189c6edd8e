/** The audit trail: every state change appends who (openid), what, when, and the status before and after. */
import { nowIso } from './clock';
import { COLLECTIONS } from './collections';
import { insert, type Scope } from './db';

export interface AuditEntry {
  openid: string;
  action: string;
  /** what was changed, e.g. `bindingRequests/<id>` */
  target: string;
  before: unknown;
  after: unknown;
  /** Who acted on the police side (officers, integration keys, the bootstrap secret); absent on drivers' audits. */
  actor?: AuditActor;
}

export interface AuditActor {
  /** actorLabel of police/access.ts: `officer:<login>`, `integration:<keyId>`, `bootstrap`, `anonymous`. */
  label: string;
  login?: string;
  name?: string;
}

/** Written in the caller's transaction when there is one, so the record and the change commit together. */
export async function audit(scope: Scope, entry: AuditEntry): Promise<void> {
  await insert(scope, COLLECTIONS.audit, { ...entry, at: nowIso() });
}
