// One-click experiments, each a full set of settings. Their titles and captions
// (what to look for) are in the message files (preset.<id>.title, .caption); the
// numbers in the captions were measured with these settings (seed 1; see
// tests/core/test_remedies.cpp, the browser tests and tools/histograms.mjs).
// A preset with a `view` leads the reader to that view (state.js VIEWS).

/** @type {{id: string, view?: string, settings: object}[]} */
export const PRESETS = [
  { id: 'nielsen',
    settings: { dataset: 'mnist', depth: 3, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal' } },
  { id: 'nielsen-training', view: 'speed',
    settings: { dataset: 'mnist', depth: 3, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal',
      trainSize: 1000, batchSize: 1000, learningRate: 0.1, l2: 5 } },
  { id: 'deep-sigmoid',
    settings: { dataset: 'mnist', depth: 10, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal' } },
  { id: 'why-chain', view: 'chain',
    settings: { dataset: 'mnist', depth: 6, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal' } },
  { id: 'saturation', view: 'phi',
    settings: { dataset: 'mnist', depth: 4, width: 30, activation: 'sigmoid', init: 'large', biasInit: 'normal' } },
  { id: 'exploding',
    settings: { dataset: 'mnist', depth: 6, width: 30, activation: 'relu', init: 'large', biasInit: 'normal' } },
  { id: 'relu-he',
    settings: { dataset: 'mnist', depth: 30, width: 30, activation: 'relu', init: 'he_normal', biasInit: 'zeros' } },
  { id: 'relu-xavier',
    settings: { dataset: 'mnist', depth: 30, width: 30, activation: 'relu', init: 'xavier_normal', biasInit: 'zeros' } },
  { id: 'glorot', view: 'histograms',
    settings: { dataset: 'mnist', depth: 5, width: 100, activation: 'tanh', init: 'standard_uniform', biasInit: 'zeros' } },
  { id: 'mean-field', view: 'theory',
    settings: { dataset: 'gaussian', inputs: 256, samples: 1000, depth: 20, width: 256, activation: 'tanh',
      init: 'scaled_normal', sigmaW: 1.2, biasInit: 'scaled_normal', sigmaB: 0.3 } },
  { id: 'edge-of-chaos', view: 'phase',
    settings: { dataset: 'gaussian', inputs: 256, samples: 1000, depth: 20, width: 256, activation: 'tanh',
      init: 'scaled_normal', sigmaW: 1.3266, biasInit: 'scaled_normal', sigmaB: 0.2236 } },
  { id: 'batch-norm',
    settings: { dataset: 'mnist', depth: 10, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal', batchNorm: true } },
  { id: 'residual',
    settings: { dataset: 'mnist', depth: 10, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal', residual: true } },
  { id: 'clipping',
    settings: { dataset: 'mnist', depth: 6, width: 100, activation: 'relu', init: 'he_normal', biasInit: 'zeros', learningRate: 1, clipNorm: 1 } },
  { id: 'pretraining',
    settings: { dataset: 'mnist', depth: 4, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal', pretrainEpochs: 1 } },
  // Through time (model=rnn|lstm: the recurrent models' training defaults, Adam at
  // 0.003, batches of 32, clipping at 1, unless a preset says otherwise). Numbers
  // from `gradlab --model rnn|lstm` with these settings (tools/recurrent_check.mjs).
  { id: 'rnn-short', view: 'time', settings: { model: 'rnn', task: 'first', seqLen: 10 } },
  { id: 'rnn-long', view: 'time', settings: { model: 'rnn', task: 'first', seqLen: 50 } },
  { id: 'lstm-long', view: 'time', settings: { model: 'lstm', task: 'first', seqLen: 50 } },
  { id: 'rnn-explodes', view: 'time',
    settings: { model: 'rnn', task: 'adding', seqLen: 50, recurrentScale: 2, optimizer: 'sgd', learningRate: 0.3, clipNorm: 0 } },
  { id: 'rnn-clipped', view: 'time',
    settings: { model: 'rnn', task: 'adding', seqLen: 50, recurrentScale: 2, optimizer: 'sgd', learningRate: 0.3, clipNorm: 1 } },
];
