'use strict';
// tesseract.js worker script for xietong: the stock Node worker with network access taken away.
// tesseract.js fetches models from a CDN whenever langPath is unset or is a URL; xietong always
// points it at the @tesseract.js-data package folders, and this wrapper makes any slip fail loudly
// (an error naming the URL) instead of silently downloading 20 MB per worker. The stock script
// captures `global.fetch` when it loads, so the guard must be in place before the require.
globalThis.fetch = async (url) => {
  throw new Error(
    `xietong: the OCR worker tried to fetch ${String(url)}; OCR must run offline. ` +
      'Check that langPath points at the @tesseract.js-data package folder (npm ci restores it).',
  );
};
require('tesseract.js/src/worker-script/node/index.js');
