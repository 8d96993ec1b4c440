import { parser } from '@lezer/javascript';
const ts = parser.configure({ dialect: 'ts' });
const code = process.argv[2]!;
const tree = ts.parse(code);
let depth = 0;
tree.iterate({ enter: (n) => { console.log('  '.repeat(depth) + n.name + (n.node.firstChild ? '' : ' ' + JSON.stringify(code.slice(n.from, n.to)))); depth++; }, leave: () => { depth--; } });
