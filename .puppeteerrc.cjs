// mermaid-cli's puppeteer drives the system's Chromium in the tests: it never downloads a browser of its own.
module.exports = { skipDownload: true };
