/**
 * The `gatehouse` process around {@link main}: what only a real process needs. `bin/gatehouse.js`
 * imports this module from `lib/`.
 */
import { main } from "./main.js";

// `gatehouse scan big.log | head` closes the pipe early: stop quietly, as a shell tool does
// (141 is what shells report for a process ended by a broken pipe).
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(141);
  throw error;
});

// The yaml library reads process.env on every token it parses, and Node's process.env is a slow
// native lookup: a plain copy, taken once, makes parsing faster.
process.env = { ...process.env };

process.exitCode = await main(process.argv.slice(2));
