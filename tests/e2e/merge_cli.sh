#!/usr/bin/env bash
# --merge-into through the real binary: resources of the template picked by
# logical ID (Ref / Fn::GetAtt in the result), the template's bytes kept
# outside the inserted block, JSON key order, -o (the template untouched
# unless -o names it, then replaced atomically), refusals (clashing logical
# ID, flow-style Resources, another template's table, the API JSON and
# template references) with nothing written, and cfn-lint on the results
# when it is installed.
# A && B || fail: fail runs when either check fails, which is what is meant.
# shellcheck disable=SC2015 source=tests/fixtures/cli/lib.sh
. "$FIXTURES/cli/lib.sh"

M="$FIXTURES/merge"
cp "$M/sam.yaml" "$M/cfn-4space.yaml" "$M/template.json" "$M/flow-resources.yaml" "$TMP/"
SAM="$TMP/sam.yaml"
RISK=(--bisect-batch-on-error --retry-attempts 3 --max-record-age 1h)
PICK=(--table OrdersTable --function ProcessOrdersFunction --starting-position LATEST "${RISK[@]}")

# check_merge ORIG MERGED KIND IDS...: MERGED is ORIG with one block of text
# inserted, parses (KIND json or yaml) with ORIG's resources unchanged and
# in order, then IDS; the rest of the template is unchanged.
check_merge() {
    python3 - "$@" <<'EOF'
import json, sys
import yaml

orig_path, merged_path, kind, *ids = sys.argv[1:]
orig = open(orig_path, "rb").read()
merged = open(merged_path, "rb").read()
pre = 0
while pre < len(orig) and orig[pre] == merged[pre]:
    pre += 1
post = 0
while post < len(orig) - pre and orig[-1 - post] == merged[-1 - post]:
    post += 1
if pre + post != len(orig):
    sys.exit("the template changed outside the inserted block")

class Loader(yaml.SafeLoader):
    pass
# CloudFormation's short forms (!Ref, !Sub, !GetAtt) as plain values.
Loader.add_multi_constructor("!", lambda loader, suffix, node: (
    loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else
    loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else
    loader.construct_mapping(node)))

def load(data):
    if kind == "json":
        return json.loads(data, object_pairs_hook=lambda pairs: pairs)
    return yaml.load(data, Loader=Loader)

a, b = load(orig), load(merged)
if kind == "json":  # keys in order: lists of pairs
    ra = dict(a)["Resources"]; rb = dict(b)["Resources"]
    if [k for k, _ in a] != [k for k, _ in b]:
        sys.exit("top-level keys changed order")
    if rb[:len(ra)] != ra or [k for k, _ in rb[len(ra):]] != ids:
        sys.exit("resources: %s" % [k for k, _ in rb])
else:
    ra, rb = a["Resources"], b["Resources"]
    if list(rb)[:len(ra)] != list(ra) or list(rb)[len(ra):] != ids:
        sys.exit("resources: %s" % list(rb))
    if any(ra[k] != rb[k] for k in ra):
        sys.exit("an existing resource changed")
    if {k: v for k, v in a.items() if k != "Resources"} != \
       {k: v for k, v in b.items() if k != "Resources"}:
        sys.exit("the template outside Resources changed")
EOF
}

# lint FILE: cfn-lint finds nothing, when it is installed.
lint() {
    command -v cfn-lint >/dev/null || return 0
    CHECKS=$((CHECKS + 1))
    cfn-lint "$1" >"$TMP/lint" 2>&1 || fail "cfn-lint $1: $(cat "$TMP/lint")"
}

# --- SAM template, resources by logical ID, to stdout ---------------------------
before=$(sha256sum "$SAM")
expect_ok --batch --merge-into "$SAM" "${PICK[@]}" --on-failure OrdersDlq
printf '%s\n' "$out" >"$TMP/merged.yaml"
CHECKS=$((CHECKS + 1))
check_merge "$SAM" "$TMP/merged.yaml" yaml OrdersTableProcessOrdersFunctionMapping \
    OrdersTableProcessOrdersFunctionMappingPolicy || fail "sam merge: $out"
CHECKS=$((CHECKS + 1))
grep -q '^        Ref: ProcessOrdersFunction$' "$TMP/merged.yaml" &&
    grep -q '^      - Ref: ProcessOrdersRole$' "$TMP/merged.yaml" &&
    grep -qx '            - OrdersDlq' "$TMP/merged.yaml" || fail "sam merge refs: $out"
[ "$(sha256sum "$SAM")" = "$before" ] || fail "the template changed without -o naming it"
lint "$TMP/merged.yaml"
# --inventory naming the same template (another spelling) changes nothing.
expect_ok --batch --inventory "$TMP/./sam.yaml" --merge-into "$SAM" "${PICK[@]}" \
    --on-failure OrdersDlq
[ "$out" = "$(cat "$TMP/merged.yaml")" ] || fail "--inventory TEMPLATE --merge-into TEMPLATE differs"

# --- SAM's generated role, an SNS topic -------------------------------------------
expect_ok --batch --merge-into "$SAM" --table OrdersTable --function AuditFunction \
    --starting-position TRIM_HORIZON "${RISK[@]}" --on-failure FailureTopic
printf '%s\n' "$out" >"$TMP/audit.yaml"
CHECKS=$((CHECKS + 1))
grep -q '^      - Ref: AuditFunctionRole$' "$TMP/audit.yaml" &&
    grep -q '^          Action: sns:Publish$' "$TMP/audit.yaml" || fail "sam role: $out"
lint "$TMP/audit.yaml"

# --- four spaces: the block follows --------------------------------------------
expect_ok --batch --merge-into "$TMP/cfn-4space.yaml" --table PaymentsTable \
    --function SettleFunction --starting-position LATEST "${RISK[@]}" --on-failure AlertsTopic
printf '%s\n' "$out" >"$TMP/merged4.yaml"
CHECKS=$((CHECKS + 1))
check_merge "$TMP/cfn-4space.yaml" "$TMP/merged4.yaml" yaml PaymentsTableSettleFunctionMapping \
    PaymentsTableSettleFunctionMappingPolicy &&
    grep -q '^        Type: AWS::Lambda::EventSourceMapping$' "$TMP/merged4.yaml" ||
    fail "4-space merge: $out"
lint "$TMP/merged4.yaml"

# --- JSON: key order, -o FILE, the template untouched ---------------------------
J="$TMP/template.json"
before=$(sha256sum "$J")
expect_ok --batch --merge-into "$J" --table ArchiveTable --function ArchiveFunction \
    --starting-position LATEST "${RISK[@]}" --on-failure ArchiveBucket -o "$TMP/merged.json"
CHECKS=$((CHECKS + 1))
[ -z "$out" ] && check_merge "$J" "$TMP/merged.json" json ArchiveTableArchiveFunctionMapping \
    ArchiveTableArchiveFunctionMappingPolicy || fail "json merge: $(cat "$TMP/merged.json")"
[ "$(sha256sum "$J")" = "$before" ] || fail "the JSON template changed without -o naming it"
lint "$TMP/merged.json"

# --- -o names the template: replaced atomically, mode kept ------------------------
chmod 640 "$SAM"
expect_ok --batch --merge-into "$SAM" "${PICK[@]}" --on-failure OrdersDlq -o "$SAM"
CHECKS=$((CHECKS + 1))
[ -z "$out" ] && cmp -s "$SAM" "$TMP/merged.yaml" && [ "$(stat -c %a "$SAM")" = 640 ] ||
    fail "-o TEMPLATE: not the merge, or mode changed"
# Merging again: the mapping's logical ID is taken now; nothing is written.
cp "$SAM" "$TMP/before.yaml"
expect_err 3 "esmcfg: --merge-into: $SAM: the template already has a resource named OrdersTableProcessOrdersFunctionMapping: give the mapping another logical ID with --logical-id ID" \
    --batch --merge-into "$SAM" "${PICK[@]}" --on-failure OrdersDlq -o "$SAM"
cmp -s "$SAM" "$TMP/before.yaml" || fail "a refused merge changed the template"
expect_ok --batch --merge-into "$SAM" "${PICK[@]}" --on-failure OrdersDlq --logical-id Second
CHECKS=$((CHECKS + 1))
printf '%s\n' "$out" | grep -q '^  SecondPolicy:$' || fail "--logical-id after a clash: $out"

# --- refusals ---------------------------------------------------------------------
cp "$M/sam.yaml" "$SAM"
expect_err 3 "esmcfg: --merge-into: $TMP/flow-resources.yaml: line 2: Resources is written in flow style ({...}); esmcfg adds resources to a block mapping (one resource per line, indented)" \
    "${SAFE[@]}" --merge-into "$TMP/flow-resources.yaml"
expect_err 3 "esmcfg: --table: PaymentsTable ($TMP/cfn-4space.yaml) comes from another template than the one merged into: its stream ARN is not known; give the stream ARN" \
    --batch --inventory "$TMP/cfn-4space.yaml" --merge-into "$SAM" --table PaymentsTable \
    --function ProcessOrdersFunction --starting-position LATEST "${RISK[@]}"
expect_err 3 "esmcfg: --table: CustomersTable: the table has no stream; add to CustomersTable's Properties in $SAM: StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}" \
    --batch --merge-into "$SAM" --table CustomersTable --function ProcessOrdersFunction \
    --starting-position LATEST "${RISK[@]}"
expect_err 4 "esmcfg: --merge-into: $TMP/missing.yaml: No such file or directory" \
    "${SAFE[@]}" --merge-into "$TMP/missing.yaml"
expect_err 2 'esmcfg: --merge-into: needs a template file name' "${SAFE[@]}" --merge-into ''
# Without --merge-into the API JSON cannot refer to the template's table.
expect_err 3 'esmcfg: --table: the table comes from a template (OrdersTable): the API JSON needs its stream ARN; use --format cfn-yaml or cfn-json, or give the stream ARN' \
    --batch --inventory "$SAM" "${PICK[@]}" --on-failure "${SAFE[-1]}"
# ... but a CloudFormation export can.
expect_ok --batch --inventory "$SAM" "${PICK[@]}" --on-failure "${SAFE[-1]}" --format cfn-json
CHECKS=$((CHECKS + 1))
[ "$(json_get Resources.OrdersTableProcessOrdersFunctionMapping.Properties.EventSourceArn)" = \
    '{"Fn::GetAtt": ["OrdersTable", "StreamArn"]}' ] || fail "cfn-json with refs: $out"

# --- literal values merge too -----------------------------------------------------
expect_ok "${SAFE[@]}" --merge-into "$SAM"
printf '%s\n' "$out" >"$TMP/literal.yaml"
CHECKS=$((CHECKS + 1))
check_merge "$SAM" "$TMP/literal.yaml" yaml OrdersProcessOrdersMapping || fail "literal merge: $out"

finish
