// The one data layout of gradlab, stated once: a mini-batch is a matrix with one
// column per example (column = sample). Z, A and δ of a layer are (units, batch);
// W is (n_out, n_in), so Z = W·X + b·1ᵀ. Eigen stores matrices column-major, so
// each example's values are contiguous.
#pragma once

#include <Eigen/Core>

namespace gradlab {

template <typename T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;  // column-major
template <typename T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
/// A read-only view of a matrix or of a block of whole columns of one.
template <typename T>
using MatrixView = Eigen::Ref<const Matrix<T>>;

}  // namespace gradlab
