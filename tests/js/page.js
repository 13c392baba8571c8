// The explore page's scripts in Node, as the browser has them: each
// required as it is from vae_digits/page/static/, with the globals the
// scripts before it give it in the page (common.js's functions; for
// network.js, layers.js's vaeOps), and the fixtures make_fixtures.py
// wrote; close() compares numbers.
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const STATIC = path.join(__dirname, "..", "..", "vae_digits", "page", "static");

function load(name) {
  Object.assign(globalThis, require(path.join(STATIC, "common.js")));
  if (name === "network.js") globalThis.vaeOps = require(path.join(STATIC, "layers.js"));
  return require(path.join(STATIC, name));
}

function fixture(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", `${name}.json`), "utf8"));
}

// Every number of `actual` within atol + rtol * |expected| of `expected`
// (arrays and typed arrays alike, nested or not).
function close(actual, expected, {atol = 1e-9, rtol = 0, what = "value"} = {}) {
  if (typeof expected === "number" || expected === null) {
    const want = expected === null ? NaN : expected;
    if (Number.isNaN(want)) return assert.ok(Number.isNaN(actual), `${what}: ${actual} is not NaN`);
    if (!Number.isFinite(want)) return assert.equal(actual, want, what);
    assert.ok(Math.abs(actual - want) <= atol + rtol * Math.abs(want),
              `${what}: ${actual} is not within ${atol} + ${rtol} x of ${want}`);
    return undefined;
  }
  const got = Array.from(actual);
  assert.equal(got.length, expected.length, `${what}: length`);
  got.forEach((v, i) => close(v, expected[i], {atol, rtol, what: `${what}[${i}]`}));
  return undefined;
}

module.exports = {load, fixture, close, STATIC};
