// The columns of a run's history, defined once: the CLI's csv header and jsonl
// keys, and the page's CSV export (through historyColumns()), take their names
// from history_columns().
//
// A column is a run-wide value (layer −1) or a per-layer one; a per-layer
// column's name is its quantity in snake_case, then the layer's tag:
// "speed_hl1", "batch_speed_out".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gradlab {

struct HistoryColumn {
  std::string name;      // "step", "train_accuracy", "speed_hl1", "batch_speed_out"
  std::string quantity;  // camelCase: "step", "trainAccuracy", "speed", a kLayerStatistics key
  int layer = -1;        // network layer index (0 = first hidden layer); −1 for a run-wide value
};

/// The run-wide quantities, first in every history: training steps done when
/// measured, completed epochs, mean cost and fraction right on the training set,
/// fraction right on the test set.
inline const char* const kRunQuantities[] = {"step", "epoch", "loss", "trainAccuracy", "testAccuracy"};

/// A depth sweep's row (the CLI's --sweep-depth, the page's sweep): the same
/// data, width, seed and training budget at every depth; the speeds at
/// initialization (Nielsen's probe), the rest after training.
struct SweepQuantity {
  const char* key;  // camelCase, as in JavaScript; snake_case in the CLI
  const char* help;
};
inline const SweepQuantity kSweepQuantities[] = {
    {"depth", "hidden layers"},
    {"steps", "training steps done"},
    {"testAccuracy", "fraction of the test set right after training"},
    {"trainAccuracy", "fraction of the training set right after training"},
    {"loss", "mean cost on the training set after training"},
    {"speedFirstInit", "hidden layer 1's speed at initialization"},
    {"speedLastInit", "the last hidden layer's speed at initialization"},
};

/// The tag of layer `layer` of a network with `layers` layers (hidden layers
/// first, the output last): "hl1" … "hlH", then "out".
std::string layer_tag(int layer, int layers);

/// A quantity's name in snake_case: "batchSpeed" → "batch_speed".
std::string snake_case(std::string_view quantity);

/// Every column for a network of `layers` layers: the run-wide quantities, then
/// the probe's quantities (kProbeStatistics, trainer.hpp: speed_<tag>,
/// grad_rms_<tag>, gain_<tag>, …) and the last step's statistics
/// (kLayerStatistics, stats.hpp), each for every layer.
std::vector<HistoryColumn> history_columns(int layers);

}  // namespace gradlab
