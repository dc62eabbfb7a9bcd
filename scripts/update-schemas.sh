#!/usr/bin/env bash
# Regenerates the official FSPIOP JSON Schemas that core/fspiop embeds (resources/schemas/).
#
#   bash scripts/update-schemas.sh            # the pinned version below
#   bash scripts/update-schemas.sh 18.5.0     # try another version (then update the pin and commit)
#
# Source: the npm package @mojaloop/api-snippets. Its v2.0 schemas ship as one JSON Schema per type with
# every $ref inlined (lib/fspiop/v2_0/json-schemas.json); v1.0 and v1.1 ship only as OpenAPI 3 YAML
# (fspiop/v1_x/openapi3/components/schemas/*.yaml). This script turns the YAML into the same
# one-schema-per-type map, and proves the conversion by converting the v2.0 YAML too and requiring the
# result to equal the package's own v2.0 json-schemas.json.
#
# Runs at update time only (needs node, npm and the npm registry); the build never runs it. The output is
# committed: resources/schemas/fspiop-v1_0.json, fspiop-v1_1.json, fspiop-v2_0.json and source.json
# (package, version, tarball integrity, per-file SHA-256).
set -euo pipefail

SNIPPETS_PACKAGE="@mojaloop/api-snippets"
SNIPPETS_VERSION="${1:-18.4.1}"   # the pinned version: keep in step with docs/decisions/0004
JS_YAML_VERSION="4.2.0"           # the js-yaml version api-snippets 18.4.1 itself depends on

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/resources/schemas"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v node >/dev/null || { echo "update-schemas: node is required" >&2; exit 2; }
command -v npm >/dev/null || { echo "update-schemas: npm is required" >&2; exit 2; }

echo "update-schemas: fetching $SNIPPETS_PACKAGE@$SNIPPETS_VERSION"
(cd "$work" && npm pack --json --silent "$SNIPPETS_PACKAGE@$SNIPPETS_VERSION" >pack.json)
tarball="$(cd "$work" && node -e 'process.stdout.write(require("./pack.json")[0].filename)')"
mkdir -p "$work/snippets"
tar xzf "$work/$tarball" -C "$work/snippets"
pkg="$work/snippets/package"

echo "update-schemas: installing js-yaml@$JS_YAML_VERSION (update-time tool only)"
mkdir -p "$work/tools"
(cd "$work/tools" && npm install --no-save --no-audit --no-fund --silent --prefix . "js-yaml@$JS_YAML_VERSION" >/dev/null)

cat >"$work/convert.cjs" <<'EOF'
// Converts the api-snippets FSPIOP OpenAPI 3 component schemas into one JSON Schema per type with
// every $ref inlined, in the layout of the package's own lib/fspiop/v2_0/json-schemas.json.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const util = require('util');
const yaml = require(process.env.JS_YAML_PATH);

const [pkgDir, outDir, version, integrity] = process.argv.slice(2);

function convert(openapiDir) {
    const documents = new Map();
    const load = (file) => {
        if (!documents.has(file)) documents.set(file, yaml.load(fs.readFileSync(file, 'utf8')));
        return documents.get(file);
    };
    const follow = (doc, fragment) => {
        if (!fragment) return doc;
        return fragment.replace(/^\//, '').split('/')
            .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
            .reduce((node, token) => {
                if (node === undefined || !(token in node)) throw new Error(`unresolvable pointer #${fragment}`);
                return node[token];
            }, doc);
    };
    const inline = (node, file, seen) => {
        if (Array.isArray(node)) return node.map((item) => inline(item, file, seen));
        if (node === null || typeof node !== 'object') return node;
        if (typeof node.$ref === 'string') {
            const [relative, fragment] = node.$ref.split('#');
            const target = relative ? path.resolve(path.dirname(file), relative) : file;
            const key = `${target}#${fragment || ''}`;
            if (seen.includes(key)) throw new Error(`circular $ref ${node.$ref} in ${file}`);
            const resolved = inline(follow(load(target), fragment), target, [...seen, key]);
            // Siblings of $ref (only descriptions here) are kept on top of the resolved schema, as
            // json-schema-ref-parser does for "extended" references.
            const siblings = Object.entries(node).filter(([k]) => k !== '$ref');
            if (siblings.length === 0) return resolved;
            const merged = { ...resolved };
            for (const [k, v] of siblings) merged[k] = inline(v, file, seen);
            return merged;
        }
        const copy = {};
        for (const [k, v] of Object.entries(node)) copy[k] = inline(v, file, seen);
        return copy;
    };
    const schemasDir = path.join(openapiDir, 'components', 'schemas');
    const result = {};
    for (const name of fs.readdirSync(schemasDir).filter((f) => f.endsWith('.yaml')).sort()) {
        const file = path.join(schemasDir, name);
        result[path.basename(name, '.yaml')] = inline(load(file), file, [`${file}#`]);
    }
    return result;
}

// Self-check: the converter must reproduce the package's own v2.0 artefact exactly.
const shipped = JSON.parse(fs.readFileSync(path.join(pkgDir, 'lib/fspiop/v2_0/json-schemas.json'), 'utf8'));
const converted = convert(path.join(pkgDir, 'fspiop/v2_0/openapi3'));
if (!util.isDeepStrictEqual(converted, shipped)
        || JSON.stringify(Object.keys(converted)) !== JSON.stringify(Object.keys(shipped))) {
    console.error('update-schemas: converting fspiop/v2_0/openapi3 does not reproduce lib/fspiop/v2_0/json-schemas.json;'
        + ' the converter needs attention before v1.0/v1.1 can be trusted');
    process.exit(1);
}

const outputs = {
    'fspiop-v1_0.json': convert(path.join(pkgDir, 'fspiop/v1_0/openapi3')),
    'fspiop-v1_1.json': convert(path.join(pkgDir, 'fspiop/v1_1/openapi3')),
    'fspiop-v2_0.json': shipped,
};
const files = {};
for (const [name, schemas] of Object.entries(outputs)) {
    const text = JSON.stringify(schemas, null, 2) + '\n';
    fs.writeFileSync(path.join(outDir, name), text);
    files[name] = {
        types: Object.keys(schemas).length,
        bytes: Buffer.byteLength(text),
        sha256: crypto.createHash('sha256').update(text).digest('hex'),
    };
    console.log(`update-schemas: ${name}: ${files[name].types} types, ${files[name].bytes} bytes`);
}
const source = {
    package: '@mojaloop/api-snippets',
    version,
    integrity,
    converted: {
        'fspiop-v1_0.json': 'fspiop/v1_0/openapi3/components/schemas/*.yaml, $ref inlined',
        'fspiop-v1_1.json': 'fspiop/v1_1/openapi3/components/schemas/*.yaml, $ref inlined',
        'fspiop-v2_0.json': 'lib/fspiop/v2_0/json-schemas.json, same content re-indented',
    },
    files,
};
fs.writeFileSync(path.join(outDir, 'source.json'), JSON.stringify(source, null, 2) + '\n');
EOF

integrity="$(cd "$work" && node -e 'process.stdout.write(require("./pack.json")[0].integrity)')"
mkdir -p "$out"
JS_YAML_PATH="$work/tools/node_modules/js-yaml" \
    node "$work/convert.cjs" "$pkg" "$out" "$SNIPPETS_VERSION" "$integrity"
echo "update-schemas: wrote $out (from $SNIPPETS_PACKAGE@$SNIPPETS_VERSION)"
