// Greedy layer-wise pretraining (Hinton et al. 2006 with RBMs; Bengio et al. 2007
// with autoencoders, which is what this is): each hidden layer in turn, from the
// input side, is trained as the encoder of an autoencoder that reconstructs the
// layer's input (the data, or the output of the already pretrained layers below).
// The decoder is thrown away; fine-tuning the whole network with backprop follows.
//
// Each autoencoder is [n_in, n_hidden, n_in] with the network's activation (and
// batch norm, if the network has it). It reconstructs with sigmoid outputs and
// cross-entropy when its inputs lie in [0, 1] (pixels, sigmoid activations), else
// with linear outputs and the quadratic cost. Plain SGD with the trainer's η and m.
// A residual layer's encoder is its branch φ(y) (the shortcut is not trained).
#pragma once

#include <memory>
#include <vector>

#include "data.hpp"
#include "network.hpp"
#include "rng.hpp"

namespace gradlab {

/// Where pretraining stands, for display.
struct PretrainStatus {
  bool active = false;  // still pretraining
  int layer = -1;       // hidden layer being trained (0-based)
  int epoch = 0;        // its completed epochs
  int epochs = 0;       // epochs per layer
  int layers = 0;       // hidden layers to pretrain
  long steps = 0;       // mini-batches so far
  double loss = 0.0;    // reconstruction cost of the last mini-batch
};

template <typename T>
class Pretrainer {
 public:
  Pretrainer(Network<T>& net, const Dataset& data, int epochs, double learning_rate, int batch_size,
             uint64_t seed);

  bool done() const { return layer_ >= net_.num_hidden(); }
  int layer() const { return layer_; }      // the hidden layer being trained (0-based)
  int epoch() const { return epoch_; }      // completed epochs of that layer
  int epochs() const { return epochs_; }    // epochs per layer
  long steps() const { return steps_; }     // mini-batches so far, all layers
  /// Mean reconstruction cost of the last mini-batch, and of the first mini-batch
  /// of the current layer (to see it fall).
  double loss() const { return loss_; }
  double first_loss() const { return first_loss_; }
  PretrainStatus status() const {
    return {!done(), layer_, epoch_, epochs_, net_.num_hidden(), steps_, loss_};
  }

  /// One mini-batch of the current layer's autoencoder; after `epochs` epochs the
  /// encoder is copied into the network and the next layer begins. Returns false
  /// if the reconstruction cost became NaN or infinite (the layer is left as it was).
  bool step();

 private:
  void begin_layer();
  void finish_layer();

  Network<T>& net_;
  const Dataset& data_;
  int epochs_;
  T learning_rate_;
  int batch_size_;
  uint64_t seed_;
  Rng rng_;
  int layer_ = 0, epoch_ = 0, cursor_ = 0;
  long steps_ = 0;
  double loss_ = 0.0, first_loss_ = 0.0;
  std::vector<int> order_;
  Matrix<T> H_;  // (n_in, N) the current layer's inputs
  Matrix<T> batch_;
  std::unique_ptr<Network<T>> ae_;
};

extern template class Pretrainer<float>;
extern template class Pretrainer<double>;

}  // namespace gradlab
