// A model's graph as Keras's plot_model(show_shapes=True) draws it: one box per layer call with
// name, type and input/output shapes, arrows for connections, laid out top to bottom by dagre.

import { useId, useMemo } from 'react';
import { Graph, layout } from '@dagrejs/dagre';
import { pythonTuple, type Model } from '../../model/index.ts';

const CHAR_W = 7.2;
const LINE_H = 17;
const PAD = 10;

interface Box {
  id: string;
  title: string;
  input: string;
  output: string;
  isOutput: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Edge {
  points: { x: number; y: number }[];
}

function layoutModel(m: Model): { boxes: Box[]; edges: Edge[]; width: number; height: number } {
  const g = new Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const outputs = new Set(m.outputs.map((t) => t.node));
  const boxes = new Map<string, Omit<Box, 'x' | 'y'>>();
  const id = (n: Model['nodes'][number]): string => `${n.layer.name}#${n.index}`;
  for (const node of m.nodes) {
    const title = `${node.layer.name}: ${node.layer.className}`;
    const input = node.isInput ? pythonTuple(node.outputs[0]!.shape) : node.inputs.map((t) => pythonTuple(t.shape)).join(', ');
    const output = pythonTuple(node.outputs[0]!.shape);
    const chars = Math.max(title.length, input.length + 8, output.length + 8);
    const box = { id: id(node), title, input: `input: ${input}`, output: `output: ${output}`, isOutput: outputs.has(node), width: chars * CHAR_W + 2 * PAD, height: 3 * LINE_H + PAD };
    boxes.set(box.id, box);
    g.setNode(box.id, { width: box.width, height: box.height });
    for (const t of node.inputs) g.setEdge(id(t.node), box.id);
  }
  layout(g);
  const placed = [...boxes.values()].map((b) => {
    const n = g.node(b.id);
    return { ...b, x: n.x - b.width / 2, y: n.y - b.height / 2 };
  });
  const edges = g.edges().map((e) => ({ points: g.edge(e).points ?? [] }));
  const graph = g.graph();
  return { boxes: placed, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}

export function ModelDiagram({ model, testId }: { model: Model; testId?: string }) {
  const { boxes, edges, width, height } = useMemo(() => layoutModel(model), [model]);
  // Two diagrams share the page: each arrowhead marker needs its own id.
  const arrow = `arrow${useId().replace(/:/g, '')}`;
  return (
    <figure className="diagram" data-testid={testId} tabIndex={0}>
      <figcaption>
        {model.name} · {model.inputs.length} input{model.inputs.length > 1 ? 's' : ''} ·{' '}
        <span data-testid={testId ? `${testId}-outputs` : undefined}>
          {model.outputs.length} output{model.outputs.length > 1 ? 's' : ''}
        </span>
      </figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Graph of ${model.name}`}>
        <defs>
          <marker id={arrow} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#555" />
          </marker>
        </defs>
        {edges.map((e, i) => (
          <polyline key={i} className="edge" points={e.points.map((p) => `${p.x},${p.y}`).join(' ')} markerEnd={`url(#${arrow})`} />
        ))}
        {boxes.map((b) => (
          <g key={b.id} transform={`translate(${b.x},${b.y})`} className={b.isOutput ? 'node output' : 'node'} data-layer={b.id.split('#')[0]}>
            <rect width={b.width} height={b.height} rx={4} />
            <text x={PAD} y={LINE_H} className="title">{b.title}</text>
            <line x1={0} x2={b.width} y1={LINE_H + 5} y2={LINE_H + 5} />
            <text x={PAD} y={2 * LINE_H + 3}>{b.input}</text>
            <text x={PAD} y={3 * LINE_H + 3}>{b.output}</text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
