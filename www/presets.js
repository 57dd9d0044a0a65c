// One-click experiments, each a full set of settings with a caption saying what
// to look for. The numbers in the captions were measured with these settings
// (seed 1; see tests/core/test_remedies.cpp and the browser tests).

/** @type {{id: string, title: string, caption: string, settings: object}[]} */
export const PRESETS = [
  { id: 'nielsen', title: 'Nielsen ch. 5 (3 sigmoid layers)',
    settings: { dataset: 'mnist', depth: 3, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal' },
    caption: 'Nielsen’s [784, 30, 30, 30, 10] network: each hidden layer learns about 5× faster than the one before it, so layer 1 is ~30× slower than layer 3 (he measured 0.012, 0.060 and 0.283). Press Play and watch the speeds as it learns.' },
  { id: 'deep-sigmoid', title: 'Deep sigmoid (10 layers)',
    settings: { dataset: 'mnist', depth: 10, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal' },
    caption: 'Ten sigmoid layers: hidden layer 1 learns about a million times slower than layer 10. σ′(z) ≤ 1/4 at every layer, so the gradient shrinks about 5× per layer on its way back. Press Play: the first layers barely move.' },
  { id: 'exploding', title: 'Exploding: large weights',
    settings: { dataset: 'mnist', depth: 6, width: 30, activation: 'relu', init: 'large', biasInit: 'normal' },
    caption: 'Weights N(0, 1) on ReLU layers of 30: each layer multiplies the gradient by about 4 on its way back, so hidden layer 1 learns ~700× faster than layer 6. The gradient explodes: press Play and the run overflows within a few steps.' },
  { id: 'relu-he', title: 'ReLU + He (30 layers)',
    settings: { dataset: 'mnist', depth: 30, width: 30, activation: 'relu', init: 'he_normal', biasInit: 'zeros' },
    caption: 'Thirty ReLU layers with He init, Var(w) = 2/n_in: every layer passes the gradient on at about its size, so all 30 learn at similar speeds (within ~10×).' },
  { id: 'relu-xavier', title: 'ReLU + Xavier (30 layers)',
    settings: { dataset: 'mnist', depth: 30, width: 30, activation: 'relu', init: 'xavier_normal', biasInit: 'zeros' },
    caption: 'The same 30 ReLU layers with Xavier init, Var(w) = 1/n here: half of each layer’s units are off, so the squared gradient halves per layer and layer 1 learns ~100,000× slower than layer 30.' },
  { id: 'batch-norm', title: 'Batch norm',
    settings: { dataset: 'mnist', depth: 10, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal', batchNorm: true },
    caption: 'The ten sigmoid layers with batch normalization: each layer’s z is re-centred and re-scaled over the batch, which keeps sigmoid out of its flat tails. The speeds now span ~50× instead of a million. A batch-norm layer’s speed is ‖∂C/∂β‖.' },
  { id: 'residual', title: 'Residual',
    settings: { dataset: 'mnist', depth: 10, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal', residual: true },
    caption: 'The ten sigmoid layers with shortcuts a = a_in + φ(y) (the arcs in the diagram): the gradient reaches every layer through the identity, so all hidden layers learn at about the same speed.' },
  { id: 'clipping', title: 'Clipping',
    settings: { dataset: 'mnist', depth: 6, width: 100, activation: 'relu', init: 'he_normal', biasInit: 'zeros', learningRate: 1, clipNorm: 1 },
    caption: 'η = 1 on six ReLU layers of 100 units, with the gradient’s global norm clipped at 1: no step is larger than η·1, the run stays finite and learns (~80 % test accuracy within 500 steps). Set Clip norm to 0 and it blows up within 5 steps.' },
  { id: 'pretraining', title: 'Pretraining',
    settings: { dataset: 'mnist', depth: 4, width: 30, activation: 'sigmoid', init: 'nielsen', biasInit: 'normal', pretrainEpochs: 1 },
    caption: 'Greedy layer-wise pretraining: press Play and each hidden layer is first trained as an autoencoder on the output of the layer below, then the whole network is fine-tuned with backprop. The dashed outlines keep the speeds from before pretraining.' },
];
