/**
 * `npm run emulator`: runs the emulator alone with the demo scenario and prints the environment to point the
 * backend (or the AWS CLI) at it. Options: `--port <n>` (default 4566), `--host <addr>` (default 127.0.0.1),
 * `--no-quotas`, `--quota-scale <x>`.
 */
import { startEmulator } from "./server.ts";
import { DEMO_DOMAIN, DEMO_INSTANCE_ID, DEMO_REGION, demoScenario } from "./demo-scenario.ts";

interface CliOptions {
  port: number;
  host: string;
  quotas: boolean;
  scale: number;
}

/** Parses argv; throws with a usage message on anything it does not understand. */
export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { port: 4566, host: "127.0.0.1", quotas: true, scale: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--port") options.port = Number(value());
    else if (arg === "--host") options.host = value();
    else if (arg === "--no-quotas") options.quotas = false;
    else if (arg === "--quota-scale") options.scale = Number(value());
    else throw new Error(`unknown option ${arg}; usage: emulator [--port 4566] [--host 127.0.0.1] [--no-quotas] [--quota-scale 1]`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error("--port must be 0..65535");
  if (!(options.scale > 0)) throw new Error("--quota-scale must be > 0");
  return options;
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator({
    port: options.port,
    host: options.host,
    scenario: demoScenario(),
    quotas: { enabled: options.quotas, scale: options.scale },
  });
  process.stdout.write(
    [
      `# Connect Erasure AWS emulator listening on ${emulator.url} (demo scenario; quotas ${options.quotas ? `on, scale ${options.scale}` : "off"})`,
      `export AWS_ENDPOINT_URL_CONNECT=${emulator.url}`,
      `export AWS_ENDPOINT_URL_CUSTOMER_PROFILES=${emulator.url}`,
      `export AWS_ENDPOINT_URL_S3=${emulator.url}`,
      `export AWS_REGION=${DEMO_REGION}`,
      `export CONNECT_INSTANCE_ID=${DEMO_INSTANCE_ID}`,
      `export CUSTOMER_PROFILES_DOMAIN=${DEMO_DOMAIN}`,
      `# control API: ${emulator.url}/_emulator/state (see backend/emulator/README.md); Ctrl-C stops it`,
      "",
    ].join("\n"),
  );
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
