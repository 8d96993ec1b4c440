// `npm start`: installs what is missing, prepares the data and serves the playground.
import { ensureData, ensureNodeModules, run } from './ensure.mjs';

ensureNodeModules();
ensureData();
process.exit(run('npx', ['vite', '--port', process.env.PORT ?? '5173']));
