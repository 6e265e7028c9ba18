import { createHash, createHmac } from 'node:crypto';

/** What a signed request needs of the function's environment: Lambda gives its credentials and region there. */
export interface AwsEnvironment {
  AWS_REGION?: string;
  AWS_ACCESS_KEY_ID?: string;
  AWS_SECRET_ACCESS_KEY?: string;
  AWS_SESSION_TOKEN?: string;
}

/** One AWS JSON request before signing. */
export interface UnsignedRequest {
  /** Signing name of the service, e.g. `secretsmanager`, `ses`. */
  service: string;
  host: string;
  /** An already URI-safe path, e.g. `/` or `/v2/email/outbound-emails`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * A POST signed with Signature Version 4 by hand: the one or two AWS calls a
 * function makes besides DynamoDB (a secret at cold start, an email) do not
 * justify another SDK client in its bundle. The unit tests compare it with
 * the SDK's own signer.
 */
export function signedPost(request: UnsignedRequest, env: AwsEnvironment, at: Date) {
  const region = env.AWS_REGION ?? '';
  const amzDate = at.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    ...request.headers,
    host: request.host,
    'x-amz-date': amzDate,
    ...(env.AWS_SESSION_TOKEN ? { 'x-amz-security-token': env.AWS_SESSION_TOKEN } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonical = [
    'POST',
    request.path,
    '',
    ...names.map((n) => `${n}:${headers[n]}`),
    '',
    names.join(';'),
    sha256(request.body),
  ].join('\n');
  const scope = `${day}/${region}/${request.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let signingKey = hmac(`AWS4${env.AWS_SECRET_ACCESS_KEY ?? ''}`, day);
  for (const part of [region, request.service, 'aws4_request']) signingKey = hmac(signingKey, part);
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${env.AWS_ACCESS_KEY_ID ?? ''}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  const signed: Record<string, string> = { ...headers, authorization };
  return { url: `https://${request.host}${request.path}`, method: 'POST', headers: signed, body: request.body };
}
