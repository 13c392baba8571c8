// The operations the exported page's network runs (network.js), and its
// seeded draws: dense layers, convolutions with TensorFlow's `same`
// padding and their transposes, float16 weights, the elementwise
// functions; mulberry32 and Box-Muller; the ELBO's terms; the game's draw
// and its black and white. Plain functions, as vaeOps; Node requires them
// as they are (tests/js/layers.test.js). Like network.js, only in the
// exported page.
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

// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") module.exports = vaeOps;
