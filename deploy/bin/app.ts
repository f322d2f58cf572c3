/**
 * CDK entry point. With the CDK CLI (`npx aws-cdk@2 deploy`) the context comes from the CLI; without it
 * (`npm run synth`) it is read from `cdk.json` and `cdk.context.json` here, so the template can be written offline.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { App } from "aws-cdk-lib";
import { ConnectErasureStack } from "../lib/connect-erasure-stack.ts";
import { propsFromContext } from "../lib/deploy-props.ts";

function localContext(): Record<string, unknown> {
  const read = (file: string): Record<string, unknown> => {
    const path = resolve(import.meta.dirname, "..", file);
    if (!existsSync(path)) return {};
    const json = JSON.parse(readFileSync(path, "utf8")) as { context?: Record<string, unknown> };
    return file === "cdk.json" ? (json.context ?? {}) : (json as Record<string, unknown>);
  };
  return { ...read("cdk.json"), ...read("cdk.context.json") };
}

const app = new App(process.env.CDK_CONTEXT_JSON ? {} : { context: localContext() });
const stackName = String(app.node.tryGetContext("stackName") ?? "ConnectErasure");
new ConnectErasureStack(app, stackName, { deploy: propsFromContext((key) => app.node.tryGetContext(key)) });
app.synth();
