// The one part of the shell's seam with the page modules that has to be JavaScript: a dynamic
// `import()`. wasm-bindgen ships this file beside the shell's glue and src/lazy.rs declares its
// function with types, so nothing is looked up by name on `window`. Loads each module once: a
// second caller gets the same promise, a failed load can be retried.
const loading = new Map();

export function loadPageModule(js, wasm) {
  if (!loading.has(js)) {
    loading.set(js, (async () => {
      const module = await import(js);
      await module.default({ module_or_path: wasm });
      return module;
    })().catch((error) => {
      loading.delete(js);
      throw error;
    }));
  }
  return loading.get(js);
}
