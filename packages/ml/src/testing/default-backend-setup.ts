// vitest setup file of the unit project, which runs its files one after another in one process
// (isolate: false) to skip re-importing TensorFlow.js and the app modules per file. Before each
// file the active backend goes back to the one a fresh process starts on (cpu), so a file that
// selects none runs where it would run alone, not on the backend its predecessor left.
import * as tf from '@tensorflow/tfjs';

await tf.setBackend('cpu');
