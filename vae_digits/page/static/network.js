// The page's own model, for the page exported as one file (python -m
// vae_digits.export --format html): the trained encoder, decoder and digit
// classifier run here in plain JavaScript, from the layer lists and the
// weights the export puts in window.vaeData (vae_digits/sharing/networks.py
// says what they hold). It sets window.vaeBackend, which backend.js takes
// in place of the server's API, and window.vae for scripts and tests:
// decode(codes), encode(images) and, for the conditional model,
// classify(images), each returning plain arrays; vaeBackend.elbo gives
// what vae.elbo_parts gives. Values are float32
// (Float32Array) between operations, as in TensorFlow; each dot product is
// summed in a double and rounded to float32 once. The served page does not
// load this file. vaeModel(data) is the model of one page's data, from
// the operations of layers.js (vaeOps); Node requires it as it is
// (tests/js/model.test.js).
"use strict";

// The model of one page's data (window.vaeData): {vae, backend}.
function vaeModel(data) {
  const {PIXELS, bytes, fromHalves, compile, rows, checkCount, generator, pixelLogLikelihood,
         latentKl, blackAndWhite, gameDraw} = vaeOps;
  const blob = bytes(data.weights);
  function tensor(name) {
    const {offset, shape} = data.tensors[name];
    const size = shape.reduce((a, b) => a * b, 1);
    return data.dtype === "float16" ? fromHalves(new Uint16Array(blob, offset, size))
      : new Float32Array(blob, offset, size);
  }
  function weights(scope) {
    return {kernel: tensor(`${scope}/kernel`), bias: tensor(`${scope}/bias`),
            shape: data.tensors[`${scope}/kernel`].shape};
  }

  const net = {};
  for (const [part, ops] of Object.entries(data.network)) net[part] = ops.map((op) => compile(op, weights));
  const run = (part, value) => net[part].reduce((v, op) => op(v), value).x;

  // q(z | x): {mean, std}; for bits {mean (their probabilities), logits}
  function posterior(image) {
    const hidden = {x: run("encoder", {x: image, shape: [PIXELS]}), shape: null};
    const other = net.logits ? "logits" : "std";
    return {mean: run("mean", hidden), [other]: run(other, hidden)};
  }

  // ---- the model: rows of plain numbers in, plain arrays out ----
  const model = data.model, codeDim = model.code_dim;
  const decodeRows = (codes) => codes.map((code) => run("decoder", {x: code, shape: [codeDim]}));
  // the blog's model reads binary pixels: a grey one is 1 from model.grey_threshold up, as vae.encode reads it
  const asRead = (image) => (model.grey_threshold == null ? image
    : image.map((v) => (v >= model.grey_threshold ? 1 : 0)));
  const vae = {
    model,
    decode: (codes) => decodeRows(rows(codes, codeDim, "codes")).map((image) => Array.from(image)),
    encode: (images) => rows(images, PIXELS, "images").map((image) => Array.from(posterior(asRead(image)).mean)),
  };
  if (net.classifier) {
    vae.classify = (images) => rows(images, PIXELS, "images").map(
      (image) => Array.from(run("classifier", {x: image, shape: [PIXELS]})));
  }

  // ---- what the server's API answers, computed here ----
  const testPixels = new Uint8Array(bytes(data.images));
  const testImage = (index) => Float32Array.from(
    testPixels.subarray(index * PIXELS, (index + 1) * PIXELS), (v) => v / 255);

  function checkIndex(index) {
    if (!Number.isInteger(index) || index < 0 || index >= model.n_test) {
      throw new Error(`index must be a test image, 0 to ${model.n_test - 1}, got ${index}.`);
    }
  }

  // the blog's i.png: n decodings of z ~ N(mean, (std * exp(std_noise))^2)
  function vary(index, stdNoise, n, seed) {
    checkIndex(index);
    checkCount(n, "n", 1, 1024);
    if (!(stdNoise >= 0 && stdNoise <= 3)) throw new Error(`std_noise must lie in [0, 3], got ${stdNoise}.`);
    if (model.has_labels) throw new Error("vary needs the blog's std_noise, which the conditional model does not have.");
    const image = testImage(index), {mean, std, logits} = posterior(image), random = generator(seed);
    const scale = Math.exp(stdNoise);
    const code = logits  // bits of sigmoid(logits / e^std_noise)
      ? () => Float32Array.from(logits, (l) => (random.uniform() < 1 / (1 + Math.exp(-l / scale)) ? 1 : 0))
      : () => Float32Array.from(mean, (m, k) => m + std[k] * scale * random.normal());
    const codes = Array.from({length: n}, code);
    return {image: Array.from(image), images: decodeRows(codes).map((x) => Array.from(x))};
  }

  // seed 0 takes the draws the export made as vae.elbo_parts makes them (data.elbo_noise)
  function elbo({index, image, n = model.elbo_samples, seed = 0}) {
    if (index !== undefined) checkIndex(index);
    const x = asRead(index === undefined ? rows([image], PIXELS, "image")[0] : testImage(index));
    checkCount(n, "n", 1, 16);
    const q = posterior(x), random = generator(seed), bits = Boolean(q.logits);
    const noise = (s, k) => (seed === 0 && s < data.elbo_noise.length ? data.elbo_noise[s][k]
      : bits ? random.uniform() : random.normal());
    const extra = vae.classify ? Array.from(run("classifier", {x, shape: [PIXELS]})) : [];
    const codes = Array.from({length: n}, (_, s) => Float32Array.from(Array.from(q.mean, (m, k) =>
      (bits ? Number(noise(s, k) < m) : m + q.std[k] * noise(s, k))).concat(extra)));
    const decodings = decodeRows(codes);
    const reconstruction = -decodings.reduce((sum, d) => sum + pixelLogLikelihood(x, d, model.pixels), 0) / n;
    const klPerDimension = latentKl(q), kl = klPerDimension.reduce((a, b) => a + b, 0);
    return {reconstruction, kl, elbo: -(reconstruction + kl), kl_per_dimension: klPerDimension,
            image: Array.from(x), decodings: decodings.map((d) => Array.from(d))};
  }

  // n images, half test images and half drawn from the prior, shuffled
  function humanOrMachine(n, seed) {
    checkCount(n, "n", 2, 64);
    if (!model.n_test) throw new Error("no test images are in this page.");
    const {machine, indices, codes} = gameDraw(n, model.n_test, model.z_dim, model.has_labels, seed);
    const drawn = decodeRows(codes);
    let real = 0, made = 0;
    const images = machine.map((m) => (m ? drawn[made++] : testImage(indices[real++])));
    return {images: images.map(blackAndWhite), machine};
  }

  // each answer as the server's: a good one clears the error line
  const answer = (f) => async (...args) => {
    const result = f(...args);
    if (typeof clearError === "function") clearError();
    return result;
  };
  const backend = {
    describe: answer(() => model),
    latent: answer(() => data.latent),
    decode: answer(vae.decode),
    encode: answer((images) => (vae.classify ? {means: vae.encode(images), probabilities: vae.classify(images)}
      : {means: vae.encode(images)})),
    vary: answer(vary),
    elbo: answer(elbo),
    humanOrMachine: answer(humanOrMachine),
    follows: false,  // a file's model never changes
  };
  return {vae, backend};
}

// the exported page's start: the browser tests hold it (test_export_html.py)
// Stryker disable all
if (typeof window !== "undefined" && window.vaeData) {
  const page = vaeModel(window.vaeData);
  window.vae = page.vae;
  window.vaeBackend = page.backend;
}
// Stryker restore all
// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") module.exports = {vaeModel};
