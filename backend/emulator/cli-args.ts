/** Argument parsing of `cli.ts`, separate so it can be tested without starting a server. */

export interface CliOptions {
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
