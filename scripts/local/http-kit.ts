import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { functionTimeoutMs } from '#functions/runtime/deadline';

/** The local server's plumbing: answers, bodies read within their limit, the Lambda context of a call. */

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds the limit of ${limit} bytes`);
  }
}

/** How much of an over-long body is read and thrown away, so the client gets its 413 rather than a reset. */
const maxDiscardBytes = 64 * 1024 * 1024;

/**
 * Reads a body up to `limit` bytes, counting as the bytes arrive. Past the
 * limit it keeps nothing more: the rest is read and dropped (up to a bound)
 * while the caller answers 413, because closing a socket the client is
 * still writing to resets the connection instead of delivering the answer.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const collect = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks = [];
      req.off('data', collect);
      let discarded = 0;
      req.on('data', (dropped: Buffer) => {
        discarded += dropped.length;
        if (discarded > maxDiscardBytes) req.destroy();
      });
      reject(new BodyTooLarge(limit));
    };
    req.on('data', collect);
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export const tooLarge = (res: ServerResponse, error: BodyTooLarge) =>
  send(
    res,
    413,
    { error: 'PayloadTooLarge', message: error.message, details: { limit: 'bodyBytes', max: error.limit } },
    { connection: 'close' },
  );

export function lambdaContext(functionName: string): Context {
  // The deployed function's timeout, so retries give up here as they would on AWS.
  const deadline = Date.now() + functionTimeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
