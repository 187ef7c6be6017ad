// The pages' budget (issue 14): the app's JavaScript, every file esbuild wrote into
// dist/assets/ (chunks loaded later included), at most 300 KB gzipped. Exits 1 over it,
// 2 when dist/ is missing. Usage: node check_budget.mjs [dist folder] [limit KB]
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] || path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');
const limitKb = Number(process.argv[3] || 300);
let files;
try {
  files = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
} catch {
  console.error(`no ${dist}/assets: build the pages first (scripts/run or node build.mjs)`);
  process.exit(2);
}
if (!files.length) {
  console.error(`no JavaScript in ${dist}/assets`);
  process.exit(2);
}
let total = 0;
for (const f of files) {
  const gz = gzipSync(readFileSync(path.join(dist, 'assets', f)), { level: 9 }).length;
  total += gz;
  console.log(`${f} ${gz} bytes gzipped`);
}
const kb = total / 1024;
console.log(`total ${kb.toFixed(1)} KB gzipped, budget ${limitKb} KB`);
process.exit(kb <= limitKb ? 0 : 1);
