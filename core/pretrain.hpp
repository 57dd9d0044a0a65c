// Greedy layer-wise pretraining (Hinton et al. 2006 with RBMs; Bengio et al. 2007
// with autoencoders, which is what this is): each hidden layer in turn, from the
// input side, is trained as the encoder of an autoencoder that reconstructs the
// layer's input (the data, or the output of the already pretrained layers below).
// The decoder is thrown away; fine-tuning the whole network with backprop follows.
//
// Each autoencoder is [n_in, n_hidden, n_in] with the network's activation (and
// batch norm, if the network has it). It reconstructs with sigmoid outputs and
// cross-entropy when its inputs lie in [0, 1] (pixels; the outputs of sigmoid
// layers without a shortcut), else with linear outputs and the quadratic cost.
// A residual layer's encoder is its branch φ(y) (the shortcut is not trained).
//
// It trains with the trainer's current settings at every step, exactly as
// fine-tuning does (update.hpp): optimizer, η, momentum, mini-batch size,
// clipping and penalties; each autoencoder starts with fresh optimizer moments.
// Mini-batches are gathered from the data (MNIST stays bytes) and pushed through
// the already pretrained layers below, with batch norm's running statistics; no
// copy of the data set is made.
#pragma once

#include <memory>
#include <vector>

#include "data.hpp"
#include "network.hpp"
#include "rng.hpp"
#include "update.hpp"

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
  Pretrainer(Network<T>& net, const Dataset& data, int epochs, uint64_t seed);

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

  /// One mini-batch of the current layer's autoencoder, trained with `config`
  /// (n: the training set's size, for the penalties); after `epochs` epochs the
  /// encoder is copied into the network and the next layer begins. Returns false
  /// if the reconstruction cost or the new weights would be NaN or infinite; the
  /// autoencoder and the network are then left as they were.
  bool step(const TrainConfig& config, double n);

  /// Forgets the optimizer's moments and step count (the trainer's optimizer changed).
  void reset_optimizer() { if (ae_) updater_.reset(ae_->num_layers()); }

  /// The current layer's autoencoder [n_in, n_hidden, n_in] (its layer 0 becomes
  /// the network's layer when it is done); null once pretraining is done.
  const Network<T>* autoencoder() const { return done() ? nullptr : ae_.get(); }

  /// Whether the inputs of hidden layer l lie in [0, 1], so that its autoencoder
  /// reconstructs them with sigmoid outputs and cross-entropy.
  bool inputs_in_unit_range(int l) const;

 private:
  void begin_layer();
  void finish_layer();

  Network<T>& net_;
  const Dataset& data_;
  int epochs_;
  uint64_t seed_;
  Rng rng_;
  int layer_ = 0, epoch_ = 0, cursor_ = 0;
  long steps_ = 0;
  double loss_ = 0.0, first_loss_ = 0.0;
  std::vector<int> order_;
  Matrix<T> X_;  // (n_data, m) the mini-batch's examples
  std::unique_ptr<Network<T>> ae_;
  Updater<T> updater_;
};

extern template class Pretrainer<float>;
extern template class Pretrainer<double>;

}  // namespace gradlab
