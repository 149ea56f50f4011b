#!/usr/bin/env python3
"""Generate a large inventory for bench/inventory_bench.c.

Writes, into OUT_DIR:
  inventory.json        esmcfg's own inventory document (schema 1)
  describe-tables.json  the same tables as a JSON array of `aws dynamodb
                        describe-table` outputs, in the AWS CLI's shape and
                        indentation
  list-functions.json   the same functions as `aws lambda list-functions`

Names are made of realistic words so that filtering for "order" matches a
few percent of the items, as in a real account.
"""
import argparse
import json
import os
import random

SERVICES = ["checkout", "billing", "catalog", "shipping", "identity", "search",
            "ledger", "inventory", "pricing", "notify", "analytics", "support"]
ENTITIES = ["orders", "order-items", "customers", "payments", "carts", "sessions",
            "invoices", "products", "stock", "returns", "refunds", "events",
            "audit", "users", "addresses", "reviews", "coupons", "shipments"]
ENVS = ["dev", "test", "staging", "prod"]
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
ACCOUNTS = ["123456789012", "210987654321", "555566667777"]
VIEWS = ["NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY"]
RUNTIMES = ["python3.12", "python3.13", "nodejs20.x", "nodejs22.x", "java21", "provided.al2023"]
VERBS = ["process", "index", "sync", "archive", "notify", "enrich", "replicate", "audit"]


def tables(n, rnd):
    """(name, region, account, stream label or None, view type) per table."""
    for i in range(n):
        name = f"{rnd.choice(SERVICES)}-{rnd.choice(ENTITIES)}-{rnd.choice(ENVS)}-{i:05d}"
        stream = rnd.random() < 0.7
        label = f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T{rnd.randint(0, 23):02d}:" \
                f"{rnd.randint(0, 59):02d}:{rnd.randint(0, 59):02d}.{rnd.randint(0, 999):03d}"
        yield name, rnd.choice(REGIONS), rnd.choice(ACCOUNTS), label if stream else None, \
            rnd.choice(VIEWS)


def functions(n, rnd):
    """(name, region, account, role, runtime, last modified) per function."""
    for i in range(n):
        name = f"{rnd.choice(SERVICES)}-{rnd.choice(VERBS)}-{rnd.choice(ENTITIES)}-{i:05d}"
        account = rnd.choice(ACCOUNTS)
        role = f"arn:aws:iam::{account}:role/service-role/{name}-role"
        modified = f"2026-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}T10:{rnd.randint(0, 59):02d}:00.000+0000"
        yield name, rnd.choice(REGIONS), account, role, rnd.choice(RUNTIMES), modified


def table_arn(name, region, account):
    return f"arn:aws:dynamodb:{region}:{account}:table/{name}"


def own_document(tbls, fns):
    doc = {"esmcfg_inventory": 1, "tables": [], "functions": []}
    for name, region, account, label, view in tbls:
        t = {"arn": table_arn(name, region, account)}
        if label:
            t["stream_arn"] = f"{t['arn']}/stream/{label}"
            t["stream_view_type"] = view
        doc["tables"].append(t)
    for name, region, account, role, runtime, modified in fns:
        doc["functions"].append({
            "arn": f"arn:aws:lambda:{region}:{account}:function:{name}",
            "role": role, "runtime": runtime, "last_modified": modified})
    return doc


def describe_table(name, region, account, label, view, rnd):
    """One `aws dynamodb describe-table` output, as the CLI prints it."""
    arn = table_arn(name, region, account)
    t = {
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "S"}],
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
        "TableStatus": "ACTIVE",
        "CreationDateTime": "2025-05-06T07:08:09.123000+00:00",
        "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0,
                                  "WriteCapacityUnits": 0},
        "TableSizeBytes": rnd.randint(0, 10**9),
        "ItemCount": rnd.randint(0, 10**7),
        "TableArn": arn,
        "TableId": "%08x-%04x-%04x-%04x-%012x" % (rnd.getrandbits(32), rnd.getrandbits(16),
                                                   rnd.getrandbits(16), rnd.getrandbits(16),
                                                   rnd.getrandbits(48)),
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST",
                               "LastUpdateToPayPerRequestDateTime": "2025-05-06T07:08:09.123000+00:00"},
    }
    if label:
        t["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view}
        t["LatestStreamLabel"] = label
        t["LatestStreamArn"] = f"{arn}/stream/{label}"
    t["TableClassSummary"] = {"TableClass": "STANDARD"}
    t["DeletionProtectionEnabled"] = False
    return {"Table": t}


def list_functions(fns):
    out = []
    for name, region, account, role, runtime, modified in fns:
        out.append({
            "FunctionName": name,
            "FunctionArn": f"arn:aws:lambda:{region}:{account}:function:{name}",
            "Runtime": runtime, "Role": role, "Handler": "app.handler", "CodeSize": 4096,
            "Description": "", "Timeout": 30, "MemorySize": 256, "LastModified": modified,
            "CodeSha256": "m0c3nPVZ0B9T6hQ5Xq4c1tq4m8V2+H2fM6z1wC2o0Yc=", "Version": "$LATEST",
            "TracingConfig": {"Mode": "PassThrough"}, "PackageType": "Zip",
            "Architectures": ["arm64"], "EphemeralStorage": {"Size": 512},
            "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}})
    return {"Functions": out}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--tables", type=int, default=50000)
    ap.add_argument("--functions", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=4)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    tbls = list(tables(a.tables, rnd))
    fns = list(functions(a.functions, rnd))
    os.makedirs(a.out_dir, exist_ok=True)
    with open(os.path.join(a.out_dir, "inventory.json"), "w") as f:
        json.dump(own_document(tbls, fns), f, indent=2)
    with open(os.path.join(a.out_dir, "describe-tables.json"), "w") as f:
        json.dump([describe_table(*t, rnd) for t in tbls], f, indent=4)
    with open(os.path.join(a.out_dir, "list-functions.json"), "w") as f:
        json.dump(list_functions(fns), f, indent=4)


if __name__ == "__main__":
    main()
