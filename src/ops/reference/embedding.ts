// CPU reference of Keras's Embedding: y[r, :] = table[id_r, :] for float32 ids (truncated to
// integers, as Keras casts them), and its gradient, the rows of dy added into the rows of the
// table they were read from. An id outside [0, vocab) reads zeros and takes no gradient.
// The spec of shaders/embedding.*.wgsl.

/** The table row an id reads, or -1 when it is outside the table. */
export function embeddingRow(id: number, vocab: number): number {
  const row = Math.trunc(id);
  return row >= 0 && row < vocab ? row : -1;
}

/** y [rows, dim] from ids [rows] and table [vocab, dim]. */
export function embeddingForward(ids: Float32Array, table: Float32Array, dim: number): Float32Array {
  const vocab = table.length / dim;
  const y = new Float32Array(ids.length * dim);
  ids.forEach((id, r) => {
    const row = embeddingRow(id, vocab);
    if (row >= 0) y.set(table.subarray(row * dim, (row + 1) * dim), r * dim);
  });
  return y;
}

/** dtable [vocab, dim] = the sum of dy's rows over the ids that read each row. */
export function embeddingGrad(ids: Float32Array, dy: Float32Array, vocab: number, dim: number): Float32Array {
  const dt = new Float32Array(vocab * dim);
  ids.forEach((id, r) => {
    const row = embeddingRow(id, vocab);
    if (row < 0) return;
    for (let d = 0; d < dim; d++) dt[row * dim + d] += dy[r * dim + d];
  });
  return dt;
}
