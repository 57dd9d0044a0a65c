// gradlab's training core: include this one header.
//
// Pure C++17 on Eigen. It knows nothing of files, the DOM, JavaScript or
// Emscripten; the CLI (cli/) and the WebAssembly bindings (wasm/) call it.
#pragma once

#include "activation.hpp"
#include "columns.hpp"
#include "cost.hpp"
#include "data.hpp"
#include "errors.hpp"
#include "histograms.hpp"
#include "init.hpp"
#include "meanfield.hpp"
#include "network.hpp"
#include "optimizer.hpp"
#include "pretrain.hpp"
#include "recurrent.hpp"
#include "recurrent_session.hpp"
#include "rng.hpp"
#include "stats.hpp"
#include "trainer.hpp"
#include "update.hpp"
#include "settings.hpp"
#include "session.hpp"
