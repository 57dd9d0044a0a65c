// The history's columns: names, order and layers, defined once for the CLI and the page.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gradlab;

TEST_CASE("layer tags and snake_case names", "[columns]") {
  CHECK(layer_tag(0, 4) == "hl1");
  CHECK(layer_tag(2, 4) == "hl3");
  CHECK(layer_tag(3, 4) == "out");
  CHECK(layer_tag(0, 1) == "out");
  CHECK(snake_case("batchSpeed") == "batch_speed");
  CHECK(snake_case("weightGradNorm") == "weight_grad_norm");
  CHECK(snake_case("trainAccuracy") == "train_accuracy");
  CHECK(snake_case("saturation") == "saturation");
  CHECK(snake_case("") == "");
}

TEST_CASE("the columns of a network with three hidden layers, in order", "[columns]") {
  const auto columns = history_columns(4);
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  std::vector<std::string> expected = {"step", "epoch", "loss", "train_accuracy", "test_accuracy"};
  for (const char* q : {"speed", "grad_rms", "gain", "dphi_mean", "weight_gain", "batch_speed", "weight_grad_norm",
                        "weight_norm", "update_ratio", "activation_mean", "activation_std", "saturation"})
    for (const char* tag : {"hl1", "hl2", "hl3", "out"}) expected.push_back(std::string(q) + "_" + tag);
  CHECK(names == expected);
  REQUIRE(columns.size() == 5 + 12 * 4);
  // Run-wide values have no layer; a per-layer column names its quantity and layer.
  for (int i = 0; i < 5; ++i) CHECK(columns[static_cast<size_t>(i)].layer == -1);
  CHECK(columns[4].quantity == "testAccuracy");
  CHECK(columns[5].quantity == "speed");
  CHECK(columns[5].layer == 0);
  CHECK(columns[8].layer == 3);
  CHECK(columns[9].name == "grad_rms_hl1");
  CHECK(columns[9].quantity == "gradRms");
  CHECK(columns[25].name == "batch_speed_hl1");
  CHECK(columns[25].quantity == "batchSpeed");
  // Every column's name is its quantity in snake_case, then its layer's tag.
  for (const auto& c : columns) {
    INFO(c.name);
    CHECK(c.name == snake_case(c.quantity) + (c.layer < 0 ? "" : "_" + layer_tag(c.layer, 4)));
  }
  // The probe's quantities, then the statistics, follow kProbeStatistics and
  // kLayerStatistics, whatever they hold.
  size_t i = 5;
  std::vector<const char*> keys;
  for (const auto& s : kProbeStatistics) keys.push_back(s.key);
  for (const auto& s : kLayerStatistics) keys.push_back(s.key);
  for (const char* key : keys)
    for (int l = 0; l < 4; ++l, ++i) {
      CHECK(columns[i].quantity == key);
      CHECK(columns[i].layer == l);
    }
  CHECK(i == columns.size());
  CHECK(history_columns(2).size() == 5 + 12 * 2);
}
