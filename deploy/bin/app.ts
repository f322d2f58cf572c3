/**
 * CDK entry point: `npx cdk deploy -c connectInstanceArn=… -c connectInstanceAlias=… …` (see deploy/README.md), or
 * `npm run synth -- ` to write the template to `cdk.out/` without the CDK CLI.
 */
import { App } from "aws-cdk-lib";
import { ConnectErasureStack } from "../lib/connect-erasure-stack.ts";
import { propsFromContext } from "../lib/deploy-props.ts";

const app = new App();
const stackName = String(app.node.tryGetContext("stackName") ?? "ConnectErasure");
new ConnectErasureStack(app, stackName, { deploy: propsFromContext((key) => app.node.tryGetContext(key)) });
app.synth();
