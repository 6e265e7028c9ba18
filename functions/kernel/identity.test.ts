import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { returns, route } from '#contract/define';
import { type ApiEvent, defineHandler } from './http';

describe('the kernel refuses an unverified email', () => {
  const probe = route({
    method: 'GET',
    path: '/probe',
    handler: 'probe/get',
    summary: 'test probe',
    access: { kind: 'signedIn' },
    writes: false,
    response: returns<unknown>(),
  });
  const handler = defineHandler(probe, async ({ caller }) => ({ email: caller.email }));
  const call = (claims: Record<string, unknown>) =>
    handler(
      {
        rawPath: '/api/probe',
        headers: {},
        requestContext: { authorizer: { jwt: { claims: { sub: 's-1', email: 'a@b.example', ...claims }, scopes: [] } } },
      } as unknown as ApiEvent,
      {} as Context,
    );

  it('answers 401 unless email_verified is true (as API Gateway passes it, a string, or a boolean)', async () => {
    for (const refused of [
      {},
      { email_verified: 'false' },
      { email_verified: false },
      { email_verified: '' },
      { email_verified: '1' },
    ]) {
      const response = await call(refused);
      expect(response.statusCode, JSON.stringify(refused)).toBe(401);
      expect(JSON.parse(String(response.body))).toMatchObject({ error: 'Unauthorized' });
    }
    for (const accepted of [{ email_verified: 'true' }, { email_verified: true }]) {
      expect((await call(accepted)).statusCode, JSON.stringify(accepted)).toBe(200);
    }
  });
});
