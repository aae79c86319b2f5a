// Pure numeric analysis: no TensorFlow.js here, so it runs anywhere and fast.
export {};
