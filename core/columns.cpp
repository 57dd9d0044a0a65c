#include "columns.hpp"

#include "stats.hpp"
#include "trainer.hpp"

namespace gradlab {

std::string layer_tag(int layer, int layers) {
  return layer == layers - 1 ? "out" : "hl" + std::to_string(layer + 1);
}

std::string snake_case(std::string_view quantity) {
  std::string out;
  for (char ch : quantity) {
    if (ch >= 'A' && ch <= 'Z') {
      out += '_';
      out += static_cast<char>(ch - 'A' + 'a');
    } else {
      out += ch;
    }
  }
  return out;
}

std::vector<HistoryColumn> history_columns(int layers) {
  std::vector<HistoryColumn> out;
  for (const char* q : kRunQuantities) out.push_back({snake_case(q), q, -1});
  auto per_layer = [&](const std::string& quantity) {
    for (int l = 0; l < layers; ++l) out.push_back({snake_case(quantity) + "_" + layer_tag(l, layers), quantity, l});
  };
  for (const auto& s : kProbeStatistics) per_layer(s.key);
  for (const auto& s : kLayerStatistics) per_layer(s.key);
  return out;
}

}  // namespace gradlab
