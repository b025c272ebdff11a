// Explained in src/lazy.rs (this file ships as written).
const loading = new Map();

export function loadPageModule(js, wasm) {
  if (!loading.has(js)) {
    loading.set(js, import(js).then(async (module) => {
      await module.default({ module_or_path: wasm });
      return module;
    }).catch((error) => {
      loading.delete(js);
      throw error;
    }));
  }
  return loading.get(js);
}
