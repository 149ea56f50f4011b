#!/usr/bin/env node
// What aws-cdk-lib's DynamoEventSource synthesizes for a list of mapping
// configurations: the CDK side of esmcfg's equivalence test
// (tests/e2e/oracle_cdk.py writes the input and compares).
//
// Usage: node synth.js CONFIGS.json   (or the JSON on stdin)
// Input: [{id, env: {account, region}, table: {arn, streamArn},
//          function: {arn, qualifier}, props: {...}, tags: {k: v}}]
//   props are DynamoEventSourceProps in plain JSON: numbers and booleans as
//   they are, durations as {unit: "seconds"|"minutes"|"hours"|"days", amount}
//   or {iso: "PT5M"}, onFailure as {kind: "sqs"|"sns"|"s3", arn},
//   filters as pattern strings, filterEncryption as a key ARN, metrics as
//   metric names.
// Output (stdout): [{id, properties}] with the Properties of the stack's
//   AWS::Lambda::EventSourceMapping, or [{id, error}] when the CDK refused
//   the configuration.
//
// One App, one Stack per configuration (each in its own account and region),
// one synth for all: synthesis is the slow part.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const sources = require('aws-cdk-lib/aws-lambda-event-sources');
const iam = require('aws-cdk-lib/aws-iam');
const kms = require('aws-cdk-lib/aws-kms');
const sqs = require('aws-cdk-lib/aws-sqs');
const sns = require('aws-cdk-lib/aws-sns');
const s3 = require('aws-cdk-lib/aws-s3');

function duration(d) {
  if (d === undefined || d === null) return undefined;
  if (d.iso !== undefined) return cdk.Duration.parse(d.iso);
  const make = { seconds: cdk.Duration.seconds, minutes: cdk.Duration.minutes,
                 hours: cdk.Duration.hours, days: cdk.Duration.days }[d.unit];
  if (!make) throw new Error(`unknown duration unit ${d.unit}`);
  return make(d.amount);
}

function onFailure(scope, d) {
  if (!d) return undefined;
  switch (d.kind) {
    case 'sqs': return new sources.SqsDlq(sqs.Queue.fromQueueArn(scope, 'OnFailureQueue', d.arn));
    case 'sns': return new sources.SnsDlq(sns.Topic.fromTopicArn(scope, 'OnFailureTopic', d.arn));
    case 's3': return new sources.S3OnFailureDestination(s3.Bucket.fromBucketArn(scope, 'OnFailureBucket', d.arn));
    default: throw new Error(`unknown destination kind ${d.kind}`);
  }
}

// The function as a CDK user imports it: by ARN, with a role so that the
// event source's grants have somewhere to go; a qualified function (alias or
// version) through Version.fromVersionAttributes, whose functionName keeps
// the qualifier (Function.fromFunctionAttributes would drop it).
function importFunction(stack, f, partition) {
  const fn = lambda.Function.fromFunctionAttributes(stack, 'Function', {
    functionArn: f.arn,
    sameEnvironment: true,
    role: iam.Role.fromRoleArn(stack, 'Role',
      `arn:${partition}:iam::${stack.account}:role/esmcfg-oracle-role`),
  });
  if (!f.qualifier) return fn;
  return lambda.Version.fromVersionAttributes(stack, 'Qualified', { lambda: fn, version: f.qualifier });
}

function build(app, c) {
  const stack = new cdk.Stack(app, `Case${c.id}`, { env: c.env });
  const table = dynamodb.Table.fromTableAttributes(stack, 'Table', {
    tableArn: c.table.arn, tableStreamArn: c.table.streamArn });
  const fn = importFunction(stack, c.function, c.table.arn.split(':')[1]);
  const p = c.props || {};
  const props = {
    startingPosition: lambda.StartingPosition[p.startingPosition],
    batchSize: p.batchSize,
    bisectBatchOnError: p.bisectBatchOnError,
    enabled: p.enabled,
    maxBatchingWindow: duration(p.maxBatchingWindow),
    maxRecordAge: duration(p.maxRecordAge),
    onFailure: onFailure(stack, p.onFailure),
    parallelizationFactor: p.parallelizationFactor,
    reportBatchItemFailures: p.reportBatchItemFailures,
    retryAttempts: p.retryAttempts,
    tumblingWindow: duration(p.tumblingWindow),
  };
  if (p.filters !== undefined)
    props.filters = p.filters.map((text) => lambda.FilterCriteria.filter(JSON.parse(text)));
  if (p.filterEncryption !== undefined)
    props.filterEncryption = kms.Key.fromKeyArn(stack, 'FilterKey', p.filterEncryption);
  if (p.metrics !== undefined)
    props.metricsConfig = { metrics: p.metrics.map((m) => {
      const known = Object.values(lambda.MetricType);
      if (!known.includes(m)) throw new Error(`unknown metric ${m}`);
      return m;
    }) };
  for (const k of Object.keys(props)) if (props[k] === undefined) delete props[k];
  fn.addEventSource(new sources.DynamoEventSource(table, props));
  for (const [k, v] of Object.entries(c.tags || {})) cdk.Tags.of(stack).add(k, v);
  return stack;
}

function main() {
  const input = fs.readFileSync(process.argv[2] || 0, 'utf8');
  const configs = JSON.parse(input);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'esmcfg-cdk-oracle-'));
  const app = new cdk.App({ outdir, context: { 'aws:cdk:enable-path-metadata': false } });
  const results = new Map();
  const stacks = [];
  for (const c of configs) {
    try {
      stacks.push([c.id, build(app, c)]);
    } catch (e) {
      // The CDK refused it: drop the half-built stack so that synth goes on.
      app.node.tryRemoveChild(`Case${c.id}`);
      results.set(c.id, { id: c.id, error: String(e && e.message || e).split('\n')[0] });
    }
  }
  let assembly;
  try {
    assembly = app.synth();
  } catch (e) {
    const msg = `synth failed: ${String(e && e.message || e).split('\n')[0]}`;
    for (const [id] of stacks) results.set(id, { id, error: msg });
    stacks.length = 0;
  }
  for (const [id, stack] of stacks) {
    const template = assembly.getStackByName(stack.stackName).template;
    const mappings = Object.values(template.Resources || {})
      .filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping');
    if (mappings.length !== 1)
      results.set(id, { id, error: `${mappings.length} event source mappings in the template` });
    else
      results.set(id, { id, properties: mappings[0].Properties || {} });
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  const out = configs.map((c) => results.get(c.id));
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
}

main();
