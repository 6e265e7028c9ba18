import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { returns, route } from '#contract/define';
import { refuse } from '#contract/refusal';
import { Conflict, LimitExceeded, ValidationFailed } from '#functions/runtime/errors';
import { type ApiEvent, defineHandler } from './http';

/** Services throw refusals; the kernel alone answers them, exactly as the HTTP errors answered before them. */
const probe = route({
  method: 'GET',
  path: '/probe',
  handler: 'probe/get',
  summary: 'test probe',
  access: { kind: 'signedIn' },
  writes: false,
  response: returns<unknown>(),
});

const event = {
  rawPath: '/api/probe',
  headers: {},
  requestContext: { authorizer: { jwt: { claims: { sub: 's-1', email: 'a@b.example', email_verified: 'true' }, scopes: [] } } },
} as unknown as ApiEvent;

async function answerTo(error: unknown) {
  const response = await defineHandler(probe, async () => {
    throw error;
  })(event, {} as Context);
  return { status: response.statusCode, body: JSON.parse(String(response.body)), headers: response.headers };
}

describe('refusals answered by the kernel', () => {
  it('answers invalid with a field exactly as ValidationFailed', async () => {
    const refused = await answerTo(refuse.invalid('must be after the order date', 'body.deliveryDate'));
    expect(refused).toMatchObject({
      status: 400,
      body: {
        error: 'ValidationFailed',
        message: 'Invalid input: body.deliveryDate must be after the order date',
        details: [{ field: 'body.deliveryDate', message: 'must be after the order date' }],
      },
    });
    const before = await answerTo(
      new ValidationFailed([{ field: 'body.deliveryDate', message: 'must be after the order date' }]),
    );
    expect(refused.body).toEqual(before.body);
  });

  it('answers invalid without a field as BadRequest', async () => {
    expect(await answerTo(refuse.invalid('The cycle is closed'))).toMatchObject({
      status: 400,
      body: { error: 'BadRequest', message: 'The cycle is closed' },
    });
    expect((await answerTo(refuse.invalid('The cycle is closed'))).body).toEqual({
      error: 'BadRequest',
      message: 'The cycle is closed',
    });
  });

  it('answers forbidden with 403 and not-found with 404', async () => {
    expect(await answerTo(refuse.forbidden('Only the reporter may correct it'))).toEqual(
      expect.objectContaining({ status: 403, body: { error: 'Forbidden', message: 'Only the reporter may correct it' } }),
    );
    expect(await answerTo(refuse.notFound('Issue not found'))).toEqual(
      expect.objectContaining({ status: 404, body: { error: 'NotFound', message: 'Issue not found' } }),
    );
  });

  it('answers conflict with 409 and its details, as Conflict did', async () => {
    const details = { current: { version: 3 } };
    const refused = await answerTo(refuse.conflict('Changed meanwhile', details));
    expect(refused).toEqual(
      expect.objectContaining({ status: 409, body: { error: 'Conflict', message: 'Changed meanwhile', details } }),
    );
    expect(refused.body).toEqual((await answerTo(new Conflict('Changed meanwhile', details))).body);
    expect((await answerTo(refuse.conflict('Changed meanwhile'))).body).toEqual({
      error: 'Conflict',
      message: 'Changed meanwhile',
    });
  });

  it('answers limit with 422 LimitExceeded and its details, as LimitExceeded did', async () => {
    const details = { limit: 'itemsPerWorkspace', max: 500 };
    const refused = await answerTo(refuse.limit('The workspace holds 500 items already', details));
    expect(refused).toEqual(
      expect.objectContaining({
        status: 422,
        body: { error: 'LimitExceeded', message: 'The workspace holds 500 items already', details },
      }),
    );
    expect(refused.body).toEqual((await answerTo(new LimitExceeded('The workspace holds 500 items already', details))).body);
  });

  it('answers every response with JSON that is never cached', async () => {
    const { headers } = await answerTo(refuse.notFound('Gone'));
    expect(headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  });
});
