/**
 * `npm run emulator`: runs the emulator alone with the demo scenario and prints the environment to point the
 * backend (or the AWS CLI) at it. Options: `--port <n>` (default 4566), `--host <addr>` (default 127.0.0.1),
 * `--no-quotas`, `--quota-scale <x>`.
 */
import { startEmulator } from "./server.ts";
import { DEMO_DOMAIN, DEMO_INSTANCE_ID, DEMO_REGION, demoScenario } from "./demo-scenario.ts";
import { parseArgs, type CliOptions } from "./cli-args.ts";

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
