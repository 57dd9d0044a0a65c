// Names for the enums of the core: one table per enum maps each value to the name
// used by the CLI flags, the URL hash and the JavaScript API.
#pragma once

#include <array>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace gradlab {

template <typename E, size_t N>
using NameTable = std::array<std::pair<E, const char*>, N>;

/// The name of `value` in `table` ("?" if it is missing, which is a bug).
template <typename E, size_t N>
const char* name_of(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}

/// "a, b, c": the accepted names, for error messages and --help.
template <typename E, size_t N>
std::string names_list(const NameTable<E, N>& table) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += ", ";
    out += entry.second;
  }
  return out;
}

/// The value called `text`; throws std::invalid_argument naming `what` and the
/// accepted names otherwise.
template <typename E, size_t N>
E parse_name(const NameTable<E, N>& table, std::string_view text, const char* what) {
  for (const auto& [v, name] : table)
    if (text == name) return v;
  throw std::invalid_argument("unknown " + std::string(what) + " '" + std::string(text) +
                              "' (expected one of: " + names_list(table) + ")");
}

}  // namespace gradlab
