// Builds the pages into dist/ (ignored by git), which telerad serves at / and /app/
// (README, "The pages and the viewer on one origin"):
// - esbuild bundles src/main.tsx (TypeScript, Preact's JSX) and the CSS it imports into
//   dist/assets/, minified and split into chunks, every file named by its content hash
//   ("[name]-[hash]"): telerad caches everything under /app/assets/ for a year;
// - dist/index.html names the entry script and style sheet (revalidated by ETag);
// - every text file gets a .gz sibling (gzip -9 through zlib) that telerad sends to
//   clients accepting gzip.
// Prints the gzipped size of the JavaScript; check_budget.mjs enforces the budget.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(path.join(dist, 'assets'), { recursive: true });

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: ['src/main.tsx'],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: ['chrome109', 'firefox115', 'safari15.6'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: 'dist/assets',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  publicPath: '/app/assets',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

const outputs = Object.keys(result.metafile.outputs);
const entry = (ext) => {
  const name = outputs.find((o) => result.metafile.outputs[o].entryPoint === 'src/main.tsx' && o.endsWith(ext))
    ?? outputs.find((o) => o.startsWith('dist/assets/main-') && o.endsWith(ext));
  if (!name) throw new Error(`esbuild wrote no main${ext}`);
  return '/app/' + path.relative('dist', name);
};
// The chunks main imports statically (code the pages share with the lazily loaded ones):
// named in index.html so the browser fetches them beside main instead of one round trip
// later, after parsing main (300 ms each on a rural link, bench/pages_slow_link.mjs).
const mainOutput = outputs.find((o) => result.metafile.outputs[o].entryPoint === 'src/main.tsx' && o.endsWith('.js'));
const preloads = (result.metafile.outputs[mainOutput]?.imports ?? [])
  .filter((i) => i.kind === 'import-statement' && !i.external)
  .map((i) => `<link rel="modulepreload" href="/app/${path.relative('dist', i.path)}">\n`)
  .join('');
// The session question (session.tsx, the first call of every page) is asked by the
// browser while it fetches and runs the scripts, not after: preload with the credentials
// mode of fetch()'s default ("anonymous": same-origin cookies), so fetch() takes the answer.
const html = `<!doctype html>
<html lang="mn" data-theme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>telerad</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${entry('.css')}">
<link rel="preload" href="/api/v1/auth/session" as="fetch" crossorigin="anonymous">
${preloads}<script type="module" src="${entry('.js')}"></script>
</head>
<body>
<div id="app"><noscript>telerad needs JavaScript. / telerad ажиллахад JavaScript шаардлагатай.</noscript></div>
</body>
</html>
`;
writeFileSync(path.join(dist, 'index.html'), html);

let jsGzip = 0;
for (const file of [path.join(dist, 'index.html'), ...readdirSync(path.join(dist, 'assets')).map((f) => path.join(dist, 'assets', f))]) {
  if (!/\.(js|css|html|json|svg)$/.test(file)) continue;
  const gz = gzipSync(readFileSync(file), { level: 9 });
  writeFileSync(file + '.gz', gz);
  if (file.endsWith('.js')) jsGzip += gz.length;
}
console.log(`pages built into dist/: JavaScript ${(jsGzip / 1024).toFixed(1)} KB gzipped`);
