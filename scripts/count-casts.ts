import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Counts `as` casts and `<T>` assertions in the data code (functions/, tests
 * left out); `as const` is not a cast. Prints one line per cast, then the
 * count per area and the total.
 *
 *   npx tsx scripts/count-casts.ts            # functions/
 *   npx tsx scripts/count-casts.ts functions/backup
 */
const root = resolve(import.meta.dirname, '..');
const start = resolve(root, process.argv[2] ?? 'functions');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function isAsConst(node: ts.AssertionExpression): boolean {
  return ts.isTypeReferenceNode(node.type) && node.type.typeName.getText() === 'const';
}

const perArea = new Map<string, number>();
let total = 0;
for (const path of sourceFiles(start).sort()) {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const name = relative(root, path);
  const visit = (node: ts.Node): void => {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && !isAsConst(node)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      console.log(`${name}:${line + 1}  ${node.getText().replace(/\s+/g, ' ').slice(0, 100)}`);
      const area = name.split('/')[1] ?? name;
      perArea.set(area, (perArea.get(area) ?? 0) + 1);
      total += 1;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
for (const [area, count] of [...perArea].sort((a, b) => b[1] - a[1])) console.log(`${area}: ${count}`);
console.log(`total: ${total}`);
