// The float kernels (core/kernels.hpp) against a naive loop that sums in the
// order the kernels promise: every shape class (whole 8-row blocks, a 4-row
// block, the overlapping last rows, every column tail), leading dimensions
// larger than the rows, and the squares gemm_nt measures on the way.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/activation.hpp"
#include "core/kernels.hpp"
#include "core/rng.hpp"

using namespace gradlab;

namespace {
std::vector<float> random_floats(size_t n, Rng& rng) {
  std::vector<float> v(n);
  for (auto& x : v) x = static_cast<float>(rng.normal());
  return v;
}
}  // namespace

TEST_CASE("gemm_nn sums bias first, then k in order, for every block and tail shape", "[kernels]") {
  Rng rng(7, Stream::weights);
  for (int m : {4, 5, 7, 8, 11, 12, 13, 16, 30, 33})
    for (int n : {1, 2, 3, 4, 5, 6, 9, 10, 11})
      for (int k : {1, 3, 17}) {
        const int lda = m + 3, ldb = k + 2, ldc = m + 1;
        const auto A = random_floats(size_t(lda) * k, rng), B = random_floats(size_t(ldb) * n, rng),
                   bias = random_floats(size_t(m), rng);
        for (const bool with_bias : {false, true}) {
          std::vector<float> C(size_t(ldc) * n, -7.0f);
          kernels::gemm_nn(m, n, k, A.data(), lda, B.data(), ldb, with_bias ? bias.data() : nullptr, C.data(), ldc);
          for (int j = 0; j < n; ++j)
            for (int i = 0; i < m; ++i) {
              float want = with_bias ? bias[size_t(i)] : 0.0f;
              for (int p = 0; p < k; ++p) want += A[size_t(p) * lda + i] * B[size_t(j) * ldb + p];
              INFO("m " << m << " n " << n << " k " << k << " bias " << with_bias << " at (" << i << ", " << j << ")");
              REQUIRE(C[size_t(j) * ldc + i] == want);
            }
          for (int j = 0; j < n; ++j)  // the padding rows of C are left alone
            for (int i = m; i < ldc; ++i) REQUIRE(C[size_t(j) * ldc + i] == -7.0f);
        }
      }
}

TEST_CASE("gemm_nt sums j in order, scales once, and measures Σ c² without counting overlapping rows twice", "[kernels]") {
  Rng rng(11, Stream::weights);
  for (int m : {4, 6, 8, 10, 12, 15, 30})
    for (int k : {1, 2, 3, 4, 5, 8, 13})
      for (int n : {1, 2, 10, 32}) {
        const int lda = m + 2, ldb = k + 5, ldc = m + 3;
        const auto A = random_floats(size_t(lda) * n, rng), B = random_floats(size_t(ldb) * n, rng);
        const float alpha = 1.0f / static_cast<float>(n);
        std::vector<float> C(size_t(ldc) * k, -7.0f);
        const double squares = kernels::gemm_nt(m, k, n, alpha, A.data(), lda, B.data(), ldb, C.data(), ldc);
        double want_squares = 0;
        for (int p = 0; p < k; ++p)
          for (int i = 0; i < m; ++i) {
            float sum = 0.0f;
            for (int j = 0; j < n; ++j) sum += A[size_t(j) * lda + i] * B[size_t(j) * ldb + p];
            const float want = sum * alpha;
            INFO("m " << m << " k " << k << " n " << n << " at (" << i << ", " << p << ")");
            REQUIRE(C[size_t(p) * ldc + i] == want);
            want_squares += double(want) * double(want);
          }
        REQUIRE(squares == Approx(want_squares).epsilon(1e-5));
      }
}

TEST_CASE("gemm_nt's squares are not finite when an entry is not, or when a square overflows a float", "[kernels]") {
  const int m = 6, k = 4, n = 2;
  std::vector<float> A(size_t(m) * n, 1.0f), B(size_t(k) * n, 1.0f), C(size_t(m) * k);
  A[3] = std::numeric_limits<float>::quiet_NaN();
  REQUIRE_FALSE(std::isfinite(kernels::gemm_nt(m, k, n, 1.0f, A.data(), m, B.data(), k, C.data(), m)));
  A[3] = 1e30f;
  REQUIRE(std::isfinite(C[0]));
  REQUIRE_FALSE(std::isfinite(kernels::gemm_nt(m, k, n, 1.0f, A.data(), m, B.data(), k, C.data(), m)));
}

TEST_CASE("bytes_to_unit scales every byte by 1/255 as the scalar formula does", "[kernels]") {
  std::vector<uint8_t> bytes(263);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>((i * 37) % 256);
  std::vector<float> out(bytes.size());
  kernels::bytes_to_unit(bytes.data(), int(bytes.size()), out.data());
  for (size_t i = 0; i < bytes.size(); ++i) REQUIRE(out[i] == float(bytes[i]) * (1.0f / 255.0f));
}

TEST_CASE("step_sums: the update's check and ‖W‖², ‖ΔW‖² in one pass, every length", "[kernels]") {
  Rng rng(5, Stream::weights);
  for (long n : {1L, 3L, 4L, 7L, 255L, 256L, 257L, 1000L, 23520L}) {
    auto w = random_floats(size_t(n), rng), d = random_floats(size_t(n), rng);
    double w_sq = 0, d_sq = 0;
    for (long i = 0; i < n; ++i) {
      w_sq += double(w[size_t(i)]) * w[size_t(i)];
      d_sq += double(d[size_t(i)]) * d[size_t(i)];
    }
    const auto sums = kernels::step_sums(w.data(), d.data(), n);
    INFO("n " << n);
    CHECK(sums.finite);
    CHECK(sums.w_squares == Approx(w_sq).epsilon(1e-5));
    CHECK(sums.d_squares == Approx(d_sq).epsilon(1e-5));
    // Any one non-finite w + d, wherever it is (vector body or tail), is caught:
    // a NaN, an infinity, or two finite values whose sum overflows.
    for (const long at : {0L, n / 2, n - 1}) {
      auto d2 = d;
      d2[size_t(at)] = std::numeric_limits<float>::quiet_NaN();
      CHECK_FALSE(kernels::step_sums(w.data(), d2.data(), n).finite);
      d2[size_t(at)] = -std::numeric_limits<float>::infinity();
      CHECK_FALSE(kernels::step_sums(w.data(), d2.data(), n).finite);
      auto w2 = w;
      w2[size_t(at)] = 3e38f;
      d2[size_t(at)] = 3e38f;
      const auto overflow = kernels::step_sums(w2.data(), d2.data(), n);
      CHECK_FALSE(overflow.finite);
      CHECK_FALSE(std::isfinite(overflow.w_squares));  // 9e76 overflows a float square
    }
  }
}

TEMPLATE_TEST_CASE("forward_fused: the sigmoid's A and D bit-identical to forward() and derivative(), and its sums exact", "[kernels]",
                   float, double) {
  // Every length class (whole vectors, a scalar tail), z far below −9 (Eigen's
  // exp branch), above its upper cut-off, at 0, and not finite.
  const ActivationFn<TestType> phi(Activation::sigmoid, TestType(0.01), TestType(1));
  Rng rng(11, Stream::weights);
  for (const int rows : {1, 3, 4, 7, 30})
    for (const int cols : {1, 2, 5, 10}) {
      Matrix<TestType> Z(rows, cols);
      for (Eigen::Index i = 0; i < Z.size(); ++i) Z.data()[i] = static_cast<TestType>(8.0 * rng.normal());
      Z.data()[0] = TestType(-100);
      if (Z.size() > 2) Z.data()[Z.size() - 1] = TestType(20), Z.data()[1] = TestType(0);
      Matrix<TestType> A, D, A2, D2;
      ActivationSums sums;
      REQUIRE(phi.forward_fused(Z, A, D, sums));
      phi.forward(Z, A2);
      phi.derivative(Z, A2, D2);
      INFO(rows << " × " << cols);
      for (Eigen::Index i = 0; i < Z.size(); ++i) {
        REQUIRE(A.data()[i] == A2.data()[i]);
        REQUIRE(D.data()[i] == D2.data()[i]);
      }
      double z_sum = 0, a_sum = 0;
      for (Eigen::Index i = 0; i < Z.size(); ++i) z_sum += Z.data()[i], a_sum += A.data()[i];
      CHECK(sums.valid);
      CHECK(sums.z_sum == Approx(z_sum).epsilon(1e-6).margin(1e-4));
      CHECK(sums.a_sum == Approx(a_sum).epsilon(1e-6));
      const auto flat = (D.array().abs() < TestType(0.01) * phi.derivative_max()).count();
      CHECK(sums.flat == static_cast<double>(flat));
      CHECK(phi.saturated_fraction(D, sums) == phi.saturated_fraction(D));
    }
  // A z that is not finite makes Σz not finite (a bounded φ hides it in A).
  Matrix<TestType> Z = Matrix<TestType>::Zero(4, 3), A, D;
  Z(2, 1) = std::numeric_limits<TestType>::infinity();
  ActivationSums sums;
  REQUIRE(phi.forward_fused(Z, A, D, sums));
  CHECK_FALSE(std::isfinite(sums.z_sum));
  CHECK(std::isfinite(sums.a_sum));
  // The other activations take the separate passes.
  const ActivationFn<TestType> relu(Activation::relu, TestType(0.01), TestType(1));
  ActivationSums none;
  CHECK_FALSE(relu.forward_fused(Z, A, D, none));
  CHECK_FALSE(none.valid);
}
