// Entry point of the playground page: read the URL, start the worker bridge, render.

import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { readUrl, syncUrl } from './urlState.ts';
import { startBridge } from './workerBridge.ts';
import './styles.css';

const urlProblem = readUrl(location.search);
syncUrl();
startBridge();
createRoot(document.getElementById('root')!).render(<App urlProblem={urlProblem} />);
