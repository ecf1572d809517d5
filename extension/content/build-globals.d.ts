// Names build.sh defines when it bundles the content script (esbuild --define).
/** The extension API's namespace: `browser` in the Firefox build, `chrome` in the Chromium one. */
declare const EXT_NS: typeof chrome;
