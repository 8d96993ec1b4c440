// A conv2d kernel's geometry as pipeline constants (src/gpu/kernels/conv2d.ts convGeometry): with
// them the compiler folds the index arithmetic (divisions by the output width, bounds) and can
// unroll the window loops. One pipeline per conv shape; the Params fields of the same names are
// still written but not read. The batch stays a uniform.
override IN_H: u32 = 1u;
override IN_W: u32 = 1u;
override CIN: u32 = 1u;
override OUT_H: u32 = 1u;
override OUT_W: u32 = 1u;
override COUT: u32 = 1u;
override K_H: u32 = 1u;
override K_W: u32 = 1u;
override STRIDE_H: u32 = 1u;
override STRIDE_W: u32 = 1u;
override PAD_TOP: u32 = 0u;
override PAD_LEFT: u32 = 0u;
