// Backprop against central finite differences, in double, for every activation ×
// cost at several depths: every weight and bias of every layer.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace gradlab;
using gradlab::test::relative_error;

namespace {

// Largest relative error, over the layers' dW and db, between backprop's gradient
// g and the central differences n = (C(θ+h) − C(θ−h)) / 2h: ‖g − n‖ / max(‖g‖, ‖n‖).
// Compared as whole vectors, so that a layer whose gradient has vanished to 1e-6
// is judged by its own scale, not drowned in rounding noise entry by entry.
double max_gradient_error(Network<double>& net, const test::Batch& batch) {
  net.forward(batch.X);
  net.backward(batch.X, batch.Y);
  const double h = 1e-5;
  auto numeric = [&](double& theta) {
    const double saved = theta;
    theta = saved + h;
    const double up = test::mean_cost(net, batch);
    theta = saved - h;
    const double down = test::mean_cost(net, batch);
    theta = saved;
    return (up - down) / (2 * h);
  };
  // Below a norm of 1e-3 the error is judged absolutely (to 1e-9 at the 1e-6
  // threshold, above the differences' ~1e-10 noise): some gradients are zero in
  // theory, e.g. β feeding another batch norm through a linear φ.
  auto error = [](const auto& analytic, const auto& numeric_grad) {
    const double scale = std::max({analytic.norm(), numeric_grad.norm(), 1e-3});
    return (analytic - numeric_grad).norm() / scale;
  };
  double worst = 0.0;
  for (int l = 0; l < net.num_layers(); ++l) {
    const Matrix<double> dW = net.layer(l).dW;
    const Vector<double> db = net.layer(l).db;
    Matrix<double> nW(dW.rows(), dW.cols());
    Vector<double> nb(db.size());
    auto& layer = net.layer(l);
    for (Eigen::Index i = 0; i < layer.W.size(); ++i) nW.data()[i] = numeric(layer.W.data()[i]);
    for (Eigen::Index i = 0; i < layer.b.size(); ++i) nb.data()[i] = numeric(layer.b.data()[i]);
    worst = std::max({worst, error(dW, nW)});
    if (layer.batch_norm) {
      // b's gradient is zero under batch norm: compare it absolutely.
      worst = std::max(worst, (db - nb).norm() / std::max(1.0, dW.norm()));
      const Vector<double> dgamma = layer.dgamma, dbeta = layer.dbeta;
      Vector<double> ng(dgamma.size()), nbeta(dbeta.size());
      for (Eigen::Index i = 0; i < layer.gamma.size(); ++i) ng.data()[i] = numeric(layer.gamma.data()[i]);
      for (Eigen::Index i = 0; i < layer.beta.size(); ++i) nbeta.data()[i] = numeric(layer.beta.data()[i]);
      worst = std::max({worst, error(dgamma, ng), error(dbeta, nbeta)});
    } else {
      worst = std::max(worst, error(db, nb));
    }
  }
  return worst;
}

}  // namespace

TEST_CASE("backprop matches central differences for every activation, cost and depth", "[gradcheck]") {
  for (const auto& [activation, activation_name] : kActivationNames) {
    for (const auto& [cost, cost_name] : kCostNames) {
      for (int hidden : {1, 2, 4}) {
        for (int outputs : {3, 1}) {
          if (outputs == 1 && cost == Cost::log_likelihood) continue;  // softmax needs ≥ 2
          std::vector<int> layers{5};
          for (int h = 0; h < hidden; ++h) layers.push_back(4 + h % 2);
          layers.push_back(outputs);
          Network<double> net(test::gradcheck_config(layers, activation, cost, 11 + hidden));
          const auto batch = test::random_batch(5, outputs, 7, 100 + hidden);
          INFO(activation_name << " / " << cost_name << " / " << hidden << " hidden / " << outputs << " outputs");
          CHECK(max_gradient_error(net, batch) < 1e-6);
        }
      }
    }
  }
}

TEST_CASE("backprop through batch norm and residual shortcuts matches central differences", "[gradcheck]") {
  for (const auto& [activation, activation_name] : kActivationNames) {
    for (auto [batch_norm, residual] : {std::pair{true, false}, std::pair{false, true}, std::pair{true, true}}) {
      for (Cost cost : {Cost::cross_entropy, Cost::log_likelihood}) {
        // The last hidden layer changes width: no shortcut there.
        NetworkConfig c = test::gradcheck_config({5, 6, 6, 6, 4, 3}, activation, cost, 21);
        c.batch_norm = batch_norm;
        c.residual = residual;
        Network<double> net(c);
        // Move γ and β off their (1, 0) start so that their gradients are generic.
        Rng rng(4, Stream::extra);
        for (int l = 0; l < net.num_hidden(); ++l)
          if (net.layer(l).batch_norm)
            for (Eigen::Index i = 0; i < net.layer(l).gamma.size(); ++i) {
              net.layer(l).gamma(i) = rng.uniform(0.5, 1.5);
              net.layer(l).beta(i) = rng.uniform(-0.5, 0.5);
            }
        CHECK(net.layer(0).residual == false);
        CHECK(net.layer(1).residual == residual);
        CHECK(net.layer(3).residual == false);
        const auto batch = test::random_batch(5, 3, 9, 200);
        INFO(activation_name << (batch_norm ? " / batch norm" : "") << (residual ? " / residual" : "") << " / "
                             << to_string(cost));
        CHECK(max_gradient_error(net, batch) < 1e-6);
      }
    }
  }
}

TEST_CASE("backprop in float agrees with double", "[gradcheck]") {
  NetworkConfig c;
  c.layers = {6, 5, 5, 4};
  c.activation = Activation::tanh;
  Network<float> nf(c);
  Network<double> nd(c);
  const auto batch = test::random_batch(6, 4, 9, 5);
  const Matrix<float> Xf = batch.X.cast<float>(), Yf = batch.Y.cast<float>();
  nf.forward(Xf);
  nf.backward(Xf, Yf);
  nd.forward(batch.X);
  nd.backward(batch.X, batch.Y);
  for (int l = 0; l < 3; ++l) {
    CHECK((nf.layer(l).dW.cast<double>() - nd.layer(l).dW).norm() < 1e-5 * (1 + nd.layer(l).dW.norm()));
    CHECK((nf.layer(l).db.cast<double>() - nd.layer(l).db).norm() < 1e-5 * (1 + nd.layer(l).db.norm()));
  }
}

TEST_CASE("activation derivatives match finite differences pointwise", "[gradcheck]") {
  Matrix<double> Z(1, 41);
  for (int i = 0; i < 41; ++i) Z(0, i) = -5.0 + 0.25 * i + 0.013;  // avoid the kinks at 0
  for (const auto& [activation, name] : kActivationNames) {
    ActivationFn<double> phi(activation, 0.05, 1.3);
    Matrix<double> A, D, up, down;
    phi.forward(Z, A);
    phi.derivative(Z, A, D);
    const double h = 1e-6;
    phi.forward((Z.array() + h).matrix(), up);
    phi.forward((Z.array() - h).matrix(), down);
    for (int i = 0; i < 41; ++i) {
      INFO(name << " at z = " << Z(0, i));
      CHECK(relative_error(D(0, i), (up(0, i) - down(0, i)) / (2 * h), 1e-8) < 1e-6);
      CHECK(std::abs(D(0, i)) <= phi.derivative_max() * (1 + 1e-9));
    }
  }
}
