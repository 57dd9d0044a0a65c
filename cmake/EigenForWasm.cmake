# Eigen for the WebAssembly build: a patched copy of Debian's headers, so that
# Eigen's SSE code path compiles onto WASM SIMD (measured about 2x faster than
# -msimd128 alone). Two fixes, on the copy only (never on /usr/include):
#   1. an empty <mmintrin.h>: Emscripten ships none, Eigen's SSE headers include it;
#   2. in SSE/PacketMath.h, the inline-asm workarounds for GCC < 6.3 must not fire
#      under Emscripten (its clang reports itself as GNUC 4.2).
option(GRADLAB_WASM_SSE "Compile Eigen's SSE path onto WASM SIMD" ON)
set(GRADLAB_EIGEN_SOURCE "/usr/include/eigen3" CACHE PATH "Eigen 3.4 headers to copy")
if(NOT EXISTS "${GRADLAB_EIGEN_SOURCE}/Eigen/Core")
  message(FATAL_ERROR "Eigen not found at ${GRADLAB_EIGEN_SOURCE} (apt-get install libeigen3-dev)")
endif()

set(_eigen_copy "${CMAKE_BINARY_DIR}/eigen3")
set(_packet_math "${_eigen_copy}/Eigen/src/Core/arch/SSE/PacketMath.h")
file(COPY "${GRADLAB_EIGEN_SOURCE}/Eigen" DESTINATION "${_eigen_copy}")
file(READ "${_packet_math}" _text)
string(REPLACE "#if EIGEN_COMP_GNUC && EIGEN_COMP_GNUC < 63"
               "#if EIGEN_COMP_GNUC && EIGEN_COMP_GNUC < 63 && !defined(__EMSCRIPTEN__)" _patched "${_text}")
if(_patched STREQUAL _text AND NOT _text MATCHES "__EMSCRIPTEN__")
  message(FATAL_ERROR "EigenForWasm: the GCC < 6.3 workaround was not found in ${_packet_math}")
endif()
file(WRITE "${_packet_math}" "${_patched}")
file(WRITE "${CMAKE_BINARY_DIR}/eigen-compat/mmintrin.h"
     "// Empty on purpose: Emscripten has no MMX header and Eigen needs none of it.\n")

# gradlab_eigen: WASM SIMD (and Eigen's SSE path onto it), native wasm exceptions.
add_library(gradlab_eigen INTERFACE)
target_include_directories(gradlab_eigen SYSTEM INTERFACE "${_eigen_copy}" "${CMAKE_BINARY_DIR}/eigen-compat")
target_compile_options(gradlab_eigen INTERFACE -msimd128 -fwasm-exceptions)
target_link_options(gradlab_eigen INTERFACE -fwasm-exceptions)
# V8 gives WASM SIMD 16 vector registers on x86-64 (32 on ARM64); Eigen assumes 8
# for a non-x86 target and would pick a smaller GEMM micro-kernel.
target_compile_definitions(gradlab_eigen INTERFACE EIGEN_ARCH_DEFAULT_NUMBER_OF_REGISTERS=16)
if(GRADLAB_WASM_SSE)
  target_compile_options(gradlab_eigen INTERFACE -msse -msse2 -msse3 -mssse3 -msse4.1)
endif()

# gradlab_eigen_baseline: the fallback for browsers without WASM SIMD or wasm
# exceptions: WebAssembly 1.0 only (Eigen's scalar path; C++ exceptions through
# JavaScript, slower to throw but needing no wasm proposal).
add_library(gradlab_eigen_baseline INTERFACE)
target_include_directories(gradlab_eigen_baseline SYSTEM INTERFACE "${_eigen_copy}")
target_compile_options(gradlab_eigen_baseline INTERFACE -fexceptions -mno-simd128)
target_link_options(gradlab_eigen_baseline INTERFACE -fexceptions)
