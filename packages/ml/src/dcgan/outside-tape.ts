// Runs a function as if no gradient tape were active, from inside a tf.grads/variableGrads
// function. Why: a training step wants one generator forward for both updates (PyTorch keeps
// the graph of `fake` across the discriminator's update), but a tfjs tape cannot outlive its
// call. Inside G's tape, the D update must not be recorded there: recording it would keep
// every tensor of D's backward pass alive until G's gradients are done, and tfjs records the
// backward ops of a nested gradient call on the enclosing tape. Setting the engine's tape
// state aside lets the nested call run exactly as a top-level one: it makes its own tape and
// frees it. Relies on tfjs-core's EngineState fields (gradientDepth, activeTape), pinned at
// 4.22; outside-tape.test.ts checks the behaviour so an upgrade that changes them fails there.
import * as tf from '@tensorflow/tfjs';

interface TapeState {
  gradientDepth: number;
  activeTape: unknown[] | null;
}

export function outsideTape<T>(fn: () => T): T {
  const state = (tf.engine() as unknown as { state: TapeState }).state;
  const depth = state.gradientDepth;
  const tape = state.activeTape;
  state.gradientDepth = 0;
  state.activeTape = null;
  try {
    return fn();
  } finally {
    state.gradientDepth = depth;
    state.activeTape = tape;
  }
}
