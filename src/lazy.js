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

export function afterLargestPaint(then) {
  let done = false;
  let observer;
  const go = () => {
    if (!done) {
      done = true;
      observer?.disconnect();
      then();
    }
  };
  if (PerformanceObserver.supportedEntryTypes?.includes('largest-contentful-paint')) {
    observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((e) => e.element?.closest('main'))) go();
    });
    observer.observe({ type: 'largest-contentful-paint', buffered: true });
    setTimeout(go, 1000);
  } else {
    requestAnimationFrame(() => requestAnimationFrame(go));
  }
}
