// The playground page. The full UI lands with issue 5; for now it reports the WebGPU adapter.
import { useEffect, useState } from 'react';

export function App() {
  const [adapter, setAdapter] = useState('checking WebGPU...');
  useEffect(() => {
    if (!('gpu' in navigator)) {
      setAdapter('WebGPU is not available in this browser.');
      return;
    }
    navigator.gpu.requestAdapter().then((a) => setAdapter(a ? `WebGPU adapter: ${a.info.vendor} ${a.info.architecture}` : 'No WebGPU adapter found.'));
  }, []);
  return (
    <main>
      <h1>WebGPU Keras Playground</h1>
      <p>{adapter}</p>
    </main>
  );
}
