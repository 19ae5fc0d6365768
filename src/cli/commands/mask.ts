import { createReadStream, createWriteStream, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pseudonymizer } from "../../core/privacy/pseudonymize.js";
import type { StreamMaskerOptions } from "../../core/privacy/stream-masker.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import { privacyOptions } from "../privacy-options.js";
import { maskStream } from "../stream-mask.js";

/** Shorter keys are refused: a pseudonym is only as strong as the key that makes it. */
const MIN_KEY_BYTES = 16;

export const command: Command = {
  name: "mask",
  summary: "Desensitise text: mask (or pseudonymise) every piece of personal data in it",
  usage:
    "gatehouse mask [FILE|-] [--output FILE] [--pseudonymize [--key-file FILE]] [--policy FILE]",
  details: `Arguments:
  FILE             The text to desensitise; - or nothing reads standard input.

Options:
  -o, --output FILE  Write the result here instead of standard output (never the input itself).
  --pseudonymize     Replace each value by a stable token such as <phone:5f2c9a1b07e4>: the same
                     value gives the same token in every file masked with the same key, so
                     events can still be correlated. Secrets are redacted all the same.
  --key-file FILE    The pseudonym key (at least ${MIN_KEY_BYTES} bytes; default: the environment
                     variable GATEHOUSE_PSEUDONYM_KEY). It is never printed.
  --policy FILE      A privacy.yml whose detectors and allow-list to apply.

Everything that is not personal data is written back byte for byte. Masking conventions:
card 622202*********0123 (first 6, last 4), phone 138****8000, ID 110101********4578,
e-mail z***@acme.example, IPv4 10.12.*.*, IPv6 2001:db8:****, passport E1****678,
tokens [redacted:token], private key blocks -----[redacted:private-key]-----.
Masking masked text changes nothing.
Large files stream in flat memory. Exit status: 0 on success, 2 for a usage error.`,
  options: {
    output: { type: "string", short: "o" },
    pseudonymize: { type: "boolean" },
    "key-file": { type: "string" },
    policy: { type: "string" },
  },
  allowPositionals: true,
  async run(args, io) {
    if (args.positionals.length > 1) {
      throw new UsageError("mask takes one input file (or - for standard input).");
    }
    const input = args.positionals[0] ?? "-";
    const output = args.values.output as string | undefined;
    const options: StreamMaskerOptions = args.values.policy
      ? await privacyOptions(
          resolve(io.cwd, args.values.policy as string),
          args.values.policy as string,
        )
      : {};
    if (args.values.pseudonymize) {
      options.replace = pseudonymizer(
        await pseudonymKey(args.values["key-file"] as string | undefined, io),
      );
    } else if (args.values["key-file"] !== undefined) {
      throw new UsageError(
        "--key-file is only used with --pseudonymize; add --pseudonymize or drop the key.",
      );
    }

    const source = input === "-" ? io.stdin : openInput(resolve(io.cwd, input), input);
    if (output === undefined) {
      await maskStream(source, io.stdout, options);
      return EXIT.clear;
    }
    const target = resolve(io.cwd, output);
    if (input !== "-" && sameFile(resolve(io.cwd, input), target)) {
      throw new UsageError(
        `the output ${output} is the input file itself, which masking would destroy; write to another file and rename it afterwards.`,
      );
    }
    const sink = createWriteStream(target);
    const opened = new Promise<void>((ok, fail) => {
      sink.once("open", () => ok());
      sink.once("error", fail);
    });
    try {
      await opened;
    } catch {
      throw new UsageError(`cannot write ${output}; check that its folder exists and is writable.`);
    }
    await maskStream(source, sink, options);
    await new Promise<void>((ok, fail) =>
      sink.end((error?: Error | null) => (error ? fail(error) : ok())),
    );
    return EXIT.clear;
  },
};

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
