#!/usr/bin/env node
// A conformance harness for a JavaScript port of nnref's relu, sigmoid, softmax and dense.
//
//   python -m nnref vectors --out VECTORS_DIR          # the JSON vectors
//   node harness.mjs VECTORS_DIR RESULTS_DIR           # one results file per vectors file
//   python -m nnref check --allowlist allowlist.json --ops relu,sigmoid,softmax,dense \
//       --dtype float64 VECTORS_DIR RESULTS_DIR
//
// Node alone, no packages.  It computes in float64 (JavaScript's number), so it reads the
// float64 files (relu.json, sigmoid.json, softmax.json, dense.json) and skips the others.
// Every float is read from and written as its IEEE bit pattern, the "bits" key (16 hex
// digits): BigInt and DataView give every value exactly, NaN, the infinities and -0.0
// included, which Number("inf") and JSON.stringify do not.
//
// Results: the vectors document with each test's "expected" (and "alternatives") replaced
// by "output": the value (nested lists of {"bits": ...}, or {"shape", "values"} when a
// dimension is 0), or {"error": message} when the operation throws.  An argument that is
// not an array of floats (a ragged list, a string, null) cannot be made into one: this
// harness answers {"error": ...}, as a typed API rejects it before any arithmetic.  Every
// input form the vectors hold is supported, so nothing is answered {"unsupported": ...};
// a port that, say, takes only batches would answer that for a plain number or a vector,
// and list those cases in its allow-list with the reason.
//
// The implementations are the naive, sound ones a port starts from; what they do
// differently from nnref (which rounds sums exactly) is in allowlist.json, beside this file.
// `--broken softmax-no-shift` drops softmax's max shift, to see check fail.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// --- floats <-> bit patterns --------------------------------------------------------------

const view = new DataView(new ArrayBuffer(8));

function fromBits(hex) {
  view.setBigUint64(0, BigInt("0x" + hex));
  return view.getFloat64(0);
}

function toBits(x) {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

// --- arrays: {shape, data} with data flat, row-major ---------------------------------------

class NotAnArray extends Error {}

function isFloat(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.bits === "string";
}

function decode(value, where) {
  if (isFloat(value)) return { shape: [], data: [fromBits(value.bits)] };
  if (value !== null && typeof value === "object" && Array.isArray(value.shape)) {
    const data = value.values.map((v, i) => decode(v, `${where}.values[${i}]`).data[0]);
    if (data.length !== value.shape.reduce((a, b) => a * b, 1)) {
      throw new NotAnArray(`${where}: ${data.length} values for shape (${value.shape})`);
    }
    return { shape: value.shape.slice(), data };
  }
  if (!Array.isArray(value)) throw new NotAnArray(`${where} is ${JSON.stringify(value)}, not a float array`);
  const items = value.map((v, i) => decode(v, `${where}[${i}]`));
  const inner = items.length ? items[0].shape : [];
  for (let i = 1; i < items.length; i++) {
    if (items[i].shape.join() !== inner.join()) {
      throw new NotAnArray(`${where} is ragged: [0] has shape (${inner}), [${i}] has (${items[i].shape})`);
    }
  }
  return { shape: [items.length, ...inner], data: items.flatMap((t) => t.data) };
}

function encode({ shape, data }) {
  if (shape.includes(0)) return { shape, values: [] };
  const at = (dims, offset) => {
    if (dims.length === 0) return { bits: toBits(data[offset]) };
    const size = dims.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[0] }, (_, i) => at(dims.slice(1), offset + i * size));
  };
  return at(shape, 0);
}

// --- the operations: naive but sound -------------------------------------------------------

function relu(x) {
  return { shape: x.shape, data: x.data.map((v) => Math.max(0, v)) };  // NaN stays NaN
}

function sigmoid(x) {
  // Two branches, so that exp never overflows: exp(-x) for x >= 0, exp(x) below.
  const s = (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
  return { shape: x.shape, data: x.data.map(s) };
}

let shift = true;            // --broken softmax-no-shift clears it

function softmax(x) {
  if (x.shape.length === 0) throw new TypeError("softmax: a number has no row");
  const n = x.shape[x.shape.length - 1];
  const out = new Array(x.data.length);
  for (let start = 0; start < x.data.length; start += n) {
    let max = -Infinity;
    // The row's max; a NaN, once seen, stays (no comparison is true), so the row is NaN.
    for (let i = start; i < start + n; i++) max = x.data[i] > max || x.data[i] !== x.data[i] ? x.data[i] : max;
    let sum = 0;
    for (let i = start; i < start + n; i++) sum += (out[i] = Math.exp(shift ? x.data[i] - max : x.data[i]));
    for (let i = start; i < start + n; i++) out[i] /= sum;
  }
  return { shape: x.shape, data: out };
}

function dense(inputs, weights, biases) {
  const shape = (t) => `(${t.shape.join(", ")}${t.shape.length === 1 ? "," : ""})`;
  if (inputs.shape.length !== 2) throw new Error(`dense: inputs ${shape(inputs)} is not a batch of rows`);
  if (weights.shape.length !== 2) throw new Error(`dense: weights ${shape(weights)} is not a matrix`);
  const [n, k] = inputs.shape;
  const [k2, m] = weights.shape;
  if (k !== k2) throw new Error(`dense: inputs ${shape(inputs)} and weights ${shape(weights)} are not aligned`);
  const ok = biases.shape.length === 1 ? biases.shape[0] === m
    : biases.shape.length === 2 && biases.shape[0] === 1 && biases.shape[1] === m;
  if (!ok) throw new Error(`dense: biases ${shape(biases)} for weights ${shape(weights)}`);
  const out = new Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sum = -0;                              // the IEEE identity: -0 + x is x, -0 included
      for (let p = 0; p < k; p++) sum += inputs.data[i * k + p] * weights.data[p * m + j];
      out[i * m + j] = sum + biases.data[j];
    }
  }
  return { shape: [n, m], data: out };
}

const OPERATIONS = { relu, sigmoid, softmax, dense };

// --- one vectors file -> one results file ----------------------------------------------------

function output(op, argumentNames, inputs, tcId) {
  let args;
  try {
    args = argumentNames.map((name) => decode(inputs[name], `tcId ${tcId} inputs.${name}`));
  } catch (error) {
    if (error instanceof NotAnArray) return { error: error.message };
    throw error;
  }
  try {
    return encode(OPERATIONS[op](...args));
  } catch (error) {
    return { error: `${error.name}: ${error.message}` };
  }
}

function runFile(vectorsPath, resultsPath) {
  const doc = JSON.parse(readFileSync(vectorsPath, "utf8"));
  if (!(doc.operation in OPERATIONS) || doc.dtype !== "float64") return null;
  let errors = 0;
  for (const group of doc.testGroups) {
    for (const test of group.tests) {
      test.output = output(doc.operation, doc.arguments, test.inputs, test.tcId);
      if ("error" in test.output) errors++;
      delete test.expected;
      delete test.alternatives;
    }
  }
  writeFileSync(resultsPath, JSON.stringify(doc, null, 1) + "\n");
  return { cases: doc.numberOfTests, errors };
}

function main(argv) {
  const args = argv.slice();
  const broken = args.indexOf("--broken");
  if (broken >= 0) {
    if (args[broken + 1] !== "softmax-no-shift") {
      process.stderr.write("harness.mjs: --broken takes softmax-no-shift\n");
      return 2;
    }
    shift = false;
    args.splice(broken, 2);
  }
  if (args.length !== 2) {
    process.stderr.write("usage: node harness.mjs [--broken softmax-no-shift] VECTORS_DIR RESULTS_DIR\n");
    return 2;
  }
  const [vectorsDir, resultsDir] = args;
  mkdirSync(resultsDir, { recursive: true });
  let files = 0;
  for (const name of readdirSync(vectorsDir).sort()) {
    if (!name.endsWith(".json") || name.endsWith(".schema.json")) continue;
    const done = runFile(join(vectorsDir, name), join(resultsDir, name));
    if (done === null) continue;
    files++;
    console.log(`${name}: ${done.cases} cases, ${done.errors} answered with an error`);
  }
  if (files === 0) {
    process.stderr.write(`harness.mjs: no float64 relu, sigmoid, softmax or dense vectors in ${vectorsDir}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
