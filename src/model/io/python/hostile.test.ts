// Code that tries to run things, or to make the reader work hard: each paste is refused with a
// PythonCodeError at its line:column, fast. Nothing is executed: the reader's modules hold no
// eval path at all, which the last test checks in their source.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PythonCodeError, readPython } from './index';

const HEAD = 'import keras\nfrom keras import layers\n';

/** Reads `code`, expecting a refusal at line:column whose message contains `text`. */
function refused(code: string, line: number, column: number, text: string): void {
  const start = performance.now();
  let error: unknown;
  try {
    readPython(code);
  } catch (e) {
    error = e;
  }
  expect(performance.now() - start).toBeLessThan(1000);
  expect(error).toBeInstanceOf(PythonCodeError);
  const e = error as PythonCodeError;
  expect(e.message).toContain(text);
  expect(e.message).toContain('allowed:');
  expect([e.line, e.column]).toEqual([line, column]);
  expect(e.message.startsWith(`line ${line}:${column}: found `)).toBe(true);
}

describe('hostile code', () => {
  it('refuses importing os (and so never reaches os.system)', () => {
    refused("import os; os.system('rm -rf /')", 1, 8, "an import of 'os'");
    refused("import subprocess\n", 1, 8, "an import of 'subprocess'");
    refused('from os import system\n', 1, 6, "an import from 'os'");
  });

  it('refuses calls of builtins that run code or touch files', () => {
    refused(`${HEAD}__import__('os')`, 3, 1, "a call to '__import__'");
    refused(`${HEAD}eval('1')`, 3, 1, "a call to 'eval'");
    refused(`${HEAD}x = open('x')`, 3, 5, "a call to 'open'");
    refused(`${HEAD}exec("print(1)")`, 3, 1, "a call to 'exec'");
    refused(`${HEAD}getattr(keras, 'utils')`, 3, 1, "a call to 'getattr'");
  });

  it('refuses loops, functions, classes, lambdas, comprehensions, f-strings, starred arguments', () => {
    refused(`${HEAD}for i in range(3):\n    pass\n`, 3, 1, "a 'for' loop");
    refused(`${HEAD}while True:\n    pass\n`, 3, 1, "a 'while' loop");
    refused(`${HEAD}def f():\n    return 1\n`, 3, 1, 'a function definition');
    refused(`${HEAD}class A:\n    pass\n`, 3, 1, 'a class definition');
    refused(`${HEAD}f = lambda x: x`, 3, 5, 'a lambda');
    refused(`${HEAD}y = [1]\nx = [x for x in y]`, 4, 5, 'a list comprehension');
    refused(`${HEAD}n = 'a'\nx = f"{n}"`, 4, 5, 'an f-string');
    refused(`${HEAD}a = (10,)\nd = layers.Dense(*a)`, 4, 18, 'a starred argument');
    refused(`${HEAD}if True:\n    x = 1\n`, 3, 1, "an 'if' statement");
  });

  it('refuses Keras names outside the subset and attribute chains', () => {
    refused(`${HEAD}p = keras.utils.get_file('x', 'http://example.com/x')`, 3, 11, "'keras.utils'");
    refused(`${HEAD}l = layers.Lambda(lambda x: x)`, 3, 12, "'layers.Lambda'");
    refused(`${HEAD}c = keras.__class__`, 3, 11, "'keras.__class__'");
    refused(`${HEAD}m = keras.Sequential()\nm.add(layers.Dense(1, input_shape=(2,)))\nw = m.layers`, 5, 7, "'m.layers'");
    refused(`${HEAD}x = keras.Input(shape=(2,))\ns = x.shape`, 4, 7, "the attribute 'x.shape'");
  });

  it('refuses names that are not defined, and any use of numpy', () => {
    refused(`${HEAD}x = train_scaled`, 3, 5, "the name 'train_scaled'");
    refused(`import numpy as np\nimport keras\nx = np.zeros((2, 2))`, 3, 5, "a use of 'np'");
    refused(`import numpy as np\nimport keras\nx = keras.Input(shape=np.array([2]))`, 3, 23, "a use of 'np'");
  });

  it('refuses a 1 MB line and 10,000 nested parentheses before parsing, and a long operator chain after', () => {
    refused(`x = '${'a'.repeat(1 << 20)}'`, 1, 100_001, 'longer than');
    refused(`x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}`, 1, 55, 'nested more than 50 deep');
    refused(`x = 1${' + 1'.repeat(2_000)}`, 1, 5, 'nested more than');
  });

  it('refuses more than 10,000 statements, parsing the largest accepted code within two seconds', () => {
    const code = 'x = 1\n'.repeat(16_000); // 96,000 characters: under the size limit
    const start = performance.now();
    expect(() => readPython(code)).toThrow(/^line 10001:1: found more than 10000 statements/);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it('reports syntax errors with their position', () => {
    refused(`${HEAD}x = layers.Dense(10,`, 3, 21, 'a syntax error');
    refused(`${HEAD}x = (1 + )`, 3, 10, 'a syntax error');
  });

  it("has no eval path: the reader's modules never call eval, Function, dynamic import or a worker", () => {
    const dir = new URL('./', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources).toContain('interpreter.ts');
    for (const file of sources) {
      const text = readFileSync(new URL(file, dir), 'utf8').replace(/\/\/.*$/gm, '');
      expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(|\bimport\s*\(|\bWorker\b|\bsetTimeout\b/);
    }
  });
});
