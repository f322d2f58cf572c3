import { expect, it } from "vitest";
import { createCallStats } from "../../../backend/erasure/guarded-runner.ts";
import { raiseBody } from "../../support/app.ts";
import { useTestApp } from "../../support/app-fixture.ts";
import { forEachDialect } from "../../support/db.ts";

forEachDialect((_dialect, getDb) => {
  const awsCallStats = createCallStats();
  const fx = useTestApp(getDb, { deps: { awsCallStats } });

  it("When a request is approved and the in-process worker has called AWS, then /metrics reports steps by outcome and AWS calls and throttles by operation", async () => {
    const contactId = await fx.emulator.newContact("agent.alice");
    const raised = await fx.t.app.inject({ method: "POST", url: "/api/requests", headers: await fx.t.auth("agent.alice"), payload: raiseBody(contactId) });
    expect(raised.statusCode).toBe(201);
    const approved = await fx.t.app.inject({ method: "POST", url: `/api/requests/${raised.json().id}/approve`, headers: await fx.t.auth("supervisor.sam") });
    expect(approved.statusCode).toBe(200);
    awsCallStats.calls.set("DescribeContact", 12);
    awsCallStats.throttles.set("DescribeContact", 2);
    awsCallStats.retries.set("DescribeContact", 2);

    const text = (await fx.t.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(text).toMatch(/erasure_steps\{step="resolve-scope",status="pending"\} 1/);
    expect(text).toMatch(/erasure_steps\{step="report",status="pending"\} 1/);
    expect(text).toMatch(/erasure_aws_calls_total\{operation="DescribeContact"\} 12/);
    expect(text).toMatch(/erasure_aws_throttles_total\{operation="DescribeContact"\} 2/);
    expect(text).toMatch(/erasure_aws_retries_total\{operation="DescribeContact"\} 2/);

    // Counters follow the worker's figures on the next scrape, not a stale copy.
    awsCallStats.calls.set("DescribeContact", 13);
    expect((await fx.t.app.inject({ method: "GET", url: "/metrics" })).body).toMatch(/erasure_aws_calls_total\{operation="DescribeContact"\} 13/);
  });
});
