/**
 * Workspace API keys: what a machine caller (a CRM, an ERP) holds to call the
 * routes its key names, as a rep-level member of one workspace. Pure rules and
 * shapes, no I/O.
 */

/** Every key starts with this, so a leaked one is easy to recognise in logs and scanners. */
export const apiKeyPrefix = 'acc_';

/** Requests a key may make per minute unless it is created with its own limit. */
export const defaultRequestsPerMinute = 60;
export const maxRequestsPerMinute = 600;
/** How many routes one key may name. */
export const maxKeyRoutes = 20;
/** Keys a workspace may hold that are not revoked (a cap on the workspace item, contract/limits.ts). */
export const maxActiveKeys = 50;

/** A key as the API lists it: never its secret, nor the secret's hash. */
export interface ApiKeyView {
  id: string;
  workspaceId: string;
  name: string;
  /** The route names the key may call (contract/machine.ts: routes flagged `machine`). */
  routes: string[];
  requestsPerMinute: number;
  /** The key's last four characters, so an admin can tell which key a caller holds. */
  hint: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  /** When the key last made an accepted request, or null when it never has. */
  lastUsedAt: string | null;
  version: number;
}

/** The answer to creating a key: the only time its secret is shown. */
export interface CreatedApiKey {
  key: ApiKeyView;
  /** `acc_<id>_<secret>`, to send in the `x-api-key` header; stored only as a hash. */
  apiKey: string;
}

const keyPattern = /^acc_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** The key's id and secret, or null when the text is not shaped like a key. */
export function parseApiKey(text: string | undefined): { id: string; secret: string } | null {
  if (typeof text !== 'string' || text.length > 120) return null;
  const found = keyPattern.exec(text.trim());
  return found?.[1] && found[2] ? { id: found[1], secret: found[2] } : null;
}

export const formatApiKey = (id: string, secret: string) => `${apiKeyPrefix}${id}_${secret}`;

/**
 * The email a key acts under, in audit events and on what it records. The
 * `.invalid` domain is reserved (RFC 2606): no person can hold it, so no
 * signed-in person is ever taken for a key or the other way round.
 */
export const machineEmail = (keyId: string) => `${keyId}@api-keys.invalid`;

/** The name a key acts under: what the audit trail shows as who. */
export const machineName = (keyName: string) => `API key ${keyName}`;
