// network.js's vaeModel: the page of a model (window.vaeData) answering
// as reference.py's numpy runs of the same weights: decodings,
// encodings, the classifier, the noise slider (Normal codes and bits),
// the ELBO and its parts (the export's draws of q, and seeded ones), the
// game; float16 weights; and what it refuses.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const {load, fixture, close} = require("./page.js");

const {vaeModel} = load("network.js");
const models = Object.fromEntries(["conditional", "normal16", "bits"].map(
  (name) => [name, fixture(`model-${name}`)]));
const F32 = {rtol: 1e-4, atol: 1e-5};

for (const [name, {data, expected}] of Object.entries(models)) {
  const {vae, backend} = vaeModel(data);

  test(`${name}: decodings, encodings and classes`, () => {
    close(vae.decode(expected.codes), expected.decodings, F32);
    close(vae.encode(expected.images), expected.means, F32);
    if (expected.classes) close(vae.classify(expected.images), expected.classes, F32);
    else assert.equal(vae.classify, undefined);
    assert.equal(vae.model, data.model);
  });

  test(`${name}: the ELBO and its parts, as vae.elbo_parts`, async () => {
    for (const {request, parts} of expected.elbo) {
      const got = await backend.elbo(request);
      for (const key of ["reconstruction", "kl", "elbo"]) {
        close(got[key], parts[key], {rtol: 1e-4, atol: 1e-3, what: `${JSON.stringify(request)} ${key}`});
      }
      close(got.kl_per_dimension, parts.kl_per_dimension, {rtol: 1e-4, atol: 1e-5});
      close(got.image, parts.image, {atol: 1e-7});
      close(got.decodings, parts.decodings, F32);
    }
  });

  test(`${name}: the game: test images and the model's, black and white`, async () => {
    const {args, machine, images} = expected.game;
    const got = await backend.humanOrMachine(...args);
    assert.deepEqual(got.machine, machine);
    assert.deepEqual(got.images, images);
  });

  test(`${name}: the server's other answers`, async () => {
    assert.equal(await backend.describe(), data.model);
    assert.equal(await backend.latent(), data.latent);
    close(await backend.decode(expected.codes), expected.decodings, F32);
    const encoded = await backend.encode(expected.images);
    close(encoded.means, expected.means, F32);
    if (expected.classes) close(encoded.probabilities, expected.classes, F32);
    else assert.deepEqual(Object.keys(encoded), ["means"]);
    assert.equal(backend.follows, false);
  });

  test(`${name}: what it refuses, in one line`, async () => {
    const last = data.model.n_test - 1;
    await assert.rejects(backend.elbo({index: last + 1}),
                         new RegExp(`^Error: index must be a test image, 0 to ${last}, got ${last + 1}\\.$`));
    await assert.rejects(backend.elbo({index: -1}), /got -1\./);
    await assert.rejects(backend.elbo({index: 0.5}), /got 0\.5\./);
    await backend.elbo({index: last});
    await assert.rejects(backend.elbo({index: 0, n: 17}), /^Error: n must be a whole number from 1 to 16, got 17\.$/);
    await backend.elbo({index: 0, n: 16});
    await assert.rejects(backend.humanOrMachine(1, 0), /n must be a whole number from 2 to 64, got 1/);
    await assert.rejects(backend.humanOrMachine(65, 0), /got 65/);
    assert.equal((await backend.humanOrMachine(64, 0)).images.length, 64);
    assert.equal((await backend.humanOrMachine(2, 0)).images.length, 2);
    await assert.rejects(backend.decode([[1]]), /each of codes must hold/);
    await assert.rejects(backend.encode([[1]]), /each of images must hold 784 numbers, got 1/);
    await assert.rejects(backend.elbo({image: [1, 2]}), /^Error: each of image must hold 784 numbers, got 2\.$/);
    if (vae.classify) {
      assert.throws(() => vae.classify([[1]]), /^Error: each of images must hold 784 numbers, got 1\.$/);
    }
    if (data.model.has_labels) {
      await assert.rejects(backend.vary(0, 0.7, 1, 0), /^Error: vary needs the blog's std_noise, which the conditional model does not have\.$/);
    } else {
      await assert.rejects(backend.vary(last + 1, 0.7, 1, 0), /index must be a test image/);
      await assert.rejects(backend.vary(0, 3.01, 1, 0), /^Error: std_noise must lie in \[0, 3\], got 3\.01\.$/);
      await assert.rejects(backend.vary(0, -0.01, 1, 0), /got -0\.01/);
      await assert.rejects(backend.vary(0, NaN, 1, 0), /got NaN/);
      await assert.rejects(backend.vary(0, 1, 0, 0), /n must be a whole number from 1 to 1024, got 0/);
      await assert.rejects(backend.vary(0, 1, 1025, 0), /got 1025/);
      for (const [noise, n] of [[0, 1], [3, 1024]]) {
        assert.equal((await backend.vary(last, noise, n, 0)).images.length, n);
      }
    }
  });

  if (expected.vary) {
    test(`${name}: the noise slider: n decodings of the noised code, seeded`, async () => {
      for (const {args, image, images} of expected.vary) {
        const got = await backend.vary(...args);
        close(got.image, image, {atol: 1e-7});
        close(got.images, images, F32);
      }
    });
  }
}

test("a good answer clears the page's error line", async () => {
  let cleared = 0;
  globalThis.clearError = () => { cleared += 1; };
  try {
    const {backend} = vaeModel(models.bits.data);
    await backend.describe();
    await assert.rejects(backend.decode([]), /codes must be a non-empty list of rows/);
    assert.equal(cleared, 1);
  } finally {
    delete globalThis.clearError;
  }
});

test("a page without test images says so", async () => {
  const {data} = models.bits;
  const {backend} = vaeModel(Object.assign({}, data, {model: Object.assign({}, data.model, {n_test: 0})}));
  await assert.rejects(backend.humanOrMachine(16, 0), /^Error: no test images are in this page\.$/);
});
