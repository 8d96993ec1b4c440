"""The Keras contender of `npm run bench -- --cpu`: real Keras 3 on the JAX backend (CPU) training
the seed CNN, timed step by step, for the CPU engine's figures to be read against.

Trains Conv2D(32,3,relu,same) - MaxPooling2D(2) - Conv2D(64,3,relu,same) - MaxPooling2D(2) -
Flatten - Dense(100,relu) - Dropout(0.4) - Dense(10,softmax) with adam and
sparse_categorical_crossentropy (accuracy as metric, as the page compiles it) on the first
Fashion-MNIST training images (or seeded random ones), as a learner trains it: a warm-up fit (the
XLA compile), then one timed fit() over the timed steps (when it returns, every step has finished;
per-call train_on_batch would add Python's dispatch, ~8 ms a step here, to Keras's time). Prints
one JSON object on stdout:

  {"keras": "3.15.1", "jax": "0.10.2", "data": "fashion-mnist", "env": {...},
   "results": [{"batch": 32, "steps": 30, "mean_ms": 14.1, "samples_per_sec": 2269.5, ...}]}

Usage: KERAS_BACKEND=jax python bench/keras_contender.py [--batches 32,128] [--steps 30]
       [--warmup 3] [--data fashion|random] [--data-dir public/fashion-mnist] [--seed 0]
"""

import argparse
import gzip
import json
import os
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402


def read_idx(path):
    """An IDX file of ubytes (gzipped or not) as a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load_data(kind, data_dir, count, seed):
    """`count` images [count, 28, 28, 1] in 0..1 and labels; Fashion-MNIST's first ones when asked and present."""
    if kind == "fashion":
        for suffix in ("", ".gz"):
            images = os.path.join(data_dir, "train-images-idx3-ubyte" + suffix)
            labels = os.path.join(data_dir, "train-labels-idx1-ubyte" + suffix)
            if os.path.exists(images) and os.path.exists(labels):
                x = read_idx(images)[:count].astype("float32") / 255.0
                y = read_idx(labels)[:count].astype("int32")
                return x.reshape(-1, 28, 28, 1), y, "fashion-mnist"
        print(f"keras_contender: no Fashion-MNIST files in {data_dir}; using random data", file=sys.stderr)
    rng = np.random.default_rng(seed)
    x = rng.random((count, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, size=count).astype("int32")
    return x, y, "random"


def seed_cnn(keras):
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu", padding="same"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(100, activation="relu"),
            keras.layers.Dropout(0.4),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def time_batch(keras, batch, steps, warmup, x, y, seed):
    keras.utils.set_random_seed(seed)
    model = seed_cnn(keras)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    n = len(x)
    idx = np.arange(warmup * batch, (warmup + steps) * batch) % n
    warm = model.fit(x[: warmup * batch], y[: warmup * batch], batch_size=batch, epochs=1, shuffle=False, verbose=0)
    start = time.perf_counter()
    timed = model.fit(x[idx], y[idx], batch_size=batch, epochs=1, shuffle=False, verbose=0)
    seconds = time.perf_counter() - start
    return {
        "batch": batch,
        "steps": steps,
        "mean_ms": seconds * 1000 / steps,
        "samples_per_sec": batch * steps / seconds,
        "first_loss": float(warm.history["loss"][0]),
        "last_loss": float(timed.history["loss"][0]),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--batches", default="32,128", help="comma-separated batch sizes")
    p.add_argument("--steps", type=int, default=30, help="timed steps per batch size (one fit)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first (a fit: the XLA compile)")
    p.add_argument("--data", choices=["fashion", "random"], default="fashion")
    p.add_argument("--data-dir", default=os.path.join(os.path.dirname(__file__), "..", "public", "fashion-mnist"))
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    try:
        batches = [int(b) for b in args.batches.split(",") if b]
    except ValueError:
        batches = []
    if not batches or any(b < 1 or b > 4096 for b in batches):
        p.error("--batches: whole numbers from 1 to 4096, e.g. 32,128")
    if args.steps < 1 or args.steps > 10000 or args.warmup < 1 or args.warmup > 100:
        p.error("--steps from 1 to 10000 and --warmup from 1 to 100")

    import jax
    import keras

    if keras.backend.backend() != "jax":
        p.error(f"Keras runs on {keras.backend.backend()}, not jax: set KERAS_BACKEND=jax")
    count = min(60000, max(batches) * (args.warmup + args.steps))
    x, y, data = load_data(args.data, args.data_dir, count, args.seed)
    results = [time_batch(keras, b, args.steps, args.warmup, x, y, args.seed) for b in batches]
    env_keys = ["MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "XLA_FLAGS", "OMP_NUM_THREADS", "LD_PRELOAD"]
    print(
        json.dumps(
            {
                "keras": keras.__version__,
                "jax": jax.__version__,
                "device": str(jax.devices()[0]),
                "cpus": os.cpu_count(),
                "data": data,
                "env": {k: os.environ[k] for k in env_keys if k in os.environ},
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
