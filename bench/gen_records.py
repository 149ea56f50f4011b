#!/usr/bin/env python3
"""Write N DynamoDB stream records (as Lambda delivers them) for the filter
benchmark: a mix of INSERT, MODIFY and REMOVE on an orders table, with
string, number, boolean, map and list attributes, seeded so that every run
gets the same file.

    bench/gen_records.py N OUT [--format lines|array|event]

lines: one record per line; array: one JSON list; event: {"Records": [...]}.
"""
import argparse
import json
import random


def image(rng, i):
    status = rng.choice(["PENDING", "PAID", "SHIPPED", "CANCELLED", "RETURNED"])
    return {
        "id": {"S": "o-%07d" % i},
        "customer": {"S": "c-%05d" % rng.randrange(50000)},
        "status": {"S": status},
        "total": {"N": "%d.%02d" % (rng.randrange(1, 2000), rng.randrange(100))},
        "items": {"N": str(rng.randrange(1, 20))},
        "express": {"BOOL": rng.random() < 0.2},
        "region": {"S": rng.choice(["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"])},
        "address": {"M": {"city": {"S": rng.choice(["Lyon", "Oslo", "Austin", "Pune"])},
                          "zip": {"S": "%05d" % rng.randrange(100000)}}},
        "tags": {"L": [{"S": t} for t in rng.sample(["gift", "fragile", "bulk", "promo"], 2)]},
    }


def record(rng, i):
    name = rng.choices(["INSERT", "MODIFY", "REMOVE"], [5, 4, 1])[0]
    new, old = image(rng, i), image(rng, i)
    ddb = {
        "ApproximateCreationDateTime": 1770000000 + i,
        "Keys": {"id": new["id"]},
        "SequenceNumber": "%021d" % (100000000000000000000 + i),
        "SizeBytes": rng.randrange(100, 900),
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if name != "REMOVE":
        ddb["NewImage"] = new
    if name != "INSERT":
        ddb["OldImage"] = old
    return {
        "eventID": "%032x" % rng.getrandbits(128),
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": ddb,
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/"
                          "2026-03-14T09:26:53.589",
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--format", choices=["lines", "array", "event"], default="lines")
    ap.add_argument("--seed", type=int, default=14)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with open(a.out, "w") as f:
        if a.format != "lines":
            f.write('{"Records": [' if a.format == "event" else "[")
        for i in range(a.n):
            text = json.dumps(record(rng, i), separators=(",", ":"))
            if a.format == "lines":
                f.write(text + "\n")
            else:
                f.write(("," if i else "") + "\n" + text)
        if a.format != "lines":
            f.write("\n]}\n" if a.format == "event" else "\n]\n")


if __name__ == "__main__":
    main()
