// Independent check of the FSPIOP messages Payment Manager builds.
//
//   node validate.mjs <messages-dir> <schemas-dir>
//
// <messages-dir> is what dump_messages wrote: one folder per FSPIOP version (v1_0, v1_1, v2_0) holding
// <SchemaType>__<name>.json files, each a message the library built, and an `invalid` sub-folder of
// broken messages, each {"body": ..., "expect": {"code": N, "path": "/json/pointer"}} with the answer
// the library's own validator gave (code 0: it found the body valid).
// <schemas-dir> holds fspiop-v1_0.json, ... : the same official schema files the library embeds.
//
// Every message must validate with ajv. For every broken message, ajv must agree with the library on
// validity and, as the reference connector maps ajv's first error (required -> 3102, anything else
// -> 3100), on the code and on the field the first error names.
// Exits 0 when all agree, 1 on any disagreement (each printed), 2 on a set-up problem; an ajv that
// is not installed is a failure, never a skip.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

let Ajv;
try {
    ({ default: Ajv } = await import('ajv'));
} catch (e) {
    console.error(`validate.mjs: ajv is not installed (${e.code ?? e.message}); run "npm ci" in ${path.dirname(new URL(import.meta.url).pathname)}`);
    process.exit(2);
}
const ajvVersion = createRequire(import.meta.url)('ajv/package.json').version;

const [messagesDir, schemasDir] = process.argv.slice(2);
if (!messagesDir || !schemasDir) {
    console.error('usage: node validate.mjs <messages-dir> <schemas-dir>');
    process.exit(2);
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const jsonFiles = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []);
const typeOf = (file) => file.split('__')[0];

// The reference validator's mapping of ajv's first error to an FSPIOP code and a field.
function firstError(errors) {
    const e = errors[0];
    if (e.keyword === 'required')
        return { code: 3102, path: `${e.instancePath}/${e.params.missingProperty}`, text: `${e.instancePath} ${e.message}` };
    if (e.keyword === 'additionalProperties')
        return { code: 3100, path: `${e.instancePath}/${e.params.additionalProperty}`, text: `${e.instancePath} ${e.message}` };
    return { code: 3100, path: e.instancePath, text: `${e.instancePath} ${e.message}` };
}

const problems = [];
let valid = 0;
let agreed = 0;

const versions = fs.readdirSync(messagesDir).filter((d) => /^v\d+_\d+$/.test(d)).sort();
if (versions.length === 0) {
    console.error(`validate.mjs: no version folders in ${messagesDir}; did dump_messages run?`);
    process.exit(2);
}

for (const version of versions) {
    const schemas = readJson(path.join(schemasDir, `fspiop-${version}.json`));
    // Strict about the schemas themselves; `example` is an OpenAPI annotation ajv does not know.
    // allErrors off: the first error is the one a validator stopping at the first failure reports.
    const ajv = new Ajv({ allErrors: false, strictSchema: true, strictTypes: false, strictTuples: false });
    ajv.addVocabulary(['example']);
    const compiled = new Map();
    const validatorFor = (type) => {
        if (!compiled.has(type)) {
            if (!(type in schemas))
                throw new Error(`${version} has no schema type ${type}`);
            compiled.set(type, ajv.compile(schemas[type]));
        }
        return compiled.get(type);
    };

    const dir = path.join(messagesDir, version);
    for (const file of jsonFiles(dir)) {
        const where = `${version}/${file}`;
        try {
            const check = validatorFor(typeOf(file));
            if (check(readJson(path.join(dir, file))))
                valid += 1;
            else
                problems.push(`${where}: ${ajv.errorsText(check.errors)}`);
        } catch (e) {
            problems.push(`${where}: ${e.message}`);
        }
    }

    const invalidDir = path.join(dir, 'invalid');
    for (const file of jsonFiles(invalidDir)) {
        const where = `${version}/invalid/${file}`;
        try {
            const { body, expect } = readJson(path.join(invalidDir, file));
            const check = validatorFor(typeOf(file));
            const ok = check(body);
            const got = ok ? { code: 0, path: '' } : firstError(check.errors);
            if (got.code === expect.code && (ok || got.path === expect.path))
                agreed += 1;
            else
                problems.push(`${where}: library says ${expect.code} at "${expect.path}", ajv says ${got.code} at "${got.path}"${ok ? '' : ` (${got.text})`}`);
        } catch (e) {
            problems.push(`${where}: ${e.message}`);
        }
    }
}

if (valid === 0) {
    console.error('validate.mjs: no messages found; did dump_messages run?');
    process.exit(2);
}
for (const p of problems)
    console.error(`FAIL ${p}`);
console.log(`ajv ${ajvVersion}: ${valid} built messages valid, ${agreed} broken messages judged alike, ${problems.length} problems (${versions.join(', ')})`);
process.exit(problems.length === 0 ? 0 : 1);
