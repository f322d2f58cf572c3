/** Synthesises the stack offline once per test file, the way `cdk synth` would, into a temporary cdk.out. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { ConnectErasureStack } from "../lib/connect-erasure-stack.ts";
import { propsFromContext, type ErasureDeployProps } from "../lib/deploy-props.ts";
import { TEST_CONTEXT } from "./fixtures.ts";

export interface Synthesised {
  props: ErasureDeployProps;
  stack: ConnectErasureStack;
  template: Template;
  json: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  /** Path of the template file `app.synth()` wrote, as the CLI would deploy it. */
  templateFile: string;
  missingContext: number;
}

/** Builds the app from context exactly as `bin/app.ts` does and synthesises it. */
export function synthesise(overrides: Record<string, unknown> = {}): Synthesised {
  const app = new App({ context: { ...TEST_CONTEXT, ...overrides }, outdir: mkdtempSync(join(tmpdir(), "cdk-out-")) });
  const props = propsFromContext((key) => app.node.tryGetContext(key));
  const stack = new ConnectErasureStack(app, "ConnectErasure", { deploy: props });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const template = Template.fromStack(stack);
  return {
    props,
    stack,
    template,
    json: template.toJSON() as Synthesised["json"],
    templateFile: join(assembly.directory, artifact.templateFile),
    missingContext: assembly.manifest.missing?.length ?? 0,
  };
}

/** Returns a value as an array (CloudFormation renders one-element lists as scalars). */
export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
