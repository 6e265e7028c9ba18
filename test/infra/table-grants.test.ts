import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AnyRoute, routes } from '#contract/index';
import { readActions, readWriteActions } from '#infra/api-function';

/** The IAM actions each DynamoDB command needs; Scan is deliberately absent (no Scan on a request path). */
const actionsOf: Record<string, string[]> = {
  GetCommand: ['dynamodb:GetItem'],
  GetItemCommand: ['dynamodb:GetItem'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchGetItemCommand: ['dynamodb:BatchGetItem'],
  QueryCommand: ['dynamodb:Query'],
  PutCommand: ['dynamodb:PutItem'],
  PutItemCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  UpdateItemCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  DeleteItemCommand: ['dynamodb:DeleteItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  BatchWriteItemCommand: ['dynamodb:BatchWriteItem'],
  TransactGetCommand: ['dynamodb:GetItem'],
  TransactWriteCommand: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('the functions’ table grants', () => {
  it('cover every DynamoDB command the Lambda code sends, so nothing works locally and fails on AWS', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(resolve(import.meta.dirname, '../../functions'))) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(?:lib|client)-dynamodb'/g)) {
        for (const name of (match[1] ?? '').split(',').map((part) => part.trim().split(/\s+as\s+/)[0] ?? '')) {
          if (name.endsWith('Command') && !name.startsWith('type ')) used.add(name);
        }
      }
    }
    expect(used.size).toBeGreaterThan(0);
    const granted = new Set<string>(readWriteActions);
    for (const command of used) {
      const needed = actionsOf[command];
      expect(needed, `${command} is not mapped: add its IAM actions here and to infra/api-function.ts`).toBeDefined();
      for (const action of needed ?? []) expect(granted.has(action), `${command} needs ${action}`).toBe(true);
    }
    expect(readActions.every((action) => granted.has(action))).toBe(true);
  });

  it('give write access to every route whose middleware stores an idempotency record (POST unless marked otherwise)', () => {
    for (const [name, route] of Object.entries(routes as Record<string, AnyRoute & { idempotent?: boolean }>)) {
      if (route.idempotent ?? route.method === 'POST') expect(route.writes, name).toBe(true);
    }
  });
});
