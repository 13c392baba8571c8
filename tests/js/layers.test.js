// layers.js's operations, against reference.py: dense layers,
// convolutions with TensorFlow's `same` padding and their transposes
// (the convolution's adjoint), float16 weights, the elementwise
// functions, the seeded draws (mulberry32, Box-Muller), the game's draw
// and its black and white, the ELBO's terms, the checks on rows.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {load, fixture, close} = require("./page.js");

const net = load("layers.js");
const ops = fixture("operations");
const draws = fixture("draws");
const F32 = {rtol: 1e-5, atol: 1e-6};

test("dense layers, inputs of zero skipped", () => {
  for (const {x, kernel, bias, shape, out} of ops.dense) {
    const got = net.dense({x: Float32Array.from(x)},
                          {kernel: Float32Array.from(kernel), bias: Float32Array.from(bias), shape});
    assert.deepEqual(got.shape, [shape[1]]);
    assert.ok(got.x instanceof Float32Array);
    close(got.x, out, F32);
  }
});

// a layer of the page: the operation list's form, through compile
function layer(kind, {kernel, bias, kernelShape, strides}, activation) {
  const weights = () => ({kernel: Float32Array.from(kernel), bias: Float32Array.from(bias),
                          shape: kernelShape});
  return net.compile({op: kind, weights: "w", strides, activation}, weights);
}

test("convolutions with TensorFlow's same padding: odd sizes, even kernels, strides 1 to 3", () => {
  for (const c of ops.conv2d) {
    const got = layer("conv2d", c)({x: Float32Array.from(c.x), shape: c.shape});
    assert.deepEqual(got.shape, c.outShape);
    close(got.x, c.out, F32);
  }
});

test("transposed convolutions: the convolution's adjoint, the kernel as tf.layers keeps it", () => {
  for (const c of ops.conv2d_transpose) {
    const got = layer("conv2d_transpose", c)({x: Float32Array.from(c.x), shape: c.shape});
    assert.deepEqual(got.shape, c.outShape);
    close(got.x, c.out, F32);
  }
});

test("a layer's activation follows it", () => {
  const c = ops.conv2d[0];
  const got = layer("conv2d", c, "relu")({x: Float32Array.from(c.x), shape: c.shape});
  close(got.x, c.out.map((v) => Math.max(v, 0)), F32);
  const d = ops.dense[1];
  const sigmoid = net.compile({op: "dense", weights: "w", activation: "sigmoid"}, () => ({
    kernel: Float32Array.from(d.kernel), bias: Float32Array.from(d.bias), shape: d.shape}));
  close(sigmoid({x: Float32Array.from(d.x)}).x, d.out.map((v) => 1 / (1 + Math.exp(-v))), F32);
});

test("TensorFlow's same padding: the output's size and the padding before", () => {
  for (const [size, k, s, out, before] of ops.same) {
    assert.deepEqual(net.same(size, k, s), [out, before], `size ${size}, kernel ${k}, strides ${s}`);
  }
});

test("a kernel's last two axes swapped", () => {
  const kernel = Float32Array.from({length: 2 * 2 * 2 * 3}, (_, i) => i);
  const swapped = net.swapLast({kernel, shape: [2, 2, 2, 3]});
  // [p, i, j] of [4, 2, 3] read as [p, j, i] of [4, 3, 2]
  assert.deepEqual(Array.from(swapped.slice(0, 6)), [0, 3, 1, 4, 2, 5]);
  assert.deepEqual(Array.from(swapped.slice(18)), [18, 21, 19, 22, 20, 23]);
});

test("float16 weights: normal, subnormal, zero, infinite and NaN", () => {
  const got = net.fromHalves(Uint16Array.from(ops.halves.bits));
  assert.ok(got instanceof Float32Array);
  const infinite = {"inf": Infinity, "-inf": -Infinity};
  close(got, ops.halves.values.map((v) => (v in infinite ? infinite[v] : v)), {atol: 0});
  assert.ok(Object.is(got[1], -0));
});

test("weights and images from base64, with or without Uint8Array.fromBase64", () => {
  const text = Buffer.from([0, 1, 127, 128, 255, 42]).toString("base64");
  assert.deepEqual(Array.from(new Uint8Array(net.bytes(text))), [0, 1, 127, 128, 255, 42]);
  const own = Uint8Array.fromBase64;
  try {
    let used = 0;  // where the browser has it (Node 20 has not), it is the way
    Uint8Array.fromBase64 = (base64) => { used += 1; return Uint8Array.from(Buffer.from(base64, "base64")); };
    const buffer = net.bytes(text);
    assert.equal(used, 1);
    assert.ok(buffer instanceof ArrayBuffer);
    assert.deepEqual(Array.from(new Uint8Array(buffer)), [0, 1, 127, 128, 255, 42]);
  } finally {
    if (own) Uint8Array.fromBase64 = own; else delete Uint8Array.fromBase64;
  }
});

test("the elementwise functions, softplus past 30 included", () => {
  const {inputs, outputs} = ops.functions;
  for (const [name, values] of Object.entries(outputs)) {
    const f = name === "sqrt" ? (v) => net.FUNCTIONS.sqrt(Math.abs(v)) : net.FUNCTIONS[name];
    close(inputs.map(f), values, {rtol: 1e-12, atol: 1e-15, what: name});
  }
  const add = net.compile({op: "add", value: 1e-5}, null);
  assert.deepEqual(add({x: Float32Array.of(1, 2), shape: [2]}).x,
                   Float32Array.of(1 + Math.fround(1e-5), 2 + Math.fround(1e-5)));
  const reshape = net.compile({op: "reshape", shape: [1, 2, 1]}, null);
  assert.deepEqual(reshape({x: Float32Array.of(1, 2), shape: [2]}), {x: Float32Array.of(1, 2), shape: [1, 2, 1]});
});

test("softplus far out: no overflow", () => {
  assert.equal(net.FUNCTIONS.softplus(800), 800);
  assert.equal(net.FUNCTIONS.softplus(-800), 0);
});

test("softmax: probabilities, large logits too", () => {
  const got = net.compile({op: "softmax"}, null)({x: Float32Array.of(1000, 1001, 1000), shape: [3]});
  const e = Math.exp(1);
  close(got.x, [1 / (2 + e), e / (2 + e), 1 / (2 + e)], {rtol: 1e-6});
  assert.deepEqual(got.shape, [3]);
  const spread = net.compile({op: "softmax"}, null)({x: Float32Array.of(-1000, 0, 10), shape: [3]});
  close(spread.x, [0, 1 / (1 + Math.exp(10)), 1 / (1 + Math.exp(-10))], {rtol: 1e-6});
});

test("mulberry32's uniforms, Box-Muller's normals, whole numbers below n", () => {
  for (const {seed, values} of draws.uniform) {
    const random = net.generator(seed);
    close(values.map(() => random.uniform()), values, {atol: 0, what: `seed ${seed}`});
  }
  for (const {seed, values} of draws.normal) {
    const random = net.generator(seed);
    close(values.map(() => random.normal()), values, {rtol: 1e-12, atol: 1e-12});
  }
  for (const {seed, n, values} of draws.below) {
    const random = net.generator(seed);
    assert.deepEqual(values.map(() => random.below(n)), values);
  }
});

test("the game's draw: the model's half shuffled, test images, the codes", () => {
  for (const {args, machine, indices, codes} of draws.game) {
    const got = net.gameDraw(...args);
    assert.deepEqual(got.machine, machine, `game ${args}`);
    assert.deepEqual(got.indices, indices);
    assert.equal(got.codes.length, codes.length);
    got.codes.forEach((code, i) => close(code, codes[i], {atol: 0}));
  }
  // every digit is drawn, 9 too
  const digits = new Set();
  for (let seed = 0; digits.size < 10 && seed < 50; seed++) {
    for (const code of net.gameDraw(64, 100, 1, true, seed).codes) digits.add(code.indexOf(1) - 1);
  }
  assert.equal(digits.size, 10);
});

test("black and white: the brightest pixels, as many as the grey levels add up to", () => {
  for (const {image, out} of ops.blackAndWhite) assert.deepEqual(net.blackAndWhite(image), out);
  assert.equal(net.rint(2.5), 2);
  assert.equal(net.rint(3.5), 4);
  assert.equal(net.rint(-2.5), -2);
  assert.equal(net.rint(2.4), 2);
  assert.equal(net.rint(2.6), 3);
});

test("the ELBO's terms: pixels' log-likelihoods and each dimension's KL", () => {
  const {bernoulli, normal, gaussianKl, bitsKl} = ops.likelihoods;
  close(net.pixelLogLikelihood(bernoulli.x, bernoulli.means, {kind: "bernoulli"}), bernoulli.value,
        {rtol: 1e-12});
  close(net.pixelLogLikelihood(normal.x, normal.means, {kind: "normal", std: normal.std}),
        normal.value, {rtol: 1e-12});
  close(net.latentKl({mean: gaussianKl.mean, std: gaussianKl.std}), gaussianKl.kl, {rtol: 1e-12});
  close(net.latentKl({mean: bitsKl.mean}), bitsKl.kl, {rtol: 1e-9, atol: 1e-12});
});

test("rows and counts that are not what the model takes: one line each", () => {
  assert.throws(() => net.rows([], 3, "codes"), /^Error: codes must be a non-empty list of rows\.$/);
  assert.throws(() => net.rows("abc", 3, "codes"), /^Error: codes must be a non-empty list of rows\.$/);
  assert.throws(() => net.rows([[1, 2]], 3, "codes"),
                /^Error: each of codes must hold 3 numbers, got 2\.$/);
  const [row] = net.rows([[[1, 2], [3]]], 3, "images");  // nested rows are flattened
  assert.deepEqual(row, Float32Array.of(1, 2, 3));
  assert.deepEqual(net.rows([Float32Array.of(1, 2, 3)], 3, "codes")[0], Float32Array.of(1, 2, 3));
  assert.throws(() => net.checkCount(0, "n", 1, 16), /^Error: n must be a whole number from 1 to 16, got 0\.$/);
  assert.throws(() => net.checkCount(17, "n", 1, 16), /got 17/);
  assert.throws(() => net.checkCount(1.5, "n", 1, 16), /got 1\.5/);
  net.checkCount(1, "n", 1, 16);
  net.checkCount(16, "n", 1, 16);
});
