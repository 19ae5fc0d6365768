// Placeholder until the issue that owns this command lands; it refuses rather than pretends.
import type { Command } from "../command.js";
import { UsageError } from "../errors.js";

export const command: Command = {
  name: "check",
  summary: "(not available yet)",
  usage: "gatehouse check",
  details: "",
  options: {},
  allowPositionals: true,
  async run() {
    throw new UsageError("this command is not available yet.");
  },
};
