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
// load this file. vaeOps holds the operations and the seeded draws, plain
// functions; vaeModel(data) the model of one page's data; Node requires
// both as they are (tests/js/network.test.js).
"use strict";

const vaeOps = (() => {
  const PIXELS = 784;

  function bytes(base64) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(base64).buffer;
    const text = atob(base64);
    const array = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) array[i] = text.charCodeAt(i);
    return array.buffer;
  }

  // float16 bits to float32 values (exact: every float16 is a float32)
  function fromHalves(halves) {
    const values = new Float32Array(halves.length);
    for (let i = 0; i < halves.length; i++) {
      const h = halves[i], sign = h & 0x8000 ? -1 : 1;
      const exponent = (h >> 10) & 31, fraction = h & 1023;
      values[i] = exponent === 0 ? sign * fraction * 2 ** -24
        : exponent === 31 ? (fraction ? NaN : sign * Infinity)
          : sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
    }
    return values;
  }

  // ---- the operations: each takes and gives {x: Float32Array, shape} ----
  function withBias(sums, bias) {
    const out = new Float32Array(sums.length), units = bias.length;
    for (let i = 0; i < sums.length; i++) out[i] = Math.fround(sums[i]) + bias[i % units];
    return out;
  }

  function dense({x}, {kernel, bias, shape: [inputs, units]}) {
    const sums = new Float64Array(units);
    for (let i = 0; i < inputs; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      for (let j = 0, row = i * units; j < units; j++) sums[j] += xi * kernel[row + j];
    }
    return {x: withBias(sums, bias), shape: [units]};
  }

  // TensorFlow's `same` padding: (output size, padding before)
  function same(size, k, strides) {
    const out = Math.ceil(size / strides);
    return [out, Math.floor(Math.max((out - 1) * strides + k - size, 0) / 2)];
  }

  // A convolution with `same` padding (kernel [k, k, channels, filters])
  // reads in[o * s + kk - pad] into out[o], for each output pixel o and
  // kernel tap kk; its transpose (its gradient; `transposed`, the kernel
  // given here as [k, k, channels, filters] too) adds in[i] into
  // out[i * s + kk - pad], for each input pixel i. Both walk the pixels of
  // the strided side, `grid`, and find their partners on the other side.
  function convolve({x, shape: [height, width, channels]}, kernel, bias, k, strides, transposed) {
    const filters = bias.length;
    const outH = transposed ? height * strides : same(height, k, strides)[0];
    const outW = transposed ? width * strides : same(width, k, strides)[0];
    const top = same(transposed ? outH : height, k, strides)[1];
    const left = same(transposed ? outW : width, k, strides)[1];
    const [gridH, gridW, farH, farW] = transposed ? [height, width, outH, outW] : [outH, outW, height, width];
    const sums = new Float64Array(outH * outW * filters);
    for (let gy = 0; gy < gridH; gy++) {
      for (let gx = 0; gx < gridW; gx++) {
        for (let ky = 0; ky < k; ky++) {
          const fy = gy * strides + ky - top;
          if (fy < 0 || fy >= farH) continue;
          for (let kx = 0; kx < k; kx++) {
            const fx = gx * strides + kx - left;
            if (fx < 0 || fx >= farW) continue;
            const input = (transposed ? gy * width + gx : fy * width + fx) * channels;
            const o = (transposed ? fy * outW + fx : gy * outW + gx) * filters;
            for (let c = 0, w = (ky * k + kx) * channels * filters; c < channels; c++) {
              const v = x[input + c];
              if (v === 0) continue;
              for (let f = 0, wc = w + c * filters; f < filters; f++) sums[o + f] += v * kernel[wc + f];
            }
          }
        }
      }
    }
    return {x: withBias(sums, bias), shape: [outH, outW, filters]};
  }

  // a kernel [k, k, a, b] as [k, k, b, a]
  function swapLast({kernel, shape: [k, , a, b]}) {
    const swapped = new Float32Array(kernel.length);
    for (let p = 0; p < k * k; p++) {
      for (let i = 0; i < a; i++) {
        for (let j = 0; j < b; j++) swapped[(p * b + j) * a + i] = kernel[(p * a + i) * b + j];
      }
    }
    return swapped;
  }

  const FUNCTIONS = {
    relu: (v) => (v > 0 ? v : 0),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    tanh: Math.tanh,
    softplus: (v) => (v > 30 ? v : Math.log1p(Math.exp(v))),
    exp: Math.exp,
    sqrt: Math.sqrt,
  };

  function softmax({x, shape}) {
    const top = Math.max(...x), e = x.map((v) => Math.exp(v - top));
    const total = e.reduce((a, b) => a + b, 0);
    return {x: e.map((v) => v / total), shape};
  }

  const elementwise = (f) => ({x, shape}) => ({x: x.map(f), shape});

  // One operation of a network (networks.py) as a function; weights(scope):
  // {kernel, bias, shape} of the variables under `scope`.
  function compile(op, weights) {
    if (op.op === "reshape") return ({x}) => ({x, shape: op.shape});
    if (op.op === "softmax") return softmax;
    if (op.op === "add") return elementwise((v) => v + Math.fround(op.value));
    if (!op.weights) return elementwise(FUNCTIONS[op.op]);
    const w = weights(op.weights), strides = op.strides;
    if (op.op === "conv2d_transpose") w.swapped = swapLast(w);
    const layer = {dense: (v) => dense(v, w),
                   conv2d: (v) => convolve(v, w.kernel, w.bias, w.shape[0], strides, false),
                   conv2d_transpose: (v) => convolve(v, w.swapped, w.bias, w.shape[0], strides, true)}[op.op];
    const activation = op.activation && elementwise(FUNCTIONS[op.activation]);
    return activation ? (v) => activation(layer(v)) : layer;
  }

  // ---- checks on what a caller hands the model ----
  function rows(values, size, what) {
    if (!Array.isArray(values) || !values.length) throw new Error(`${what} must be a non-empty list of rows.`);
    return values.map((row) => {
      const flat = Float32Array.from(Array.isArray(row) ? row.flat() : row);
      if (flat.length !== size) throw new Error(`each of ${what} must hold ${size} numbers, got ${flat.length}.`);
      return flat;
    });
  }

  function checkCount(value, what, low, high) {
    if (!Number.isInteger(value) || value < low || value > high) {
      throw new Error(`${what} must be a whole number from ${low} to ${high}, got ${value}.`);
    }
  }

  // a seeded generator (mulberry32) and normal draws (Box-Muller)
  function generator(seed) {
    let state = seed >>> 0;
    const uniform = () => {
      state = (state + 0x6D2B79F5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    return {uniform, normal, below: (n) => Math.floor(uniform() * n)};
  }

  // ---- the ELBO's terms, as vae.elbo_parts computes them ----
  const clip = (v, low) => Math.min(Math.max(v, low), 1 - low);
  // log p(x | pixel means) of `pixels` ({kind: "bernoulli"}, or "normal" with its std)
  function pixelLogLikelihood(x, means, pixels) {
    let total = 0;
    const variance = pixels.std ** 2;
    for (let i = 0; i < PIXELS; i++) {
      total += pixels.kind === "normal"
        ? -0.5 * ((x[i] - means[i]) ** 2 / variance + Math.log(2 * Math.PI * variance))
        : x[i] * Math.log(clip(means[i], 1e-6)) + (1 - x[i]) * Math.log1p(-clip(means[i], 1e-6));
    }
    return total;
  }

  // KL(q(z_u | x) || p(z_u)) of each dimension: from N(0, 1), or bits from fair coins
  const latentKl = ({mean, std}) => Array.from(mean, (m, k) => {
    const p = clip(m, 1e-12);
    return std ? 0.5 * (m * m + std[k] * std[k] - Math.log(std[k] * std[k]) - 1)
      : p * Math.log(2 * p) + (1 - p) * Math.log(2 * (1 - p));
  });

  // ---- human or machine? ----
  // round half to even, as numpy's rint
  const rint = (v) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));

  // black and white: the brightest pixels white, as many as the grey levels add up to
  function blackAndWhite(image) {
    const count = rint(image.reduce((a, b) => a + b, 0));
    const order = Array.from(image.keys()).sort((a, b) => image[b] - image[a] || a - b);
    const out = new Array(PIXELS).fill(0);
    order.slice(0, count).forEach((i) => { out[i] = 1; });
    return out;
  }

  // The game's draw from `seed`: which of its n tiles the model draws
  // (half, shuffled), the test images of the others (of nTest) and the
  // model's codes (z ~ N(0, I), and a random digit's one-hot class).
  function gameDraw(n, nTest, zDim, hasLabels, seed) {
    const random = generator(seed), half = Math.floor(n / 2);
    const machine = Array.from({length: n}, (_, i) => i < half);
    for (let i = n - 1; i > 0; i--) {
      const j = random.below(i + 1);
      [machine[i], machine[j]] = [machine[j], machine[i]];
    }
    const indices = Array.from({length: nTest}, (_, i) => i);
    for (let i = 0; i < n - half; i++) {
      const j = i + random.below(nTest - i);
      [indices[i], indices[j]] = [indices[j], indices[i]];
    }
    const codes = Array.from({length: half}, () => {
      const z = Array.from({length: zDim}, random.normal);
      if (hasLabels) {
        const digit = random.below(10);
        z.push(...Array.from({length: 10}, (_, k) => (k === digit ? 1 : 0)));
      }
      return Float32Array.from(z);
    });
    return {machine, indices: indices.slice(0, n - half), codes};
  }

  return {PIXELS, bytes, fromHalves, dense, same, convolve, swapLast, FUNCTIONS, softmax,
          compile, rows, checkCount, generator, pixelLogLikelihood, latentKl, rint,
          blackAndWhite, gameDraw};
})();

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
  const vae = {
    model,
    decode: (codes) => decodeRows(rows(codes, codeDim, "codes")).map((image) => Array.from(image)),
    encode: (images) => rows(images, PIXELS, "images").map((image) => Array.from(posterior(image).mean)),
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
    const x = index === undefined ? rows([image], PIXELS, "image")[0] : testImage(index);
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

if (typeof window !== "undefined" && window.vaeData) {
  const page = vaeModel(window.vaeData);
  window.vae = page.vae;
  window.vaeBackend = page.backend;
}
if (typeof module !== "undefined") module.exports = {...vaeOps, vaeModel};
