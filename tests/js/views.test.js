// views.js, elbo.js, explore.js and backend.js: the handwriting's normal
// draws, the ten digits' codes, the noise grid's places, the game's score,
// the KL bars and their words, the model's line, the server's requests.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {load, close} = require("./page.js");

const views = load("views.js");
const elbo = load("elbo.js");
const explore = load("explore.js");
const backend = load("backend.js");

test("a normal draw is Box-Muller's of Math.random's two uniforms", () => {
  const random = Math.random;
  try {
    const uniforms = [0.25, 0.125];
    Math.random = () => uniforms.shift();
    close(views.randomNormal(), Math.sqrt(-2 * Math.log(0.75)) * Math.cos(Math.PI / 4), {atol: 1e-15});
    let seed = 1;  // a fixed stream: the draws' mean 0 and variance 1
    Math.random = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
    const draws = Array.from({length: 20000}, views.randomNormal);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
    close(mean, 0, {atol: 0.03});
    close(variance, 1, {atol: 0.04});
  } finally {
    Math.random = random;
  }
});

test("the ten digits' codes: the handwriting, then each digit's one-hot class", () => {
  const codes = views.digitCodes([0.5, -1]);
  assert.equal(codes.length, 10);
  codes.forEach((code, k) => {
    assert.deepEqual(code.slice(0, 2), [0.5, -1]);
    assert.deepEqual(code.slice(2), Array.from({length: 10}, (_, j) => (j === k ? 1 : 0)));
  });
});

test("the noise grid: five tiles a row", () => {
  assert.deepEqual(views.gridPlace(0, 5, 84), [0, 0]);
  assert.deepEqual(views.gridPlace(4, 5, 84), [336, 0]);
  assert.deepEqual(views.gridPlace(5, 5, 84), [0, 84]);
  assert.deepEqual(views.gridPlace(24, 5, 84), [336, 336]);
});

test("the game's score: the tiles marked as they were drawn", () => {
  assert.equal(views.gameScore([true, false, true, false], [true, true, false, false]), 2);
  assert.equal(views.gameScore([true, false], [true, false]), 2);
  assert.equal(views.gameScore([true, false], [false, true]), 0);
});

test("the KL bars: the largest 4 pixels short of the top, a flat one 1 pixel", () => {
  const bars = elbo.klBars([2, 0.5, 0.001, 0], 400, 104);
  assert.deepEqual(bars, [[1, 4, 98, 100, true], [101, 79, 98, 25, true],
                          [201, 103, 98, 1, false], [301, 103, 98, 1, false]]);
  // all flat: measured against ACTIVE_KL, not blown up
  assert.deepEqual(elbo.klBars([0.005], 10, 24), [[1, 14, 8, 10, false]]);
  assert.deepEqual(elbo.klBars(new Array(300).fill(1), 300, 24)[5], [6, 4, 1, 20, true]);
  assert.equal(elbo.klBars([1, 0.01], 20, 24)[1][4], false);  // 0.01 itself is not more
  assert.equal(elbo.ACTIVE_KL, 0.01);
});

test("the KL bars in words", () => {
  assert.equal(elbo.klSummary([2, 0.5, 0.001, 0.01]),
               "2 of 4 dimensions carry more than 0.01 nats (the largest 2.00); the others are flat");
  assert.equal(elbo.klSummary([0.004]),
               "0 of 1 dimensions carry more than 0.01 nats (the largest 0.01); the others are flat");
});

test("the model's line", () => {
  assert.equal(explore.modelLine({model: "conv", dataset: "mnist", epoch: 20, z_dim: 2,
                                  checkpoint: "vae.epoch.20.ckpt"}),
               "conv model on mnist, epoch 20, z in 2 dimensions (vae.epoch.20.ckpt)");
});

test("the server's API: GET or POST of JSON, its error line on a refusal", async () => {
  const asked = [];
  let cleared = 0;
  globalThis.clearError = () => { cleared += 1; };
  globalThis.fetch = async (path, options) => {
    asked.push([path, options]);
    const refuse = path === "/api/vary";
    return {ok: !refuse, statusText: "Bad Request",
            json: async () => (refuse ? {error: "index must be a test image"} : {images: [[1]], path})};
  };
  try {
    const api = backend.httpBackend;
    assert.deepEqual(await api.describe(), {images: [[1]], path: "/api/model"});
    assert.deepEqual(await api.decode([[0, 1]]), [[1]]);
    await api.encode([[0.5]]);
    await api.elbo({index: 3});
    await api.humanOrMachine(16, 7);
    await api.latent();
    await assert.rejects(api.vary(99999, 0.7, 25, 0), /^Error: index must be a test image$/);
    assert.deepEqual(asked.map(([path]) => path), ["/api/model", "/api/decode", "/api/encode",
                                                    "/api/elbo", "/api/human_or_machine",
                                                    "/api/latent", "/api/vary"]);
    assert.deepEqual(asked[0][1], {});
    assert.deepEqual(asked[1][1], {method: "POST", headers: {"Content-Type": "application/json"},
                                   body: JSON.stringify({codes: [[0, 1]]})});
    assert.equal(asked[2][1].body, JSON.stringify({images: [[0.5]]}));
    assert.equal(asked[3][1].body, JSON.stringify({index: 3}));
    assert.equal(asked[4][1].body, JSON.stringify({n: 16, seed: 7}));
    assert.equal(asked[6][1].body, JSON.stringify({index: 99999, std_noise: 0.7, n: 25, seed: 0}));
    assert.equal(cleared, 6);  // each good answer clears the error line; a refusal does not
    assert.equal(api.follows, true);
    globalThis.fetch = async () => ({ok: false, statusText: "Gateway Timeout", json: async () => ({})});
    await assert.rejects(backend.request("/api/model"), /^Error: Gateway Timeout$/);
  } finally {
    delete globalThis.fetch;
    delete globalThis.clearError;
  }
});
