// The one part of the shell's seam with the page module that has to be JavaScript: a dynamic
// `import()`. wasm-bindgen ships this file beside the shell's glue and src/lazy.rs declares its
// function with types, so nothing is looked up by name on `window`. Loads once: a second
// caller gets the same promise, a failed load can be retried.
let loading;

export function loadPageModule(js, wasm) {
  loading ??= (async () => {
    const module = await import(js);
    await module.default({ module_or_path: wasm });
    return module;
  })().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
