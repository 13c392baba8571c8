"""The explore page: a trained model to play with in the browser.

Layer 8: imports `core`, `data`, `checkpoints`, `trained` and `pictures`.
- api: what the page asks of a model (the JSON API), as JSON-ready
  answers;
- server: the HTTP server of the page's files and its JSON API;
- static/: the page itself (HTML, CSS, JavaScript; no CDN, it works
  offline); network.js, with the operations of layers.js, which only
  the exported page loads (sharing/html.py), runs the model in the
  browser.
"""
