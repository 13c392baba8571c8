// The page's one way to its model. Served by `python -m vae_digits.explore`
// it is the server's JSON API; a page that carries its own network sets
// window.vaeBackend (the same methods) before this file runs, and the
// views never know which they talk to.
"use strict";

async function request(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body)};
  const response = await fetch(path, options);
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || response.statusText);
  clearError();  // the last request went through: an old error is stale
  return answer;
}

const httpBackend = {
  describe: () => request("/api/model"),
  latent: () => request("/api/latent"),
  decode: async (codes) => (await request("/api/decode", {codes})).images,
  // {means, probabilities (the conditional model's classifier)}
  encode: (images) => request("/api/encode", {images}),
  // {image, images}: the blog's noised encodings of one test image
  vary: (index, std_noise, n, seed) => request("/api/vary", {index, std_noise, n, seed}),
  // {reconstruction, kl, elbo (nats), kl_per_dimension, image, decodings}:
  // what the ELBO of the test image `index` or of `image` is made of
  elbo: (body) => request("/api/elbo", body),
  // {images, machine}
  humanOrMachine: (n, seed) => request("/api/human_or_machine", {n, seed}),
  follows: true,  // a server may load newer checkpoints: ask now and then
};

// Stryker disable next-line all: the browser's choice; the browser tests hold both pages'
const backend = (typeof window !== "undefined" && window.vaeBackend) || httpBackend;

// Stryker disable next-line all: true in Node whatever the mutant; in the browser the tests hold it
if (typeof module !== "undefined") module.exports = {request, httpBackend};
