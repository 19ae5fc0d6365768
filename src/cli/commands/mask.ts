import { randomBytes } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  realpathSync,
  statSync,
  type WriteStream,
} from "node:fs";
import { open, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { DETECTORS, type DetectorCode } from "../../core/privacy/detector.js";
import { pseudonymizer } from "../../core/privacy/pseudonymize.js";
import type { StreamMaskerOptions } from "../../core/privacy/stream-masker.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import { repositoryPrivacyPolicy, scanOptionsOf } from "../privacy-options.js";
import { maskStream } from "../stream-mask.js";

/** Shorter keys are refused: a pseudonym is only as strong as the key that makes it. */
const MIN_KEY_BYTES = 16;

export const command: Command = {
  name: "mask",
  summary: "Desensitise text: mask (or pseudonymise) every piece of personal data in it",
  usage:
    "gatehouse mask [FILE|-] [--output FILE | --in-place] [--pseudonymize [--key-file FILE]] [--policy FILE]",
  details: `Arguments:
  FILE             The text to desensitise; - or nothing reads standard input.

Options:
  -o, --output FILE  Write the result here instead of standard output (never the input itself).
  -i, --in-place     Mask FILE where it is, atomically: the result replaces the file whole, or
                     the file stays as it was.
  --pseudonymize     Replace each value by a stable token such as <phone:5f2c9a1b07e4>: the same
                     value gives the same token in every file masked with the same key, so
                     events can still be correlated. Secrets are redacted all the same.
  --key-file FILE    The pseudonym key (at least ${MIN_KEY_BYTES} bytes; default: the environment
                     variable GATEHOUSE_PSEUDONYM_KEY). It is never printed.
  --policy FILE      A privacy.yml whose detectors and allow-list to apply (default:
                     privacy.yml in the policies directory of the current directory, when it
                     exists, as scan applies it).

Everything that is not personal data is written back byte for byte. Masking conventions:
card 622202*********0123 (first 6, last 4), phone 138****8000, ID 110101********4578,
e-mail z***@acme.example, IPv4 10.12.*.*, IPv6 2001:db8:****, passport E1****678,
tokens [redacted:token], private key blocks -----[redacted:private-key]-----.
Masking masked text changes nothing. How many values of each kind were masked is told on
standard error.
Large files stream in flat memory. Exit status: 0 on success, 2 for a usage error.`,
  options: {
    output: { type: "string", short: "o" },
    pseudonymize: { type: "boolean" },
    "key-file": { type: "string" },
    policy: { type: "string" },
    "in-place": { type: "boolean", short: "i" },
  },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length > 1) {
      throw new UsageError("mask takes one input file (or - for standard input).");
    }
    const input = args.positionals[0] ?? "-";
    const output = args.values.output as string | undefined;
    const inPlace = args.values["in-place"] === true;
    if (inPlace && (input === "-" || output !== undefined)) {
      throw new UsageError(
        input === "-"
          ? "--in-place masks a file where it is; name the FILE."
          : "--in-place writes the result over FILE itself; leave out --output.",
      );
    }
    // The repository's own privacy.yml (or --policy): its detectors and allow-list, as scan.
    const policy = await repositoryPrivacyPolicy(args.values.policy as string | undefined, io);
    const options: StreamMaskerOptions = policy === null ? {} : scanOptionsOf(policy.policy);
    const pseudonymize = args.values.pseudonymize === true;
    if (pseudonymize) {
      options.replace = pseudonymizer(
        await pseudonymKey(args.values["key-file"] as string | undefined, io),
      );
    } else if (args.values["key-file"] !== undefined) {
      throw new UsageError(
        "--key-file is only used with --pseudonymize; add --pseudonymize or drop the key.",
      );
    }

    const source = input === "-" ? io.stdin : openInput(resolve(io.cwd, input), input);
    let counts: ReadonlyMap<DetectorCode, number>;
    if (inPlace) {
      counts = await maskInPlace(resolve(io.cwd, input), input, source, options);
    } else if (output === undefined) {
      counts = await maskStream(source, io.stdout, options);
    } else {
      const target = resolve(io.cwd, output);
      if (input !== "-" && sameFile(resolve(io.cwd, input), target)) {
        throw new UsageError(
          `the output ${output} is the input file itself; to mask a file where it is, use --in-place.`,
        );
      }
      const sink = createWriteStream(target);
      await opened(sink, output);
      counts = await maskStream(source, sink, options);
      await ended(sink);
    }
    io.stderr.write(`gatehouse mask: ${summary(counts, pseudonymize)}\n`);
    return EXIT.clear;
  },
};

/** "masked 3 values: 2 mainland mobile number (cn-mobile), 1 e-mail address (email)". */
export function summary(counts: ReadonlyMap<DetectorCode, number>, pseudonymized = false): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return "no personal data found; the text is unchanged.";
  const kinds = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([detector, n]) => `${n} ${DETECTORS[detector].title} (${detector})`);
  const verb = pseudonymized ? "pseudonymized" : "masked";
  return `${verb} ${total} ${total === 1 ? "value" : "values"}: ${kinds.join(", ")}.`;
}

/**
 * Masks a file where it is, atomically: the result is written to a new file beside it (same
 * folder, so the same file system), flushed to disk, given the file's mode, and renamed over
 * it. A failure leaves the file as it was and removes the new one; no reader ever sees half a
 * file. A symbolic link is followed: the file it points to is masked, the link stays.
 */
async function maskInPlace(
  file: string,
  shown: string,
  source: NodeJS.ReadableStream,
  options: StreamMaskerOptions,
): Promise<ReadonlyMap<DetectorCode, number>> {
  const real = realpathSync(file);
  const temp = join(
    dirname(real),
    `.${basename(real)}.gatehouse-mask-${randomBytes(6).toString("hex")}`,
  );
  const sink = createWriteStream(temp, { flags: "wx", mode: statSync(real).mode & 0o7777 });
  try {
    await opened(sink, shown);
    const counts = await maskStream(source, sink, options);
    await ended(sink);
    const handle = await open(temp, "r");
    await handle.sync().finally(() => handle.close());
    await rename(temp, real);
    return counts;
  } catch (error) {
    sink.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}

async function opened(sink: WriteStream, shown: string): Promise<void> {
  try {
    await new Promise<void>((ok, fail) => {
      sink.once("open", () => ok());
      sink.once("error", fail);
    });
  } catch {
    throw new UsageError(`cannot write ${shown}; check that its folder exists and is writable.`);
  }
}

function ended(sink: WriteStream): Promise<void> {
  return new Promise<void>((ok, fail) =>
    sink.end((error?: Error | null) => (error ? fail(error) : ok())),
  );
}

function openInput(path: string, shown: string): NodeJS.ReadableStream {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new UsageError(`cannot read ${shown}: there is no such file. Check the path.`);
  }
  if (!isFile)
    throw new UsageError(`${shown} is not a file; mask reads one file or standard input.`);
  return createReadStream(path, { highWaterMark: 64 * 1024 });
}

function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

async function pseudonymKey(keyFile: string | undefined, io: CliIO): Promise<Buffer> {
  let key: Buffer;
  let from: string;
  if (keyFile !== undefined) {
    from = keyFile;
    try {
      key = await readFile(resolve(io.cwd, keyFile));
    } catch {
      throw new UsageError(`cannot read the key file ${keyFile}; check the path.`);
    }
    // A trailing newline from `echo` or an editor is not part of the key.
    key = key.subarray(0, key.length - (/\r?\n$/.exec(key.toString("latin1"))?.[0].length ?? 0));
  } else if (io.env.GATEHOUSE_PSEUDONYM_KEY) {
    from = "GATEHOUSE_PSEUDONYM_KEY";
    key = Buffer.from(io.env.GATEHOUSE_PSEUDONYM_KEY, "utf8");
  } else {
    throw new UsageError(
      "--pseudonymize needs a key: pass --key-file FILE or set GATEHOUSE_PSEUDONYM_KEY (for example from `openssl rand -hex 32`).",
    );
  }
  if (key.length < MIN_KEY_BYTES) {
    throw new UsageError(
      `the pseudonym key from ${from} is ${key.length} bytes; use at least ${MIN_KEY_BYTES} random bytes (for example \`openssl rand -hex 32\`).`,
    );
  }
  return key;
}
