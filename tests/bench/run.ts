/**
 * `npm run bench -- <name>`: prints measurements, the last line one JSON object.
 * Benchmarks are not pass/fail tests; their figures go in the README.
 */
const benches: Record<string, () => Promise<unknown>> = {
  'working-copy': () => import('./workingCopy.ts').then((m) => m.run()),
  revisions: () => import('./revisions.ts').then((m) => m.run()),
  editor: () => import('./editor.ts').then((m) => m.run()),
  publish: () => import('./publish.ts').then((m) => m.run()),
  desk: () => import('./desk.ts').then((m) => m.run()),
};

const which = process.argv[2];
const bench = which ? benches[which] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join(' | ')}>`);
  process.exit(2);
}
const result = await bench();
console.log(JSON.stringify(result));
export {};
