import "dotenv/config";
import { runCli } from "./run-cli.js";

// `kaiqu … --json | head`: the reader went away; stop quietly instead of crashing with EPIPE.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2));
