// The walk-through in English. A section's text is <id>.title, its paragraphs
// <id>.p1, <id>.p2, … and what to try, <id>.try; **strong** and `code` spans.
// The numbers quoted are Nielsen's (ch. 5) or the presets' captions (measured).
export default {
  'page.title': 'gradlab: why deep networks are hard to train',
  'page.heading': 'Why deep networks are hard to train',
  'page.skip': 'Skip to the first step',
  'page.links': 'gradlab’s pages',
  'page.lab': 'Open the simulator',
  'page.embed': 'Embed it in a course page',
  'page.language': 'Language',
  'page.footer': 'After Michael Nielsen, **Neural Networks and Deep Learning**, chapter 5, “Why are deep neural networks hard to train?”. Every figure is gradlab’s C++ core compiled to WebAssembly, training in your browser; nothing you do here leaves your machine.',

  'intro.p1': 'A deep network can compute some functions with far fewer neurons than a shallow one needs. Yet for years, adding layers made networks train worse, not better. This page tells why, in fifteen short steps, following chapter 5 of Michael Nielsen’s **Neural Networks and Deep Learning**.',
  'intro.p2': 'Every figure is a real network training on real data (10,000 handwritten MNIST digits, or points in the plane) in your browser as you read. Each starts paused: press **Play** inside it. A figure loads as you scroll to it and pauses when you scroll past, and at most {max} networks train at once, so the page stays light on a laptop or a phone.',
  'intro.p3': 'In every figure, a layer’s **speed** is Nielsen’s measure of how fast it learns: the length ‖∂C/∂b‖ of the cost’s gradient with respect to the layer’s biases, the gradient averaged over 1,000 training examples first. Under each figure, **Open in the simulator** opens the same network, as you left it, in the full simulator.',
  'toc.title': 'The steps',

  'deeper.title': 'Deeper is not better',
  'deeper.p1': 'Nielsen trained sigmoid networks of 30 neurons a layer on MNIST, with one, two, three and four hidden layers. Their test accuracies were 96.48%, 96.90%, 96.57% and 96.53%: after the second layer, more depth did not help. The extra layers could compute more; they did not learn to.',
  'deeper.p2': 'The depth sweep below repeats the experiment in your browser: the same network with 1 to 6 hidden layers, with the same data, seed and number of training steps at every depth. It also measures how fast hidden layer 1 learns at the start, at each depth.',
  'deeper.try': '**Try:** press **Run the sweep** (it trains up to {max} depths at a time). Compare the deepest network’s test accuracy with the best one’s, and watch hidden layer 1’s speed fall as layers are added.',

  'speeds.title': 'Layers learn at different speeds',
  'speeds.p1': 'Why do the extra layers not help? Nielsen looked inside and measured how fast each hidden layer learns. In his network with three hidden layers, [784, 30, 30, 30, 10], the speeds at the start were 0.012, 0.060 and 0.283: each layer learns about five times slower than the next one, and the first about 24 times slower than the last.',
  'speeds.p2': 'It is not a passing state of the untrained network. Below is his training run: 1,000 training images, full-batch gradient descent, η = 0.1, L2 λ = 5. As the network learns, every speed falls, and their order never changes: the layers near the input stay far behind.',
  'speeds.try': '**Try:** press **Play** and watch the lines of the speed chart stay apart, hidden layer 1 at the bottom. Set **Hidden layers** to 2 or 4 for Nielsen’s other two figures; with 4, the first layer learns about 100 times slower than the last.',

  'gradient.title': 'A layer’s speed is its gradient',
  'gradient.p1': 'Gradient descent moves every bias by −η ∂C/∂b, so the size of that gradient is how fast a layer’s biases change. Nielsen writes δˡ = ∂C/∂zˡ for the error of layer l, which equals its bias gradient ∂C/∂bˡ, and takes its length ‖δˡ‖ as the layer’s **speed of learning**. The weights follow it: ∂C/∂wⱼₖ = aₖδⱼ, so a layer with a small δ gets small weight updates too.',
  'gradient.p2': 'Below is the same network at its start. The bars are ‖∂C/∂b‖ per hidden layer on a log scale; the table lists everything gradlab measures per layer, the weights’ gradient ‖∂C/∂W‖ and their size ‖W‖ among it.',
  'gradient.try': '**Try:** press **Step** a few times and read the table: ‖∂C/∂b‖ and ‖∂C/∂W‖ shrink together from the last layer to the first. **New seed** draws another random network: the numbers change, the pattern does not.',

  'chain.title': 'The chain of factors',
  'chain.p1': 'Where does the gap come from? Take the simplest deep network, a chain of single neurons. Backpropagation gives the first bias’s gradient as a product, ∂C/∂b₁ = σ′(z₁) · w₂σ′(z₂) · w₃σ′(z₃) · w₄σ′(z₄) · ∂C/∂a₄: every layer between a neuron and the output adds one factor wσ′(z).',
  'chain.p2': 'In a full network each factor is a matrix, δˡ = σ′(zˡ) ⊙ (Wˡ⁺¹)ᵀδˡ⁺¹, but the idea is the same: on its way back the gradient is multiplied, layer after layer, by the weights and by σ′. The view below measures this in a network of six sigmoid layers. For each layer, the bar is the gain of the gradient on its way back, the circle the mean |σ′(z)| and the square the weights’ gain; the dashed line multiplies the gains and lands on the gradient measured.',
  'chain.p3': 'Under it is the four-neuron chain itself: drag any weight or bias and watch each factor wⱼσ′(zⱼ) and each ∂C/∂bⱼ follow.',
  'chain.try': '**Try:** press **Play** and see the gains stay near 0.2 as the network learns. In the chain, pick **Vanishing: weights and biases from N(0, 1)** and then **Exploding: w = 100, biases so that z = 0**: the factors fall well below 1, then jump to 25.',

  'saturation.title': 'σ′ ≤ 1/4, and saturation',
  'saturation.p1': 'Why are the factors small? Sigmoid’s slope is σ′(z) = σ(z)(1 − σ(z)), at most 1/4, at z = 0. With weights smaller than 1, every factor |wσ′(z)| is below 1/4, and ten of them multiply to less than 10⁻⁶. In a full layer the weights’ gain plays w’s part; it is about 1 with Nielsen’s initialization N(0, 1/n_in), so each layer keeps about a fifth of the gradient, as the chain showed.',
  'saturation.p2': 'Larger weights do not save it. A neuron whose z is far from 0 sits on sigmoid’s flat tails, where σ′ is almost 0: it is **saturated**. Below, weights from N(0, 1) spread hidden layer 1’s z over about ±9, and half of them land where σ′ is under 1% of its peak. The upper plot is σ and σ′; the histogram under it is the z of a layer.',
  'saturation.try': '**Try:** press **Play** and watch the histogram: training does not bring the z back from the tails. Choose another layer in the view’s menu to see where each one sits.',

  'exploding.title': 'Exploding gradients',
  'exploding.p1': 'Then make the factors larger? Nielsen’s example: set every weight to 100 and choose the biases so that every z = 0. Each factor is then 100 × 1/4 = 25, and the gradient grows 25-fold per layer on its way back. Now the early layers learn much faster than the late ones: the **exploding gradient** problem.',
  'exploding.p2': 'Below, six ReLU layers with weights from N(0, 1): each layer multiplies the gradient by about 4 on its way back, so hidden layer 1 learns hundreds of times faster than the last. In the chain of factors every gain is above 1.',
  'exploding.p3': '**Vanishing and exploding are one problem.** The gradient of an early layer is a product of many factors, and such a product is unstable unless the factors balance near 1. Nothing in a plain deep network makes them balance.',
  'exploding.try': '**Try:** press **Play**. Within a few steps the numbers overflow, and gradlab stops the run and says at which step and layer. Press **Reset**, then **Step**, to watch it happen.',

  'init.title': 'Remedy: initialization (Xavier and He)',
  'init.p1': 'If the factors must balance near 1, choose the weights’ scale so that they do. Glorot and Bengio (2010) asked for the signal to keep its variance going forward (Var(w) = 1/n_in) and the gradient going back (1/n_out), and took the compromise Var(w) = 2/(n_in + n_out): **Xavier** initialization. It assumes units with slope 1 near 0, as tanh has; sigmoid, with slope 1/4, does not fit it. He et al. (2015) saw that ReLU zeroes about half its inputs and doubled the forward condition: Var(w) = 2/n_in, **He** initialization.',
  'init.p2': 'Below, A is a plain network of 30 ReLU layers with He initialization (the bars), and B is the same network with Xavier initialization (the outlines), on the same data and seed.',
  'init.try': '**Try:** compare bars and outlines. With He, all 30 layers learn at similar speeds. With Xavier, the squared gradient halves at every ReLU layer, and hidden layer 1 learns over 100,000 times slower than layer 30 here (the halving alone makes about 23,000; the narrow layers’ randomness adds the rest). Press **Play** to train both, or change A’s **Weight init**.',

  'relu.title': 'Remedy: ReLU and its family',
  'relu.p1': 'σ′ ≤ 1/4 is the sigmoid’s limit, not a law. ReLU, max(0, z), has slope exactly 1 wherever it is on, so its active units pass the gradient back unshrunk. Its relatives keep that slope of 1: LeakyReLU gives negative z a small slope, so that no unit is ever wholly off, and ELU a smooth negative part.',
  'relu.p2': 'Below, A is ten ReLU layers with He initialization (the bars), and B the same ten layers with sigmoid and Nielsen’s initialization (the outlines), where the first layer learns about a million times slower than the last.',
  'relu.try': '**Try:** set A’s **Activation** to LeakyReLU, ELU or tanh and compare with the sigmoid outlines. Press **Play** to see which learns faster.',

  'batchnorm.title': 'Remedy: batch normalization',
  'batchnorm.p1': 'Saturation happens when z drifts onto sigmoid’s flat tails. Batch normalization (Ioffe and Szegedy, 2015) re-centres and re-scales each unit’s z over the mini-batch, then lets the network set its own scale γ and shift β. Whatever the weights do, the normalized z start near mean 0 and variance 1, where σ′ is large; only the learned γ and β can move them away.',
  'batchnorm.p2': 'Below, A is ten sigmoid layers with batch normalization (the bars) and B the same without it (the outlines). A batch-norm layer’s speed is the gradient of its shift β, which takes the bias’s place.',
  'batchnorm.try': '**Try:** compare the spread of the speeds: about 50× with batch normalization, about a million without. Press **Play** and compare A’s and B’s test accuracy as they train.',

  'residual.title': 'Remedy: residual shortcuts',
  'residual.p1': 'He et al. (2016) gave layers a shortcut: a layer’s output is its input plus what it computes, x + F(x). The derivative of x + F(x) is 1 + F′(x), so the gradient reaching a layer is the gradient above it plus the product of factors, and the 1 alone carries it past every layer, however small the factors are.',
  'residual.p2': 'Below, A is the ten sigmoid layers with shortcuts (the bars) and B the same without (the outlines).',
  'residual.try': '**Try:** compare the bars with the outlines: with the shortcuts every hidden layer learns at about the same speed. Press **Play** to train both.',

  'clipping.title': 'Remedy: gradient clipping',
  'clipping.p1': 'Against exploding gradients there is a blunt tool: when the gradient is longer than a threshold, shrink it to that length before the step (Pascanu, Mikolov and Bengio, 2013). The direction is kept and only an overlong step is cut, so no single update can throw the weights far away.',
  'clipping.p2': 'Below, A is six ReLU layers of 100 neurons trained with a large learning rate, η = 1, its gradient clipped at a norm of 1 (the bars); B is the same without clipping (the outlines).',
  'clipping.try': '**Try:** press **Play**: B overflows within a few steps while A keeps learning. Raise A’s **Clip norm** to find where it breaks too. Clipping tames explosions; it does nothing for vanishing.',

  'penalty.title': 'Remedy: L1 and L2 penalties',
  'penalty.p1': 'A penalty on the weights’ size keeps them small. L2 adds λ/2n · Σw² to the cost C₀, which shrinks every weight a little at every step, w ← (1 − ηλ/n)w − η∂C₀/∂w (Nielsen’s rule); L1 adds λ/n · Σ|w|, which moves every weight toward 0 by a fixed amount each step, and gradlab stops it at 0, so many weights become exactly 0. Small weights cannot multiply into an explosion.',
  'penalty.p2': 'It is a mild remedy, and none for vanishing: with sigmoid, smaller weights make the factors wσ′(z) smaller still. Below, A is Nielsen’s training run with L2 λ = 5 (the bars) and B the same without a penalty (the outlines); the table gives A’s weights’ size ‖W‖ per layer.',
  'penalty.try': '**Try:** press **Play** and watch ‖W‖ in the table and the two networks’ speeds. Raise A’s **L2 λ** or **L1 λ₁** and watch the weights shrink.',

  'pretraining.title': 'Remedy: layer-wise pretraining',
  'pretraining.p1': 'The first deep fully connected networks that trained well (Hinton et al., 2006; Bengio et al., 2007) went around the problem: train one hidden layer at a time, without labels, on the output of the layer below (Hinton et al. as a restricted Boltzmann machine; Bengio et al. also as an autoencoder that learns to reconstruct it, as here), so that no gradient has to cross the whole network. Then fine-tune the whole stack with backpropagation, from weights that already mean something.',
  'pretraining.p2': 'Below, A is pretrained and then fine-tuned (the bars); B is trained from random weights (the outlines). The line above A’s bars names each phase as it runs.',
  'pretraining.try': '**Try:** press **Play** and follow the phases: each layer’s pretraining (about half a minute at the default pace; move **Pace** up to hurry it), then the fine-tuning. Compare A’s and B’s speeds and test accuracy once A is fine-tuning.',

  'lstm.title': 'Remedy for recurrent networks: the LSTM',
  'lstm.p1': 'A recurrent network reads a sequence one step at a time, with the same weights at every step. Unrolled over T steps it is a T-layer network whose layers share their weights, and its gradient through time vanishes or explodes just as it does through depth (Bengio, Simard and Frasconi, 1994).',
  'lstm.p2': 'The LSTM (Hochreiter and Schmidhuber, 1997, with the forget gate f of Gers, Schmidhuber and Cummins, 2000) keeps a cell state that is added to, not squashed: c_t = f ⊙ c_{t−1} + i ⊙ g. Like a residual shortcut through time, the sum carries the gradient back across many steps. Below, two networks must name the first of fifty random symbols, trained side by side on the same sequences: a plain tanh RNN (upper bars) and an LSTM (lower bars).',
  'lstm.try': '**Try:** press **Play**. The bars are the gradient reaching each time step. At the start the RNN’s shrinks about 10¹²-fold over the fifty steps, and its accuracy stays near chance; the LSTM’s shrinks about 7-fold, and within a few hundred steps it learns the task. Set **Length T** to 10 and the RNN learns too.',

  'map.title': 'The map: order and chaos',
  'map.p1': 'One picture holds the whole story. For a wide random network with weights from N(0, σ_w²/n) and biases from N(0, σ_b²), mean-field theory (Poole et al., 2016; Schoenholz et al., 2017) computes χ₁, the factor by which each layer multiplies the squared gradient. Where χ₁ < 1, the ordered phase, gradients vanish with depth; where χ₁ > 1, the chaotic phase, they explode. Between the two runs a line, the edge of chaos, where they do neither.',
  'map.p2': 'Below, twenty tanh layers of 256 units sit on that line. The dot is this network, and the triangles mark where the named initializations fall. Under the diagram, the theory’s prediction is set beside the gradient measured, layer by layer.',
  'map.try': '**Try:** drag the dot left into order and right into chaos, and watch the measured gradients follow the prediction. Each remedy on this page either keeps a network near the line or makes the line matter less.',

  'closing.title': 'What to take away',
  'closing.p1': 'The gradient reaching an early layer is a product of one factor per layer above it. Unless those factors stay near 1, the product vanishes or explodes, and the early layers learn almost nothing or blow up. Sigmoid’s σ′ ≤ 1/4 makes the factors small; large weights make them large.',
  'closing.p2': 'The remedies keep the factors near 1 (Xavier and He initialization, ReLU, batch normalization, a place near the edge of chaos), open a path around them (residual shortcuts, the LSTM’s cell state, layer-wise pretraining), or limit the damage (clipping, penalties). To try networks of your own, open the simulator: every setting on this page, and more, is there.',

  'frame.title': 'gradlab simulator: {section}',
  'frame.load': 'Load the simulator',
  'frame.waiting': 'The simulator loads when you scroll here.',
  'frame.loading': 'Loading the simulator…',
  'frame.offscreen': 'Paused while scrolled away; it goes on when you come back.',
  'frame.budget': 'Paused: another simulator started, and at most {max} networks train at once. Press Play to go on.',
  'frame.sweepOffscreen': 'The sweep stopped when you scrolled away; its rows so far are kept. Run it again to finish it.',
  'frame.sweepBudget': 'The sweep stopped: another simulator started, and at most {max} networks train at once. Its rows so far are kept.',
  'frame.failed': 'The simulator could not start: {problem}',
  'frame.openLab': 'Open in the simulator ↗',
  'frame.take': 'Embed or export this figure',
  'frame.embedText': 'Paste this into a course page (an LMS, Jupyter Book, MkDocs, slides) to show this figure there; the iframe sizes itself to its content.',
  'frame.snippetLabel': 'Embed snippet',
  'frame.copy': 'Copy',
  'frame.copied': 'Copied.',
  'frame.selected': 'Selected: press Ctrl+C to copy.',
  'frame.embedNote': 'The page “Embed it in a course page” lists every option (the views, the controls offered, autoplay, lock) and the script API.',
  'frame.embedOffline': 'This page is opened from disk, so the snippet points at a file on this computer: put the site on a web server to embed it elsewhere.',
  'frame.export': 'To export the figure: every chart in the simulator has a **PNG** button, and **Export** saves the run’s history as CSV or JSON, with the `gradlab` command that repeats it.',
};
