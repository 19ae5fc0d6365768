/**
 * `npm run bench`: every benchmark of gatehouse, printing figures. Timings are measured here,
 * never asserted in tests. `npm run bench -- NAME...` runs only the named sections.
 */
import { readdir } from "node:fs/promises";

// As the CLI and the app do at start-up (see bin/gatehouse.js): the yaml library reads
// process.env on every token, and a plain copy is far cheaper to read than Node's native one.
process.env = { ...process.env };

const dir = new URL(".", import.meta.url);
const wanted = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith(".bench.ts")).sort();
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, "");
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  const section = (await import(new URL(file, dir).href)) as { run(): Promise<void> };
  await section.run();
}
